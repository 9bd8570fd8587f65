import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { computeOrderTotals, type ArithmeticLine } from "./order-arithmetic.js";

describe("computeOrderTotals, model 'line'", () => {
  it("rounds each line half away from zero before summing", () => {
    const lines: ArithmeticLine[] = [1, 2, 3].map(() => ({ quantity: 1, line_price: 0.333, vat_percentage: 25 }));
    const t = computeOrderTotals(lines, "line");
    expect(t.lines).toEqual([0, 1, 2].map(() => ({ line_total: 0.33, vat: 0.08 })));
    expect(t.vat_by_rate).toEqual([{ rate: 25, base: 0.99, vat: 0.24 }]);
    expect(t.total_subtotal).toBe(0.99);
    expect(t.total_vat).toBe(0.24);
    expect(t.total_total).toBe(1.23);
  });

  it("gets 1.005 right where float rounding gives 1.00", () => {
    const t = computeOrderTotals([{ quantity: 3, line_price: 0.335, vat_percentage: 0 }], "line");
    expect(t.lines[0]?.line_total).toBe(1.01);
  });

  it("rounds negative lines away from zero", () => {
    const t = computeOrderTotals([{ quantity: -1, line_price: 0.125, vat_percentage: 25 }], "line");
    expect(t.lines).toEqual([{ line_total: -0.13, vat: -0.03 }]);
    expect(t.total_total).toBe(-0.16);
  });

  it("applies discounts to 4-decimal prices", () => {
    const t = computeOrderTotals([{ quantity: 2, line_price: 12.3456, discount_percentage: 12.5, vat_percentage: 25 }], "line");
    expect(t.lines).toEqual([{ line_total: 21.6, vat: 5.4 }]);
  });

  it("sums 0.1 + 0.2 to exactly 0.3 and sorts rates descending", () => {
    const t = computeOrderTotals(
      [
        { quantity: 1, line_price: 0.1, vat_percentage: 0 },
        { quantity: 1, line_price: 0.2, vat_percentage: 0 },
        { quantity: 1, line_price: 10, vat_percentage: 12.5 },
        { quantity: 1, line_price: 10, vat_percentage: 25 },
      ],
      "line",
    );
    expect(t.vat_by_rate.map((r) => r.rate)).toEqual([25, 12.5, 0]);
    expect(t.vat_by_rate[2]).toEqual({ rate: 0, base: 0.3, vat: 0 });
    expect(t.total_subtotal).toBe(20.3);
    expect(t.total_vat).toBe(3.75);
    expect(t.total_total).toBe(24.05);
  });
});

describe("computeOrderTotals, model 'total'", () => {
  it("rounds only per rate at the end", () => {
    const lines: ArithmeticLine[] = [1, 2, 3].map(() => ({ quantity: 1, line_price: 0.333, vat_percentage: 25 }));
    const t = computeOrderTotals(lines, "total");
    expect(t.lines[0]).toEqual({ line_total: 0.333, vat: 0.08325 });
    expect(t.vat_by_rate).toEqual([{ rate: 25, base: 1, vat: 0.25 }]);
    expect(t.total_total).toBe(1.25);
  });

  it("handles a refund line offsetting a sale at the same rate", () => {
    const t = computeOrderTotals(
      [
        { quantity: 3, line_price: 9.9999, vat_percentage: 25 },
        { quantity: -1, line_price: 9.9999, vat_percentage: 25 },
      ],
      "total",
    );
    // base 19.9998 → 20.00; vat 4.99995 → 5.00
    expect(t.vat_by_rate).toEqual([{ rate: 25, base: 20, vat: 5 }]);
    expect(t.total_total).toBe(25);
    // The same under "line": 30.00 (29.9997) and −10.00; vat 7.50 and −2.50.
    const l = computeOrderTotals(
      [
        { quantity: 3, line_price: 9.9999, vat_percentage: 25 },
        { quantity: -1, line_price: 9.9999, vat_percentage: 25 },
      ],
      "line",
    );
    expect(l.total_total).toBe(25);
  });

  it("rejects non-finite input", () => {
    expect(() => computeOrderTotals([{ quantity: 1, line_price: Number.NaN, vat_percentage: 25 }], "line")).toThrow(RangeError);
  });
});

/**
 * An independent oracle in bigint scaled integers: prices with up to 4 decimals (e4), whole
 * quantities (negative allowed), whole discount and VAT percentages.
 */
function divRoundHalfAway(n: bigint, d: bigint): bigint {
  const sign = n < 0n ? -1n : 1n;
  const a = n * sign;
  return sign * ((a + d / 2n) / d);
}

describe("computeOrderTotals against a bigint oracle", () => {
  const line = fc.record({
    quantity: fc.integer({ min: -50, max: 500 }),
    price_e4: fc.integer({ min: 0, max: 10_000_000 }),
    discount: fc.integer({ min: 0, max: 100 }),
    rate: fc.constantFrom(0, 6, 12, 25),
  });

  it("matches under both models", () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 12 }), (raw) => {
        const input: ArithmeticLine[] = raw.map((r) => ({
          quantity: r.quantity,
          line_price: r.price_e4 / 10_000, // shortest decimal string of this double is the 4-dp value
          discount_percentage: r.discount,
          vat_percentage: r.rate,
        }));
        const exactE6 = raw.map((r) => BigInt(r.quantity) * BigInt(r.price_e4) * BigInt(100 - r.discount));

        // model "line"
        const lineBaseE2 = exactE6.map((e) => divRoundHalfAway(e, 10_000n));
        const lineVatE2 = lineBaseE2.map((b, i) => divRoundHalfAway(b * BigInt(raw[i]!.rate), 100n));
        const l = computeOrderTotals(input, "line");
        const subE2 = lineBaseE2.reduce((s, x) => s + x, 0n);
        const vatE2 = lineVatE2.reduce((s, x) => s + x, 0n);
        expect(l.lines.map((x) => Math.round(x.line_total * 100))).toEqual(lineBaseE2.map(Number));
        expect(Math.round(l.total_subtotal * 100)).toBe(Number(subE2));
        expect(Math.round(l.total_vat * 100)).toBe(Number(vatE2));
        expect(Math.round(l.total_total * 100)).toBe(Number(subE2 + vatE2));
        expect(l.total_total).toBe(Number(subE2 + vatE2) / 100);

        // model "total"
        const rates = [...new Set(raw.map((r) => r.rate))].sort((a, b) => b - a);
        const expected = rates.map((rate) => {
          const baseE6 = exactE6.filter((_, i) => raw[i]!.rate === rate).reduce((s, x) => s + x, 0n);
          return {
            rate,
            base: Number(divRoundHalfAway(baseE6, 10_000n)) / 100,
            vat: Number(divRoundHalfAway(baseE6 * BigInt(rate), 1_000_000n)) / 100,
          };
        });
        const t = computeOrderTotals(input, "total");
        expect(t.vat_by_rate).toEqual(expected.map((e) => ({ ...e, base: e.base || 0, vat: e.vat || 0 })));
        const sub = expected.reduce((s, e) => s + BigInt(Math.round(e.base * 100)), 0n);
        const vat = expected.reduce((s, e) => s + BigInt(Math.round(e.vat * 100)), 0n);
        expect(t.total_total).toBe(Number(sub + vat) / 100);
      }),
      { numRuns: 300 },
    );
  });
});
