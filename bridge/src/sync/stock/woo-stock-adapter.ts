import { z } from "zod";
import type { BridgeContext } from "../../context.js";
import { parseRetryAfter } from "../../lib/backoff.js";
import { RateLimited, UpstreamAuthFailed, UpstreamRejected, UpstreamUnavailable } from "../../lib/errors.js";
import type { WooStockItem, WooStockPort, WooStockWrite, WooStockWriteResult } from "./woo-stock-port.js";

export class WooStockRateLimited extends RateLimited {}
export class WooStockUnavailable extends UpstreamUnavailable {}
export class WooStockAuthFailed extends UpstreamAuthFailed {}
export class WooStockRejected extends UpstreamRejected {}

const productRow = z.looseObject({
  id: z.number(),
  type: z.string().optional(),
  parent_id: z.number().optional(),
  sku: z.string().nullable().optional(),
  manage_stock: z.union([z.boolean(), z.literal("parent")]).optional(),
  stock_quantity: z.number().nullable().optional(),
  variations: z.array(z.number()).optional(),
});
type ProductRow = z.infer<typeof productRow>;

const batchAnswer = z.looseObject({
  update: z.array(z.looseObject({ id: z.number(), error: z.looseObject({ code: z.string(), message: z.string() }).optional() })).default([]),
});

/**
 * The stock port over WooCommerce's REST API v3 (woocommerce-notes.md §5): products and variations
 * paged 100 at a time, `products/batch` and `products/{parent}/variations/batch` writes with
 * `manage_stock: true`, per-item errors read from the 200 answer. Authenticates with the shop's
 * REST keys over HTTPS (Basic); the keys never reach a log.
 *
 * Stock's own thin adapter until the shared WooCommerce client (bridge/src/woocommerce) offers
 * these calls; swap the three methods' bodies for it then.
 */
export function wooStockAdapter(ctx: BridgeContext): WooStockPort {
  async function call(shopId: string, method: "GET" | "POST", path: string, body?: unknown, signal?: AbortSignal): Promise<{ json: unknown; headers: Headers }> {
    const shop = await ctx.shops.get(shopId);
    const credentials = await ctx.shops.credentials(shopId);
    if (!shop || !credentials) throw new WooStockAuthFailed(`shop ${shopId} is not connected`);
    const url = `${shop.url.replace(/\/+$/, "")}/wp-json/wc/v3/${path}`;
    const started = performance.now();
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          Authorization: `Basic ${Buffer.from(`${credentials.wcConsumerKey}:${credentials.wcConsumerSecret}`).toString("base64")}`,
          Accept: "application/json",
          ...(body === undefined ? {} : { "Content-Type": "application/json" }),
          "User-Agent": `rackbeat-connector-woocommerce/${ctx.version}`,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(ctx.config.WOOCOMMERCE_TIMEOUT_MS)]) : AbortSignal.timeout(ctx.config.WOOCOMMERCE_TIMEOUT_MS),
      });
    } catch (error) {
      ctx.metrics.recordUpstreamCall("woocommerce", undefined, (performance.now() - started) / 1000);
      throw new WooStockUnavailable(`shop ${shopId} could not be reached: ${(error as Error).message}`, { cause: error });
    }
    ctx.metrics.recordUpstreamCall("woocommerce", response.status, (performance.now() - started) / 1000);
    const text = await response.text();
    if (response.status === 429) {
      const retryAfterMs = parseRetryAfter(response.headers.get("retry-after")) ?? 5_000;
      throw new WooStockRateLimited(`shop ${shopId} asked to slow down`, { retryAfterMs });
    }
    if (response.status === 401 || response.status === 403) throw new WooStockAuthFailed(`shop ${shopId} refused the bridge's REST keys (${response.status})`);
    if (response.status >= 500) throw new WooStockUnavailable(`shop ${shopId} answered ${response.status}`);
    if (response.status >= 400) throw new WooStockRejected(`shop ${shopId} refused ${method} ${path.split("?")[0]}: ${response.status} ${text.slice(0, 200)}`);
    return { json: text ? (JSON.parse(text) as unknown) : null, headers: response.headers };
  }

  async function* pages(shopId: string, path: string, signal?: AbortSignal): AsyncGenerator<ProductRow> {
    for (let page = 1; ; page++) {
      const sep = path.includes("?") ? "&" : "?";
      const { json, headers } = await call(shopId, "GET", `${path}${sep}per_page=100&page=${page}`, undefined, signal);
      const rows = z.array(productRow).parse(json);
      yield* rows;
      const total = Number(headers.get("x-wp-totalpages") ?? "1");
      if (rows.length === 0 || page >= total) return;
    }
  }

  const toItem = (row: ProductRow, parentId: number | null): WooStockItem | undefined => {
    const sku = (row.sku ?? "").trim();
    if (!sku) return undefined;
    return { id: row.id, parentId, sku, manageStock: row.manage_stock === true, stockQuantity: row.stock_quantity ?? null };
  };

  return {
    async *listStockItems(shopId, options = {}) {
      for await (const row of pages(shopId, "products?status=any&orderby=id&order=asc", options.signal)) {
        if (row.type === "variable") {
          for await (const v of pages(shopId, `products/${row.id}/variations?orderby=id&order=asc`, options.signal)) {
            const item = toItem(v, row.id);
            if (item) yield item;
          }
          continue;
        }
        if (row.type === "grouped" || row.type === "external") continue;
        const item = toItem(row, null);
        if (item) yield item;
      }
    },

    async findBySku(shopId, sku) {
      const { json } = await call(shopId, "GET", `products?sku=${encodeURIComponent(sku)}`);
      const row = z.array(productRow).parse(json)[0];
      if (!row) return undefined;
      return toItem(row, row.type === "variation" && row.parent_id ? row.parent_id : null);
    },

    async writeStock(shopId, writes): Promise<WooStockWriteResult> {
      if (writes.length === 0) return { written: [], failed: [] };
      const parent = writes[0]!.parentId;
      const path = parent === null ? "products/batch" : `products/${parent}/variations/batch`;
      const { json } = await call(shopId, "POST", path, {
        update: writes.map((w) => ({ id: w.id, manage_stock: true, stock_quantity: w.stockQuantity })),
      });
      const answer = batchAnswer.parse(json);
      const byId = new Map<number, WooStockWrite>(writes.map((w) => [w.id, w]));
      const result: WooStockWriteResult = { written: [], failed: [] };
      for (const item of answer.update) {
        const write = byId.get(item.id);
        if (!write) continue;
        if (item.error) result.failed.push({ write, code: item.error.code, message: item.error.message });
        else result.written.push(write);
      }
      return result;
    },
  };
}
