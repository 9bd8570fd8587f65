import DataLoader from "dataloader";
import { WooNotFound, WooRejected, type WooClient, type WooClientContext, wooClientFor } from "../../woocommerce/index.js";
import type { WooOrderListQuery, WooOrderPage, WooOrdersPort, WooOrderUpdate } from "./woo-orders-port.js";

/**
 * WooOrdersPort over the shop's WooCommerce client (bridge/src/woocommerce, `wooClientFor`): OAuth
 * 1.0a on plain HTTP, retries, named errors (WooRateLimited, WooUnavailable, WooAuthFailed,
 * WooShopNotConnected, …) and zod-checked answers all come from the client.
 */
/** One order by id: undefined when the shop has none (404, trashed, or "invalid id"). */
async function readOne(client: WooClient, orderId: number, signal?: AbortSignal): Promise<unknown | undefined> {
  try {
    return await client.getOrder(orderId, signal ? { signal } : {});
  } catch (error) {
    // 404 for an unknown order (the client also reports trashed ones so); 400 "invalid id" for some.
    if (error instanceof WooNotFound) return undefined;
    if (error instanceof WooRejected && /invalid_id/.test(error.code ?? "")) return undefined;
    throw error;
  }
}

/**
 * Orders read together: the reads of one shop's orders asked for in the same turn of the event
 * loop (a burst of order jobs starts dozens at once) become one `GET orders?include=…` of up to 100
 * (DataLoader does the collecting). A single read stays `GET orders/{id}`. An id the list does not
 * return (trashed, auto-draft, unknown) is read on its own, so the answer is what `GET orders/{id}`
 * would give. Per-read abort signals end that read's wait, not the shared call.
 */
function orderReader(client: WooClient): DataLoader<number, unknown> {
  return new DataLoader<number, unknown>(
    async (ids) => {
      if (ids.length === 1) return [await readOne(client, ids[0]!)];
      const page = await client.listOrders({ include: [...ids], perPage: 100, orderby: "id", order: "asc" });
      const byId = new Map(page.items.map((o) => [o.id, o as unknown]));
      return Promise.all(ids.map(async (id) => (byId.has(id) ? byId.get(id) : readOne(client, id).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))))));
    },
    { cache: false, maxBatchSize: 100, batchScheduleFn: (run) => setImmediate(run) },
  );
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

export function createWooOrdersRest(ctx: WooClientContext): WooOrdersPort {
  const readers = new WeakMap<WooClient, DataLoader<number, unknown>>();
  return {
    async getOrder(shopId, orderId, options = {}) {
      const client = await wooClientFor(ctx, shopId);
      let reader = readers.get(client);
      if (!reader) readers.set(client, (reader = orderReader(client)));
      return abortable(reader.load(orderId), options.signal);
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
