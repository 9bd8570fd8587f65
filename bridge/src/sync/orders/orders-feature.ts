import type { Router } from "express";
import { z } from "zod";
import { rackbeatClient } from "../../account/rackbeat-account.js";
import type { BridgeContext, Feature } from "../../context.js";
import { HttpError, badRequest, route } from "../../http/errors.js";
import { eventJobKind, shopEventSchema, type EventTopic } from "../../intake/events.js";
import type { JobContext, JobHandler } from "../../jobs/runner.js";
import { RateLimited, errorMessage } from "../../lib/errors.js";
import { withLease } from "../../store/leases.js";
import { rackbeatItemNumberSchema, wooOrderStatusSchema } from "../../settings/common.js";
import { parseShopSettings } from "../../settings/shop-settings.js";
import { OrderNotTransferable } from "./order-errors.js";
import { ensureRackbeatProduct } from "../products/products-feature.js";
import { stockService } from "../stock/stock-service.js";
import { createProductsFirstFor, orderStockHooksFor } from "./order-hooks.js";
import { OrderExporter, type ExportRequest } from "./order-exporter.js";
import { OrderLinks } from "./order-links.js";
import { orderQualifies } from "./order-qualifies.js";
import { OrderReconciler } from "./order-reconciler.js";
import { OrderStatusPoller } from "./order-status-poller.js";
import { parseWooOrder } from "./woo-order.js";
import type { WooOrdersPort } from "./woo-orders-port.js";
import { createWooOrdersRest } from "./woo-orders-rest.js";

/**
 * The orders feature (issue 5): event jobs → OrderExporter, manual and catch-up export jobs, the
 * status write-back poller, the reconciler, and the routes of protocol.md §5 owned by orders.
 */

/** Another bridge process is matching or creating this customer right now: try again shortly. */
export class CustomerBeingMatchedElsewhere extends RateLimited {}

/** A job payload that cannot be read: parked with the reason. */
class OrderJobMalformed extends OrderNotTransferable {}

export const ORDER_EXPORT_JOB = "orders:export";
export const ORDER_WRITE_BACK_JOB = "orders:write-back";
/** Below order exports and events: a burst's orders reach Rackbeat first, their write-backs follow. */
const WRITE_BACK_PRIORITY = -1;
const ORDER_TOPICS: EventTopic[] = ["order.created", "order.status_changed", "order.updated", "order.deleted"];
export const STATUS_POLL_EVERY_MS = 60_000;
export const RECONCILE_EVERY_MS = 5 * 60_000;

export interface OrdersRuntime {
  links: OrderLinks;
  woo: WooOrdersPort;
  exporter: OrderExporter;
  poller: OrderStatusPoller;
  reconciler: OrderReconciler;
}

const runtimes = new WeakMap<BridgeContext, OrdersRuntime>();

/** The orders machinery of one bridge (made on first use). */
export function ordersRuntime(ctx: BridgeContext): OrdersRuntime {
  let runtime = runtimes.get(ctx);
  if (runtime) return runtime;
  const links = new OrderLinks(ctx.store.db, ctx.now);
  const woo = createWooOrdersRest(ctx);
  const rackbeat = () => rackbeatClient(ctx);
  // Orders in flight: the stock feature's reservations (design.md §5 item 7) unless a test or
  // another wiring registered its own hooks.
  const stock = () => orderStockHooksFor(ctx) ?? stockService(ctx).reservations;
  // "Create the product first when WooCommerce is the master" (design.md §4): the products feature's.
  const createProductsFirst = () =>
    createProductsFirstFor(ctx) ??
    (async (shopId: string, skus: string[]) => {
      const failed: { sku: string; reason: string }[] = [];
      for (const sku of skus) {
        try {
          const { result } = await ensureRackbeatProduct(ctx, shopId, sku);
          if (result === "not_in_shop" || result === "not_master") failed.push({ sku, reason: result === "not_in_shop" ? "no product with this SKU in the shop" : "WooCommerce is not the product master" });
        } catch (error) {
          failed.push({ sku, reason: errorMessage(error) });
        }
      }
      return { failed };
    });
  runtime = {
    links,
    woo,
    exporter: new OrderExporter({
      shops: ctx.shops,
      links,
      woo,
      rackbeat,
      stock,
      createProductsFirst,
      // Several processes on one PostgreSQL database: one customer find-or-create at a time across
      // them too (a session advisory lock for the few Rackbeat calls it makes), so two first orders
      // of a new customer arriving at two processes make one Rackbeat customer.
      ...(ctx.store.pg
        ? {
            customerLease: async <T>(key: string, work: () => Promise<T>): Promise<T> => {
              const outcome = await withLease(ctx.store, `order-customer:${key}`, work);
              if (!outcome.ran) throw new CustomerBeingMatchedElsewhere("another bridge process is matching or creating this customer; trying again shortly", { retryAfterMs: 500 });
              return outcome.value;
            },
          }
        : {}),
      writeBackLater: async ({ shopId, wooOrderId, rackbeatOrderNumber }) => {
        await ctx.queue.enqueue({
          kind: ORDER_WRITE_BACK_JOB,
          idempotencyKey: `orders:write-back:${shopId}:${wooOrderId}:${rackbeatOrderNumber}`,
          payload: { shopId, wooOrderId },
          shopId,
          subject: { type: "order", id: String(wooOrderId) },
          priority: WRITE_BACK_PRIORITY,
        });
      },
    }),
    poller: new OrderStatusPoller({ shops: ctx.shops, links, woo, rackbeat, stock, log: ctx.log }),
    reconciler: new OrderReconciler({ shops: ctx.shops, account: ctx.account, links, woo }),
  };
  runtimes.set(ctx, runtime);
  return runtime;
}

const eventJobSchema = z.object({ shopId: z.string().min(1), event: shopEventSchema });
const writeBackJobSchema = z.object({ shopId: z.string().min(1), wooOrderId: z.number().int().positive() });
const exportJobSchema = z.object({
  shopId: z.string().min(1),
  wooOrderId: z.number().int().positive(),
  trigger: z.enum(["manual", "reconcile"]),
});

function exportContext(job: JobContext) {
  return { step: job.step, summarize: job.summarize, flag: job.flag, signal: job.signal };
}

async function enqueueExport(ctx: BridgeContext, shopId: string, wooOrderId: number, trigger: "manual" | "reconcile", key: string) {
  return ctx.queue.enqueue({
    kind: ORDER_EXPORT_JOB,
    idempotencyKey: key,
    payload: { shopId, wooOrderId, trigger },
    shopId,
    subject: { type: "order", id: String(wooOrderId) },
    priority: trigger === "reconcile" ? -1 : 1,
  });
}

const idParam = z.coerce.number().int().positive().max(2 ** 53 - 1);
const statusesQuery = z.preprocess(
  (v) => (typeof v === "string" && v.length <= 500 ? v.split(",").map((x) => x.trim()).filter(Boolean) : v),
  z.array(wooOrderStatusSchema, { error: "statuses is a comma-separated list of WooCommerce statuses" }).min(1, "name at least one status").max(20),
);
const previewQuerySchema = z.strictObject({
  statuses: statusesQuery.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
const checkQuerySchema = z.strictObject({
  numbers: z
    .string()
    .max(2000)
    .transform((s) => [...new Set(s.split(",").map((x) => x.trim()).filter(Boolean))])
    .pipe(z.array(rackbeatItemNumberSchema).min(1, "name at least one article number").max(50, "at most 50 article numbers at once")),
});
const sendMissingSchema = z.strictObject({ ids: z.array(z.number().int().positive()).max(500).optional() }).default({});
const rangeSchema = z
  .strictObject({ from: z.number().int().positive().max(2 ** 31 - 1), to: z.number().int().positive().max(2 ** 31 - 1) })
  .refine((r) => r.to >= r.from, { error: "to must not be below from", path: ["to"] });

function queryOf(req: { query: unknown }): Record<string, unknown> {
  const q = req.query as Record<string, unknown>;
  for (const [k, v] of Object.entries(q)) if (Array.isArray(v)) throw new HttpError(400, "invalid_request", `The query parameter ${k} is given more than once.`);
  return q;
}

export const ordersFeature: Feature = {
  name: "orders",

  handlers(ctx) {
    const handlers = new Map<string, JobHandler>();
    const onEvent: JobHandler = {
      async run(payload, job) {
        const parsed = eventJobSchema.safeParse(payload);
        if (!parsed.success) throw new OrderJobMalformed(`malformed order event job: ${parsed.error.message}`);
        const { shopId, event } = parsed.data;
        const request: ExportRequest = {
          shopId,
          wooOrderId: event.resource_id,
          trigger: "automatic",
          topic: event.topic,
          occurredAt: Date.parse(event.occurred_at),
        };
        await ordersRuntime(ctx).exporter.handle(request, exportContext(job));
      },
    };
    for (const topic of ORDER_TOPICS) handlers.set(eventJobKind(topic), onEvent);
    handlers.set(ORDER_WRITE_BACK_JOB, {
      async run(payload, job) {
        const parsed = writeBackJobSchema.safeParse(payload);
        if (!parsed.success) throw new OrderJobMalformed(`malformed write-back job: ${parsed.error.message}`);
        await ordersRuntime(ctx).exporter.handleWriteBack(parsed.data, exportContext(job));
      },
    });
    handlers.set(ORDER_EXPORT_JOB, {
      async run(payload, job) {
        const { shopId, wooOrderId, trigger } = exportJobSchema.parse(payload);
        await ordersRuntime(ctx).exporter.handle({ shopId, wooOrderId, trigger }, exportContext(job));
      },
    });
    return handlers;
  },

  tasks(ctx) {
    return [
      {
        // Remembered customer matches hold the e-mail address (match key): forgotten after the
        // retention period without use; the next order from that customer is matched again.
        name: "orders-retention",
        everyMs: 3600 * 1000,
        run: async () => {
          const before = ctx.now() - ctx.config.RETENTION_DAYS * 24 * 3600 * 1000;
          await ctx.store.db.deleteFrom("order_customer_links").where("updated_at", "<", before).execute();
        },
      },
      {
        name: "orders-status-write-back",
        everyMs: STATUS_POLL_EVERY_MS,
        run: async () => {
          await ordersRuntime(ctx).poller.poll();
        },
      },
      {
        name: "orders-reconcile",
        everyMs: RECONCILE_EVERY_MS,
        run: async () => {
          for (const shop of await ctx.shops.list()) {
            try {
              const missing = await ordersRuntime(ctx).reconciler.missing(shop.id, { fromCursor: true });
              const hour = Math.floor(ctx.now() / 3_600_000);
              for (const m of missing) await enqueueExport(ctx, shop.id, m.id, "reconcile", `orders:reconcile:${shop.id}:${m.id}:${hour}`);
            } catch (error) {
              ctx.log.warn({ shop: shop.id, err: errorMessage(error) }, "order reconciliation failed; next pass retries");
            }
          }
        },
      },
    ];
  },

  signedRoutes(router: Router, ctx: BridgeContext) {
    const runtime = () => ordersRuntime(ctx);

    router.get(
      "/v1/shops/:shop/orders/preview",
      route(async (req, res) => {
        const parsed = previewQuerySchema.safeParse(queryOf(req));
        if (!parsed.success) throw badRequest(parsed.error, "query");
        const shopId = String(req.params.shop);
        const shop = await ctx.shops.get(shopId);
        if (!shop) throw new HttpError(404, "not_found", "No such shop.");
        const settings = parseShopSettings(shop.settings).orders;
        const statuses = parsed.data.statuses ?? settings.transferOnStatuses;
        const trial = { ...settings, exportMode: "automatic" as const, transferOnStatuses: statuses };
        const page = await runtime().woo.listOrders(shopId, { page: 1, perPage: parsed.data.limit });
        const ids = page.orders.map((o) => Number((o as { id?: unknown }).id)).filter((n) => Number.isInteger(n));
        const links = await runtime().links.many(shopId, ids);
        const orders = page.orders.map((raw) => {
          try {
            const order = parseWooOrder(raw);
            const verdict = orderQualifies(order, trial, { trigger: "automatic" });
            const link = links.get(order.id);
            return {
              id: order.id,
              number: order.number,
              status: order.status,
              date_created: order.date_created ?? null,
              total: order.total.toFixed(2),
              currency: order.currency,
              would_send: verdict.ok && link?.state !== "exported",
              reason: verdict.ok ? (link?.state === "exported" ? "already in Rackbeat" : null) : verdict.reason,
              rackbeat_order_number: link?.state === "exported" ? link.rackbeat_order_number : null,
            };
          } catch (error) {
            return { id: (raw as { id?: unknown }).id, would_send: false, reason: errorMessage(error) };
          }
        });
        res.json({ statuses, export_mode: settings.exportMode, orders });
      }),
    );

    router.post(
      "/v1/shops/:shop/orders/:id/send",
      route(async (req, res) => {
        const id = idParam.safeParse(req.params.id);
        if (!id.success) throw badRequest(id.error, "order id");
        const shopId = String(req.params.shop);
        const link = await runtime().links.get(shopId, id.data);
        if (link?.state === "exported") {
          res.status(200).json({ already_exported: true, rackbeat_order_number: link.rackbeat_order_number });
          return;
        }
        const { job, created } = await enqueueExport(ctx, shopId, id.data, "manual", `orders:manual:${shopId}:${id.data}:${ctx.now()}`);
        res.status(202).json({ queued: created, job_id: job.id, record_id: job.recordId });
      }),
    );

    router.get(
      "/v1/account/article-numbers/check",
      route(async (req, res) => {
        const parsed = checkQuerySchema.safeParse(queryOf(req));
        if (!parsed.success) throw badRequest(parsed.error, "query");
        const rackbeat = await rackbeatClient(ctx).catch((error: unknown) => {
          throw new HttpError(409, "token_missing", errorMessage(error));
        });
        const numbers = await Promise.all(
          parsed.data.numbers.map(async (number) => {
            const product = await rackbeat.findProduct(number);
            return { number, exists: product !== undefined, name: product?.name ?? null, is_barred: product?.is_barred ?? null };
          }),
        );
        res.json({ numbers });
      }),
    );

    router.get(
      "/v1/shops/:shop/reconcile/orders",
      route(async (req, res) => {
        queryOf(req);
        const missing = await runtime().reconciler.missing(String(req.params.shop), { fromCursor: false });
        res.json({ missing });
      }),
    );

    router.post(
      "/v1/shops/:shop/reconcile/orders/send",
      route(async (req, res) => {
        const parsed = sendMissingSchema.safeParse(req.json ?? {});
        if (!parsed.success) throw badRequest(parsed.error);
        const shopId = String(req.params.shop);
        const missing = await runtime().reconciler.missing(shopId, { fromCursor: false });
        const wanted = parsed.data.ids ? new Set(parsed.data.ids) : undefined;
        const queued: number[] = [];
        const at = ctx.now();
        for (const m of missing) {
          if (wanted && !wanted.has(m.id)) continue;
          await enqueueExport(ctx, shopId, m.id, "reconcile", `orders:reconcile-send:${shopId}:${m.id}:${at}`);
          queued.push(m.id);
        }
        const notMissing = parsed.data.ids?.filter((id) => !queued.includes(id)) ?? [];
        res.status(202).json({ queued, not_missing: notMissing });
      }),
    );

    router.get(
      "/v1/account/orders/number-range",
      route(async (_req, res) => {
        res.json(await runtime().links.range());
      }),
    );
    router.put(
      "/v1/account/orders/number-range",
      route(async (req, res) => {
        const parsed = rangeSchema.safeParse(req.json);
        if (!parsed.success) throw badRequest(parsed.error);
        await runtime().links.setRange(parsed.data);
        res.json(await runtime().links.range());
      }),
    );
  },

  async status(shopId, ctx) {
    const rows = await ctx.store.db
      .selectFrom("order_links")
      .select(["state", (eb) => eb.fn.countAll<number>().as("n")])
      .where("shop_id", "=", shopId)
      .groupBy("state")
      .execute();
    const count = (s: string) => Number(rows.find((r) => r.state === s)?.n ?? 0);
    const last = await ctx.store.db
      .selectFrom("order_links")
      .select((eb) => eb.fn.max("updated_at").as("at"))
      .where("shop_id", "=", shopId)
      .where("state", "=", "exported")
      .executeTakeFirst();
    const lastAt = last?.at === null || last?.at === undefined ? null : new Date(Number(last.at)).toISOString();
    // The status route puts this under "orders".
    return {
      exported: count("exported"),
      in_progress: count("intent"),
      removed: count("deleted"),
      last_transferred_at: lastAt,
      number_range: await ordersRuntime(ctx).links.range(),
    };
  },
};
