import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { Money, money } from "../../lib/money.js";
import { MoneyMatchingFailed } from "./order-errors.js";
import { findRateCorrection, matchMoney, type DraftLine } from "./money-matching.js";
import { ROUNDING_MODELS, computeTotals, exactLineTotal, lineModelVat } from "./rackbeat-rounding.js";
import { rateKey } from "./tax-rates.js";

function line(price: string, vat: number, quantity = 1): DraftLine {
  return {
    kind: "item",
    itemId: "X",
    name: "x",
    quantity: money(quantity),
    linePrice: money(price),
    discountPercent: Money.ZERO,
    vatPercent: money(vat),
  };
}

const rounding = (percent: Money, amount: Money): DraftLine => ({ ...line(amount.toString(), 0), kind: "rounding", vatPercent: percent });

function targetsFor(total: string, vat: Record<string, string>) {
  return {
    total: money(total),
    vatByRate: new Map(Object.entries(vat).map(([p, v]) => [rateKey(money(p)), { percent: money(p), targetVat: money(v) }])),
  };
}

describe("findRateCorrection", () => {
  it("adds nothing when both models already give the target", () => {
    expect(findRateCorrection(money(25), money("25.00"), money("100"), money("25.00"))).toEqual({ amounts: [] });
  });

  it("finds lines that satisfy both models at once", () => {
    // Three lines of 0.02 at 25 %: each rounds its VAT 0.005 up to 0.01 ("line" → 0.03), the sum's
    // VAT 0.015 rounds to 0.02 ("total"). WooCommerce says 0.02.
    const lines = [line("0.02", 25), line("0.02", 25), line("0.02", 25)];
    const lineVat = Money.sum(lines.map(lineModelVat));
    const base = Money.sum(lines.map(exactLineTotal));
    const fix = findRateCorrection(money(25), lineVat, base, money("0.02"));
    expect(fix).not.toBeNull();
    const all = [...lines, ...fix!.amounts.map((a) => line(a.toString(), 25))];
    for (const model of ROUNDING_MODELS) expect(computeTotals(all, model).vat.toString()).toBe("0.02");
  });

  it("cannot put VAT on a 0 % rate", () => {
    expect(findRateCorrection(money(0), money(0), money(10), money("0.01"))).toBeNull();
  });
});

describe("matchMoney", () => {
  it("leaves consistent lines alone and reports it", () => {
    const { lines, report } = matchMoney([line("100", 25)], targetsFor("125", { "25": "25" }), rounding);
    expect(lines).toHaveLength(1);
    expect(report.roundingLines).toEqual([]);
    expect(report.rates).toEqual([
      { ratePercent: "25", wooVat: "25.00", naturalVat: { line: "25.00", total: "25.00" }, rackbeatVat: "25.00", roundingLines: 0, roundingAmount: "0.00" },
    ]);
  });

  it("records a 0 % rounding line when WooCommerce's total is a cent off its own lines", () => {
    const { lines, report } = matchMoney([line("100", 25)], targetsFor("125.01", { "25": "25" }), rounding);
    expect(lines.at(-1)).toMatchObject({ kind: "rounding", vatPercent: Money.ZERO });
    expect(lines.at(-1)?.linePrice.toString()).toBe("0.01");
    expect(report.roundingLines).toEqual([{ ratePercent: "0", amount: "0.01", purpose: "total" }]);
  });

  it("refuses VAT at 0 %", () => {
    expect(() => matchMoney([line("10", 0)], targetsFor("10.01", { "0": "0.01" }), rounding)).toThrow(MoneyMatchingFailed);
  });

  it("makes any set of lines land on any nearby VAT and total, in both models", () => {
    const rate = fc.constantFrom(25, 12, 6, 0, 8, 15.5);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -50_000, max: 5_000_000 }), rate, fc.integer({ min: 1, max: 9 })), { minLength: 1, maxLength: 10 }),
        fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 6, maxLength: 6 }),
        fc.integer({ min: -5, max: 5 }),
        (spec, vatNudges, totalNudge) => {
          const lines = spec.map(([cents, vat, q]) => line(Money.fromMinorUnits(cents, 2).toString(), vat, q));
          const natural = computeTotals(lines, "line");
          const vat: Record<string, string> = {};
          let i = 0;
          for (const [key, r] of natural.byRate) {
            const nudge = r.percent.isZero() ? 0 : (vatNudges[i++ % vatNudges.length] as number);
            vat[key] = r.vat.plus(Money.fromMinorUnits(nudge, 2)).toString();
          }
          const total = Money.sum(Object.values(vat).map(money)).plus(natural.subtotal).plus(Money.fromMinorUnits(totalNudge, 2));
          const { lines: out } = matchMoney(lines, targetsFor(total.toString(), vat), rounding);
          for (const model of ROUNDING_MODELS) {
            const t = computeTotals(out, model);
            expect(t.total.equals(total)).toBe(true);
            for (const [key, v] of Object.entries(vat)) expect(t.byRate.get(key)?.vat.toString()).toBe(money(v).toString());
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
