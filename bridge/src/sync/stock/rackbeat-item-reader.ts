import type { RackbeatClient, RackbeatProduct } from "../../rackbeat/index.js";
import type { RatePriority } from "../../rackbeat/rate-gate.js";
import type { StockStore } from "./stock-store.js";

export type RackbeatStockReads = Pick<RackbeatClient, "findProduct" | "getProductStockByLocation" | "iterateProductStock" | "getOrder">;

export interface ItemReaderDeps {
  store: StockStore;
  rackbeat: () => Promise<RackbeatStockReads>;
  /** True when some shop adds up chosen locations, so stock per location must be read too. */
  needLocations: () => Promise<boolean>;
}

/**
 * Reads items' current stock from Rackbeat and stores it, each read with a ticket taken before it
 * started, so reads that overlap never leave an older figure behind (StockStore.saveItem).
 */
export class RackbeatItemReader {
  constructor(private readonly deps: ItemReaderDeps) {}

  /** Re-reads these items; returns the SKUs Rackbeat does not have. */
  async refresh(skus: string[], options: { priority?: RatePriority; signal?: AbortSignal } = {}): Promise<{ missing: string[] }> {
    const client = await this.deps.rackbeat();
    const locations = await this.deps.needLocations();
    const missing: string[] = [];
    const call = { priority: options.priority ?? "live", ...(options.signal ? { signal: options.signal } : {}) } as const;
    await Promise.all(
      [...new Set(skus)].map(async (sku) => {
        const seq = this.deps.store.nextFetchSeq();
        const product = await client.findProduct(sku, call);
        if (!product) {
          missing.push(sku);
          await this.deps.store.forgetItem(sku);
          return;
        }
        const perLocation = locations ? await client.getProductStockByLocation(sku, call) : null;
        await this.deps.store.saveItem(sku, { ...figuresOf(product), locations: perLocation }, seq);
      }),
    );
    return { missing };
  }

  /** Stores figures the bridge already holds (a write answered with the product), without a read. */
  async remember(products: Pick<RackbeatProduct, "number" | "stock_quantity" | "in_order_quantity" | "available_quantity">[], seq: number): Promise<void> {
    for (const p of products) await this.deps.store.saveItem(p.number, figuresOf(p), seq);
  }
}

export function figuresOf(p: Pick<RackbeatProduct, "stock_quantity" | "in_order_quantity" | "available_quantity"> & { updated_at?: unknown }) {
  return {
    stock_quantity: Number(p.stock_quantity ?? 0),
    in_order_quantity: Number(p.in_order_quantity ?? 0),
    available_quantity: Number(p.available_quantity ?? 0),
    updated_at: typeof p.updated_at === "string" ? p.updated_at : null,
  };
}
