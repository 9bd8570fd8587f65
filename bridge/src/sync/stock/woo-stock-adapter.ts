import { type WooClientContext, type WooProduct, type WooStockUpdate, type WooVariation, wooClientFor } from "../../woocommerce/index.js";
import type { WooStockItem, WooStockPort, WooStockWrite, WooStockWriteResult } from "./woo-stock-port.js";

function toItem(row: WooProduct | WooVariation, id: number, parentId: number | null): WooStockItem | undefined {
  const sku = row.sku.trim();
  if (!sku) return undefined;
  return { id, parentId, sku, manageStock: row.manage_stock === true, stockQuantity: row.stock_quantity };
}

/**
 * The stock port over the shop's WooCommerce client (bridge/src/woocommerce, `wooClientFor`):
 * products and variations paged 100 at a time, stock written with the client's `setStock`
 * (`manage_stock: true`; simple products through `products/batch`, variations through their
 * parent's `variations/batch`, ≤ 100 per call), per-item errors read from the 200 answer. Whole-call
 * failures are the client's named errors (WooRateLimited, WooUnavailable, WooAuthFailed, …).
 */
export function wooStockAdapter(ctx: WooClientContext): WooStockPort {
  return {
    async *listStockItems(shopId, options = {}) {
      const client = await wooClientFor(ctx, shopId);
      const signal = options.signal ? { signal: options.signal } : {};
      for await (const product of client.iterateProducts({ status: "any" }, signal)) {
        if (product.type === "variable") {
          for await (const v of client.iterateVariations(product.id, {}, signal)) {
            const item = toItem(v, v.id, product.id);
            if (item) yield item;
          }
          continue;
        }
        if (product.type === "grouped" || product.type === "external") continue;
        const item = toItem(product, product.id, null);
        if (item) yield item;
      }
    },

    async findBySku(shopId, sku) {
      const match = await (await wooClientFor(ctx, shopId)).findBySku(sku);
      if (!match) return undefined;
      return match.variationId === null ? toItem(match.product, match.productId, null) : toItem(match.product, match.variationId, match.productId);
    },

    async writeStock(shopId, writes): Promise<WooStockWriteResult> {
      if (writes.length === 0) return { written: [], failed: [] };
      const client = await wooClientFor(ctx, shopId);
      const byUpdate = new Map<WooStockUpdate, WooStockWrite>();
      for (const w of writes) byUpdate.set({ id: w.id, parentId: w.parentId, stockQuantity: w.stockQuantity }, w);
      const outcome = await client.setStock([...byUpdate.keys()]);
      const result: WooStockWriteResult = { written: [], failed: [] };
      for (const update of outcome.written) result.written.push(byUpdate.get(update)!);
      for (const f of outcome.failed) result.failed.push({ write: byUpdate.get(f.update)!, code: f.code, message: f.message });
      return result;
    },
  };
}
