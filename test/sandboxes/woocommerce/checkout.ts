/**
 * Placing an order in the sandbox "as a checkout would": through the REST API code path
 * (`via: "rest-api"`, WC_Abstract_Order::calculate_totals) or through the shopper's cart
 * (`via: "store-api"`, WC_Cart_Totals — the block checkout; the classic checkout computes the same
 * way). The two paths differ in recorded ways (README quirks 9, 11, 12), so both exist.
 */
import { createHash } from "node:crypto";
import type { CartFeeInput, CartLineInput } from "./cart-math.js";
import { Dec, ZERO, phpFloatString, storeFloat } from "./php-math.js";
import { RestError } from "./rest-error.js";
import { type RestOrderInput, createRestOrder, updateRestOrder } from "./rest-orders.js";
import { type WooShop, mergeAddress } from "./shop-state.js";
import type { Address, Coupon, OrderRecord, OrderStatus, ShippingMethod } from "./shop-model.js";
import { newCouponLine, snapshot } from "./order-math.js";

export interface CheckoutLine {
  /** Identify the product by SKU, or by ids (variationId for a variation). */
  sku?: string;
  productId?: number;
  variationId?: number;
  quantity: number;
}

export interface CheckoutFee {
  name: string;
  /** Net amount, may be negative ("-25.00"). */
  total: string;
  taxable: boolean;
  /** "" standard or a class slug. */
  taxClass?: string;
}

export interface CheckoutInput {
  via: "rest-api" | "store-api";
  lines: CheckoutLine[];
  coupons?: string[];
  fees?: CheckoutFee[];
  billing?: Partial<Address>;
  shipping?: Partial<Address>;
  /**
   * "zone": the flat rate of the shipping country's zone (the cost the zone charges);
   * `{instanceId}`: a specific method; `{methodId, title, total}`: an explicit REST shipping line;
   * null/undefined: no shipping line.
   */
  shippingMethod?: "zone" | { instanceId: number } | { methodId: string; title: string; total: string; instanceId?: number } | null;
  customerId?: number;
  paymentMethod?: string;
  paymentMethodTitle?: string;
  customerNote?: string;
  metaData?: { key: string; value: unknown }[];
  /** Store API additional checkout fields (saved as `_wc_billing/<key>` meta). */
  additionalFields?: Record<string, string>;
  /** REST path: the status sent on create (default pending). */
  status?: OrderStatus;
  /** REST path: set_paid. */
  setPaid?: boolean;
  /** Status changes afterwards, each as a `PUT /orders/{id} {status}`. */
  thenStatus?: OrderStatus[];
}

const PAYMENT_TITLES: Record<string, string> = {
  bacs: "Direct bank transfer",
  cod: "Cash on delivery",
  cheque: "Check payments",
};

/** Gateways' process_payment(): status after the Store API checkout, and the note prefix. */
const GATEWAY_OUTCOME: Record<string, { status: OrderStatus; note: string }> = {
  bacs: { status: "on-hold", note: "Awaiting BACS payment" },
  cheque: { status: "on-hold", note: "Awaiting check payment" },
  cod: { status: "processing", note: "Payment to be made upon delivery." },
};

export function placeOrder(shop: WooShop, input: CheckoutInput): OrderRecord {
  const order = input.via === "rest-api" ? placeViaRest(shop, input) : placeViaCart(shop, input);
  for (const status of input.thenStatus ?? []) updateRestOrder(shop, order.id, { status });
  return order;
}

function resolveProduct(shop: WooShop, line: CheckoutLine): { id: number; productId: number; variationId: number } {
  let product = line.sku !== undefined ? shop.productBySku(line.sku) : shop.products.get(line.variationId || line.productId || 0);
  if (!product) throw new RestError(400, "woocommerce_rest_invalid_product_id", `No product for ${line.sku ?? line.variationId ?? line.productId}.`);
  if (product.type === "variable") throw new RestError(400, "woocommerce_rest_invalid_product_id", `${product.sku} is a variable product; choose a variation.`);
  product = shop.products.get(product.id) ?? product;
  return product.type === "variation"
    ? { id: product.id, productId: product.parentId, variationId: product.id }
    : { id: product.id, productId: product.id, variationId: 0 };
}

function shippingMethodFor(shop: WooShop, input: CheckoutInput, country: string): ShippingMethod | null {
  const choice = input.shippingMethod;
  if (!choice) return null;
  const zone = shop.zoneFor(country);
  if (choice === "zone") return zone?.methods[0] ?? null;
  if ("methodId" in choice) {
    return { instanceId: choice.instanceId ?? 0, methodId: choice.methodId, title: choice.title, cost: choice.total, taxStatus: "taxable" };
  }
  for (const z of shop.shippingZones) {
    const method = z.methods.find((m) => m.instanceId === choice.instanceId);
    if (method) return method;
  }
  return null;
}

function placeViaRest(shop: WooShop, input: CheckoutInput): OrderRecord {
  const shippingCountry = input.shipping?.country ?? input.billing?.country ?? "";
  // "zone" (and an instance id) mean what a checkout would charge: nothing for a virtual-only basket.
  const needsShipping = input.lines.some((l) => {
    const ref = resolveProduct(shop, l);
    return !shop.products.get(ref.id)?.virtual;
  });
  const explicit = typeof input.shippingMethod === "object" && input.shippingMethod !== null && "methodId" in input.shippingMethod;
  const method = needsShipping || explicit ? shippingMethodFor(shop, input, shippingCountry) : null;
  const body: RestOrderInput = {
    payment_method: input.paymentMethod ?? "bacs",
    payment_method_title: input.paymentMethodTitle ?? PAYMENT_TITLES[input.paymentMethod ?? "bacs"] ?? "",
    billing: input.billing ?? {},
    shipping: input.shipping ?? {},
    line_items: input.lines.map((line) => {
      const ref = resolveProduct(shop, line);
      return ref.variationId
        ? { product_id: ref.productId, variation_id: ref.variationId, quantity: line.quantity }
        : { product_id: ref.productId, quantity: line.quantity };
    }),
  };
  if (input.customerId) body.customer_id = input.customerId;
  if (input.coupons?.length) body.coupon_lines = input.coupons.map((code) => ({ code }));
  if (method) {
    body.shipping_lines = [{ method_id: method.methodId, method_title: method.title, instance_id: String(method.instanceId), total: method.cost }];
  }
  if (input.fees?.length) {
    body.fee_lines = input.fees.map((f) => ({ name: f.name, total: f.total, tax_status: f.taxable ? "taxable" : "none", tax_class: f.taxClass ?? "" }));
  }
  if (input.customerNote) body.customer_note = input.customerNote;
  if (input.metaData?.length) body.meta_data = input.metaData;
  if (input.status) body.status = input.status;
  if (input.setPaid) body.set_paid = true;
  return createRestOrder(shop, body);
}

function placeViaCart(shop: WooShop, input: CheckoutInput): OrderRecord {
  const s = shop.settings;
  const lines: CartLineInput[] = input.lines.map((line) => {
    const ref = resolveProduct(shop, line);
    const product = shop.products.get(ref.id);
    if (!product) throw new Error("unreachable");
    if (line.quantity <= 0 || !Number.isInteger(line.quantity)) {
      throw new RestError(400, "woocommerce_rest_invalid_quantity", "Quantity must be a positive whole number.");
    }
    return { product, parent: shop.parentOf(product), quantity: line.quantity };
  });
  const coupons: Coupon[] = (input.coupons ?? []).map((raw) => {
    const code = raw.trim().toLowerCase();
    const coupon = shop.coupons.get(code);
    // [recorded] api/storeapi-400-apply-unknown-coupon.json
    if (!coupon) throw new RestError(400, "woocommerce_rest_cart_coupon_error", `Coupon "${code}" does not exist!`);
    return coupon;
  });
  const billing = mergeAddress(shop.newOrder("store-api").billing, input.billing);
  const shipping = mergeAddress(shop.newOrder("store-api").shipping, input.shipping);
  const taxAddress = s.taxBasedOn === "billing" ? billing : shipping.country ? shipping : billing;
  const location =
    s.taxBasedOn === "base" || !taxAddress.country
      ? shop.tax.baseLocation()
      : { country: taxAddress.country, state: taxAddress.state, postcode: taxAddress.postcode, city: taxAddress.city };
  const needsShipping = lines.some((l) => !l.product.virtual);
  const method = needsShipping ? shippingMethodFor(shop, input, shipping.country || billing.country) : null;
  const fees: CartFeeInput[] = (input.fees ?? []).map((f) => ({ name: f.name, amount: new Dec(f.total), taxable: f.taxable, taxClass: f.taxClass ?? "" }));
  const cart = shop.cartMath.calculate({ lines, coupons, fees, location, shipping: method, vatExempt: false });

  const order = shop.newOrder("store-api");
  order.status = "checkout-draft";
  order.billing = billing;
  order.shipping = shipping;
  order.customerId = input.customerId ?? 0;
  order.paymentMethod = input.paymentMethod ?? "";
  order.paymentMethodTitle = input.paymentMethodTitle ?? PAYMENT_TITLES[input.paymentMethod ?? ""] ?? "";
  order.customerNote = input.customerNote ?? "";
  order.customerIpAddress = "127.0.0.1";
  order.customerUserAgent = "WooCommerce sandbox checkout";
  order.pricesIncludeTax = s.pricesIncludeTax;

  for (const line of cart.lines) {
    const item = shop.lineItemFor(line.input.product, line.input.quantity);
    item.subtotal = storeFloat(line.subtotal);
    item.total = storeFloat(line.total);
    shop.orderMath.setLineTaxes(item, line.totalTaxes, line.subtotalTaxes);
    order.lineItems.push(item);
  }
  for (const fee of cart.fees) {
    const record = shop.newFeeLine({
      name: fee.input.name,
      total: fee.total.toString(),
      taxStatus: "taxable",
      // [recorded] quirk 12: a non-taxable cart fee is saved as taxable with tax class "0".
      taxClass: fee.input.taxable ? fee.input.taxClass : "0",
      amount: phpFloatString(fee.input.amount),
    });
    shop.orderMath.setSimpleTaxes(record, fee.taxData);
    order.feeLines.push(record);
  }
  if (cart.shipping) {
    const line = shop.newShippingLine({
      methodId: cart.shipping.method.methodId,
      methodTitle: cart.shipping.method.title,
      instanceId: String(cart.shipping.method.instanceId),
      total: cart.shipping.cost.toString(),
      taxStatus: cart.shipping.method.taxStatus,
    });
    shop.orderMath.setSimpleTaxes(line, cart.shipping.taxes);
    const packed = order.lineItems.filter((l) => !shop.products.get(l.variationId || l.productId)?.virtual).map((l) => `${l.name} &times; ${l.quantity}`).join(", ");
    line.metaData.push({ id: shop.metaId(), key: "Items", value: packed, displayKey: "Items", displayValue: packed });
    order.shippingLines.push(line);
  }
  // create_order_tax_lines: one line per rate id in items + shipping + fee taxes (cart order).
  const rateIds = new Set([...cart.cartContentsTaxes.keys(), ...cart.shippingTaxes.keys(), ...cart.feeTaxes.keys()]);
  for (const rateId of rateIds) {
    order.taxLines.push({
      id: shop.itemId(),
      rateId,
      rateCode: shop.tax.rateCode(rateId),
      label: shop.tax.rateLabel(rateId),
      compound: shop.tax.isCompound(rateId),
      ratePercent: shop.tax.ratePercent(rateId),
      taxTotal: ZERO,
      shippingTaxTotal: ZERO,
    });
  }
  for (const c of cart.coupons) {
    const line = newCouponLine(c.coupon, shop.itemId(), shop.metaId());
    // [recorded] quirk 7: the Store API stores the cart's rounded coupon amounts ("11.4").
    line.discount = storeFloat(c.discount);
    line.discountTax = storeFloat(c.discountTax);
    order.couponLines.push(line);
    c.coupon.usageCount += 1;
  }
  shop.persist(order);
  // The draft order is then recalculated as an order (taxes from the saved line totals):
  // [recorded] the Store API's discount_total is the sum of rounded line discounts (quirk 8),
  // a negative fee's tax follows the after-coupon line totals (quirk 11), and shipping tax is
  // rounded with the tax rounding mode (9.987 in c5).
  shop.orderMath.calculateTotals(order, true, snapshot(order));

  // Store API order meta [recorded] quirk 16.
  const hash = (v: unknown): string => createHash("md5").update(JSON.stringify(v)).digest("hex");
  order.cartHash = hash(input.lines);
  order.metaData.push(
    { id: shop.metaId(), key: "_coupons_hash", value: hash(input.coupons ?? []) },
    { id: shop.metaId(), key: "_fees_hash", value: hash(input.fees ?? []) },
    { id: shop.metaId(), key: "_shipping_hash", value: hash(cart.shipping?.method ?? null) },
    { id: shop.metaId(), key: "_taxes_hash", value: hash([...rateIds]) },
  );
  for (const [key, value] of Object.entries(input.additionalFields ?? {})) {
    order.metaData.push({ id: shop.metaId(), key: `_wc_billing/${key}`, value }, { id: shop.metaId(), key: `_wc_shipping/${key}`, value: "" });
  }
  order.metaData.push({ id: shop.metaId(), key: "is_vat_exempt", value: "no" });
  for (const m of input.metaData ?? []) order.metaData.push({ id: shop.metaId(), key: m.key, value: m.value });
  shop.persist(order);

  // [recorded] api/order-notes/03-store-api-…: hold note, Draft → Pending, stock, gateway status.
  const held = order.lineItems
    .map((l) => {
      const p = shop.products.get(l.variationId || l.productId);
      if (!p?.manageStock) return null;
      const sku = p.sku ? ` (${p.sku})` : "";
      const description = p.type === "variation" ? '<span class="description"></span>' : "";
      return `- ${l.name}${sku}${description} &times; ${l.quantity}`;
    })
    .filter((x): x is string => x !== null);
  if (held.length) shop.addNote(order, `Stock hold of 60 minutes applied to: <br>${held.join("<br>")}`);
  shop.transition(order, "pending");
  const outcome = GATEWAY_OUTCOME[order.paymentMethod];
  if (outcome) shop.transition(order, outcome.status, outcome.note);
  shop.persist(order);
  return order;
}
