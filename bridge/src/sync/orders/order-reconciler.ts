import type { AccountSettings } from "../../shops/account.js";
import type { Shops } from "../../shops/shops.js";
import { parseShopSettings } from "../../settings/shop-settings.js";
import type { OrderLinks } from "./order-links.js";
import { orderQualifies } from "./order-qualifies.js";
import { parseWooOrder, type WooOrder } from "./woo-order.js";
import type { WooOrdersPort } from "./woo-orders-port.js";

/**
 * Catch-up (design.md §2, issue 5): pages the shop's orders modified after a cursor — never before
 * "transfer orders created from" — and lists those that qualify and have no Rackbeat order. The
 * feature's task enqueues them for export; the reconcile routes show and send them.
 *
 * The cursor is the newest `date_modified_gmt` seen minus an overlap (WooCommerce stores whole
 * seconds and writes can land out of order), kept per shop in the account table.
 */

export interface MissingOrder {
  id: number;
  number: string;
  status: string;
  date_created: string | null;
  total: string;
  currency: string;
}

export interface ReconcilerDeps {
  shops: Pick<Shops, "get">;
  account: Pick<AccountSettings, "get" | "set">;
  links: OrderLinks;
  woo: WooOrdersPort;
}

const OVERLAP_MS = 10 * 60_000;
const cursorKey = (shopId: string) => `orders.reconcile.cursor.${shopId}`;

function gmtMs(value: unknown): number | null {
  if (typeof value !== "string" || value === "") return null;
  const t = Date.parse(/(Z|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value}Z`);
  return Number.isNaN(t) ? null : t;
}

export class OrderReconciler {
  constructor(private readonly deps: ReconcilerDeps) {}

  /**
   * Orders missing in Rackbeat. `fromCursor` false scans from the created-from date (the route's
   * full view); true continues after the stored cursor (the scheduled pass) and advances it.
   */
  async missing(shopId: string, options: { fromCursor: boolean; maxPages?: number; signal?: AbortSignal }): Promise<MissingOrder[]> {
    const shop = await this.deps.shops.get(shopId);
    if (!shop?.connected) return [];
    const settings = parseShopSettings(shop.settings).orders;
    if (settings.exportMode === "off") return [];
    const createdFrom = settings.transferOrdersCreatedFrom;
    const floor = createdFrom ? Date.parse(`${createdFrom}T00:00:00Z`) - 24 * 3600_000 : 0;
    const cursor = options.fromCursor ? ((await this.deps.account.get<number>(cursorKey(shopId))) ?? 0) : 0;
    const since = Math.max(floor, cursor - OVERLAP_MS);
    const missing: MissingOrder[] = [];
    let newest = cursor;
    const maxPages = options.maxPages ?? 20;
    for (let page = 1; page <= maxPages; page++) {
      const result = await this.deps.woo.listOrders(
        shopId,
        { ...(since > 0 ? { modifiedAfter: new Date(since).toISOString() } : {}), statuses: settings.transferOnStatuses, page, perPage: 100 },
        { ...(options.signal ? { signal: options.signal } : {}) },
      );
      const orders: WooOrder[] = [];
      for (const raw of result.orders) {
        const modified = gmtMs((raw as { date_modified_gmt?: unknown }).date_modified_gmt);
        if (modified !== null && modified > newest) newest = modified;
        try {
          orders.push(parseWooOrder(raw));
        } catch {
          // An unreadable order is reported by its export job, not here.
          const id = Number((raw as { id?: unknown }).id);
          if (Number.isInteger(id) && id > 0) missing.push({ id, number: String(id), status: "unknown", date_created: null, total: "", currency: "" });
        }
      }
      const links = await this.deps.links.many(shopId, orders.map((o) => o.id));
      for (const order of orders) {
        if (links.get(order.id)?.state === "exported" || links.get(order.id)?.state === "deleted") continue;
        // The reconciler's trigger honours every setting (statuses, created-from, manual only).
        const verdict = orderQualifies(order, settings, { trigger: "reconcile" });
        if (!verdict.ok) continue;
        missing.push({ id: order.id, number: order.number, status: order.status, date_created: order.date_created ?? null, total: order.total.toFixed(2), currency: order.currency });
      }
      if (page >= result.totalPages || result.orders.length === 0) break;
    }
    if (options.fromCursor && newest > cursor) await this.deps.account.set(cursorKey(shopId), newest);
    return missing;
  }
}
