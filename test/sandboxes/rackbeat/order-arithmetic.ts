/**
 * Order line arithmetic of the Rackbeat SANDBOX (pure, no I/O).
 *
 * This is the sandbox's model, not Rackbeat's: Rackbeat's exact rounding of order lines and VAT is
 * not documented (rackbeat-api.md, "Open questions"). The sandbox can therefore run under two
 * models and the connector's money tests must come out exact under both:
 *
 * - "line":  line_total = round2(quantity × line_price × (1 − discount/100));
 *            line vat   = round2(line_total × rate/100);
 *            per-rate base/vat and the order totals are sums of those rounded line figures.
 * - "total": nothing is rounded per line; per rate, base = Σ exact line totals and
 *            vat = base × rate/100; each rate's base and vat are rounded to 2 dp at the end;
 *            total_subtotal = Σ rounded bases, total_vat = Σ rounded vats,
 *            total_total = total_subtotal + total_vat.
 *
 * Rounding is half away from zero (so −0.005 → −0.01). All arithmetic is exact decimal
 * (decimal.js, generous precision); JS numbers are only the input/output format. An input
 * number is read through its shortest round-trip decimal string (`String(0.1)` = "0.1"), so a
 * price written as 19.99 is computed as exactly 19.99.
 */
import { Decimal } from "decimal.js";

/** A private Decimal constructor: exact for any realistic order (60 significant digits). */
const D = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -60, toExpPos: 60 });
type Dec = InstanceType<typeof D>;

export type RoundingModel = "line" | "total";

export interface ArithmeticLine {
  quantity: number;
  line_price: number;
  discount_percentage?: number;
  vat_percentage: number;
}

export interface OrderTotals {
  /**
   * Per line: the line total excluding VAT and its VAT. Under "line" these are the rounded
   * figures the totals are built from; under "total" they are the exact (unrounded) figures,
   * since that model rounds nothing per line.
   */
  lines: { line_total: number; vat: number }[];
  /** One entry per VAT rate present, sorted by rate descending; amounts rounded to 2 dp. */
  vat_by_rate: { rate: number; base: number; vat: number }[];
  total_subtotal: number;
  total_vat: number;
  total_total: number;
}

const HUNDRED = new D(100);

function dec(value: number, field: string): Dec {
  if (!Number.isFinite(value)) throw new RangeError(`${field} must be a finite number, got ${value}`);
  return new D(String(value));
}

/** Rounds to 2 decimals, half away from zero. */
export function round2(value: Dec): Dec {
  return value.toDecimalPlaces(2, D.ROUND_HALF_UP);
}

/** Exact line total excluding VAT: quantity × line_price × (1 − discount/100). */
function exactLineTotal(line: ArithmeticLine): Dec {
  const discount = dec(line.discount_percentage ?? 0, "discount_percentage");
  return dec(line.quantity, "quantity")
    .times(dec(line.line_price, "line_price"))
    .times(HUNDRED.minus(discount))
    .dividedBy(HUNDRED);
}

/** Number out of an exact decimal (2-dp values convert exactly to the nearest double). */
const num = (value: Dec): number => {
  const n = value.toNumber();
  return Object.is(n, -0) ? 0 : n;
};

export function computeOrderTotals(lines: ArithmeticLine[], model: RoundingModel): OrderTotals {
  const perLine: { base: Dec; vat: Dec; rate: Dec }[] = lines.map((line) => {
    const rate = dec(line.vat_percentage, "vat_percentage");
    const exact = exactLineTotal(line);
    if (model === "line") {
      const base = round2(exact);
      return { base, vat: round2(base.times(rate).dividedBy(HUNDRED)), rate };
    }
    return { base: exact, vat: exact.times(rate).dividedBy(HUNDRED), rate };
  });

  // Group by rate (keyed by the canonical decimal string so 25 and 25.0 are one rate).
  const byRate = new Map<string, { rate: Dec; base: Dec; vat: Dec }>();
  for (const l of perLine) {
    const key = l.rate.toString();
    const entry = byRate.get(key) ?? { rate: l.rate, base: new D(0), vat: new D(0) };
    entry.base = entry.base.plus(l.base);
    entry.vat = model === "line" ? entry.vat.plus(l.vat) : entry.vat; // "total": computed from the base below
    byRate.set(key, entry);
  }

  const rates = [...byRate.values()]
    .map((e) => {
      if (model === "line") return { rate: e.rate, base: e.base, vat: e.vat }; // sums of 2-dp figures: already 2 dp
      return { rate: e.rate, base: round2(e.base), vat: round2(e.base.times(e.rate).dividedBy(HUNDRED)) };
    })
    .sort((a, b) => b.rate.comparedTo(a.rate));

  const subtotal = rates.reduce((s, r) => s.plus(r.base), new D(0));
  const vat = rates.reduce((s, r) => s.plus(r.vat), new D(0));

  return {
    lines: perLine.map((l) => ({ line_total: num(l.base), vat: num(l.vat) })),
    vat_by_rate: rates.map((r) => ({ rate: num(r.rate), base: num(r.base), vat: num(r.vat) })),
    total_subtotal: num(subtotal),
    total_vat: num(vat),
    total_total: num(subtotal.plus(vat)),
  };
}
