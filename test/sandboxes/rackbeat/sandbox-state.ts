/**
 * The Rackbeat sandbox's data and business rules, without HTTP. Routes (api-routes.ts) and the
 * control API call into this; it raises SandboxValidationError (→ 422) and SandboxNotFoundError
 * (→ 404) and announces webhook events through `onEvent`.
 *
 * Tags in comments say where a behaviour comes from: a source key of rackbeat-api.md (e.g.
 * [doc §4.4, LC]) when the doc documents it, [doc default] when it follows the doc's
 * "Open questions" table or §7 simulator guidance, [inferred] when the doc marks it as inferred or
 * the sandbox had to choose, and [sandbox-only] for extensions that exist only for testing.
 */
import { Decimal } from "decimal.js";
import { computeOrderTotals, type RoundingModel } from "./order-arithmetic.js";
import { FieldErrors, SandboxNotFoundError, SandboxValidationError } from "./sandbox-errors.js";
import {
  has,
  isRecord,
  readBoolean,
  readDate,
  readEnum,
  readNumber,
  readString,
  type Body,
} from "./payload-readers.js";

const Q = Decimal.clone({ precision: 40 });
/** Quantities are decimals [doc default: "Order/line quantities … Decimal numbers"]; exact sums. */
const qAdd = (a: number, b: number): number => new Q(a).plus(b).toNumber();
const qSub = (a: number, b: number): number => new Q(a).minus(b).toNumber();

/** Timestamps `YYYY-MM-DDTHH:MM:SS+00:00`, document dates `YYYY-MM-DD` [doc default]. */
export const timestamp = (date = new Date()): string => `${date.toISOString().slice(0, 19)}+00:00`;
const today = (): string => new Date().toISOString().slice(0, 10);

export type VatZone = "domestic" | "eu" | "abroad";
const VAT_ZONES = ["domestic", "eu", "abroad"] as const;

export interface ProductGroupRecord {
  id: number;
  number: number;
  name: string;
  vat_domestic: number;
  vat_eu: number;
  vat_abroad: number;
  vat_domestic_exempt: number;
  has_inventory: boolean;
  is_sellable: boolean;
  created_at: string;
  updated_at: string;
}

export interface LocationRecord {
  id: number;
  number: number;
  name: string;
  barcode: string | null;
  is_default: boolean;
  parent_number: number | null;
  created_at: string;
  updated_at: string;
}

export interface ProductRecord {
  id: number;
  number: string;
  name: string;
  description: string;
  barcode: string | null;
  sales_price: number;
  cost_price: number;
  recommended_cost_price: number;
  group_number: number;
  is_barred: boolean;
  default_location_number: number | null;
  physical: { weight: number | null; weight_unit: string | null } | null;
  /** On hand per location number. */
  stock: Map<number, number>;
  /** Reserved by booked, unshipped order lines, per location number. */
  reserved: Map<number, number>;
  created_at: string;
  updated_at: string;
}

export interface CustomerRecord {
  id: number;
  number: number;
  name: string;
  company_vat: string | null;
  ean: string | null;
  contact_email: string | null;
  contact_phone: string | null;
  address_street: string | null;
  address_street2: string | null;
  address_city: string | null;
  address_zipcode: string | null;
  address_country: string | null;
  locale: string | null;
  currency: string;
  vat_zone: VatZone;
  payment_terms_id: number | null;
  customer_group_id: number | null;
  layout_id: number | null;
  is_barred: boolean;
  contacts: ContactRecord[];
  created_at: string;
  updated_at: string;
}

export interface ContactRecord {
  id: number;
  number: number;
  name: string;
  role: string | null;
  contact_email: string | null;
  contact_phone: string | null;
  created_at: string;
  updated_at: string;
}

export interface OrderLineRecord {
  id: number;
  item_number: string;
  name: string;
  quantity: number;
  quantity_shipped: number;
  line_price: number;
  discount_percentage: number;
  vat_percentage: number;
  location_number: number | null;
  /** What this line currently holds in its product's `reserved` map (booked orders only). */
  reserved: number;
  reserved_at: number | null;
}

export const ORDER_TEXT_FIELDS = [
  "other_reference",
  "heading",
  "note",
  "address_name",
  "address_street",
  "address_street2",
  "address_state",
  "address_city",
  "address_zipcode",
  "address_country",
  "delivery_address_name",
  "delivery_address_street",
  "delivery_address_street2",
  "delivery_address_state",
  "delivery_address_city",
  "delivery_address_zipcode",
  "delivery_address_country",
] as const;
type OrderTextField = (typeof ORDER_TEXT_FIELDS)[number];

export interface OrderRecord extends Record<OrderTextField, string | null> {
  id: number;
  number: number;
  customer_number: number;
  currency: string;
  currency_rate: number;
  vat_zone: VatZone;
  payment_terms_id: number | null;
  layout_id: number | null;
  employee_id: number | null;
  our_reference_id: number | null;
  your_reference_id: number | null;
  order_date: string;
  deliver_at: string | null;
  is_booked: boolean;
  booked_at: string | null;
  is_cancelled: boolean;
  is_shipped: boolean;
  is_partly_shipped: boolean;
  shipped_at: string | null;
  is_invoiced: boolean;
  invoice_id: number | null;
  delivery_email: string | null;
  delivery_phone: string | null;
  lines: OrderLineRecord[];
  notes: NoteRecord[];
  created_at: string;
  updated_at: string;
}

export interface NoteRecord {
  id: number;
  note: string;
  created_at: string;
  updated_at: string;
}

export interface ShipmentLineRecord {
  id: number;
  order_line_id: number;
  item_number: string;
  quantity: number;
  location_number: number | null;
  is_picked: boolean;
}

export interface ShipmentRecord {
  id: number;
  order_number: number;
  is_picked: boolean;
  is_shipped: boolean;
  shipping_date: string | null;
  lines: ShipmentLineRecord[];
  created_at: string;
  updated_at: string;
}

export interface AdjustmentRecord {
  id: number;
  item_number: string;
  location_number: number;
  quantity: number;
  reason: string | null;
  description: string | null;
  regulated_at: string;
  created_at: string;
}

export interface WebhookRecord {
  id: number;
  event: string;
  url: string;
  is_active: boolean;
  token: string;
  failures_since_last_success: number;
  created_at: string;
  updated_at: string;
}

/**
 * Webhook events. The first group is seen in the sources; the second is the doc's suggested
 * simulator-only catalogue ("Open questions": order.updated, order.booked,
 * order_shipment.shipped, customer_invoice.booked), not confirmed for Rackbeat.
 */
export const DOCUMENTED_EVENTS = [
  "order.created", // MSKU; DEV payload example
  "product.created", // MSKU
  "product.updated", // MSKU
  "inventory.changed", // HD ht-08003
  "delivery_terms.created", // DEV webhook-events (catalogue)
  "delivery_terms.updated",
  "employee.created",
  "employee.updated",
  "payment_terms.created",
  "payment_terms.updated",
  "plugin.uninstalled", // DASH
] as const;
export const SIMULATOR_ONLY_EVENTS = ["order.updated", "order.booked", "order_shipment.shipped", "customer_invoice.booked"] as const;
export const KNOWN_EVENTS: readonly string[] = [...DOCUMENTED_EVENTS, ...SIMULATOR_ONLY_EVENTS];

export interface SandboxEvent {
  event: string;
  key_name: "number" | "id";
  key: string | number;
  /** The resource as the API would show it, for the "full" body variant. */
  data: () => unknown;
  /** For *.updated in the "full" variant [doc §4.8, DEV]. */
  old_key?: string | number;
  changed?: string[];
}

export interface WriteContext {
  /** `suppress_webhooks` from the query or body [doc §4.8, DEV monitoring-security; KG]. */
  suppressWebhooks: boolean;
}

export interface SandboxStateOptions {
  accountId: number;
  companyName: string;
  user: { id: number; name: string; email: string };
  roundingModel: RoundingModel;
  /** false: orders and customers can no longer be found by reference / e-mail (see searchable*). */
  referenceSearch: boolean;
  firstOrderNumber: number;
  /** Fire inventory.changed when booking reserves stock (Rackbeat does not document it). */
  inventoryChangedOnReservation: boolean;
  defaultCurrency: string;
}

export class SandboxState {
  readonly groups = new Map<number, ProductGroupRecord>();
  readonly locations = new Map<number, LocationRecord>();
  readonly products = new Map<string, ProductRecord>();
  readonly customers = new Map<number, CustomerRecord>();
  readonly orders = new Map<number, OrderRecord>();
  readonly shipments = new Map<number, ShipmentRecord>();
  readonly adjustments = new Map<number, AdjustmentRecord>();
  readonly webhooks = new Map<number, WebhookRecord>();

  private nextId = 1;
  private nextOrderNumber: number;
  onEvent: (event: SandboxEvent) => void = () => {};

  constructor(readonly options: SandboxStateOptions) {
    this.nextOrderNumber = options.firstOrderNumber;
  }

  id(): number {
    return this.nextId++;
  }

  private emit(ctx: WriteContext, event: SandboxEvent): void {
    if (!ctx.suppressWebhooks) this.onEvent(event);
  }

  // ───────────────────────────── account ─────────────────────────────

  /** `GET /self` shape [doc §1.3, SW Self*.md; IT uses user_account.id]. */
  self(): unknown {
    return {
      user_account: {
        id: this.options.accountId,
        company_name: this.options.companyName,
        address: { street: "Sandbox Street 1", street2: null, city: "Aarhus", zipcode: "8000", country: "DK" },
      },
      user: { ...this.options.user },
    };
  }

  // ───────────────────────────── product groups ─────────────────────────────

  createProductGroup(body: Body): ProductGroupRecord {
    const errors = new FieldErrors();
    const number = readNumber(body, "number", "number", errors, { integer: true, min: 1 });
    const name = readString(body, "name", "name", errors, { required: true, max: 255 });
    const vat = (key: string, fallback: number) => readNumber(body, key, key, errors, { min: 0, max: 100 }) ?? fallback;
    const group = {
      vat_domestic: vat("vat_domestic", 25),
      vat_eu: vat("vat_eu", 0),
      vat_abroad: vat("vat_abroad", 0),
      vat_domestic_exempt: vat("vat_domestic_exempt", 0),
      has_inventory: readBoolean(body, "has_inventory", "has_inventory", errors) ?? true,
      is_sellable: readBoolean(body, "is_sellable", "is_sellable", errors) ?? true,
    };
    if (number !== undefined && this.groups.has(number)) errors.add("number", "The number has already been taken.");
    errors.throwIfAny();
    const n = number ?? Math.max(0, ...this.groups.keys()) + 1;
    const now = timestamp();
    const record: ProductGroupRecord = { id: this.id(), number: n, name: name as string, ...group, created_at: now, updated_at: now };
    this.groups.set(n, record);
    return record;
  }

  groupOf(product: ProductRecord): ProductGroupRecord | undefined {
    return this.groups.get(product.group_number);
  }

  tracksInventory(product: ProductRecord): boolean {
    return this.groupOf(product)?.has_inventory ?? true;
  }

  serializeGroup(g: ProductGroupRecord): Record<string, unknown> {
    let numProducts = 0;
    for (const p of this.products.values()) if (p.group_number === g.number) numProducts++;
    return {
      number: g.number,
      name: g.name,
      has_inventory: g.has_inventory,
      is_sellable: g.is_sellable,
      should_spread_cost: false,
      vat_domestic: g.vat_domestic,
      vat_eu: g.vat_eu,
      vat_abroad: g.vat_abroad,
      vat_domestic_exempt: g.vat_domestic_exempt,
      is_draft: false,
      num_products: numProducts,
      created_at: g.created_at,
      updated_at: g.updated_at,
      self: `/product-groups/${g.number}`,
    };
  }

  // ───────────────────────────── locations ─────────────────────────────

  createLocation(body: Body): LocationRecord {
    const errors = new FieldErrors();
    const number = readNumber(body, "number", "number", errors, { integer: true, min: 1 });
    const name = readString(body, "name", "name", errors, { required: true, max: 255 });
    const barcode = readString(body, "barcode", "barcode", errors, { max: 255 });
    const isDefault = readBoolean(body, "is_default", "is_default", errors);
    const parent = readNumber(body, "parent_id", "parent_id", errors, { integer: true });
    if (number !== undefined && this.locations.has(number)) errors.add("number", "The number has already been taken.");
    if (parent !== undefined && !this.locations.has(parent)) errors.add("parent_id", "The selected parent id is invalid.");
    errors.throwIfAny();
    const n = number ?? Math.max(0, ...this.locations.keys()) + 1;
    if (isDefault) for (const l of this.locations.values()) l.is_default = false;
    const now = timestamp();
    const record: LocationRecord = {
      id: this.id(),
      number: n,
      name: name as string,
      barcode: barcode ?? null,
      is_default: isDefault ?? this.locations.size === 0,
      parent_number: parent ?? null,
      created_at: now,
      updated_at: now,
    };
    this.locations.set(n, record);
    return record;
  }

  defaultLocation(): LocationRecord {
    for (const l of this.locations.values()) if (l.is_default) return l;
    const first = this.locations.values().next();
    if (!first.done) return first.value;
    return this.createLocation({ number: 1, name: "Main warehouse", is_default: true });
  }

  serializeLocation(l: LocationRecord): Record<string, unknown> {
    let children = 0;
    for (const c of this.locations.values()) if (c.parent_number === l.number) children++;
    return {
      number: l.number,
      name: l.name,
      barcode: l.barcode,
      is_default: l.is_default,
      parent_id: l.parent_number,
      children_count: children,
      is_draft: false,
      created_at: l.created_at,
      updated_at: l.updated_at,
      self: `/locations/${l.number}`,
    };
  }

  // ───────────────────────────── products ─────────────────────────────

  /**
   * Product numbers: strings of at most 25 characters [doc §1.5, HD ht-08001], may hold `/`, `#`,
   * spaces [doc §1.5, LC ResourceUrlTest].
   */
  createProduct(body: Body, ctx: WriteContext): ProductRecord {
    const errors = new FieldErrors();
    // Required on create: number, group, name, sales_price [doc §4.1, TOOLS required_fields; SW].
    const number = readString(body, "number", "number", errors, { required: true, max: 25 });
    const name = readString(body, "name", "name", errors, { required: true, max: 255 });
    const salesPrice = readNumber(body, "sales_price", "sales_price", errors, { required: true });
    const groupNumber = readNumber(body, "group", "group", errors, { required: !has(body, "group_id"), integer: true }) ??
      readNumber(body, "group_id", "group_id", errors, { integer: true });
    const stockQuantity = readNumber(body, "stock_quantity", "stock_quantity", errors);
    const locationNumber = readNumber(body, "default_location_id", "default_location_id", errors, { integer: true });
    const fields = this.readProductFields(body, errors);
    if (number !== undefined && number !== null && this.products.has(number)) errors.add("number", "The number has already been taken.");
    if (groupNumber !== undefined && !this.groups.has(groupNumber)) errors.add(has(body, "group") ? "group" : "group_id", "The selected group is invalid.");
    if (locationNumber !== undefined && !this.locations.has(locationNumber)) errors.add("default_location_id", "The selected default location id is invalid.");
    errors.throwIfAny();

    const now = timestamp();
    const record: ProductRecord = {
      id: this.id(),
      number: number as string,
      name: name as string,
      description: fields.description ?? "",
      barcode: fields.barcode ?? null,
      sales_price: salesPrice as number,
      cost_price: fields.cost_price ?? 0,
      recommended_cost_price: fields.recommended_cost_price ?? fields.cost_price ?? 0,
      group_number: groupNumber as number,
      is_barred: fields.is_barred ?? false,
      default_location_number: locationNumber ?? null,
      physical: fields.physical ?? null,
      stock: new Map(),
      reserved: new Map(),
      created_at: now,
      updated_at: now,
    };
    this.products.set(record.number, record);
    this.emit(ctx, { event: "product.created", key_name: "number", key: record.number, data: () => this.serializeProduct(record) });
    if (stockQuantity !== undefined && stockQuantity !== 0 && this.tracksInventory(record)) {
      // Initial stock on create [doc §4.1 write payload, SW said unsupported in 2018 — inferred here].
      this.moveStock(record, this.locationFor(record).number, stockQuantity, ctx);
    }
    return record;
  }

  private readProductFields(body: Body, errors: FieldErrors) {
    const description = readString(body, "description", "description", errors, { max: 65535 });
    const barcode = readString(body, "barcode", "barcode", errors, { max: 255 });
    const cost_price = readNumber(body, "cost_price", "cost_price", errors) ?? readNumber(body, "recommended_cost_price", "recommended_cost_price", errors);
    const recommended_cost_price = readNumber(body, "recommended_cost_price", "recommended_cost_price", errors);
    const is_barred = readBoolean(body, "is_barred", "is_barred", errors);
    let physical: ProductRecord["physical"] | undefined;
    if (has(body, "physical")) {
      const p = body.physical;
      if (!isRecord(p)) errors.add("physical", "The physical field must be an array.");
      else {
        const weight = readNumber(p, "weight", "physical.weight", errors, { min: 0 });
        const unit = readString(p, "weight_unit", "physical.weight_unit", errors, { max: 10 });
        // `weight_unit` is required when `weight` is given [doc §4.1, SW ProductForm].
        if (weight !== undefined && !unit) errors.add("physical.weight_unit", "The physical.weight unit field is required when physical.weight is present.");
        physical = { weight: weight ?? null, weight_unit: unit ?? null };
      }
    }
    return {
      description: description ?? undefined,
      barcode: barcode === undefined ? undefined : barcode,
      cost_price,
      recommended_cost_price,
      is_barred,
      physical,
    };
  }

  /** `PUT /products/{number}`: partial update → 200 [doc §4.1, TOOLS update-products.py]. */
  updateProduct(product: ProductRecord, body: Body, ctx: WriteContext): ProductRecord {
    const errors = new FieldErrors();
    const number = readString(body, "number", "number", errors, { max: 25 });
    const name = readString(body, "name", "name", errors, { max: 255 });
    const salesPrice = readNumber(body, "sales_price", "sales_price", errors);
    const groupNumber = readNumber(body, "group", "group", errors, { integer: true }) ?? readNumber(body, "group_id", "group_id", errors, { integer: true });
    const locationNumber = readNumber(body, "default_location_id", "default_location_id", errors, { integer: true });
    const fields = this.readProductFields(body, errors);
    if (number && number !== product.number && this.products.has(number)) errors.add("number", "The number has already been taken.");
    if (groupNumber !== undefined && !this.groups.has(groupNumber)) errors.add("group", "The selected group is invalid.");
    if (locationNumber !== undefined && !this.locations.has(locationNumber)) errors.add("default_location_id", "The selected default location id is invalid.");
    if (has(body, "stock_quantity")) errors.add("stock_quantity", "Stock cannot be changed here; use an inventory adjustment."); // [inferred]
    errors.throwIfAny();

    const before = this.serializeProduct(product);
    const oldNumber = product.number;
    if (number && number !== product.number) {
      // Renaming the number re-keys the product [inferred: design §4 "number updated where the API allows"].
      this.products.delete(product.number);
      product.number = number;
      this.products.set(number, product);
      for (const o of this.orders.values()) for (const l of o.lines) if (l.item_number === oldNumber) l.item_number = number;
    }
    if (name) product.name = name;
    if (salesPrice !== undefined) product.sales_price = salesPrice;
    if (groupNumber !== undefined) product.group_number = groupNumber;
    if (locationNumber !== undefined) product.default_location_number = locationNumber;
    if (fields.description !== undefined) product.description = fields.description;
    if (fields.barcode !== undefined) product.barcode = fields.barcode;
    if (fields.cost_price !== undefined) product.cost_price = fields.cost_price;
    if (fields.recommended_cost_price !== undefined) product.recommended_cost_price = fields.recommended_cost_price;
    if (fields.is_barred !== undefined) product.is_barred = fields.is_barred;
    if (fields.physical !== undefined) product.physical = fields.physical;
    product.updated_at = timestamp();
    const after = this.serializeProduct(product);
    const changed = Object.keys(after).filter((k) => k !== "updated_at" && JSON.stringify(after[k]) !== JSON.stringify(before[k]));
    if (changed.length > 0) {
      this.emit(ctx, {
        event: "product.updated",
        key_name: "number",
        key: product.number,
        data: () => this.serializeProduct(product),
        old_key: oldNumber,
        changed,
      });
    }
    return product;
  }

  /** Deleting a product with stock or order history is refused [doc §6, HD ht-07001; inferred for orders]. */
  deleteProduct(product: ProductRecord): void {
    const onHand = [...product.stock.values()].some((q) => q !== 0);
    const onOrders = [...this.orders.values()].some((o) => o.lines.some((l) => l.item_number === product.number));
    if (onHand || onOrders) {
      throw new SandboxValidationError({ number: [`Product '${product.number}' has stock or is used on orders and cannot be deleted.`] });
    }
    this.products.delete(product.number);
  }

  /**
   * Finds a product from a path segment. Express already decoded it once [doc §1.5, LC commit
   * 2407d29: single encoding]; when the result still holds `%xx` it is decoded again so the older
   * double-encoding clients (KG) work too [doc default]. Falls back to `urlfriendly_number`
   * [doc §7.2].
   */
  findProduct(segment: string): ProductRecord | undefined {
    const direct = this.products.get(segment);
    if (direct) return direct;
    if (/%[0-9A-Fa-f]{2}/.test(segment)) {
      try {
        const again = this.products.get(decodeURIComponent(segment));
        if (again) return again;
      } catch {
        // not double-encoded after all
      }
    }
    for (const p of this.products.values()) if (urlFriendly(p.number) === segment) return p;
    return undefined;
  }

  productOr404(segment: string): ProductRecord {
    const p = this.findProduct(segment);
    if (!p) throw new SandboxNotFoundError();
    return p;
  }

  locationFor(product: ProductRecord, preferred?: number | null): LocationRecord {
    const n = preferred ?? product.default_location_number;
    return (n !== null && n !== undefined ? this.locations.get(n) : undefined) ?? this.defaultLocation();
  }

  /** Totals on the item [doc §4.1 table; available = stock − in order, SW]. */
  stockTotals(product: ProductRecord): { stock_quantity: number; in_order_quantity: number; available_quantity: number } {
    let stock = new Q(0);
    let reserved = new Q(0);
    for (const q of product.stock.values()) stock = stock.plus(q);
    for (const q of product.reserved.values()) reserved = reserved.plus(q);
    return {
      stock_quantity: stock.toNumber(),
      in_order_quantity: reserved.toNumber(),
      available_quantity: stock.minus(reserved).toNumber(),
    };
  }

  /** Per-location row shape [doc default: {number, name, stock_quantity, in_order_quantity, available_quantity}]. */
  stockAtLocation(product: ProductRecord, location: LocationRecord): Record<string, unknown> {
    const stock = product.stock.get(location.number) ?? 0;
    const reserved = product.reserved.get(location.number) ?? 0;
    return {
      number: location.number,
      name: location.name,
      stock_quantity: stock,
      in_order_quantity: reserved,
      available_quantity: qSub(stock, reserved),
      purchased_quantity: 0,
    };
  }

  productLocations(product: ProductRecord): LocationRecord[] {
    // Rows for every location that holds or reserves stock, plus the product's own location.
    const numbers = new Set<number>([...product.stock.keys(), ...product.reserved.keys(), this.locationFor(product).number]);
    return [...numbers].map((n) => this.locations.get(n)).filter((l): l is LocationRecord => l !== undefined).sort((a, b) => a.number - b.number);
  }

  serializeProduct(p: ProductRecord): Record<string, unknown> {
    const group = this.groupOf(p);
    const location = this.locationFor(p);
    return {
      id: p.id,
      number: p.number,
      urlfriendly_number: urlFriendly(p.number),
      type: "product",
      name: p.name,
      description: p.description,
      barcode: p.barcode,
      sales_price: p.sales_price,
      cost_price: p.cost_price,
      recommended_cost_price: p.recommended_cost_price,
      ...this.stockTotals(p),
      purchased_quantity: 0,
      used_in_production_quantity: 0,
      is_barred: p.is_barred,
      inventory_enabled: this.tracksInventory(p),
      group_id: p.group_number,
      group: group
        ? {
            number: group.number,
            name: group.name,
            vat_domestic: group.vat_domestic,
            vat_eu: group.vat_eu,
            vat_abroad: group.vat_abroad,
            vat_domestic_exempt: group.vat_domestic_exempt,
            self: `/product-groups/${group.number}`,
          }
        : null,
      default_location_id: location.number,
      default_location: this.serializeLocation(location),
      physical: p.physical
        ? { weight: p.physical.weight, weight_unit: p.physical.weight_unit, height: null, width: null, depth: null, size_unit: null }
        : null,
      created_at: p.created_at,
      updated_at: p.updated_at,
      self: `/products/${encodeURIComponent(p.number)}`,
    };
  }

  // ───────────────────────────── stock movements ─────────────────────────────

  /**
   * Changes on-hand stock at a location and announces `inventory.changed` — Rackbeat fires it on
   * receipts, shipments and adjustments [doc §4.8, HD ht-08003].
   */
  private moveStock(product: ProductRecord, locationNumber: number, delta: number, ctx: WriteContext): void {
    product.stock.set(locationNumber, qAdd(product.stock.get(locationNumber) ?? 0, delta));
    product.updated_at = timestamp();
    this.emitInventoryChanged(product, ctx);
  }

  private emitInventoryChanged(product: ProductRecord, ctx: WriteContext): void {
    this.emit(ctx, { event: "inventory.changed", key_name: "number", key: product.number, data: () => this.serializeProduct(product) });
  }

  /** [sandbox-only] control API: set on-hand stock at a location to an absolute figure. */
  setStock(product: ProductRecord, quantity: number, locationNumber: number | undefined, ctx: WriteContext): void {
    const location = this.locationFor(product, locationNumber);
    const delta = qSub(quantity, product.stock.get(location.number) ?? 0);
    if (delta !== 0) this.moveStock(product, location.number, delta, ctx);
  }

  /**
   * `POST /inventory-adjustments` [doc §4.2, KG InventoryAdjustmentBuilder; body per SW
   * InventoryAdjustmentForm: location_number, quantity (signed delta), regulated_at, reason,
   * item_type, item_number, description]. A zero delta is refused [doc §3.2, MSKU].
   */
  createAdjustment(body: Body, ctx: WriteContext): AdjustmentRecord {
    const errors = new FieldErrors();
    const itemNumber = readString(body, "item_number", "item_number", errors, { required: !has(body, "item_id") }) ??
      readString(body, "item_id", "item_id", errors);
    const quantity = readNumber(body, "quantity", "quantity", errors, { required: true });
    const locationNumber = readNumber(body, "location_number", "location_number", errors, { integer: true });
    readEnum(body, "item_type", "item_type", errors, ["product", "lot"]);
    const reason = readString(body, "reason", "reason", errors, { max: 255 });
    const description = readString(body, "description", "description", errors, { max: 800 });
    const regulatedAt = readDate(body, "regulated_at", "regulated_at", errors);
    if (quantity === 0) errors.add("quantity", "The quantity must not be zero.");
    const product = itemNumber ? this.findProduct(itemNumber) : undefined;
    if (itemNumber && !product) errors.add("item_number", "The selected item number is invalid.");
    if (product && !this.tracksInventory(product)) errors.add("item_number", `Product '${product.number}' does not track inventory.`);
    if (locationNumber !== undefined && !this.locations.has(locationNumber)) errors.add("location_number", "The selected location number is invalid.");
    errors.throwIfAny();
    const p = product as ProductRecord;
    const location = this.locationFor(p, locationNumber);
    const record: AdjustmentRecord = {
      id: this.id(),
      item_number: p.number,
      location_number: location.number,
      quantity: quantity as number,
      reason: reason ?? null,
      description: description ?? null,
      regulated_at: regulatedAt ?? today(),
      created_at: timestamp(),
    };
    this.adjustments.set(record.id, record);
    this.moveStock(p, location.number, record.quantity, ctx);
    return record;
  }

  serializeAdjustment(a: AdjustmentRecord): Record<string, unknown> {
    return {
      id: a.id,
      item_type: "product",
      item_number: a.item_number,
      location_number: a.location_number,
      quantity: a.quantity,
      reason: a.reason,
      description: a.description,
      regulated_at: a.regulated_at,
      created_at: a.created_at,
    };
  }

  // ───────────────────────────── customers ─────────────────────────────

  createCustomer(body: Body): CustomerRecord {
    const errors = new FieldErrors();
    const number = readNumber(body, "number", "number", errors, { integer: true, min: 1 });
    const fields = this.readCustomerFields(body, errors, true);
    if (number !== undefined && this.customers.has(number)) errors.add("number", "The number has already been taken.");
    errors.throwIfAny();
    const n = number ?? Math.max(0, ...this.customers.keys()) + 1;
    const now = timestamp();
    const record: CustomerRecord = {
      id: this.id(),
      number: n,
      name: fields.name as string,
      company_vat: fields.company_vat ?? null,
      ean: fields.ean ?? null,
      contact_email: fields.contact_email ?? null,
      contact_phone: fields.contact_phone ?? null,
      address_street: fields.address_street ?? null,
      address_street2: fields.address_street2 ?? null,
      address_city: fields.address_city ?? null,
      address_zipcode: fields.address_zipcode ?? null,
      address_country: fields.address_country ?? null,
      locale: fields.locale ?? null,
      currency: fields.currency ?? this.options.defaultCurrency,
      vat_zone: fields.vat_zone ?? "domestic",
      payment_terms_id: fields.payment_terms_id ?? null,
      customer_group_id: fields.customer_group_id ?? null,
      layout_id: fields.layout_id ?? null,
      is_barred: fields.is_barred ?? false,
      contacts: [],
      created_at: now,
      updated_at: now,
    };
    this.customers.set(n, record);
    return record;
  }

  private readCustomerFields(body: Body, errors: FieldErrors, creating: boolean) {
    // Reads show `name`; SW and A4S write `company_name` — accept either [doc default].
    const key = has(body, "name") ? "name" : "company_name";
    const name = readString(body, key, key, errors, { required: creating, max: 255 });
    const email = readString(body, "contact_email", "contact_email", errors, { max: 255 });
    if (email && !/^[^\s@]+@[^\s@]+$/.test(email)) errors.add("contact_email", "The contact email field must be a valid email address.");
    const text = (k: string, max = 255) => readString(body, k, k, errors, { max }) ?? undefined;
    const int = (k: string) => readNumber(body, k, k, errors, { integer: true });
    return {
      name: name ?? undefined,
      company_vat: text("company_vat", 50),
      ean: text("ean", 13),
      contact_email: email ?? undefined,
      contact_phone: text("contact_phone", 50),
      address_street: text("address_street"),
      address_street2: text("address_street2"),
      address_city: text("address_city"),
      address_zipcode: text("address_zipcode", 30),
      address_country: text("address_country", 100),
      locale: text("locale", 10),
      currency: text("currency", 3),
      vat_zone: readEnum(body, "vat_zone", "vat_zone", errors, VAT_ZONES),
      payment_terms_id: int("payment_terms_id"),
      customer_group_id: int("customer_group_id"),
      layout_id: int("layout_id"),
      is_barred: readBoolean(body, "is_barred", "is_barred", errors),
    };
  }

  updateCustomer(customer: CustomerRecord, body: Body): CustomerRecord {
    const errors = new FieldErrors();
    const fields = this.readCustomerFields(body, errors, false);
    errors.throwIfAny();
    for (const [k, v] of Object.entries(fields)) {
      if (v !== undefined) (customer as unknown as Record<string, unknown>)[k] = v;
    }
    customer.updated_at = timestamp();
    return customer;
  }

  customerOr404(segment: string): CustomerRecord {
    const c = /^\d+$/.test(segment) ? this.customers.get(Number(segment)) : undefined;
    if (!c) throw new SandboxNotFoundError();
    return c;
  }

  serializeCustomer(c: CustomerRecord): Record<string, unknown> {
    return {
      number: c.number,
      name: c.name,
      company_name: c.name,
      company_vat: c.company_vat,
      ean: c.ean,
      contact_email: c.contact_email,
      contact_phone: c.contact_phone,
      address_street: c.address_street,
      address_street2: c.address_street2,
      address_city: c.address_city,
      address_zipcode: c.address_zipcode,
      address_country: c.address_country,
      locale: c.locale,
      currency: c.currency,
      vat_zone: c.vat_zone,
      payment_terms_id: c.payment_terms_id,
      customer_group_id: c.customer_group_id,
      layout_id: c.layout_id,
      is_barred: c.is_barred,
      created_at: c.created_at,
      updated_at: c.updated_at,
      self: `/customers/${c.number}`,
    };
  }

  /**
   * Free-text `search` on customers matches name or number [doc §2.4, SW]; the sandbox also
   * matches e-mail and VAT number unless reference search is switched off [sandbox-only switch].
   */
  customerSearchText(c: CustomerRecord): (string | number | null)[] {
    return this.options.referenceSearch ? [c.name, c.number, c.contact_email, c.company_vat] : [c.name, c.number];
  }

  /** `POST /customers/{n}/contacts` [doc §4.3, KG CustomerContactBuilder; TOOLS]. */
  createContact(customer: CustomerRecord, body: Body): ContactRecord {
    const errors = new FieldErrors();
    const name = readString(body, "name", "name", errors, { required: true, max: 255 });
    const email = readString(body, "contact_email", "contact_email", errors, { max: 255 });
    const phone = readString(body, "contact_phone", "contact_phone", errors, { max: 50 });
    const role = readString(body, "role", "role", errors, { max: 255 });
    errors.throwIfAny();
    const now = timestamp();
    const contact: ContactRecord = {
      id: this.id(),
      number: customer.contacts.length + 1,
      name: name as string,
      role: role ?? null,
      contact_email: email ?? null,
      contact_phone: phone ?? null,
      created_at: now,
      updated_at: now,
    };
    customer.contacts.push(contact);
    return contact;
  }

  serializeContact(c: ContactRecord): Record<string, unknown> {
    return { ...c };
  }

  // ───────────────────────────── orders ─────────────────────────────

  /**
   * `POST /orders` creates a booked order, `POST /orders/drafts` a draft [doc default; LC
   * createDraft; DEV postordersdrafts]. An own `number` is allowed [doc §5, FTP; SW OrderForm
   * "unique integer"]; using a number twice is refused with 422 [doc §5 inferred] — the connector
   * relies on that for exactly-once. Lines and customer validated per DEV `errors`.
   */
  createOrder(body: Body, booked: boolean, ctx: WriteContext): OrderRecord {
    const errors = new FieldErrors();
    const number = readNumber(body, "number", "number", errors, { integer: true, min: 1 });
    if (number !== undefined && this.orders.has(number)) errors.add("number", "The number has already been taken.");
    const customerNumber = readNumber(body, "customer_id", "customer_id", errors, { integer: true });
    const customer = customerNumber === undefined ? undefined : this.customers.get(customerNumber);
    if (!has(body, "customer_id")) errors.add("customer_id", "The customer id field is required.");
    else if (customerNumber !== undefined && (!customer || customer.is_barred)) errors.add("customer_id", "The selected Customer is invalid.");
    const head = this.readOrderHead(body, errors);
    const vatZone = head.vat_zone ?? customer?.vat_zone ?? "domestic";
    const lines = this.readOrderLines(body, errors, vatZone, true);
    errors.throwIfAny();

    const c = customer as CustomerRecord;
    let n = number;
    if (n === undefined) {
      while (this.orders.has(this.nextOrderNumber)) this.nextOrderNumber++;
      n = this.nextOrderNumber++;
    }
    const now = timestamp();
    const order: OrderRecord = {
      id: this.id(),
      number: n,
      customer_number: c.number,
      // Defaults from the customer when omitted [doc §4.4, inferred; A4S copies them].
      currency: head.currency ?? c.currency,
      currency_rate: head.currency_rate ?? 1,
      vat_zone: vatZone,
      payment_terms_id: head.payment_terms_id ?? c.payment_terms_id,
      layout_id: head.layout_id ?? c.layout_id,
      employee_id: head.employee_id ?? null,
      our_reference_id: head.our_reference_id ?? null,
      your_reference_id: head.your_reference_id ?? null,
      order_date: head.order_date ?? today(),
      deliver_at: head.deliver_at ?? null,
      is_booked: false,
      booked_at: null,
      is_cancelled: false,
      is_shipped: false,
      is_partly_shipped: false,
      shipped_at: null,
      is_invoiced: false,
      invoice_id: null,
      delivery_email: head.delivery_email ?? null,
      delivery_phone: head.delivery_phone ?? null,
      ...emptyTextFields(),
      ...head.text,
      lines: lines ?? [],
      notes: [],
      created_at: now,
      updated_at: now,
    };
    this.orders.set(order.number, order);
    this.emit(ctx, { event: "order.created", key_name: "number", key: order.number, data: () => this.serializeOrder(order) });
    if (booked) this.book(order, ctx);
    return order;
  }

  private readOrderHead(body: Body, errors: FieldErrors) {
    const text: Partial<Record<OrderTextField, string | null>> = {};
    for (const key of ORDER_TEXT_FIELDS) {
      // heading ≤ 255 [doc §4.4, HUB]; note ≤ 800 [doc default, from HUB].
      const max = key === "note" ? 800 : 255;
      const v = readString(body, key, key, errors, { max });
      if (v !== undefined) text[key] = v;
    }
    // Nested address objects [doc §4.4, FTP billing_address / delivery_address].
    for (const [objectKey, prefix] of [
      ["billing_address", "address_"],
      ["delivery_address", "delivery_address_"],
    ] as const) {
      const obj = body[objectKey];
      if (obj === undefined || obj === null) continue;
      if (!isRecord(obj)) {
        errors.add(objectKey, `The ${objectKey.replace(/_/g, " ")} field must be an array.`);
        continue;
      }
      for (const part of ["name", "street", "street2", "state", "city", "zipcode", "country"] as const) {
        const v = readString(obj, part, `${objectKey}.${part}`, errors, { max: 255 });
        if (v !== undefined) text[`${prefix}${part}` as OrderTextField] = v;
      }
    }
    const deliveryAddress = isRecord(body.delivery_address) ? body.delivery_address : {};
    const int = (k: string) => readNumber(body, k, k, errors, { integer: true });
    return {
      text,
      currency: readString(body, "currency", "currency", errors, { max: 3 }) ?? undefined,
      currency_rate: readNumber(body, "currency_rate", "currency_rate", errors, { min: 0 }),
      vat_zone: readEnum(body, "vat_zone", "vat_zone", errors, VAT_ZONES),
      payment_terms_id: int("payment_terms_id"),
      layout_id: int("layout_id"),
      employee_id: int("employee_id"),
      our_reference_id: int("our_reference_id"),
      your_reference_id: int("your_reference_id"),
      order_date: readDate(body, "order_date", "order_date", errors),
      deliver_at: readDate(body, "deliver_at", "deliver_at", errors),
      delivery_email: readString(deliveryAddress, "email", "delivery_address.email", errors, { max: 255 }) ?? undefined,
      delivery_phone: readString(deliveryAddress, "phone", "delivery_address.phone", errors, { max: 50 }) ?? undefined,
    };
  }

  /**
   * Order lines [doc §4.4 line write fields]: `item_id` is the product number (missing → "Product
   * needed", DEV errors); unknown item → 422; barred item → 422 "Product '<n>' is barred."
   * (TOOLS parselog, seen on invoices; assumed for orders). `line_price` omitted → the product's
   * sales price (HUB); `vat_percentage` omitted → the product group's rate for the order's VAT zone
   * [doc §4.7].
   */
  private readOrderLines(body: Body, errors: FieldErrors, vatZone: VatZone, required: boolean): OrderLineRecord[] | undefined {
    if (!has(body, "lines")) {
      if (required) errors.add("lines", "The lines field is required.");
      return undefined;
    }
    const raw = body.lines;
    if (!Array.isArray(raw)) {
      errors.add("lines", "The lines field must be an array.");
      return undefined;
    }
    if (raw.length === 0 && required) {
      errors.add("lines", "The lines field is required.");
      return undefined;
    }
    const lines: OrderLineRecord[] = [];
    raw.forEach((entry: unknown, i: number) => {
      const p = `lines.${i}`;
      if (!isRecord(entry)) {
        errors.add(p, `The ${p} field must be an array.`);
        return;
      }
      const itemNumber = readString(entry, "item_id", `${p}.item_id`, errors);
      if (itemNumber === undefined || itemNumber === null) errors.add(`${p}.item_id`, "Product needed");
      const product = itemNumber ? this.findProduct(itemNumber) : undefined;
      if (itemNumber && !product) errors.add(`${p}.item_id`, "The selected item is invalid.");
      if (product?.is_barred) errors.add(`${p}.item_id`, `Product '${product.number}' is barred.`);
      const quantity = readNumber(entry, "quantity", `${p}.quantity`, errors, { required: true });
      const linePrice = readNumber(entry, "line_price", `${p}.line_price`, errors);
      const discount = readNumber(entry, "discount_percentage", `${p}.discount_percentage`, errors, { min: 0, max: 100 });
      const vat = readNumber(entry, "vat_percentage", `${p}.vat_percentage`, errors, { min: 0, max: 100 });
      const name = readString(entry, "name", `${p}.name`, errors, { max: 255 });
      const locationNumber = readNumber(entry, "location_id", `${p}.location_id`, errors, { integer: true });
      if (locationNumber !== undefined && !this.locations.has(locationNumber)) errors.add(`${p}.location_id`, "The selected location id is invalid.");
      if (!product || quantity === undefined) return;
      const group = this.groupOf(product);
      const groupVat = group ? { domestic: group.vat_domestic, eu: group.vat_eu, abroad: group.vat_abroad }[vatZone] : 0;
      lines.push({
        id: this.id(),
        item_number: product.number,
        name: name ?? product.name,
        quantity,
        quantity_shipped: 0,
        line_price: linePrice ?? product.sales_price,
        discount_percentage: discount ?? 0,
        vat_percentage: vat ?? groupVat,
        location_number: locationNumber ?? null,
        reserved: 0,
        reserved_at: null,
      });
    });
    return lines;
  }

  orderOr404(segment: string): OrderRecord {
    const o = /^\d+$/.test(segment) ? this.orders.get(Number(segment)) : undefined;
    if (!o) throw new SandboxNotFoundError();
    return o;
  }

  /**
   * Booking locks the lines [doc §4.4, MSKU] and reserves stock into `in_order_quantity`
   * [doc §7.6, inferred]. Booking twice is refused [inferred: LC refuses client-side].
   */
  bookOrder(order: OrderRecord, ctx: WriteContext): OrderRecord {
    if (order.is_booked) throw new SandboxValidationError({ order: ["The order is already booked."] });
    this.book(order, ctx);
    return order;
  }

  private book(order: OrderRecord, ctx: WriteContext): void {
    order.is_booked = true;
    order.booked_at = timestamp();
    order.updated_at = order.booked_at;
    const touched = new Set<ProductRecord>();
    for (const line of order.lines) {
      const product = this.products.get(line.item_number);
      if (!product || !this.tracksInventory(product) || line.quantity <= 0) continue;
      const location = this.locationFor(product, line.location_number);
      line.reserved = qSub(line.quantity, line.quantity_shipped);
      line.reserved_at = location.number;
      product.reserved.set(location.number, qAdd(product.reserved.get(location.number) ?? 0, line.reserved));
      product.updated_at = order.booked_at;
      touched.add(product);
    }
    this.emit(ctx, { event: "order.booked", key_name: "number", key: order.number, data: () => this.serializeOrder(order) });
    // Rackbeat documents inventory.changed for movements, not reservations (design §5.4).
    if (this.options.inventoryChangedOnReservation) for (const p of touched) this.emitInventoryChanged(p, ctx);
  }

  private releaseReservation(order: OrderRecord): void {
    for (const line of order.lines) {
      if (line.reserved === 0 || line.reserved_at === null) continue;
      const product = this.products.get(line.item_number);
      if (product) {
        product.reserved.set(line.reserved_at, qSub(product.reserved.get(line.reserved_at) ?? 0, line.reserved));
        product.updated_at = timestamp();
      }
      line.reserved = 0;
    }
  }

  /** `PUT /orders/{n}`: partial; lines of a booked order cannot change [doc §4.4, MSKU; status 422 doc default]. */
  updateOrder(order: OrderRecord, body: Body, ctx: WriteContext): OrderRecord {
    const errors = new FieldErrors();
    if (has(body, "number") && Number(body.number) !== order.number) errors.add("number", "The number cannot be changed."); // [inferred]
    let customer: CustomerRecord | undefined;
    if (has(body, "customer_id")) {
      const n = readNumber(body, "customer_id", "customer_id", errors, { integer: true });
      customer = n === undefined ? undefined : this.customers.get(n);
      if (n !== undefined && (!customer || customer.is_barred)) errors.add("customer_id", "The selected Customer is invalid.");
      if (order.is_booked && customer && customer.number !== order.customer_number) errors.add("customer_id", "The customer of a booked order cannot be changed.");
    }
    const head = this.readOrderHead(body, errors);
    let lines: OrderLineRecord[] | undefined;
    if (has(body, "lines")) {
      if (order.is_booked) errors.add("lines", "The lines of a booked order cannot be changed.");
      else lines = this.readOrderLines(body, errors, head.vat_zone ?? order.vat_zone, true);
    }
    errors.throwIfAny();
    if (customer) order.customer_number = customer.number;
    Object.assign(order, head.text);
    for (const k of ["currency", "currency_rate", "vat_zone", "payment_terms_id", "layout_id", "employee_id", "our_reference_id", "your_reference_id", "order_date", "deliver_at", "delivery_email", "delivery_phone"] as const) {
      const v = head[k];
      if (v !== undefined) (order as unknown as Record<string, unknown>)[k] = v;
    }
    if (lines) order.lines = lines;
    order.updated_at = timestamp();
    this.emit(ctx, { event: "order.updated", key_name: "number", key: order.number, data: () => this.serializeOrder(order) });
    return order;
  }

  /** `DELETE /orders/{n}`: refused once anything shipped [inferred]; releases reservations. */
  deleteOrder(order: OrderRecord): void {
    if (order.lines.some((l) => l.quantity_shipped !== 0)) {
      throw new SandboxValidationError({ order: ["An order with shipped lines cannot be deleted."] });
    }
    this.releaseReservation(order);
    for (const s of [...this.shipments.values()]) if (s.order_number === order.number) this.shipments.delete(s.id);
    this.orders.delete(order.number);
  }

  addNote(order: OrderRecord, body: Body): NoteRecord {
    const errors = new FieldErrors();
    const text = readString(body, "note", "note", errors, { required: true, max: 65535 });
    errors.throwIfAny();
    const now = timestamp();
    const note: NoteRecord = { id: this.id(), note: text as string, created_at: now, updated_at: now };
    order.notes.push(note);
    return note;
  }

  serializeNote(n: NoteRecord): Record<string, unknown> {
    return { id: n.id, note: n.note, note_html: `<p>${escapeHtml(n.note)}</p>`, user_id: this.options.user.id, user: { ...this.options.user }, created_at: n.created_at, updated_at: n.updated_at };
  }

  /**
   * `POST /orders/{n}/create-shipment`: only when booked and not fully shipped [doc §4.4, LC].
   * The shipment takes every line's quantity not yet shipped or on another open shipment.
   */
  createShipment(order: OrderRecord): ShipmentRecord {
    if (!order.is_booked) throw new SandboxValidationError({ order: ["The order must be booked before it can be shipped."] });
    const open = [...this.shipments.values()].filter((s) => s.order_number === order.number && !s.is_shipped);
    const lines: ShipmentLineRecord[] = [];
    for (const line of order.lines) {
      if (line.quantity <= 0) continue;
      let pending = qSub(line.quantity, line.quantity_shipped);
      for (const s of open) for (const sl of s.lines) if (sl.order_line_id === line.id) pending = qSub(pending, sl.quantity);
      if (pending <= 0) continue;
      const product = this.products.get(line.item_number);
      lines.push({
        id: this.id(),
        order_line_id: line.id,
        item_number: line.item_number,
        quantity: pending,
        location_number: line.reserved_at ?? (product ? this.locationFor(product, line.location_number).number : null),
        is_picked: false,
      });
    }
    if (lines.length === 0) throw new SandboxValidationError({ order: ["The order has nothing left to ship."] });
    const now = timestamp();
    const shipment: ShipmentRecord = { id: this.id(), order_number: order.number, is_picked: false, is_shipped: false, shipping_date: null, lines, created_at: now, updated_at: now };
    this.shipments.set(shipment.id, shipment);
    return shipment;
  }

  /**
   * `POST /orders/shipments/{id}/mark-shipped` {pick} [doc §4.5, KG]: stock leaves — on hand
   * goes down at the line's location and the reservation is released [doc §7.6] — and
   * `inventory.changed` fires per item [doc §4.8, HD ht-08003].
   */
  markShipped(shipment: ShipmentRecord, ctx: WriteContext): ShipmentRecord {
    if (shipment.is_shipped) throw new SandboxValidationError({ shipment: ["The shipment is already shipped."] });
    const order = this.orders.get(shipment.order_number);
    if (!order) throw new SandboxNotFoundError();
    const touched = new Set<ProductRecord>();
    for (const sl of shipment.lines) {
      const line = order.lines.find((l) => l.id === sl.order_line_id);
      if (!line) continue;
      line.quantity_shipped = qAdd(line.quantity_shipped, sl.quantity);
      sl.is_picked = true;
      const product = this.products.get(line.item_number);
      if (!product || !this.tracksInventory(product)) continue;
      const at = sl.location_number ?? this.locationFor(product, line.location_number).number;
      product.stock.set(at, qSub(product.stock.get(at) ?? 0, sl.quantity));
      if (line.reserved > 0 && line.reserved_at !== null) {
        const release = Math.min(line.reserved, sl.quantity);
        line.reserved = qSub(line.reserved, release);
        product.reserved.set(line.reserved_at, qSub(product.reserved.get(line.reserved_at) ?? 0, release));
      }
      product.updated_at = timestamp();
      touched.add(product);
    }
    const now = timestamp();
    shipment.is_picked = true;
    shipment.is_shipped = true;
    shipment.shipping_date = now.slice(0, 10);
    shipment.updated_at = now;
    const positive = order.lines.filter((l) => l.quantity > 0);
    order.is_shipped = positive.every((l) => l.quantity_shipped >= l.quantity);
    order.is_partly_shipped = !order.is_shipped && positive.some((l) => l.quantity_shipped > 0);
    if (order.is_shipped) order.shipped_at = now;
    order.updated_at = now;
    for (const p of touched) this.emitInventoryChanged(p, ctx);
    this.emit(ctx, { event: "order_shipment.shipped", key_name: "id", key: shipment.id, data: () => this.serializeShipment(shipment) });
    return shipment;
  }

  /** [sandbox-only] control API: ship everything left on an order in one shipment. */
  shipOrder(order: OrderRecord, ctx: WriteContext): ShipmentRecord {
    return this.markShipped(this.createShipment(order), ctx);
  }

  /** `POST /orders/{n}/convert-to-invoice?book=` → `{invoice_id}` [doc §4.4, KG]. */
  convertToInvoice(order: OrderRecord, book: boolean, ctx: WriteContext): number {
    if (!order.is_booked) throw new SandboxValidationError({ order: ["The order must be booked before it can be invoiced."] });
    if (order.is_invoiced) throw new SandboxValidationError({ order: ["The order is already invoiced."] });
    order.is_invoiced = true;
    order.invoice_id = this.id();
    order.updated_at = timestamp();
    if (book) this.emit(ctx, { event: "customer_invoice.booked", key_name: "number", key: order.invoice_id, data: () => ({ number: order.invoice_id, order: { number: order.number } }) });
    return order.invoice_id;
  }

  shipmentOr404(segment: string): ShipmentRecord {
    const s = /^\d+$/.test(segment) ? this.shipments.get(Number(segment)) : undefined;
    if (!s) throw new SandboxNotFoundError();
    return s;
  }

  orderTotals(order: OrderRecord) {
    return computeOrderTotals(
      order.lines.map((l) => ({ quantity: l.quantity, line_price: l.line_price, discount_percentage: l.discount_percentage, vat_percentage: l.vat_percentage })),
      this.options.roundingModel,
    );
  }

  serializeOrder(o: OrderRecord): Record<string, unknown> {
    const totals = this.orderTotals(o);
    const customer = this.customers.get(o.customer_number);
    const address = (prefix: "address_" | "delivery_address_", extra: { email?: string | null; phone?: string | null }) => ({
      name: o[`${prefix}name`],
      street: o[`${prefix}street`],
      street2: o[`${prefix}street2`],
      state: o[`${prefix}state`],
      zipcode: o[`${prefix}zipcode`],
      city: o[`${prefix}city`],
      country: o[`${prefix}country`],
      ...extra,
    });
    const text: Record<string, string | null> = {};
    for (const k of ORDER_TEXT_FIELDS) text[k] = o[k];
    return {
      number: o.number,
      customer_id: o.customer_number,
      customer: customer ? { number: customer.number, name: customer.name, self: `/customers/${customer.number}` } : null,
      currency: o.currency,
      currency_rate: o.currency_rate,
      vat_zone: o.vat_zone,
      ...text,
      order_date: o.order_date,
      deliver_at: o.deliver_at,
      booked_at: o.booked_at,
      shipped_at: o.shipped_at,
      is_booked: o.is_booked,
      is_cancelled: o.is_cancelled,
      is_archived: false,
      is_ready_for_shipping: o.is_booked && !o.is_shipped,
      is_partly_shipped: o.is_partly_shipped,
      is_shipped: o.is_shipped,
      is_ready_for_invoicing: o.is_booked && !o.is_invoiced,
      is_partly_invoiced: false,
      is_invoiced: o.is_invoiced,
      payment_terms_id: o.payment_terms_id,
      layout_id: o.layout_id,
      employee_id: o.employee_id,
      our_reference_id: o.our_reference_id,
      your_reference_id: o.your_reference_id,
      billing_address: address("address_", {}),
      delivery_address: address("delivery_address_", { email: o.delivery_email, phone: o.delivery_phone }),
      total_subtotal: totals.total_subtotal,
      total_vat: totals.total_vat,
      total_total: totals.total_total,
      // [sandbox-only] VAT per rate; Rackbeat's own field for this is not documented.
      vat_by_rate: totals.vat_by_rate,
      lines: o.lines.map((l, i) => this.serializeLine(l, totals.lines[i])),
      created_at: o.created_at,
      updated_at: o.updated_at,
      self: `/orders/${o.number}`,
    };
  }

  private serializeLine(l: OrderLineRecord, figures: { line_total: number; vat: number } | undefined): Record<string, unknown> {
    const product = this.products.get(l.item_number);
    const location = l.location_number === null ? null : this.locations.get(l.location_number);
    return {
      id: l.id,
      child_id: l.item_number,
      child_type: "product",
      item: product ? { number: product.number, name: product.name, barcode: product.barcode, self: `/products/${encodeURIComponent(product.number)}` } : null,
      name: l.name,
      quantity: l.quantity,
      quantity_shipped: l.quantity_shipped,
      line_price: l.line_price,
      discount_percentage: l.discount_percentage,
      vat_percentage: l.vat_percentage,
      line_total: figures?.line_total ?? 0,
      line_vat: figures?.vat ?? 0, // [sandbox-only]
      location_id: l.location_number,
      location: location ? { number: location.number, name: location.name } : null,
    };
  }

  serializeShipment(s: ShipmentRecord): Record<string, unknown> {
    const order = this.orders.get(s.order_number);
    return {
      id: s.id,
      order_id: order?.id ?? null,
      order: { number: s.order_number, customer_id: order?.customer_number ?? null, self: `/orders/${s.order_number}` },
      is_picked: s.is_picked,
      is_partly_picked: false,
      is_shipped: s.is_shipped,
      shipping_date: s.shipping_date,
      lines: s.lines.map((l) => ({
        id: l.id,
        child_id: l.item_number,
        child_type: "product",
        quantity: l.quantity,
        location_id: l.location_number,
        is_picked: l.is_picked,
      })),
      created_at: s.created_at,
      updated_at: s.updated_at,
      self: `/order-shipments/${s.id}`,
    };
  }

  /**
   * `search` on orders: number, other_reference and heading [doc default "allow filtering by them
   * via search"]; with reference search off only the number matches [sandbox-only switch].
   */
  orderSearchText(o: OrderRecord): (string | number | null)[] {
    return this.options.referenceSearch ? [o.number, o.other_reference, o.heading] : [o.number];
  }

  // ───────────────────────────── webhooks ─────────────────────────────

  /**
   * `POST /webhooks` {event, url, is_active?}: upsert on (event, url); the 32-char token is
   * returned only when the webhook is created [doc §4.8, DEV intro-to-webhooks].
   */
  upsertWebhook(body: Body): { webhook: WebhookRecord; created: boolean } {
    const errors = new FieldErrors();
    const event = readString(body, "event", "event", errors, { required: true });
    const url = readString(body, "url", "url", errors, { required: true, max: 2048 });
    const isActive = readBoolean(body, "is_active", "is_active", errors);
    if (event && !KNOWN_EVENTS.includes(event)) errors.add("event", "The selected event is invalid.");
    if (url && !isHttpUrl(url)) errors.add("url", "The url field must be a valid URL.");
    errors.throwIfAny();
    const now = timestamp();
    for (const w of this.webhooks.values()) {
      if (w.event === event && w.url === url) {
        if (isActive !== undefined) w.is_active = isActive;
        w.updated_at = now;
        return { webhook: w, created: false };
      }
    }
    const webhook: WebhookRecord = {
      id: this.id(),
      event: event as string,
      url: url as string,
      is_active: isActive ?? true,
      token: randomToken(32),
      failures_since_last_success: 0,
      created_at: now,
      updated_at: now,
    };
    this.webhooks.set(webhook.id, webhook);
    return { webhook, created: true };
  }

  updateWebhook(webhook: WebhookRecord, body: Body): WebhookRecord {
    const errors = new FieldErrors();
    const event = readString(body, "event", "event", errors);
    const url = readString(body, "url", "url", errors, { max: 2048 });
    const isActive = readBoolean(body, "is_active", "is_active", errors);
    if (event && !KNOWN_EVENTS.includes(event)) errors.add("event", "The selected event is invalid.");
    if (url && !isHttpUrl(url)) errors.add("url", "The url field must be a valid URL.");
    errors.throwIfAny();
    if (event) webhook.event = event;
    if (url) webhook.url = url;
    if (isActive !== undefined) webhook.is_active = isActive;
    webhook.updated_at = timestamp();
    return webhook;
  }

  webhookOr404(segment: string): WebhookRecord {
    const w = /^\d+$/.test(segment) ? this.webhooks.get(Number(segment)) : undefined;
    if (!w) throw new SandboxNotFoundError();
    return w;
  }

  serializeWebhook(w: WebhookRecord, withToken: boolean): Record<string, unknown> {
    return {
      id: w.id,
      event: w.event,
      url: w.url,
      is_active: w.is_active,
      plugin: null,
      failures_since_last_success: w.failures_since_last_success,
      ...(withToken ? { token: w.token } : {}),
      created_at: w.created_at,
      updated_at: w.updated_at,
    };
  }
}

function emptyTextFields(): Record<OrderTextField, null> {
  return Object.fromEntries(ORDER_TEXT_FIELDS.map((k) => [k, null])) as Record<OrderTextField, null>;
}

/** `urlfriendly_number`: the number with anything but letters, digits, `-`, `_`, `.` as `-` [doc default]. */
export function urlFriendly(number: string): string {
  return number.replace(/[^A-Za-z0-9._-]/g, "-");
}

function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === "http:" || u.protocol === "https:";
  } catch {
    return false;
  }
}

const TOKEN_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
export function randomToken(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = "";
  for (const b of bytes) out += TOKEN_ALPHABET[b % TOKEN_ALPHABET.length];
  return out;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);
}
