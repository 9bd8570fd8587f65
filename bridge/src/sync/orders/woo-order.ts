import { z } from "zod";
import { Money, MoneyParseError } from "../../lib/money.js";
import { WooOrderInvalid } from "./order-errors.js";

/**
 * The part of a WooCommerce REST v3 order (`GET /wc/v3/orders/{id}`, woocommerce-notes.md §5) the
 * order transformers read. Money arrives as decimal strings (2, 3 or more decimals) and is parsed
 * into `Money` here, exactly; WooCommerce writes "" for "no amount" (a shipping tax's subtotal, a
 * fee's `amount`), which reads as zero. Unknown fields are ignored.
 */

const wooMoney = z.union([z.string(), z.number()]).transform((value, ctx) => {
  if (value === "") return Money.ZERO;
  try {
    return typeof value === "number" ? Money.fromNumber(value) : Money.parse(value);
  } catch (error) {
    ctx.addIssue({ code: "custom", message: error instanceof MoneyParseError ? error.message : String(error) });
    return z.NEVER;
  }
});

const text = z.string().nullish().transform((v) => v ?? "");
const id = z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]);

const metaSchema = z.object({ key: z.string(), value: z.unknown() });
const metaList = z.array(metaSchema).nullish().transform((v) => v ?? []);

const taxEntrySchema = z.object({
  id,
  total: wooMoney.default(Money.ZERO),
  subtotal: wooMoney.default(Money.ZERO),
});
const taxList = z.array(taxEntrySchema).nullish().transform((v) => v ?? []);

const addressSchema = z
  .object({
    first_name: text,
    last_name: text,
    company: text,
    address_1: text,
    address_2: text,
    city: text,
    state: text,
    postcode: text,
    country: text,
    email: text,
    phone: text,
  })
  .nullish()
  .transform(
    (v) =>
      v ?? { first_name: "", last_name: "", company: "", address_1: "", address_2: "", city: "", state: "", postcode: "", country: "", email: "", phone: "" },
  );

export const wooLineItemSchema = z.object({
  id,
  name: text,
  product_id: id.default(0),
  variation_id: id.default(0),
  quantity: z.number({ error: "quantity must be a number" }),
  sku: text,
  /** Before coupons, excl. VAT. */
  subtotal: wooMoney,
  subtotal_tax: wooMoney.default(Money.ZERO),
  /** After coupons, excl. VAT. */
  total: wooMoney,
  total_tax: wooMoney.default(Money.ZERO),
  taxes: taxList,
  meta_data: metaList,
});

export const wooTaxLineSchema = z.object({
  id,
  rate_id: id,
  rate_code: text,
  label: text,
  compound: z.boolean().default(false),
  tax_total: wooMoney,
  shipping_tax_total: wooMoney.default(Money.ZERO),
  /** Present since WooCommerce 3.7; without it a rate cannot be known for sure. */
  rate_percent: z.number().nullish(),
});

export const wooShippingLineSchema = z.object({
  id,
  method_title: text,
  method_id: text,
  instance_id: z.union([z.string(), z.number()]).nullish().transform((v) => (v === null || v === undefined ? "" : String(v))),
  total: wooMoney,
  total_tax: wooMoney.default(Money.ZERO),
  taxes: taxList,
});

export const wooFeeLineSchema = z.object({
  id,
  name: text,
  tax_class: text,
  tax_status: text,
  total: wooMoney,
  total_tax: wooMoney.default(Money.ZERO),
  taxes: taxList,
});

export const wooCouponLineSchema = z.object({
  id,
  code: text,
  discount: wooMoney.default(Money.ZERO),
  discount_tax: wooMoney.default(Money.ZERO),
  /** Since WooCommerce 8.x; older orders carry the type in the `coupon_info` meta. */
  discount_type: z.string().nullish(),
  nominal_amount: z.number().nullish(),
  meta_data: metaList,
});

/** WooCommerce Gift Cards (the extension) lists redeemed cards on the order; they reduce the total after tax. */
export const wooGiftCardSchema = z.object({
  id: id.optional(),
  code: text,
  amount: wooMoney,
});

export const wooOrderSchema = z.object({
  id,
  parent_id: id.default(0),
  number: z.union([z.string(), z.number()]).transform(String),
  status: z.string(),
  currency: z.string().regex(/^[A-Z]{3}$/, { error: "currency must be a three-letter code" }),
  prices_include_tax: z.boolean().default(false),
  /** Shop-local time, no offset ("2026-11-25T12:28:41"). */
  date_created: z.string().nullish(),
  /** UTC. */
  date_created_gmt: z.string().nullish(),
  total: wooMoney,
  total_tax: wooMoney.default(Money.ZERO),
  discount_total: wooMoney.default(Money.ZERO),
  shipping_total: wooMoney.default(Money.ZERO),
  customer_id: id.default(0),
  customer_note: text,
  billing: addressSchema,
  shipping: addressSchema,
  payment_method: text,
  payment_method_title: text,
  transaction_id: text,
  created_via: text,
  meta_data: metaList,
  line_items: z.array(wooLineItemSchema).default([]),
  tax_lines: z.array(wooTaxLineSchema).default([]),
  shipping_lines: z.array(wooShippingLineSchema).default([]),
  fee_lines: z.array(wooFeeLineSchema).default([]),
  coupon_lines: z.array(wooCouponLineSchema).default([]),
  gift_cards: z.array(wooGiftCardSchema).nullish().transform((v) => v ?? []),
});

export type WooOrder = z.output<typeof wooOrderSchema>;
export type WooOrderJson = z.input<typeof wooOrderSchema>;
export type WooLineItem = WooOrder["line_items"][number];
export type WooTaxEntry = WooLineItem["taxes"][number];
export type WooTaxLine = WooOrder["tax_lines"][number];
export type WooShippingLine = WooOrder["shipping_lines"][number];
export type WooFeeLine = WooOrder["fee_lines"][number];
export type WooCouponLine = WooOrder["coupon_lines"][number];
export type WooAddress = WooOrder["billing"];
export type WooMeta = WooOrder["meta_data"][number];

/** Reads a REST order body, or throws `WooOrderInvalid` with the zod paths of what is wrong. */
export function parseWooOrder(body: unknown): WooOrder {
  const result = wooOrderSchema.safeParse(body);
  if (!result.success) {
    throw new WooOrderInvalid(result.error.issues.map((i) => `${i.path.map(String).join(".") || "(order)"}: ${i.message}`));
  }
  return result.data;
}

/** The first non-empty string value among the order meta with these keys, in key order. */
export function metaString(meta: readonly WooMeta[], keys: readonly string[]): string | null {
  for (const key of keys) {
    for (const entry of meta) {
      if (entry.key !== key) continue;
      const v = entry.value;
      if (typeof v === "string" && v.trim() !== "") return v.trim();
      if (typeof v === "number" && Number.isFinite(v)) return String(v);
    }
  }
  return null;
}
