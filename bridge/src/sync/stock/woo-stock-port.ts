import { WOO_BATCH_LIMIT } from "../../woocommerce/index.js";

export { WOO_BATCH_LIMIT };

/**
 * What stock needs from a WooCommerce shop, as a narrow port: list what the shop sells (products
 * and variations with their SKU and stock), find one SKU, and write stock in batches of at most 100
 * (WooCommerce's batch limit, woocommerce-notes.md §5). The adapter over the project's WooCommerce
 * client (`wooClientFor`) lives in woo-stock-adapter.ts; tests may pass their own.
 */
export interface WooStockItem {
  /** Product id, or variation id when `parentId` is set. */
  id: number;
  parentId: number | null;
  sku: string;
  manageStock: boolean;
  stockQuantity: number | null;
}

export interface WooStockWrite {
  id: number;
  parentId: number | null;
  sku: string;
  stockQuantity: number;
}

export interface WooStockWriteResult {
  written: WooStockWrite[];
  /** Per-item failures inside a 200 batch answer (e.g. the product was deleted). */
  failed: { write: WooStockWrite; code: string; message: string }[];
}

export interface WooStockPort {
  /** Everything the shop sells that has a SKU: simple products and variations (not variable parents). */
  listStockItems(shopId: string, options?: { signal?: AbortSignal }): AsyncIterable<WooStockItem>;
  findBySku(shopId: string, sku: string): Promise<WooStockItem | undefined>;
  /**
   * One call: `POST products/batch` (all `parentId` null) or `POST products/{parent}/variations/batch`
   * (all the same parent), ≤ 100 writes, each with `manage_stock: true`. Throws the adapter's
   * RateLimited / UpstreamUnavailable errors when the whole call failed.
   */
  writeStock(shopId: string, writes: WooStockWrite[]): Promise<WooStockWriteResult>;
}


/** Splits writes into calls: simple products together, variations per parent, ≤ 100 per call. */
export function batchWrites(writes: WooStockWrite[]): WooStockWrite[][] {
  const groups = new Map<string, WooStockWrite[]>();
  for (const w of writes) {
    const key = w.parentId === null ? "products" : `variations:${w.parentId}`;
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(w);
  }
  const calls: WooStockWrite[][] = [];
  for (const list of groups.values()) {
    for (let i = 0; i < list.length; i += WOO_BATCH_LIMIT) calls.push(list.slice(i, i + WOO_BATCH_LIMIT));
  }
  return calls;
}
