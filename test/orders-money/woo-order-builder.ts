/**
 * WooCommerce-shaped orders for the order transformer tests.
 *
 * - `wooOrderJson(overrides)`: a REST v3 order body with sensible defaults (a DK guest, DKK, 25 %).
 * - `simulateCheckout(cart)`: a small WooCommerce-like checkout (not WooCommerce's code: a model of
 *   its arithmetic as the fixtures show it) that turns a cart into a consistent order — prices incl.
 *   or excl. tax, tax rounded per line or at subtotal, 2 or 3 decimals, percent / fixed-cart /
 *   fixed-product coupons (fixed cart spread per unit, quirk 9), fees (negative ones taxed over the
 *   cart's rates, quirk 11), shipping taxed at the highest item rate ("inherit", quirk 13).
 */
import { Money } from "../../bridge/src/lib/money.js";
import type { WooOrderJson } from "../../bridge/src/sync/orders/woo-order.js";

type Json = Record<string, unknown>;

export const RATE_IDS: Record<string, number> = { "25": 1, "12": 2, "6": 3, "0": 4 };

export function wooOrderJson(overrides: Partial<WooOrderJson> & Json = {}): WooOrderJson {
  const base: WooOrderJson = {
    id: 1001,
    parent_id: 0,
    number: "1001",
    status: "processing",
    currency: "DKK",
    prices_include_tax: false,
    date_created: "2026-11-25T12:00:00",
    date_created_gmt: "2026-11-25T11:00:00",
    total: "125.00",
    total_tax: "25.00",
    customer_id: 0,
    customer_note: "",
    billing: {
      first_name: "Jens",
      last_name: "Hansen",
      company: "",
      address_1: "Vestergade 1",
      address_2: "",
      city: "Aarhus C",
      state: "",
      postcode: "8000",
      country: "DK",
      email: "Jens@Example.test",
      phone: "+45 11 22 33 44",
    },
    shipping: {
      first_name: "Jens",
      last_name: "Hansen",
      company: "",
      address_1: "Vestergade 1",
      address_2: "",
      city: "Aarhus C",
      state: "",
      postcode: "8000",
      country: "DK",
      email: "",
      phone: "",
    },
    payment_method: "bacs",
    payment_method_title: "Direct bank transfer",
    transaction_id: "",
    created_via: "checkout",
    meta_data: [],
    line_items: [
      {
        id: 1,
        name: "Kaffekop",
        product_id: 16,
        variation_id: 0,
        quantity: 1,
        sku: "MUG-001",
        subtotal: "100.00",
        subtotal_tax: "25.00",
        total: "100.00",
        total_tax: "25.00",
        taxes: [{ id: 1, total: "25.00", subtotal: "25.00" }],
        meta_data: [],
      },
    ],
    tax_lines: [{ id: 9, rate_id: 1, rate_code: "DK-MOMS 25%-1", label: "Moms 25%", compound: false, tax_total: "25.00", shipping_tax_total: "0.00", rate_percent: 25 }],
    shipping_lines: [],
    fee_lines: [],
    coupon_lines: [],
  };
  return { ...base, ...overrides } as WooOrderJson;
}

// ───────────────────────────── a WooCommerce-like checkout ─────────────────────────────

export interface CartItem {
  sku: string;
  /** Catalogue price as entered (incl. or excl. tax per the shop), 2 or 3 decimals. */
  price: string;
  quantity: number;
  rate: 25 | 12 | 6 | 0;
}

export interface CartFee {
  name: string;
  amount: string;
  taxable: boolean;
  rate: 25 | 12 | 6 | 0;
}

export interface CartInput {
  items: CartItem[];
  pricesIncludeTax: boolean;
  roundAtSubtotal: boolean;
  decimals: 2 | 3;
  percentCoupon?: string | null;
  fixedCartCoupon?: string | null;
  fixedProductCoupon?: string | null;
  fees?: CartFee[];
  shipping?: string | null;
  currency?: string;
}

const STORE = 6; // WooCommerce keeps line amounts at 6 decimals (fixtures README, quirk 4)

function pct(rate: number): Money {
  return Money.fromNumber(rate).dividedBy(100, 4);
}

export function simulateCheckout(cart: CartInput): WooOrderJson {
  const dp = cart.decimals;
  const roundTax = (m: Money) => (cart.roundAtSubtotal ? m.round(STORE) : m.round(dp));
  const fmt = (m: Money) => m.toFixed(dp);

  // Items: net subtotal per line (before coupons).
  const items = cart.items.map((item) => {
    const gross = Money.parse(item.price).times(item.quantity);
    const r = pct(item.rate);
    const subtotal = cart.pricesIncludeTax ? gross.dividedBy(Money.ONE.plus(r), STORE) : gross.round(STORE);
    return { ...item, subtotal, unit: subtotal.dividedBy(item.quantity, STORE), discount: Money.ZERO };
  });

  // Coupons, not sequential: percent and fixed-product on the subtotal, fixed cart per unit after them.
  const coupons: Json[] = [];
  const addCoupon = (code: string, type: string, amount: string, discount: Money) =>
    coupons.push({
      id: 900 + coupons.length,
      code,
      discount: discount.round(dp).toString(),
      discount_tax: "0",
      discount_type: type,
      nominal_amount: Number(amount),
      meta_data: [{ key: "coupon_info", value: JSON.stringify([coupons.length + 1, code, type === "fixed_cart" ? null : type, Number(amount)]) }],
    });
  if (cart.percentCoupon) {
    const p = Money.parse(cart.percentCoupon).dividedBy(100, 6);
    let sum = Money.ZERO;
    for (const it of items) {
      const d = it.subtotal.times(p).round(dp).min(it.subtotal.minus(it.discount));
      it.discount = it.discount.plus(d);
      sum = sum.plus(d);
    }
    addCoupon(`pct${cart.percentCoupon}`, "percent", cart.percentCoupon, sum);
  }
  if (cart.fixedProductCoupon) {
    const a = Money.parse(cart.fixedProductCoupon);
    let sum = Money.ZERO;
    for (const it of items) {
      const d = a.times(it.quantity).min(it.subtotal.minus(it.discount)).round(dp, "floor").max(Money.ZERO);
      it.discount = it.discount.plus(d);
      sum = sum.plus(d);
    }
    addCoupon(`fixprod${cart.fixedProductCoupon}`, "fixed_product", cart.fixedProductCoupon, sum);
  }
  if (cart.fixedCartCoupon) {
    const units = items.reduce((n, it) => n + it.quantity, 0);
    const unitMinor = 10n ** BigInt(dp);
    let left = Money.parse(cart.fixedCartCoupon).toMinorUnits(dp);
    const perUnit = left / BigInt(units);
    let sum = Money.ZERO;
    for (const it of items) {
      const room = it.subtotal.minus(it.discount).round(dp, "floor").toMinorUnits(dp);
      const d = (perUnit * BigInt(it.quantity) < room ? perUnit * BigInt(it.quantity) : room > 0n ? room : 0n);
      it.discount = it.discount.plus(Money.fromMinorUnits(d, dp));
      left -= d;
      sum = sum.plus(Money.fromMinorUnits(d, dp));
    }
    for (const it of items) {
      if (left <= 0n) break;
      const room = it.subtotal.minus(it.discount).round(dp, "floor").toMinorUnits(dp);
      const d = room < left ? (room > 0n ? room : 0n) : left;
      it.discount = it.discount.plus(Money.fromMinorUnits(d, dp));
      left -= d;
      sum = sum.plus(Money.fromMinorUnits(d, dp));
    }
    void unitMinor;
    addCoupon(`fix${cart.fixedCartCoupon}`, "fixed_cart", cart.fixedCartCoupon, sum);
  }

  const taxByRate = new Map<number, { items: Money; shipping: Money }>();
  const addTax = (rate: number, kind: "items" | "shipping", amount: Money) => {
    const e = taxByRate.get(rate) ?? { items: Money.ZERO, shipping: Money.ZERO };
    e[kind] = e[kind].plus(amount);
    taxByRate.set(rate, e);
  };
  let netTotal = Money.ZERO;
  let exactTax = Money.ZERO;

  const lineItems = items.map((it, i) => {
    const total = it.subtotal.minus(it.discount).max(Money.ZERO);
    const r = pct(it.rate);
    const subtotalTax = roundTax(it.subtotal.times(r));
    const totalTax = roundTax(total.times(r));
    addTax(it.rate, "items", totalTax);
    netTotal = netTotal.plus(cart.roundAtSubtotal ? total : total.round(dp));
    exactTax = exactTax.plus(totalTax);
    return {
      id: 10 + i,
      name: `Product ${it.sku}`,
      product_id: 100 + i,
      variation_id: 0,
      quantity: it.quantity,
      sku: it.sku,
      subtotal: fmt(it.subtotal),
      subtotal_tax: fmt(subtotalTax),
      total: fmt(total),
      total_tax: fmt(totalTax),
      taxes: [{ id: RATE_IDS[String(it.rate)], total: fmt(totalTax), subtotal: fmt(subtotalTax) }],
      meta_data: [],
    };
  });

  // Net per rate after coupons: the base negative fees are spread over (quirk 11: untaxed too).
  const netByRate = new Map<number, Money>();
  for (const it of items) netByRate.set(it.rate, (netByRate.get(it.rate) ?? Money.ZERO).plus(it.subtotal.minus(it.discount).max(Money.ZERO)));
  const cartNet = Money.sum(netByRate.values());

  const feeLines = (cart.fees ?? []).map((fee, i) => {
    const amount = Money.parse(fee.amount);
    const taxes: { id: number; total: string }[] = [];
    let feeTax = Money.ZERO;
    if (amount.isNegative() && cartNet.isPositive()) {
      for (const [rate, net] of netByRate) {
        if (rate === 0) continue;
        const t = roundTax(amount.times(net).dividedBy(cartNet, STORE).times(pct(rate)));
        taxes.push({ id: RATE_IDS[String(rate)] as number, total: fmt(t) });
        addTax(rate, "items", t);
        feeTax = feeTax.plus(t);
      }
    } else if (fee.taxable && fee.rate !== 0) {
      const t = roundTax(amount.times(pct(fee.rate)));
      taxes.push({ id: RATE_IDS[String(fee.rate)] as number, total: fmt(t) });
      addTax(fee.rate, "items", t);
      feeTax = t;
    }
    netTotal = netTotal.plus(amount.round(dp));
    exactTax = exactTax.plus(feeTax);
    return {
      id: 50 + i,
      name: fee.name,
      tax_class: "",
      tax_status: fee.taxable ? "taxable" : "none",
      total: fmt(amount),
      total_tax: fmt(feeTax),
      taxes,
    };
  });

  const shippingLines: Json[] = [];
  if (cart.shipping) {
    const cost = Money.parse(cart.shipping);
    const rate = Math.max(...items.map((i) => i.rate));
    const t = rate > 0 ? roundTax(cost.times(pct(rate))) : Money.ZERO;
    if (rate > 0) addTax(rate, "shipping", t);
    netTotal = netTotal.plus(cost.round(dp));
    exactTax = exactTax.plus(t);
    shippingLines.push({
      id: 70,
      method_title: "Standard levering",
      method_id: "flat_rate",
      instance_id: "1",
      total: fmt(cost),
      total_tax: fmt(t),
      taxes: rate > 0 ? [{ id: RATE_IDS[String(rate)], total: fmt(t), subtotal: "" }] : [],
    });
  }

  const taxLines = [...taxByRate.entries()].map(([rate, t], i) => ({
    id: 80 + i,
    rate_id: RATE_IDS[String(rate)],
    rate_code: `DK-MOMS ${rate}%-1`,
    label: `Moms ${rate}%`,
    compound: false,
    tax_total: fmt(t.items),
    shipping_tax_total: fmt(t.shipping),
    rate_percent: rate,
  }));
  const totalTax = exactTax.round(dp);
  const total = netTotal.plus(cart.roundAtSubtotal ? exactTax : exactTax.round(dp)).round(dp);

  return wooOrderJson({
    currency: cart.currency ?? "DKK",
    prices_include_tax: cart.pricesIncludeTax,
    total: fmt(total),
    total_tax: fmt(totalTax),
    line_items: lineItems,
    fee_lines: feeLines,
    shipping_lines: shippingLines,
    coupon_lines: coupons,
    tax_lines: taxLines,
  } as unknown as Partial<WooOrderJson>);
}
