/**
 * Exact decimal arithmetic that reproduces how WooCommerce (PHP) rounds money.
 *
 * WooCommerce computes with PHP floats, but every place where the result matters is rounded:
 * taxes to 6 decimals (WC_Tax::round), cents with precision (wc_add_number_precision), line and
 * order totals to the shop's decimals. PHP's round() pre-rounds to 15 significant digits before
 * applying the mode, so for decimal inputs it behaves like exact decimal rounding. We therefore
 * compute exactly (decimal.js, 60 significant digits) and round where WooCommerce rounds.
 * [inference] exact arithmetic equals PHP's float results except at pathological ties beyond the
 * 15th significant digit; every recorded order (orders/*) is reproduced to the cent.
 */
import { Decimal } from "decimal.js";

export const Dec = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -40, toExpPos: 40 });
export type Dec = Decimal;

export type RoundMode = "half_up" | "half_down";

export const ZERO = new Dec(0);

export function dec(value: Decimal.Value): Dec {
  return new Dec(value);
}

/** Parses a PHP-ish numeric string ("", "abc" and null count as 0, like (float) casts). */
export function decOrZero(value: string | number | null | undefined): Dec {
  if (value === null || value === undefined) return ZERO;
  if (typeof value === "number") return Number.isFinite(value) ? new Dec(value) : ZERO;
  const trimmed = value.trim();
  const match = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(trimmed);
  return match ? new Dec(match[0]) : ZERO;
}

/** PHP round( $value, $places, PHP_ROUND_HALF_UP|PHP_ROUND_HALF_DOWN ): ties away from / towards zero. */
export function phpRound(value: Dec, places = 0, mode: RoundMode = "half_up"): Dec {
  return value.toDecimalPlaces(places, mode === "half_up" ? Decimal.ROUND_HALF_UP : Decimal.ROUND_HALF_DOWN);
}

/** PHP floor(). */
export function phpFloor(value: Dec): Dec {
  return value.floor();
}

/** WordPress absint(): abs(intval()). */
export function absint(value: Dec): Dec {
  return value.abs().trunc();
}

export function sum(values: Iterable<Dec>): Dec {
  let total = ZERO;
  for (const v of values) total = total.plus(v);
  return total;
}

/**
 * What a PHP float becomes when WooCommerce stores it: wc_format_decimal( $float ) prints it with
 * sprintf( '%.6f' ) (wc_get_rounding_precision() decimals) and trims trailing zeros. Stored line
 * totals, taxes and coupon amounts therefore carry at most 6 decimals ("26.735849", "11.3957").
 * [recorded] api/order-dp-6/*.json. Exact ties at the 7th decimal are resolved half-to-even
 * [inference: PHP rounds the binary value, which lies on either side of such a tie].
 */
export function storeFloat(value: Dec, places = 6): Dec {
  if (value.isZero()) return ZERO;
  return value.toDecimalPlaces(places, Decimal.ROUND_HALF_EVEN);
}

/** The stored string of such a float: "11.4", "100", "0", "-0.000714". */
export function phpFloatString(value: Dec): string {
  const v = storeFloat(value);
  if (v.isZero()) return "0";
  return v.toFixed();
}

/** wc_format_decimal( $value, $dp ) → number_format(): rounds half away from zero; never "-0.00" (PHP 8). */
export function formatDp(value: Dec, dp: number): string {
  const rounded = phpRound(value, dp, "half_up");
  const text = rounded.toFixed(dp);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

/** Settings that influence WooCommerce's money precision. */
export interface PrecisionSettings {
  priceDecimals: number;
}

/** wc_get_rounding_precision(): max(decimals + 2, WC_ROUNDING_PRECISION = 6). */
export function roundingPrecision(p: PrecisionSettings): number {
  return Math.max(p.priceDecimals + 2, 6);
}

/** wc_add_number_precision( $value, $round ): to "cents", rounded to the remaining precision. */
export function addPrecision(value: Dec, p: PrecisionSettings, round = true): Dec {
  if (value.isZero()) return ZERO;
  const cents = value.times(Dec.pow(10, p.priceDecimals));
  return round ? phpRound(cents, roundingPrecision(p) - p.priceDecimals) : cents;
}

/** wc_remove_number_precision(): back from "cents" (no rounding). */
export function removePrecision(value: Dec, p: PrecisionSettings): Dec {
  return value.div(Dec.pow(10, p.priceDecimals));
}

/** WC_Tax::round(): taxes are rounded to the rounding precision (6 decimals) right after calculation. */
export function taxPrecisionRound(value: Dec, p: PrecisionSettings): Dec {
  return phpRound(value, roundingPrecision(p), "half_up");
}
