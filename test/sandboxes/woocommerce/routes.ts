/**
 * The `/wp-json/wc/v3/*` routes the sandbox serves, with WooCommerce's validation, permission
 * checks, pagination and answers.
 */
import {
  type RestRequest,
  RestError,
  boolParam,
  dateParam,
  enumParam,
  filterFields,
  idListParam,
  intParam,
  linkQuery,
  listParam,
  paginationHeaders,
  stringParam,
} from "./http-kit.js";
import {
  PRODUCT_TYPES,
  createProduct,
  createVariation,
  deleteProduct,
  deleteVariation,
  getVariation,
  parentProduct,
  updateProduct,
  updateVariation,
} from "./product-writes.js";
import { invalidId, invalidParam } from "./rest-error.js";
import { createRestOrder, enumList, parseOrderInput, updateRestOrder } from "./rest-orders.js";
import {
  type SerializeContext,
  currencySymbol,
  customerJson,
  noteJson,
  orderJson,
  productJson,
  taxRateJson,
  variationJson,
} from "./rest-serializers.js";
import { ORDER_STATUSES, type WooShop } from "./shop-state.js";
import type { OrderRecord, OrderStatus, ProductRecord } from "./shop-model.js";
import { settingsGroup, settingsItem, updateSetting } from "./settings.js";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface RouteContext {
  shop: WooShop;
  siteUrl: string;
  scheme: "http" | "https";
  /** Host header of the request (Location headers use it). */
  requestHost: string;
  /** Display name of the API key's user (notes added_by_user). */
  userDisplayName: (userId: number) => string;
}

export interface RouteResult {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

interface Permission {
  code: string;
  message: string;
  /** Item routes check permissions only for objects that exist; missing ones answer 404 from the callback. */
  onlyIfExists?: (m: string[], ctx: RouteContext) => boolean;
}

interface MethodSpec {
  validate?: (req: RestRequest, m: string[], ctx: RouteContext) => void;
  permission: Permission;
  run: (req: RestRequest, m: string[], ctx: RouteContext) => RouteResult;
}

export interface RouteSpec {
  pattern: RegExp;
  allow: string;
  /** [recorded] the variation and customer 404s carry no Allow header. */
  hideAllowOn404?: boolean;
  methods: Partial<Record<HttpMethod, MethodSpec>>;
}

const LIST = { code: "woocommerce_rest_cannot_view", message: "Sorry, you cannot list resources." };
const VIEW = { code: "woocommerce_rest_cannot_view", message: "Sorry, you cannot view this resource." };
const CREATE = { code: "woocommerce_rest_cannot_create", message: "Sorry, you are not allowed to create resources." };
const EDIT = { code: "woocommerce_rest_cannot_edit", message: "Sorry, you are not allowed to edit this resource." };
const DELETE = { code: "woocommerce_rest_cannot_delete", message: "Sorry, you are not allowed to delete this resource." };
const BATCH = { code: "woocommerce_rest_cannot_batch", message: "Sorry, you are not allowed to batch manipulate this resource." };

const ITEM_ALLOW = "GET, POST, PUT, PATCH, DELETE";
const BATCH_LIMIT = 100;

function ser(req: RestRequest, ctx: RouteContext): SerializeContext {
  const dpRaw = stringParam(req, "dp");
  const dp = dpRaw !== undefined && /^\d+$/.test(dpRaw) ? Number(dpRaw) : ctx.shop.settings.priceDecimals;
  return { shop: ctx.shop, siteUrl: ctx.siteUrl, dp, scheme: ctx.scheme };
}

function num(m: string[], i: number): number {
  return Number(m[i] ?? "0");
}

function location(req: RestRequest, ctx: RouteContext, path: string): Record<string, string> {
  return { Location: `${req.https ? "https" : "http"}://${ctx.requestHost}/wp-json/wc/v3/${path}` };
}

function fieldsOf(req: RestRequest): string | undefined {
  return stringParam(req, "_fields");
}

function bodyObject(req: RestRequest): Record<string, unknown> {
  return req.body && typeof req.body === "object" && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {};
}

/** Non-JSON bodies (form posts) are read from the parsed query-like object. */
function batchBody(req: RestRequest): { create: unknown[]; update: unknown[]; delete: unknown[] } {
  const b = bodyObject(req);
  const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  const out = { create: arr(b.create), update: arr(b.update), delete: arr(b.delete) };
  // [source] check_batch_limit(): create + update + delete together, at most 100.
  if (out.create.length + out.update.length + out.delete.length > BATCH_LIMIT) {
    throw new RestError(413, "woocommerce_rest_request_entity_too_large", `Unable to accept more than ${BATCH_LIMIT} items for this request.`);
  }
  return out;
}

/** Runs one batch item, turning a REST error into WooCommerce's per-item `{id, error}`. */
function batchItem(id: unknown, run: () => unknown): unknown {
  try {
    return run();
  } catch (error) {
    if (error instanceof RestError) return { id: typeof id === "number" ? id : 0, error: error.body() };
    throw error;
  }
}

function idOf(item: unknown): number {
  if (typeof item === "number") return item;
  if (item && typeof item === "object" && "id" in item) return Number((item as { id: unknown }).id) || 0;
  return Number(item) || 0;
}

// ------------------------------------------------------------------ collection filtering

interface Page<T> {
  items: T[];
  total: number;
  totalPages: number;
  page: number;
}

function paginate<T>(items: T[], req: RestRequest, emptyBeyondLast: boolean): Page<T> {
  const page = intParam(req, "page", { min: 1, def: 1 }) ?? 1;
  const perPage = intParam(req, "per_page", { min: 1, max: 100, def: 10 }) ?? 10;
  const slice = items.slice((page - 1) * perPage, page * perPage);
  // [recorded] api/200-orders-page-beyond-last-empty.json: orders past the last page report 0/0.
  if (emptyBeyondLast && slice.length === 0 && items.length > 0) return { items: [], total: 0, totalPages: 0, page };
  return { items: slice, total: items.length, totalPages: Math.ceil(items.length / perPage), page };
}

function compareBy<T>(key: (x: T) => number | string, order: "asc" | "desc"): (a: T, b: T) => number {
  return (a, b) => {
    const ka = key(a);
    const kb = key(b);
    const c = ka < kb ? -1 : ka > kb ? 1 : 0;
    return order === "asc" ? c : -c;
  };
}

/** modified_after/before (exclusive, to the second), after/before on creation. [recorded] boundary-exclusive. */
function dateWindow(req: RestRequest): (created: number, modified: number) => boolean {
  const modifiedAfter = dateParam(req, "modified_after");
  const modifiedBefore = dateParam(req, "modified_before");
  const after = dateParam(req, "after");
  const before = dateParam(req, "before");
  boolParam(req, "dates_are_gmt");
  const sec = (ms: number): number => Math.floor(ms / 1000);
  return (created, modified) =>
    (modifiedAfter === undefined || sec(modified) > sec(modifiedAfter)) &&
    (modifiedBefore === undefined || sec(modified) < sec(modifiedBefore)) &&
    (after === undefined || sec(created) > sec(after)) &&
    (before === undefined || sec(created) < sec(before));
}

const PRODUCT_ORDERBY = ["date", "modified", "id", "include", "title", "slug", "price", "popularity", "rating", "menu_order"] as const;
const ORDER_ORDERBY = ["date", "modified", "id", "include", "title", "slug"] as const;
const PRODUCT_STATUS_FILTER = ["any", "future", "trash", "draft", "pending", "private", "publish"] as const;

function listProducts(req: RestRequest, ctx: RouteContext): RouteResult {
  const shop = ctx.shop;
  const orderby = enumParam(req, "orderby", PRODUCT_ORDERBY, "date") ?? "date";
  const order = enumParam(req, "order", ["asc", "desc"] as const, "desc") ?? "desc";
  const status = enumParam(req, "status", PRODUCT_STATUS_FILTER, "any") ?? "any";
  const type = enumParam(req, "type", PRODUCT_TYPES);
  const stockStatus = enumParam(req, "stock_status", ["instock", "outofstock", "onbackorder"] as const);
  const window = dateWindow(req);
  const include = idListParam(req, "include");
  const exclude = idListParam(req, "exclude") ?? [];
  const parents = idListParam(req, "parent");
  const search = stringParam(req, "search");
  const skuParam = stringParam(req, "sku");
  // [recorded] api/products-by-sku-*.json: exact match, comma-separated list, variations included.
  const skus = skuParam?.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
  let items = skus ? [...shop.products.values()] : shop.listedProducts();
  items = items.filter(
    (p) =>
      (status === "any" ? p.status !== ("trash" as ProductRecord["status"]) : p.status === status) &&
      (!type || p.type === type) &&
      (!stockStatus || p.stockStatus === stockStatus) &&
      (!include || include.includes(p.id)) &&
      !exclude.includes(p.id) &&
      (!parents || parents.includes(p.parentId)) &&
      (!search || p.name.toLowerCase().includes(search.toLowerCase())) &&
      (!skus || (p.sku !== "" && skus.includes(p.sku.toLowerCase()))) &&
      window(p.dateCreated, p.dateModified),
  );
  const key: (p: ProductRecord) => number | string =
    orderby === "id" ? (p) => p.id
    : orderby === "title" ? (p) => p.name.toLowerCase()
    : orderby === "slug" ? (p) => p.slug
    : orderby === "modified" ? (p) => p.dateModified
    : orderby === "price" ? (p) => Number(shop.productPrice(p) || 0)
    : orderby === "menu_order" ? (p) => p.menuOrder
    : orderby === "include" ? (p) => (include ?? []).indexOf(p.id)
    : (p) => p.dateCreated;
  // [inference] ties (same second) fall back to id in the same direction; MySQL leaves them unordered.
  items.sort((a, b) => compareBy(key, order)(a, b) || compareBy((p: ProductRecord) => p.id, order)(a, b));
  const page = paginate(items, req, false);
  const s = ser(req, ctx);
  const body = page.items.map((p) => filterFields(productJson(s, p), fieldsOf(req)));
  const query = linkQuery(req.rawQuery, { normalize: booleanNormalizer(["dates_are_gmt"]) });
  return { body, headers: paginationHeaders(ctx.siteUrl, "/wc/v3/products", query, page.page, page.total, page.totalPages) };
}

function listVariations(req: RestRequest, m: string[], ctx: RouteContext): RouteResult {
  const parent = parentProduct(ctx.shop, num(m, 1));
  const orderby = enumParam(req, "orderby", PRODUCT_ORDERBY, "date") ?? "date";
  const order = enumParam(req, "order", ["asc", "desc"] as const, "desc") ?? "desc";
  const window = dateWindow(req);
  const skus = stringParam(req, "sku")?.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
  let items = parent.variationIds.map((id) => ctx.shop.products.get(id)).filter((v): v is ProductRecord => !!v);
  items = items.filter((v) => (!skus || skus.includes(v.sku.toLowerCase())) && window(v.dateCreated, v.dateModified));
  const key = orderby === "id" ? (p: ProductRecord) => p.id : orderby === "modified" ? (p: ProductRecord) => p.dateModified : (p: ProductRecord) => p.dateCreated;
  items.sort((a, b) => compareBy(key, order)(a, b) || compareBy((p: ProductRecord) => p.id, order)(a, b));
  const page = paginate(items, req, false);
  const s = ser(req, ctx);
  const body = page.items.map((v) => filterFields(variationJson(s, v), fieldsOf(req)));
  const query = linkQuery(req.rawQuery, { normalize: booleanNormalizer(["dates_are_gmt"]) });
  return { body, headers: paginationHeaders(ctx.siteUrl, `/wc/v3/products/${parent.id}/variations`, query, page.page, page.total, page.totalPages) };
}

function booleanNormalizer(names: string[]): (name: string, value: string) => string {
  return (name, value) => {
    if (!names.includes(name)) return value;
    return ["true", "1", "yes"].includes(value.toLowerCase()) ? "1" : "";
  };
}

const ORDER_STATUS_FILTER = ["any", "trash", "auto-draft", ...ORDER_STATUSES];

function orderStatuses(req: RestRequest): string[] {
  const values = listParam(req, "status") ?? ["any"];
  values.forEach((v, i) => {
    if (!ORDER_STATUS_FILTER.includes(v)) {
      // [recorded] api/400-orders-invalid-status-param.json
      throw invalidParam("status", `status[${i}] is not one of ${enumList(ORDER_STATUS_FILTER)}.`, "rest_not_in_enum");
    }
  });
  return values;
}

function listOrders(req: RestRequest, ctx: RouteContext): RouteResult {
  const statuses = orderStatuses(req);
  const orderby = enumParam(req, "orderby", ORDER_ORDERBY, "date") ?? "date";
  const order = enumParam(req, "order", ["asc", "desc"] as const, "desc") ?? "desc";
  const window = dateWindow(req);
  const customer = intParam(req, "customer");
  const product = intParam(req, "product");
  const include = idListParam(req, "include");
  const exclude = idListParam(req, "exclude") ?? [];
  intParam(req, "dp");
  let items = [...ctx.shop.orders.values()];
  items = items.filter(
    (o) =>
      (statuses.includes("any") ? o.status !== "trash" && o.status !== "auto-draft" : statuses.includes(o.status)) &&
      (customer === undefined || o.customerId === customer) &&
      (product === undefined || o.lineItems.some((l) => l.productId === product || l.variationId === product)) &&
      (!include || include.includes(o.id)) &&
      !exclude.includes(o.id) &&
      window(o.dateCreated, o.dateModified),
  );
  const key: (o: OrderRecord) => number | string =
    orderby === "id" ? (o) => o.id
    : orderby === "modified" ? (o) => o.dateModified
    : orderby === "include" ? (o) => (include ?? []).indexOf(o.id)
    : (o) => o.dateCreated;
  // [recorded] api/orders-list-per_page-5-*.json: same-second orders come newest id first.
  items.sort((a, b) => compareBy(key, order)(a, b) || compareBy((o: OrderRecord) => o.id, order)(a, b));
  const page = paginate(items, req, true);
  const s = ser(req, ctx);
  const body = page.items.map((o) => filterFields(orderJson(s, o), fieldsOf(req)));
  // [recorded] the orders controller moves `status` to the end as status[0]…, and — once an order
  // was rendered — adds dp and context (api/orders-list-*.json Link headers).
  const append: [string, string][] = statuses.map((v, i) => [`status[${i}]`, v]);
  if (page.items.length > 0) {
    if (stringParam(req, "dp") === undefined) append.push(["dp", String(s.dp)]);
    if (stringParam(req, "context") === undefined) append.push(["context", "view"]);
  }
  const query = linkQuery(req.rawQuery, {
    normalize: (name, value) => (name === "status" || name.startsWith("status[") ? null : booleanNormalizer(["dates_are_gmt"])(name, value)),
    append,
  });
  return { body, headers: paginationHeaders(ctx.siteUrl, "/wc/v3/orders", query, page.page, page.total, page.totalPages) };
}

function getOrder(ctx: RouteContext, id: number, notFound = 404): OrderRecord {
  const order = ctx.shop.orders.get(id);
  if (!order) throw invalidId("shop_order", notFound);
  return order;
}

function deleteOrder(ctx: RouteContext, req: RestRequest, id: number, notFound = 404): RouteResult {
  const order = getOrder(ctx, id, notFound);
  const force = boolParam(req, "force") ?? false;
  const body = orderJson(ser(req, ctx), order);
  if (force) ctx.shop.orders.delete(id);
  else order.status = "trash";
  return { body };
}

// ------------------------------------------------------------------ notes

function orderNotes(req: RestRequest, m: string[], ctx: RouteContext): RouteResult {
  const order = getOrder(ctx, num(m, 1));
  const type = enumParam(req, "type", ["any", "customer", "internal"] as const, "any") ?? "any";
  const notes = order.notes
    .filter((n) => type === "any" || (type === "customer" ? n.customerNote : !n.customerNote))
    // [recorded] api/order-notes/*.json: newest second first, ascending ids within a second.
    .sort((a, b) => b.dateCreated - a.dateCreated || a.id - b.id);
  const s = ser(req, ctx);
  return { body: notes.map((n) => filterFields(noteJson(s, order.id, n), fieldsOf(req))) };
}

function createNote(req: RestRequest, m: string[], ctx: RouteContext): RouteResult {
  const order = getOrder(ctx, num(m, 1));
  const b = bodyObject(req);
  if (typeof b.note !== "string" || b.note === "") {
    throw new RestError(400, "rest_missing_callback_param", "Missing parameter(s): note", { params: ["note"] });
  }
  const customerNote = b.customer_note === true;
  const author = b.added_by_user === true && req.key ? ctx.userDisplayName(req.key.userId) : "WooCommerce";
  ctx.shop.addNote(order, b.note, customerNote, author);
  const note = order.notes[order.notes.length - 1];
  if (!note) throw new Error("note missing");
  return { status: 201, body: noteJson(ser(req, ctx), order.id, note), headers: location(req, ctx, `orders/${order.id}/notes/${note.id}`) };
}

// ------------------------------------------------------------------ routes

export function buildRoutes(): RouteSpec[] {
  const productExists = (m: string[], ctx: RouteContext): boolean => ctx.shop.products.has(num(m, 1));
  const orderExists = (m: string[], ctx: RouteContext): boolean => ctx.shop.orders.has(num(m, 1));
  return [
    {
      pattern: /^\/wc\/v3\/products$/,
      allow: "GET, POST",
      methods: {
        GET: { permission: LIST, run: (req, _m, ctx) => listProducts(req, ctx) },
        POST: {
          permission: CREATE,
          run: (req, _m, ctx) => {
            const p = createProduct(ctx.shop, req.body);
            return { status: 201, body: productJson(ser(req, ctx), p), headers: location(req, ctx, `products/${p.id}`) };
          },
        },
      },
    },
    {
      pattern: /^\/wc\/v3\/products\/batch$/,
      allow: "POST, PUT, PATCH",
      methods: Object.fromEntries(
        (["POST", "PUT", "PATCH"] as const).map((method) => [
          method,
          {
            permission: BATCH,
            run: (req: RestRequest, _m: string[], ctx: RouteContext) => {
              const b = batchBody(req);
              const s = ser(req, ctx);
              const out: Record<string, unknown[]> = {};
              if (b.create.length) out.create = b.create.map((item) => batchItem(0, () => productJson(s, createProduct(ctx.shop, item))));
              // [recorded] api/batch-products-mixed-results.json: a missing id is 400 here, 404 on delete.
              if (b.update.length) out.update = b.update.map((item) => batchItem(idOf(item), () => productJson(s, updateProduct(ctx.shop, idOf(item), item, 400))));
              if (b.delete.length) out.delete = b.delete.map((item) => batchItem(idOf(item), () => productJson(s, deleteProduct(ctx.shop, idOf(item), true, 404))));
              return { body: out };
            },
          },
        ]),
      ),
    },
    {
      pattern: /^\/wc\/v3\/products\/(\d+)$/,
      allow: ITEM_ALLOW,
      methods: {
        GET: {
          permission: { ...VIEW, onlyIfExists: productExists },
          run: (req, m, ctx) => {
            const p = ctx.shop.products.get(num(m, 1));
            if (!p || p.type === "variation") throw invalidId("product");
            return { body: filterFields(productJson(ser(req, ctx), p), fieldsOf(req)) };
          },
        },
        ...itemWrites(EDIT, productExists, (req, m, ctx) => ({ body: productJson(ser(req, ctx), updateProduct(ctx.shop, num(m, 1), req.body, 404)) })),
        DELETE: {
          permission: { ...DELETE, onlyIfExists: productExists },
          run: (req, m, ctx) => {
            const s = ser(req, ctx);
            const existing = ctx.shop.products.get(num(m, 1));
            const body = existing && existing.type !== "variation" ? productJson(s, existing) : null;
            deleteProduct(ctx.shop, num(m, 1), boolParam(req, "force") ?? false);
            return { body };
          },
        },
      },
    },
    {
      pattern: /^\/wc\/v3\/products\/(\d+)\/variations$/,
      allow: "GET, POST",
      methods: {
        GET: { permission: LIST, run: (req, m, ctx) => listVariations(req, m, ctx) },
        POST: {
          permission: CREATE,
          run: (req, m, ctx) => {
            const v = createVariation(ctx.shop, num(m, 1), req.body);
            return { status: 201, body: variationJson(ser(req, ctx), v), headers: location(req, ctx, `products/${num(m, 1)}/variations/${v.id}`) };
          },
        },
      },
    },
    {
      pattern: /^\/wc\/v3\/products\/(\d+)\/variations\/batch$/,
      allow: "POST, PUT, PATCH",
      methods: Object.fromEntries(
        (["POST", "PUT", "PATCH"] as const).map((method) => [
          method,
          {
            permission: BATCH,
            run: (req: RestRequest, m: string[], ctx: RouteContext) => {
              const parentId = num(m, 1);
              parentProduct(ctx.shop, parentId);
              const b = batchBody(req);
              const s = ser(req, ctx);
              const out: Record<string, unknown[]> = {};
              if (b.create.length) out.create = b.create.map((item) => batchItem(0, () => variationJson(s, createVariation(ctx.shop, parentId, item))));
              // [recorded] api/batch-variations-mixed-results.json: a missing variation is 404.
              if (b.update.length) out.update = b.update.map((item) => batchItem(idOf(item), () => variationJson(s, updateVariation(ctx.shop, parentId, idOf(item), item, 404))));
              if (b.delete.length) out.delete = b.delete.map((item) => batchItem(idOf(item), () => variationJson(s, deleteVariation(ctx.shop, parentId, idOf(item)))));
              return { body: out };
            },
          },
        ]),
      ),
    },
    {
      pattern: /^\/wc\/v3\/products\/(\d+)\/variations\/(\d+)$/,
      allow: ITEM_ALLOW,
      hideAllowOn404: true,
      methods: {
        GET: {
          permission: { ...VIEW, onlyIfExists: (m, ctx) => ctx.shop.products.has(num(m, 2)) },
          run: (req, m, ctx) => ({ body: filterFields(variationJson(ser(req, ctx), getVariation(ctx.shop, num(m, 1), num(m, 2))), fieldsOf(req)) }),
        },
        ...itemWrites(EDIT, (m, ctx) => ctx.shop.products.has(num(m, 2)), (req, m, ctx) => ({
          body: variationJson(ser(req, ctx), updateVariation(ctx.shop, num(m, 1), num(m, 2), req.body, 404)),
        })),
        DELETE: {
          permission: { ...DELETE, onlyIfExists: (m, ctx) => ctx.shop.products.has(num(m, 2)) },
          run: (req, m, ctx) => {
            const v = getVariation(ctx.shop, num(m, 1), num(m, 2));
            const body = variationJson(ser(req, ctx), v);
            deleteVariation(ctx.shop, num(m, 1), num(m, 2));
            return { body };
          },
        },
      },
    },
    {
      pattern: /^\/wc\/v3\/orders$/,
      allow: "GET, POST",
      methods: {
        GET: { permission: LIST, run: (req, _m, ctx) => listOrders(req, ctx) },
        POST: {
          validate: (req) => {
            parseOrderInput(req.body);
          },
          permission: CREATE,
          run: (req, _m, ctx) => {
            const order = createRestOrder(ctx.shop, parseOrderInput(req.body));
            return { status: 201, body: orderJson(ser(req, ctx), order), headers: location(req, ctx, `orders/${order.id}`) };
          },
        },
      },
    },
    {
      pattern: /^\/wc\/v3\/orders\/batch$/,
      allow: "POST, PUT, PATCH",
      methods: Object.fromEntries(
        (["POST", "PUT", "PATCH"] as const).map((method) => [
          method,
          {
            permission: BATCH,
            run: (req: RestRequest, _m: string[], ctx: RouteContext) => {
              const b = batchBody(req);
              const s = ser(req, ctx);
              const out: Record<string, unknown[]> = {};
              if (b.create.length) out.create = b.create.map((item) => batchItem(0, () => orderJson(s, createRestOrder(ctx.shop, parseOrderInput(item)))));
              // [recorded] api/batch-orders-update-missing-id.json: 400.
              if (b.update.length) out.update = b.update.map((item) => batchItem(idOf(item), () => orderJson(s, updateRestOrder(ctx.shop, idOf(item), parseOrderInput(item), 400))));
              if (b.delete.length) out.delete = b.delete.map((item) => batchItem(idOf(item), () => deleteOrder(ctx, req, idOf(item)).body));
              return { body: out };
            },
          },
        ]),
      ),
    },
    {
      pattern: /^\/wc\/v3\/orders\/(\d+)$/,
      allow: ITEM_ALLOW,
      methods: {
        GET: {
          permission: { ...VIEW, onlyIfExists: orderExists },
          run: (req, m, ctx) => ({ body: filterFields(orderJson(ser(req, ctx), getOrder(ctx, num(m, 1))), fieldsOf(req)) }),
        },
        ...itemWrites(EDIT, orderExists, (req, m, ctx) => ({
          body: orderJson(ser(req, ctx), updateRestOrder(ctx.shop, num(m, 1), parseOrderInput(req.body), 404)),
        })),
        DELETE: { permission: { ...DELETE, onlyIfExists: orderExists }, run: (req, m, ctx) => deleteOrder(ctx, req, num(m, 1)) },
      },
    },
    {
      pattern: /^\/wc\/v3\/orders\/(\d+)\/notes$/,
      allow: "GET, POST",
      methods: {
        GET: { permission: LIST, run: orderNotes },
        POST: { permission: CREATE, run: createNote },
      },
    },
    {
      pattern: /^\/wc\/v3\/orders\/(\d+)\/notes\/(\d+)$/,
      allow: "GET, DELETE",
      methods: {
        GET: {
          permission: VIEW,
          run: (req, m, ctx) => {
            const order = getOrder(ctx, num(m, 1));
            const note = order.notes.find((n) => n.id === num(m, 2));
            if (!note) throw new RestError(404, "woocommerce_rest_invalid_id", "Invalid resource ID.");
            return { body: noteJson(ser(req, ctx), order.id, note) };
          },
        },
        DELETE: {
          permission: DELETE,
          run: (req, m, ctx) => {
            const order = getOrder(ctx, num(m, 1));
            const note = order.notes.find((n) => n.id === num(m, 2));
            if (!note) throw new RestError(404, "woocommerce_rest_invalid_id", "Invalid resource ID.");
            if (!(boolParam(req, "force") ?? false)) {
              throw new RestError(501, "woocommerce_rest_trash_not_supported", "Webhooks do not support trashing.");
            }
            order.notes = order.notes.filter((n) => n !== note);
            return { body: noteJson(ser(req, ctx), order.id, note) };
          },
        },
      },
    },
    {
      pattern: /^\/wc\/v3\/customers$/,
      allow: "GET, POST",
      methods: {
        GET: {
          permission: LIST,
          run: (req, _m, ctx) => {
            const email = stringParam(req, "email");
            const items = [...ctx.shop.customers.values()].filter((c) => !email || c.email.toLowerCase() === email.toLowerCase()).sort((a, b) => a.id - b.id);
            const page = paginate(items, req, false);
            const s = ser(req, ctx);
            const query = linkQuery(req.rawQuery);
            return {
              body: page.items.map((c) => filterFields(customerJson(s, c), fieldsOf(req))),
              headers: paginationHeaders(ctx.siteUrl, "/wc/v3/customers", query, page.page, page.total, page.totalPages),
            };
          },
        },
      },
    },
    {
      pattern: /^\/wc\/v3\/customers\/(\d+)$/,
      allow: ITEM_ALLOW,
      hideAllowOn404: true,
      methods: {
        GET: {
          permission: VIEW,
          run: (req, m, ctx) => {
            const c = ctx.shop.customers.get(num(m, 1));
            // [recorded] api/404-customer-missing.json
            if (!c) throw new RestError(404, "wc_user_invalid_id", "Invalid user ID.");
            return { body: filterFields(customerJson(ser(req, ctx), c), fieldsOf(req)) };
          },
        },
      },
    },
    {
      pattern: /^\/wc\/v3\/taxes$/,
      allow: "GET, POST",
      methods: {
        GET: {
          permission: LIST,
          run: (req, _m, ctx) => {
            const cls = stringParam(req, "class");
            const items = ctx.shop.taxRates.filter((r) => !cls || (cls === "standard" ? r.taxClass === "" : r.taxClass === cls));
            const page = paginate(items, req, false);
            const s = ser(req, ctx);
            return {
              body: page.items.map((r) => taxRateJson(s, r)),
              headers: paginationHeaders(ctx.siteUrl, "/wc/v3/taxes", linkQuery(req.rawQuery), page.page, page.total, page.totalPages),
            };
          },
        },
      },
    },
    {
      pattern: /^\/wc\/v3\/taxes\/classes$/,
      allow: "GET, POST",
      methods: {
        GET: {
          permission: LIST,
          run: (_req, _m, ctx) => ({
            body: [{ slug: "standard", name: "Standard rate" }, ...ctx.shop.taxClasses].map((c) => ({ slug: c.slug, name: c.name })),
          }),
        },
      },
    },
    {
      pattern: /^\/wc\/v3\/system_status$/,
      allow: "GET",
      methods: { GET: { permission: LIST, run: (req, _m, ctx) => ({ body: systemStatus(req, ctx) }) } },
    },
    {
      pattern: /^\/wc\/v3\/settings$/,
      allow: "GET",
      methods: {
        GET: {
          permission: LIST,
          run: () => ({
            body: [
              { id: "general", label: "General", description: "", parent_id: "", sub_groups: [] },
              { id: "tax", label: "Tax", description: "", parent_id: "", sub_groups: [] },
            ],
          }),
        },
      },
    },
    {
      pattern: /^\/wc\/v3\/settings\/(general|tax)$/,
      allow: "GET",
      methods: { GET: { permission: LIST, run: (_req, m, ctx) => ({ body: settingsGroup(ctx.shop, ctx.siteUrl, m[1] ?? "") }) } },
    },
    {
      pattern: /^\/wc\/v3\/settings\/(general|tax)\/batch$/,
      allow: "POST, PUT, PATCH",
      methods: Object.fromEntries(
        (["POST", "PUT", "PATCH"] as const).map((method) => [
          method,
          {
            permission: BATCH,
            run: (req: RestRequest, m: string[], ctx: RouteContext) => {
              const b = batchBody(req);
              return {
                body: {
                  update: b.update.map((item) =>
                    batchItem(0, () => {
                      const it = item as { id?: string; value?: unknown };
                      return updateSetting(ctx.shop, ctx.siteUrl, m[1] ?? "", it.id ?? "", it.value);
                    }),
                  ),
                },
              };
            },
          },
        ]),
      ),
    },
    {
      pattern: /^\/wc\/v3\/settings\/(general|tax)\/([a-z0-9_-]+)$/,
      allow: "GET, POST, PUT, PATCH",
      methods: {
        GET: { permission: VIEW, run: (_req, m, ctx) => ({ body: settingsItem(ctx.shop, ctx.siteUrl, m[1] ?? "", m[2] ?? "") }) },
        ...itemWrites({ code: "woocommerce_rest_cannot_edit", message: "Sorry, you cannot edit this resource." }, undefined, (req, m, ctx) => ({
          body: updateSetting(ctx.shop, ctx.siteUrl, m[1] ?? "", m[2] ?? "", bodyObject(req).value),
        })),
      },
    },
  ];
}

function itemWrites(
  perm: { code: string; message: string },
  exists: ((m: string[], ctx: RouteContext) => boolean) | undefined,
  run: MethodSpec["run"],
): Partial<Record<HttpMethod, MethodSpec>> {
  const spec: MethodSpec = { permission: exists ? { ...perm, onlyIfExists: exists } : perm, run };
  return { POST: spec, PUT: spec, PATCH: spec };
}

function systemStatus(req: RestRequest, ctx: RouteContext): Record<string, unknown> {
  const s = ctx.shop.settings;
  return {
    environment: {
      home_url: ctx.siteUrl,
      site_url: ctx.siteUrl,
      store_id: "",
      version: "10.0.2",
      wp_version: "6.8.8",
      wp_multisite: false,
      wp_debug_mode: false,
      language: "en_US",
      server_info: "WooCommerce sandbox",
      php_version: "8.2",
      default_timezone: "UTC",
      secure_connection: req.https,
      hide_errors: true,
    },
    database: { wc_database_version: "10.0.2" },
    active_plugins: [],
    inactive_plugins: [],
    dropins_mu_plugins: { dropins: [], mu_plugins: [] },
    theme: {},
    settings: {
      api_enabled: true,
      force_ssl: false,
      currency: s.currency,
      currency_symbol: currencySymbol(s.currency),
      currency_position: s.currencyPosition,
      thousand_separator: s.thousandSeparator,
      decimal_separator: s.decimalSeparator,
      number_of_decimals: s.priceDecimals,
      geolocation_enabled: false,
      taxonomies: { external: "external", grouped: "grouped", simple: "simple", variable: "variable" },
      product_visibility_terms: {},
      woocommerce_com_connected: "no",
      enforce_approved_download_directories: false,
      order_datastore: "Automattic\\WooCommerce\\Internal\\DataStores\\Orders\\OrdersTableDataStore",
      HPOS_enabled: true,
      HPOS_sync_enabled: false,
    },
    security: { secure_connection: req.https, hide_errors: true },
    pages: [],
    post_type_counts: [],
    logging: {},
  };
}

export type { OrderStatus };
