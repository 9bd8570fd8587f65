import { rackbeatClient } from "../../account/rackbeat-account.js";
import type { BridgeContext } from "../../context.js";
import { errorMessage } from "../../lib/errors.js";
import { type ReceiverStats, WebhookTokens, ensureWebhooks, lastWebhookHealth } from "../../rackbeat-webhooks/index.js";
import type { RackbeatProduct } from "../../rackbeat/index.js";
import { parseShopSettings } from "../../settings/shop-settings.js";
import { withRowLease } from "../../store/leases.js";
import type { StockSettings } from "../../settings/stock-settings.js";
import { RackbeatItemReader, type RackbeatStockReads, figuresOf } from "./rackbeat-item-reader.js";
import { StockFanout } from "./stock-fanout.js";
import { type ReconcileFix, type ReconcileReport, StockReconciler } from "./stock-reconciler.js";
import { StockReservations } from "./stock-reservations.js";
import { StockStore } from "./stock-store.js";
import type { WooStockPort } from "./woo-stock-port.js";
import { wooStockAdapter } from "./woo-stock-adapter.js";

export interface StockOptions {
  /** How long changes are gathered per shop before one batch write. Default 200 ms. */
  coalesceMs?: number;
  /** Polling interval when webhooks cannot be used. Default 30 s. */
  pollEveryMs?: number;
  /** Webhook health check (and registration). Default 5 minutes. */
  webhookCheckEveryMs?: number;
  /** Scheduled reconciliation. Default 1 hour. */
  reconcileEveryMs?: number;
  /** Writes the bridge made itself that come back as shop events within this window are echoes. Default 2 min. */
  echoWindowMs?: number;
  /** The WooCommerce port; default the adapter over the project's WooCommerce client. */
  woo?: (ctx: BridgeContext) => WooStockPort;
  /** The Rackbeat reads; default the account's shared client. */
  rackbeat?: (ctx: BridgeContext) => Promise<RackbeatStockReads>;
}

export type StockMode = { mode: "webhooks" | "polling"; reason: string };

const POLL_CURSOR_KEY = "stock.poll.cursor";
const FANOUT_LEASE_MS = 5_000;
const POLL_STATE_KEY = "stock.poll.last";

/**
 * Stock for one bridge: Rackbeat figures in, every shop's figure out. Made once per bridge context
 * (`stockService(ctx)`); the orders exporter and the products feature use its public parts:
 *
 *   stockService(ctx).reservations.start / settle / release      orders in flight
 *   stockService(ctx).refreshItems(skus)                          re-read and fan out (after Rackbeat writes)
 *   stockService(ctx).fanOutProducts(products)                    fan out figures already at hand
 *   stockService(ctx).isOwnWrite(shopId, wooId)                   echo guard for shop product events
 */
export class StockService {
  readonly store: StockStore;
  readonly reader: RackbeatItemReader;
  readonly fanout: StockFanout;
  readonly reservations: StockReservations;
  readonly reconciler: StockReconciler;
  readonly tokens: WebhookTokens;
  readonly receiverStats: ReceiverStats = { accepted: 0, coalesced: 0, refused: 0, lastDeliveryAt: null };
  readonly options: Required<Omit<StockOptions, "woo" | "rackbeat">>;
  private readonly settingsCache = new Map<string, { at: number; settings: StockSettings | undefined }>();
  private wooPort: WooStockPort | undefined;

  constructor(
    private readonly ctx: BridgeContext,
    private readonly given: StockOptions = {},
  ) {
    this.options = {
      coalesceMs: given.coalesceMs ?? 200,
      pollEveryMs: given.pollEveryMs ?? 30_000,
      webhookCheckEveryMs: given.webhookCheckEveryMs ?? 5 * 60_000,
      reconcileEveryMs: given.reconcileEveryMs ?? 3_600_000,
      echoWindowMs: given.echoWindowMs ?? 120_000,
    };
    this.store = new StockStore(ctx.store.db, ctx.now);
    this.tokens = new WebhookTokens(ctx);
    const rackbeat = () => this.rackbeat();
    const woo: WooStockPort = {
      listStockItems: (shopId, o) => this.woo().listStockItems(shopId, o),
      findBySku: (shopId, sku) => this.woo().findBySku(shopId, sku),
      writeStock: (shopId, writes) => this.woo().writeStock(shopId, writes),
    };
    this.reader = new RackbeatItemReader({ store: this.store, rackbeat, needLocations: () => this.needLocations() });
    this.fanout = new StockFanout({
      store: this.store,
      woo,
      settingsOf: (shopId) => this.settingsOf(shopId),
      log: ctx.log,
      coalesceMs: this.options.coalesceMs,
      onLocationsMissing: (skus) => void this.refreshItems(skus).catch((e: unknown) => ctx.log.warn({ err: errorMessage(e) }, "stock per location could not be read")),
      // Several processes share a PostgreSQL store: one writes a shop's stock at a time (a lease
      // row, so no connection is held during the shop's calls; a killed holder blocks ≤ 5 s).
      ...(ctx.store.pg ? { exclusive: (shopId: string, work: () => Promise<void>) => withRowLease(ctx.store, `stock-fanout:${shopId}`, work, { ttlMs: FANOUT_LEASE_MS }) } : {}),
    });
    this.reservations = new StockReservations({ store: this.store, reader: this.reader, fanout: this.fanout });
    this.reconciler = new StockReconciler({ store: this.store, fanout: this.fanout, woo, rackbeat, now: ctx.now });
  }

  woo(): WooStockPort {
    if (!this.wooPort) {
      this.wooPort = (this.given.woo ?? wooStockAdapter)(this.ctx);
    }
    return this.wooPort;
  }

  rackbeat(): Promise<RackbeatStockReads> {
    return this.given.rackbeat ? this.given.rackbeat(this.ctx) : rackbeatClient(this.ctx);
  }

  /** A shop's stock settings (cached for a second: fan-out asks on every flush). */
  async settingsOf(shopId: string): Promise<StockSettings | undefined> {
    const cached = this.settingsCache.get(shopId);
    if (cached && Date.now() - cached.at < 1_000) return cached.settings;
    const shop = await this.ctx.shops.get(shopId);
    let settings: StockSettings | undefined;
    if (shop?.connected) {
      try {
        settings = parseShopSettings(shop.settings ?? {}).stock;
      } catch (error) {
        this.ctx.log.warn({ shop: shopId, err: errorMessage(error) }, "shop settings invalid; stock not written");
      }
    }
    this.settingsCache.set(shopId, { at: Date.now(), settings });
    return settings;
  }

  private async allSettings(): Promise<{ shopId: string; settings: StockSettings }[]> {
    const out: { shopId: string; settings: StockSettings }[] = [];
    for (const shop of await this.ctx.shops.list()) {
      const settings = await this.settingsOf(shop.id);
      if (settings?.sync) out.push({ shopId: shop.id, settings });
    }
    return out;
  }

  async needLocations(): Promise<boolean> {
    return (await this.allSettings()).some((s) => s.settings.locations !== "all");
  }

  async anyOnHand(): Promise<boolean> {
    return (await this.allSettings()).some((s) => s.settings.figure === "on_hand");
  }

  /** Re-reads items from Rackbeat and fans their figures out (after the bridge wrote to Rackbeat). */
  async refreshItems(skus: string[], options: { signal?: AbortSignal } = {}): Promise<{ missing: string[] }> {
    const result = await this.reader.refresh(skus, options);
    await this.fanout.markDirty(skus);
    return result;
  }

  /**
   * Fans out figures the bridge already holds — e.g. the products a `suppress_webhooks` write
   * returned — without reading them again. Take the ticket before the write was sent.
   */
  async fanOutProducts(products: Pick<RackbeatProduct, "number" | "stock_quantity" | "in_order_quantity" | "available_quantity">[], fetchSeq?: number): Promise<void> {
    const seq = fetchSeq ?? this.store.nextFetchSeq();
    if ((await this.needLocations()) && products.length > 0) {
      await this.refreshItems(products.map((p) => p.number));
      return;
    }
    await this.reader.remember(products, seq);
    await this.fanout.markDirty(products.map((p) => p.number));
  }

  /**
   * Echo guard: true when a shop's product event is the bridge's own stock write coming back
   * (the bridge wrote that product within the echo window and, when the shop's value is known,
   * that value is what the bridge wrote). Such events must not reach Rackbeat.
   */
  async isOwnWrite(shopId: string, wooId: number, stockQuantity?: number | null): Promise<boolean> {
    const link = await this.store.linkByWooId(shopId, wooId);
    if (!link || link.lastWrittenAt === null) return false;
    if (this.ctx.now() - link.lastWrittenAt > this.options.echoWindowMs) return false;
    return stockQuantity === undefined || stockQuantity === null || stockQuantity === link.lastWritten;
  }

  // ───────────── webhooks or polling ─────────────

  async mode(): Promise<StockMode> {
    if (!this.ctx.config.PUBLIC_URL) return { mode: "polling", reason: "PUBLIC_URL is not set, so Rackbeat cannot deliver webhooks to this bridge" };
    const health = await lastWebhookHealth(this.ctx);
    if (!health) return { mode: "polling", reason: "Rackbeat webhooks are not registered yet" };
    if (health.problem) return { mode: "polling", reason: health.problem };
    return { mode: "webhooks", reason: `Rackbeat delivers ${health.hooks.map((h) => h.event).join(", ")} to ${health.url}` };
  }

  /** Registers or repairs the webhooks (idempotent); needs a Rackbeat token and at least one shop. */
  async checkWebhooks(options: { force?: boolean } = {}) {
    const client = await rackbeatClient(this.ctx);
    return ensureWebhooks(this.ctx, this.tokens, client, options);
  }

  /**
   * One polling round: items Rackbeat changed since the cursor (with a small overlap, since
   * `updated_at` has whole seconds), their figures stored and fanned out. Returns the SKUs read.
   */
  async pollOnce(options: { signal?: AbortSignal } = {}): Promise<number> {
    const client = await this.rackbeat();
    const cursor = await this.ctx.account.get<string>(POLL_CURSOR_KEY);
    const seq = this.store.nextFetchSeq();
    const filters = cursor ? { updated_at_from: cursor } : {};
    let newest = cursor ? Date.parse(cursor.replace(" ", "T") + "Z") : 0;
    const changed: string[] = [];
    // A first round reads everything once (bulk); later rounds only what changed (live).
    const priority = cursor ? "live" : "bulk";
    for await (const p of client.iterateProductStock({ filters, orderBy: "updated_at", orderDirection: "ASC" }, { priority, ...(options.signal ? { signal: options.signal } : {}) })) {
      const before = (await this.store.items([p.number])).get(p.number);
      await this.store.saveItem(p.number, figuresOf(p), seq);
      if (!before || before.available_quantity !== Number(p.available_quantity) || before.stock_quantity !== Number(p.stock_quantity)) changed.push(p.number);
      const t = typeof p.updated_at === "string" ? Date.parse(p.updated_at.includes("T") ? p.updated_at : p.updated_at.replace(" ", "T") + "Z") : NaN;
      if (Number.isFinite(t) && t > newest) newest = t;
    }
    if (newest > 0) await this.ctx.account.set(POLL_CURSOR_KEY, formatRackbeatTime(newest - 2_000));
    await this.ctx.account.set(POLL_STATE_KEY, { at: this.ctx.now(), changed: changed.length });
    if (changed.length > 0) {
      if (await this.needLocations()) await this.reader.refresh(changed);
      await this.fanout.markDirty(changed);
    }
    return changed.length;
  }

  async lastPoll(): Promise<{ at: number; changed: number } | undefined> {
    return this.ctx.account.get(POLL_STATE_KEY);
  }

  /** Recomputes every linked SKU's figure against what was last written (no Rackbeat calls). */
  async sweep(): Promise<void> {
    await this.fanout.markDirty(await this.store.allItemSkus());
  }

  async reconcile(shopId: string, fix: ReconcileFix, rackbeatSkus?: Set<string>): Promise<ReconcileReport | undefined> {
    const settings = await this.settingsOf(shopId);
    if (!settings?.sync) return undefined;
    return this.reconciler.reconcileShop(shopId, settings, { fix, ...(rackbeatSkus ? { rackbeatSkus } : {}) });
  }

  async reconcileAll(): Promise<ReconcileReport[]> {
    const shops = await this.allSettings();
    if (shops.length === 0) return [];
    const rackbeatSkus = await this.reconciler.readRackbeat();
    const reports: ReconcileReport[] = [];
    // A few shops at a time: each is mostly waiting on its own WooCommerce pages.
    let next = 0;
    const worker = async () => {
      while (next < shops.length) {
        const { shopId } = shops[next++]!;
        try {
          const r = await this.reconcile(shopId, "safe", rackbeatSkus);
          if (r) reports.push(r);
        } catch (error) {
          this.ctx.log.warn({ shop: shopId, err: errorMessage(error) }, "stock reconciliation failed for shop");
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(4, shops.length) }, worker));
    return reports;
  }

  close(): void {
    this.fanout.close();
  }
}

/** Rackbeat's filter format, `YYYY-MM-DD HH:MM:SS` (UTC). */
function formatRackbeatTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}

const services = new WeakMap<BridgeContext, StockService>();

/** The stock service of this bridge (made on first use with the options the feature was built with). */
export function stockService(ctx: BridgeContext, options?: StockOptions): StockService {
  let service = services.get(ctx);
  if (!service) {
    service = new StockService(ctx, options);
    services.set(ctx, service);
  }
  return service;
}
