import { NEVER_TRANSFERRED_STATUSES, type OrderSettings } from "../../settings/order-settings.js";
import { localOrderDate } from "./woo-order-to-rackbeat-order.js";
import type { WooOrder } from "./woo-order.js";

/**
 * Whether an order should go to Rackbeat now (design.md §3 orders settings). Pure; the exporter
 * records the reason of a skip in the order's activity record.
 */

/** What asked for the export: the order's own events, the reconciler, or a person ("Send to Rackbeat"). */
export type ExportTrigger = "automatic" | "reconcile" | "manual";

export type SkipCode =
  | "export_off"
  | "export_manual_only"
  | "checkout_draft"
  | "not_an_order"
  | "status_not_transferred"
  | "never_transferred_status"
  | "created_before_transfer_date";

export type QualifyResult = { ok: true } | { ok: false; skip: true; code: SkipCode; reason: string };

export interface QualifyContext {
  trigger: ExportTrigger;
  /** The shop's IANA time zone, for orders without a local `date_created`. */
  shopTimeZone?: string;
}

/** Statuses a person cannot send either: the order is gone or never was. */
const NOT_SENDABLE = ["cancelled", "refunded", "failed"] as const;

function skip(code: SkipCode, reason: string): QualifyResult {
  return { ok: false, skip: true, code, reason };
}

export function orderQualifies(order: WooOrder, settings: OrderSettings, context: QualifyContext): QualifyResult {
  const status = order.status.replace(/^wc-/, "");
  if ((NEVER_TRANSFERRED_STATUSES as readonly string[]).includes(status)) {
    return skip("checkout_draft", `the order is a ${status} (a checkout in progress), not a placed order`);
  }
  if (order.parent_id !== 0) return skip("not_an_order", `the order belongs to order ${order.parent_id} (a refund or sub-order)`);
  if (settings.exportMode === "off") return skip("export_off", "order export is off for this shop");
  if (settings.exportMode === "manual" && context.trigger !== "manual") {
    return skip("export_manual_only", 'order export is manual only: use "Send to Rackbeat" on the order');
  }
  if (context.trigger === "manual") {
    // A person asked for this order: status and date filters do not apply, but a dead order is not sent.
    if ((NOT_SENDABLE as readonly string[]).includes(status)) {
      return skip("never_transferred_status", `a ${status} order is not sent to Rackbeat`);
    }
    return { ok: true };
  }
  if (!settings.transferOnStatuses.includes(status)) {
    return skip(
      "status_not_transferred",
      `status "${status}" is not one of the statuses orders are sent on (${settings.transferOnStatuses.join(", ")})`,
    );
  }
  const from = settings.transferOrdersCreatedFrom;
  if (from !== null) {
    const created = localOrderDate(order, context.shopTimeZone);
    if (created < from) {
      return skip("created_before_transfer_date", `the order was created on ${created}, before ${from} (transfer orders created from)`);
    }
  }
  return { ok: true };
}
