/**
 * `POST /wc/v3/orders` and `PUT /wc/v3/orders/{id}` as WC_REST_Orders_Controller (v3) performs
 * them: items are set, totals calculated, coupons applied, then the status is set and the order
 * saved (stock effects), then set_paid → payment_complete().
 */
import { z } from "zod";
import { snapshot } from "./order-math.js";
import { type Dec, decOrZero, storeFloat } from "./php-math.js";
import { RestError, invalidId, invalidParam } from "./rest-error.js";
import { type WooShop, ORDER_STATUSES, mergeAddress } from "./shop-state.js";
import type { OrderRecord, OrderStatus } from "./shop-model.js";

const str = z.union([z.string(), z.number().transform(String)]);
const addressInput = z
  .object({
    first_name: str,
    last_name: str,
    company: str,
    address_1: str,
    address_2: str,
    city: str,
    state: str,
    postcode: str,
    country: str,
    email: str,
    phone: str,
  })
  .partial();

const metaInput = z.object({ id: z.number().optional(), key: z.string(), value: z.unknown() });

const lineItemInput = z.object({
  id: z.number().int().optional(),
  product_id: z.number().int().optional(),
  variation_id: z.number().int().optional(),
  quantity: z.number().optional(),
  name: z.string().optional(),
  subtotal: str.optional(),
  total: str.optional(),
  tax_class: z.string().optional(),
  sku: z.string().optional(),
});

const shippingLineInput = z.object({
  id: z.number().int().optional(),
  method_id: z.string().optional(),
  method_title: z.string().optional(),
  instance_id: str.optional(),
  total: str.optional(),
});

const feeLineInput = z.object({
  id: z.number().int().optional(),
  name: z.string().optional(),
  total: str.optional(),
  tax_status: z.string().optional(),
  tax_class: z.string().optional(),
});

export const restOrderInput = z.object({
  status: z.string().optional(),
  currency: z.string().optional(),
  customer_id: z.number().int().optional(),
  customer_note: z.string().optional(),
  billing: addressInput.optional(),
  shipping: addressInput.optional(),
  payment_method: z.string().optional(),
  payment_method_title: z.string().optional(),
  transaction_id: z.string().optional(),
  meta_data: z.array(metaInput).optional(),
  line_items: z.array(lineItemInput).optional(),
  shipping_lines: z.array(shippingLineInput).optional(),
  fee_lines: z.array(feeLineInput).optional(),
  coupon_lines: z.array(z.object({ id: z.number().optional(), code: z.string().optional() })).optional(),
  set_paid: z.boolean().optional(),
  created_via: z.string().optional(),
});
export type RestOrderInput = z.infer<typeof restOrderInput>;

/** Parses a request body into RestOrderInput, answering rest_invalid_param like WordPress would. */
export function parseOrderInput(body: unknown): RestOrderInput {
  if (body && typeof body === "object" && "status" in body) {
    const status = (body as { status: unknown }).status;
    if (typeof status === "string" && !["auto-draft", ...ORDER_STATUSES].includes(status)) {
      // [recorded] api/400-order-create-invalid-status.json
      throw invalidParam("status", `status is not one of ${enumList(["auto-draft", ...ORDER_STATUSES])}.`, "rest_not_in_enum");
    }
  }
  const parsed = restOrderInput.safeParse(body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = String(issue?.path[0] ?? "body");
    throw invalidParam(param, `${param} is not valid.`, "rest_invalid_type");
  }
  return parsed.data;
}

/** WordPress lists enum values "a, b, and c". */
export function enumList(values: string[]): string {
  if (values.length <= 1) return values.join("");
  return `${values.slice(0, -1).join(", ")}, and ${values[values.length - 1]}`;
}

function setMeta(shop: WooShop, order: OrderRecord, entries: RestOrderInput["meta_data"]): void {
  for (const m of entries ?? []) {
    const existing = m.id ? order.metaData.find((e) => e.id === m.id) : order.metaData.find((e) => e.key === m.key);
    if (existing) {
      existing.key = m.key;
      existing.value = m.value;
    } else {
      order.metaData.push({ id: shop.metaId(), key: m.key, value: m.value });
    }
  }
}

function addItems(shop: WooShop, order: OrderRecord, input: RestOrderInput): void {
  for (const posted of input.line_items ?? []) {
    if (posted.id !== undefined) {
      updateLine(shop, order, posted);
      continue;
    }
    if (posted.quantity === 0) continue;
    const productId = posted.variation_id || posted.product_id || 0;
    // [recorded] api/201-order-create-unknown-product-id.json: an unknown product gives a blank line.
    const product = productId ? shop.products.get(productId) : undefined;
    const line = shop.lineItemFor(product, posted.quantity ?? 1);
    if (posted.name !== undefined) line.name = posted.name;
    if (posted.total !== undefined) line.total = decimal(posted.total);
    if (posted.subtotal !== undefined) line.subtotal = decimal(posted.subtotal);
    if (posted.tax_class !== undefined) line.taxClass = posted.tax_class;
    order.lineItems.push(line);
  }
  for (const posted of input.shipping_lines ?? []) {
    if (posted.id !== undefined) {
      const line = order.shippingLines.find((l) => l.id === posted.id);
      if (!line) throw new RestError(400, "woocommerce_rest_invalid_item_id", "Order item ID provided is not associated with order.");
      if (posted.method_id !== undefined) line.methodId = posted.method_id;
      if (posted.method_title !== undefined) line.methodTitle = posted.method_title;
      if (posted.instance_id !== undefined) line.instanceId = posted.instance_id;
      if (posted.total !== undefined) line.total = decimal(posted.total);
      continue;
    }
    order.shippingLines.push(
      shop.newShippingLine({
        methodId: posted.method_id ?? "",
        methodTitle: posted.method_title ?? "",
        instanceId: posted.instance_id ?? "0",
        total: posted.total ?? "0",
      }),
    );
  }
  for (const posted of input.fee_lines ?? []) {
    if (posted.id !== undefined) {
      const fee = order.feeLines.find((l) => l.id === posted.id);
      if (!fee) throw new RestError(400, "woocommerce_rest_invalid_item_id", "Order item ID provided is not associated with order.");
      if (posted.name !== undefined) fee.name = posted.name;
      if (posted.total !== undefined) fee.total = decimal(posted.total);
      if (posted.tax_status !== undefined) fee.taxStatus = posted.tax_status === "none" ? "none" : "taxable";
      if (posted.tax_class !== undefined) fee.taxClass = posted.tax_class;
      continue;
    }
    order.feeLines.push(
      shop.newFeeLine({
        name: posted.name ?? "",
        total: posted.total ?? "0",
        // WC_Order_Item_Fee::set_tax_status accepts 'taxable' and 'none'; anything else → taxable.
        taxStatus: posted.tax_status === "none" ? "none" : "taxable",
        taxClass: posted.tax_class ?? "",
      }),
    );
  }
}

/** A posted amount as WooCommerce stores it (non-numeric → 0, like a (float) cast). */
function decimal(value: string): Dec {
  return storeFloat(decOrZero(value));
}

function updateLine(shop: WooShop, order: OrderRecord, posted: z.infer<typeof lineItemInput>): void {
  const index = order.lineItems.findIndex((l) => l.id === posted.id);
  const line = order.lineItems[index];
  if (!line) throw new RestError(400, "woocommerce_rest_invalid_item_id", "Order item ID provided is not associated with order.");
  if (posted.quantity === 0) {
    order.lineItems.splice(index, 1);
    return;
  }
  if (posted.quantity !== undefined && posted.quantity !== line.quantity) {
    // [recorded] quirk 17: the quantity changes, the amounts do not; stock follows.
    if (["processing", "completed", "on-hold"].includes(order.status)) shop.adjustLineStock(order, line, posted.quantity);
    line.quantity = posted.quantity;
  }
  if (posted.name !== undefined) line.name = posted.name;
  if (posted.total !== undefined) line.total = decimal(posted.total);
  if (posted.subtotal !== undefined) line.subtotal = decimal(posted.subtotal);
  if (posted.tax_class !== undefined) line.taxClass = posted.tax_class;
}

/** POST /wc/v3/orders */
export function createRestOrder(shop: WooShop, input: RestOrderInput): OrderRecord {
  const order = shop.newOrder(input.created_via ?? "rest-api");
  order.createdVia = "rest-api";
  if (input.currency) order.currency = input.currency;
  if (input.customer_id !== undefined) {
    if (input.customer_id !== 0 && !shop.customers.has(input.customer_id)) {
      throw new RestError(400, "woocommerce_rest_invalid_customer_id", "Customer ID is invalid.");
    }
    order.customerId = input.customer_id;
  }
  order.billing = mergeAddress(order.billing, input.billing);
  order.shipping = mergeAddress(order.shipping, input.shipping);
  if (input.payment_method !== undefined) order.paymentMethod = input.payment_method;
  if (input.payment_method_title !== undefined) order.paymentMethodTitle = input.payment_method_title;
  if (input.transaction_id !== undefined) order.transactionId = input.transaction_id;
  if (input.customer_note !== undefined) order.customerNote = input.customer_note;
  setMeta(shop, order, input.meta_data);
  addItems(shop, order, input);

  // save_object: calculate_totals() before the order exists — negative fees find no order yet.
  order.pricesIncludeTax = shop.settings.pricesIncludeTax;
  shop.orderMath.calculateTotals(order, true, null);
  shop.persist(order);

  if (input.coupon_lines !== undefined) {
    try {
      shop.applyRestCoupons(
        order,
        input.coupon_lines.map((c) => {
          if (!c.code) throw new RestError(400, "woocommerce_rest_invalid_coupon", "Coupon code is required.");
          return c.code;
        }),
      );
    } catch (error) {
      if (error instanceof RestError) {
        // [recorded] api/400-order-create-unknown-coupon.json: the half-created order stays as a draft.
        order.status = "checkout-draft";
        throw new RestError(error.status, error.code, error.message, { ...error.extraData, new_draft_order_id: order.id });
      }
      throw error;
    }
  }
  if (input.status) shop.transition(order, input.status as OrderStatus);
  shop.persist(order);
  if (input.set_paid === true) shop.paymentComplete(order, input.transaction_id ?? "");
  return order;
}

/** PUT /wc/v3/orders/{id} */
export function updateRestOrder(shop: WooShop, id: number, input: RestOrderInput, notFoundStatus = 400): OrderRecord {
  const order = shop.orders.get(id);
  if (!order || order.status === "trash") throw invalidId("shop_order", notFoundStatus);
  if (input.customer_id !== undefined) {
    if (input.customer_id !== 0 && !shop.customers.has(input.customer_id)) {
      throw new RestError(400, "woocommerce_rest_invalid_customer_id", "Customer ID is invalid.");
    }
    order.customerId = input.customer_id;
  }
  order.billing = mergeAddress(order.billing, input.billing);
  order.shipping = mergeAddress(order.shipping, input.shipping);
  if (input.payment_method !== undefined) order.paymentMethod = input.payment_method;
  if (input.payment_method_title !== undefined) order.paymentMethodTitle = input.payment_method_title;
  if (input.transaction_id !== undefined) order.transactionId = input.transaction_id;
  if (input.customer_note !== undefined) order.customerNote = input.customer_note;
  setMeta(shop, order, input.meta_data);
  addItems(shop, order, input);
  const itemsChanged =
    input.billing !== undefined ||
    input.shipping !== undefined ||
    input.line_items !== undefined ||
    input.shipping_lines !== undefined ||
    input.fee_lines !== undefined ||
    input.coupon_lines !== undefined;
  if (itemsChanged) shop.orderMath.calculateTotals(order, true, snapshot(order));
  if (input.coupon_lines !== undefined) {
    shop.applyRestCoupons(
      order,
      input.coupon_lines.map((c) => c.code ?? ""),
    );
  }
  if (input.status) shop.transition(order, input.status as OrderStatus);
  shop.persist(order);
  if (input.set_paid === true && shop.needsPayment(order)) shop.paymentComplete(order, input.transaction_id ?? "");
  return order;
}
