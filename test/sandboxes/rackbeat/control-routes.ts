/**
 * [sandbox-only] The control API under `/_sandbox`, mirroring RackbeatSandbox's in-process
 * methods for demos and cross-process tests. No token: the server listens on 127.0.0.1 only, and
 * these routes additionally refuse callers that are not on the loopback interface.
 *
 *   GET    /_sandbox                       settings, tokens, account id, base URL
 *   GET    /_sandbox/stats                 counters (requests per route, 429s sent, …)
 *   POST   /_sandbox/stats/reset
 *   POST   /_sandbox/config                {rate_limit: {limit, window_ms} | false, rounding_model,
 *                                           reference_search, webhook_body, latency_ms,
 *                                           webhook_retry: {base_ms, max_attempts},
 *                                           webhook_faults: {duplicates, reorder_window_ms},
 *                                           inventory_changed_on_reservation}
 *   POST   /_sandbox/seed                  {product_groups?, locations?, products?, customers?}
 *   POST   /_sandbox/stock                 {number, quantity, location?, suppress_webhooks?}
 *   POST   /_sandbox/orders/:number/ship   ship what is left on a booked order
 *   GET    /_sandbox/orders                orders as the API shows them
 *   GET    /_sandbox/products/:number
 *   POST   /_sandbox/faults                {kind, method?, path?, times? (number | "always"), ms?,
 *                                           status?, retry_after_seconds?, mode?}  → {id}
 *   DELETE /_sandbox/faults                clear all faults (incl. webhook faults)
 *   DELETE /_sandbox/faults/:id
 *   GET    /_sandbox/webhook-deliveries
 *   POST   /_sandbox/webhooks/emit         {event, key, key_name?}
 *   POST   /_sandbox/webhooks/idle         waits until no delivery is pending
 */
import express, { type NextFunction, type Request, type Response, type Router } from "express";
import { z } from "zod";
import type { RackbeatSandbox, SeedCustomer, SeedLocation, SeedProduct, SeedProductGroup } from "./index.js";
import { SandboxNotFoundError, SandboxValidationError } from "./sandbox-errors.js";
import type { FaultRule } from "./sandbox-faults.js";

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

const configSchema = z.object({
  rate_limit: z.union([z.literal(false), z.object({ limit: z.number().int().positive(), window_ms: z.number().positive() })]).optional(),
  rounding_model: z.enum(["line", "total"]).optional(),
  reference_search: z.boolean().optional(),
  webhook_body: z.enum(["minimal", "full"]).optional(),
  latency_ms: z.union([z.number().nonnegative(), z.object({ min: z.number().nonnegative(), max: z.number().nonnegative() }), z.null()]).optional(),
  webhook_retry: z.object({ base_ms: z.number().nonnegative(), max_attempts: z.number().int().positive() }).optional(),
  webhook_faults: z.object({ duplicates: z.number().int().nonnegative().optional(), reorder_window_ms: z.number().nonnegative().optional() }).optional(),
  inventory_changed_on_reservation: z.boolean().optional(),
});

const faultSchema = z.object({
  kind: z.enum(["latency", "status", "hang", "rate-limit", "lose-response"]),
  method: z.string().optional(),
  path: z.string().optional(),
  times: z.union([z.number().int().positive(), z.literal("always")]).optional(),
  ms: z.number().nonnegative().optional(),
  status: z.number().int().min(100).max(599).optional(),
  retry_after_seconds: z.number().nonnegative().optional(),
  mode: z.enum(["destroy", "status"]).optional(),
});

const seedSchema = z.object({
  product_groups: z.array(z.looseObject({ name: z.string() })).optional(),
  locations: z.array(z.looseObject({ name: z.string() })).optional(),
  products: z.array(z.looseObject({ number: z.string() })).optional(),
  customers: z.array(z.looseObject({ name: z.string() })).optional(),
});

const stockSchema = z.object({
  number: z.string(),
  quantity: z.number(),
  location: z.number().int().optional(),
  suppress_webhooks: z.boolean().optional(),
});

const emitSchema = z.object({ event: z.string(), key: z.union([z.string(), z.number()]), key_name: z.enum(["number", "id"]).optional() });

type Handler = (req: Request, res: Response) => void | Promise<void>;

function handle(fn: Handler): Handler {
  return async (req, res) => {
    try {
      await fn(req, res);
    } catch (error) {
      if (error instanceof z.ZodError) res.status(400).json({ message: "Invalid control request.", issues: error.issues });
      else if (error instanceof SandboxValidationError) res.status(422).json({ message: error.message, errors: error.errors });
      else if (error instanceof SandboxNotFoundError) res.status(404).json({ message: "Not found." });
      else res.status(500).json({ message: error instanceof Error ? error.message : String(error) });
    }
  };
}

function toFaultRule(input: z.infer<typeof faultSchema>): FaultRule {
  const common = { method: input.method, path: input.path, times: input.times === "always" ? Number.POSITIVE_INFINITY : input.times };
  switch (input.kind) {
    case "latency":
      return { ...common, kind: "latency", ms: input.ms ?? 1000 };
    case "status":
      return { ...common, kind: "status", status: input.status ?? 500 };
    case "hang":
      return { ...common, kind: "hang" };
    case "rate-limit":
      return { ...common, kind: "rate-limit", retryAfterSeconds: input.retry_after_seconds ?? 1 };
    case "lose-response":
      return { ...common, kind: "lose-response", mode: input.mode ?? "destroy", status: input.status };
  }
}

export function controlRoutes(sandbox: RackbeatSandbox): Router {
  const r = express.Router();
  r.use((req: Request, res: Response, next: NextFunction) => {
    if (!LOOPBACK.has(req.socket.remoteAddress ?? "")) {
      res.status(403).json({ message: "The sandbox control API answers loopback callers only." });
      return;
    }
    next();
  });

  r.get("/", handle((_req, res) => {
    res.json({ base_url: sandbox.baseUrl, tokens: sandbox.tokens, account_id: sandbox.accountId, settings: sandbox.settings() });
  }));
  r.get("/stats", handle((_req, res) => void res.json(sandbox.stats())));
  r.post("/stats/reset", handle((_req, res) => {
    sandbox.resetStats();
    res.json({ ok: true });
  }));
  r.post("/config", handle((req, res) => {
    const c = configSchema.parse(req.body ?? {});
    sandbox.configure({
      rateLimit: c.rate_limit === undefined ? undefined : c.rate_limit === false ? false : { limit: c.rate_limit.limit, windowMs: c.rate_limit.window_ms },
      roundingModel: c.rounding_model,
      referenceSearch: c.reference_search,
      webhookBody: c.webhook_body,
      latencyMs: c.latency_ms,
      webhookRetry: c.webhook_retry ? { baseMs: c.webhook_retry.base_ms, maxAttempts: c.webhook_retry.max_attempts } : undefined,
      webhookFaults: c.webhook_faults
        ? {
            ...(c.webhook_faults.duplicates !== undefined ? { duplicates: c.webhook_faults.duplicates } : {}),
            ...(c.webhook_faults.reorder_window_ms !== undefined ? { reorderWindowMs: c.webhook_faults.reorder_window_ms } : {}),
          }
        : undefined,
      inventoryChangedOnReservation: c.inventory_changed_on_reservation,
    });
    res.json(sandbox.settings());
  }));
  r.post("/seed", handle((req, res) => {
    const s = seedSchema.parse(req.body ?? {});
    if (s.product_groups) sandbox.seedProductGroups(s.product_groups as unknown as SeedProductGroup[]);
    if (s.locations) sandbox.seedLocations(s.locations as unknown as SeedLocation[]);
    if (s.products) sandbox.seedProducts(s.products as unknown as SeedProduct[]);
    const customers = s.customers ? sandbox.seedCustomers(s.customers as SeedCustomer[]) : [];
    res.status(201).json({ customers });
  }));
  r.post("/stock", handle((req, res) => {
    const s = stockSchema.parse(req.body ?? {});
    sandbox.setStock(s.number, s.quantity, { location: s.location, suppressWebhooks: s.suppress_webhooks });
    res.json({ product: sandbox.getProduct(s.number) });
  }));
  r.post("/orders/:number/ship", handle((req, res) => {
    res.json({ order_shipment: sandbox.shipOrder(Number(req.params.number)) });
  }));
  r.get("/orders", handle((_req, res) => void res.json({ orders: sandbox.listOrders() })));
  r.get("/products/:number", handle((req, res) => {
    const p = sandbox.getProduct(String(req.params.number));
    if (!p) throw new SandboxNotFoundError();
    res.json({ product: p });
  }));
  r.post("/faults", handle((req, res) => {
    res.status(201).json({ id: sandbox.injectFault(toFaultRule(faultSchema.parse(req.body ?? {}))) });
  }));
  r.delete("/faults", handle((_req, res) => {
    sandbox.clearFaults();
    res.json({ ok: true });
  }));
  r.delete("/faults/:id", handle((req, res) => {
    res.status(sandbox.removeFault(Number(req.params.id)) ? 200 : 404).json({});
  }));
  r.get("/webhook-deliveries", handle((_req, res) => void res.json({ deliveries: sandbox.webhookDeliveries() })));
  r.post("/webhooks/emit", handle((req, res) => {
    const e = emitSchema.parse(req.body ?? {});
    sandbox.emitWebhookEvent(e.event, e.key, e.key_name);
    res.status(202).json({ ok: true });
  }));
  r.post("/webhooks/idle", handle(async (_req, res) => {
    await sandbox.webhooksIdle();
    res.json({ ok: true });
  }));
  return r;
}
