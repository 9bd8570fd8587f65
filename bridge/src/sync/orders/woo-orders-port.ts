/**
 * What the orders feature needs from a WooCommerce shop, as a narrow port (woocommerce-notes.md §5):
 * read one order, page orders by modification date, update an order (status, meta) and add an order
 * note. The adapter over the shop's WooCommerce client is woo-orders-rest.ts; failures are the
 * client's named errors (bridge/src/woocommerce/woo-errors.ts).
 *
 * Orders come back as `unknown`: the client has checked the REST shape; the exporter reads them
 * into its own money-typed order with `parseWooOrder` (zod), so fakes in tests can be plain JSON.
 */
export interface WooOrderListQuery {
  /** ISO 8601 UTC; sent with `dates_are_gmt=true`. */
  modifiedAfter?: string;
  /** Created after (ISO 8601 UTC). */
  createdAfter?: string;
  statuses?: string[];
  page: number;
  /** 1–100. */
  perPage: number;
}

export interface WooOrderPage {
  orders: unknown[];
  totalPages: number;
}

export interface WooOrderUpdate {
  status?: string;
  meta_data?: { key: string; value: unknown }[];
}

export interface WooOrdersPort {
  /** The order, or undefined when the shop has no such order (404, or trashed). */
  getOrder(shopId: string, orderId: number, options?: { signal?: AbortSignal }): Promise<unknown | undefined>;
  listOrders(shopId: string, query: WooOrderListQuery, options?: { signal?: AbortSignal }): Promise<WooOrderPage>;
  updateOrder(shopId: string, orderId: number, update: WooOrderUpdate, options?: { signal?: AbortSignal }): Promise<unknown>;
  addOrderNote(shopId: string, orderId: number, note: string, options?: { signal?: AbortSignal }): Promise<void>;
}
