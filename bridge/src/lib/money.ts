/**
 * The bridge's one money type: an exact decimal held as a bigint number of units at a decimal
 * scale (`units × 10^-scale`). WooCommerce sends money as decimal strings that can carry 2, 3 or
 * 6 decimals (tax amounts and line figures in 3-decimal shops, `?dp=6`), Rackbeat takes numbers
 * with 2-decimal results: both are parsed into `Money` exactly and every sum, product and rounding
 * is integer arithmetic. A float never takes part in arithmetic; `toNumber()` exists only to write
 * a JSON number, and it always round-trips (`String(m.toNumber())` is `m.toString()`).
 *
 * The same type also carries the other exact decimals money arithmetic needs (quantities, VAT
 * rates, discount percentages), so no product of two of them is ever computed in floating point.
 *
 * No library: bigint is native, exact and unbounded; decimal.js / big.js were considered (decimal.js
 * is used by the Rackbeat sandbox) but a money type needs only + − × and explicit rounding, and a
 * precision setting that silently rounds results is exactly what money must not have.
 */

export type RoundingMode =
  /** Nearest; halves go away from zero (−0.005 → −0.01). What WooCommerce and Rackbeat's sandbox use. */
  | "half-away-from-zero"
  /** Nearest; halves go to the even neighbour (banker's rounding). */
  | "half-even"
  /** Toward −∞. */
  | "floor"
  /** Toward +∞. */
  | "ceil"
  /** Toward zero. */
  | "trunc";

/** A string or number that is not a decimal money amount. */
export class MoneyParseError extends Error {
  constructor(readonly input: unknown, reason: string) {
    super(`${JSON.stringify(input)} is not a decimal amount: ${reason}`);
    this.name = "MoneyParseError";
  }
}

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?$/;
const TEN = 10n;

const pow10Cache: bigint[] = [];
function pow10(n: number): bigint {
  if (n < 0) throw new RangeError(`negative power of ten: ${n}`);
  let cached = pow10Cache[n];
  if (cached === undefined) {
    cached = TEN ** BigInt(n);
    if (n < 64) pow10Cache[n] = cached;
  }
  return cached;
}

/** Integer division with an explicit rounding mode (bigint `/` truncates toward zero). */
function divRound(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  if (denominator === 0n) throw new RangeError("division by zero");
  if (denominator < 0n) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const q = numerator / denominator;
  const r = numerator % denominator;
  if (r === 0n) return q;
  const negative = numerator < 0n;
  const awayFromZero = negative ? q - 1n : q + 1n;
  switch (mode) {
    case "trunc":
      return q;
    case "floor":
      return negative ? q - 1n : q;
    case "ceil":
      return negative ? q : q + 1n;
    case "half-away-from-zero": {
      const twice = (r < 0n ? -r : r) * 2n;
      return twice >= denominator ? awayFromZero : q;
    }
    case "half-even": {
      const twice = (r < 0n ? -r : r) * 2n;
      if (twice > denominator) return awayFromZero;
      if (twice < denominator) return q;
      return q % 2n === 0n ? q : awayFromZero;
    }
  }
}

export class Money {
  /** Value = units × 10^-scale; always normalised (no trailing zero digits in `units` when scale > 0). */
  readonly units: bigint;
  readonly scale: number;

  private constructor(units: bigint, scale: number) {
    while (scale > 0 && units % TEN === 0n) {
      units /= TEN;
      scale -= 1;
    }
    this.units = units;
    this.scale = scale;
  }

  static readonly ZERO = new Money(0n, 0);
  static readonly ONE = new Money(1n, 0);
  static readonly HUNDRED = new Money(100n, 0);

  /**
   * Parses a decimal string exactly: "12", "-0.005", "59.988", "45.935261", "1e-5", "-7.14e-05".
   * Surrounding spaces, thousands separators, "", "NaN" and "Infinity" are refused.
   */
  static parse(text: string): Money {
    if (typeof text !== "string") throw new MoneyParseError(text, "not a string");
    const m = DECIMAL.exec(text);
    if (!m) throw new MoneyParseError(text, "expected digits with an optional sign, decimal point and exponent");
    const [, sign, intPart = "", fracPart = "", exp] = m;
    if (intPart === "" && fracPart === "") throw new MoneyParseError(text, "no digits");
    let units = BigInt((intPart || "0") + fracPart);
    if (sign === "-") units = -units;
    let scale = fracPart.length - (exp === undefined ? 0 : Number(exp));
    if (scale < 0) {
      units *= pow10(-scale);
      scale = 0;
    }
    return new Money(units, scale);
  }

  /**
   * A JSON number from an API (a VAT `rate_percent`, a quantity), read through its shortest
   * round-trip decimal string: 0.1 is read as exactly 0.1, 12.489999999999998 as exactly that.
   */
  static fromNumber(value: number): Money {
    if (!Number.isFinite(value)) throw new MoneyParseError(value, "not a finite number");
    return Money.parse(String(value));
  }

  /** Integer minor units at a number of decimals: `fromMinorUnits(1999n, 2)` is 19.99. */
  static fromMinorUnits(units: bigint | number, decimals: number): Money {
    if (typeof units === "number" && !Number.isSafeInteger(units)) {
      throw new MoneyParseError(units, "minor units must be a safe integer");
    }
    if (!Number.isInteger(decimals) || decimals < 0) throw new RangeError(`bad decimals: ${decimals}`);
    return new Money(BigInt(units), decimals);
  }

  static of(value: Money | string | number | bigint): Money {
    if (value instanceof Money) return value;
    if (typeof value === "string") return Money.parse(value);
    if (typeof value === "bigint") return new Money(value, 0);
    return Money.fromNumber(value);
  }

  static sum(values: Iterable<Money>): Money {
    let total = Money.ZERO;
    for (const v of values) total = total.plus(v);
    return total;
  }

  /** Both operands as units at their common (larger) scale. */
  private static aligned(a: Money, b: Money): [bigint, bigint, number] {
    if (a.scale === b.scale) return [a.units, b.units, a.scale];
    if (a.scale > b.scale) return [a.units, b.units * pow10(a.scale - b.scale), a.scale];
    return [a.units * pow10(b.scale - a.scale), b.units, b.scale];
  }

  plus(other: Money): Money {
    const [x, y, s] = Money.aligned(this, other);
    return new Money(x + y, s);
  }

  minus(other: Money): Money {
    const [x, y, s] = Money.aligned(this, other);
    return new Money(x - y, s);
  }

  negate(): Money {
    return new Money(-this.units, this.scale);
  }

  abs(): Money {
    return this.units < 0n ? this.negate() : this;
  }

  /** Exact product. */
  times(other: Money | number | bigint): Money {
    const o = other instanceof Money ? other : Money.of(other);
    return new Money(this.units * o.units, this.scale + o.scale);
  }

  /** Quotient rounded to `decimals` places; division is the one operation that cannot be exact. */
  dividedBy(other: Money | number | bigint, decimals: number, mode: RoundingMode = "half-away-from-zero"): Money {
    const o = other instanceof Money ? other : Money.of(other);
    if (o.units === 0n) throw new RangeError("division by zero");
    // this / o = (tu × 10^-ts) / (ou × 10^-os); scaled to `decimals`: tu × 10^(decimals − ts + os) / ou
    const shift = decimals - this.scale + o.scale;
    const numerator = shift >= 0 ? this.units * pow10(shift) : this.units;
    const denominator = shift >= 0 ? o.units : o.units * pow10(-shift);
    return new Money(divRound(numerator, denominator, mode), decimals);
  }

  /** Whether the quotient this / other terminates within `decimals` places (so `dividedBy` is exact). */
  dividesExactly(other: Money, decimals: number): boolean {
    const q = this.dividedBy(other, decimals, "trunc");
    return q.times(other).equals(this);
  }

  /** Rounded to `decimals` places (default half away from zero). */
  round(decimals: number, mode: RoundingMode = "half-away-from-zero"): Money {
    if (this.scale <= decimals) return this;
    return new Money(divRound(this.units, pow10(this.scale - decimals), mode), decimals);
  }

  compare(other: Money): -1 | 0 | 1 {
    const [x, y] = Money.aligned(this, other);
    return x < y ? -1 : x > y ? 1 : 0;
  }

  equals(other: Money): boolean {
    return this.units === other.units && this.scale === other.scale; // normalised, so structural
  }

  lessThan(other: Money): boolean {
    return this.compare(other) < 0;
  }

  greaterThan(other: Money): boolean {
    return this.compare(other) > 0;
  }

  isZero(): boolean {
    return this.units === 0n;
  }

  isNegative(): boolean {
    return this.units < 0n;
  }

  isPositive(): boolean {
    return this.units > 0n;
  }

  sign(): -1 | 0 | 1 {
    return this.units < 0n ? -1 : this.units > 0n ? 1 : 0;
  }

  isInteger(): boolean {
    return this.scale === 0;
  }

  /** Number of decimals needed to write the value exactly (0 for integers). */
  get decimals(): number {
    return this.scale;
  }

  min(other: Money): Money {
    return this.compare(other) <= 0 ? this : other;
  }

  max(other: Money): Money {
    return this.compare(other) >= 0 ? this : other;
  }

  /** The value as integer units at `decimals` places; throws if that would lose digits. */
  toMinorUnits(decimals: number): bigint {
    if (this.scale > decimals) {
      throw new RangeError(`${this.toString()} has more than ${decimals} decimals; round it first`);
    }
    return this.units * pow10(decimals - this.scale);
  }

  /** Canonical decimal string without trailing zeros: "19.99", "-0.005", "12.5", "0". */
  toString(): string {
    const negative = this.units < 0n;
    const digits = (negative ? -this.units : this.units).toString();
    if (this.scale === 0) return (negative ? "-" : "") + digits;
    const padded = digits.padStart(this.scale + 1, "0");
    const intPart = padded.slice(0, padded.length - this.scale);
    const frac = padded.slice(padded.length - this.scale);
    return `${negative ? "-" : ""}${intPart}.${frac}`;
  }

  /** Fixed number of decimals, rounded half away from zero: `toFixed(2)` of 59.988 is "59.99". */
  toFixed(decimals: number): string {
    const r = this.round(decimals);
    const negative = r.units < 0n;
    const digits = (negative ? -r.units : r.units) * pow10(decimals - r.scale);
    const padded = digits.toString().padStart(decimals + 1, "0");
    if (decimals === 0) return (negative ? "-" : "") + padded;
    return `${negative ? "-" : ""}${padded.slice(0, -decimals)}.${padded.slice(-decimals)}`;
  }

  /**
   * A JSON number for an API body. Exact for the values the bridge writes (at most 15 significant
   * digits, which every 2-decimal amount below 10^13 and every 6-decimal price below 10^9 is):
   * throws rather than write a number that would not read back as the same decimal.
   */
  toNumber(): number {
    const text = this.toString();
    const n = Number(text);
    if (String(n) !== text && !(n === 0 && this.isZero())) {
      throw new RangeError(`${text} cannot be written as a JSON number exactly`);
    }
    return Object.is(n, -0) ? 0 : n;
  }

  toJSON(): string {
    return this.toString();
  }
}

/** Shorthand for `Money.parse` / `Money.of`. */
export function money(value: Money | string | number | bigint): Money {
  return Money.of(value);
}
