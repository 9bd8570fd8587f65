import { describe, it, expect } from "vitest";
import { Money, money } from "../../lib/money.js";
import { couponInfo, splitOverRates } from "./order-lines.js";
import { parseWooOrder } from "./woo-order.js";
import { wooOrderJson } from "../../../../test/orders-money/woo-order-builder.js";

const share = (percent: string, tax: string) => ({ percent: money(percent), tax: money(tax) });
const show = (parts: { percent: Money; amount: Money }[]) => parts.map((p) => `${p.amount.toFixed(2)}@${p.percent.toString()}`);

describe("splitOverRates", () => {
  it("keeps a single-rate amount whole", () => {
    expect(show(splitOverRates(money("19.95"), [share("25", "4.99")]))).toEqual(["19.95@25"]);
    expect(show(splitOverRates(money("5"), []))).toEqual(["5.00@0"]);
  });

  it("gives each rate the base its tax implies and the untaxed rest 0 % (WooCommerce's negative fee, fixtures quirk 11)", () => {
    // c1 C REST: "Mængderabat" −25.00 with −3.45 at 25 % and −1.32 at 12 %.
    const parts = splitOverRates(money("-25.00"), [share("25", "-3.45"), share("12", "-1.32")]);
    expect(show(parts)).toEqual(["-13.81@25", "-11.04@12", "-0.15@0"]);
    expect(Money.sum(parts.map((p) => p.amount)).toFixed(2)).toBe("-25.00");
    // Each taxed part's VAT, rounded, is exactly WooCommerce's tax at that rate.
    expect(money("-13.81").times(money("0.25")).round(2).toString()).toBe("-3.45");
    expect(money("-11.04").times(money("0.12")).round(2).toString()).toBe("-1.32");
  });

  it("splits in proportion when the taxes leave no untaxed rest", () => {
    const parts = splitOverRates(money("-10.00"), [share("25", "-1.25"), share("25", "0"), share("12", "-0.60")]);
    expect(Money.sum(parts.map((p) => p.amount)).toFixed(2)).toBe("-10.00");
    expect(show(parts)).toEqual(["-5.00@25", "-5.00@12"]);
  });
});

describe("couponInfo", () => {
  const coupon = (line: Record<string, unknown>) =>
    parseWooOrder(wooOrderJson({ coupon_lines: [{ id: 1, code: "x", discount: "1", discount_tax: "0", ...line }] as never })).coupon_lines[0]!;

  it("reads the REST fields", () => {
    expect(couponInfo(coupon({ discount_type: "percent", nominal_amount: 12.5 }))).toMatchObject({ kind: "percent" });
  });

  it("falls back on the coupon_info meta, where null means fixed cart", () => {
    const c = couponInfo(coupon({ meta_data: [{ key: "coupon_info", value: '[13,"fix33",null,33.33]' }] }));
    expect(c.kind).toBe("fixed_cart");
    expect(c.amount?.toString()).toBe("33.33");
    expect(couponInfo(coupon({ meta_data: [{ key: "coupon_info", value: '[15,"fp","fixed_product",5]' }] })).kind).toBe("fixed_product");
    expect(couponInfo(coupon({ discount_type: "smart_coupon" })).kind).toBe("other");
  });
});
