import type { BridgeContext } from "../../context.js";

/**
 * Where the orders exporter calls into other features, registered by them per bridge context:
 *
 * - Stock (issue 6), orders in flight (design.md §5 item 7): `start` when an order event arrives and
 *   the order qualifies, `settle` after the order was created or booked in Rackbeat (stock re-reads
 *   the order's items and fans the figures out), `release` when the order will not reach Rackbeat.
 *   The shape is StockReservations' (bridge/src/sync/stock/stock-reservations.ts); the stock feature
 *   registers its instance with `registerOrderStockHooks(ctx, reservations)`.
 * - Products (issue 7), "create the product first when WooCommerce is the master": the products
 *   feature registers `registerCreateProductsFirst(ctx, fn)`; fn creates the Rackbeat products for
 *   the shop's SKUs (by its own rules) and returns the SKUs it could not create, with reasons.
 *
 * Until a feature registers, the exporter runs without it (and says so in the order's steps).
 */
export interface OrderStockHooks {
  start(shopId: string, wooOrderId: number, lines: { sku: string; quantity: number }[], options?: { occurredAt?: number }): Promise<void>;
  settle(shopId: string, wooOrderId: number, outcome: { rackbeatOrderNumber: number; state: "draft" | "booked" | "shipped" }): Promise<void>;
  release(shopId: string, wooOrderId: number): Promise<void>;
}

export type CreateProductsFirst = (
  shopId: string,
  skus: string[],
  options: { signal?: AbortSignal },
) => Promise<{ failed: { sku: string; reason: string }[] }>;

const stockHooks = new WeakMap<BridgeContext, OrderStockHooks>();
const productHooks = new WeakMap<BridgeContext, CreateProductsFirst>();

export function registerOrderStockHooks(ctx: BridgeContext, hooks: OrderStockHooks): void {
  stockHooks.set(ctx, hooks);
}

export function registerCreateProductsFirst(ctx: BridgeContext, fn: CreateProductsFirst): void {
  productHooks.set(ctx, fn);
}

export function orderStockHooksFor(ctx: BridgeContext): OrderStockHooks | undefined {
  return stockHooks.get(ctx);
}

export function createProductsFirstFor(ctx: BridgeContext): CreateProductsFirst | undefined {
  return productHooks.get(ctx);
}
