/**
 * The bridge's copy of Rackbeat's rounding models (bridge/src/sync/orders/rackbeat-rounding.ts)
 * must compute exactly what the Rackbeat sandbox computes (test/sandboxes/rackbeat/order-arithmetic.ts).
 */
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { Money } from "../../bridge/src/lib/money.js";
import { computeTotals } from "../../bridge/src/sync/orders/rackbeat-rounding.js";
import { computeOrderTotals } from "../sandboxes/rackbeat/order-arithmetic.js";
import { MODELS } from "./rackbeat-totals.js";

const decimal = (maxMinor: number, decimals: number, min = -maxMinor) =>
  fc.integer({ min, max: maxMinor }).map((m) => Number(Money.fromMinorUnits(m, decimals).toString()));

describe("the bridge's Rackbeat rounding model", () => {
  it("equals the sandbox's under both models", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            quantity: fc.integer({ min: 1, max: 999 }),
            line_price: fc.oneof(decimal(10_000_000, 2), decimal(100_000_000, 6)),
            discount_percentage: fc.oneof(fc.constant(0), decimal(100_000_000, 6, 0)),
            vat_percentage: fc.constantFrom(25, 12, 6, 0, 12.5),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        (lines) => {
          const priced = lines.map((l) => ({
            quantity: Money.fromNumber(l.quantity),
            linePrice: Money.fromNumber(l.line_price),
            discountPercent: Money.fromNumber(l.discount_percentage),
            vatPercent: Money.fromNumber(l.vat_percentage),
          }));
          for (const model of MODELS) {
            const ours = computeTotals(priced, model);
            const sandbox = computeOrderTotals(lines, model);
            expect(ours.total.toNumber()).toBe(sandbox.total_total);
            expect(ours.vat.toNumber()).toBe(sandbox.total_vat);
            for (const r of sandbox.vat_by_rate) {
              const mine = ours.byRate.get(Money.fromNumber(r.rate).toString());
              expect(mine?.vat.toNumber()).toBe(r.vat);
              expect(mine?.base.toNumber()).toBe(r.base);
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
