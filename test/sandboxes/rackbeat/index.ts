/**
 * A faithful stand-in for Rackbeat's REST API (../shared/docs/rackbeat-api.md), served over real
 * HTTP on 127.0.0.1 for tests, benchmarks and `npm run demo`.
 *
 *   const sandbox = await startRackbeatSandbox({ rateLimit: { limit: 480, windowMs: 600 } });
 *   fetch(`${sandbox.baseUrl}/self`, { headers: { Authorization: `Bearer ${sandbox.token}` } });
 *   await sandbox.close();
 *
 * `baseUrl` ends in `/api` like Rackbeat's (https://app.rackbeat.com/api). A control API under
 * `/_sandbox` (control-routes.ts) mirrors the in-process methods below for demos and other
 * processes; it needs no token and answers loopback callers only.
 *
 * Which behaviours are documented and which follow the doc's defaults is marked where they are
 * implemented (sandbox-state.ts, list-query.ts, api-routes.ts, sandbox-rate-limiter.ts,
 * webhook-dispatcher.ts): a source key such as [doc §4.4, LC], [doc default], [inferred] or
 * [sandbox-only].
 */
import express, { type NextFunction, type Request, type Response } from "express";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { apiRoutes } from "./api-routes.js";
import { controlRoutes } from "./control-routes.js";
import type { RoundingModel } from "./order-arithmetic.js";
import { FaultBook, type FaultEffect, type FaultRule } from "./sandbox-faults.js";
import { SlidingWindowLimiter, type RateLimitSettings } from "./sandbox-rate-limiter.js";
import { randomToken, SandboxState, type WriteContext } from "./sandbox-state.js";
import { WebhookDispatcher, type WebhookBodyVariant, type WebhookDeliveryLog, type WebhookFaults } from "./webhook-dispatcher.js";

export type { RoundingModel } from "./order-arithmetic.js";
export type { FaultRule, FaultEffect } from "./sandbox-faults.js";
export type { RateLimitSettings } from "./sandbox-rate-limiter.js";
export type { WebhookBodyVariant, WebhookDeliveryLog, WebhookFaults } from "./webhook-dispatcher.js";
export { computeOrderTotals } from "./order-arithmetic.js";

export interface RackbeatSandboxOptions {
  /** Default 0 (any free port). Always bound to 127.0.0.1. */
  port?: number;
  /** Bearer tokens the API accepts; default one random 40-character token. */
  tokens?: string[];
  account?: { id?: number; companyName?: string; user?: { id: number; name: string; email: string } };
  /**
   * Per-token sliding window; default 480 per 60,000 ms [doc §3.1 default]. Scale it in time for
   * tests and benchmarks (e.g. 480 per 600 ms); `false` turns it off.
   */
  rateLimit?: RateLimitSettings | false;
  /** Order line arithmetic: "line" (default) or "total" (order-arithmetic.ts). */
  roundingModel?: RoundingModel;
  /**
   * false: orders can no longer be found by other_reference/heading, nor customers by e-mail (search
   * and filters ignore them) — proves exactly-once without relying on undocumented search.
   * Default true.
   */
  referenceSearch?: boolean;
  /** Webhook body: "minimal" `{key_name, key}` (default, as observed) or "full" with event/data. */
  webhookBody?: WebhookBodyVariant;
  /** Latency added to every `/api` request, fixed or uniformly random in [min, max] ms. */
  latencyMs?: number | { min: number; max: number };
  /** Webhook retry schedule: base · 2^(attempt−1) ms, up to maxAttempts. Default 1,000 ms × 6. */
  webhookRetry?: { baseMs: number; maxAttempts: number };
  /** Webhook response timeout [doc §4.8: 15 s]. */
  webhookTimeoutMs?: number;
  /** Fire inventory.changed when booking reserves stock (Rackbeat does not document it). Default false. */
  inventoryChangedOnReservation?: boolean;
  /** First auto-assigned order number [doc §7.2 e.g. 1001]. */
  firstOrderNumber?: number;
  /** Seed location 1 "Main warehouse" and product group 1 "Default" (25 % domestic VAT). Default true. */
  seedDefaults?: boolean;
}

export interface SeedProductGroup {
  number?: number;
  name: string;
  vat_domestic?: number;
  vat_eu?: number;
  vat_abroad?: number;
  vat_domestic_exempt?: number;
  has_inventory?: boolean;
}

export interface SeedLocation {
  number?: number;
  name: string;
  is_default?: boolean;
  barcode?: string;
}

export interface SeedProduct {
  number: string;
  name?: string;
  sales_price?: number;
  cost_price?: number;
  /** Product group number; default the first group. */
  group?: number;
  barcode?: string;
  description?: string;
  is_barred?: boolean;
  default_location_id?: number;
  /** On hand at the product's location, or per location number. */
  stock?: number | Record<number, number>;
}

export type SeedCustomer = { number?: number; name: string } & Record<string, unknown>;

export interface SandboxStats {
  /** Requests that reached `/api`. */
  requests: number;
  /** Per "METHOD /route/:pattern" (401/429 answers before routing count as "METHOD (refused)"). */
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
  /** Every 429 sent: rate limit plus injected storms. */
  sent429: number;
  /** 429s from the rate limit itself. */
  rateLimited: number;
  injected429: number;
  /** Most requests of one token the rate limit ever counted inside one window. */
  peakInWindow: number;
  hung: number;
  lostResponses: number;
  /** Requests answered 503 because the sandbox was down (`outage`). */
  refusedWhileDown: number;
}

export interface SandboxConfig {
  rateLimit?: RateLimitSettings | false;
  roundingModel?: RoundingModel;
  referenceSearch?: boolean;
  webhookBody?: WebhookBodyVariant;
  latencyMs?: number | { min: number; max: number } | null;
  webhookRetry?: { baseMs: number; maxAttempts: number };
  webhookFaults?: Partial<WebhookFaults>;
  inventoryChangedOnReservation?: boolean;
}

const SEEDING: WriteContext = { suppressWebhooks: true };

export class RackbeatSandbox {
  readonly state: SandboxState;
  readonly dispatcher: WebhookDispatcher;
  readonly limiter: SlidingWindowLimiter;
  readonly faults = new FaultBook();
  readonly tokens: string[];
  baseUrl = "";
  controlUrl = "";
  private server: Server | null = null;
  private latency: number | { min: number; max: number } | null;
  private counters = RackbeatSandbox.emptyStats();
  private downUntil = 0;

  constructor(options: RackbeatSandboxOptions = {}) {
    this.tokens = options.tokens && options.tokens.length > 0 ? [...options.tokens] : [randomToken(40)];
    const accountId = options.account?.id ?? 4242;
    this.state = new SandboxState({
      accountId,
      companyName: options.account?.companyName ?? "Sandbox ApS",
      user: options.account?.user ?? { id: 7, name: "Sandbox User", email: "user@sandbox.invalid" },
      roundingModel: options.roundingModel ?? "line",
      referenceSearch: options.referenceSearch ?? true,
      firstOrderNumber: options.firstOrderNumber ?? 1001,
      inventoryChangedOnReservation: options.inventoryChangedOnReservation ?? false,
      defaultCurrency: "DKK",
    });
    this.dispatcher = new WebhookDispatcher({
      accountId,
      body: options.webhookBody ?? "minimal",
      retry: options.webhookRetry ?? { baseMs: 1000, maxAttempts: 6 },
      responseTimeoutMs: options.webhookTimeoutMs ?? 15_000,
    });
    this.state.onEvent = (event) => this.dispatcher.dispatch(event, this.state.webhooks.values());
    this.limiter = new SlidingWindowLimiter(options.rateLimit === false ? null : (options.rateLimit ?? { limit: 480, windowMs: 60_000 }));
    this.latency = options.latencyMs ?? null;
    if (options.seedDefaults ?? true) {
      this.state.createLocation({ number: 1, name: "Main warehouse", is_default: true });
      this.state.createProductGroup({ number: 1, name: "Default", vat_domestic: 25, vat_eu: 0, vat_abroad: 0 });
    }
  }

  private static emptyStats(): SandboxStats {
    return { requests: 0, byRoute: {}, byStatus: {}, sent429: 0, rateLimited: 0, injected429: 0, peakInWindow: 0, hung: 0, lostResponses: 0, refusedWhileDown: 0 };
  }

  /** The first accepted token. */
  get token(): string {
    return this.tokens[0]!;
  }

  get accountId(): number {
    return this.state.options.accountId;
  }

  // ───────────── control: seeding ─────────────

  seedProductGroups(groups: SeedProductGroup[]): void {
    for (const g of groups) this.state.createProductGroup({ ...g });
  }

  seedLocations(locations: SeedLocation[]): void {
    for (const l of locations) this.state.createLocation({ ...l });
  }

  /** Creates products without firing webhooks; `stock` lands without webhooks too. */
  seedProducts(products: SeedProduct[]): void {
    const defaultGroup = this.state.groups.keys().next();
    for (const p of products) {
      const { stock, ...fields } = p;
      const record = this.state.createProduct(
        { name: p.number, sales_price: 100, group: defaultGroup.done ? undefined : defaultGroup.value, ...fields },
        SEEDING,
      );
      if (typeof stock === "number") this.state.setStock(record, stock, undefined, SEEDING);
      else if (stock) for (const [loc, qty] of Object.entries(stock)) this.state.setStock(record, qty, Number(loc), SEEDING);
    }
  }

  /** Returns the customer numbers assigned. */
  seedCustomers(customers: SeedCustomer[]): number[] {
    return customers.map((c) => this.state.createCustomer({ ...c }).number);
  }

  // ───────────── control: stock and orders ─────────────

  /** Sets on-hand stock (absolute) at a location; a stock movement, so inventory.changed fires. */
  setStock(number: string, quantity: number, options: { location?: number; suppressWebhooks?: boolean } = {}): void {
    this.state.setStock(this.state.productOr404(number), quantity, options.location, { suppressWebhooks: options.suppressWebhooks ?? false });
  }

  /** Ships everything left on a booked order (create-shipment + mark-shipped), as the warehouse would. */
  shipOrder(orderNumber: number, options: { suppressWebhooks?: boolean } = {}): Record<string, unknown> {
    const shipment = this.state.shipOrder(this.state.orderOr404(String(orderNumber)), { suppressWebhooks: options.suppressWebhooks ?? false });
    return this.state.serializeShipment(shipment);
  }

  /** Orders as the API shows them, oldest first. */
  listOrders(): Record<string, unknown>[] {
    return [...this.state.orders.values()].map((o) => this.state.serializeOrder(o));
  }

  getOrder(number: number): Record<string, unknown> | undefined {
    const o = this.state.orders.get(number);
    return o ? this.state.serializeOrder(o) : undefined;
  }

  getProduct(number: string): Record<string, unknown> | undefined {
    const p = this.state.products.get(number);
    return p ? this.state.serializeProduct(p) : undefined;
  }

  listCustomers(): Record<string, unknown>[] {
    return [...this.state.customers.values()].map((c) => this.state.serializeCustomer(c));
  }

  listWebhooks(): Record<string, unknown>[] {
    return [...this.state.webhooks.values()].map((w) => this.state.serializeWebhook(w, false));
  }

  /** Fires an event to the registered webhooks as if Rackbeat had (e.g. to test receivers). */
  emitWebhookEvent(event: string, key: string | number, keyName: "number" | "id" = "number"): void {
    this.dispatcher.dispatch({ event, key, key_name: keyName, data: () => ({}) }, this.state.webhooks.values());
  }

  webhookDeliveries(): WebhookDeliveryLog[] {
    return [...this.dispatcher.log];
  }

  /** Resolves when no webhook delivery is in flight, held back or waiting for a retry. */
  webhooksIdle(): Promise<void> {
    return this.dispatcher.idle();
  }

  // ───────────── control: faults, settings, counters ─────────────

  injectFault(rule: FaultRule): number {
    return this.faults.add(rule);
  }

  removeFault(id: number): boolean {
    return this.faults.remove(id);
  }

  /**
   * [sandbox-only] Rackbeat is down for `ms`: every `/api` request is answered 503 with an HTML
   * maintenance page (as a load balancer in front of a stopped API would), before any token check or
   * handler. Webhooks are not affected. Resolves when the sandbox is back.
   */
  outage(ms: number): Promise<void> {
    this.downUntil = Date.now() + ms;
    return sleep(ms);
  }

  /** Whether an `outage` is in progress. */
  get down(): boolean {
    return Date.now() < this.downUntil;
  }

  clearFaults(): void {
    this.faults.clear();
    this.dispatcher.faults = { duplicates: 0, reorderWindowMs: 0 };
  }

  configure(config: SandboxConfig): void {
    if (config.rateLimit !== undefined) {
      this.limiter.settings = config.rateLimit === false ? null : config.rateLimit;
      this.limiter.reset();
    }
    if (config.roundingModel) this.state.options.roundingModel = config.roundingModel;
    if (config.referenceSearch !== undefined) this.state.options.referenceSearch = config.referenceSearch;
    if (config.inventoryChangedOnReservation !== undefined) this.state.options.inventoryChangedOnReservation = config.inventoryChangedOnReservation;
    if (config.webhookBody) this.dispatcher.options.body = config.webhookBody;
    if (config.webhookRetry) this.dispatcher.options.retry = config.webhookRetry;
    if (config.webhookFaults) this.dispatcher.faults = { ...this.dispatcher.faults, ...config.webhookFaults };
    if (config.latencyMs !== undefined) this.latency = config.latencyMs;
  }

  settings(): Record<string, unknown> {
    return {
      rate_limit: this.limiter.settings,
      rounding_model: this.state.options.roundingModel,
      reference_search: this.state.options.referenceSearch,
      inventory_changed_on_reservation: this.state.options.inventoryChangedOnReservation,
      webhook_body: this.dispatcher.options.body,
      webhook_retry: this.dispatcher.options.retry,
      webhook_faults: this.dispatcher.faults,
      latency_ms: this.latency,
      faults: this.faults.active.map((f) => ({ id: f.id, remaining: f.remaining, fired: f.fired, ...f.rule, pathPattern: f.rule.pathPattern?.source })),
    };
  }

  stats(): SandboxStats {
    return {
      ...this.counters,
      byRoute: { ...this.counters.byRoute },
      byStatus: { ...this.counters.byStatus },
      peakInWindow: this.limiter.peakInWindow(),
    };
  }

  resetStats(): void {
    this.counters = RackbeatSandbox.emptyStats();
    this.limiter.reset();
  }

  // ───────────── HTTP ─────────────

  /** @internal used by startRackbeatSandbox */
  async listen(port: number): Promise<void> {
    const app = express();
    app.disable("x-powered-by");
    app.set("etag", false);
    app.use("/_sandbox", express.json({ limit: "20mb" }), controlRoutes(this));
    app.use("/api", (req, res, next) => this.gate(req, res, next), express.json({ limit: "5mb" }), apiRoutes(this.state, this.dispatcher));
    app.use((_req: Request, res: Response) => void res.status(404).json({ message: "Not found." }));
    // Malformed JSON and other parser errors: 400 "invalid request parameters" [doc §3.2, DEV monitoring-security].
    app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
      const status = typeof (error as { status?: unknown }).status === "number" ? (error as { status: number }).status : 500;
      res.status(status >= 400 && status < 500 ? status : 500).json({ message: status === 400 ? "The request body is not valid JSON." : "Server Error" });
    });
    const server = createServer(app);
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
    this.server = server;
    const { port: actual } = server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${actual}/api`;
    this.controlUrl = `http://127.0.0.1:${actual}/_sandbox`;
  }

  /** Counting, latency, auth, rate limit and faults, in that order, before any `/api` route. */
  private gate(req: Request, res: Response, next: NextFunction): void {
    const c = this.counters;
    c.requests++;
    res.on("finish", () => {
      const route = (req as Request & { route?: { path?: string } }).route?.path;
      const key = `${req.method} ${route ?? "(refused)"}`;
      this.counters.byRoute[key] = (this.counters.byRoute[key] ?? 0) + 1;
      this.counters.byStatus[String(res.statusCode)] = (this.counters.byStatus[String(res.statusCode)] ?? 0) + 1;
    });
    void this.gateAsync(req, res, next);
  }

  private async gateAsync(req: Request, res: Response, next: NextFunction): Promise<void> {
    if (this.down) {
      this.counters.refusedWhileDown++;
      res.status(503).type("html").send("<html><body><h1>503 Service Unavailable</h1>Rackbeat is down for maintenance.</body></html>");
      return;
    }
    const latency = this.latency;
    if (latency !== null) {
      const ms = typeof latency === "number" ? latency : latency.min + Math.random() * (latency.max - latency.min);
      if (ms > 0) await sleep(ms);
    }

    // Bearer token [doc §1.3, DEV authentication-1]; 401 body per doc default.
    const header = req.headers.authorization ?? "";
    const match = /^Bearer\s+(.+)$/i.exec(header);
    const token = match?.[1]?.trim();
    if (!token || !this.tokens.includes(token)) {
      res.status(401).json({ message: "Unauthenticated." });
      return;
    }

    // Rate limit per token, X-RateLimit-* on every answer, 429 + Retry-After [doc §3.1 default].
    const decision = this.limiter.hit(token);
    if (Number.isFinite(decision.limit)) {
      res.setHeader("X-RateLimit-Limit", String(decision.limit));
      res.setHeader("X-RateLimit-Remaining", String(decision.remaining));
    }
    if (!decision.allowed) {
      const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
      this.counters.rateLimited++;
      this.counters.sent429++;
      res.setHeader("Retry-After", String(seconds));
      res.setHeader("X-RateLimit-Reset", String(Math.ceil((Date.now() + decision.retryAfterMs) / 1000)));
      res.status(429).json({ message: "Too Many Attempts." });
      return;
    }

    const path = req.originalUrl.slice(req.baseUrl.length).split("?")[0] ?? "/";
    for (const effect of this.faults.take(req.method, path)) {
      if (!(await this.applyFault(effect, req, res))) return;
    }
    next();
  }

  /** Returns false when the fault answered (or swallowed) the request. */
  private async applyFault(effect: FaultEffect, _req: Request, res: Response): Promise<boolean> {
    switch (effect.kind) {
      case "latency":
        await sleep(effect.ms);
        return true;
      case "status":
        res.status(effect.status).json(effect.body ?? { message: effect.status >= 500 ? "Server Error" : "Error" });
        return false;
      case "hang":
        this.counters.hung++;
        return false; // never answered; the socket closes when the client gives up or the sandbox closes
      case "rate-limit":
        this.counters.injected429++;
        this.counters.sent429++;
        res.setHeader("Retry-After", String(effect.retryAfterSeconds));
        res.status(429).json({ message: "Too Many Attempts." });
        return false;
      case "lose-response": {
        // The handler runs and its change is applied; only the answer is lost.
        const lose = () => {
          this.counters.lostResponses++;
          if (effect.mode === "destroy") res.socket?.destroy();
          else {
            res.json = original;
            res.status(effect.status ?? 500).json({ message: "Server Error" });
          }
          return res;
        };
        const original = res.json.bind(res);
        res.json = lose;
        return true;
      }
      case "slow-response": {
        // The handler runs and its change is applied; the answer leaves `ms` later.
        const original = res.json.bind(res);
        res.json = (body: unknown) => {
          setTimeout(() => {
            if (!res.socket?.destroyed) original(body);
          }, effect.ms);
          return res;
        };
        return true;
      }
    }
  }

  async close(): Promise<void> {
    this.dispatcher.close();
    const server = this.server;
    this.server = null;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Starts a sandbox on 127.0.0.1 (port 0 = any free port). Close it with `close()`. */
export async function startRackbeatSandbox(options: RackbeatSandboxOptions = {}): Promise<RackbeatSandbox> {
  const sandbox = new RackbeatSandbox(options);
  await sandbox.listen(options.port ?? 0);
  return sandbox;
}
