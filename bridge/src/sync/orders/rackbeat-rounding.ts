import { Money } from "../../lib/money.js";
import { rateKey, type RateKey } from "./tax-rates.js";

/**
 * How Rackbeat turns order lines into totals — in both of the rounding models the project's
 * Rackbeat sandbox implements, because Rackbeat does not document which one it uses
 * (rackbeat-api.md, "Open questions"; test/sandboxes/rackbeat/order-arithmetic.ts):
 *
 * - "line":  each line's total (quantity × line_price × (1 − discount/100)) is rounded to cents,
 *            its VAT is the rounded total × rate, rounded to cents; totals are sums.
 * - "total": nothing is rounded per line; per rate, base = Σ exact line totals and VAT = base × rate,
 *            each rounded to cents at the end.
 *
 * Rounding is half away from zero. This is the bridge's own copy of that contract (production code
 * does not import test code); test/orders-money checks it against the sandbox's implementation.
 */

export type RoundingModel = "line" | "total";
export const ROUNDING_MODELS: readonly RoundingModel[] = ["line", "total"];

export interface PricedLine {
  quantity: Money;
  linePrice: Money;
  discountPercent: Money;
  vatPercent: Money;
}

const ONE_HUNDREDTH = Money.parse("0.01");

/** quantity × line_price × (100 − discount) / 100, exactly. */
export function exactLineTotal(line: PricedLine): Money {
  return line.quantity.times(line.linePrice).times(Money.HUNDRED.minus(line.discountPercent)).times(ONE_HUNDREDTH);
}

/** VAT of an amount at a percent, exact (not rounded). */
export function exactVat(amount: Money, percent: Money): Money {
  return amount.times(percent).times(ONE_HUNDREDTH);
}

/** A line's VAT under the "line" model: VAT of the rounded line total, rounded. */
export function lineModelVat(line: PricedLine): Money {
  return exactVat(exactLineTotal(line).round(2), line.vatPercent).round(2);
}

export interface RateTotals {
  percent: Money;
  base: Money;
  vat: Money;
}

export interface ModelTotals {
  byRate: Map<RateKey, RateTotals>;
  subtotal: Money;
  vat: Money;
  total: Money;
}

export function computeTotals(lines: readonly PricedLine[], model: RoundingModel): ModelTotals {
  const exact = new Map<RateKey, RateTotals>();
  for (const line of lines) {
    const key = rateKey(line.vatPercent);
    const entry = exact.get(key) ?? { percent: line.vatPercent, base: Money.ZERO, vat: Money.ZERO };
    const lineTotal = exactLineTotal(line);
    if (model === "line") {
      const base = lineTotal.round(2);
      entry.base = entry.base.plus(base);
      entry.vat = entry.vat.plus(exactVat(base, line.vatPercent).round(2));
    } else {
      entry.base = entry.base.plus(lineTotal);
    }
    exact.set(key, entry);
  }
  const byRate = new Map<RateKey, RateTotals>();
  let subtotal = Money.ZERO;
  let vat = Money.ZERO;
  for (const [key, e] of exact) {
    const rounded =
      model === "line" ? e : { percent: e.percent, base: e.base.round(2), vat: exactVat(e.base, e.percent).round(2) };
    byRate.set(key, rounded);
    subtotal = subtotal.plus(rounded.base);
    vat = vat.plus(rounded.vat);
  }
  return { byRate, subtotal, vat, total: subtotal.plus(vat) };
}
