import type { StockSettings } from "../../settings/stock-settings.js";
import type { RackbeatStockReads } from "./rackbeat-item-reader.js";
import { figuresOf } from "./rackbeat-item-reader.js";
import { LocationFiguresMissing, shopStockFigure } from "./stock-figure.js";
import type { StockFanout } from "./stock-fanout.js";
import type { DriftRow, StockStore } from "./stock-store.js";
import type { WooStockItem, WooStockPort } from "./woo-stock-port.js";


/**
 * Which drift to correct: "safe" (the schedule: too high at once, too low only after a while),
 * "all" (a person asked for every SKU), the SKUs a person chose, or "none" (report only).
 */
export type ReconcileFix = "safe" | "all" | "none" | { skus: string[] };
export interface ReconcileReport {
  shop_id: string;
  checked_at: number;
  linked: number;
  in_step: number;
  drift: number;
  fixed: number;
  unknown_in_rackbeat: number;
  not_in_shop: number;
}

/** A shop showing less than the figure may hold an order the bridge has not heard of yet. */
export const RAISE_ONLY_AFTER_MS = 10 * 60_000;

/**
 * Compares Rackbeat's figure with each shop's for every SKU, reading both sides page by page
 * (Rackbeat at "bulk" priority, so live stock traffic goes first on the shared rate limit).
 *
 * Fixing: a shop showing MORE than the figure is fixed at once (it could oversell). A shop showing
 * LESS may be right for a moment — WooCommerce lowered it for an order whose event has not reached
 * the bridge yet — so it is raised only when the drift was already there RAISE_ONLY_AFTER_MS ago,
 * or when a person asks (`POST …/reconcile/stock/fix`).
 */
export class StockReconciler {
  constructor(
    private readonly deps: {
      store: StockStore;
      fanout: StockFanout;
      woo: WooStockPort;
      rackbeat: () => Promise<RackbeatStockReads>;
      now: () => number;
    },
  ) {}

  /** Reads all of Rackbeat's stock figures (bulk priority) into the store. */
  async readRackbeat(signal?: AbortSignal): Promise<Set<string>> {
    const client = await this.deps.rackbeat();
    const seq = this.deps.store.nextFetchSeq();
    const seen = new Set<string>();
    for await (const p of client.iterateProductStock({}, { priority: "bulk", ...(signal ? { signal } : {}) })) {
      seen.add(p.number);
      await this.deps.store.saveItem(p.number, figuresOf(p), seq);
    }
    return seen;
  }

  async reconcileShop(
    shopId: string,
    settings: StockSettings,
    options: { fix: ReconcileFix; rackbeatSkus?: Set<string>; signal?: AbortSignal },
  ): Promise<ReconcileReport> {
    const { store, woo } = this.deps;
    const shopItems: WooStockItem[] = [];
    for await (const item of woo.listStockItems(shopId, options.signal ? { signal: options.signal } : {})) shopItems.push(item);
    await store.replaceLinks(
      shopId,
      shopItems.map((i) => ({ sku: i.sku, wooId: i.id, parentId: i.parentId, manageStock: i.manageStock })),
    );
    const rackbeatSkus = options.rackbeatSkus ?? (await this.readRackbeat(options.signal));
    const skus = shopItems.map((i) => i.sku);
    const [items, inFlight, links] = await Promise.all([store.items(skus), store.inFlight(skus), store.linksForShop(shopId)]);
    const linkBySku = new Map(links.map((l) => [l.sku, l]));
    const previous = new Map((await store.drift(shopId, { limit: 100_000 })).filter((d) => d.fixedAt === null).map((d) => [`${d.kind}:${d.sku}`, d]));
    const now = this.deps.now();
    const rows: Omit<DriftRow, "shopId" | "fixedAt">[] = [];
    const toFix: string[] = [];
    let inStep = 0;
    const baseline: { sku: string; value: number }[] = [];
    const sold = new Set(skus);

    for (const shopItem of shopItems) {
      const item = items.get(shopItem.sku);
      const link = linkBySku.get(shopItem.sku);
      if (!item || !rackbeatSkus.has(shopItem.sku)) {
        rows.push({ sku: shopItem.sku, kind: "unknown_in_rackbeat", rackbeat: null, shop: shopItem.stockQuantity, lastWrite: link?.lastWritten ?? null, lastWriteAt: link?.lastWrittenAt ?? null, foundAt: now });
        continue;
      }
      let figure: number;
      try {
        figure = shopStockFigure(item, settings, inFlight.get(shopItem.sku));
      } catch (error) {
        if (error instanceof LocationFiguresMissing) continue; // read per item by the live path
        throw error;
      }
      if (shopItem.manageStock && shopItem.stockQuantity === figure) {
        inStep++;
        if (link?.lastWritten !== figure) baseline.push({ sku: shopItem.sku, value: figure });
        continue;
      }
      const shown = shopItem.manageStock ? shopItem.stockQuantity : null;
      rows.push({ sku: shopItem.sku, kind: "drift", rackbeat: figure, shop: shown, lastWrite: link?.lastWritten ?? null, lastWriteAt: link?.lastWrittenAt ?? null, foundAt: now });
      const earlier = previous.get(`drift:${shopItem.sku}`);
      const tooHigh = shown === null || shown > figure;
      const fix = options.fix;
      const chosen = typeof fix === "object" && fix.skus.includes(shopItem.sku);
      if (fix === "all" || chosen || (fix === "safe" && (tooHigh || (earlier !== undefined && now - earlier.foundAt >= RAISE_ONLY_AFTER_MS)))) {
        toFix.push(shopItem.sku);
      }
    }
    let notInShop = 0;
    for (const sku of rackbeatSkus) {
      if (sold.has(sku)) continue;
      notInShop++;
      if (notInShop <= 1000) rows.push({ sku, kind: "not_in_shop", rackbeat: null, shop: null, lastWrite: null, lastWriteAt: null, foundAt: now });
    }
    await store.replaceDrift(shopId, rows);
    if (baseline.length > 0) await store.setBaseline(shopId, baseline);
    if (toFix.length > 0) {
      // What the bridge last wrote no longer describes the shop: write the figure again.
      await store.forgetWritten(shopId, toFix);
      await this.deps.fanout.markDirty(toFix, { shopIds: [shopId], delayMs: 0 });
    }
    return {
      shop_id: shopId,
      checked_at: now,
      linked: shopItems.length,
      in_step: inStep,
      drift: rows.filter((r) => r.kind === "drift").length,
      fixed: toFix.length,
      unknown_in_rackbeat: rows.filter((r) => r.kind === "unknown_in_rackbeat").length,
      not_in_shop: notInShop,
    };
  }
}
