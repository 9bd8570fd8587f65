import {
  RateLimited,
  UpstreamAuthFailed,
  UpstreamNotFound,
  UpstreamRejected,
  UpstreamTimeout,
  UpstreamUnavailable,
} from "../../lib/errors.js";

/**
 * What the orders feature needs from a WooCommerce shop, as a narrow port (woocommerce-notes.md §5):
 * read one order, page orders by modification date, update an order (status, meta) and add an order
 * note. The REST adapter is woo-orders-rest.ts; when the project's WooCommerce client lands
 * (bridge/src/woocommerce/), only that adapter changes.
 *
 * Bodies come back as WooCommerce's JSON, unparsed: the exporter validates them with
 * `parseWooOrder` (zod) at this boundary.
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

// Named errors per adapter (lib/errors.ts), so the job runner retries or parks by type.
export class WooRateLimited extends RateLimited {}
export class WooUnavailable extends UpstreamUnavailable {}
export class WooTimeout extends UpstreamTimeout {}
export class WooAuthFailed extends UpstreamAuthFailed {}
export class WooNotFound extends UpstreamNotFound {}
export class WooRejected extends UpstreamRejected {}
/** The shop is not paired (any more) or its WooCommerce keys are gone. */
export class WooShopUnknown extends UpstreamAuthFailed {}
