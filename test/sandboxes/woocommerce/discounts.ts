/**
 * WC_Discounts: how coupons take money off items, in "cents with precision" (wc_add_number_precision).
 * [source] plugins/woocommerce/includes/class-wc-discounts.php — percent (floor per line, then the
 * remainder a cent at a time), fixed_product (capped at the line's remaining price), fixed_cart
 * (split evenly per unit, absint( amount / units ), repeated until spent, then cent by cent).
 * [recorded] FIX33 on 26 units takes 1.28 per unit and zeroes the 17 × 0.99 line
 * (orders/c1-dkk-excl-lineround/04-rest-C-…json); FIXPROD5 gives "264.9" (…/06-rest-D-…json).
 */
import { Dec, type Dec as DecType, ZERO, absint, phpRound } from "./php-math.js";
import type { Coupon } from "./shop-model.js";

export interface DiscountItem {
  key: string;
  quantity: number;
  /** Line price in cents with precision (subtotal, + subtotal tax when prices include tax). */
  price: DecType;
  productId: number;
  variationId: number;
  onSale: boolean;
}

export class CouponError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class Discounts {
  private readonly items: DiscountItem[];
  /** code → item key → discount in cents */
  private readonly discounts = new Map<string, Map<string, DecType>>();

  constructor(
    items: readonly DiscountItem[],
    private readonly options: { calcDiscountsSequentially: boolean },
  ) {
    // uasort by price × quantity, descending; PHP 8 sorts are stable.
    // uasort( sort_by_price ), highest first; PHP 8 sorts are stable. [recorded] WooCommerce 10.0.2
    // orders the lines by *unit* price: the leftover cents of PCT15 on orders/*/02-rest-B-… go to
    // MUG-001 (99.95 × 2) before MILK-1L (12.49 × 6), whose line total is larger. (The current
    // source multiplies price by quantity; the recorded shop does not behave that way.)
    const unit = (i: DiscountItem): DecType => i.price.div(i.quantity || 1);
    this.items = [...items].sort((a, b) => unit(b).comparedTo(unit(a)));
  }

  /** Validation WC_Discounts::is_coupon_valid performs that the sandbox models (the coupon must exist). */
  static assertValid(coupon: Coupon | undefined, code: string): asserts coupon is Coupon {
    if (!coupon) {
      // [recorded] api/400-order-create-unknown-coupon.json (message with &quot; entities, lower-cased code)
      throw new CouponError("invalid_coupon", `Coupon &quot;${code}&quot; cannot be applied because it does not exist.`);
    }
  }

  applyCoupon(coupon: Coupon): void {
    if (!this.discounts.has(coupon.code)) {
      this.discounts.set(coupon.code, new Map(this.items.map((i) => [i.key, ZERO])));
    }
    const toApply = this.itemsToApply(coupon);
    switch (coupon.discountType) {
      case "percent":
        this.applyPercent(coupon, toApply);
        break;
      case "fixed_product":
        this.applyFixedProduct(coupon, toApply, null);
        break;
      case "fixed_cart":
        this.applyFixedCart(coupon, toApply, null);
        break;
    }
  }

  /** get_discounts_by_item( true ): cents per item key. */
  byItem(): Map<string, DecType> {
    const out = new Map<string, DecType>();
    for (const perItem of this.discounts.values()) {
      for (const [key, amount] of perItem) out.set(key, (out.get(key) ?? ZERO).plus(amount));
    }
    return out;
  }

  /** get_discounts( true ): cents per coupon code per item key. */
  all(): Map<string, Map<string, DecType>> {
    return this.discounts;
  }

  /** get_discounts_by_coupon( true ). */
  byCoupon(): Map<string, DecType> {
    const out = new Map<string, DecType>();
    for (const [code, perItem] of this.discounts) {
      let total = ZERO;
      for (const v of perItem.values()) total = total.plus(v);
      out.set(code, total);
    }
    return out;
  }

  private discountOf(key: string): DecType {
    let total = ZERO;
    for (const perItem of this.discounts.values()) total = total.plus(perItem.get(key) ?? ZERO);
    return total;
  }

  private add(code: string, key: string, amount: DecType): void {
    const perItem = this.discounts.get(code);
    if (!perItem) throw new Error(`coupon ${code} not initialised`);
    perItem.set(key, (perItem.get(key) ?? ZERO).plus(amount));
  }

  /** absint( round( price − discounts so far ) ) */
  private discountedPriceInCents(item: DiscountItem): DecType {
    return absint(phpRound(item.price.minus(this.discountOf(item.key))));
  }

  private itemsToApply(coupon: Coupon): DiscountItem[] {
    return this.items.filter((item) => {
      if (this.discountedPriceInCents(item).isZero() || item.quantity <= 0) return false;
      // fixed_cart coupons are valid for the cart as a whole; the others check product restrictions.
      return coupon.discountType === "fixed_cart" || isValidForProduct(coupon, item);
    });
  }

  private applyPercent(coupon: Coupon, items: DiscountItem[]): DecType {
    let totalDiscount = ZERO;
    let cartTotal = ZERO;
    let appliedCount = 0;
    const limit = coupon.limitUsageToXItems ?? 0;
    const amount = new Dec(coupon.amount);
    for (const item of items) {
      const discountedPrice = this.discountedPriceInCents(item);
      let priceToDiscount = this.options.calcDiscountsSequentially ? discountedPrice : phpRound(item.price);
      const applyQuantity = limit && limit - appliedCount < item.quantity ? limit - appliedCount : item.quantity;
      if (applyQuantity !== item.quantity) priceToDiscount = priceToDiscount.div(item.quantity).times(applyQuantity);
      const discount = percentOfFloored(priceToDiscount, amount);
      const capped = Dec.min(discountedPrice, discount);
      cartTotal = cartTotal.plus(priceToDiscount);
      totalDiscount = totalDiscount.plus(capped);
      appliedCount += applyQuantity;
      this.add(coupon.code, item.key, capped);
    }
    // wc_round_discount( cart_total × amount / 100, 0 ) — PHP_ROUND_HALF_DOWN
    const cartTotalDiscount = phpRound(cartTotal.times(amount).div(100), 0, "half_down");
    if (totalDiscount.lt(cartTotalDiscount)) {
      totalDiscount = totalDiscount.plus(this.applyRemainder(coupon, items, cartTotalDiscount.minus(totalDiscount)));
    }
    return totalDiscount;
  }

  private applyFixedProduct(coupon: Coupon, items: DiscountItem[], amountInCents: DecType | null): DecType {
    let totalDiscount = ZERO;
    const amount = amountInCents && !amountInCents.isZero() ? amountInCents : new Dec(coupon.amount).times(Dec.pow(10, this.decimals));
    const limit = coupon.limitUsageToXItems ?? 0;
    let appliedCount = 0;
    for (const item of items) {
      const discountedPrice = this.discountedPriceInCents(item);
      let discount: DecType;
      let applyQuantity: number;
      if (limit) {
        applyQuantity = limit - appliedCount < item.quantity ? limit - appliedCount : item.quantity;
        applyQuantity = Math.max(0, applyQuantity);
        discount = Dec.min(amount, item.price.div(item.quantity)).times(applyQuantity);
      } else {
        applyQuantity = item.quantity;
        discount = amount.times(applyQuantity);
      }
      const capped = Dec.min(discountedPrice, discount);
      totalDiscount = totalDiscount.plus(capped);
      appliedCount += applyQuantity;
      this.add(coupon.code, item.key, capped);
    }
    return totalDiscount;
  }

  private applyFixedCart(coupon: Coupon, items: DiscountItem[], amountInCents: DecType | null): DecType {
    let totalDiscount = ZERO;
    const amount = amountInCents && !amountInCents.isZero() ? amountInCents : new Dec(coupon.amount).times(Dec.pow(10, this.decimals));
    const withPrice = items.filter((i) => this.discountedPriceInCents(i).gt(0));
    const itemCount = withPrice.reduce((n, i) => n + i.quantity, 0);
    if (!itemCount) return totalDiscount;
    if (amount.isZero()) return this.applyFixedProduct(coupon, withPrice, ZERO);
    const perItem = absint(amount.div(itemCount)); // rounds down to the nearest cent
    if (perItem.gt(0)) {
      totalDiscount = this.applyFixedProduct(coupon, withPrice, perItem);
      if (totalDiscount.gt(0) && totalDiscount.lt(amount)) {
        totalDiscount = totalDiscount.plus(this.applyFixedCart(coupon, withPrice, amount.minus(totalDiscount)));
      }
    } else if (amount.gt(0)) {
      totalDiscount = totalDiscount.plus(this.applyRemainder(coupon, withPrice, amount));
    }
    return totalDiscount;
  }

  /** One cent per unit, in item order, until the amount is reached. */
  private applyRemainder(coupon: Coupon, items: DiscountItem[], amount: DecType): DecType {
    let totalDiscount = ZERO;
    for (const item of items) {
      for (let i = 0; i < item.quantity; i += 1) {
        const priceToDiscount = this.discountedPriceInCents(item);
        const discount = Dec.min(priceToDiscount, new Dec(1));
        totalDiscount = totalDiscount.plus(discount);
        this.add(coupon.code, item.key, discount);
        if (totalDiscount.gte(amount)) return totalDiscount;
      }
    }
    return totalDiscount;
  }

  /** Set by the caller: the shop's price decimals (for wc_add_number_precision of coupon amounts). */
  decimals = 2;
}

function isValidForProduct(coupon: Coupon, item: DiscountItem): boolean {
  const ids = [item.productId, item.variationId].filter((id) => id > 0);
  if (coupon.productIds.length > 0 && !ids.some((id) => coupon.productIds.includes(id))) return false;
  if (coupon.excludedProductIds.some((id) => ids.includes(id))) return false;
  return true;
}

/**
 * floor( $price_to_discount * ( $coupon_amount / 100 ) ) as PHP computes it.
 * This is the one place where WooCommerce's result depends on binary floating point: for some
 * percentages (17.5, 35, 70 …) the float product lands just below a whole cent and floor() drops
 * it; the remainder step then gives that cent to the first line instead. Reproducing WooCommerce
 * here means evaluating exactly that expression in IEEE doubles (the operands are whole or
 * 4-decimal cent values, exactly what PHP holds), and turning the result back into an exact integer.
 * [inference from source] class-wc-discounts.php apply_coupon_percent.
 */
function percentOfFloored(priceToDiscount: DecType, amount: DecType): DecType {
  const phpFloat = Math.floor(priceToDiscount.toNumber() * (amount.toNumber() / 100));
  return new Dec(phpFloat);
}
