import type { Router } from "express";
import { z } from "zod";
import type { BridgeContext, Feature } from "../../context.js";
import { HttpError, badRequest, route } from "../../http/errors.js";
import { type EventJobPayload, eventJobKind } from "../../intake/events.js";
import type { JobHandler } from "../../jobs/runner.js";
import { Skip, errorMessage } from "../../lib/errors.js";
import {
  RACKBEAT_INVENTORY_CHANGED,
  lastWebhookHealth,
  rackbeatWebhookJobSchema,
  rackbeatWebhookRoute,
} from "../../rackbeat-webhooks/index.js";
import { type StockOptions, stockService } from "./stock-service.js";
import { shopSettingsSchema } from "../../settings/shop-settings.js";

/** `{}` or `{all: true}` fixes every drifting SKU; `{skus: [...]}` only those (Fix on one row). */
const fixBodySchema = z
  .strictObject({
    all: z.boolean().optional(),
    skus: z.array(z.string().trim().min(1).max(100)).min(1, "name at least one SKU").max(1000).optional(),
  })
  .optional();

/**
 * Stock (issue 6): Rackbeat → every shop. Registers the Rackbeat webhook receiver, the
 * `rackbeat:inventory.changed` and `event:stock.changed` handlers, the account's shop list, the
 * drift report, and the periodic webhook check, polling, sweep and reconciliation.
 */
export function createStockFeature(options: StockOptions = {}): Feature {
  return {
    name: "stock",

    handlers(ctx) {
      const stock = stockService(ctx, options);
      const inventoryChanged: JobHandler = {
        async run(payload, job) {
          const delivery = rackbeatWebhookJobSchema.parse(payload);
          if (delivery.key_name !== "number") throw new Skip(`Rackbeat sent ${delivery.event} keyed by ${delivery.key_name}; items are read by number`);
          const sku = delivery.key;
          const { missing } = await stock.reader.refresh([sku], { signal: job.signal });
          if (missing.length > 0) {
            // Not an error: a SKU Rackbeat does not have (any more) is reported by the reconciler.
            job.log.info({ sku }, "Rackbeat has no such item; nothing to fan out");
            return;
          }
          if (await stock.anyOnHand()) await endShippedReservations(ctx, sku);
          await stock.fanout.markDirty([sku]);
        },
      };
      const stockChanged: JobHandler = {
        async run(payload) {
          const { shopId, event } = payload as EventJobPayload;
          if (await stock.isOwnWrite(shopId, event.resource_id)) throw new Skip("the bridge's own stock write coming back (echo); not forwarded");
          const link = await stock.store.linkByWooId(shopId, event.resource_id);
          if (!link) throw new Skip("not a product the bridge writes stock to");
          // Rackbeat is the stock master: the reconciler compares the shop's value with Rackbeat's.
          throw new Skip("stock changed in the shop; Rackbeat stays master, the reconciler checks it");
        },
      };
      return new Map<string, JobHandler>([
        [RACKBEAT_INVENTORY_CHANGED, inventoryChanged],
        [eventJobKind("stock.changed"), stockChanged],
      ]);

      async function endShippedReservations(c: BridgeContext, sku: string): Promise<void> {
        const booked = await stock.store.bookedReservations(sku);
        const client = await stock.rackbeat();
        const checked = new Map<number, boolean>();
        for (const r of booked.slice(0, 20)) {
          if (r.rackbeatOrderNumber === null) continue;
          let shipped = checked.get(r.rackbeatOrderNumber);
          if (shipped === undefined) {
            shipped = (await client.getOrder(r.rackbeatOrderNumber)).is_shipped === true;
            checked.set(r.rackbeatOrderNumber, shipped);
          }
          if (shipped) await stock.store.setReservationState(r.shopId, r.wooOrderId, "ended");
        }
        void c;
      }
    },

    publicRoutes(router: Router, ctx: BridgeContext) {
      const stock = stockService(ctx, options);
      rackbeatWebhookRoute(router, ctx, stock.tokens, stock.receiverStats);
    },

    signedRoutes(router: Router, ctx: BridgeContext) {
      const stock = stockService(ctx, options);

      // protocol.md §5: the account's shops, their role and last contact (no personal data).
      router.get(
        "/v1/account/shops",
        route(async (_req, res) => {
          const shops = await ctx.shops.list({ includeDisconnected: true });
          res.json({
            shops: await Promise.all(
              shops.map(async (s) => {
                const settings = await stock.settingsOf(s.id);
                const all = shopSettingsSchema.safeParse(s.settings);
                const master = all.success ? all.data.products.master : "off";
                return {
                  id: s.id,
                  name: s.name,
                  url: s.url,
                  role: s.role,
                  connected: s.connected,
                  paired_at: new Date(s.pairedAt).toISOString(),
                  last_contact_at: s.lastContactAt === null ? null : new Date(s.lastContactAt).toISOString(),
                  stock: settings ? { sync: settings.sync, figure: settings.figure, buffer: settings.buffer } : null,
                  // design.md §3 multi-shop: one shop may be the product master; the others receive stock.
                  product_master: master === "off" ? null : master,
                };
              }),
            ),
          });
        }),
      );

      router.post(
        "/v1/account/rackbeat-webhooks",
        route(async (_req, res) => {
          const health = await stock.checkWebhooks({ force: false });
          res.json({ ...health, ...(await stock.mode()) });
        }),
      );

      router.get(
        "/v1/shops/:shop/reconcile/stock",
        route(async (req, res) => {
          const shopId = String(req.params.shop);
          const refresh = req.query.refresh === "1" || req.query.refresh === "true";
          const report = refresh ? await stock.reconcile(shopId, "none") : undefined;
          res.json({ ...(report ?? {}), shop_id: shopId, items: await driftItems(shopId) });
        }),
      );

      router.post(
        "/v1/shops/:shop/reconcile/stock/fix",
        route(async (req, res) => {
          const shopId = String(req.params.shop);
          const parsed = fixBodySchema.safeParse(req.json);
          if (!parsed.success) throw badRequest(parsed.error);
          const skus = parsed.data?.skus;
          const report = await stock.reconcile(shopId, skus && !parsed.data?.all ? { skus } : "all");
          if (!report) throw new HttpError(409, "stock_sync_off", "Stock sync is off for this shop.");
          await stock.fanout.flushNow(shopId);
          res.json({ ...report, items: await driftItems(shopId) });
        }),
      );

      async function driftItems(shopId: string) {
        return (await stock.store.drift(shopId)).map((d) => ({
          sku: d.sku,
          kind: d.kind,
          rackbeat: d.rackbeat,
          shop: d.shop,
          last_write: d.lastWrite,
          last_write_at: d.lastWriteAt === null ? null : new Date(d.lastWriteAt).toISOString(),
          found_at: new Date(d.foundAt).toISOString(),
          fixed_at: d.fixedAt === null ? null : new Date(d.fixedAt).toISOString(),
        }));
      }
    },

    async status(shopId, ctx) {
      const stock = stockService(ctx, options);
      const [mode, health, poll, drift, links] = await Promise.all([
        stock.mode(),
        lastWebhookHealth(ctx),
        stock.lastPoll(),
        stock.store.drift(shopId),
        stock.store.linksForShop(shopId),
      ]);
      const lastWrite = links.reduce<number | null>((max, l) => (l.lastWrittenAt !== null && (max === null || l.lastWrittenAt > max) ? l.lastWrittenAt : max), null);
      return {
        ...mode,
        webhooks_registered: mode.mode === "webhooks",
        last_update_at: lastWrite === null ? null : new Date(lastWrite).toISOString(),
        webhooks: health?.hooks ?? [],
        webhooks_checked_at: health ? new Date(health.checked_at).toISOString() : null,
        last_poll_at: poll ? new Date(poll.at).toISOString() : null,
        linked_skus: links.length,
        pending_writes: stock.fanout.pending(),
        open_drift: drift.filter((d) => d.fixedAt === null && d.kind === "drift").length,
        orders_in_flight: await stock.store.openReservationCount(),
      };
    },

    tasks(ctx) {
      const stock = stockService(ctx, options);
      const guarded = (name: string, run: () => Promise<unknown>) => async () => {
        try {
          await run();
        } catch (error) {
          ctx.log.warn({ task: name, err: errorMessage(error) }, "stock task failed");
        }
      };
      return [
        {
          name: "stock-webhooks",
          everyMs: stock.options.webhookCheckEveryMs,
          // Checks health and re-registers failing webhooks; the first registration comes from stock-poll.
          run: guarded("stock-webhooks", async () => {
            if ((await ctx.shops.list()).length === 0) return;
            if (!ctx.config.PUBLIC_URL) return;
            await stock.checkWebhooks();
          }),
        },
        {
          name: "stock-poll",
          everyMs: stock.options.pollEveryMs,
          run: guarded("stock-poll", async () => {
            if ((await ctx.shops.list()).length === 0) return;
            // Soon after pairing: register the webhooks instead of waiting for the hourly-ish check.
            if (ctx.config.PUBLIC_URL && !(await lastWebhookHealth(ctx))) await stock.checkWebhooks();
            if ((await stock.mode()).mode === "polling") await stock.pollOnce();
          }),
        },
        {
          name: "stock-sweep",
          everyMs: Math.max(stock.options.coalesceMs * 40, 60_000),
          // Figures waiting to be written live in memory (the fan-out's pending set): after a
          // restart — a crash or kill -9 mid fan-out included — whatever was not written goes out now.
          atStart: true,
          run: guarded("stock-sweep", async () => {
            await stock.store.pruneReservations(30 * 86_400_000);
            await stock.sweep();
          }),
        },
        {
          name: "stock-reconcile",
          everyMs: stock.options.reconcileEveryMs,
          run: guarded("stock-reconcile", () => stock.reconcileAll()),
        },
      ];
    },
  };
}

/** The stock feature with production defaults (features.ts). */
export const stockFeature: Feature = createStockFeature();
