import { z } from "zod";
import {
  EU_COUNTRIES,
  countryCodeSchema,
  isoDateSchema,
  metaKeySchema,
  rackbeatItemNumberSchema,
  rackbeatNumberSchema,
  wooOrderStatusSchema,
} from "./common.js";

/**
 * The orders group of a shop's settings (design.md §3, issue 5). Every field has a default, so
 * `orderSettingsSchema.parse({})` is a complete, working configuration.
 */

/** Statuses that never describe a placed order: a checkout in progress or a trashed draft. */
export const NEVER_TRANSFERRED_STATUSES = ["checkout-draft", "draft", "auto-draft", "trash"] as const;

const enumError = (field: string, values: readonly string[]) => ({
  error: `${field} must be one of ${values.map((v) => `"${v}"`).join(", ")}`,
});

const EXPORT_MODES = ["automatic", "manual", "off"] as const;
const ORDER_STATES = ["draft", "booked"] as const;
const CUSTOMER_MATCHING = ["email", "vat", "always_new"] as const;
const DISCOUNT_REPRESENTATIONS = ["line_percentage", "negative_lines"] as const;
const CONFIRMATION_EMAIL = ["shop", "rackbeat"] as const;
const ZERO_AMOUNT_LINES = ["include", "skip"] as const;
const EU_CONSUMER_ZONES = ["domestic", "eu"] as const;

/** Shipping-method keys: "flat_rate" (every instance) or "flat_rate:2" (one zone's instance). */
const shippingMethodKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9_.-]+(:\d+)?$/, {
    error: "a shipping method is its WooCommerce id, e.g. \"flat_rate\", optionally with \":<instance id>\" (\"flat_rate:2\")",
  });

const gatewayIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,100}$/, { error: "a payment method is its WooCommerce gateway id, e.g. \"bacs\", \"klarna_payments\"" });

/** Rackbeat locales look like "da-DK" / "en-US"; "da_DK" is accepted and written with a hyphen. */
export const localeSchema = z
  .string({ error: "a locale must be text such as \"da-DK\"" })
  .transform((value) => value.trim().replace("_", "-"))
  .pipe(z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, { error: "a locale looks like \"da-DK\" or \"en-US\"" }));

export const articleNumbersSchema = z
  .strictObject({
    /** WooCommerce shipping method ("flat_rate" or "flat_rate:2") → Rackbeat item number. */
    shippingMethods: z.record(shippingMethodKeySchema, rackbeatItemNumberSchema).default({}),
    /** Used for a shipping method the table does not name. */
    shippingDefault: rackbeatItemNumberSchema.default("SHIPPING"),
    fee: rackbeatItemNumberSchema.default("FEE"),
    paymentFee: rackbeatItemNumberSchema.default("PAYMENT-FEE"),
    /** Fixed-cart discounts, and every coupon discount when discounts are sent as negative lines. */
    fixedDiscount: rackbeatItemNumberSchema.default("DISCOUNT"),
    giftCard: rackbeatItemNumberSchema.default("GIFT-CARD"),
    /**
     * Rounding lines ("øreafrunding"): needed because Rackbeat, not WooCommerce, computes the VAT of
     * the lines it receives; see sync/orders/money-matching.ts. Not in design.md §3's list, but every
     * Rackbeat line needs an item, so the owner must name one.
     */
    rounding: rackbeatItemNumberSchema.default("ROUNDING"),
  })
  .prefault({});

export const feeNamesSchema = z
  .strictObject({
    /**
     * Fee lines whose name contains one of these (case-insensitive) are payment fees. A fee named
     * exactly like the order's payment method title is one too.
     */
    paymentFee: z.array(z.string().min(1, { error: "a fee name cannot be empty" })).default([]),
    /** Negative fee lines whose name contains one of these (case-insensitive) are gift cards. */
    giftCard: z
      .array(z.string().min(1, { error: "a fee name cannot be empty" }))
      .default(["gift card", "giftcard", "gavekort", "presentkort"]),
  })
  .prefault({});

export const paymentMethodSettingsSchema = z.strictObject({
  /** Rackbeat payment terms for orders paid this way (else the customer defaults' terms). */
  paymentTermsId: rackbeatNumberSchema.nullable().default(null),
  /** Text for the order note ("Paid by card (Nets)"); empty → the gateway's title from WooCommerce. */
  noteText: z.string().max(200, { error: "the note text has at most 200 characters" }).default(""),
});

export const customerDefaultsSchema = z
  .strictObject({
    paymentTermsId: rackbeatNumberSchema.nullable().default(null),
    customerGroupId: rackbeatNumberSchema.nullable().default(null),
    layoutId: rackbeatNumberSchema.nullable().default(null),
    /** Billing country that makes a customer domestic. */
    domesticCountry: countryCodeSchema.default("DK"),
    /** Billing countries in the EU VAT area (the domestic country may be listed; domestic wins). */
    euCountries: z.array(countryCodeSchema).default([...EU_COUNTRIES]),
    /**
     * VAT zone of an EU customer without a VAT number (a consumer). Consumers pay VAT like domestic
     * ones, so "domestic" is the default; an EU business with a VAT number is always "eu" (reverse charge).
     */
    euConsumerVatZone: z.enum(EU_CONSUMER_ZONES, enumError("euConsumerVatZone", EU_CONSUMER_ZONES)).default("domestic"),
    /** Order meta keys that may hold the customer's VAT/CVR number, tried in order. */
    vatNumberMetaKeys: z
      .array(metaKeySchema)
      .default(["_billing_vat_number", "_vat_number", "vat_number", "_billing_vat", "billing_vat", "_billing_cvr", "_billing_eu_vat_number"]),
    /** Order meta keys that may hold the order's language ("da", "sv_SE"), tried in order. */
    languageMetaKeys: z.array(metaKeySchema).default(["wpml_language", "_wpml_language", "trp_language", "pll_language"]),
    /** Locale when the order carries no language; null leaves it to Rackbeat. */
    fallbackLocale: localeSchema.nullable().default(null),
  })
  .prefault({});

export const statusWriteBackSchema = z
  .strictObject({
    enabled: z.boolean({ error: "statusWriteBack.enabled must be true or false" }).default(true),
    /** WooCommerce status when Rackbeat books the order; null leaves the order alone. */
    booked: wooOrderStatusSchema.nullable().default(null),
    /** Default: shipped → completed, which makes WooCommerce e-mail the customer. */
    shipped: wooOrderStatusSchema.nullable().default("completed"),
    invoiced: wooOrderStatusSchema.nullable().default(null),
  })
  .prefault({});

export const orderSettingsSchema = z
  .strictObject({
    /** automatic: every qualifying order; manual: only "Send to Rackbeat"; off: none. */
    exportMode: z.enum(EXPORT_MODES, enumError("exportMode", EXPORT_MODES)).default("automatic"),
    transferOnStatuses: z
      .array(wooOrderStatusSchema)
      .min(1, { error: "choose at least one status to transfer orders on (or set exportMode to \"off\")" })
      .refine((statuses) => !statuses.some((s) => (NEVER_TRANSFERRED_STATUSES as readonly string[]).includes(s)), {
        error: `a checkout draft is not an order yet: ${NEVER_TRANSFERRED_STATUSES.join(", ")} cannot be transfer statuses`,
      })
      .transform((statuses) => [...new Set(statuses)])
      .default(["processing", "completed"]),
    /** Orders created (shop-local date) before this are never sent; null = no limit. Pairing sets it. */
    transferOrdersCreatedFrom: isoDateSchema.nullable().default(null),
    rackbeatOrderState: z.enum(ORDER_STATES, enumError("rackbeatOrderState", ORDER_STATES)).default("booked"),
    customerMatching: z.enum(CUSTOMER_MATCHING, enumError("customerMatching", CUSTOMER_MATCHING)).default("email"),
    articleNumbers: articleNumbersSchema,
    feeNames: feeNamesSchema,
    /** WooCommerce gateway id ("bacs", "klarna_payments", "dibs_easy") → payment terms and note text. */
    paymentMethods: z.record(gatewayIdSchema, paymentMethodSettingsSchema).default({}),
    discountRepresentation: z
      .enum(DISCOUNT_REPRESENTATIONS, enumError("discountRepresentation", DISCOUNT_REPRESENTATIONS))
      .default("line_percentage"),
    customerDefaults: customerDefaultsSchema,
    /** Order meta keys (custom checkout fields) copied into the order note as "key: value". */
    extraFieldMetaKeys: z.array(metaKeySchema).max(20, { error: "at most 20 extra fields fit in the note" }).default([]),
    /** Delivery address: company name on address line 1 and the street below it. */
    companyNameInAddressLine1: z.boolean({ error: "companyNameInAddressLine1 must be true or false" }).default(false),
    confirmationEmail: z.enum(CONFIRMATION_EMAIL, enumError("confirmationEmail", CONFIRMATION_EMAIL)).default("shop"),
    /** Shipping and fee lines of 0.00 (free shipping, a zero fee): sent or left out. Items are always sent. */
    zeroAmountLines: z.enum(ZERO_AMOUNT_LINES, enumError("zeroAmountLines", ZERO_AMOUNT_LINES)).default("include"),
    statusWriteBack: statusWriteBackSchema,
    /** Put before the WooCommerce order number in `other_reference` and `heading` ("WEB-" → "WEB-1042"). */
    orderReferencePrefix: z
      .string({ error: "orderReferencePrefix must be text" })
      .max(20, { error: "orderReferencePrefix has at most 20 characters" })
      .default(""),
  })
  .prefault({});

export type OrderSettings = z.output<typeof orderSettingsSchema>;
export type OrderSettingsInput = z.input<typeof orderSettingsSchema>;
