/**
 * zod schemas for the Rackbeat responses the sync reads (rackbeat-api.md §4), with the types
 * inferred from them. Objects are loose: fields the bridge does not model pass through untouched,
 * so a new Rackbeat field never breaks parsing. Fields that not every source shows are optional.
 *
 * Numbers: amounts and quantities are accepted as JSON numbers or numeric strings (Laravel's
 * decimal casts serialise as strings); either way the client hands out a JS number, and money
 * arithmetic on it belongs in a decimal type downstream.
 */
import { z } from "zod";

const numeric = z.union([
  z.number(),
  z
    .string()
    .trim()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number),
]);
const int = z.union([
  z.number().int(),
  z
    .string()
    .trim()
    .regex(/^-?\d+$/)
    .transform(Number),
]);
/** Item numbers are strings; a purely numeric one may arrive as a JSON number. */
const itemNumber = z.union([z.string(), z.number().transform(String)]);
const text = z.string().nullable().optional();
const flag = z.boolean().optional();

// ───────────── account ─────────────

/** `GET /self` [§1.3]. */
export const selfSchema = z.looseObject({
  user_account: z.looseObject({
    id: int,
    company_name: z.string().nullable().optional(),
  }),
  user: z.looseObject({ id: int, name: z.string().nullable().optional(), email: z.string().nullable().optional() }).optional(),
});
export type RackbeatSelf = z.infer<typeof selfSchema>;

// ───────────── products, groups, locations ─────────────

export const productGroupRefSchema = z.looseObject({
  number: int,
  name: z.string().optional(),
  vat_domestic: numeric.optional(),
  vat_eu: numeric.optional(),
  vat_abroad: numeric.optional(),
  vat_domestic_exempt: numeric.optional(),
});

/** Product / item [§4.1 read shape]. */
export const productSchema = z.looseObject({
  number: itemNumber,
  urlfriendly_number: z.string().optional(),
  type: z.string().optional(),
  name: z.string(),
  description: text,
  barcode: text,
  sales_price: numeric,
  cost_price: numeric.nullable().optional(),
  recommended_cost_price: numeric.nullable().optional(),
  stock_quantity: numeric,
  in_order_quantity: numeric,
  available_quantity: numeric,
  purchased_quantity: numeric.optional(),
  is_barred: z.boolean(),
  inventory_enabled: flag,
  group_id: int.nullable().optional(),
  group: productGroupRefSchema.nullable().optional(),
  default_location_id: int.nullable().optional(),
  physical: z
    .looseObject({ weight: numeric.nullable().optional(), weight_unit: z.string().nullable().optional() })
    .nullable()
    .optional(),
  created_at: z.string().optional(),
  updated_at: z.string().optional(),
});
export type RackbeatProduct = z.infer<typeof productSchema>;

/** The stock figures of a product, as read with `fields=` for bulk stock reads. */
export const productStockSchema = z.looseObject({
  number: itemNumber,
  stock_quantity: numeric,
  in_order_quantity: numeric,
  available_quantity: numeric,
  is_barred: z.boolean().optional(),
  updated_at: z.string().optional(),
});
export type RackbeatProductStock = z.infer<typeof productStockSchema>;
export const PRODUCT_STOCK_FIELDS = "number,stock_quantity,in_order_quantity,available_quantity,is_barred,updated_at";

/** Product group [§4.1]: every item belongs to one, and its VAT rates apply per VAT zone. */
export const productGroupSchema = z.looseObject({
  number: int,
  name: z.string(),
  vat_domestic: numeric.optional(),
  vat_eu: numeric.optional(),
  vat_abroad: numeric.optional(),
  vat_domestic_exempt: numeric.optional(),
  has_inventory: flag,
  is_sellable: flag,
});
export type RackbeatProductGroup = z.infer<typeof productGroupSchema>;

/** Location / warehouse [§4.2]. */
export const locationSchema = z.looseObject({
  number: int,
  name: z.string(),
  barcode: text,
  is_default: flag,
  parent_id: int.nullable().optional(),
});
export type RackbeatLocation = z.infer<typeof locationSchema>;

/** One location's stock of one product [§4.2; row shape per the doc's default]. */
export const productLocationSchema = z.looseObject({
  number: int,
  name: z.string().optional(),
  stock_quantity: numeric,
  in_order_quantity: numeric.optional(),
  available_quantity: numeric.optional(),
});
export type RackbeatProductLocation = z.infer<typeof productLocationSchema>;

// ───────────── customers ─────────────

/** Customer [§4.3]. Reads show `name`; some sources `company_name` — either fills `name`. */
export const customerSchema = z.preprocess(
  (value) => {
    if (typeof value === "object" && value !== null && !("name" in value) && "company_name" in value) {
      return { ...value, name: (value as { company_name: unknown }).company_name };
    }
    return value;
  },
  z.looseObject({
    number: int,
    name: z.string(),
    company_vat: text,
    ean: text,
    contact_email: text,
    contact_phone: text,
    address_street: text,
    address_street2: text,
    address_city: text,
    address_zipcode: text,
    address_country: text,
    currency: text,
    locale: text,
    vat_zone: z.string().nullable().optional(),
    payment_terms_id: int.nullable().optional(),
    customer_group_id: int.nullable().optional(),
    layout_id: int.nullable().optional(),
    is_barred: flag,
    created_at: z.string().optional(),
    updated_at: z.string().optional(),
  }),
);
export type RackbeatCustomer = z.infer<typeof customerSchema>;

export const customerContactSchema = z.looseObject({
  id: int.optional(),
  number: int.optional(),
  name: z.string(),
  role: text,
  contact_email: text,
  contact_phone: text,
});
export type RackbeatCustomerContact = z.infer<typeof customerContactSchema>;

// ───────────── orders, shipments, notes ─────────────

/** Order line as read [§4.4]: `child_id` is the item number. */
export const orderLineSchema = z.looseObject({
  id: int,
  child_id: itemNumber.nullable().optional(),
  child_type: z.string().nullable().optional(),
  name: z.string().nullable().optional(),
  quantity: numeric,
  quantity_shipped: numeric.optional(),
  line_price: numeric.optional(),
  line_total: numeric.optional(),
  discount_percentage: numeric.nullable().optional(),
  vat_percentage: numeric.nullable().optional(),
  location_id: int.nullable().optional(),
});
export type RackbeatOrderLine = z.infer<typeof orderLineSchema>;

export const vatByRateSchema = z.object({ rate: numeric, base: numeric, vat: numeric });

/** Sales order [§4.4 read shape]; no single status field — the flags say where it is. */
export const orderSchema = z.looseObject({
  number: int,
  customer_id: int.nullable().optional(),
  currency: text,
  other_reference: text,
  heading: text,
  note: text,
  order_date: text,
  is_booked: z.boolean(),
  booked_at: text,
  is_cancelled: flag,
  is_shipped: flag,
  is_partly_shipped: flag,
  is_invoiced: flag,
  total_subtotal: numeric.optional(),
  total_vat: numeric.optional(),
  total_total: numeric.optional(),
  /** The Rackbeat sandbox reports VAT per rate here; Rackbeat's own field is not documented. */
  vat_by_rate: z.array(vatByRateSchema).optional(),
  lines: z.array(orderLineSchema).default([]),
  created_at: z.string().optional(),
  updated_at: z.string().optional(),
});
export type RackbeatOrder = z.infer<typeof orderSchema>;

/** Order shipment [§4.5]. */
export const orderShipmentSchema = z.looseObject({
  id: int,
  order: z.looseObject({ number: int }).nullable().optional(),
  is_picked: flag,
  is_shipped: z.boolean(),
  shipping_date: text,
  lines: z
    .array(
      z.looseObject({
        id: int.optional(),
        child_id: itemNumber.nullable().optional(),
        quantity: numeric,
        location_id: int.nullable().optional(),
      }),
    )
    .default([]),
});
export type RackbeatOrderShipment = z.infer<typeof orderShipmentSchema>;

export const orderNoteSchema = z.looseObject({
  id: int,
  note: z.string(),
  created_at: z.string().optional(),
});
export type RackbeatOrderNote = z.infer<typeof orderNoteSchema>;

// ───────────── inventory, webhooks ─────────────

export const inventoryAdjustmentSchema = z.looseObject({
  id: int,
  item_number: itemNumber.optional(),
  location_number: int.nullable().optional(),
  quantity: numeric,
});
export type RackbeatInventoryAdjustment = z.infer<typeof inventoryAdjustmentSchema>;

/** Webhook [§4.8]; `token` only in the answer that created it. */
export const webhookSchema = z.looseObject({
  id: int,
  event: z.string(),
  url: z.string(),
  is_active: z.boolean(),
  failures_since_last_success: int.optional(),
  token: z.string().optional(),
});
export type RackbeatWebhook = z.infer<typeof webhookSchema>;

// ───────────── envelopes ─────────────

/**
 * Envelope schemas are built once per (key, item schema) and reused: zod compiles an object
 * schema on its first parse, so building one per request would cost more than the parsing.
 */
const envelopes = new Map<string, WeakMap<z.ZodType, z.ZodType>>();
function memo<S extends z.ZodType>(kind: string, key: string, item: z.ZodType, build: () => S): S {
  const id = `${kind}:${key}`;
  let byItem = envelopes.get(id);
  if (!byItem) envelopes.set(id, (byItem = new WeakMap()));
  let schema = byItem.get(item);
  if (!schema) byItem.set(item, (schema = build()));
  return schema as S;
}

/** Singles: `{<singular>: {...}}` [§2.1]. */
export function singleEnvelope<T extends z.ZodType>(key: string, item: T) {
  return memo("single", key, item, () => z.object({ [key]: item }).transform((envelope) => envelope[key] as z.output<T>));
}

/** Lists: `{<plural>: [...], total, pages, limit, page}` [§2.1, DEV pagination]. */
export function listEnvelope<T extends z.ZodType>(key: string, item: T) {
  return memo("list", key, item, () => listEnvelopeSchema(key, item));
}

function listEnvelopeSchema<T extends z.ZodType>(key: string, item: T) {
  return z
    .object({
      [key]: z.array(item),
      total: int,
      pages: int,
      limit: int,
      page: int,
    })
    .transform((envelope) => ({
      items: envelope[key] as z.output<T>[],
      total: envelope.total as number,
      pages: envelope.pages as number,
      limit: envelope.limit as number,
      page: envelope.page as number,
    }));
}

export interface Page<T> {
  items: T[];
  total: number;
  pages: number;
  limit: number;
  page: number;
}

/** Rackbeat's error body [§3.2]: `{message, errors: {"lines.0.item_id": ["..."]}}`. */
export const errorBodySchema = z.looseObject({
  message: z.string().optional(),
  errors: z.record(z.string(), z.union([z.array(z.string()), z.string().transform((s) => [s])])).optional(),
});
