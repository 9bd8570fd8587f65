import { Money } from "../../lib/money.js";
import type { OrderSettings } from "../../settings/order-settings.js";
import { OrderLineWithoutSku, WooOrderInvalid } from "./order-errors.js";
import { representLine } from "./line-representation.js";
import type { DraftLine, LineKind } from "./money-matching.js";
import { itemRate, lineRateShares, rateKey, type LineRateShare, type OrderRates, type RateKey } from "./tax-rates.js";
import type { WooCouponLine, WooFeeLine, WooOrder } from "./woo-order.js";

/**
 * The order's own lines, as WooCommerce has them, written as Rackbeat lines (before any rounding
 * line): items, coupon discounts (as line percentages or negative lines), shipping, fees, payment
 * fees and gift cards. Every line's intended total excl. VAT is WooCommerce's figure rounded to
 * cents; its VAT rate is the one WooCommerce taxed it at.
 */

/** Line names the bridge writes itself (items, fees and shipping keep WooCommerce's names). */
export const LINE_LABELS = {
  discount: (codes: string[]) => (codes.length > 0 ? `Discount (${codes.join(", ")})` : "Discount"),
  giftCard: (code: string) => (code ? `Gift card ${code}` : "Gift card"),
  rounding: (percent: Money) => (percent.isZero() ? "Rounding" : `Rounding (${percent.toString()} % VAT)`),
  shipping: "Shipping",
  fee: "Fee",
} as const;

export interface NaturalLines {
  lines: DraftLine[];
  /** Σ intended line totals (cents) — WooCommerce's side of the order, before VAT. */
  intendedNet: Money;
  /** How many WooCommerce money figures went into `intendedNet` (each may carry up to half a cent of display rounding). */
  figureCount: number;
  quantitySplits: number;
  notes: string[];
}

type CouponKind = "percent" | "fixed_cart" | "fixed_product" | "other";

interface CouponInfo {
  code: string;
  kind: CouponKind;
  amount: Money | null;
}

/** Coupon type and nominal amount: REST fields since WooCommerce 8, else the `coupon_info` meta `[id, code, type, amount]`. */
export function couponInfo(line: WooCouponLine): CouponInfo {
  let type: string | null | undefined = line.discount_type;
  let amount: Money | null = line.nominal_amount === null || line.nominal_amount === undefined ? null : Money.fromNumber(line.nominal_amount);
  const meta = line.meta_data.find((m) => m.key === "coupon_info");
  if ((type === undefined || amount === null) && meta && typeof meta.value === "string") {
    try {
      const parsed: unknown = JSON.parse(meta.value);
      if (Array.isArray(parsed)) {
        if (type === undefined) type = typeof parsed[2] === "string" ? parsed[2] : null;
        if (amount === null && typeof parsed[3] === "number") amount = Money.fromNumber(parsed[3]);
      }
    } catch {
      // Not JSON: the type stays unknown.
    }
  }
  // WooCommerce leaves the default type (fixed_cart) out of coupon_info: null there means fixed_cart.
  const t = type ?? "fixed_cart";
  const kind: CouponKind = t === "percent" || t === "fixed_cart" || t === "fixed_product" ? t : "other";
  return { code: line.code, kind, amount };
}

function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

function matchesAny(name: string, fragments: readonly string[]): boolean {
  const lower = name.toLowerCase();
  return fragments.some((f) => lower.includes(f.toLowerCase()));
}

/** Cent amounts c at `percent` whose VAT, rounded half away from zero, is exactly `tax`: [lo, hi], or null. */
function vatWindow(tax: Money, percent: Money): { lo: Money; hi: Money } | null {
  const vatOf = (c: Money) => c.times(percent).dividedBy(Money.HUNDRED, 2);
  const half = Money.parse("0.005");
  let lo = tax.minus(half).times(Money.HUNDRED).dividedBy(percent, 2, "ceil");
  let hi = tax.plus(half).times(Money.HUNDRED).dividedBy(percent, 2, "floor");
  const cent = Money.parse("0.01");
  while (!lo.greaterThan(hi) && !vatOf(lo).equals(tax)) lo = lo.plus(cent);
  while (!hi.lessThan(lo) && !vatOf(hi).equals(tax)) hi = hi.minus(cent);
  return lo.greaterThan(hi) ? null : { lo, hi };
}

/**
 * Splits an amount over the rates a fee or shipping line was taxed at. WooCommerce spreads a
 * negative fee over the classes of the cart in proportion to their net amounts (fixtures README,
 * quirk 11) — including untaxed amounts, which get no tax entry. So each taxed rate gets the base its
 * tax implies (tax ÷ rate, to the cent, kept as close as possible to an even proportional share), and
 * what is left is the part WooCommerce spread over untaxed amounts: a 0 % part.
 */
export function splitOverRates(amount: Money, shares: readonly LineRateShare[]): { percent: Money; amount: Money }[] {
  if (shares.length === 0) return [{ percent: Money.ZERO, amount }];
  if (shares.length === 1) return [{ percent: (shares[0] as LineRateShare).percent, amount }];
  const weights = shares.map((s) => (s.percent.isZero() ? Money.ZERO : s.tax.times(Money.HUNDRED).dividedBy(s.percent, 6).abs()));
  const weightSum = Money.sum(weights);
  if (weightSum.isZero()) return [{ percent: (shares[0] as LineRateShare).percent, amount }];
  // Proportional shares to the cent (largest remainder) …
  const cents = amount.abs().toMinorUnits(2);
  const sign = amount.isNegative() ? -1n : 1n;
  const exact = weights.map((w) => Money.fromMinorUnits(cents, 0).times(w));
  const floors = exact.map((e) => e.dividedBy(weightSum, 0, "floor").units);
  let left = cents - floors.reduce((a, b) => a + b, 0n);
  const order = exact
    .map((e, i) => ({ i, rem: e.minus(weightSum.times(Money.fromMinorUnits(floors[i] as bigint, 0))) }))
    .sort((a, b) => b.rem.compare(a.rem) || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0n) break;
    floors[i] = (floors[i] as bigint) + 1n;
    left -= 1n;
  }
  // … each kept within the amounts whose VAT is exactly the tax WooCommerce put on that rate.
  const parts = shares.map((s, i) => {
    let part = Money.fromMinorUnits(sign * (floors[i] as bigint), 2);
    if (!s.percent.isZero()) {
      const window = vatWindow(s.tax.round(2), s.percent);
      if (window) part = part.max(window.lo).min(window.hi);
    }
    return { percent: s.percent, amount: part };
  });
  const rest = amount.minus(Money.sum(parts.map((p) => p.amount)));
  const zero = parts.find((p) => p.percent.isZero());
  if (zero) zero.amount = zero.amount.plus(rest);
  else if (!rest.isZero()) parts.push({ percent: Money.ZERO, amount: rest });
  return parts.filter((p) => !p.amount.isZero());
}

export function buildOrderLines(order: WooOrder, settings: OrderSettings, rates: OrderRates): NaturalLines {
  const lines: DraftLine[] = [];
  const notes: string[] = [];
  const carry = new Map<RateKey, Money>();
  let quantitySplits = 0;
  let intendedNet = Money.ZERO;
  let figureCount = 0;
  const articles = settings.articleNumbers;

  /** Adds a line whose total must be `total`, shaped by `representLine`. */
  const push = (kind: LineKind, itemId: string, name: string, percent: Money, quantity: Money, total: Money, listTotal: Money | null) => {
    const key = rateKey(percent);
    const rep = representLine({ quantity, total, listTotal, carry: carry.get(key) ?? Money.ZERO });
    carry.set(key, (carry.get(key) ?? Money.ZERO).plus(rep.error));
    if (rep.split) {
      quantitySplits += 1;
      notes.push(`"${name}": no unit price reaches ${total.toFixed(2)} for ${quantity.toString()} units, so it is split into ${rep.shapes.length} lines one cent apart`);
    }
    for (const shape of rep.shapes) {
      lines.push({ kind, itemId, name: truncate(name, 255), vatPercent: percent, ...shape });
    }
  };

  // ── coupons: which part of each item's discount is shown on the line, which as negative lines
  const coupons = order.coupon_lines.map(couponInfo);
  const codes = coupons.map((c) => c.code).filter((c) => c !== "");
  const cartWide = coupons.filter((c) => c.kind === "fixed_cart" || c.kind === "other");
  const percentSum = Money.sum(coupons.filter((c) => c.kind === "percent").map((c) => c.amount ?? Money.ZERO));
  const fixedProductSum = Money.sum(coupons.filter((c) => c.kind === "fixed_product").map((c) => c.amount ?? Money.ZERO));
  const negativeDiscount = new Map<RateKey, { percent: Money; amount: Money }>();
  const asNegativeLines = settings.discountRepresentation === "negative_lines";

  order.line_items.forEach((item, index) => {
    const what = `line "${item.name || `#${index + 1}`}"`;
    const quantity = Money.fromNumber(item.quantity);
    const total = item.total.round(2);
    const subtotal = item.subtotal.round(2);
    intendedNet = intendedNet.plus(total);
    figureCount += 1;
    if (!quantity.isPositive()) {
      if (total.isZero() && subtotal.isZero()) {
        notes.push(`${what} has quantity ${quantity.toString()} and no amount; left out`);
        return;
      }
      throw new WooOrderInvalid([`line_items.${index}.quantity: ${quantity.toString()} with an amount of ${total.toFixed(2)}`]);
    }
    const sku = item.sku.trim();
    if (sku === "") throw new OrderLineWithoutSku(item.name, item.product_id);
    const percent = itemRate(item.taxes, rates, what);

    const discount = subtotal.minus(total); // > 0: coupons took this much off the line
    let lineTotal = total;
    if (discount.isPositive()) {
      let onLine = discount;
      if (asNegativeLines) onLine = Money.ZERO;
      else if (cartWide.length > 0) {
        // Show the percent / per-product part as the line's percentage; the cart-wide part goes on a
        // negative line per rate. WooCommerce does not record the split per line, so the line part is
        // the percentage and per-product amounts applied to the line, capped by what the line lost.
        const estimate = subtotal
          .times(percentSum)
          .dividedBy(Money.HUNDRED, 2)
          .plus(fixedProductSum.times(quantity).min(subtotal));
        onLine = estimate.max(Money.ZERO).min(discount);
      }
      lineTotal = subtotal.minus(onLine);
      const rest = lineTotal.minus(total);
      if (!rest.isZero()) {
        const key = rateKey(percent);
        const entry = negativeDiscount.get(key) ?? { percent, amount: Money.ZERO };
        entry.amount = entry.amount.plus(rest);
        negativeDiscount.set(key, entry);
      }
    }
    push("item", sku, item.name || sku, percent, quantity, lineTotal, lineTotal.lessThan(subtotal) ? subtotal : null);
  });

  const discountRates = [...negativeDiscount.values()].filter((d) => !d.amount.isZero());
  for (const d of discountRates) {
    const name = LINE_LABELS.discount(codes) + (discountRates.length > 1 ? ` ${d.percent.toString()} % VAT` : "");
    push("discount", articles.fixedDiscount, name, d.percent, Money.ONE, d.amount.negate(), null);
  }

  // ── shipping
  const skipZero = settings.zeroAmountLines === "skip";
  order.shipping_lines.forEach((ship, index) => {
    const total = ship.total.round(2);
    intendedNet = intendedNet.plus(total);
    figureCount += 1;
    if (skipZero && total.isZero() && ship.total_tax.isZero()) {
      notes.push(`shipping "${ship.method_title}" of 0.00 left out (zero-amount lines: skip)`);
      return;
    }
    const table = articles.shippingMethods;
    const itemId = table[`${ship.method_id}:${ship.instance_id}`] ?? table[ship.method_id] ?? articles.shippingDefault;
    const shares = lineRateShares(ship.taxes, rates, `shipping "${ship.method_title || index + 1}"`);
    const parts = splitOverRates(total, shares);
    for (const part of parts) {
      const name = (ship.method_title || LINE_LABELS.shipping) + (parts.length > 1 ? ` (${part.percent.toString()} % VAT)` : "");
      push("shipping", itemId, name, part.percent, Money.ONE, part.amount, null);
    }
    if (parts.length > 1) notes.push(`shipping "${ship.method_title}" was taxed at ${parts.length} rates: one line per rate`);
  });

  // ── fees (payment fees and gift cards among them)
  const paymentTitle = order.payment_method_title.trim().toLowerCase();
  order.fee_lines.forEach((fee: WooFeeLine, index) => {
    const total = fee.total.round(2);
    intendedNet = intendedNet.plus(total);
    figureCount += 1;
    const name = fee.name || LINE_LABELS.fee;
    if (skipZero && total.isZero() && fee.total_tax.isZero()) {
      notes.push(`fee "${name}" of 0.00 left out (zero-amount lines: skip)`);
      return;
    }
    const shares = lineRateShares(fee.taxes, rates, `fee "${name}"`);
    const isGiftCard = total.isNegative() && matchesAny(name, settings.feeNames.giftCard);
    const isPaymentFee =
      !isGiftCard &&
      (matchesAny(name, settings.feeNames.paymentFee) || (paymentTitle !== "" && name.trim().toLowerCase() === paymentTitle));
    const kind: LineKind = isGiftCard ? "gift_card" : isPaymentFee ? "payment_fee" : "fee";
    const itemId = isGiftCard ? articles.giftCard : isPaymentFee ? articles.paymentFee : articles.fee;
    const taxed = shares.some((s) => !s.tax.isZero());
    if (isGiftCard && taxed) {
      notes.push(`gift card "${name}" reduced VAT in WooCommerce; sent at the rates WooCommerce used`);
    }
    const parts = isGiftCard && !taxed ? [{ percent: Money.ZERO, amount: total }] : splitOverRates(total, shares);
    for (const part of parts) {
      push(kind, itemId, name + (parts.length > 1 ? ` (${part.percent.toString()} % VAT)` : ""), part.percent, Money.ONE, part.amount, null);
    }
    if (parts.length > 1) notes.push(`fee "${name}" spans ${parts.length} VAT rates: one line per rate`);
    void index;
  });

  // ── gift cards redeemed through the WooCommerce Gift Cards extension: a payment, so 0 % VAT
  for (const card of order.gift_cards) {
    const amount = card.amount.round(2);
    if (amount.isZero()) continue;
    intendedNet = intendedNet.minus(amount);
    figureCount += 1;
    push("gift_card", articles.giftCard, LINE_LABELS.giftCard(card.code), Money.ZERO, Money.ONE, amount.negate(), null);
  }

  return { lines, intendedNet, figureCount, quantitySplits, notes };
}
