import { z } from "zod";
import { type BatchOutcome, type BatchRequest, chunkBatch, collectBatch, emptyOutcome } from "./woo-batch.js";
import { WooNotFound, WooResponseInvalid } from "./woo-errors.js";
import { type WooHttpOptions, WooHttp, type WooRequest, type WooResponse } from "./woo-http.js";
import {
  type WooOrder,
  type WooOrderNote,
  type WooProduct,
  type WooSystemStatus,
  type WooVariation,
  wooBatchResponseSchema,
  wooOrderNoteSchema,
  wooOrderSchema,
  wooProductSchema,
  wooSettingSchema,
  wooSystemStatusSchema,
  wooVariationSchema,
} from "./woo-schemas.js";

/**
 * The bridge's WooCommerce REST v3 client: the calls the sync needs, validated with zod.
 * Collections are read with page iterators (`per_page` ≤ 100, X-WP-TotalPages), batches are split
 * into calls of ≤ 100 items with per-item errors surfaced, transport failures become named errors
 * (woo-errors.ts) after in-process retries (woo-http.ts).
 */

export type WooClientOptions = WooHttpOptions;

export interface WooPage<T> {
  items: T[];
  /** X-WP-Total (0 past the last page of orders — recorded WooCommerce behaviour). */
  total: number;
  totalPages: number;
  page: number;
}

type DateInput = Date | string;

export interface WooOrderQuery {
  /** Modified strictly after this moment (to the second), GMT; sent with `dates_are_gmt=true`. */
  modifiedAfter?: DateInput;
  modifiedBefore?: DateInput;
  /** Created after / before (GMT). */
  createdAfter?: DateInput;
  createdBefore?: DateInput;
  /** Order statuses (default: any except trash). */
  statuses?: string[];
  customerId?: number;
  /** Only these order ids. */
  include?: number[];
  /** Default "id" ascending, stable while orders are added during paging. */
  orderby?: "id" | "date" | "modified" | "include";
  order?: "asc" | "desc";
  /** 1–100, default 100. */
  perPage?: number;
  page?: number;
  /** Decimals for money strings (default: the shop's). */
  dp?: number;
}

export interface WooProductQuery {
  modifiedAfter?: DateInput;
  modifiedBefore?: DateInput;
  /** Product status (default any but trash). */
  status?: "any" | "publish" | "draft" | "pending" | "private";
  type?: "simple" | "variable" | "grouped" | "external";
  include?: number[];
  orderby?: "id" | "date" | "modified" | "title";
  order?: "asc" | "desc";
  perPage?: number;
  page?: number;
}

export interface WooOrderPatch {
  status?: string;
  meta_data?: { key: string; value: unknown; id?: number }[];
  customer_note?: string;
  transaction_id?: string;
}

/** Product fields the bridge writes (WooCommerce REST names). */
export interface WooProductPatch {
  name?: string;
  type?: "simple" | "variable";
  status?: "publish" | "draft" | "pending" | "private";
  sku?: string;
  regular_price?: string;
  sale_price?: string;
  description?: string;
  short_description?: string;
  tax_class?: string;
  tax_status?: "taxable" | "shipping" | "none";
  /** Must be true for stock_quantity to take effect (WooCommerce ignores the quantity otherwise). */
  manage_stock?: boolean;
  stock_quantity?: number;
  stock_status?: "instock" | "outofstock" | "onbackorder";
  backorders?: "no" | "notify" | "yes";
  weight?: string;
  /** EAN / GTIN (WooCommerce 9.2+; must be unique in the shop). */
  global_unique_id?: string;
  meta_data?: { key: string; value: unknown; id?: number }[];
  attributes?: unknown[];
}

export type WooVariationPatch = Omit<WooProductPatch, "name" | "type" | "short_description">;

export interface WooSkuMatch {
  sku: string;
  productId: number;
  /** Set when the SKU belongs to a variation (productId is then its parent). */
  variationId: number | null;
  product: WooProduct;
}

export interface WooStoreSettings {
  currency: string;
  priceDecimals: number;
  pricesIncludeTax: boolean;
  taxRoundAtSubtotal: boolean;
  calcTaxes: boolean;
  taxBasedOn: string;
  shippingTaxClass: string;
  thousandSeparator: string;
  decimalSeparator: string;
}

export interface WooStockUpdate {
  /** Product id, or variation id when parentId is set. */
  id: number;
  parentId: number | null;
  stockQuantity: number;
}

export interface WooStockOutcome {
  written: WooStockUpdate[];
  failed: { update: WooStockUpdate; code: string; message: string; status: number | undefined }[];
}

export interface WooClient {
  readonly url: string;

  getOrder(id: number, options?: { dp?: number; signal?: AbortSignal }): Promise<WooOrder>;
  listOrders(query?: WooOrderQuery, options?: { signal?: AbortSignal }): Promise<WooPage<WooOrder>>;
  iterateOrders(query?: WooOrderQuery, options?: { signal?: AbortSignal }): AsyncGenerator<WooOrder>;
  updateOrder(id: number, patch: WooOrderPatch, options?: { signal?: AbortSignal }): Promise<WooOrder>;
  updateOrderStatus(id: number, status: string, options?: { signal?: AbortSignal }): Promise<WooOrder>;
  /** Adds or replaces order meta by key (WooCommerce's update_meta_data). */
  addOrderMeta(id: number, meta: { key: string; value: unknown }[], options?: { signal?: AbortSignal }): Promise<WooOrder>;
  /** Not retried after a timeout (a note could be written twice); check listOrderNotes before resending. */
  addOrderNote(id: number, note: string, options?: { customerNote?: boolean; signal?: AbortSignal }): Promise<WooOrderNote>;
  listOrderNotes(id: number, options?: { signal?: AbortSignal }): Promise<WooOrderNote[]>;

  getSystemStatus(options?: { signal?: AbortSignal }): Promise<WooSystemStatus>;
  /** Currency, decimals and tax settings (settings/general + settings/tax). */
  getStoreSettings(options?: { signal?: AbortSignal }): Promise<WooStoreSettings>;

  getProduct(id: number, options?: { signal?: AbortSignal }): Promise<WooProduct>;
  listProducts(query?: WooProductQuery, options?: { signal?: AbortSignal }): Promise<WooPage<WooProduct>>;
  /** Simple and variable products (not variations), 100 per call, by id. */
  iterateProducts(query?: WooProductQuery, options?: { signal?: AbortSignal }): AsyncGenerator<WooProduct>;
  getVariation(parentId: number, id: number, options?: { signal?: AbortSignal }): Promise<WooVariation>;
  iterateVariations(parentId: number, query?: Omit<WooProductQuery, "type" | "status">, options?: { signal?: AbortSignal }): AsyncGenerator<WooVariation>;
  /** Exact SKU lookup across products and variations (`products?sku=`). */
  findBySku(sku: string, options?: { signal?: AbortSignal }): Promise<WooSkuMatch | undefined>;
  /** Several SKUs, 50 per call; SKUs containing a comma cannot be looked up this way. */
  findBySkus(skus: string[], options?: { signal?: AbortSignal }): Promise<WooSkuMatch[]>;

  createProduct(input: WooProductPatch & { name: string }, options?: { signal?: AbortSignal }): Promise<WooProduct>;
  createVariation(parentId: number, input: WooVariationPatch & { attributes: { name: string; option: string }[] }, options?: { signal?: AbortSignal }): Promise<WooVariation>;
  updateProduct(id: number, patch: WooProductPatch, options?: { signal?: AbortSignal }): Promise<WooProduct>;
  updateVariation(parentId: number, id: number, patch: WooVariationPatch, options?: { signal?: AbortSignal }): Promise<WooVariation>;
  /** `POST products/batch`, split into calls of ≤ 100 items; per-item errors in `failures`. */
  batchProducts(request: BatchRequest<WooProductPatch, WooProductPatch & { id: number }>, options?: { signal?: AbortSignal }): Promise<BatchOutcome<WooProduct>>;
  /** `POST products/{parent}/variations/batch`, split into calls of ≤ 100 items. */
  batchVariations(parentId: number, request: BatchRequest<WooVariationPatch, WooVariationPatch & { id: number }>, options?: { signal?: AbortSignal }): Promise<BatchOutcome<WooVariation>>;
  /**
   * Sets stock with `manage_stock: true`: simple products through products/batch, variations
   * through their parent's variations/batch.
   */
  setStock(updates: WooStockUpdate[], options?: { signal?: AbortSignal }): Promise<WooStockOutcome>;
}

export function createWooClient(options: WooClientOptions): WooClient {
  return new RestWooClient(new WooHttp(options));
}

/** "2026-11-25T12:29:56" (GMT, seconds), as WooCommerce's date filters expect with dates_are_gmt. */
export function wooGmt(value: DateInput): string {
  if (typeof value === "string") return value;
  return value.toISOString().slice(0, 19);
}

function parse<T>(schema: z.ZodType<T>, data: unknown, what: string): T {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 10).map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
  throw new WooResponseInvalid(`${what}: unexpected answer from WooCommerce (${issues.join("; ")})`, issues);
}

function headerInt(response: WooResponse, name: string): number {
  const n = Number(response.headers[name]);
  return Number.isFinite(n) ? n : 0;
}

function signalOf(options?: { signal?: AbortSignal }): { signal?: AbortSignal } {
  return options?.signal ? { signal: options.signal } : {};
}

class RestWooClient implements WooClient {
  constructor(private readonly http: WooHttp) {}

  get url(): string {
    return this.http.url;
  }

  private send(request: WooRequest): Promise<WooResponse> {
    return this.http.send(request);
  }

  private async page<T>(endpoint: string, params: Record<string, unknown>, schema: z.ZodType<T>, options?: { signal?: AbortSignal }): Promise<WooPage<T>> {
    const response = await this.send({ method: "get", endpoint, params, idempotent: true, ...signalOf(options) });
    const items = parse(z.array(schema), response.data, `GET ${endpoint}`);
    return { items, total: headerInt(response, "x-wp-total"), totalPages: headerInt(response, "x-wp-totalpages"), page: Number(params.page ?? 1) };
  }

  private async *pages<T>(endpoint: string, params: Record<string, unknown>, schema: z.ZodType<T>, options?: { signal?: AbortSignal }): AsyncGenerator<T> {
    for (let page = Number(params.page ?? 1); ; page += 1) {
      const result = await this.page(endpoint, { ...params, page }, schema, options);
      yield* result.items;
      if (result.items.length === 0 || page >= result.totalPages) return;
    }
  }

  // ------------------------------------------------------------------ orders

  private orderParams(query: WooOrderQuery = {}): Record<string, unknown> {
    const params: Record<string, unknown> = {
      per_page: query.perPage ?? 100,
      orderby: query.orderby ?? "id",
      order: query.order ?? "asc",
    };
    if (query.page !== undefined) params.page = query.page;
    if (query.include?.length) params.include = query.include.join(",");
    if (query.modifiedAfter !== undefined) params.modified_after = wooGmt(query.modifiedAfter);
    if (query.modifiedBefore !== undefined) params.modified_before = wooGmt(query.modifiedBefore);
    if (query.createdAfter !== undefined) params.after = wooGmt(query.createdAfter);
    if (query.createdBefore !== undefined) params.before = wooGmt(query.createdBefore);
    if (query.modifiedAfter !== undefined || query.modifiedBefore !== undefined || query.createdAfter !== undefined || query.createdBefore !== undefined) {
      params.dates_are_gmt = "true";
    }
    if (query.statuses?.length) params.status = query.statuses.join(",");
    if (query.customerId !== undefined) params.customer = query.customerId;
    if (query.dp !== undefined) params.dp = query.dp;
    return params;
  }

  async getOrder(id: number, options?: { dp?: number; signal?: AbortSignal }): Promise<WooOrder> {
    const params: Record<string, unknown> = {};
    if (options?.dp !== undefined) params.dp = options.dp;
    const response = await this.send({ method: "get", endpoint: `orders/${id}`, params, idempotent: true, ...signalOf(options) });
    const order = parse(wooOrderSchema, response.data, `GET orders/${id}`);
    // A trashed order still answers 200; for the bridge it is gone.
    if (order.status === "trash") throw new WooNotFound(`GET orders/${id}: the order is in the trash`);
    return order;
  }

  listOrders(query?: WooOrderQuery, options?: { signal?: AbortSignal }): Promise<WooPage<WooOrder>> {
    return this.page("orders", this.orderParams(query), wooOrderSchema, options);
  }

  iterateOrders(query?: WooOrderQuery, options?: { signal?: AbortSignal }): AsyncGenerator<WooOrder> {
    return this.pages("orders", this.orderParams(query), wooOrderSchema, options);
  }

  async updateOrder(id: number, patch: WooOrderPatch, options?: { signal?: AbortSignal }): Promise<WooOrder> {
    const response = await this.send({ method: "put", endpoint: `orders/${id}`, data: patch, idempotent: true, ...signalOf(options) });
    return parse(wooOrderSchema, response.data, `PUT orders/${id}`);
  }

  updateOrderStatus(id: number, status: string, options?: { signal?: AbortSignal }): Promise<WooOrder> {
    return this.updateOrder(id, { status }, options);
  }

  addOrderMeta(id: number, meta: { key: string; value: unknown }[], options?: { signal?: AbortSignal }): Promise<WooOrder> {
    return this.updateOrder(id, { meta_data: meta }, options);
  }

  async addOrderNote(id: number, note: string, options?: { customerNote?: boolean; signal?: AbortSignal }): Promise<WooOrderNote> {
    const response = await this.send({
      method: "post",
      endpoint: `orders/${id}/notes`,
      data: { note, customer_note: options?.customerNote ?? false },
      idempotent: false,
      ...signalOf(options),
    });
    return parse(wooOrderNoteSchema, response.data, `POST orders/${id}/notes`);
  }

  async listOrderNotes(id: number, options?: { signal?: AbortSignal }): Promise<WooOrderNote[]> {
    const response = await this.send({ method: "get", endpoint: `orders/${id}/notes`, idempotent: true, ...signalOf(options) });
    return parse(z.array(wooOrderNoteSchema), response.data, `GET orders/${id}/notes`);
  }

  // ------------------------------------------------------------------ shop

  async getSystemStatus(options?: { signal?: AbortSignal }): Promise<WooSystemStatus> {
    const response = await this.send({ method: "get", endpoint: "system_status", idempotent: true, ...signalOf(options) });
    return parse(wooSystemStatusSchema, response.data, "GET system_status");
  }

  async getStoreSettings(options?: { signal?: AbortSignal }): Promise<WooStoreSettings> {
    const [general, tax] = await Promise.all(
      ["general", "tax"].map(async (group) => {
        const response = await this.send({ method: "get", endpoint: `settings/${group}`, idempotent: true, ...signalOf(options) });
        const list = parse(z.array(wooSettingSchema), response.data, `GET settings/${group}`);
        return new Map(list.map((s) => [s.id, typeof s.value === "string" ? s.value : String(s.value ?? "")]));
      }),
    );
    const g = (id: string): string => general?.get(id) ?? "";
    const t = (id: string): string => tax?.get(id) ?? "";
    const decimals = Number(g("woocommerce_price_num_decimals"));
    if (!g("woocommerce_currency") || !Number.isInteger(decimals)) {
      throw new WooResponseInvalid("GET settings/general: currency or decimals missing", ["woocommerce_currency", "woocommerce_price_num_decimals"]);
    }
    return {
      currency: g("woocommerce_currency"),
      priceDecimals: decimals,
      calcTaxes: g("woocommerce_calc_taxes") === "yes",
      thousandSeparator: g("woocommerce_price_thousand_sep"),
      decimalSeparator: g("woocommerce_price_decimal_sep"),
      pricesIncludeTax: t("woocommerce_prices_include_tax") === "yes",
      taxRoundAtSubtotal: t("woocommerce_tax_round_at_subtotal") === "yes",
      taxBasedOn: t("woocommerce_tax_based_on") || "shipping",
      shippingTaxClass: t("woocommerce_shipping_tax_class") || "inherit",
    };
  }

  // ------------------------------------------------------------------ products

  private productParams(query: WooProductQuery = {}): Record<string, unknown> {
    const params: Record<string, unknown> = { per_page: query.perPage ?? 100, orderby: query.orderby ?? "id", order: query.order ?? "asc" };
    if (query.page !== undefined) params.page = query.page;
    if (query.status) params.status = query.status;
    if (query.type) params.type = query.type;
    if (query.include?.length) params.include = query.include.join(",");
    if (query.modifiedAfter !== undefined) params.modified_after = wooGmt(query.modifiedAfter);
    if (query.modifiedBefore !== undefined) params.modified_before = wooGmt(query.modifiedBefore);
    if (query.modifiedAfter !== undefined || query.modifiedBefore !== undefined) params.dates_are_gmt = "true";
    return params;
  }

  async getProduct(id: number, options?: { signal?: AbortSignal }): Promise<WooProduct> {
    const response = await this.send({ method: "get", endpoint: `products/${id}`, idempotent: true, ...signalOf(options) });
    return parse(wooProductSchema, response.data, `GET products/${id}`);
  }

  listProducts(query?: WooProductQuery, options?: { signal?: AbortSignal }): Promise<WooPage<WooProduct>> {
    return this.page("products", this.productParams(query), wooProductSchema, options);
  }

  iterateProducts(query?: WooProductQuery, options?: { signal?: AbortSignal }): AsyncGenerator<WooProduct> {
    return this.pages("products", this.productParams(query), wooProductSchema, options);
  }

  async getVariation(parentId: number, id: number, options?: { signal?: AbortSignal }): Promise<WooVariation> {
    const response = await this.send({ method: "get", endpoint: `products/${parentId}/variations/${id}`, idempotent: true, ...signalOf(options) });
    return withParent(parse(wooVariationSchema, response.data, `GET products/${parentId}/variations/${id}`), parentId);
  }

  async *iterateVariations(parentId: number, query?: Omit<WooProductQuery, "type" | "status">, options?: { signal?: AbortSignal }): AsyncGenerator<WooVariation> {
    for await (const v of this.pages(`products/${parentId}/variations`, this.productParams(query), wooVariationSchema, options)) {
      yield withParent(v, parentId);
    }
  }

  async findBySku(sku: string, options?: { signal?: AbortSignal }): Promise<WooSkuMatch | undefined> {
    const matches = await this.findBySkus([sku], options);
    return matches.find((m) => m.sku === sku);
  }

  async findBySkus(skus: string[], options?: { signal?: AbortSignal }): Promise<WooSkuMatch[]> {
    const wanted = [...new Set(skus.map((s) => s.trim()).filter((s) => s !== "" && !s.includes(",")))];
    const out: WooSkuMatch[] = [];
    for (let i = 0; i < wanted.length; i += 50) {
      const chunk = wanted.slice(i, i + 50);
      const page = await this.page("products", { sku: chunk.join(","), per_page: 100 }, wooProductSchema, options);
      for (const product of page.items) {
        // WooCommerce matches SKUs exactly; keep only what was asked for, as spelled.
        if (!chunk.includes(product.sku)) continue;
        const isVariation = product.type === "variation";
        out.push({ sku: product.sku, productId: isVariation ? product.parent_id : product.id, variationId: isVariation ? product.id : null, product });
      }
    }
    return out;
  }

  async createProduct(input: WooProductPatch & { name: string }, options?: { signal?: AbortSignal }): Promise<WooProduct> {
    const response = await this.send({ method: "post", endpoint: "products", data: input, idempotent: false, ...signalOf(options) });
    return parse(wooProductSchema, response.data, "POST products");
  }

  async createVariation(parentId: number, input: WooVariationPatch & { attributes: { name: string; option: string }[] }, options?: { signal?: AbortSignal }): Promise<WooVariation> {
    const response = await this.send({ method: "post", endpoint: `products/${parentId}/variations`, data: input, idempotent: false, ...signalOf(options) });
    return withParent(parse(wooVariationSchema, response.data, `POST products/${parentId}/variations`), parentId);
  }

  async updateProduct(id: number, patch: WooProductPatch, options?: { signal?: AbortSignal }): Promise<WooProduct> {
    const response = await this.send({ method: "put", endpoint: `products/${id}`, data: patch, idempotent: true, ...signalOf(options) });
    return parse(wooProductSchema, response.data, `PUT products/${id}`);
  }

  async updateVariation(parentId: number, id: number, patch: WooVariationPatch, options?: { signal?: AbortSignal }): Promise<WooVariation> {
    const response = await this.send({ method: "put", endpoint: `products/${parentId}/variations/${id}`, data: patch, idempotent: true, ...signalOf(options) });
    return withParent(parse(wooVariationSchema, response.data, `PUT products/${parentId}/variations/${id}`), parentId);
  }

  private async batch<T, C, U>(endpoint: string, request: BatchRequest<C, U>, schema: z.ZodType<T>, options?: { signal?: AbortSignal }): Promise<BatchOutcome<T>> {
    const outcome = emptyOutcome<T>();
    const answerSchema = wooBatchResponseSchema(schema);
    for (const chunk of chunkBatch(request)) {
      const response = await this.send({
        method: "post",
        endpoint,
        data: chunk.request,
        // Updates and deletes may be sent again; creates may not (a retried create would duplicate).
        idempotent: !chunk.request.create?.length,
        ...signalOf(options),
      });
      const answer = parse(answerSchema, response.data, `POST ${endpoint}`);
      collectBatch(outcome, answer as Parameters<typeof collectBatch<T>>[1], chunk.offsets);
    }
    return outcome;
  }

  batchProducts(request: BatchRequest<WooProductPatch, WooProductPatch & { id: number }>, options?: { signal?: AbortSignal }): Promise<BatchOutcome<WooProduct>> {
    return this.batch("products/batch", request, wooProductSchema, options);
  }

  async batchVariations(parentId: number, request: BatchRequest<WooVariationPatch, WooVariationPatch & { id: number }>, options?: { signal?: AbortSignal }): Promise<BatchOutcome<WooVariation>> {
    const outcome = await this.batch(`products/${parentId}/variations/batch`, request, wooVariationSchema, options);
    for (const list of [outcome.created, outcome.updated, outcome.deleted]) for (const r of list) r.item = withParent(r.item, parentId);
    return outcome;
  }

  async setStock(updates: WooStockUpdate[], options?: { signal?: AbortSignal }): Promise<WooStockOutcome> {
    const result: WooStockOutcome = { written: [], failed: [] };
    const groups = new Map<number | null, WooStockUpdate[]>();
    for (const u of updates) {
      let list = groups.get(u.parentId);
      if (!list) groups.set(u.parentId, (list = []));
      list.push(u);
    }
    for (const [parentId, list] of groups) {
      const request = { update: list.map((u) => ({ id: u.id, manage_stock: true, stock_quantity: u.stockQuantity })) };
      const outcome = parentId === null ? await this.batchProducts(request, options) : await this.batchVariations(parentId, request, options);
      const failedAt = new Map(outcome.failures.map((f) => [f.index, f]));
      list.forEach((update, index) => {
        const failure = failedAt.get(index);
        if (failure) result.failed.push({ update, code: failure.code, message: failure.message, status: failure.status });
        else result.written.push(update);
      });
    }
    return result;
  }
}

/** Variation answers from batch calls may lack parent_id; the endpoint tells us. */
function withParent(v: WooVariation, parentId: number): WooVariation {
  return v.parent_id === undefined ? { ...v, parent_id: parentId } : v;
}
