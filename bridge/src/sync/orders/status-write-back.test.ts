import { describe, it, expect } from "vitest";
import { defaultShopSettings } from "../../settings/shop-settings.js";
import type { OrderSettings } from "../../settings/order-settings.js";
import { rackbeatStages, rackbeatStatusToWooStatus } from "./status-write-back.js";

const settings = (statusWriteBack: Partial<OrderSettings["statusWriteBack"]> = {}): OrderSettings => {
  const s = defaultShopSettings().orders;
  return { ...s, statusWriteBack: { ...s.statusWriteBack, ...statusWriteBack } };
};

describe("rackbeatStatusToWooStatus", () => {
  it("by default moves a shipped order to completed and leaves booked / invoiced alone", () => {
    expect(rackbeatStatusToWooStatus("shipped", settings())).toBe("completed");
    expect(rackbeatStatusToWooStatus("booked", settings())).toBeNull();
    expect(rackbeatStatusToWooStatus("invoiced", settings())).toBeNull();
    expect(rackbeatStatusToWooStatus("draft", settings())).toBeNull();
  });

  it("follows the mapping, and is silent when off", () => {
    const s = settings({ booked: "packing", invoiced: "invoiced" });
    expect(rackbeatStatusToWooStatus("booked", s)).toBe("packing");
    expect(rackbeatStatusToWooStatus("invoiced", s)).toBe("invoiced");
    expect(rackbeatStatusToWooStatus("shipped", settings({ enabled: false }))).toBeNull();
  });

  it("reads Rackbeat's flags: the furthest stage with a mapping wins", () => {
    expect(rackbeatStages({ is_booked: true, is_shipped: true, is_invoiced: true })).toEqual(["invoiced", "shipped", "booked"]);
    expect(rackbeatStages({ is_cancelled: true, is_booked: true })).toEqual(["cancelled"]);
    expect(rackbeatStages({})).toEqual(["draft"]);
    expect(rackbeatStatusToWooStatus({ is_booked: true, is_shipped: true, is_invoiced: true }, settings())).toBe("completed");
    expect(rackbeatStatusToWooStatus({ is_booked: true }, settings({ booked: "on-hold" }))).toBe("on-hold");
    expect(rackbeatStatusToWooStatus({ is_cancelled: true }, settings())).toBeNull();
  });

  it("does not rewrite the same status or move a finished order", () => {
    expect(rackbeatStatusToWooStatus("shipped", settings(), "completed")).toBeNull();
    expect(rackbeatStatusToWooStatus("shipped", settings(), "wc-cancelled")).toBeNull();
    expect(rackbeatStatusToWooStatus("shipped", settings(), "refunded")).toBeNull();
    expect(rackbeatStatusToWooStatus("shipped", settings(), "processing")).toBe("completed");
  });
});
