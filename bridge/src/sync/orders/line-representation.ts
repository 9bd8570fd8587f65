import { Money } from "../../lib/money.js";

/**
 * Writing a line total WooCommerce computed as Rackbeat's quantity × line_price × (1 − discount/100).
 *
 * A WooCommerce line total is a whole number of cents (after rounding) but the unit price behind it
 * often is not: 3 T-shirts for 316.22 cost 105.406666… each, a 15 % coupon leaves 169.91 of 199.90,
 * i.e. 15.0025012…% off. So `line_price` and `discount_percentage` carry up to
 * LINE_PRICE_DECIMALS / DISCOUNT_DECIMALS (6) decimals, and only as many as the value needs
 * (99.95 stays 99.95). Six because:
 * - with quantities up to 999, a unit price within 0.0000005 of the ideal puts the line total within
 *   0.0005 (a twentieth of a cent) of the intended cents, so Rackbeat's per-line rounding lands on
 *   exactly WooCommerce's figure;
 * - WooCommerce itself keeps line amounts at 6 decimals (fixtures README, quirk 4), so it is the
 *   precision the source data has anyway; more would be noise, fewer would miss the cent.
 * The residual error of each line is chosen (rounding the 6th decimal up or down) so that the running
 * error of all lines at one VAT rate stays within one line's error: Rackbeat's "total" model, which sums
 * unrounded lines, then still lands on the same cents as its "line" model.
 *
 * When no such price exists within tolerance (a six-figure line with an awkward discount, or a
 * quantity above ~1,000), the line is split by quantity into two 2-decimal prices one cent apart
 * (3 × 105.41 for 316.22 → 2 × 105.41 + 1 × 105.40): exact, at the cost of a second line.
 */

export const LINE_PRICE_DECIMALS = 6;
export const DISCOUNT_DECIMALS = 6;
/** Largest accepted |exact line total − intended total|. */
export const LINE_TOTAL_TOLERANCE = Money.parse("0.0005");

const CENT = Money.parse("0.01");
const ONE_HUNDREDTH = CENT;

export interface LineShape {
  quantity: Money;
  linePrice: Money;
  discountPercent: Money;
}

export interface Representation {
  shapes: LineShape[];
  /** Σ exact line totals − intended total. */
  error: Money;
  /** Whether the line had to be split by quantity. */
  split: boolean;
}

/** x / q at `decimals`: the exact quotient if it terminates, else the two neighbours. */
function quotientCandidates(x: Money, q: Money, decimals: number): Money[] {
  if (x.dividesExactly(q, decimals)) return [x.dividedBy(q, decimals)];
  const lo = x.dividedBy(q, decimals, "floor");
  const hi = x.dividedBy(q, decimals, "ceil");
  return lo.equals(hi) ? [lo] : [lo, hi];
}

function shapeTotal(s: LineShape): Money {
  return s.quantity.times(s.linePrice).times(Money.HUNDRED.minus(s.discountPercent)).times(ONE_HUNDREDTH);
}

interface Candidate {
  shape: LineShape;
  error: Money;
}

function pick(candidates: Candidate[], carry: Money): Candidate | undefined {
  let best: Candidate | undefined;
  for (const c of candidates) {
    if (c.error.abs().greaterThan(LINE_TOTAL_TOLERANCE)) continue;
    if (!best) {
      best = c;
      continue;
    }
    const byCarry = carry.plus(c.error).abs().compare(carry.plus(best.error).abs());
    if (byCarry < 0) best = c;
    else if (byCarry === 0) {
      const byError = c.error.abs().compare(best.error.abs());
      const decimals = c.shape.linePrice.decimals + c.shape.discountPercent.decimals;
      const bestDecimals = best.shape.linePrice.decimals + best.shape.discountPercent.decimals;
      if (byError < 0 || (byError === 0 && decimals < bestDecimals)) best = c;
    }
  }
  return best;
}

/** quantity × price = total, no discount. */
function plainCandidates(quantity: Money, total: Money): Candidate[] {
  return quotientCandidates(total, quantity, LINE_PRICE_DECIMALS).map((price) => {
    const shape = { quantity, linePrice: price, discountPercent: Money.ZERO };
    return { shape, error: shapeTotal(shape).minus(total) };
  });
}

/** quantity × (listTotal / quantity) less a percentage = total. */
function discountCandidates(quantity: Money, total: Money, listTotal: Money): Candidate[] {
  const out: Candidate[] = [];
  for (const price of quotientCandidates(listTotal, quantity, LINE_PRICE_DECIMALS)) {
    const gross = quantity.times(price);
    if (!gross.isPositive()) continue;
    for (const discount of quotientCandidates(gross.minus(total).times(Money.HUNDRED), gross, DISCOUNT_DECIMALS)) {
      if (discount.isNegative() || discount.greaterThan(Money.HUNDRED)) continue;
      const shape = { quantity, linePrice: price, discountPercent: discount };
      out.push({ shape, error: shapeTotal(shape).minus(total) });
    }
  }
  return out;
}

/** Two 2-decimal prices one cent apart; exact for any whole quantity. */
function quantitySplit(quantity: Money, total: Money): LineShape[] {
  const low = total.dividedBy(quantity, 2, "floor");
  const units = total.minus(quantity.times(low)).dividedBy(CENT, 0); // whole number in [0, quantity)
  if (units.isZero()) return [{ quantity, linePrice: low, discountPercent: Money.ZERO }];
  return [
    { quantity: quantity.minus(units), linePrice: low, discountPercent: Money.ZERO },
    { quantity: units, linePrice: low.plus(CENT), discountPercent: Money.ZERO },
  ];
}

/**
 * Shapes for a line of `quantity` whose total excl. VAT must be `total` (whole cents). With
 * `listTotal` (the total before a discount, > total ≥ 0) the line shows the list unit price and a
 * discount percentage. `carry` is the running error of the lines already shaped at the same VAT rate.
 */
export function representLine(args: { quantity: Money; total: Money; listTotal?: Money | null; carry?: Money }): Representation {
  const { quantity, total } = args;
  const carry = args.carry ?? Money.ZERO;
  if (!quantity.isPositive()) throw new RangeError(`quantity must be positive, got ${quantity.toString()}`);
  const listTotal = args.listTotal ?? null;
  const wantsDiscount = listTotal !== null && listTotal.greaterThan(total) && !total.isNegative();
  const chosen =
    (wantsDiscount ? pick(discountCandidates(quantity, total, listTotal), carry) : undefined) ??
    pick(plainCandidates(quantity, total), carry);
  if (chosen) return { shapes: [chosen.shape], error: chosen.error, split: false };
  if (quantity.isInteger() && total.round(2).equals(total)) {
    return { shapes: quantitySplit(quantity, total), error: Money.ZERO, split: true };
  }
  // A fractional quantity with a price no 6-decimal number hits: the nearest one, error reported.
  const nearest = plainCandidates(quantity, total).sort((a, b) => a.error.abs().compare(b.error.abs()))[0];
  if (!nearest) throw new RangeError("no representation");
  return { shapes: [nearest.shape], error: nearest.error, split: false };
}
