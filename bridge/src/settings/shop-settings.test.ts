import { describe, it, expect } from "vitest";
import { SettingsInvalid, defaultShopSettings, parseShopSettings, shopSettingsSchema } from "./shop-settings.js";

function issuesOf(input: unknown): string[] {
  try {
    parseShopSettings(input);
  } catch (error) {
    if (error instanceof SettingsInvalid) return error.issues;
    throw error;
  }
  throw new Error("expected the settings to be refused");
}

describe("shop settings defaults (design.md §3)", () => {
  it("fills every orders setting from nothing", () => {
    const { orders } = defaultShopSettings();
    expect(orders.exportMode).toBe("automatic");
    expect(orders.transferOnStatuses).toEqual(["processing", "completed"]);
    expect(orders.transferOrdersCreatedFrom).toBeNull();
    expect(orders.rackbeatOrderState).toBe("booked");
    expect(orders.customerMatching).toBe("email");
    expect(orders.discountRepresentation).toBe("line_percentage");
    expect(orders.confirmationEmail).toBe("shop");
    expect(orders.zeroAmountLines).toBe("include");
    expect(orders.companyNameInAddressLine1).toBe(false);
    expect(orders.statusWriteBack).toEqual({ enabled: true, booked: null, shipped: "completed", invoiced: null });
    expect(orders.articleNumbers.shippingDefault).toBe("SHIPPING");
    expect(orders.articleNumbers.rounding).toBe("ROUNDING");
    expect(orders.customerDefaults.domesticCountry).toBe("DK");
    expect(orders.customerDefaults.euCountries).toHaveLength(27);
    expect(orders.customerDefaults.euCountries).not.toContain("NO");
    expect(orders.orderReferencePrefix).toBe("");
  });

  it("fills the products and stock groups", () => {
    const s = defaultShopSettings();
    expect(s.products.master).toBe("off");
    expect(s.products.barredInRackbeat).toBe("private");
    expect(s.stock).toEqual({ sync: true, figure: "available", locations: "all", buffer: 0 });
  });

  it("takes the pairing date as 'transfer orders created from'", () => {
    expect(defaultShopSettings({ pairedOn: "2026-11-25" }).orders.transferOrdersCreatedFrom).toBe("2026-11-25");
  });

  it("keeps given values and fills the rest of a nested group", () => {
    const s = parseShopSettings({
      orders: { articleNumbers: { fee: "GEBYR" }, customerDefaults: { domesticCountry: "se" }, transferOnStatuses: ["wc-processing", "processing"] },
    });
    expect(s.orders.articleNumbers.fee).toBe("GEBYR");
    expect(s.orders.articleNumbers.giftCard).toBe("GIFT-CARD");
    expect(s.orders.customerDefaults.domesticCountry).toBe("SE");
    expect(s.orders.customerDefaults.euConsumerVatZone).toBe("domestic");
    expect(s.orders.transferOnStatuses).toEqual(["processing"]);
  });

  it("round-trips: parsing parsed settings changes nothing", () => {
    const s = defaultShopSettings({ pairedOn: "2026-01-31" });
    expect(shopSettingsSchema.parse(JSON.parse(JSON.stringify(s)))).toEqual(s);
  });
});

describe("shop settings validation messages", () => {
  it("names the field and the allowed values for an enum", () => {
    expect(issuesOf({ orders: { exportMode: "sometimes" } })).toEqual([
      'orders.exportMode: exportMode must be one of "automatic", "manual", "off"',
    ]);
    expect(issuesOf({ orders: { discountRepresentation: "percent" } })[0]).toMatch(
      /^orders\.discountRepresentation: .*"line_percentage", "negative_lines"/,
    );
  });

  it("explains article number rules", () => {
    expect(issuesOf({ orders: { articleNumbers: { fee: "FEE WITH SPACES" } } })).toEqual([
      "orders.articleNumbers.fee: an article number cannot contain spaces",
    ]);
    expect(issuesOf({ orders: { articleNumbers: { shippingMethods: { flat_rate: "X".repeat(26) } } } })[0]).toContain(
      "at most 25 characters",
    );
    expect(issuesOf({ orders: { articleNumbers: { shippingMethods: { "flat rate": "FRAGT" } } } })[0]).toMatch(
      /^orders\.articleNumbers\.shippingMethods.*shipping method is its WooCommerce id/,
    );
  });

  it("refuses impossible dates and bad countries", () => {
    expect(issuesOf({ orders: { transferOrdersCreatedFrom: "2026-02-30" } })).toEqual([
      "orders.transferOrdersCreatedFrom: this date does not exist",
    ]);
    expect(issuesOf({ orders: { transferOrdersCreatedFrom: "25/11/2026" } })[0]).toContain("YYYY-MM-DD");
    expect(issuesOf({ orders: { customerDefaults: { domesticCountry: "Denmark" } } })[0]).toContain('two-letter ISO code such as "DK"');
  });

  it("refuses empty or draft transfer statuses", () => {
    expect(issuesOf({ orders: { transferOnStatuses: [] } })[0]).toContain("choose at least one status");
    expect(issuesOf({ orders: { transferOnStatuses: ["processing", "checkout-draft"] } })[0]).toContain("a checkout draft is not an order yet");
  });

  it("refuses unknown keys, so a typo is not silently ignored", () => {
    const issues = issuesOf({ orders: { transferOnStatus: ["processing"] } });
    expect(issues[0]).toMatch(/^orders: .*transferOnStatus/);
  });

  it("checks payment method entries and Rackbeat numbers", () => {
    const issues = issuesOf({ orders: { paymentMethods: { bacs: { paymentTermsId: 1.5 } }, customerDefaults: { layoutId: -1 } } });
    expect(issues).toContain("orders.paymentMethods.bacs.paymentTermsId: must be a whole number");
    expect(issues).toContain("orders.customerDefaults.layoutId: must be a positive number");
  });

  it("reports every problem at once", () => {
    expect(issuesOf({ orders: { exportMode: 1, rackbeatOrderState: "open" }, stock: { buffer: -2 } })).toHaveLength(3);
  });
});
