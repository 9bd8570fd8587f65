import { describe, it, expect } from "vitest";
import { wooOrderJson } from "../../../../test/orders-money/woo-order-builder.js";
import { UnsupportedTaxSetup } from "./order-errors.js";
import { itemRate, lineRateShares, readOrderRates } from "./tax-rates.js";
import { parseWooOrder } from "./woo-order.js";

const tl = (rate_id: number, rate_percent: number, tax_total: string, shipping_tax_total = "0.00", extra: Record<string, unknown> = {}) => ({
  id: 100 + rate_id,
  rate_id,
  rate_code: `R${rate_id}`,
  label: `Moms ${rate_percent}%`,
  compound: false,
  tax_total,
  shipping_tax_total,
  rate_percent,
  ...extra,
});

describe("readOrderRates", () => {
  it("sums tax lines by percent, items and shipping, and rounds the target to cents", () => {
    const order = parseWooOrder(wooOrderJson({ tax_lines: [tl(1, 25, "44.181", "9.987"), tl(5, 25, "1.001"), tl(2, 12, "6.825")] }));
    const rates = readOrderRates(order);
    expect(rates.vatByRate.get("25")?.wooVat.toString()).toBe("55.169");
    expect(rates.vatByRate.get("25")?.targetVat.toString()).toBe("55.17");
    expect(rates.vatByRate.get("12")?.targetVat.toString()).toBe("6.83");
    expect(rates.percentById.get(5)?.toString()).toBe("25");
  });

  it("refuses compound taxes, rates without a percent, and tax at 0 %", () => {
    expect(() => readOrderRates(parseWooOrder(wooOrderJson({ tax_lines: [tl(1, 25, "1.00", "0", { compound: true })] })))).toThrow(UnsupportedTaxSetup);
    expect(() => readOrderRates(parseWooOrder(wooOrderJson({ tax_lines: [tl(1, 25, "1.00", "0", { rate_percent: null })] })))).toThrow(/rate_percent/);
    expect(() => readOrderRates(parseWooOrder(wooOrderJson({ tax_lines: [tl(4, 0, "0.01")] })))).toThrow(UnsupportedTaxSetup);
  });
});

describe("line rates", () => {
  const rates = readOrderRates(parseWooOrder(wooOrderJson({ tax_lines: [tl(1, 25, "10"), tl(2, 12, "5"), tl(4, 0, "0")] })));
  const entry = (id: number, total: string) => ({ id, total: total as never, subtotal: "" as never });
  const parsedTaxes = (taxes: { id: number; total: string }[]) =>
    parseWooOrder(wooOrderJson({ line_items: [{ id: 1, name: "x", quantity: 1, sku: "X", subtotal: "1", total: "1", taxes: taxes.map((t) => entry(t.id, t.total)) }] as never })).line_items[0]!.taxes;

  it("takes the rate WooCommerce taxed the line at", () => {
    expect(itemRate(parsedTaxes([{ id: 2, total: "0.12" }]), rates, "x").toString()).toBe("12");
    expect(itemRate(parsedTaxes([{ id: 4, total: "0.00" }]), rates, "x").toString()).toBe("0");
    expect(itemRate(parsedTaxes([]), rates, "x").toString()).toBe("0");
    // A fully discounted line keeps its rate although its tax is 0.
    expect(itemRate(parsedTaxes([{ id: 2, total: "0.00" }]), rates, "x").toString()).toBe("12");
  });

  it("refuses an item taxed at two rates at once, and unknown rate ids that carry tax", () => {
    expect(() => itemRate(parsedTaxes([{ id: 1, total: "1" }, { id: 2, total: "1" }]), rates, "x")).toThrow(/several rates/);
    expect(() => lineRateShares(parsedTaxes([{ id: 9, total: "1" }]), rates, "x")).toThrow(/rate id 9/);
    expect(lineRateShares(parsedTaxes([{ id: 9, total: "0" }]), rates, "x")).toEqual([]);
  });
});
