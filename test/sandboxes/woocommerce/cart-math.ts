/**
 * Cart totals as WooCommerce computes them for a shopper's checkout (block checkout / Store API and
 * the classic checkout): WC_Cart_Totals, in "cents with precision", and the order WC_Checkout
 * builds from the cart (set_data_from_cart, create_order_*_lines).
 * [source] plugins/woocommerce/includes/class-wc-cart-totals.php, class-wc-checkout.php,
 * class-wc-cart-fees.php (fees sorted by amount, largest first).
 * [recorded] every orders/<config>/NN-store-api-*.json is reproduced; the Store API spreads a
 * negative fee's tax over the after-coupon amounts (quirk 11) and does not clamp a line below zero
 * (quirk 9: −0.000714 in c3/c4 D).
 */
import { Discounts, type DiscountItem } from "./discounts.js";
import {
  Dec,
  type Dec as DecType,
  ZERO,
  addPrecision,
  phpRound,
  removePrecision,
  sum,
} from "./php-math.js";
import { activePrice, resolvedTaxClass, taxRoundingMode } from "./order-math.js";
import type { Coupon, ProductRecord, ShippingMethod, ShopSettings, TaxMap, TaxRate } from "./shop-model.js";
import { type TaxEngine, type TaxLocation, mergeTaxes, sumMap } from "./tax-engine.js";

export interface CartLineInput {
  product: ProductRecord;
  parent: ProductRecord | undefined;
  quantity: number;
}

export interface CartFeeInput {
  name: string;
  /** Net amount as the fee plugin passes it to WC()->cart->add_fee(). */
  amount: DecType;
  taxable: boolean;
  taxClass: string;
}

export interface CartInput {
  lines: CartLineInput[];
  coupons: Coupon[];
  fees: CartFeeInput[];
  location: TaxLocation;
  /** The chosen rate, when the cart needs shipping and the address has a zone. */
  shipping: ShippingMethod | null;
  vatExempt: boolean;
}

/** Per-line results in units (what lands on the order line). */
export interface CartLineResult {
  input: CartLineInput;
  taxClass: string;
  taxable: boolean;
  subtotal: DecType;
  subtotalTax: DecType;
  total: DecType;
  totalTax: DecType;
  subtotalTaxes: TaxMap;
  totalTaxes: TaxMap;
}

export interface CartFeeResult {
  input: CartFeeInput;
  total: DecType;
  tax: DecType;
  taxData: TaxMap;
}

export interface CartShippingResult {
  method: ShippingMethod;
  cost: DecType;
  /** Rate taxes as calculated (units, 6 decimals), stored on the order's shipping line. */
  taxes: TaxMap;
}

export interface CartTotals {
  lines: CartLineResult[];
  fees: CartFeeResult[];
  shipping: CartShippingResult | null;
  coupons: { coupon: Coupon; discount: DecType; discountTax: DecType }[];
  /** All in units, as WC_Cart holds them. */
  subtotal: DecType;
  subtotalTax: DecType;
  cartContentsTotal: DecType;
  cartContentsTax: DecType;
  cartContentsTaxes: TaxMap;
  discountTotal: DecType;
  discountTax: DecType;
  shippingTotal: DecType;
  shippingTax: DecType;
  shippingTaxes: TaxMap;
  feeTotal: DecType;
  feeTax: DecType;
  feeTaxes: TaxMap;
  total: DecType;
  totalTax: DecType;
}

interface Item {
  key: string;
  input: CartLineInput;
  taxClass: string;
  taxable: boolean;
  quantity: number;
  price: DecType;
  priceIncludesTax: boolean;
  taxRates: TaxRate[];
  subtotal: DecType;
  subtotalTax: DecType;
  subtotalTaxes: TaxMap;
  total: DecType;
  totalTax: DecType;
  taxes: TaxMap;
}

interface CostItem {
  total: DecType;
  taxable: boolean;
  taxClass: string;
}

export class CartMath {
  constructor(
    private readonly settings: () => ShopSettings,
    private readonly tax: TaxEngine,
  ) {}

  private get s(): ShopSettings {
    return this.settings();
  }

  private roundLineTax(cents: DecType): DecType {
    return this.s.taxRoundAtSubtotal ? cents : phpRound(cents, 0, taxRoundingMode(this.s));
  }

  private roundItemSubtotal(cents: DecType): DecType {
    return this.s.taxRoundAtSubtotal ? cents : phpRound(cents);
  }

  private inCents(units: DecType): DecType {
    return addPrecision(units, this.s);
  }

  private toUnits(cents: DecType): DecType {
    return removePrecision(cents, this.s);
  }

  private mapToUnits(taxes: TaxMap): TaxMap {
    const out: TaxMap = new Map();
    for (const [id, v] of taxes) out.set(id, this.toUnits(v));
    return out;
  }

  calculate(input: CartInput): CartTotals {
    const calcTax = this.s.calcTaxes && !input.vatExempt;
    const items = this.itemsFromCart(input);

    // calculate_item_subtotals
    for (const item of items) {
      if (item.priceIncludesTax && item.taxable) {
        if (input.vatExempt) this.removeItemBaseTaxes(item);
        else if (this.s.adjustNonBaseLocationPrices) this.adjustNonBaseLocationPrice(item);
      }
      item.subtotal = item.price;
      if (calcTax && item.taxable) {
        item.subtotalTaxes = this.tax.calcTax(item.subtotal, item.taxRates, item.priceIncludesTax);
        item.subtotalTax = sum([...item.subtotalTaxes.values()].map((v) => this.roundLineTax(v)));
        if (item.priceIncludesTax) item.subtotal = item.subtotal.minus(sumMap(item.subtotalTaxes));
      }
    }
    const mergedSubtotalTaxes = sum(items.flatMap((i) => [...i.subtotalTaxes.values()].map((v) => this.roundLineTax(v))));

    // calculate_discounts
    const sortedCoupons = sortCoupons(input.coupons);
    const discounts = new Discounts(
      items.map(
        (i): DiscountItem => ({
          key: i.key,
          quantity: i.quantity,
          price: i.price,
          productId: i.input.product.parentId || i.input.product.id,
          variationId: i.input.product.type === "variation" ? i.input.product.id : 0,
          onSale: i.input.product.salePrice !== "",
        }),
      ),
      { calcDiscountsSequentially: this.s.calcDiscountsSequentially },
    );
    discounts.decimals = this.s.priceDecimals;
    for (const coupon of sortedCoupons) discounts.applyCoupon(coupon);
    const couponAmounts = discounts.byCoupon();
    const couponTaxAmounts = new Map<string, DecType>();
    if (calcTax) {
      for (const [code, perItem] of discounts.all()) {
        couponTaxAmounts.set(code, ZERO);
        for (const [key, discount] of perItem) {
          const item = items.find((i) => i.key === key);
          if (!item || !item.taxable) continue;
          const itemTax = sumMap(this.tax.calcTax(discount, item.taxRates, item.priceIncludesTax));
          couponTaxAmounts.set(code, (couponTaxAmounts.get(code) ?? ZERO).plus(itemTax));
          if (item.priceIncludesTax) couponAmounts.set(code, (couponAmounts.get(code) ?? ZERO).minus(itemTax));
        }
      }
    }
    const itemDiscounts = discounts.byItem();
    const sumItemDiscounts = sum(itemDiscounts.values());
    const sumCouponTaxes = sum(couponTaxAmounts.values());
    const discountsTotal = this.s.pricesIncludeTax ? sumItemDiscounts.minus(sumCouponTaxes) : sumItemDiscounts;

    // calculate_item_totals
    for (const item of items) {
      item.total = item.price.minus(itemDiscounts.get(item.key) ?? ZERO);
      item.totalTax = ZERO;
      if (calcTax && item.taxable) {
        item.taxes = this.tax.calcTax(item.total, item.taxRates, item.priceIncludesTax);
        item.totalTax = sum([...item.taxes.values()].map((v) => this.roundLineTax(v)));
        if (item.priceIncludesTax) item.total = item.total.minus(sumMap(item.taxes));
      }
    }
    const itemsTotal = sum(items.map((i) => this.roundItemSubtotal(i.total)));
    const itemsMergedTaxes = this.mergedTaxes(items.map((i) => i.taxes));

    // calculate_shipping_totals
    let shipping: { line: CostItem; taxes: TaxMap; result: CartShippingResult } | null = null;
    if (input.shipping) {
      const method = input.shipping;
      const cost = new Dec(method.cost || "0");
      let rateTaxes: TaxMap = new Map();
      if (calcTax && method.taxStatus === "taxable" && cost.gt(0)) {
        rateTaxes = this.tax.calcTax(cost, this.shippingTaxRates(input.location, items), false);
      }
      const lineTaxes: TaxMap = new Map();
      for (const [id, v] of rateTaxes) lineTaxes.set(id, this.roundItemSubtotal(addPrecision(v, this.s, false)));
      shipping = {
        line: { total: this.inCents(cost), taxable: true, taxClass: this.s.shippingTaxClass },
        taxes: lineTaxes,
        result: { method, cost, taxes: rateTaxes },
      };
    }
    const shippingTotal = shipping ? shipping.line.total : ZERO;
    const shippingTaxTotal = shipping ? sumMap(shipping.taxes) : ZERO;

    // calculate_fee_totals (fees sorted largest amount first, WC_Cart_Fees::get_fees)
    const sortedFees = [...input.fees].sort((a, b) => (a.amount.gt(b.amount) ? -1 : a.amount.lt(b.amount) ? 1 : 0));
    const fees: { input: CartFeeInput; total: DecType; taxes: TaxMap; totalTax: DecType }[] = [];
    let feeRunningTotal = ZERO;
    for (const fee of sortedFees) {
      // wc_add_number_precision_deep( $fee->object->amount )
      let total = this.inCents(fee.amount);
      if (total.lt(0)) {
        const maxDiscount = phpRound(itemsTotal.plus(feeRunningTotal).plus(shippingTotal)).neg();
        if (total.lt(maxDiscount)) total = maxDiscount;
      }
      feeRunningTotal = feeRunningTotal.plus(total);
      let taxes: TaxMap = new Map();
      if (calcTax) {
        if (total.lt(0)) {
          const costs = this.taxClassCosts(items, fees, shipping?.line ?? null);
          const totalCost = sum(costs.values());
          if (!totalCost.isZero()) {
            for (const [cls, cost] of costs) {
              if (cls === NON_TAXABLE) continue;
              const proportion = cost.div(totalCost);
              taxes = mergeTaxes(taxes, this.tax.calcTax(total.times(proportion), this.tax.findRates(input.location, cls), false));
            }
          }
        } else if (fee.taxable) {
          taxes = this.tax.calcTax(total, this.tax.findRates(input.location, fee.taxClass), false);
        }
      }
      const totalTax = sum([...taxes.values()].map((v) => this.roundLineTax(v)));
      fees.push({ input: fee, total, taxes, totalTax });
    }
    const feesTotal = sum(fees.map((f) => f.total));
    const feesMergedTaxes = this.mergedTaxes(fees.map((f) => f.taxes));
    const feeTaxesCombined = fees.reduce<TaxMap>((acc, f) => mergeTaxes(acc, f.taxes), new Map());

    // calculate_totals
    const allMerged = this.mergedTaxes([...items.map((i) => i.taxes), ...fees.map((f) => f.taxes), ...(shipping ? [shipping.taxes] : [])]);
    const totalCents = phpRound(itemsTotal.plus(feesTotal).plus(shippingTotal).plus(sumMap(allMerged)));
    const itemsTax = this.toUnits(sumMap(itemsMergedTaxes));
    const feeAndShippingMerged = this.mergedTaxes([...fees.map((f) => f.taxes), ...(shipping ? [shipping.taxes] : [])]);
    const shippingAndFeeTaxes = phpRound(this.toUnits(sumMap(feeAndShippingMerged)), this.s.priceDecimals);

    return {
      lines: items.map((i) => ({
        input: i.input,
        taxClass: i.taxClass,
        taxable: i.taxable,
        subtotal: this.toUnits(i.subtotal),
        subtotalTax: this.toUnits(i.subtotalTax),
        total: this.toUnits(i.total),
        totalTax: this.toUnits(i.totalTax),
        subtotalTaxes: this.mapToUnits(i.subtotalTaxes),
        totalTaxes: this.mapToUnits(i.taxes),
      })),
      fees: fees.map((f) => ({ input: f.input, total: this.toUnits(f.total), tax: this.toUnits(f.totalTax), taxData: this.mapToUnits(f.taxes) })),
      shipping: shipping?.result ?? null,
      coupons: sortedCoupons.map((coupon) => ({
        coupon,
        // WC_Cart::get_coupon_discount_amount / _tax_amount → wc_cart_round_discount( …, dp )
        discount: phpRound(this.toUnits(couponAmounts.get(coupon.code) ?? ZERO), this.s.priceDecimals, "half_down"),
        discountTax: phpRound(this.toUnits(couponTaxAmounts.get(coupon.code) ?? ZERO), this.s.priceDecimals, "half_down"),
      })),
      subtotal: this.toUnits(sum(items.map((i) => this.roundItemSubtotal(i.subtotal)))),
      subtotalTax: this.toUnits(mergedSubtotalTaxes),
      cartContentsTotal: this.toUnits(itemsTotal),
      cartContentsTax: this.toUnits(sumMap(itemsMergedTaxes)),
      cartContentsTaxes: this.mapToUnits(itemsMergedTaxes),
      discountTotal: this.toUnits(discountsTotal),
      discountTax: this.toUnits(sumCouponTaxes),
      shippingTotal: this.toUnits(shippingTotal),
      shippingTax: this.toUnits(shippingTaxTotal),
      shippingTaxes: this.mapToUnits(shipping?.taxes ?? new Map()),
      feeTotal: this.toUnits(feesTotal),
      feeTax: this.toUnits(sum(fees.map((f) => f.totalTax))),
      feeTaxes: this.mapToUnits(feeTaxesCombined),
      total: Dec.max(ZERO, this.toUnits(totalCents)),
      totalTax: itemsTax.plus(shippingAndFeeTaxes),
    };
  }

  /** get_merged_taxes: per rate, the sum of round_line_tax() of each item's tax. */
  private mergedTaxes(list: TaxMap[]): TaxMap {
    const out: TaxMap = new Map();
    for (const taxes of list) {
      for (const [id, v] of taxes) out.set(id, (out.get(id) ?? ZERO).plus(this.roundLineTax(v)));
    }
    return out;
  }

  private itemsFromCart(input: CartInput): Item[] {
    const rateCache = new Map<string, TaxRate[]>();
    return input.lines.map((line, index) => {
      const taxClass = resolvedTaxClass(line.product, line.parent);
      let rates = rateCache.get(taxClass);
      if (!rates) {
        rates = this.tax.findRates(input.location, taxClass);
        rateCache.set(taxClass, rates);
      }
      const price = new Dec(activePrice(line.product) || "0");
      return {
        key: `cart-item-${index}`,
        input: line,
        taxClass,
        taxable: line.product.taxStatus === "taxable",
        quantity: line.quantity,
        price: addPrecision(price.times(line.quantity), this.s),
        priceIncludesTax: this.s.pricesIncludeTax,
        taxRates: rates,
        subtotal: ZERO,
        subtotalTax: ZERO,
        subtotalTaxes: new Map(),
        total: ZERO,
        totalTax: ZERO,
        taxes: new Map(),
      };
    });
  }

  /** adjust_non_base_location_price: swap the base country's tax for the customer's. */
  private adjustNonBaseLocationPrice(item: Item): void {
    const baseRates = this.tax.baseRates(item.taxClass);
    if (sameRates(item.taxRates, baseRates)) return;
    const taxes = this.tax.calcTax(item.price, baseRates, true);
    const net = item.price.minus(sumMap(taxes));
    const newTaxes = this.tax.calcTax(net, item.taxRates, false);
    item.price = net.plus(sumMap(newTaxes));
  }

  /** remove_item_base_taxes (VAT-exempt customers). */
  private removeItemBaseTaxes(item: Item): void {
    const baseRates = this.s.adjustNonBaseLocationPrices ? this.tax.baseRates(item.taxClass) : item.taxRates;
    const taxes = this.tax.calcTax(item.price, baseRates, true);
    item.price = phpRound(item.price.minus(sumMap(taxes)));
    item.priceIncludesTax = false;
  }

  /**
   * WC_Tax::get_shipping_tax_rates() for 'inherit': the standard rate if any item needing shipping
   * is standard-rated, else the first class in class order; one class → that class.
   */
  private shippingTaxRates(location: TaxLocation, items: Item[]): TaxRate[] {
    const configured = this.s.shippingTaxClass;
    if (configured !== "inherit") return this.tax.findRates(location, configured, true);
    const classes: string[] = [];
    for (const i of items) {
      if (i.input.product.virtual || !i.taxable) continue;
      if (!classes.includes(i.taxClass)) classes.push(i.taxClass);
    }
    if (classes.length === 0) return [];
    let matched: TaxRate[] = [];
    if (classes.length > 1 && !classes.includes("")) {
      for (const slug of this.tax.classSlugs()) {
        if (classes.includes(slug)) {
          matched = this.tax.findRates(location, slug, true);
          break;
        }
      }
    } else if (classes.length === 1) {
      matched = this.tax.findRates(location, classes[0] ?? "", true);
    }
    if (matched.length === 0) matched = this.tax.findRates(location, "", true);
    return matched;
  }

  /** WC_Cart_Totals::get_tax_class_costs — items, the fees seen so far and shipping. */
  private taxClassCosts(items: Item[], fees: { input: CartFeeInput; total: DecType }[], shipping: CostItem | null): Map<string, DecType> {
    const itemClasses = items.map((i) => i.taxClass);
    const costs = new Map<string, DecType>();
    // array_fill_keys( item classes + shipping classes + fee classes ): the lists are keyed by cart
    // item key, package index and fee id, so the union keeps every class, in that order.
    const keys = [...itemClasses, ...(shipping ? [shipping.taxClass] : []), ...fees.map((f) => f.input.taxClass)];
    for (const k of keys) if (!costs.has(k)) costs.set(k, ZERO);
    costs.set(NON_TAXABLE, ZERO);
    const add = (cls: string, v: DecType): void => {
      costs.set(cls, (costs.get(cls) ?? ZERO).plus(v));
    };
    const rows: CostItem[] = [
      ...items.map((i) => ({ total: i.total, taxable: i.taxable, taxClass: i.taxClass })),
      ...fees.map((f) => ({ total: f.total, taxable: f.input.taxable, taxClass: f.input.taxClass })),
      ...(shipping ? [shipping] : []),
    ];
    for (const row of rows) {
      if (row.total.lt(0)) continue;
      if (!row.taxable) add(NON_TAXABLE, row.total);
      else if (row.taxClass === "inherit") add(itemClasses[0] ?? "", row.total);
      else add(row.taxClass, row.total);
    }
    return new Map([...costs].filter(([, v]) => !v.isZero()));
  }
}

const NON_TAXABLE = "non-taxable";

function sameRates(a: readonly TaxRate[], b: readonly TaxRate[]): boolean {
  return a.length === b.length && a.every((r, i) => r.id === b[i]?.id);
}

/** get_coupons_from_cart: fixed_product, then percent, then fixed_cart; ties by amount, then newest first. */
export function sortCoupons(coupons: readonly Coupon[]): Coupon[] {
  const sortKey = (c: Coupon): number => (c.discountType === "fixed_product" ? 1 : c.discountType === "percent" ? 2 : 3);
  return [...coupons].sort((a, b) => {
    if (sortKey(a) !== sortKey(b)) return sortKey(a) - sortKey(b);
    const la = a.limitUsageToXItems ?? 0;
    const lb = b.limitUsageToXItems ?? 0;
    if (la !== lb) return la < lb ? -1 : 1;
    const aa = new Dec(a.amount);
    const ab = new Dec(b.amount);
    if (!aa.eq(ab)) return aa.lt(ab) ? -1 : 1;
    return b.id - a.id;
  });
}
