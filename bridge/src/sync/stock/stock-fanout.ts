import { RateLimited, errorMessage } from "../../lib/errors.js";
import type { Logger } from "../../observability/logger.js";
import type { StockSettings } from "../../settings/stock-settings.js";
import { LocationFiguresMissing, shopStockFigure } from "./stock-figure.js";
import type { StockStore } from "./stock-store.js";
import { WOO_BATCH_LIMIT, type WooStockPort, type WooStockWrite, batchWrites } from "./woo-stock-port.js";

export interface FanoutDeps {
  store: StockStore;
  woo: WooStockPort;
  /** The shop's stock settings; undefined for unknown or disconnected shops. */
  settingsOf: (shopId: string) => Promise<StockSettings | undefined>;
  log: Logger;
  /** How long changes for one shop are gathered before they are written together. */
  coalesceMs: number;
  /** Batch calls in flight at once per shop. */
  parallelCallsPerShop?: number;
  /** SKUs whose figure needs stock per location that was not read yet. */
  onLocationsMissing?: (skus: string[]) => void;
  /**
   * Runs one shop's write alone across every process sharing the store, or answers `{ ran: false }`
   * while another process writes that shop (set on PostgreSQL; one SQLite process needs none).
   */
  exclusive?: (shopId: string, work: () => Promise<void>) => Promise<{ ran: boolean }>;
}

/** More SKUs than this arriving for one shop within one window means a burst is under way. */
const BURST_ARRIVALS_PER_WINDOW = 10;
/** The longest a burst's remainder waits for a full batch (in windows) when no call goes out meanwhile. */
const BURST_MAX_HOLD_WINDOWS = 25;
/** A burst is taken to last this many windows past the last busy one (a slow window does not end it). */
const BURST_TAIL_WINDOWS = 5;
/** SKUs lowered by an order may wait for a burst's full batch only with at least this many SKUs pending. */
const URGENT_WAIT_MIN_PENDING = 10;
/** The longest SKUs lowered by an order wait for a full batch during a burst (in windows). */
const URGENT_MAX_WAIT_WINDOWS = 2;

export interface FanoutStats {
  /** Batch calls made to WooCommerce (successful or not). */
  calls: number;
  /** Items written (a changed figure reaching a shop). */
  writes: number;
  failedCalls: number;
  /** Items skipped because the shop already had the figure. */
  unchanged: number;
}

/**
 * Writes Rackbeat's figures to every shop that sells a SKU. Changes are gathered per shop for
 * `coalesceMs`, the figure is computed right before the call (never carried from an earlier moment:
 * an old absolute figure must not overwrite a decrement WooCommerce made since), only figures that
 * differ from what the bridge last wrote go out, in batch calls of ≤ 100, variations through their
 * parent's variation batch. One shop's writes never overlap: within the process a shop flushes
 * once at a time; across processes (`exclusive`) a shop another process is writing is tried again
 * after the window — otherwise an older figure could reach the shop after a newer one, while the
 * newer one is recorded as written, and stay there.
 */
export class StockFanout {
  readonly stats: FanoutStats = { calls: 0, writes: 0, failedCalls: 0, unchanged: 0 };
  /** Called after each successful batch call, with the SKUs written (benchmarks, tests). */
  onWritten: ((shopId: string, writes: WooStockWrite[]) => void) | undefined;
  private readonly dirty = new Map<string, Set<string>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly flushing = new Map<string, Promise<void>>();
  private readonly retryDelay = new Map<string, number>();
  /** SKUs added per shop since its last flush, and since when a remainder has been held back. */
  private readonly added = new Map<string, number>();
  private readonly holdingSince = new Map<string, number>();
  /** Until when each shop is taken to be in a burst (BURST_TAIL_WINDOWS past its last busy window). */
  private readonly burstUntil = new Map<string, number>();
  /** Per shop, SKUs lowered by an order in flight: they go first into the next call. */
  private readonly urgent = new Map<string, Set<string>>();
  /** Since when a shop's urgent SKUs have waited for a full batch (bursts only). */
  private readonly urgentSince = new Map<string, number>();
  private readonly idleWaiters: (() => void)[] = [];
  private closed = false;

  constructor(private readonly deps: FanoutDeps) {}

  /** Marks SKUs changed for every shop that sells them (or only `shopIds`). */
  async markDirty(skus: string[], options: { shopIds?: string[]; delayMs?: number } = {}): Promise<void> {
    if (skus.length === 0 || this.closed) return;
    const links = await this.deps.store.linksForSkus(skus);
    const only = options.shopIds ? new Set(options.shopIds) : undefined;
    const byShop = new Map<string, string[]>();
    for (const link of links) {
      if (only && !only.has(link.shopId)) continue;
      let list = byShop.get(link.shopId);
      if (!list) byShop.set(link.shopId, (list = []));
      list.push(link.sku);
    }
    for (const [shopId, list] of byShop) this.add(shopId, list, options.delayMs ?? this.deps.coalesceMs);
  }

  /** Pending SKUs over all shops (status, tests). */
  pending(): number {
    let n = 0;
    for (const set of this.dirty.values()) n += set.size;
    return n;
  }

  /** Resolves when nothing is pending or being written. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Writes a shop's pending SKUs now instead of after the window. */
  async flushNow(shopId: string): Promise<void> {
    const timer = this.timers.get(shopId);
    if (timer) clearTimeout(timer);
    this.timers.delete(shopId);
    await this.flushing.get(shopId);
    await this.flush(shopId);
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.dirty.clear();
    this.settleIdle();
  }

  private isIdle(): boolean {
    return this.pending() === 0 && this.flushing.size === 0 && this.timers.size === 0;
  }

  private settleIdle(): void {
    if (!this.isIdle()) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private add(shopId: string, skus: string[], delayMs: number): void {
    let set = this.dirty.get(shopId);
    if (!set) this.dirty.set(shopId, (set = new Set()));
    for (const s of skus) set.add(s);
    this.added.set(shopId, (this.added.get(shopId) ?? 0) + skus.length);
    if (delayMs === 0) {
      let u = this.urgent.get(shopId);
      if (!u) this.urgent.set(shopId, (u = new Set()));
      for (const s of skus) u.add(s);
      if (!this.urgentSince.has(shopId)) this.urgentSince.set(shopId, Date.now());
    }
    this.schedule(shopId, delayMs);
  }

  private schedule(shopId: string, delayMs: number): void {
    if (this.closed || this.timers.has(shopId)) return;
    // A flush in progress reschedules itself when it ends.
    if (this.flushing.has(shopId)) return;
    const timer = setTimeout(() => {
      this.timers.delete(shopId);
      void this.flush(shopId);
    }, delayMs);
    this.timers.set(shopId, timer);
  }

  private async flush(shopId: string): Promise<void> {
    if (this.flushing.has(shopId)) return;
    const set = this.dirty.get(shopId);
    if (!set || set.size === 0) {
      this.settleIdle();
      return;
    }
    const urgent = this.urgent.get(shopId);
    this.urgent.delete(shopId);
    let skus = urgent ? [...urgent, ...[...set].filter((s) => !urgent.has(s))].filter((s) => set.has(s)) : [...set];
    this.dirty.delete(shopId);
    // While a burst is arriving (many SKUs came in during the last window), write whole batches of
    // 100 only and keep the remainder for a later window, so each call carries a full batch; once
    // arrivals slow down (the burst ends BURST_TAIL_WINDOWS windows after the last busy one), everything pending
    // goes, and nothing waits longer than BURST_MAX_HOLD_WINDOWS windows.
    // SKUs lowered by an order in flight lead the list. Outside a burst they go at once (no window).
    // In a burst with many SKUs pending they ride the next full batch — which leaves
    // within a window or two while SKUs pour in — and force a call of their own (filled up to 100
    // with the others) only after waiting URGENT_MAX_WAIT_WINDOWS windows. A call per order per shop would otherwise double the calls of
    // a burst that coincides with orders (20 shops × 2 orders/s), while the wait stays well inside
    // the time a change needs to travel anyway.
    const arrived = this.added.get(shopId) ?? 0;
    this.added.set(shopId, 0);
    const now = Date.now();
    if (arrived >= BURST_ARRIVALS_PER_WINDOW) this.burstUntil.set(shopId, now + BURST_TAIL_WINDOWS * this.deps.coalesceMs);
    const burst = now < (this.burstUntil.get(shopId) ?? 0);
    const since = this.holdingSince.get(shopId) ?? now;
    const urgentCount = urgent ? skus.filter((s) => urgent.has(s)).length : 0;
    const urgentSince = this.urgentSince.get(shopId) ?? now;
    const whole = skus.length - (skus.length % WOO_BATCH_LIMIT);
    // Waiting only pays while many different SKUs are pending; a few SKUs lowered while little else
    // is pending — low stock selling fast, the same SKUs again and again — go at once.
    const urgentMayWait = burst && skus.length >= URGENT_WAIT_MIN_PENDING;
    const urgentDue = urgentCount > 0 && (!urgentMayWait || now - urgentSince >= URGENT_MAX_WAIT_WINDOWS * this.deps.coalesceMs);
    const withUrgent = urgentDue ? Math.min(skus.length, Math.ceil(urgentCount / WOO_BATCH_LIMIT) * WOO_BATCH_LIMIT) : 0;
    const take = Math.max(whole, withUrgent);
    if (burst && take < skus.length && now - since < BURST_MAX_HOLD_WINDOWS * this.deps.coalesceMs) {
      const held = skus.slice(take);
      this.dirty.set(shopId, new Set(held));
      skus = skus.slice(0, take);
      this.holdingSince.set(shopId, take > 0 ? now : since);
      const stillUrgent = urgent ? held.filter((s) => urgent.has(s)) : [];
      if (stillUrgent.length > 0) {
        this.urgent.set(shopId, new Set(stillUrgent));
        this.urgentSince.set(shopId, urgentSince);
      } else this.urgentSince.delete(shopId);
    } else {
      this.holdingSince.delete(shopId);
      this.urgentSince.delete(shopId);
    }
    if (skus.length === 0) {
      this.schedule(shopId, this.deps.coalesceMs);
      return;
    }
    const run = this.write(shopId, skus)
      .catch((error: unknown) => {
        this.deps.log.error({ shop: shopId, err: errorMessage(error) }, "stock fan-out failed; will try again");
        this.add(shopId, skus, this.nextRetryDelay(shopId, error));
      })
      .finally(() => {
        this.flushing.delete(shopId);
        const again = this.dirty.get(shopId);
        if (again && again.size > 0) this.schedule(shopId, this.retryDelay.has(shopId) ? this.retryDelay.get(shopId)! : this.deps.coalesceMs);
        this.settleIdle();
      });
    this.flushing.set(shopId, run);
    await run;
  }

  private nextRetryDelay(shopId: string, error: unknown): number {
    if (error instanceof RateLimited && error.retryAfterMs !== undefined) return error.retryAfterMs;
    const previous = this.retryDelay.get(shopId);
    const next = Math.min(60_000, previous === undefined ? 500 : previous * 2);
    this.retryDelay.set(shopId, next);
    return next;
  }

  private async write(shopId: string, skus: string[]): Promise<void> {
    const exclusive = this.deps.exclusive;
    if (!exclusive) return this.writeNow(shopId, skus);
    const outcome = await exclusive(shopId, () => this.writeNow(shopId, skus));
    // Another process is writing this shop: after it (its figures are read when its turn comes).
    if (!outcome.ran) this.add(shopId, skus, this.deps.coalesceMs);
  }

  private async writeNow(shopId: string, skus: string[]): Promise<void> {
    const { store, log } = this.deps;
    const settings = await this.deps.settingsOf(shopId);
    if (!settings || !settings.sync) return;
    // Read the figures as late as possible: this is "now" for every write below.
    const [links, items, inFlight] = await Promise.all([store.linksForSkus(skus, shopId), store.items(skus), store.inFlight(skus)]);
    const writes: WooStockWrite[] = [];
    const missingLocations: string[] = [];
    for (const link of links) {
      const item = items.get(link.sku);
      if (!item) continue; // not (yet) known in Rackbeat: the reconciler reports it
      let figure: number;
      try {
        figure = shopStockFigure(item, settings, inFlight.get(link.sku));
      } catch (error) {
        if (error instanceof LocationFiguresMissing) {
          missingLocations.push(link.sku);
          continue;
        }
        throw error;
      }
      if (link.lastWritten === figure && link.manageStock) {
        this.stats.unchanged++;
        continue;
      }
      writes.push({ id: link.wooId, parentId: link.parentId, sku: link.sku, stockQuantity: figure });
    }
    if (missingLocations.length > 0) this.deps.onLocationsMissing?.(missingLocations);

    const calls = batchWrites(writes);
    const parallel = Math.max(1, this.deps.parallelCallsPerShop ?? 4);
    const failedSkus: string[] = [];
    let failure: unknown;
    let next = 0;
    const worker = async () => {
      while (next < calls.length) {
        const call = calls[next++]!;
        this.stats.calls++;
        try {
          const result = await this.deps.woo.writeStock(shopId, call);
          this.stats.writes += result.written.length;
          await store.recordWritten(shopId, result.written.map((w) => ({ sku: w.sku, value: w.stockQuantity })));
          for (const f of result.failed) {
            // The product is gone or refuses stock: unlink it; the reconciler relinks what still sells.
            log.warn({ shop: shopId, sku: f.write.sku, woo_id: f.write.id, code: f.code }, "shop refused a stock write for one item; unlinked");
            await store.removeLink(shopId, f.write.sku);
          }
          this.onWritten?.(shopId, result.written);
        } catch (error) {
          this.stats.failedCalls++;
          failure = error;
          failedSkus.push(...call.map((w) => w.sku));
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallel, calls.length) }, worker));
    if (failure !== undefined) {
      log.warn({ shop: shopId, items: failedSkus.length, err: errorMessage(failure) }, "stock write to shop failed; retrying");
      this.add(shopId, failedSkus, this.nextRetryDelay(shopId, failure));
    } else {
      this.retryDelay.delete(shopId);
    }
  }
}
