/**
 * Order totals as WooCommerce computes them for orders built item by item — the REST API
 * (`POST /wc/v3/orders`) and the admin screen: WC_Abstract_Order::calculate_totals,
 * calculate_taxes, update_taxes, recalculate_coupons, set_item_discount_amounts and
 * set_coupon_discount_amounts, plus WC_Order_Item*::calculate_taxes / set_taxes.
 * [source] plugins/woocommerce/includes/abstracts/abstract-wc-order.php, class-wc-order-item*.php,
 * includes/rest-api/Controllers/Version3/class-wc-rest-orders-controller.php (save_object order of
 * steps: items → calculate_totals → calculate_coupons → status → save → set_paid).
 * [recorded] every orders/<config>/NN-rest-*.json is reproduced to the stored precision.
 */
import { Discounts, type DiscountItem } from "./discounts.js";
import {
  Dec,
  type Dec as DecType,
  ZERO,
  addPrecision,
  phpRound,
  removePrecision,
  storeFloat,
  sum,
  type RoundMode,
} from "./php-math.js";
import type {
  Coupon,
  CouponLineRecord,
  FeeLineRecord,
  LineItemRecord,
  OrderRecord,
  ProductRecord,
  ShopSettings,
  TaxMap,
} from "./shop-model.js";
import { type TaxEngine, type TaxLocation, mergeTaxes, sumMap } from "./tax-engine.js";

/** What a negative fee sees when it loads "its order" from the database (see calculateFeeTaxes). */
export interface PersistedItems {
  lines: { total: DecType; taxClass: string; taxStatus: string }[];
  fees: { total: DecType; taxClass: string; taxStatus: string }[];
  shipping: { total: DecType }[];
}

export interface OrderMathDeps {
  settings: () => ShopSettings;
  tax: TaxEngine;
  coupon: (code: string) => Coupon | undefined;
  product: (id: number) => ProductRecord | undefined;
  nextItemId: () => number;
  nextMetaId: () => number;
}

export function taxRoundingMode(settings: ShopSettings): RoundMode {
  // wc_get_tax_rounding_mode(): WC_TAX_ROUNDING_MODE 'auto' → half down when prices include tax.
  return settings.pricesIncludeTax ? "half_down" : "half_up";
}

/** wc_round_tax_total( $value, $precision = dp ). */
export function roundTaxTotal(value: DecType, settings: ShopSettings, places = settings.priceDecimals): DecType {
  return phpRound(value, places, taxRoundingMode(settings));
}

/** The product's tax class as WC_Product::get_tax_class('view'|'unfiltered') resolves it ('parent' → parent's). */
export function resolvedTaxClass(product: ProductRecord, parent: ProductRecord | undefined): string {
  if (product.type === "variation" && product.taxClass === "parent") return parent?.taxClass ?? "";
  return product.taxClass;
}

/** Active price: the sale price when one is set, else the regular price (as stored, e.g. "19.996"). */
export function activePrice(product: ProductRecord): string {
  return product.salePrice !== "" ? product.salePrice : product.regularPrice;
}

export class OrderMath {
  constructor(private readonly deps: OrderMathDeps) {}

  private get s(): ShopSettings {
    return this.deps.settings();
  }

  /** WC_Abstract_Order::get_tax_location. */
  taxLocation(order: OrderRecord): TaxLocation {
    let basedOn = this.s.taxBasedOn;
    if (basedOn === "shipping" && !order.shipping.country) basedOn = "billing";
    const a = basedOn === "billing" ? order.billing : order.shipping;
    const local = order.shippingLines.some((l) => l.methodId === "local_pickup" || l.methodId === "legacy_local_pickup");
    if (basedOn === "base" || local || !a.country) return this.deps.tax.baseLocation();
    return { country: a.country, state: a.state, postcode: a.postcode, city: a.city };
  }

  /**
   * wc_get_price_excluding_tax( $product, [ 'qty' => $qty ] ): the line amount a REST-created line
   * starts with. With prices entered including tax the *base* country's tax is removed (filter
   * woocommerce_adjust_non_base_location_prices, default true). [recorded] quirk 4 and 5 (README).
   */
  priceExcludingTax(product: ProductRecord, quantity: number): DecType {
    const parent = product.parentId ? this.deps.product(product.parentId) : undefined;
    const price = new Dec(activePrice(product) || "0");
    const qty = Math.max(0, quantity);
    if (qty === 0) return ZERO;
    const line = price.times(qty);
    if (product.taxStatus === "taxable" && this.s.pricesIncludeTax) {
      const rates = this.deps.tax.baseRates(resolvedTaxClass(product, parent));
      const removed = sumMap(this.deps.tax.calcTax(line, rates, true));
      return line.minus(removed);
    }
    return line;
  }

  // ---------------------------------------------------------------- item taxes

  /** WC_Order_Item_Product::set_taxes. */
  setLineTaxes(item: LineItemRecord, total: TaxMap | null, subtotal: TaxMap | null): void {
    let t: TaxMap = new Map();
    let st: TaxMap = new Map();
    if (total && subtotal && total.size > 0 && subtotal.size > 0) {
      t = storeMap(total);
      st = storeMap(subtotal);
      // "Subtotals cannot be less than totals!"
      if (sumMap(st).lt(sumMap(t))) st = new Map(t);
    }
    item.taxes = { total: t, subtotal: st };
    if (this.s.taxRoundAtSubtotal) {
      item.totalTax = storeFloat(sumMap(t));
      item.subtotalTax = storeFloat(sumMap(st));
    } else {
      item.totalTax = storeFloat(sum([...t.values()].map((v) => roundTaxTotal(v, this.s))));
      item.subtotalTax = storeFloat(sum([...st.values()].map((v) => roundTaxTotal(v, this.s))));
    }
  }

  /** WC_Order_Item_Fee::set_taxes and WC_Order_Item_Shipping::set_taxes. */
  setSimpleTaxes(item: { taxes: { total: TaxMap }; totalTax: DecType }, total: TaxMap | null): void {
    const t = total ? storeMap(total) : new Map<number, DecType>();
    item.taxes = { total: t };
    item.totalTax = this.s.taxRoundAtSubtotal
      ? storeFloat(sumMap(t))
      : storeFloat(sum([...t.values()].map((v) => roundTaxTotal(v, this.s))));
  }

  /** WC_Order_Item::calculate_taxes for a product line. */
  private calculateLineTaxes(item: LineItemRecord, location: TaxLocation): void {
    if (item.taxClass !== "0" && item.taxStatus === "taxable" && this.s.calcTaxes) {
      const rates = this.deps.tax.findRates(location, item.taxClass);
      const total = this.deps.tax.calcTax(item.total, rates, false);
      const subtotal = this.deps.tax.calcTax(item.subtotal, rates, false);
      this.setLineTaxes(item, total, subtotal);
    } else {
      this.setLineTaxes(item, null, null);
    }
  }

  /**
   * WC_Order_Item_Fee::calculate_taxes. A negative fee is always taxed, spread over the tax classes
   * of the order's items, fees and shipping in proportion to their totals — but the order it reads
   * them from is the one *in the database* (`$this->get_order()` loads it again), not the one being
   * calculated. For a REST create that is the state saved before coupons were applied, and before
   * the first save there is no order at all, so the fee gets no tax.
   * [recorded] quirk 11: c1 C REST "Goodwill" −10.00 → −1.38 / −0.53 on pre-coupon amounts.
   */
  private calculateFeeTaxes(fee: FeeLineRecord, location: TaxLocation, persisted: PersistedItems | null): void {
    if (fee.total.gte(0)) {
      if (fee.taxClass !== "0" && fee.taxStatus === "taxable" && this.s.calcTaxes) {
        const rates = this.deps.tax.findRates(location, fee.taxClass);
        this.setSimpleTaxes(fee, this.deps.tax.calcTax(fee.total, rates, false));
      } else {
        this.setSimpleTaxes(fee, null);
      }
      return;
    }
    if (!this.s.calcTaxes || !persisted) {
      this.setSimpleTaxes(fee, null);
      return;
    }
    const costs = taxClassCosts(persisted);
    const totalCosts = sum(costs.values());
    let taxes: TaxMap = new Map();
    if (!totalCosts.isZero()) {
      for (const [taxClass, cost] of costs) {
        if (taxClass === NON_TAXABLE) continue;
        const proportion = cost.div(totalCosts);
        const rates = this.deps.tax.findRates(location, taxClass);
        taxes = mergeTaxes(taxes, this.deps.tax.calcTax(fee.total.times(proportion), rates, false));
      }
    }
    this.setSimpleTaxes(fee, taxes);
  }

  /** WC_Abstract_Order::calculate_taxes + update_taxes. */
  calculateTaxes(order: OrderRecord, persisted: PersistedItems | null): void {
    const location = this.taxLocation(order);
    let shippingClass: string | false = this.s.shippingTaxClass;
    if (shippingClass === "inherit") {
      const itemClasses = itemsTaxClasses(order);
      const found = ["", ...this.deps.tax.classSlugs()].filter((c) => itemClasses.includes(c));
      shippingClass = found.length ? (found[0] ?? false) : false;
      if (shippingClass === false && order.lineItems.length === 0) shippingClass = "";
    }
    const vatExempt = order.metaData.some((m) => m.key === "is_vat_exempt" && m.value === "yes");
    for (const item of order.lineItems) {
      if (vatExempt) this.setLineTaxes(item, null, null);
      else this.calculateLineTaxes(item, location);
    }
    for (const fee of order.feeLines) {
      if (vatExempt) this.setSimpleTaxes(fee, null);
      else this.calculateFeeTaxes(fee, location, persisted);
    }
    for (const line of order.shippingLines) {
      if (shippingClass !== false && !vatExempt && this.s.calcTaxes && line.taxStatus === "taxable") {
        const rates = this.deps.tax.findRates({ ...location }, shippingClass, true);
        this.setSimpleTaxes(line, this.deps.tax.calcTax(line.total, rates, false));
      } else {
        this.setSimpleTaxes(line, null);
      }
    }
    this.updateTaxes(order);
  }

  /** WC_Abstract_Order::update_taxes: tax lines and cart/shipping tax totals. */
  updateTaxes(order: OrderRecord): void {
    const cartTaxes: TaxMap = new Map();
    const shippingTaxes: TaxMap = new Map();
    const roundLine = (v: DecType): DecType => (this.s.taxRoundAtSubtotal ? v : roundTaxTotal(v, this.s));
    for (const item of [...order.lineItems, ...order.feeLines]) {
      for (const [rateId, tax] of item.taxes.total) cartTaxes.set(rateId, (cartTaxes.get(rateId) ?? ZERO).plus(roundLine(tax)));
    }
    for (const line of order.shippingLines) {
      for (const [rateId, tax] of line.taxes.total) {
        shippingTaxes.set(rateId, (shippingTaxes.get(rateId) ?? ZERO).plus(roundLine(tax)));
      }
    }
    const keep = order.taxLines.filter((t) => cartTaxes.has(t.rateId) || shippingTaxes.has(t.rateId));
    const seen = new Set<number>();
    const lines = keep.filter((t) => (seen.has(t.rateId) ? false : (seen.add(t.rateId), true)));
    for (const line of lines) {
      line.taxTotal = storeFloat(cartTaxes.get(line.rateId) ?? ZERO);
      const ship = shippingTaxes.get(line.rateId);
      line.shippingTaxTotal = storeFloat(ship && !ship.isZero() ? ship : ZERO);
    }
    for (const rateId of new Set([...cartTaxes.keys(), ...shippingTaxes.keys()])) {
      if (seen.has(rateId)) continue;
      seen.add(rateId);
      const ship = shippingTaxes.get(rateId);
      lines.push({
        id: this.deps.nextItemId(),
        rateId,
        rateCode: this.deps.tax.rateCode(rateId),
        label: this.deps.tax.rateLabel(rateId),
        compound: this.deps.tax.isCompound(rateId),
        ratePercent: this.deps.tax.ratePercent(rateId),
        taxTotal: storeFloat(cartTaxes.get(rateId) ?? ZERO),
        shippingTaxTotal: storeFloat(ship && !ship.isZero() ? ship : ZERO),
      });
    }
    order.taxLines = lines;
    order.shippingTax = storeFloat(sumMap(shippingTaxes));
    order.cartTax = storeFloat(sumMap(cartTaxes));
    order.totalTax = totalTaxOf(order, this.s);
  }

  /** get_cart_subtotal_for_order / get_cart_total_for_order. */
  private itemsSum(order: OrderRecord, field: "subtotal" | "total"): DecType {
    const p = this.s;
    const values = order.lineItems.map((i) => addPrecision(i[field], p, false));
    const rounded = values.map((v) => (p.taxRoundAtSubtotal ? v : phpRound(v)));
    return removePrecision(sum(rounded), p);
  }

  /** WC_Abstract_Order::calculate_totals( $and_taxes ). */
  calculateTotals(order: OrderRecord, andTaxes: boolean, persisted: PersistedItems | null): void {
    const dp = this.s.priceDecimals;
    const cartSubtotal = this.itemsSum(order, "subtotal");
    const cartTotal = this.itemsSum(order, "total");
    const shippingTotal = sum(order.shippingLines.map((l) => phpRound(l.total, dp)));
    order.shippingTotal = storeFloat(shippingTotal);
    let feesTotal = ZERO;
    for (const fee of order.feeLines) {
      if (fee.total.lt(0)) {
        // Negative fees should not make the order total go negative.
        const maxDiscount = phpRound(cartTotal.plus(feesTotal).plus(shippingTotal), dp).neg();
        if (fee.total.lt(maxDiscount) && maxDiscount.lt(0)) fee.total = maxDiscount;
      }
      feesTotal = feesTotal.plus(fee.total);
    }
    if (andTaxes) this.calculateTaxes(order, persisted);
    let cartTotalTax = ZERO;
    let cartSubtotalTax = ZERO;
    for (const item of order.lineItems) {
      cartTotalTax = cartTotalTax.plus(sumMap(item.taxes.total));
      cartSubtotalTax = cartSubtotalTax.plus(sumMap(item.taxes.subtotal));
    }
    order.discountTotal = storeFloat(phpRound(cartSubtotal.minus(cartTotal), dp));
    order.discountTax = storeFloat(roundTaxTotal(cartSubtotalTax.minus(cartTotalTax), this.s));
    order.total = phpRound(cartTotal.plus(feesTotal).plus(order.shippingTotal).plus(order.cartTax).plus(order.shippingTax), dp);
  }

  // ---------------------------------------------------------------- coupons

  private discountItems(order: OrderRecord): DiscountItem[] {
    return order.lineItems.map((item) => {
      let price = addPrecision(item.subtotal, this.s);
      if (order.pricesIncludeTax) price = price.plus(addPrecision(item.subtotalTax, this.s));
      const product = this.deps.product(item.variationId || item.productId);
      return {
        key: String(item.id),
        quantity: item.quantity,
        price,
        productId: item.productId,
        variationId: item.variationId,
        onSale: product ? product.salePrice !== "" : false,
      };
    });
  }

  private newDiscounts(order: OrderRecord): Discounts {
    const d = new Discounts(this.discountItems(order), { calcDiscountsSequentially: this.s.calcDiscountsSequentially });
    d.decimals = this.s.priceDecimals;
    return d;
  }

  /**
   * WC_Abstract_Order::apply_coupon( $code ) followed by recalculate_coupons(): the coupon item is
   * created from a calculation with this coupon alone, the order is saved, then all coupons are
   * applied again from the line subtotals and the totals recalculated.
   */
  applyCoupon(order: OrderRecord, coupon: Coupon, save: () => PersistedItems): void {
    const single = this.newDiscounts(order);
    single.applyCoupon(coupon);
    this.setCouponDiscountAmounts(order, single, [coupon]);
    const persisted = save();
    this.recalculateCoupons(order, persisted);
  }

  /** WC_Abstract_Order::recalculate_coupons. */
  recalculateCoupons(order: OrderRecord, persisted: PersistedItems | null): void {
    for (const item of order.lineItems) {
      item.total = item.subtotal;
      item.totalTax = item.subtotalTax;
    }
    const discounts = this.newDiscounts(order);
    const coupons: Coupon[] = [];
    for (const line of order.couponLines) {
      const coupon = this.deps.coupon(line.code) ?? temporaryCoupon(line);
      coupons.push(coupon);
      discounts.applyCoupon(coupon);
    }
    this.setCouponDiscountAmounts(order, discounts, coupons);
    this.setItemDiscountAmounts(order, discounts);
    this.calculateTotals(order, true, persisted);
  }

  /** set_item_discount_amounts: line total = max( 0, total − discount [net of tax when prices include tax] ). */
  private setItemDiscountAmounts(order: OrderRecord, discounts: Discounts): void {
    const location = this.taxLocation(order);
    for (const [key, cents] of discounts.byItem()) {
      const item = order.lineItems.find((i) => String(i.id) === key);
      if (!item) continue;
      let amount = removePrecision(cents, this.s);
      if (order.pricesIncludeTax && this.s.calcTaxes && item.taxStatus === "taxable") {
        const taxes = this.deps.tax.calcTax(amount, this.deps.tax.findRates(location, item.taxClass), true);
        amount = amount.minus(sumMap(taxes));
      }
      item.total = storeFloat(Dec.max(ZERO, item.total.minus(amount)));
    }
  }

  /** set_coupon_discount_amounts: coupon line discount and discount tax (unrounded when rounding at subtotal). */
  private setCouponDiscountAmounts(order: OrderRecord, discounts: Discounts, coupons: Coupon[]): void {
    const location = this.taxLocation(order);
    const all = discounts.all();
    for (const [code, cents] of discounts.byCoupon()) {
      let line = order.couponLines.find((c) => c.code === code);
      if (!line) {
        const coupon = coupons.find((c) => c.code === code);
        if (!coupon) continue;
        line = newCouponLine(coupon, this.deps.nextItemId(), this.deps.nextMetaId());
        order.couponLines.push(line);
      }
      let amount = removePrecision(cents, this.s);
      let discountTax = ZERO;
      for (const [key, itemCents] of all.get(code) ?? new Map<string, DecType>()) {
        const item = order.lineItems.find((i) => String(i.id) === key);
        if (!item || item.taxStatus !== "taxable" || !this.s.calcTaxes) continue;
        const itemAmount = removePrecision(itemCents, this.s);
        let taxes = sumMap(this.deps.tax.calcTax(itemAmount, this.deps.tax.findRates(location, item.taxClass), order.pricesIncludeTax));
        if (!this.s.taxRoundAtSubtotal) taxes = roundTaxTotal(taxes, this.s);
        discountTax = discountTax.plus(taxes);
        if (order.pricesIncludeTax) amount = amount.minus(taxes);
      }
      line.discount = storeFloat(amount);
      line.discountTax = storeFloat(discountTax);
    }
  }
}

/**
 * An item's total_tax (and subtotal_tax) as WooCommerce reports it: set_taxes() derives them from
 * the stored per-rate taxes — rounded per rate to the shop's decimals unless rounding at subtotal —
 * and it runs again whenever the item is loaded, so the answer follows the shop's *current*
 * settings. [recorded] api/order-dp-6/*.json read with the shop on 3 decimals and subtotal
 * rounding: MILK-1L's subtotal_tax is "8.992800" although it was created in a 2-decimal shop.
 */
export function derivedTaxTotal(taxes: TaxMap, settings: ShopSettings): DecType {
  if (settings.taxRoundAtSubtotal) return storeFloat(sumMap(taxes));
  return storeFloat(sum([...taxes.values()].map((v) => roundTaxTotal(v, settings))));
}

/** total_tax is re-derived whenever cart or shipping tax is set, and on every load (WC_Abstract_Order::set_cart_tax). */
export function totalTaxOf(order: { cartTax: DecType; shippingTax: DecType }, settings: ShopSettings): DecType {
  return phpRound(order.cartTax.plus(order.shippingTax), settings.priceDecimals);
}

export const NON_TAXABLE = "non-taxable";

/** get_items_tax_classes(): unique classes of taxable line items, in item order. */
export function itemsTaxClasses(order: { lineItems: { taxStatus: string; taxClass: string }[] }): string[] {
  const out: string[] = [];
  for (const i of order.lineItems) {
    if ((i.taxStatus === "taxable" || i.taxStatus === "shipping") && !out.includes(i.taxClass)) out.push(i.taxClass);
  }
  return out;
}

/** WC_Order_Item_Fee::get_tax_class_costs over a persisted order. */
function taxClassCosts(persisted: PersistedItems): Map<string, DecType> {
  const classes = itemsTaxClasses({ lineItems: persisted.lines });
  const costs = new Map<string, DecType>(classes.map((c) => [c, ZERO]));
  costs.set(NON_TAXABLE, ZERO);
  const addTo = (cls: string, v: DecType): void => {
    costs.set(cls, (costs.get(cls) ?? ZERO).plus(v));
  };
  const rows = [
    ...persisted.lines.map((l) => ({ ...l, kind: "line" })),
    ...persisted.fees.map((f) => ({ ...f, kind: "fee" })),
    // Shipping items report the woocommerce_shipping_tax_class option as their class ('inherit').
    ...persisted.shipping.map((s) => ({ total: s.total, taxClass: "inherit", taxStatus: "taxable", kind: "shipping" })),
  ];
  for (const row of rows) {
    if (row.total.lt(0)) continue;
    if (row.taxStatus !== "taxable") addTo(NON_TAXABLE, row.total);
    else if (row.taxClass === "inherit") addTo(classes[0] ?? "", row.total);
    else addTo(row.taxClass, row.total);
  }
  return new Map([...costs].filter(([, v]) => !v.isZero()));
}

function storeMap(taxes: TaxMap): TaxMap {
  const out: TaxMap = new Map();
  for (const [id, v] of taxes) out.set(id, storeFloat(v));
  return out;
}

export function couponInfo(coupon: Coupon): string {
  // [recorded] coupon_info meta: [id, code, type (null for the default fixed_cart), amount]
  const type = coupon.discountType === "fixed_cart" ? null : coupon.discountType;
  const amount = Number(coupon.amount);
  return JSON.stringify([coupon.id, coupon.code, type, amount]);
}

export function newCouponLine(coupon: Coupon, id: number, metaId: number): CouponLineRecord {
  const info = couponInfo(coupon);
  return {
    id,
    code: coupon.code,
    discount: ZERO,
    discountTax: ZERO,
    discountType: coupon.discountType,
    nominalAmount: new Dec(coupon.amount),
    freeShipping: coupon.freeShipping,
    metaData: [{ id: metaId, key: "coupon_info", value: info, displayKey: "coupon_info", displayValue: info }],
  };
}

/** get_temporary_coupon(): a coupon deleted since the order was placed is rebuilt from coupon_info. */
function temporaryCoupon(line: CouponLineRecord): Coupon {
  return {
    id: 0,
    code: line.code,
    discountType: line.discountType,
    amount: line.nominalAmount.toString(),
    productIds: [],
    excludedProductIds: [],
    limitUsageToXItems: null,
    usageCount: 0,
    freeShipping: line.freeShipping,
  };
}

/** Snapshot of what a save() writes, for negative-fee tax lookups. */
export function snapshot(order: OrderRecord): PersistedItems {
  return {
    lines: order.lineItems.map((l) => ({ total: l.total, taxClass: l.taxClass, taxStatus: l.taxStatus })),
    fees: order.feeLines.map((f) => ({ total: f.total, taxClass: f.taxClass, taxStatus: f.taxStatus })),
    shipping: order.shippingLines.map((s) => ({ total: s.total })),
  };
}
