/**
 * The products feature (issue 7): product events in the owner's chosen direction, the periodic
 * passes that catch anything missed, and the initial sync's routes (protocol.md §5).
 */
import type { Router } from "express";
import { z } from "zod";
import { rackbeatClient } from "../../account/rackbeat-account.js";
import type { BridgeContext, Feature } from "../../context.js";
import { HttpError, route } from "../../http/errors.js";
import { type EventJobPayload, eventJobKind } from "../../intake/events.js";
import type { JobHandler } from "../../jobs/runner.js";
import { Skip, errorMessage } from "../../lib/errors.js";
import {
  RACKBEAT_INVENTORY_CHANGED,
  RACKBEAT_PRODUCT_CREATED,
  RACKBEAT_PRODUCT_UPDATED,
  rackbeatWebhookJobSchema,
  wantRackbeatWebhook,
} from "../../rackbeat-webhooks/webhook-kinds.js";
import type { RackbeatClient } from "../../rackbeat/index.js";
import { parseShopSettings } from "../../settings/shop-settings.js";
import type { ProductSettings } from "../../settings/product-settings.js";
import { createInitialSyncRun, initialSyncProgress, InitialSyncRefused, latestInitialSyncRun, runInitialSyncAlone, type StockFanOut } from "../initial/initial-sync-run.js";
import { createPreflight, preflightCsv, runPreflight } from "../initial/preflight.js";
import type { WooCatalog, WooCatalogFactory } from "./catalog.js";
import { ProductLinks } from "./product-links.js";
import { wooCatalogFactory } from "./woo-catalog-adapter.js";
import { GroupVatRates } from "./rackbeat-catalogue.js";
import { syncRackbeatProductToWoo } from "./rackbeat-to-woo-sync.js";
import { readComparable, syncItemToRackbeat, syncWooProductToRackbeat } from "./woo-to-rackbeat-sync.js";

export const PRODUCT_FROM_WOO_JOB = "products:from-woo";
export const PRODUCT_FROM_RACKBEAT_JOB = "products:from-rackbeat";
export const PREFLIGHT_JOB = "initial-sync:preflight";
export const INITIAL_SYNC_JOB = "initial-sync:run";
/** Bulk work runs after live traffic in the queue too. */
const BULK_PRIORITY = -10;
const PASS_EVERY_MS = 5 * 60_000;

wantRackbeatWebhook("product.created", RACKBEAT_PRODUCT_CREATED);
wantRackbeatWebhook("product.updated", RACKBEAT_PRODUCT_UPDATED);

export interface ProductsFeatureOptions {
  /** Opens a shop's WooCommerce catalogue. Default: the project's WooCommerce REST client. */
  catalogFor?: (ctx: BridgeContext) => WooCatalogFactory;
  /** Rackbeat client. Default: the account's client on the shared per-token gate. */
  rackbeatFor?: (ctx: BridgeContext) => Promise<RackbeatClient>;
  /** Stock the initial sync writes with suppress_webhooks, handed to the stock feature. Default below. */
  fanOutStock?: (ctx: BridgeContext, runId: string) => StockFanOut;
  passEveryMs?: number;
  /** Products written at once by the initial sync (the rate gate paces them). Default 8. */
  initialSyncConcurrency?: number;
}

async function settingsOf(ctx: BridgeContext, shopId: string): Promise<{ settings: ProductSettings; name: string }> {
  const shop = await ctx.shops.get(shopId);
  if (!shop || !shop.connected) throw new Skip(`shop ${shopId} is not connected`);
  return { settings: parseShopSettings(shop.settings).products, name: shop.name };
}

/**
 * The stock feature fans out what Rackbeat announces with inventory.changed; the initial sync's
 * adjustments are written with suppress_webhooks, so it hands the same jobs to the stock feature
 * itself (one per number and run).
 */
export const enqueueStockFanOut =
  (ctx: BridgeContext, runId: string): StockFanOut =>
  async (numbers) => {
    await ctx.queue.enqueueMany(
      numbers.map((number) => ({
        kind: RACKBEAT_INVENTORY_CHANGED,
        idempotencyKey: `initial-sync:${runId}:stock:${number}`,
        payload: { event: "inventory.changed", key: number, key_name: "number", received_at: ctx.now() },
        priority: BULK_PRIORITY,
      })),
    );
  };


export function createProductsFeature(options: ProductsFeatureOptions = {}): Feature {
  const catalogs = new WeakMap<BridgeContext, WooCatalogFactory>();
  const catalogFor = (ctx: BridgeContext, shopId: string): Promise<WooCatalog> => {
    let factory = catalogs.get(ctx);
    if (!factory) catalogs.set(ctx, (factory = (options.catalogFor ?? wooCatalogFactory)(ctx)));
    return factory(shopId);
  };
  const rackbeatOf = (ctx: BridgeContext) => (options.rackbeatFor ?? rackbeatClient)(ctx);
  const linksOf = (ctx: BridgeContext) => new ProductLinks(ctx.store.db, ctx.now);

  const fromWoo = (ctx: BridgeContext): JobHandler => ({
    async run(payload, job) {
      const parsed = z.object({ shopId: z.string(), wooId: z.number().int(), parentId: z.number().int().nullable().optional() }).parse(payload);
      await syncFromWoo(ctx, parsed.shopId, parsed.wooId, parsed.parentId ?? null, job);
    },
  });

  async function syncFromWoo(ctx: BridgeContext, shopId: string, wooId: number, parentId: number | null, job: Parameters<JobHandler["run"]>[1]) {
    const { settings } = await settingsOf(ctx, shopId);
    if (settings.master !== "woo_to_rackbeat") throw new Skip(`product master is ${settings.master}: WooCommerce changes are not sent to Rackbeat`);
    const catalog = await catalogFor(ctx, shopId);
    const rackbeat = await rackbeatOf(ctx);
    const result = await syncWooProductToRackbeat(
      { shopId, settings, units: await catalog.units(), groups: new GroupVatRates(rackbeat), links: linksOf(ctx), rackbeat, priority: "live", catalog, signal: job.signal, step: job.step },
      wooId,
      parentId,
    );
    await job.summarize({
      rackbeat: result.outcomes.map((o) => ({ number: o.number, action: o.action, ...(o.previousNumber ? { from: o.previousNumber } : {}) })),
      ...(result.barred.length > 0 ? { barred: result.barred } : {}),
      ...(result.problems.length > 0 ? { problems: result.problems } : {}),
    });
    if (result.outcomes.length === 0 && result.barred.length === 0 && result.problems.length > 0) {
      throw new Skip(result.problems.map((p) => p.reason).join("; "));
    }
    if (result.problems.length > 0) job.flag(result.problems.map((p) => `${p.sku || `#${p.wooId}`}: ${p.reason}`).join("; "));
  }

  const wooEvent = (ctx: BridgeContext): JobHandler => ({
    async run(payload, job) {
      const { shopId, event } = payload as EventJobPayload;
      await syncFromWoo(ctx, shopId, event.resource_id, event.parent_id ?? null, job);
    },
  });

  const fromRackbeat = (ctx: BridgeContext): JobHandler => ({
    async run(payload, job) {
      const parsed = z.union([rackbeatWebhookJobSchema, z.object({ key: z.string(), shopId: z.string().optional() })]).parse(payload);
      if ("key_name" in parsed && parsed.key_name !== "number") throw new Skip("product deliveries are keyed by number");
      const only = "shopId" in parsed ? parsed.shopId : undefined;
      const shops = (await ctx.shops.list()).filter((s) => (only ? s.id === only : true));
      const client = await rackbeatOf(ctx);
      // One read of the product for all shops (not one per shop: with many shops that is the rate limit's).
      let once: ReturnType<typeof client.findProduct> | undefined;
      const rackbeat = { findProduct: (number: string) => (once ??= client.findProduct(number)) };
      let mirrored = 0;
      for (const shop of shops) {
        const settings = parseShopSettings(shop.settings).products;
        if (settings.master !== "rackbeat_to_woo") continue;
        mirrored++;
        const catalog = await catalogFor(ctx, shop.id);
        try {
          const result = await syncRackbeatProductToWoo({ shopId: shop.id, catalog, rackbeat, links: linksOf(ctx), settings, step: job.step }, parsed.key);
          await job.summarize({ [shop.id]: result });
          if (result.action === "not_created" && result.reason) job.flag(result.reason);
        } catch (error) {
          if (error instanceof Skip && shops.length > 1) {
            await job.step("skipped", "skipped", { shop: shop.id, reason: error.message });
            continue;
          }
          throw error;
        }
      }
      if (mirrored === 0) throw new Skip("no shop takes products from Rackbeat (product master)");
    },
  });

  return {
    name: "products",
    handlers: (ctx) =>
      new Map<string, JobHandler>([
        [eventJobKind("product.changed"), wooEvent(ctx)],
        [eventJobKind("product.deleted"), wooEvent(ctx)],
        [PRODUCT_FROM_WOO_JOB, fromWoo(ctx)],
        [RACKBEAT_PRODUCT_CREATED, fromRackbeat(ctx)],
        [RACKBEAT_PRODUCT_UPDATED, fromRackbeat(ctx)],
        [PRODUCT_FROM_RACKBEAT_JOB, fromRackbeat(ctx)],
        [
          PREFLIGHT_JOB,
          {
            timeoutMs: 6 * 3600_000,
            async run(payload, job) {
              const { shopId, preflightId } = z.object({ shopId: z.string(), preflightId: z.string() }).parse(payload);
              const { settings } = await settingsOf(ctx, shopId);
              try {
                await runPreflight(
                  { db: ctx.store.db, catalog: await catalogFor(ctx, shopId), rackbeat: await rackbeatOf(ctx), settings, now: ctx.now, signal: job.signal },
                  preflightId,
                );
              } catch (error) {
                await ctx.store.db.updateTable("preflights").set({ state: "failed", report: JSON.stringify({ error: errorMessage(error) }), finished_at: ctx.now() }).where("id", "=", preflightId).execute();
                throw error;
              }
            },
          },
        ],
        [
          INITIAL_SYNC_JOB,
          {
            timeoutMs: 24 * 3600_000,
            async run(payload, job) {
              const { shopId, runId } = z.object({ shopId: z.string(), runId: z.string() }).parse(payload);
              const { settings, name } = await settingsOf(ctx, shopId);
              // Never two executions of a shop's run at once, across processes too (see runInitialSyncAlone).
              await runInitialSyncAlone(
                ctx.store,
                {
                  db: ctx.store.db,
                  catalog: await catalogFor(ctx, shopId),
                  rackbeat: await rackbeatOf(ctx),
                  links: linksOf(ctx),
                  settings,
                  shopId,
                  shopName: name,
                  log: job.log,
                  now: ctx.now,
                  signal: job.signal,
                  fanOutStock: (options.fanOutStock ?? enqueueStockFanOut)(ctx, runId),
                  ...(options.initialSyncConcurrency ? { concurrency: options.initialSyncConcurrency } : {}),
                },
                runId,
                { leaseTtlMs: ctx.config.JOB_LEASE_MS },
              );
            },
          },
        ],
      ]),
    signedRoutes(router: Router, ctx: BridgeContext) {
      router.post(
        "/v1/shops/:shop/initial-sync/preflight",
        route(async (req, res) => {
          const shopId = String(req.params.shop);
          const id = await createPreflight(ctx.store.db, shopId, ctx.now);
          await ctx.queue.enqueue({ kind: PREFLIGHT_JOB, idempotencyKey: `preflight:${id}`, payload: { shopId, preflightId: id }, shopId, priority: -1 });
          res.status(202).json({ id, state: "running" });
        }),
      );
      router.get(
        "/v1/shops/:shop/initial-sync/preflight/:id",
        route(async (req, res) => {
          const raw = String(req.params.id);
          const csv = raw.endsWith(".csv");
          const id = csv ? raw.slice(0, -4) : raw;
          const row = await ctx.store.db.selectFrom("preflights").selectAll().where("id", "=", id).where("shop_id", "=", String(req.params.shop)).executeTakeFirst();
          if (!row) throw new HttpError(404, "not_found", "No such preflight for this shop.");
          if (!csv) {
            res.json({ id, state: row.state, created_at: new Date(Number(row.created_at)).toISOString(), report: row.report ? (JSON.parse(row.report) as unknown) : null });
            return;
          }
          if (row.state !== "done") throw new HttpError(409, "not_ready", "The preflight has not finished yet.");
          res.setHeader("content-type", "text/csv; charset=utf-8");
          res.setHeader("content-disposition", `attachment; filename="preflight-${id}.csv"`);
          for await (const chunk of preflightCsv(ctx.store.db, id)) {
            if (!res.write(chunk)) await new Promise((resolve) => res.once("drain", resolve));
          }
          res.end();
        }),
      );
      router.post(
        "/v1/shops/:shop/initial-sync",
        route(async (req, res) => {
          const shopId = String(req.params.shop);
          const { settings } = await settingsOf(ctx, shopId).catch(() => {
            throw new HttpError(404, "not_found", "No such shop.");
          });
          let runId: string;
          try {
            runId = await createInitialSyncRun(ctx.store.db, shopId, settings, ctx.now);
          } catch (error) {
            if (error instanceof InitialSyncRefused) throw new HttpError(409, error.code, error.message);
            throw error;
          }
          await ctx.queue.enqueue({ kind: INITIAL_SYNC_JOB, idempotencyKey: `initial-sync:${runId}`, payload: { shopId, runId }, shopId, priority: BULK_PRIORITY, maxAttempts: 50 });
          res.status(202).json(await initialSyncProgress(ctx.store.db, runId, ctx.now));
        }),
      );
      router.get(
        "/v1/shops/:shop/initial-sync",
        route(async (req, res) => {
          const runId = await latestInitialSyncRun(ctx.store.db, String(req.params.shop));
          if (!runId) {
            res.json({ state: "never_run" });
            return;
          }
          res.json(await initialSyncProgress(ctx.store.db, runId, ctx.now));
        }),
      );
    },
    tasks: (ctx) => [
      {
        name: "products-pass",
        everyMs: options.passEveryMs ?? PASS_EVERY_MS,
        run: () => periodicPass(ctx),
      },
    ],
    async status(shopId, ctx) {
      const shop = await ctx.shops.get(shopId);
      const master = shop ? parseShopSettings(shop.settings).products.master : "off";
      const runId = await latestInitialSyncRun(ctx.store.db, shopId);
      const progress = runId ? await initialSyncProgress(ctx.store.db, runId, ctx.now) : undefined;
      return { master, initial_sync: progress ? { state: progress.state, done: progress.done, total: progress.total, errors: progress.errors } : null };
    },
  };

  /**
   * Catches what events missed: WooCommerce products modified since the last pass (shops whose
   * master is WooCommerce), and Rackbeat products updated since the last pass (shops whose master
   * is Rackbeat). Each becomes a job, so one bad product never stops the pass.
   */
  async function periodicPass(ctx: BridgeContext): Promise<void> {
    const shops = await ctx.shops.list();
    const startedAt = new Date(ctx.now() - 60_000).toISOString();
    for (const shop of shops) {
      const settings = parseShopSettings(shop.settings).products;
      if (settings.master !== "woo_to_rackbeat") continue;
      const cursorKey = `products.pass.woo.${shop.id}`;
      const since = (await ctx.account.get<string>(cursorKey)) ?? new Date(shop.pairedAt).toISOString();
      const catalog = await catalogFor(ctx, shop.id);
      for (let page = 1; ; page++) {
        const listing = await catalog.productsPage(page, 100, { modifiedAfter: since });
        await ctx.queue.enqueueMany(
          listing.items.map((p) => ({
            kind: PRODUCT_FROM_WOO_JOB,
            idempotencyKey: `products-pass:${shop.id}:${p.id}:${p.dateModified}`,
            payload: { shopId: shop.id, wooId: p.id, parentId: null },
            shopId: shop.id,
            subject: { type: "product", id: String(p.id) },
            priority: -1,
          })),
        );
        if (listing.items.length === 0 || page >= listing.totalPages) break;
      }
      await ctx.account.set(cursorKey, startedAt);
    }
    if (shops.some((s) => parseShopSettings(s.settings).products.master === "rackbeat_to_woo")) {
      const cursorKey = "products.pass.rackbeat";
      const since = (await ctx.account.get<string>(cursorKey)) ?? new Date(0).toISOString();
      const rackbeat = await rackbeatOf(ctx);
      const from = since.replace("T", " ").slice(0, 19);
      for await (const p of rackbeat.iterateProducts({ filters: { updated_at_from: from } }, { priority: "bulk" })) {
        await ctx.queue.enqueue({
          kind: PRODUCT_FROM_RACKBEAT_JOB,
          idempotencyKey: `products-pass:rackbeat:${p.number}:${p.updated_at ?? ""}`,
          payload: { key: String(p.number) },
          priority: -1,
        });
      }
      await ctx.account.set(cursorKey, startedAt);
    }
  }
}

export const productsFeature = createProductsFeature();

/**
 * For the orders exporter: when WooCommerce is the product master and an order holds a SKU
 * Rackbeat does not have yet, the product is created in Rackbeat before the order (design.md §4).
 * Returns what happened; `not_master` and `exists` write nothing.
 */
export async function ensureRackbeatProduct(
  ctx: BridgeContext,
  shopId: string,
  sku: string,
  deps: { catalog?: WooCatalog; rackbeat?: RackbeatClient } = {},
): Promise<{ sku: string; result: "not_master" | "exists" | "created" | "not_in_shop" }> {
  const { settings } = await settingsOf(ctx, shopId);
  if (settings.master !== "woo_to_rackbeat") return { sku, result: "not_master" };
  const rackbeat = deps.rackbeat ?? (await rackbeatClient(ctx));
  if (await readComparable(rackbeat, sku, "live")) return { sku, result: "exists" };
  const catalog = deps.catalog ?? (await wooCatalogFactory(ctx)(shopId));
  const matches = (await catalog.findBySku(sku)).filter((m) => m.type === "simple" || m.type === "variation");
  const item = matches[0];
  if (!item) return { sku, result: "not_in_shop" };
  const parent = item.parentId ? await catalog.item(item.parentId) : undefined;
  await syncItemToRackbeat(
    { shopId, settings, units: await catalog.units(), groups: new GroupVatRates(rackbeat), links: new ProductLinks(ctx.store.db, ctx.now), rackbeat, priority: "live" },
    item,
    parent,
    matches.length - 1,
    null,
  );
  return { sku, result: "created" };
}
