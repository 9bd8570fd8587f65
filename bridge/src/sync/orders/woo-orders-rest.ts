import { WooNotFound, WooRejected, type WooClientContext, wooClientFor } from "../../woocommerce/index.js";
import type { WooOrderListQuery, WooOrderPage, WooOrdersPort, WooOrderUpdate } from "./woo-orders-port.js";

/**
 * WooOrdersPort over the shop's WooCommerce client (bridge/src/woocommerce, `wooClientFor`): OAuth
 * 1.0a on plain HTTP, retries, named errors (WooRateLimited, WooUnavailable, WooAuthFailed,
 * WooShopNotConnected, …) and zod-checked answers all come from the client.
 */
export function createWooOrdersRest(ctx: WooClientContext): WooOrdersPort {
  return {
    async getOrder(shopId, orderId, options = {}) {
      const client = await wooClientFor(ctx, shopId);
      try {
        return await client.getOrder(orderId, options.signal ? { signal: options.signal } : {});
      } catch (error) {
        // 404 for an unknown order (the client also reports trashed ones so); 400 "invalid id" for some.
        if (error instanceof WooNotFound) return undefined;
        if (error instanceof WooRejected && /invalid_id/.test(error.code ?? "")) return undefined;
        throw error;
      }
    },

    async listOrders(shopId, query: WooOrderListQuery, options = {}): Promise<WooOrderPage> {
      const client = await wooClientFor(ctx, shopId);
      const page = await client.listOrders(
        {
          page: query.page,
          perPage: query.perPage,
          orderby: "id",
          order: "asc",
          ...(query.modifiedAfter ? { modifiedAfter: new Date(query.modifiedAfter) } : {}),
          ...(query.createdAfter ? { createdAfter: new Date(query.createdAfter) } : {}),
          ...(query.statuses && query.statuses.length > 0 ? { statuses: query.statuses } : {}),
        },
        options.signal ? { signal: options.signal } : {},
      );
      return { orders: page.items, totalPages: Math.max(1, page.totalPages) };
    },

    async updateOrder(shopId, orderId, update: WooOrderUpdate, options = {}) {
      return (await wooClientFor(ctx, shopId)).updateOrder(orderId, update, options.signal ? { signal: options.signal } : {});
    },

    async addOrderNote(shopId, orderId, note, options = {}) {
      await (await wooClientFor(ctx, shopId)).addOrderNote(orderId, note, options.signal ? { signal: options.signal } : {});
    },
  };
}
