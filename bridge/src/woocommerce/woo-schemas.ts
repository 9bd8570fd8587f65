import { z } from "zod";

/**
 * zod schemas for the WooCommerce REST v3 answers the bridge reads, checked against the recorded
 * WooCommerce 10 responses (../shared/fixtures/woocommerce). Money stays the decimal string
 * WooCommerce sends ("847.07", "362.871", coupon lines' raw "11.4"): parse it with lib/money.ts
 * where arithmetic happens. Unknown fields are dropped; fields WooCommerce may omit under `_fields`
 * are only required where the bridge cannot work without them.
 */

/** A money string as WooCommerce renders it: "847.07", "-25.00", "0", "11.3957". */
export const wooDecimal = z.string().regex(/^-?\d+(\.\d+)?$/, "expected a decimal string");
/** Tax `subtotal` on fee and shipping taxes is "" (recorded). */
const wooDecimalOrEmpty = z.union([wooDecimal, z.literal("")]);
/** WordPress local/GMT datetime without zone: "2026-11-25T12:28:44". */
export const wooDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/, "expected YYYY-MM-DDTHH:MM:SS");

export const wooMetaSchema = z.object({
  id: z.number().int().optional(),
  key: z.string(),
  value: z.unknown(),
});
export type WooMeta = z.infer<typeof wooMetaSchema>;

const itemMetaSchema = wooMetaSchema.extend({
  display_key: z.string().optional(),
  display_value: z.unknown().optional(),
});

export const wooAddressSchema = z.object({
  first_name: z.string(),
  last_name: z.string(),
  company: z.string(),
  address_1: z.string(),
  address_2: z.string(),
  city: z.string(),
  state: z.string(),
  postcode: z.string(),
  country: z.string(),
  email: z.string().nullable().optional(),
  phone: z.string().nullable().optional(),
});
export type WooAddress = z.infer<typeof wooAddressSchema>;

export const wooTaxEntrySchema = z.object({
  id: z.number().int(),
  total: wooDecimalOrEmpty,
  subtotal: wooDecimalOrEmpty,
});

export const wooLineItemSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  product_id: z.number().int(),
  variation_id: z.number().int(),
  quantity: z.number(),
  tax_class: z.string(),
  subtotal: wooDecimal,
  subtotal_tax: wooDecimal,
  total: wooDecimal,
  total_tax: wooDecimal,
  taxes: z.array(wooTaxEntrySchema),
  meta_data: z.array(itemMetaSchema),
  /** null when the product no longer exists. */
  sku: z.string().nullable(),
  /** total ÷ quantity as a PHP float (after discounts, net of tax) — display only. */
  price: z.number(),
  parent_name: z.string().nullable().optional(),
});
export type WooLineItem = z.infer<typeof wooLineItemSchema>;

export const wooTaxLineSchema = z.object({
  id: z.number().int(),
  rate_code: z.string(),
  rate_id: z.number().int(),
  label: z.string(),
  compound: z.boolean(),
  tax_total: wooDecimal,
  shipping_tax_total: wooDecimal,
  rate_percent: z.number(),
  meta_data: z.array(itemMetaSchema),
});
export type WooTaxLine = z.infer<typeof wooTaxLineSchema>;

export const wooShippingLineSchema = z.object({
  id: z.number().int(),
  method_title: z.string(),
  method_id: z.string(),
  instance_id: z.string(),
  total: wooDecimal,
  total_tax: wooDecimal,
  taxes: z.array(wooTaxEntrySchema),
  tax_status: z.string().optional(),
  meta_data: z.array(itemMetaSchema),
});
export type WooShippingLine = z.infer<typeof wooShippingLineSchema>;

export const wooFeeLineSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  /** "" standard, a class slug, or "0" (a non-taxable fee saved by the cart). */
  tax_class: z.string(),
  tax_status: z.string(),
  /** "" for REST-created fees, the entered amount for cart fees. */
  amount: z.string(),
  total: wooDecimal,
  total_tax: wooDecimal,
  taxes: z.array(wooTaxEntrySchema),
  meta_data: z.array(itemMetaSchema),
});
export type WooFeeLine = z.infer<typeof wooFeeLineSchema>;

export const wooCouponLineSchema = z.object({
  id: z.number().int(),
  /** Lower case, as WooCommerce stores codes. */
  code: z.string(),
  /** Raw stored value, not formatted to the shop's decimals ("11.4", "100", "11.3957"). */
  discount: wooDecimal,
  discount_tax: wooDecimal,
  meta_data: z.array(itemMetaSchema),
  discount_type: z.string().optional(),
  nominal_amount: z.number().optional(),
  free_shipping: z.boolean().optional(),
});
export type WooCouponLine = z.infer<typeof wooCouponLineSchema>;

export const wooOrderStatusSchema = z.string();

/** `GET /wc/v3/orders/{id}` — the order shape the transformer reads. */
export const wooOrderSchema = z.object({
  id: z.number().int(),
  parent_id: z.number().int(),
  number: z.string(),
  order_key: z.string(),
  created_via: z.string(),
  version: z.string(),
  status: wooOrderStatusSchema,
  currency: z.string(),
  prices_include_tax: z.boolean(),
  date_created: wooDateTime,
  date_created_gmt: wooDateTime,
  date_modified: wooDateTime,
  date_modified_gmt: wooDateTime,
  date_completed_gmt: wooDateTime.nullable(),
  date_paid_gmt: wooDateTime.nullable(),
  discount_total: wooDecimal,
  discount_tax: wooDecimal,
  shipping_total: wooDecimal,
  shipping_tax: wooDecimal,
  cart_tax: wooDecimal,
  total: wooDecimal,
  total_tax: wooDecimal,
  customer_id: z.number().int(),
  customer_note: z.string(),
  billing: wooAddressSchema,
  shipping: wooAddressSchema,
  payment_method: z.string(),
  payment_method_title: z.string(),
  transaction_id: z.string(),
  meta_data: z.array(wooMetaSchema),
  line_items: z.array(wooLineItemSchema),
  tax_lines: z.array(wooTaxLineSchema),
  shipping_lines: z.array(wooShippingLineSchema),
  fee_lines: z.array(wooFeeLineSchema),
  coupon_lines: z.array(wooCouponLineSchema),
  refunds: z.array(z.object({ id: z.number().int(), reason: z.string().optional(), total: z.string() })),
  currency_symbol: z.string().optional(),
  /** Redeemed cards, added by the WooCommerce Gift Cards extension; they reduce the total after tax. */
  gift_cards: z
    .array(z.looseObject({ id: z.number().int().optional(), code: z.string(), amount: z.union([wooDecimal, z.number()]) }))
    .optional(),
});
export type WooOrder = z.infer<typeof wooOrderSchema>;

export const wooOrderNoteSchema = z.object({
  id: z.number().int(),
  author: z.string(),
  date_created_gmt: wooDateTime,
  note: z.string(),
  customer_note: z.boolean(),
});
export type WooOrderNote = z.infer<typeof wooOrderNoteSchema>;

const attributeSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  slug: z.string().optional(),
  option: z.string().optional(),
  options: z.array(z.string()).optional(),
});

/** `GET /wc/v3/products/{id}` (also variations found with `?sku=`, type "variation"). */
export const wooProductSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  type: z.string(),
  status: z.string(),
  sku: z.string(),
  parent_id: z.number().int(),
  /** Active price as stored ("19.996"); "" when none. */
  price: z.string(),
  regular_price: z.string(),
  sale_price: z.string(),
  tax_status: z.string(),
  tax_class: z.string(),
  manage_stock: z.union([z.boolean(), z.literal("parent")]),
  stock_quantity: z.number().int().nullable(),
  stock_status: z.string(),
  backorders: z.string(),
  weight: z.string(),
  /** EAN / GTIN / UPC / ISBN, WooCommerce 9.2+ ("" when unset); absent on older shops. */
  global_unique_id: z.string().optional(),
  description: z.string(),
  short_description: z.string().optional(),
  virtual: z.boolean(),
  attributes: z.array(attributeSchema),
  variations: z.array(z.number().int()),
  meta_data: z.array(wooMetaSchema),
  date_created_gmt: wooDateTime.nullable(),
  date_modified_gmt: wooDateTime.nullable(),
});
export type WooProduct = z.infer<typeof wooProductSchema>;

/** `GET /wc/v3/products/{parent}/variations/{id}` */
export const wooVariationSchema = z.object({
  id: z.number().int(),
  parent_id: z.number().int().optional(),
  sku: z.string(),
  status: z.string(),
  price: z.string(),
  regular_price: z.string(),
  sale_price: z.string(),
  tax_status: z.string(),
  tax_class: z.string(),
  manage_stock: z.union([z.boolean(), z.literal("parent")]),
  stock_quantity: z.number().int().nullable(),
  stock_status: z.string(),
  backorders: z.string(),
  weight: z.string(),
  /** EAN / GTIN / UPC / ISBN, WooCommerce 9.2+ ("" when unset); absent on older shops. */
  global_unique_id: z.string().optional(),
  description: z.string(),
  virtual: z.boolean(),
  attributes: z.array(attributeSchema),
  meta_data: z.array(wooMetaSchema),
  date_created_gmt: wooDateTime.nullable(),
  date_modified_gmt: wooDateTime.nullable(),
});
export type WooVariation = z.infer<typeof wooVariationSchema>;

/** `/wc/v3/settings/{group}/{id}` */
export const wooSettingSchema = z.object({
  id: z.string(),
  label: z.string(),
  type: z.string(),
  value: z.unknown(),
});
export type WooSetting = z.infer<typeof wooSettingSchema>;

/** `GET /wc/v3/system_status` — only the parts the bridge reads. */
export const wooSystemStatusSchema = z.object({
  environment: z.object({
    home_url: z.string(),
    site_url: z.string(),
    version: z.string(),
    wp_version: z.string().optional(),
  }),
  settings: z.object({
    currency: z.string(),
    currency_symbol: z.string(),
    thousand_separator: z.string(),
    decimal_separator: z.string(),
    number_of_decimals: z.number().int(),
  }),
});
export type WooSystemStatus = z.infer<typeof wooSystemStatusSchema>;

/** `{code, message, data: {status, …}}`, WordPress's REST error shape (recorded in api/4xx-*.json). */
export const wooErrorBodySchema = z.object({
  code: z.string(),
  message: z.string(),
  data: z
    .object({ status: z.number().int().optional(), params: z.record(z.string(), z.string()).optional() })
    .catchall(z.unknown())
    .nullable()
    .optional(),
});
export type WooErrorBody = z.infer<typeof wooErrorBodySchema>;

/** One item of a batch answer: the resource, or `{id, error}` inside the 200. */
export function wooBatchItemSchema<T extends z.ZodType>(resource: T) {
  return z.union([z.object({ id: z.number().int(), error: wooErrorBodySchema }), resource]);
}

export function wooBatchResponseSchema<T extends z.ZodType>(resource: T) {
  const item = wooBatchItemSchema(resource);
  return z.object({
    create: z.array(item).optional(),
    update: z.array(item).optional(),
    delete: z.array(item).optional(),
  });
}
