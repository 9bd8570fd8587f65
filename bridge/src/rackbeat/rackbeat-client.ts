/**
 * The typed Rackbeat client: the operations the sync needs (rackbeat-api.md §4), on top of
 * RackbeatHttp (pacing, retries, errors). Item numbers are percent-encoded once in paths
 * (`ABC/1` → `ABC%2F1`, `#12` → `%2312`) as Rackbeat's own SDK does since 2021 [§1.5].
 *
 *   const rackbeat = createRackbeatClient({ token, userAgent: { product, version, contact } });
 *   const me = await rackbeat.self();
 *   for await (const product of rackbeat.iterateProducts({}, { priority: "bulk" })) { … }
 *
 * Dependents should ask for what they use: `Pick<RackbeatClient, "createOrder" | "findOrder">`.
 */
import type { Logger } from "pino";
import { z } from "zod";
import type { BackoffPolicy } from "../lib/backoff.js";
import type { Metrics } from "../observability/metrics.js";
import { RackbeatNotFound, RackbeatOrderNumberTaken, RackbeatRejected } from "./rackbeat-errors.js";
import {
  RackbeatHttp,
  type CallOptions,
  type QueryValue,
  type UserAgentInfo,
  type WriteOptions,
} from "./rackbeat-http.js";
import {
  customerContactSchema,
  customerSchema,
  inventoryAdjustmentSchema,
  listEnvelope,
  locationSchema,
  orderNoteSchema,
  orderSchema,
  orderShipmentSchema,
  PRODUCT_STOCK_FIELDS,
  productGroupSchema,
  productLocationSchema,
  productSchema,
  productStockSchema,
  selfSchema,
  singleEnvelope,
  webhookSchema,
  type Page,
  type RackbeatCustomer,
  type RackbeatCustomerContact,
  type RackbeatInventoryAdjustment,
  type RackbeatLocation,
  type RackbeatOrder,
  type RackbeatOrderNote,
  type RackbeatOrderShipment,
  type RackbeatProduct,
  type RackbeatProductGroup,
  type RackbeatProductLocation,
  type RackbeatProductStock,
  type RackbeatSelf,
  type RackbeatWebhook,
} from "./rackbeat-schemas.js";
import { rateGateFor } from "./postgres-rate-gate.js";
import type { RateGate, SlidingWindowRateGateOptions } from "./rate-gate.js";

export const RACKBEAT_PRODUCTION_URL = "https://app.rackbeat.com/api";

export interface RackbeatClientOptions {
  token: string;
  /** Default https://app.rackbeat.com/api. The sandbox's `baseUrl` in tests. */
  baseUrl?: string;
  /** Sent as `User-Agent: <product>/<version> (<contact>)`. */
  userAgent: UserAgentInfo;
  /**
   * The pacing gate. Default: this process's shared gate for the token, 480 requests per minute
   * (`rateLimit` tunes it when it is first made). A PostgreSQL-backed gate can be passed here.
   */
  rateGate?: RateGate;
  rateLimit?: SlidingWindowRateGateOptions;
  /** Per attempt, ms. Default 30,000. */
  timeoutMs?: number;
  /** Attempts for 5xx / timeouts / connection errors on requests safe to repeat. Default 4. */
  maxAttempts?: number;
  rateLimitRetries?: number;
  /** Longest Retry-After waited out inside a call. Default 65,000 ms. */
  maxRetryAfterMs?: number;
  backoff?: BackoffPolicy;
  /** Page size for the iterate* methods. Default 1,000, Rackbeat's maximum. */
  pageSize?: number;
  metrics?: Metrics;
  logger?: Logger;
  fetch?: typeof fetch;
}

/** Query for list endpoints [§2.3–2.6]: `search`, attribute filters, order_by. */
export interface ListQuery {
  page?: number;
  limit?: number;
  search?: string;
  orderBy?: string;
  orderDirection?: "ASC" | "DESC";
  /** Plain attribute filters, e.g. `{ is_barred: false }`, `{ updated_at_from: "2025-01-01 00:00:00" }`. */
  filters?: Record<string, QueryValue>;
}

// ───────────── write payloads (what the bridge sends) ─────────────

export interface ProductCreate {
  /** ≤ 25 characters [§1.5, HD ht-08001]. */
  number: string;
  name: string;
  /** Excl. VAT. */
  sales_price: number;
  /** Product group number. */
  group: number;
  description?: string;
  barcode?: string;
  cost_price?: number;
  recommended_cost_price?: number;
  is_barred?: boolean;
  default_location_id?: number;
  physical?: { weight?: number; weight_unit?: string };
  /** Initial stock at the product's location. */
  stock_quantity?: number;
}
export type ProductUpdate = Partial<Omit<ProductCreate, "stock_quantity">>;

export interface ProductGroupCreate {
  number?: number;
  name: string;
  vat_domestic?: number;
  vat_eu?: number;
  vat_abroad?: number;
  vat_domestic_exempt?: number;
  has_inventory?: boolean;
  is_sellable?: boolean;
}

export interface CustomerCreate {
  number?: number;
  name: string;
  company_vat?: string;
  ean?: string;
  contact_email?: string;
  contact_phone?: string;
  address_street?: string;
  address_street2?: string;
  address_city?: string;
  address_zipcode?: string;
  address_country?: string;
  locale?: string;
  currency?: string;
  vat_zone?: "domestic" | "eu" | "abroad";
  payment_terms_id?: number;
  customer_group_id?: number;
  layout_id?: number;
}
export type CustomerUpdate = Partial<Omit<CustomerCreate, "number">> & { is_barred?: boolean };

export interface CustomerContactCreate {
  name: string;
  role?: string;
  contact_email?: string;
  contact_phone?: string;
}

export interface OrderLineInput {
  /** The product number. */
  item_id: string;
  quantity: number;
  name?: string;
  /** Unit price excl. VAT; omitted → Rackbeat's own price. */
  line_price?: number;
  discount_percentage?: number;
  vat_percentage?: number;
  location_id?: number;
}

export interface OrderCreate {
  /** Own order number: Rackbeat refuses it twice (RackbeatOrderNumberTaken). */
  number?: number;
  /** The customer's number. */
  customer_id: number;
  lines: OrderLineInput[];
  currency?: string;
  currency_rate?: number;
  vat_zone?: "domestic" | "eu" | "abroad";
  payment_terms_id?: number;
  layout_id?: number;
  employee_id?: number;
  our_reference_id?: number;
  your_reference_id?: number;
  other_reference?: string;
  /** ≤ 255 characters. */
  heading?: string;
  /** ≤ 800 characters (per the doc's default). */
  note?: string;
  /** YYYY-MM-DD */
  order_date?: string;
  deliver_at?: string;
  address_name?: string;
  address_street?: string;
  address_street2?: string;
  address_state?: string;
  address_city?: string;
  address_zipcode?: string;
  address_country?: string;
  delivery_address_name?: string;
  delivery_address_street?: string;
  delivery_address_street2?: string;
  delivery_address_state?: string;
  delivery_address_city?: string;
  delivery_address_zipcode?: string;
  delivery_address_country?: string;
  delivery_address?: { email?: string; phone?: string };
}
export type OrderUpdate = Partial<OrderCreate>;

export interface InventoryAdjustmentCreate {
  itemNumber: string;
  /** Signed change; Rackbeat refuses 0. */
  quantity: number;
  locationNumber?: number;
  reason?: string;
  description?: string;
  /** YYYY-MM-DD */
  regulatedAt?: string;
}

export interface WebhookUpsert {
  event: string;
  url: string;
  isActive?: boolean;
}

export interface WebhookUpsertResult {
  webhook: RackbeatWebhook;
  /** True when Rackbeat created it; only then does `webhook.token` hold the delivery token. */
  created: boolean;
}

const itemPath = (number: string) => encodeURIComponent(number);

function listQuery(query: ListQuery = {}, extra: Record<string, QueryValue> = {}): Record<string, QueryValue> {
  return {
    ...query.filters,
    ...extra,
    search: query.search,
    order_by: query.orderBy,
    order_direction: query.orderDirection,
    page: query.page,
    limit: query.limit,
  };
}

const normaliseEmail = (s: string | null | undefined) => (s ?? "").trim().toLowerCase();
const normaliseVat = (s: string | null | undefined) => (s ?? "").replace(/[\s.-]/g, "").toUpperCase();

export class RackbeatClient {
  private readonly http: RackbeatHttp;
  private readonly pageSize: number;

  constructor(options: RackbeatClientOptions) {
    const gate = options.rateGate ?? rateGateFor(options.token, options.rateLimit);
    this.http = new RackbeatHttp({
      baseUrl: options.baseUrl ?? RACKBEAT_PRODUCTION_URL,
      token: options.token,
      userAgent: options.userAgent,
      gate,
      timeoutMs: options.timeoutMs,
      maxAttempts: options.maxAttempts,
      rateLimitRetries: options.rateLimitRetries,
      maxRetryAfterMs: options.maxRetryAfterMs,
      backoff: options.backoff,
      metrics: options.metrics,
      logger: options.logger,
      fetch: options.fetch,
    });
    this.pageSize = Math.min(1000, Math.max(1, options.pageSize ?? 1000));
  }

  // ───────────── generic ─────────────

  /** One page of a list endpoint; Rackbeat answers 206 (some clients see 200) — both accepted. */
  async page<T extends z.ZodType>(path: string, key: string, item: T, query: Record<string, QueryValue>, options?: CallOptions): Promise<Page<z.output<T>>> {
    return this.http.request({ method: "GET", path, query, idempotent: true, schema: listEnvelope(key, item), options });
  }

  /** Every item of a list endpoint, page by page until `page ≥ pages` [§2.3, LC/KG all()]. */
  async *paginate<T extends z.ZodType>(path: string, key: string, item: T, query: Record<string, QueryValue> = {}, options?: CallOptions): AsyncGenerator<z.output<T>> {
    const limit = typeof query.limit === "number" ? query.limit : this.pageSize;
    let page = typeof query.page === "number" ? query.page : 1;
    for (;;) {
      const result = await this.page(path, key, item, { ...query, page, limit }, options);
      yield* result.items;
      if (result.items.length === 0 || page >= result.pages) return;
      page++;
    }
  }

  private async collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
    const out: T[] = [];
    for await (const x of iterable) out.push(x);
    return out;
  }

  /** Turns a 404 into `undefined` for find* methods. */
  private async orUndefined<T>(promise: Promise<T>): Promise<T | undefined> {
    try {
      return await promise;
    } catch (error) {
      if (error instanceof RackbeatNotFound) return undefined;
      throw error;
    }
  }

  // ───────────── account ─────────────

  /** `GET /self`: checks the token and names the account [§1.3]. RackbeatAuthFailed on a bad token. */
  self(options?: CallOptions): Promise<RackbeatSelf> {
    return this.http.request({ method: "GET", path: "/self", idempotent: true, schema: selfSchema, options });
  }

  // ───────────── items / products ─────────────

  /** RackbeatNotFound when there is no such product. */
  getProduct(number: string, options?: CallOptions): Promise<RackbeatProduct> {
    return this.http.request({ method: "GET", path: `/products/${itemPath(number)}`, idempotent: true, schema: singleEnvelope("product", productSchema), options });
  }

  findProduct(number: string, options?: CallOptions): Promise<RackbeatProduct | undefined> {
    return this.orUndefined(this.getProduct(number, options));
  }

  /** `GET /items/{n}`: products and BOMs alike [§4.1]. */
  getItem(number: string, options?: CallOptions): Promise<RackbeatProduct> {
    return this.http.request({ method: "GET", path: `/items/${itemPath(number)}`, idempotent: true, schema: singleEnvelope("item", productSchema), options });
  }

  listProducts(query?: ListQuery, options?: CallOptions): Promise<Page<RackbeatProduct>> {
    return this.page("/products", "products", productSchema, listQuery(query), options);
  }

  iterateProducts(query?: ListQuery, options?: CallOptions): AsyncGenerator<RackbeatProduct> {
    return this.paginate("/products", "products", productSchema, listQuery(query), options);
  }

  /** Stock figures of every product, with `fields=` so pages stay small (stock reconciliation). */
  iterateProductStock(query?: ListQuery, options?: CallOptions): AsyncGenerator<RackbeatProductStock> {
    return this.paginate("/products", "products", productStockSchema, listQuery(query, { fields: PRODUCT_STOCK_FIELDS }), options);
  }

  createProduct(input: ProductCreate, options?: WriteOptions): Promise<RackbeatProduct> {
    return this.http.request({ method: "POST", path: "/products", body: input, idempotent: false, schema: singleEnvelope("product", productSchema), options });
  }

  /** Partial update. Renaming is `{ number: "NEW" }`. */
  updateProduct(number: string, patch: ProductUpdate, options?: WriteOptions): Promise<RackbeatProduct> {
    return this.http.request({ method: "PUT", path: `/products/${itemPath(number)}`, body: patch, idempotent: true, schema: singleEnvelope("product", productSchema), options });
  }

  /** Barred is Rackbeat's "retired": not sellable, never deleted. */
  setProductBarred(number: string, barred: boolean, options?: WriteOptions): Promise<RackbeatProduct> {
    return this.updateProduct(number, { is_barred: barred }, options);
  }

  // ───────────── product groups ─────────────

  iterateProductGroups(query?: ListQuery, options?: CallOptions): AsyncGenerator<RackbeatProductGroup> {
    return this.paginate("/product-groups", "product_groups", productGroupSchema, listQuery(query), options);
  }

  getProductGroup(number: number, options?: CallOptions): Promise<RackbeatProductGroup> {
    return this.http.request({ method: "GET", path: `/product-groups/${number}`, idempotent: true, schema: singleEnvelope("product_group", productGroupSchema), options });
  }

  createProductGroup(input: ProductGroupCreate, options?: WriteOptions): Promise<RackbeatProductGroup> {
    return this.http.request({ method: "POST", path: "/product-groups", body: input, idempotent: false, schema: singleEnvelope("product_group", productGroupSchema), options });
  }

  // ───────────── locations and stock per location ─────────────

  iterateLocations(query?: ListQuery, options?: CallOptions): AsyncGenerator<RackbeatLocation> {
    return this.paginate("/locations", "locations", locationSchema, listQuery(query), options);
  }

  getLocation(number: number, options?: CallOptions): Promise<RackbeatLocation> {
    return this.http.request({ method: "GET", path: `/locations/${number}`, idempotent: true, schema: singleEnvelope("location", locationSchema), options });
  }

  /** One product's stock per location (`GET /products/{n}/locations`, key `product_locations`). */
  getProductStockByLocation(number: string, options?: CallOptions): Promise<RackbeatProductLocation[]> {
    return this.collect(this.paginate(`/products/${itemPath(number)}/locations`, "product_locations", productLocationSchema, {}, options));
  }

  // ───────────── customers ─────────────

  getCustomer(number: number, options?: CallOptions): Promise<RackbeatCustomer> {
    return this.http.request({ method: "GET", path: `/customers/${number}`, idempotent: true, schema: singleEnvelope("customer", customerSchema), options });
  }

  findCustomerByNumber(number: number, options?: CallOptions): Promise<RackbeatCustomer | undefined> {
    return this.orUndefined(this.getCustomer(number, options));
  }

  /**
   * Items of a list whose attribute equals a value, found without trusting undocumented server
   * behaviour: first the plain attribute filter; if the page holds anything that does not match,
   * the server ignored the filter, so the free-text `search` is tried instead. Either way only
   * exact matches (by `matches`) are returned, so a server that supports neither yields [] —
   * never a wrong record.
   */
  private async findExact<T extends z.ZodType>(
    path: string,
    key: string,
    item: T,
    attribute: string,
    value: string,
    matches: (found: z.output<T>) => boolean,
    options?: CallOptions,
  ): Promise<z.output<T>[]> {
    const limit = 100;
    const first = await this.page(path, key, item, { [attribute]: value, limit, page: 1 }, options);
    if (first.items.every(matches)) {
      if (first.pages <= 1) return first.items;
      const rest = await this.collect(this.paginate(path, key, item, { [attribute]: value, limit, page: 2 }, options));
      return [...first.items, ...rest].filter(matches);
    }
    const searched = await this.collect(this.paginate(path, key, item, { search: value, limit }, options));
    return searched.filter(matches);
  }

  /**
   * Customers whose `contact_email` equals `email` (case-insensitive). Rackbeat documents neither
   * an e-mail filter nor what `search` covers on customers; see findExact.
   */
  findCustomersByEmail(email: string, options?: CallOptions): Promise<RackbeatCustomer[]> {
    const wanted = normaliseEmail(email);
    if (!wanted) return Promise.resolve([]);
    return this.findExact("/customers", "customers", customerSchema, "contact_email", email.trim(), (c) => normaliseEmail(c.contact_email) === wanted, options);
  }

  /**
   * Customers whose VAT/CVR number equals `vat`, ignoring spaces, dots, dashes and case. The
   * server is asked for the compact form ("DK12345678"); a customer stored in Rackbeat with
   * spaces inside the number is only found if the server's own matching ignores them.
   */
  findCustomersByVat(vat: string, options?: CallOptions): Promise<RackbeatCustomer[]> {
    const wanted = normaliseVat(vat);
    if (!wanted) return Promise.resolve([]);
    return this.findExact("/customers", "customers", customerSchema, "company_vat", wanted, (c) => normaliseVat(c.company_vat) === wanted, options);
  }

  createCustomer(input: CustomerCreate, options?: WriteOptions): Promise<RackbeatCustomer> {
    return this.http.request({ method: "POST", path: "/customers", body: input, idempotent: false, schema: singleEnvelope("customer", customerSchema), options });
  }

  updateCustomer(number: number, patch: CustomerUpdate, options?: WriteOptions): Promise<RackbeatCustomer> {
    return this.http.request({ method: "PUT", path: `/customers/${number}`, body: patch, idempotent: true, schema: singleEnvelope("customer", customerSchema), options });
  }

  listCustomerContacts(customerNumber: number, options?: CallOptions): Promise<RackbeatCustomerContact[]> {
    return this.collect(this.paginate(`/customers/${customerNumber}/contacts`, "customer_contacts", customerContactSchema, {}, options));
  }

  createCustomerContact(customerNumber: number, input: CustomerContactCreate, options?: WriteOptions): Promise<RackbeatCustomerContact> {
    return this.http.request({
      method: "POST",
      path: `/customers/${customerNumber}/contacts`,
      body: input,
      idempotent: false,
      schema: singleEnvelope("customer_contact", customerContactSchema),
      options,
    });
  }

  // ───────────── orders ─────────────

  /**
   * `POST /orders` (booked, the default) or `POST /orders/drafts` (draft). Not repeated on an
   * unknown outcome; with an own `number`, trying again later is safe: a second create with the
   * same number throws RackbeatOrderNumberTaken, and the order can be read with getOrder.
   */
  async createOrder(input: OrderCreate, options: WriteOptions & { state?: "booked" | "draft" } = {}): Promise<RackbeatOrder> {
    if (input.number !== undefined && !(Number.isInteger(input.number) && input.number > 0)) {
      throw new RangeError(`Rackbeat order numbers are positive integers, got ${input.number}`);
    }
    const path = options.state === "draft" ? "/orders/drafts" : "/orders";
    try {
      return await this.http.request({ method: "POST", path, body: input, idempotent: false, schema: singleEnvelope("order", orderSchema), options });
    } catch (error) {
      if (input.number !== undefined && error instanceof RackbeatRejected && error.fieldErrors.number) {
        throw new RackbeatOrderNumberTaken(input.number, error.message, error.fieldErrors, error.call);
      }
      throw error;
    }
  }

  /** `POST /orders/{n}/book` with `{mail: {send}}` [§4.4, LC]; 422 when already booked. */
  bookOrder(number: number, options: WriteOptions & { sendMail?: boolean } = {}): Promise<RackbeatOrder> {
    return this.http.request({
      method: "POST",
      path: `/orders/${number}/book`,
      body: { mail: { send: options.sendMail ?? false } },
      idempotent: false,
      schema: singleEnvelope("order", orderSchema),
      options,
    });
  }

  getOrder(number: number, options?: CallOptions): Promise<RackbeatOrder> {
    return this.http.request({ method: "GET", path: `/orders/${number}`, idempotent: true, schema: singleEnvelope("order", orderSchema), options });
  }

  findOrder(number: number, options?: CallOptions): Promise<RackbeatOrder | undefined> {
    return this.orUndefined(this.getOrder(number, options));
  }

  /**
   * Orders whose `other_reference` equals `reference` (see findExact). A server that cannot
   * search by reference yields [] — exactly-once must not rest on this alone.
   */
  findOrdersByReference(reference: string, options?: CallOptions): Promise<RackbeatOrder[]> {
    const wanted = reference.trim();
    if (!wanted) return Promise.resolve([]);
    return this.findExact("/orders", "orders", orderSchema, "other_reference", wanted, (o) => (o.other_reference ?? "").trim() === wanted, options);
  }

  listOrders(query?: ListQuery, options?: CallOptions): Promise<Page<RackbeatOrder>> {
    return this.page("/orders", "orders", orderSchema, listQuery(query), options);
  }

  iterateOrders(query?: ListQuery, options?: CallOptions): AsyncGenerator<RackbeatOrder> {
    return this.paginate("/orders", "orders", orderSchema, listQuery(query), options);
  }

  /** Partial update; Rackbeat refuses line changes on a booked order (RackbeatRejected). */
  updateOrder(number: number, patch: OrderUpdate, options?: WriteOptions): Promise<RackbeatOrder> {
    return this.http.request({ method: "PUT", path: `/orders/${number}`, body: patch, idempotent: true, schema: singleEnvelope("order", orderSchema), options });
  }

  /** True when deleted, false when Rackbeat had no such order (e.g. an earlier attempt deleted it). */
  async deleteOrder(number: number, options?: WriteOptions): Promise<boolean> {
    const done = await this.orUndefined(
      this.http.request({ method: "DELETE", path: `/orders/${number}`, idempotent: true, schema: z.unknown(), options }).then(() => true),
    );
    return done ?? false;
  }

  listOrderNotes(number: number, options?: CallOptions): Promise<RackbeatOrderNote[]> {
    return this.collect(this.paginate(`/orders/${number}/notes`, "order_notes", orderNoteSchema, {}, options));
  }

  addOrderNote(number: number, note: string, options?: WriteOptions): Promise<RackbeatOrderNote> {
    return this.http.request({ method: "POST", path: `/orders/${number}/notes`, body: { note }, idempotent: false, schema: singleEnvelope("order_note", orderNoteSchema), options });
  }

  // ───────────── shipments ─────────────

  listOrderShipments(orderNumber: number, options?: CallOptions): Promise<RackbeatOrderShipment[]> {
    return this.collect(this.paginate(`/orders/${orderNumber}/shipments`, "order_shipments", orderShipmentSchema, {}, options));
  }

  getShipment(id: number, options?: CallOptions): Promise<RackbeatOrderShipment> {
    return this.http.request({ method: "GET", path: `/order-shipments/${id}`, idempotent: true, schema: singleEnvelope("order_shipment", orderShipmentSchema), options });
  }

  // ───────────── inventory ─────────────

  /** `POST /inventory-adjustments` (signed delta; Rackbeat refuses 0 with 422). Not repeated on unknown outcome. */
  createInventoryAdjustment(input: InventoryAdjustmentCreate, options?: WriteOptions): Promise<RackbeatInventoryAdjustment> {
    return this.http.request({
      method: "POST",
      path: "/inventory-adjustments",
      body: {
        item_type: "product",
        item_number: input.itemNumber,
        quantity: input.quantity,
        location_number: input.locationNumber,
        reason: input.reason,
        description: input.description,
        regulated_at: input.regulatedAt,
      },
      idempotent: false,
      schema: singleEnvelope("inventory_adjustment", inventoryAdjustmentSchema),
      options,
    });
  }

  // ───────────── webhooks ─────────────

  listWebhooks(event?: string, options?: CallOptions): Promise<RackbeatWebhook[]> {
    return this.collect(this.paginate("/webhooks", "webhooks", webhookSchema, { event }, options));
  }

  /**
   * `POST /webhooks` upserts on (event, url) [§4.8], so it is safe to repeat. The token comes back
   * only when the webhook was created (`created: true`); store it then, it is not shown again.
   */
  async upsertWebhook(input: WebhookUpsert, options?: WriteOptions): Promise<WebhookUpsertResult> {
    const webhook = await this.http.request({
      method: "POST",
      path: "/webhooks",
      body: { event: input.event, url: input.url, is_active: input.isActive ?? true },
      idempotent: true,
      schema: singleEnvelope("webhook", webhookSchema),
      options,
    });
    return { webhook, created: typeof webhook.token === "string" && webhook.token.length > 0 };
  }

  /** True when deleted, false when there was no such webhook. */
  async deleteWebhook(id: number, options?: WriteOptions): Promise<boolean> {
    const done = await this.orUndefined(
      this.http.request({ method: "DELETE", path: `/webhooks/${id}`, idempotent: true, schema: z.unknown(), options }).then(() => true),
    );
    return done ?? false;
  }
}

export function createRackbeatClient(options: RackbeatClientOptions): RackbeatClient {
  return new RackbeatClient(options);
}
