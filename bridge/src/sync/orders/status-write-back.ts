import type { OrderSettings } from "../../settings/order-settings.js";

/**
 * Rackbeat order progress → WooCommerce status (design.md §3 "status write-back"). Rackbeat has no
 * single status field (rackbeat-api.md §4.4): the stage is derived from its flags.
 */

export type RackbeatStage = "draft" | "booked" | "shipped" | "invoiced" | "cancelled";

export interface RackbeatOrderFlags {
  is_booked?: boolean | null;
  is_shipped?: boolean | null;
  is_invoiced?: boolean | null;
  is_cancelled?: boolean | null;
}

/** Every stage the order has reached, furthest first ("shipped" and "invoiced" can both be true). */
export function rackbeatStages(order: RackbeatOrderFlags): RackbeatStage[] {
  if (order.is_cancelled) return ["cancelled"];
  const stages: RackbeatStage[] = [];
  if (order.is_invoiced) stages.push("invoiced");
  if (order.is_shipped) stages.push("shipped");
  if (order.is_booked || order.is_invoiced || order.is_shipped) stages.push("booked");
  return stages.length > 0 ? stages : ["draft"];
}

/** WooCommerce statuses the bridge never moves an order out of. */
const FINAL_WOO_STATUSES = ["completed", "cancelled", "refunded", "failed", "trash"];

/**
 * The WooCommerce status to set for a Rackbeat order (a stage, or its flags), or null to leave the
 * order alone: write-back off, no mapping for any stage reached, the order already has that status,
 * or it is in a final status (completed, cancelled, refunded, failed) — the bridge never reopens or
 * moves a finished order. With several stages reached, the furthest one that has a mapping wins.
 */
export function rackbeatStatusToWooStatus(
  rackbeat: RackbeatStage | RackbeatOrderFlags,
  settings: OrderSettings,
  currentWooStatus?: string,
): string | null {
  const writeBack = settings.statusWriteBack;
  if (!writeBack.enabled) return null;
  const stages = typeof rackbeat === "string" ? [rackbeat] : rackbeatStages(rackbeat);
  let target: string | null = null;
  for (const stage of stages) {
    if (stage === "booked" || stage === "shipped" || stage === "invoiced") {
      const mapped = writeBack[stage];
      if (mapped) {
        target = mapped;
        break;
      }
    }
  }
  if (target === null) return null;
  const current = currentWooStatus?.replace(/^wc-/, "");
  if (current !== undefined && (current === target || FINAL_WOO_STATUSES.includes(current))) return null;
  return target;
}
