/**
 * Properties of the sandbox checkout over random baskets (fast-check), on both WooCommerce code
 * paths and all six tax configurations: what a real shop's orders always satisfy (README quirks
 * 2 and 3) and what the bridge's order schema expects.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Money } from "../../bridge/src/lib/money.js";
import { wooOrderSchema } from "../../bridge/src/woocommerce/index.js";
import { checkoutArbitrary, runGeneratedCheckout } from "../sandboxes/woocommerce/checkout-arbitrary.js";
import { FIXTURE_CONFIGS } from "../sandboxes/woocommerce/fixture-shop.js";

type Amounts = { total: string; total_tax: string }[];

function sumOf(values: string[]): Money {
  return Money.sum(values.map((v) => Money.parse(v)));
}

/** Σ displayed lines, fees, shipping and tax lines — what a reader of the order can add up. */
function displayedSum(order: ReturnType<typeof wooOrderSchema.parse>): Money {
  return sumOf([
    ...order.line_items.map((l) => l.total),
    ...order.fee_lines.map((f) => f.total),
    ...order.shipping_lines.map((s) => s.total),
    ...order.tax_lines.map((t) => t.tax_total),
    ...order.tax_lines.map((t) => t.shipping_tax_total),
  ]);
}

describe("random checkouts", () => {
  it("parse with the client's order schema; lines never discount below zero (to the displayed cent)", () => {
    fc.assert(
      fc.property(checkoutArbitrary(), (generated) => {
        const order = wooOrderSchema.parse(runGeneratedCheckout(generated));
        expect(order.line_items).toHaveLength(generated.input.lines.length);
        for (const line of order.line_items) {
          expect(Money.parse(line.total).compare(Money.parse(line.subtotal))).toBeLessThanOrEqual(0);
          expect(Money.parse(line.total).compare(Money.parse("-0.01"))).toBeGreaterThanOrEqual(0);
        }
        // The cart never goes below zero (max(0, total)). The REST path can: a negative fee is only
        // clamped while the running total is still positive (calculate_totals: `0 > $max_discount`).
        if (generated.input.via === "store-api") expect(Money.parse(order.total).compare(Money.ZERO)).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 150 },
    );
  });

  it("rounding per line: the displayed lines, fees, shipping and tax lines add up exactly to the total", () => {
    fc.assert(
      fc.property(checkoutArbitrary({ configs: ["c1-dkk-excl-lineround", "c3-dkk-incl-lineround", "c5-sek-incl-lineround-3dp"] }), (generated) => {
        const order = wooOrderSchema.parse(runGeneratedCheckout(generated));
        expect(displayedSum(order).equals(Money.parse(order.total)), `${displayedSum(order).toString()} vs ${order.total}`).toBe(true);
        expect(sumOf(order.tax_lines.flatMap((t) => [t.tax_total, t.shipping_tax_total])).equals(Money.parse(order.total_tax))).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it("rounding at subtotal: the displayed parts miss the total by at most one unit per rounded part", () => {
    fc.assert(
      fc.property(checkoutArbitrary({ configs: ["c2-dkk-excl-subtotalround", "c4-dkk-incl-subtotalround", "c6-sek-excl-subtotalround-3dp"] }), (generated) => {
        const order = wooOrderSchema.parse(runGeneratedCheckout(generated));
        const dp = FIXTURE_CONFIGS[generated.config].priceDecimals ?? 2;
        const parts = order.line_items.length + order.fee_lines.length + order.shipping_lines.length + 2 * order.tax_lines.length;
        const gap = displayedSum(order).minus(Money.parse(order.total)).abs();
        const unit = Money.parse(`0.${"0".repeat(dp - 1)}1`);
        expect(gap.compare(unit.times(parts))).toBeLessThanOrEqual(0);
      }),
      { numRuns: 150 },
    );
  });

  it("without coupons or fees, both code paths give the same order for the same basket", () => {
    fc.assert(
      fc.property(checkoutArbitrary({ via: ["rest-api"], coupons: false, fees: false }), (generated) => {
        const rest = runGeneratedCheckout(generated) as { line_items: Amounts; total: string; total_tax: string };
        const store = runGeneratedCheckout({ ...generated, input: { ...generated.input, via: "store-api" } }) as typeof rest;
        expect(store.line_items.map((l) => [l.total, l.total_tax])).toEqual(rest.line_items.map((l) => [l.total, l.total_tax]));
        expect([store.total, store.total_tax]).toEqual([rest.total, rest.total_tax]);
      }),
      { numRuns: 100 },
    );
  });
});
