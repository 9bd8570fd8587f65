import { Money } from "../../lib/money.js";
import { UnsupportedTaxSetup } from "./order-errors.js";
import type { WooOrder, WooTaxEntry } from "./woo-order.js";

/**
 * VAT rates of an order, read from what WooCommerce recorded, never guessed from tax classes or
 * countries: each line's `taxes` names the rate ids that taxed it, and the order's `tax_lines` give
 * each rate id its `rate_percent` and the VAT WooCommerce charged at it.
 */

/** A VAT rate as a canonical decimal string ("25", "12.5"), so 25 and 25.0 are one rate. */
export type RateKey = string;

export function rateKey(percent: Money): RateKey {
  return percent.toString();
}

export interface OrderRates {
  /** tax rate id → percent. */
  readonly percentById: ReadonlyMap<number, Money>;
  /**
   * Per VAT rate: the VAT WooCommerce charged (items, fees and shipping, summed exactly over every
   * tax line with that percent) and that rounded to cents — the figure Rackbeat must reproduce.
   */
  readonly vatByRate: ReadonlyMap<RateKey, { percent: Money; wooVat: Money; targetVat: Money; labels: string[] }>;
}

export function readOrderRates(order: WooOrder): OrderRates {
  const percentById = new Map<number, Money>();
  const vatByRate = new Map<RateKey, { percent: Money; wooVat: Money; targetVat: Money; labels: string[] }>();
  for (const line of order.tax_lines) {
    const vat = line.tax_total.plus(line.shipping_tax_total);
    if (line.rate_percent === null || line.rate_percent === undefined) {
      throw new UnsupportedTaxSetup(`tax line "${line.label || line.rate_code}" has no rate_percent (WooCommerce before 3.7?)`);
    }
    const percent = Money.fromNumber(line.rate_percent);
    if (percent.isNegative() || percent.greaterThan(Money.HUNDRED)) {
      throw new UnsupportedTaxSetup(`tax line "${line.label}" has a rate of ${percent.toString()} %`);
    }
    if (line.compound && !vat.isZero()) {
      throw new UnsupportedTaxSetup(
        `tax line "${line.label}" is a compound tax; Rackbeat takes one VAT rate per line, so compound taxes cannot be sent`,
      );
    }
    if (percent.isZero() && !vat.isZero()) {
      throw new UnsupportedTaxSetup(`tax line "${line.label}" charges ${vat.toString()} at 0 %`);
    }
    percentById.set(line.rate_id, percent);
    const key = rateKey(percent);
    const entry = vatByRate.get(key) ?? { percent, wooVat: Money.ZERO, targetVat: Money.ZERO, labels: [] };
    entry.wooVat = entry.wooVat.plus(vat);
    entry.targetVat = entry.wooVat.round(2);
    if (line.label) entry.labels.push(line.label);
    vatByRate.set(key, entry);
  }
  return { percentById, vatByRate };
}

/** One rate's share of a line's tax. */
export interface LineRateShare {
  percent: Money;
  tax: Money;
}

/**
 * The rates a line was taxed at, merged by percent, in the order WooCommerce lists them. An empty
 * list means the line carried no tax entry at all (tax status none, or a customer without a rate):
 * it is a 0 % line. Entries whose rate id is unknown to the order are ignored when they carry no tax.
 */
export function lineRateShares(taxes: readonly WooTaxEntry[], rates: OrderRates, what: string): LineRateShare[] {
  const shares: LineRateShare[] = [];
  for (const entry of taxes) {
    const percent = rates.percentById.get(entry.id);
    if (percent === undefined) {
      if (entry.total.isZero()) continue;
      throw new UnsupportedTaxSetup(`${what} is taxed at rate id ${entry.id}, which is not among the order's tax lines`);
    }
    const existing = shares.find((s) => s.percent.equals(percent));
    if (existing) existing.tax = existing.tax.plus(entry.total);
    else shares.push({ percent, tax: entry.total });
  }
  return shares;
}

/**
 * The single VAT rate of an item line. Items are taxed at one rate in any VAT setup Rackbeat can
 * express; a line taxed at two non-zero amounts (stacked or compound rates) is refused.
 */
export function itemRate(taxes: readonly WooTaxEntry[], rates: OrderRates, what: string): Money {
  const shares = lineRateShares(taxes, rates, what);
  if (shares.length === 0) return Money.ZERO;
  if (shares.length === 1) return (shares[0] as LineRateShare).percent;
  const taxed = shares.filter((s) => !s.tax.isZero());
  if (taxed.length === 1) return (taxed[0] as LineRateShare).percent;
  if (taxed.length === 0) return (shares[0] as LineRateShare).percent;
  throw new UnsupportedTaxSetup(
    `${what} is taxed at several rates at once (${taxed.map((s) => `${s.percent.toString()} %`).join(" + ")}); Rackbeat takes one VAT rate per line`,
  );
}
