import { parseRetryAfter } from "../../lib/backoff.js";
import type { BridgeContext } from "../../context.js";
import {
  WooAuthFailed,
  WooNotFound,
  WooRateLimited,
  WooRejected,
  WooShopUnknown,
  WooTimeout,
  WooUnavailable,
  type WooOrderListQuery,
  type WooOrderPage,
  type WooOrdersPort,
  type WooOrderUpdate,
} from "./woo-orders-port.js";

/**
 * WooOrdersPort over WooCommerce REST v3 with `@woocommerce/woocommerce-rest-api` (OAuth 1.0a on
 * plain HTTP, Basic over HTTPS, as WooCommerce requires). One client per shop and key. This is the
 * one file to swap for the project's WooCommerce client (bridge/src/woocommerce/) when it lands.
 */

interface WooApi {
  get(path: string, params?: Record<string, unknown>): Promise<AxiosLike>;
  post(path: string, data: unknown, params?: Record<string, unknown>): Promise<AxiosLike>;
  put(path: string, data: unknown, params?: Record<string, unknown>): Promise<AxiosLike>;
}
interface AxiosLike {
  status: number;
  data: unknown;
  headers: Record<string, string | undefined>;
}
type WooApiConstructor = new (options: Record<string, unknown>) => WooApi;

let apiConstructor: Promise<WooApiConstructor> | undefined;
async function loadApi(): Promise<WooApiConstructor> {
  apiConstructor ??= import("@woocommerce/woocommerce-rest-api").then((module) => {
    const m = module as unknown as { default: WooApiConstructor | { default: WooApiConstructor } };
    return "default" in m.default ? m.default.default : m.default;
  });
  return apiConstructor;
}

export function createWooOrdersRest(ctx: Pick<BridgeContext, "shops" | "config" | "metrics">): WooOrdersPort {
  const clients = new Map<string, { key: string; api: WooApi }>();

  async function api(shopId: string): Promise<WooApi> {
    const shop = await ctx.shops.get(shopId);
    const creds = shop?.connected ? await ctx.shops.credentials(shopId) : undefined;
    if (!shop || !creds) throw new WooShopUnknown(`shop ${shopId} is not paired with this bridge (no WooCommerce keys)`);
    const cached = clients.get(shopId);
    const key = `${shop.url}|${creds.wcConsumerKey}`;
    if (cached && cached.key === key) return cached.api;
    const Api = await loadApi();
    const client = new Api({
      url: shop.url,
      consumerKey: creds.wcConsumerKey,
      consumerSecret: creds.wcConsumerSecret,
      version: "wc/v3",
      queryStringAuth: false,
      timeout: ctx.config.WOOCOMMERCE_TIMEOUT_MS,
    });
    clients.set(shopId, { key, api: client });
    return client;
  }

  async function call<T>(what: string, run: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      const result = await run();
      ctx.metrics.recordUpstreamCall("woocommerce", (result as { status?: number }).status ?? 200, (performance.now() - started) / 1000);
      return result;
    } catch (error) {
      const response = (error as { response?: AxiosLike }).response;
      const status = response?.status;
      ctx.metrics.recordUpstreamCall("woocommerce", status, (performance.now() - started) / 1000);
      if (error instanceof WooShopUnknown) throw error;
      const body = response?.data as { code?: string; message?: string } | undefined;
      const said = body?.message ? `: ${body.code ?? ""} ${body.message}`.trimEnd() : "";
      if (status === undefined) {
        const code = (error as { code?: string }).code;
        if (code === "ECONNABORTED" || code === "ETIMEDOUT") throw new WooTimeout(`WooCommerce ${what} did not answer in time`, { cause: error });
        throw new WooUnavailable(`WooCommerce ${what} failed: ${(error as Error).message}`, { cause: error });
      }
      if (status === 429) {
        const retryAfterMs = parseRetryAfter(response?.headers?.["retry-after"]);
        throw new WooRateLimited(`WooCommerce ${what} was rate limited`, retryAfterMs === undefined ? {} : { retryAfterMs });
      }
      if (status >= 500) throw new WooUnavailable(`WooCommerce ${what} answered ${status}${said}`);
      if (status === 401 || status === 403) throw new WooAuthFailed(`WooCommerce refused the bridge's REST key on ${what} (${status})${said}`);
      if (status === 404) throw new WooNotFound(`WooCommerce has no ${what} (404)${said}`);
      throw new WooRejected(`WooCommerce refused ${what} (${status})${said}`);
    }
  }

  return {
    async getOrder(shopId, orderId) {
      const client = await api(shopId);
      try {
        const response = await call(`GET orders/${orderId}`, () => client.get(`orders/${orderId}`));
        return response.data;
      } catch (error) {
        // WooCommerce answers 404 for an unknown order, 400 "invalid id" for some (trashed) ones.
        if (error instanceof WooNotFound) return undefined;
        if (error instanceof WooRejected && /invalid_id/.test(error.message)) return undefined;
        throw error;
      }
    },

    async listOrders(shopId, query: WooOrderListQuery): Promise<WooOrderPage> {
      const client = await api(shopId);
      const params: Record<string, unknown> = { page: query.page, per_page: query.perPage, orderby: "id", order: "asc" };
      if (query.modifiedAfter || query.createdAfter) params.dates_are_gmt = true;
      if (query.modifiedAfter) params.modified_after = query.modifiedAfter;
      if (query.createdAfter) params.after = query.createdAfter;
      if (query.statuses && query.statuses.length > 0) params.status = query.statuses.join(",");
      const response = await call("GET orders", () => client.get("orders", params));
      const total = Number(response.headers["x-wp-totalpages"] ?? "1");
      return { orders: Array.isArray(response.data) ? response.data : [], totalPages: Number.isFinite(total) && total > 0 ? total : 1 };
    },

    async updateOrder(shopId, orderId, update: WooOrderUpdate) {
      const client = await api(shopId);
      const response = await call(`PUT orders/${orderId}`, () => client.put(`orders/${orderId}`, update));
      return response.data;
    },

    async addOrderNote(shopId, orderId, note) {
      const client = await api(shopId);
      await call(`POST orders/${orderId}/notes`, () => client.post(`orders/${orderId}/notes`, { note, customer_note: false }));
    },
  };
}
