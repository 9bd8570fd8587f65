/**
 * The check every money test makes: Rackbeat's figures for the produced lines, computed by the
 * Rackbeat SANDBOX's own arithmetic (not the bridge's copy of it), under both rounding models,
 * against WooCommerce's order total and `tax_lines` per rate.
 */
import { Decimal } from "decimal.js";
import { computeOrderTotals, type RoundingModel } from "../sandboxes/rackbeat/order-arithmetic.js";
import type { RackbeatOrderLinePayload } from "../../bridge/src/sync/orders/woo-order-to-rackbeat-order.js";

export const MODELS: RoundingModel[] = ["line", "total"];

const D = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_UP });

/** WooCommerce's expectation, to the cent: total, and VAT per rate (tax_lines summed by rate_percent). */
export function wooExpectation(order: { total: string; tax_lines: { rate_percent?: number | null; tax_total: string; shipping_tax_total?: string }[] }) {
  const vat = new Map<number, InstanceType<typeof D>>();
  for (const t of order.tax_lines) {
    const rate = Number(t.rate_percent);
    vat.set(rate, (vat.get(rate) ?? new D(0)).plus(new D(t.tax_total)).plus(new D(t.shipping_tax_total || "0")));
  }
  return {
    total: new D(order.total).toDecimalPlaces(2, D.ROUND_HALF_UP).toNumber(),
    vatByRate: new Map([...vat].map(([rate, v]) => [rate, v.toDecimalPlaces(2, D.ROUND_HALF_UP).toNumber()])),
  };
}

/** Differences between Rackbeat (sandbox arithmetic, `model`) and WooCommerce; empty when equal to the cent. */
export function moneyMismatches(
  lines: RackbeatOrderLinePayload[],
  order: Parameters<typeof wooExpectation>[0],
  model: RoundingModel,
): string[] {
  const want = wooExpectation(order);
  const got = computeOrderTotals(lines, model);
  const problems: string[] = [];
  if (got.total_total !== want.total) problems.push(`${model}: total ${got.total_total} ≠ ${want.total}`);
  const rates = new Set([...want.vatByRate.keys(), ...got.vat_by_rate.map((r) => r.rate)]);
  for (const rate of rates) {
    const g = got.vat_by_rate.find((r) => r.rate === rate)?.vat ?? 0;
    const w = want.vatByRate.get(rate) ?? 0;
    if (g !== w) problems.push(`${model}: VAT at ${rate} % ${g} ≠ ${w}`);
  }
  return problems;
}
