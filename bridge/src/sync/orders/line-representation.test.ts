import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { Money, money } from "../../lib/money.js";
import { LINE_TOTAL_TOLERANCE, representLine } from "./line-representation.js";

const total = (s: { quantity: Money; linePrice: Money; discountPercent: Money }) =>
  s.quantity.times(s.linePrice).times(Money.HUNDRED.minus(s.discountPercent)).times(money("0.01"));

describe("representLine", () => {
  it("keeps a clean price clean", () => {
    const r = representLine({ quantity: money(2), total: money("199.90") });
    expect(r.shapes).toHaveLength(1);
    expect(r.shapes[0]?.linePrice.toString()).toBe("99.95");
    expect(r.shapes[0]?.discountPercent.isZero()).toBe(true);
    expect(r.error.isZero()).toBe(true);
  });

  it("uses up to 6 decimals when the unit price does not terminate", () => {
    const r = representLine({ quantity: money(3), total: money("316.22") });
    const [shape] = r.shapes;
    expect(shape?.linePrice.toString()).toMatch(/^105\.40666[67]$/);
    expect(r.error.abs().compare(LINE_TOTAL_TOLERANCE)).toBeLessThanOrEqual(0);
    expect(total(shape!).round(2).toString()).toBe("316.22");
  });

  it("shows a coupon as a discount percentage on the list price", () => {
    const r = representLine({ quantity: money(2), total: money("169.91"), listTotal: money("199.90") });
    const [shape] = r.shapes;
    expect(shape?.linePrice.toString()).toBe("99.95");
    expect(shape?.discountPercent.toString()).toMatch(/^15\.0025\d*$/);
    expect(shape!.discountPercent.decimals).toBeLessThanOrEqual(6);
    expect(total(shape!).round(2).toString()).toBe("169.91");
  });

  it("takes a line that lost everything to a coupon to 100 %", () => {
    const r = representLine({ quantity: money(17), total: money("0"), listTotal: money("16.83") });
    expect(r.shapes[0]?.discountPercent.toString()).toBe("100");
    expect(r.shapes[0]?.linePrice.toString()).toBe("0.99");
  });

  it("steers the 6th decimal so errors at one rate do not pile up", () => {
    let carry = Money.ZERO;
    for (let i = 0; i < 50; i++) {
      const r = representLine({ quantity: money(3), total: money("10.00"), carry });
      carry = carry.plus(r.error);
      expect(carry.abs().compare(LINE_TOTAL_TOLERANCE)).toBeLessThanOrEqual(0);
    }
  });

  it("splits by quantity when no 6-decimal price reaches the cent", () => {
    const r = representLine({ quantity: money(123457), total: money("1000.00") });
    expect(r.split).toBe(true);
    expect(r.error.isZero()).toBe(true);
    expect(Money.sum(r.shapes.map(total)).toString()).toBe("1000");
    expect(Money.sum(r.shapes.map((s) => s.quantity)).toString()).toBe("123457");
    expect(r.shapes.every((s) => s.linePrice.decimals <= 2)).toBe(true);
  });

  it("refuses a non-positive quantity", () => {
    expect(() => representLine({ quantity: money(0), total: money(1) })).toThrow(RangeError);
  });

  it("always lands on the intended cents (quantities up to 999)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 999 }),
        fc.integer({ min: -10_000_000, max: 100_000_000 }),
        fc.option(fc.integer({ min: 0, max: 5_000_000 }), { nil: null }),
        (q, cents, extra) => {
          const target = Money.fromMinorUnits(cents, 2);
          const list = extra === null ? null : target.plus(Money.fromMinorUnits(extra, 2));
          const r = representLine({ quantity: money(q), total: target, listTotal: list });
          const sum = Money.sum(r.shapes.map(total));
          expect(sum.minus(target).equals(r.error)).toBe(true);
          expect(r.error.abs().compare(LINE_TOTAL_TOLERANCE)).toBeLessThanOrEqual(0);
          for (const s of r.shapes) {
            expect(s.linePrice.decimals).toBeLessThanOrEqual(6);
            expect(s.discountPercent.decimals).toBeLessThanOrEqual(6);
            expect(s.discountPercent.isNegative() || s.discountPercent.greaterThan(Money.HUNDRED)).toBe(false);
          }
          if (r.shapes.length === 1) expect(sum.round(2).equals(target)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});
