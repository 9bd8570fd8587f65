import { describe, it, expect } from "vitest";
import { defaultShopSettings } from "../../settings/shop-settings.js";
import type { OrderSettings } from "../../settings/order-settings.js";
import { wooOrderJson } from "../../../../test/orders-money/woo-order-builder.js";
import { parseWooOrder } from "./woo-order.js";
import { orderQualifies, type ExportTrigger } from "./order-qualifies.js";

const settings = (patch: Partial<OrderSettings> = {}): OrderSettings => ({ ...defaultShopSettings().orders, ...patch });
const check = (json: Record<string, unknown>, patch: Partial<OrderSettings> = {}, trigger: ExportTrigger = "automatic") =>
  orderQualifies(parseWooOrder(wooOrderJson(json)), settings(patch), { trigger, shopTimeZone: "Europe/Copenhagen" });

describe("orderQualifies", () => {
  it("passes a processing or completed order", () => {
    expect(check({ status: "processing" })).toEqual({ ok: true });
    expect(check({ status: "completed" })).toEqual({ ok: true });
  });

  it("skips statuses not transferred, with the reason", () => {
    expect(check({ status: "pending" })).toMatchObject({ ok: false, skip: true, code: "status_not_transferred" });
    expect(check({ status: "on-hold" }, { transferOnStatuses: ["on-hold"] })).toEqual({ ok: true });
    const r = check({ status: "on-hold" });
    expect(r.ok ? "" : r.reason).toBe('status "on-hold" is not one of the statuses orders are sent on (processing, completed)');
  });

  it("never sends checkout drafts, even by hand", () => {
    expect(check({ status: "checkout-draft" })).toMatchObject({ code: "checkout_draft" });
    expect(check({ status: "checkout-draft" }, {}, "manual")).toMatchObject({ code: "checkout_draft" });
  });

  it("follows the export mode", () => {
    expect(check({}, { exportMode: "off" })).toMatchObject({ code: "export_off" });
    expect(check({}, { exportMode: "off" }, "manual")).toMatchObject({ code: "export_off" });
    expect(check({}, { exportMode: "manual" })).toMatchObject({ code: "export_manual_only" });
    expect(check({}, { exportMode: "manual" }, "reconcile")).toMatchObject({ code: "export_manual_only" });
    expect(check({ status: "pending" }, { exportMode: "manual" }, "manual")).toEqual({ ok: true });
    expect(check({ status: "cancelled" }, {}, "manual")).toMatchObject({ code: "never_transferred_status" });
  });

  it("skips orders created before the transfer date, by the shop's local date", () => {
    const from = { transferOrdersCreatedFrom: "2026-11-26" };
    expect(check({ date_created: "2026-11-25T23:59:59" }, from)).toMatchObject({ code: "created_before_transfer_date" });
    expect(check({ date_created: "2026-11-26T00:00:01", date_created_gmt: "2026-11-25T23:00:01" }, from)).toEqual({ ok: true });
    // Manual sends ignore the date.
    expect(check({ date_created: "2020-01-01T10:00:00" }, from, "manual")).toEqual({ ok: true });
  });

  it("skips child orders", () => {
    expect(check({ parent_id: 12 })).toMatchObject({ code: "not_an_order" });
  });
});
