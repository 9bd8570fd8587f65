import { describe, it, expect } from "vitest";
import { defaultShopSettings } from "../../settings/shop-settings.js";
import type { OrderSettings } from "../../settings/order-settings.js";
import { fixtureOrder } from "../../../../test/orders-money/fixture-orders.js";
import { MODELS, moneyMismatches } from "../../../../test/orders-money/rackbeat-totals.js";
import { simulateCheckout, wooOrderJson } from "../../../../test/orders-money/woo-order-builder.js";
import { OrderLineWithoutSku, OrderTotalsDoNotAdd, UnsupportedTaxSetup, WooOrderInvalid } from "./order-errors.js";
import { parseWooOrder, type WooOrderJson } from "./woo-order.js";
import { NOTE_MAX_CHARS, buildOrderNote, localOrderDate, wooOrderToRackbeatOrder } from "./woo-order-to-rackbeat-order.js";

const CONTEXT = { orderNumber: 90001, customerNumber: 42 };

function settings(patch: Partial<OrderSettings> = {}): OrderSettings {
  return { ...defaultShopSettings().orders, ...patch };
}

function transform(json: WooOrderJson | Record<string, unknown>, patch: Partial<OrderSettings> = {}) {
  const result = wooOrderToRackbeatOrder(parseWooOrder(json), settings(patch), CONTEXT);
  for (const model of MODELS) expect(moneyMismatches(result.payload.lines, json as never, model)).toEqual([]);
  return result;
}

describe("wooOrderToRackbeatOrder: the order head", () => {
  it("carries number, customer, currency, references, local date and addresses", () => {
    const json = fixtureOrder("c1", "rest-E");
    const r = transform(json, { orderReferencePrefix: "WEB-" });
    expect(r.payload).toMatchObject({
      number: 90001,
      customer_id: 42,
      currency: "DKK",
      order_date: "2026-11-25",
      other_reference: "WEB-48",
      heading: "WEB-48",
      vat_zone: "domestic",
      address_name: "Nordisk Handel ApS",
      address_street: "Nørregade 12, 2. th.",
      address_city: "Aarhus C",
      address_country: "DK",
      delivery_address_name: "Nordisk Handel ApS",
      delivery_address_street: "Industrivej 7",
      delivery_address_street2: "Port 3",
      delivery_address_zipcode: "8200",
    });
    expect(r.state).toBe("booked");
    expect(r.sendConfirmationEmail).toBe(false);
  });

  it("puts the company on address line 1 when asked", () => {
    const r = transform(fixtureOrder("c1", "rest-E"), { companyNameInAddressLine1: true });
    expect(r.payload).toMatchObject({
      delivery_address_name: "Mette Kjær",
      delivery_address_street: "Nordisk Handel ApS",
      delivery_address_street2: "Industrivej 7, Port 3",
    });
  });

  it("follows the draft / booked and confirmation e-mail settings, and payment terms per gateway", () => {
    const r = transform(fixtureOrder("c1", "rest-E"), {
      rackbeatOrderState: "draft",
      confirmationEmail: "rackbeat",
      paymentMethods: { bacs: { paymentTermsId: 7, noteText: "Bankoverførsel" } },
      customerDefaults: { ...settings().customerDefaults, paymentTermsId: 1, layoutId: 3 },
    });
    expect(r.state).toBe("draft");
    expect(r.sendConfirmationEmail).toBe(true);
    expect(r.payload.payment_terms_id).toBe(7);
    expect(r.payload.layout_id).toBe(3);
    expect(r.payload.note.split("\n")[0]).toBe("Payment: Bankoverførsel");
  });

  it("takes the shop's local date, not the UTC one, across midnight", () => {
    const json = wooOrderJson({ date_created: "2026-11-26T00:30:00", date_created_gmt: "2026-11-25T23:30:00" });
    expect(transform(json).payload.order_date).toBe("2026-11-26");
    // Without the local date, the GMT one is converted in the shop's zone.
    const gmtOnly = parseWooOrder(wooOrderJson({ date_created: null, date_created_gmt: "2026-12-31T23:30:00" }));
    expect(localOrderDate(gmtOnly, "Europe/Copenhagen")).toBe("2027-01-01");
    expect(localOrderDate(gmtOnly, "America/New_York")).toBe("2026-12-31");
    expect(() => localOrderDate(gmtOnly)).toThrow(WooOrderInvalid);
  });
});

describe("wooOrderToRackbeatOrder: the note", () => {
  it("holds payment method, transaction id, extra fields and the customer's note", () => {
    const json = wooOrderJson({
      payment_method: "klarna_payments",
      payment_method_title: "Klarna",
      transaction_id: "KL-8f3a-22",
      customer_note: "Stil pakken ved døren",
      meta_data: [
        { key: "_billing_ean", value: "5790000123456" },
        { key: "delivery_window", value: "08-12" },
        { key: "ignored", value: "x" },
      ],
    });
    const note = buildOrderNote(parseWooOrder(json), settings({ extraFieldMetaKeys: ["_billing_ean", "delivery_window", "missing"] }));
    expect(note).toBe(
      "Payment: Klarna (transaction KL-8f3a-22)\nbilling_ean: 5790000123456\ndelivery_window: 08-12\nCustomer note: Stil pakken ved døren",
    );
  });

  it("stays within 800 characters, cutting the customer's note first", () => {
    const json = wooOrderJson({ transaction_id: "T-1", customer_note: "å".repeat(2000), meta_data: [{ key: "f", value: "v" }] });
    const note = buildOrderNote(parseWooOrder(json), settings({ extraFieldMetaKeys: ["f"] }));
    expect(Array.from(note)).toHaveLength(NOTE_MAX_CHARS);
    expect(note.startsWith("Payment: Direct bank transfer (transaction T-1)\nf: v\nCustomer note: ååå")).toBe(true);
    expect(note.endsWith("…")).toBe(true);
  });
});

describe("wooOrderToRackbeatOrder: lines", () => {
  it("one line per item: SKU, name, quantity, unit price excl. VAT, discount, VAT %", () => {
    const r = transform(fixtureOrder("c1", "rest-B"));
    const items = r.payload.lines.filter((_, i) => r.lineKinds[i] === "item");
    expect(items.map((l) => [l.item_id, l.quantity, l.vat_percentage])).toEqual([
      ["MUG-001", 2, 25],
      ["MILK-1L", 6, 12],
      ["BOOK-TAX-3333", 1, 6],
      ["SCALE-19996", 3, 25],
    ]);
    expect(items[0]).toMatchObject({ name: "Kaffekop", line_price: 99.95 });
    for (const l of items) expect(l.discount_percentage).toBeGreaterThan(14.9);
  });

  it("discounts as line percentages and as negative lines are both exact", () => {
    const itemsOf = (r: ReturnType<typeof transform>) => r.payload.lines.filter((_, i) => r.lineKinds[i] === "item");
    // [fixture, coupons]: percent + fixed cart, percent, fixed cart only, fixed product.
    for (const [key, file] of [["c1", "rest-E"], ["c3", "store-api-B"], ["c6", "rest-C"], ["c4", "store-api-D"]] as const) {
      const json = fixtureOrder(key, file);
      const asLines = transform(json, { discountRepresentation: "negative_lines" });
      expect(itemsOf(asLines).every((l) => l.discount_percentage === 0)).toBe(true);
      expect(asLines.lineKinds).toContain("discount");
      transform(json, { discountRepresentation: "line_percentage" }); // exact (checked in transform)
    }
    // Percent and fixed-product coupons show on the lines; a fixed-cart coupon is always negative lines.
    const pct = transform(fixtureOrder("c2", "rest-B"));
    expect(pct.lineKinds).not.toContain("discount");
    expect(itemsOf(pct).every((l) => l.discount_percentage > 0)).toBe(true);
    const fixedProduct = transform(fixtureOrder("c4", "store-api-D"));
    expect(fixedProduct.lineKinds).not.toContain("discount");
    expect(itemsOf(fixedProduct).find((l) => l.item_id === "GUM/MINT-10")?.discount_percentage).toBe(100);
    const fixedCart = transform(fixtureOrder("c6", "rest-C"));
    expect(itemsOf(fixedCart).every((l) => l.discount_percentage === 0)).toBe(true);
    expect(fixedCart.lineKinds.filter((k) => k === "discount")).toHaveLength(2);
    const mixed = transform(fixtureOrder("c1", "rest-E"));
    expect(itemsOf(mixed).filter((l) => l.discount_percentage > 0).length).toBeGreaterThan(0);
    expect(mixed.lineKinds).toContain("discount");
  });

  it("maps shipping methods to article numbers: instance, then method, then the default", () => {
    const json = fixtureOrder("c1", "rest-B"); // flat_rate, instance 1
    const itemOf = (patch: Record<string, string>) => {
      const r = transform(json, { articleNumbers: { ...settings().articleNumbers, shippingMethods: patch } });
      return r.payload.lines[r.lineKinds.indexOf("shipping")]?.item_id;
    };
    expect(itemOf({})).toBe("SHIPPING");
    expect(itemOf({ flat_rate: "FRAGT" })).toBe("FRAGT");
    expect(itemOf({ flat_rate: "FRAGT", "flat_rate:1": "FRAGT-DK" })).toBe("FRAGT-DK");
  });

  it("includes or skips zero-amount shipping and fee lines", () => {
    const json = simulateCheckout({
      items: [{ sku: "A-1", price: "100.00", quantity: 1, rate: 25 }],
      pricesIncludeTax: false,
      roundAtSubtotal: false,
      decimals: 2,
      shipping: "0.00",
      fees: [{ name: "Gebyr", amount: "0.00", taxable: true, rate: 25 }],
    });
    const included = transform(json, { zeroAmountLines: "include" });
    expect(included.lineKinds).toEqual(expect.arrayContaining(["shipping", "fee"]));
    const skipped = transform(json, { zeroAmountLines: "skip" });
    expect(skipped.lineKinds).not.toContain("shipping");
    expect(skipped.lineKinds).not.toContain("fee");
    expect(skipped.money.notes.join(" ")).toMatch(/left out/);
  });

  it("sends payment fees and gift cards with their own article numbers; gift cards at 0 %", () => {
    const json = wooOrderJson({
      payment_method_title: "Kort",
      total: "116.00",
      fee_lines: [
        { id: 1, name: "Kort", tax_class: "", tax_status: "taxable", total: "4.00", total_tax: "1.00", taxes: [{ id: 1, total: "1.00", subtotal: "" }] },
        { id: 2, name: "Gavekort ABC", tax_class: "", tax_status: "none", total: "-10.00", total_tax: "0.00", taxes: [] },
      ],
      gift_cards: [{ code: "GC-9", amount: "4.00" }],
      tax_lines: [{ id: 9, rate_id: 1, rate_code: "DK", label: "Moms", compound: false, tax_total: "26.00", shipping_tax_total: "0.00", rate_percent: 25 }],
    } as never);
    const r = transform(json);
    const byKind = (kind: string) => r.payload.lines.filter((_, i) => r.lineKinds[i] === kind);
    expect(byKind("payment_fee")).toEqual([expect.objectContaining({ item_id: "PAYMENT-FEE", line_price: 4, vat_percentage: 25 })]);
    expect(byKind("gift_card")).toEqual([
      expect.objectContaining({ item_id: "GIFT-CARD", name: "Gavekort ABC", line_price: -10, vat_percentage: 0 }),
      expect.objectContaining({ item_id: "GIFT-CARD", name: "Gift card GC-9", line_price: -4, vat_percentage: 0 }),
    ]);
  });

  it("handles quantities up to 999 with 3-decimal prices in a 3-decimal shop", () => {
    const json = simulateCheckout({
      items: [
        { sku: "SCALE-19996", price: "19.996", quantity: 999, rate: 25 },
        { sku: "GUM", price: "0.333", quantity: 997, rate: 12 },
        { sku: "BOOK", price: "33.333", quantity: 7, rate: 6 },
      ],
      pricesIncludeTax: true,
      roundAtSubtotal: true,
      decimals: 3,
      percentCoupon: "12.5",
      fixedCartCoupon: "33.33",
      shipping: "19.996",
      currency: "SEK",
    });
    const r = transform(json);
    expect(r.payload.currency).toBe("SEK");
    expect(r.money.linePriceDecimals).toBeLessThanOrEqual(6);
  });

  it("refuses what it cannot map, with the reason", () => {
    const noSku = wooOrderJson({
      line_items: [{ id: 1, name: "Mystery", product_id: 5, quantity: 1, sku: "", subtotal: "100", total: "100", taxes: [{ id: 1, total: "25" }] }] as never,
    });
    expect(() => transform(noSku)).toThrow(OrderLineWithoutSku);
    // A surcharge outside fee_lines: the total is 50.00 more than the lines and taxes.
    expect(() => transform(wooOrderJson({ total: "175.00" }))).toThrow(OrderTotalsDoNotAdd);
    const stacked = wooOrderJson({
      line_items: [{ id: 1, name: "x", quantity: 1, sku: "X", subtotal: "100", total: "100", taxes: [{ id: 1, total: "25" }, { id: 2, total: "5" }] }] as never,
      tax_lines: [
        { id: 8, rate_id: 1, rate_code: "A", label: "A", compound: false, tax_total: "25", shipping_tax_total: "0", rate_percent: 25 },
        { id: 9, rate_id: 2, rate_code: "B", label: "B", compound: false, tax_total: "5", shipping_tax_total: "0", rate_percent: 5 },
      ],
      total: "130.00",
    } as never);
    expect(() => transform(stacked)).toThrow(UnsupportedTaxSetup);
    expect(() => parseWooOrder({ id: 1 })).toThrow(WooOrderInvalid);
  });

  it("records every rounding line in the money report and the warnings", () => {
    const r = transform(fixtureOrder("c1", "rest-C"));
    expect(r.money.roundingLines.length).toBe(r.lineKinds.filter((k) => k === "rounding").length);
    expect(r.money.roundingLines.length).toBeGreaterThan(0);
    expect(r.warnings.join(" ")).toMatch(/rounding lines added/);
    for (const rate of r.money.rates) expect(rate.rackbeatVat).toBe(rate.wooVat);
    const rounding = r.payload.lines.filter((_, i) => r.lineKinds[i] === "rounding");
    expect(rounding.every((l) => l.item_id === "ROUNDING" && Math.abs(l.line_price) < 1)).toBe(true);
  });
});
