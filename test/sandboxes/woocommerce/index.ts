/**
 * WooCommerce REST v3 sandbox: a real HTTP server on loopback that answers like WooCommerce 10
 * (recorded in ../shared/fixtures/woocommerce) — auth, products, variations, orders, notes,
 * customers, settings, system status, batches, pagination — plus a control API (in-process and
 * under /_sandbox/) for tests, benchmarks and the demo.
 *
 *   const woo = await startWooSandbox({ fixture: "c1-dkk-excl-lineround" });
 *   const { consumerKey, consumerSecret } = woo.createKey();
 *   // point @woocommerce/woocommerce-rest-api at woo.url (OAuth 1.0a over plain HTTP)
 */
import { randomBytes } from "node:crypto";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { type CheckoutInput, placeOrder } from "./checkout.js";
import { FaultBook, type FaultSpec, faultBody } from "./faults.js";
import type { FixtureConfigName } from "./fixture-shop.js";
import { loadFixtureShop } from "./fixture-setup.js";
import { NO_CACHE_HEADERS, type RestRequest, baseHeaders } from "./http-kit.js";
import { type PhpArray, parsePhpQuery, phpToPlain } from "./php-query.js";
import { type ApiKey, type KeyPermissions, authenticate, checkKeyPermissions, wcApiHash } from "./rest-auth.js";
import { RestError } from "./rest-error.js";
import { updateRestOrder } from "./rest-orders.js";
import { orderJson, productJson, variationJson } from "./rest-serializers.js";
import { type HttpMethod, type RouteContext, type RouteSpec, buildRoutes } from "./routes.js";
import type { SeedProduct } from "./seed.js";
import { WooShop, type WriteLogEntry } from "./shop-state.js";
import type { Coupon, CustomerRecord, OrderStatus, ShippingZone, ShopSettings, TaxClass, TaxRate } from "./shop-model.js";
import { handleControl } from "./control-api.js";
import { PluginOutbox } from "./plugin-outbox.js";

export type HttpsMode = "none" | "assume" | "forwarded-proto";

export interface WooSandboxOptions {
  /** Default 0 (a free port). */
  port?: number;
  /** Default 127.0.0.1 — never 0.0.0.0. */
  host?: string;
  /**
   * How the sandbox decides is_ssl(): "none" (plain HTTP, like a shop on :8080 — only OAuth 1.0a
   * works), "assume" (behind a TLS proxy that tells PHP — Basic auth and query keys work),
   * "forwarded-proto" (trust X-Forwarded-Proto: https, as a wp-config shim would). Default "none".
   */
  https?: HttpsMode;
  /** The shop's home URL; OAuth signatures are checked against it. Default http://127.0.0.1:<port>. */
  siteUrl?: string;
  /** Clock in epoch ms (dates, modified_after, OAuth timestamps). Default Date.now. */
  clock?: () => number;
  /** Load the recorded shop (products, rates, zones, coupons, customers) in this configuration. */
  fixture?: FixtureConfigName;
  /** Display name of the user that owns created keys (order notes with added_by_user). */
  keyOwnerName?: string;
}

export interface CreatedKey {
  keyId: number;
  consumerKey: string;
  consumerSecret: string;
  permissions: KeyPermissions;
}

export interface RequestLogEntry {
  at: number;
  method: string;
  /** Route after /wp-json, e.g. /wc/v3/products/32/variations/batch */
  route: string;
  query: string;
  status: number;
  auth: "oauth1" | "basic_auth" | "none";
  https: boolean;
}

export interface WooSandbox {
  /** Base URL for clients (the site URL). */
  readonly url: string;
  readonly siteUrl: string;
  readonly port: number;
  /** Direct access to the shop state (tests may inspect it; prefer the methods below). */
  readonly shop: WooShop;
  /**
   * The Rackbeat plugin's outbox double (plugin-outbox.ts): events recorded, pushed to the bridge,
   * and the signed pull routes under /wp-json/rackbeat-connector/v1/outbox served by this sandbox.
   */
  readonly plugin: PluginOutbox;
  close(): Promise<void>;

  createKey(options?: { permissions?: KeyPermissions; description?: string; userId?: number }): CreatedKey;
  revokeKey(keyId: number): void;
  configure(settings: Partial<ShopSettings>): void;
  setTaxClasses(classes: TaxClass[]): void;
  setTaxRates(rates: (Omit<TaxRate, "id"> & { id?: number })[]): void;
  setShippingZones(zones: ShippingZone[]): void;
  addCoupon(coupon: Omit<Coupon, "id" | "usageCount" | "productIds" | "excludedProductIds" | "limitUsageToXItems" | "freeShipping"> & Partial<Coupon>): Coupon;
  addCustomer(customer: Partial<CustomerRecord> & { email: string }): CustomerRecord;
  loadFixtureShop(config?: FixtureConfigName): void;
  /** Seeds a product or variation directly (not counted as a REST write). Returns its REST JSON. */
  seedProduct(seed: SeedProduct): Record<string, unknown>;
  /** Places an order as a checkout would (REST or Store API code path). Returns the order's REST JSON. */
  placeOrder(input: CheckoutInput): Record<string, unknown>;
  /** Changes an order's status as the shop owner would (stock effects, notes). */
  setOrderStatus(orderId: number, status: OrderStatus): Record<string, unknown>;
  /** Changes stock "behind the bridge's back" (an admin edit). Not counted as a REST write. */
  setStock(productOrVariationId: number, quantity: number | null): void;
  getOrder(orderId: number): Record<string, unknown> | undefined;
  getProduct(productOrVariationId: number): Record<string, unknown> | undefined;
  injectFault(fault: FaultSpec): number;
  clearFaults(id?: number): void;
  /** REST writes (create/update/delete) per product or variation id. */
  writeCount(productOrVariationId: number): number;
  writeLog(): WriteLogEntry[];
  resetWriteCounts(): void;
  requests(): RequestLogEntry[];
  clearRequests(): void;
  /** Moves the sandbox clock (only when the default clock is used). */
  advanceClock(ms: number): void;
}

const ROUTES: RouteSpec[] = buildRoutes();

export async function startWooSandbox(options: WooSandboxOptions = {}): Promise<WooSandbox> {
  let clockOffset = 0;
  const clock = options.clock ?? (() => Date.now() + clockOffset);
  const shop = new WooShop(clock);
  if (options.fixture) loadFixtureShop(shop, options.fixture);
  const keys = new Map<string, ApiKey>();
  const keysById = new Map<number, ApiKey>();
  let nextKeyId = 1;
  const faults = new FaultBook();
  const requestLog: RequestLogEntry[] = [];
  const httpsMode = options.https ?? "none";
  const host = options.host ?? "127.0.0.1";
  const sockets = new Set<Socket>();
  let siteUrl = options.siteUrl?.replace(/\/+$/, "") ?? "";
  const plugin = new PluginOutbox(clock);

  const sandbox: WooSandbox = {
    get url() {
      return siteUrl;
    },
    get siteUrl() {
      return siteUrl;
    },
    get port() {
      return (server.address() as AddressInfo).port;
    },
    shop,
    plugin,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
    createKey(opts = {}) {
      const consumerKey = `ck_${randomBytes(20).toString("hex")}`;
      const consumerSecret = `cs_${randomBytes(20).toString("hex")}`;
      const key: ApiKey = {
        keyId: nextKeyId++,
        userId: opts.userId ?? 1,
        description: opts.description ?? "Rackbeat Connector",
        permissions: opts.permissions ?? "read_write",
        consumerKeyHash: wcApiHash(consumerKey),
        consumerSecret,
        truncatedKey: consumerKey.slice(-7),
        nonces: new Map(),
        lastAccess: null,
      };
      keys.set(key.consumerKeyHash, key);
      keysById.set(key.keyId, key);
      return { keyId: key.keyId, consumerKey, consumerSecret, permissions: key.permissions };
    },
    revokeKey(keyId) {
      const key = keysById.get(keyId);
      if (key) keys.delete(key.consumerKeyHash);
      keysById.delete(keyId);
    },
    configure: (s) => shop.configure(s),
    setTaxClasses: (c) => shop.setTaxClasses(c),
    setTaxRates: (r) => shop.setTaxRates(r),
    setShippingZones: (z) => shop.setShippingZones(z),
    addCoupon: (c) =>
      shop.upsertCoupon({ productIds: [], excludedProductIds: [], limitUsageToXItems: null, freeShipping: false, ...c }),
    addCustomer: (c) => shop.upsertCustomer(c),
    loadFixtureShop: (config) => loadFixtureShop(shop, config),
    seedProduct(seed) {
      const p = shop.seedProduct(seed);
      return p.type === "variation" ? variationJson(serCtx(), p) : productJson(serCtx(), p);
    },
    placeOrder: (input) => orderJson(serCtx(), placeOrder(shop, input)),
    setOrderStatus(orderId, status) {
      return orderJson(serCtx(), updateRestOrder(shop, orderId, { status }, 404));
    },
    setStock(id, quantity) {
      const p = shop.products.get(id);
      if (!p) throw new Error(`no product ${id}`);
      if (quantity !== null) p.manageStock = true;
      shop.setStock(p, quantity, "control");
    },
    getOrder(orderId) {
      const o = shop.orders.get(orderId);
      return o ? orderJson(serCtx(), o) : undefined;
    },
    getProduct(id) {
      const p = shop.products.get(id);
      if (!p) return undefined;
      return p.type === "variation" ? variationJson(serCtx(), p) : productJson(serCtx(), p);
    },
    injectFault: (f) => faults.add(f),
    clearFaults: (id) => faults.clear(id),
    writeCount: (id) => shop.writeCounts.get(id) ?? 0,
    writeLog: () => [...shop.writeLog],
    resetWriteCounts() {
      shop.writeCounts.clear();
      shop.writeLog.length = 0;
    },
    requests: () => [...requestLog],
    clearRequests() {
      requestLog.length = 0;
    },
    advanceClock(ms) {
      clockOffset += ms;
    },
  };

  function serCtx() {
    return { shop, siteUrl, dp: shop.settings.priceDecimals, scheme: "http" as const };
  }

  const routeCtx = (req: IncomingMessage, https: boolean): RouteContext => ({
    shop,
    siteUrl,
    scheme: https ? "https" : "http",
    requestHost: req.headers.host ?? new URL(siteUrl).host,
    userDisplayName: () => options.keyOwnerName ?? "admin",
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawUrl = req.url ?? "/";
    const qIndex = rawUrl.indexOf("?");
    const path = qIndex === -1 ? rawUrl : rawUrl.slice(0, qIndex);
    const rawQuery = qIndex === -1 ? "" : rawUrl.slice(qIndex + 1);
    const rawBody = await readBody(req);

    if (path.startsWith("/_sandbox/")) {
      const result = await handleControl(sandbox, req.method ?? "GET", path.slice("/_sandbox".length), rawBody);
      send(res, result.status, { "Content-Type": "application/json; charset=UTF-8" }, result.body);
      return;
    }

    const query = parsePhpQuery(rawQuery);
    const https = httpsMode === "assume" || (httpsMode === "forwarded-proto" && String(req.headers["x-forwarded-proto"] ?? "").toLowerCase() === "https");
    let method = (req.method ?? "GET").toUpperCase();
    const override = typeof query.get("_method") === "string" ? String(query.get("_method")) : req.headers["x-http-method-override"];
    if (method === "POST" && typeof override === "string" && override) method = override.toUpperCase();
    const route = path.startsWith("/wp-json") ? path.slice("/wp-json".length) || "/" : path;
    const log: RequestLogEntry = { at: clock(), method, route, query: rawQuery, status: 0, auth: "none", https };
    requestLog.push(log);

    // Faults first: they stand for what happens before WordPress answers.
    const hits = faults.take(method, route);
    const delay = hits.filter((f) => f.kind === "latency").reduce((ms, f) => ms + (f.ms ?? 0), 0);
    if (delay > 0) await sleep(delay);
    const terminal = hits.find((f) => f.kind !== "latency");
    if (terminal?.kind === "reset") {
      log.status = -1;
      req.socket.destroy();
      return;
    }
    if (terminal?.kind === "timeout") {
      log.status = -1;
      if (terminal.ms !== undefined) setTimeout(() => req.socket.destroy(), terminal.ms).unref();
      return;
    }
    if (terminal?.kind === "status") {
      const status = terminal.status ?? 500;
      const headers: Record<string, string> = { "Content-Type": "application/json; charset=UTF-8" };
      if (terminal.retryAfter !== undefined) headers["Retry-After"] = terminal.retryAfter;
      log.status = status;
      send(res, status, headers, terminal.body ?? faultBody(status));
      return;
    }

    // The Rackbeat plugin's own routes are WordPress REST routes too: faults above apply to them.
    const pluginAnswer = plugin.handle({ method, route, pathWithQuery: rawUrl, query: new URLSearchParams(rawQuery), headers: req.headers, rawBody: rawBody.toString("utf8") });
    if (pluginAnswer) {
      log.status = pluginAnswer.status;
      send(res, pluginAnswer.status, { ...baseHeaders(siteUrl), "Content-Type": "application/json; charset=UTF-8" }, pluginAnswer.body);
      return;
    }

    const response = respond({ method, route, rawQuery, query, rawBody, https, contentType: String(req.headers["content-type"] ?? ""), authorization: req.headers.authorization, origin: req.headers.origin }, routeCtx(req, https), log);
    log.status = response.status;
    send(res, response.status, response.headers, method === "HEAD" ? undefined : response.body);
  }

  interface Incoming {
    method: string;
    route: string;
    rawQuery: string;
    query: PhpArray;
    rawBody: Buffer;
    https: boolean;
    contentType: string;
    authorization: string | undefined;
    origin: string | undefined;
  }

  function respond(inc: Incoming, ctx: RouteContext, log: RequestLogEntry): { status: number; headers: Record<string, string>; body: unknown } {
    const headers = baseHeaders(siteUrl);
    let loggedIn = false;
    const finish = (status: number, body: unknown, extra: Record<string, string> = {}): { status: number; headers: Record<string, string>; body: unknown } => {
      const h: Record<string, string> = { ...headers, ...extra };
      if (loggedIn) Object.assign(h, NO_CACHE_HEADERS);
      else if (inc.method === "GET" && !inc.origin) h.Vary = "Origin";
      return { status, headers: h, body };
    };
    const fail = (error: RestError, extra: Record<string, string> = {}): { status: number; headers: Record<string, string>; body: unknown } =>
      finish(error.status, error.body(), extra);

    const form = inc.contentType.includes("application/x-www-form-urlencoded") ? parsePhpQuery(inc.rawBody.toString("utf8")) : new Map();
    // WooCommerce keys authenticate only routes in the wc/ and wc-… namespaces (is_request_to_rest_api).
    const isWcRoute = /^\/wc\/|^\/wc-/.test(inc.route);
    let key: ApiKey | null = null;
    if (isWcRoute) {
      const auth = authenticate(
        { method: inc.method, path: `/wp-json${inc.route}`, query: inc.query, post: form, authorization: inc.authorization, https: inc.https },
        { keyByConsumerKey: (ck) => keys.get(wcApiHash(ck)), homeUrl: siteUrl, nowSeconds: () => Math.floor(clock() / 1000) },
      );
      log.auth = auth.key ? auth.method || "none" : "none";
      if (auth.error) return fail(auth.error);
      key = auth.key;
      loggedIn = key !== null;
      if (key) {
        key.lastAccess = clock();
        const denied = checkKeyPermissions(key, inc.method);
        if (denied) return fail(denied);
      }
    }

    const spec = ROUTES.find((r) => r.pattern.test(inc.route));
    const match = spec ? (spec.pattern.exec(inc.route) ?? []).map((x) => x ?? "") : [];
    const methodSpec = spec ? (spec.methods[(inc.method === "HEAD" ? "GET" : inc.method) as HttpMethod] ?? null) : null;
    if (!spec || !methodSpec) {
      // [recorded] api/404-no-route.json
      return fail(new RestError(404, "rest_no_route", "No route was found matching the URL and request method."));
    }
    const allow: Record<string, string> = loggedIn ? { Allow: spec.allow } : {};
    let body: unknown = phpToPlain(form);
    if (inc.contentType.includes("json") || (!inc.contentType.includes("form") && inc.rawBody.length > 0)) {
      const text = inc.rawBody.toString("utf8");
      if (text.trim() !== "") {
        try {
          body = JSON.parse(text);
        } catch {
          // [recorded] api/400-invalid-json-body.json
          return fail(new RestError(400, "rest_invalid_json", "Invalid JSON body passed.", { json_error_code: 4, json_error_message: "Syntax error" }), allow);
        }
      } else {
        body = null;
      }
    }
    const req: RestRequest = { method: inc.method, route: inc.route, rawQuery: inc.rawQuery, query: inc.query, body, https: inc.https, key };
    try {
      methodSpec.validate?.(req, match, ctx);
      if (!loggedIn && (!methodSpec.permission.onlyIfExists || methodSpec.permission.onlyIfExists(match, ctx))) {
        return fail(new RestError(401, methodSpec.permission.code, methodSpec.permission.message));
      }
      const result = methodSpec.run(req, match, ctx);
      return finish(result.status ?? 200, result.body, { ...allow, ...(result.headers ?? {}) });
    } catch (error) {
      if (error instanceof RestError) {
        const hideAllow = spec.hideAllowOn404 && error.status === 404;
        return fail(error, hideAllow ? {} : allow);
      }
      const message = error instanceof Error ? error.message : String(error);
      return fail(new RestError(500, "internal_server_error", message));
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { "Content-Type": "application/json; charset=UTF-8" }, { code: "internal_server_error", message: String(error), data: { status: 500 } });
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  if (!siteUrl) siteUrl = `http://${host}:${port}`;
  return sandbox;
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  const payload = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, { ...headers, Date: new Date().toUTCString(), "Content-Length": String(Buffer.byteLength(payload)) });
  res.end(payload);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export type { CheckoutInput } from "./checkout.js";
export type { FaultSpec } from "./faults.js";
export type { FixtureConfigName } from "./fixture-shop.js";
export { WooShop } from "./shop-state.js";
