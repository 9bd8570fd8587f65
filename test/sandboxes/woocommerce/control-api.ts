/**
 * The sandbox's control API over HTTP, under /_sandbox/ (no auth; loopback only). It mirrors the
 * in-process methods of WooSandbox so the demo and out-of-process tools can drive the shop.
 *
 *   POST   /_sandbox/keys                 {permissions?, description?}  → {consumer_key, consumer_secret, key_id}
 *   POST   /_sandbox/fixture              {config?}                      load the recorded shop
 *   PATCH  /_sandbox/settings             {…ShopSettings}
 *   POST   /_sandbox/products             SeedProduct                    → product JSON
 *   POST   /_sandbox/coupons | /customers
 *   PUT    /_sandbox/tax-rates | /tax-classes | /shipping-zones
 *   POST   /_sandbox/checkout             CheckoutInput                  → order JSON
 *   POST   /_sandbox/orders/{id}/status   {status}
 *   PUT    /_sandbox/stock/{id}           {stock_quantity}
 *   POST   /_sandbox/faults               FaultSpec (path as a string)   → {id};  DELETE /_sandbox/faults
 *   GET    /_sandbox/writes               → {counts, log};                DELETE /_sandbox/writes
 *   GET    /_sandbox/requests;            DELETE /_sandbox/requests
 *   POST   /_sandbox/clock                {advance_ms}
 */
import { z } from "zod";
import type { WooSandbox } from "./index.js";
import { RestError } from "./rest-error.js";

const address = z.record(z.string(), z.string()).optional();
const checkoutSchema = z.object({
  via: z.enum(["rest-api", "store-api"]),
  lines: z.array(z.object({ sku: z.string().optional(), productId: z.number().int().optional(), variationId: z.number().int().optional(), quantity: z.number().int().positive() })).min(1),
  coupons: z.array(z.string()).optional(),
  fees: z.array(z.object({ name: z.string(), total: z.string(), taxable: z.boolean(), taxClass: z.string().optional() })).optional(),
  billing: address,
  shipping: address,
  shippingMethod: z.union([z.literal("zone"), z.null(), z.object({ instanceId: z.number().int() }), z.object({ methodId: z.string(), title: z.string(), total: z.string(), instanceId: z.number().int().optional() })]).optional(),
  customerId: z.number().int().optional(),
  paymentMethod: z.string().optional(),
  paymentMethodTitle: z.string().optional(),
  customerNote: z.string().optional(),
  metaData: z.array(z.object({ key: z.string(), value: z.unknown() })).optional(),
  additionalFields: z.record(z.string(), z.string()).optional(),
  status: z.string().optional(),
  setPaid: z.boolean().optional(),
  thenStatus: z.array(z.string()).optional(),
});

const faultSchema = z.object({
  kind: z.enum(["latency", "status", "timeout", "reset"]),
  ms: z.number().nonnegative().optional(),
  status: z.number().int().optional(),
  retryAfter: z.string().optional(),
  body: z.unknown().optional(),
  times: z.number().positive().optional(),
  method: z.string().optional(),
  path: z.string().optional(),
});

export async function handleControl(sandbox: WooSandbox, method: string, path: string, rawBody: Buffer): Promise<{ status: number; body: unknown }> {
  let body: Record<string, unknown> = {};
  if (rawBody.length) {
    try {
      body = JSON.parse(rawBody.toString("utf8")) as Record<string, unknown>;
    } catch {
      return { status: 400, body: { error: "invalid JSON" } };
    }
  }
  try {
    const m = method.toUpperCase();
    let match: RegExpExecArray | null;
    if (m === "GET" && path === "/health") return ok({ ok: true, url: sandbox.url });
    if (m === "POST" && path === "/keys") {
      const key = sandbox.createKey({
        permissions: (body.permissions as "read" | "write" | "read_write" | undefined) ?? "read_write",
        description: typeof body.description === "string" ? body.description : "Rackbeat Connector",
      });
      return ok({ key_id: key.keyId, consumer_key: key.consumerKey, consumer_secret: key.consumerSecret, permissions: key.permissions });
    }
    if (m === "POST" && path === "/fixture") {
      sandbox.loadFixtureShop((body.config as Parameters<WooSandbox["loadFixtureShop"]>[0]) ?? "c1-dkk-excl-lineround");
      return ok({ ok: true });
    }
    if ((m === "PATCH" || m === "PUT") && path === "/settings") {
      sandbox.configure(body);
      return ok(sandbox.shop.settings);
    }
    if (m === "POST" && path === "/products") return ok(sandbox.seedProduct(body as never), 201);
    if (m === "POST" && path === "/coupons") return ok(sandbox.addCoupon(body as never), 201);
    if (m === "POST" && path === "/customers") return ok(sandbox.addCustomer(body as never), 201);
    if (m === "PUT" && path === "/tax-rates") {
      sandbox.setTaxRates(body.rates as never);
      return ok(sandbox.shop.taxRates);
    }
    if (m === "PUT" && path === "/tax-classes") {
      sandbox.setTaxClasses(body.classes as never);
      return ok(sandbox.shop.taxClasses);
    }
    if (m === "PUT" && path === "/shipping-zones") {
      sandbox.setShippingZones(body.zones as never);
      return ok(sandbox.shop.shippingZones);
    }
    if (m === "POST" && path === "/checkout") {
      const input = checkoutSchema.parse(body);
      return ok(sandbox.placeOrder(input as never), 201);
    }
    if (m === "POST" && (match = /^\/orders\/(\d+)\/status$/.exec(path))) {
      return ok(sandbox.setOrderStatus(Number(match[1]), String(body.status) as never));
    }
    if (m === "PUT" && (match = /^\/stock\/(\d+)$/.exec(path))) {
      const qty = body.stock_quantity;
      sandbox.setStock(Number(match[1]), qty === null ? null : Number(qty));
      return ok(sandbox.getProduct(Number(match[1])));
    }
    if (m === "POST" && path === "/faults") {
      const spec = faultSchema.parse(body);
      return ok({ id: sandbox.injectFault(spec as never) }, 201);
    }
    if (m === "DELETE" && path === "/faults") {
      sandbox.clearFaults();
      return ok({ ok: true });
    }
    if (m === "GET" && path === "/writes") {
      return ok({ counts: Object.fromEntries(sandbox.shop.writeCounts), log: sandbox.writeLog() });
    }
    if (m === "DELETE" && path === "/writes") {
      sandbox.resetWriteCounts();
      return ok({ ok: true });
    }
    if (m === "GET" && path === "/requests") return ok(sandbox.requests());
    if (m === "DELETE" && path === "/requests") {
      sandbox.clearRequests();
      return ok({ ok: true });
    }
    if (m === "POST" && path === "/clock") {
      sandbox.advanceClock(Number(body.advance_ms ?? 0));
      return ok({ now: sandbox.shop.clock() });
    }
    return { status: 404, body: { error: `no control route ${m} ${path}` } };
  } catch (error) {
    if (error instanceof RestError) return { status: error.status, body: error.body() };
    if (error instanceof z.ZodError) return { status: 400, body: { error: "invalid input", issues: error.issues } };
    return { status: 400, body: { error: error instanceof Error ? error.message : String(error) } };
  }
}

function ok(body: unknown, status = 200): { status: number; body: unknown } {
  return { status, body };
}
