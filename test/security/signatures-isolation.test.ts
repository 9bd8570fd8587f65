/**
 * Signatures (protocol.md §2), the Rackbeat webhook token, replays, and isolation between two paired
 * shops over the bridge's real route table (so a route added later is covered without editing this
 * file).
 *
 * Replays: protocol.md accepts a signed request again within ±300 s. The bridge keeps no replay
 * cache; instead every signed write is idempotent or converges (SECURITY.md, "Replayed requests"),
 * which the "replay" tests below prove route by route.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { features } from "../../bridge/src/features.js";
import { type TestBridge, startTestBridge } from "../helpers/bridge.js";
import { PUBLIC_ROUTES, errorShapeProblem, rawRequest, routeTable, shopRows, signed, snapshotStore } from "./security-kit.js";

let bridge: TestBridge;
let shopA: { shopId: string; shopSecret: string };
let shopB: { shopId: string; shopSecret: string };
const WEBHOOK_TOKEN = "rb-webhook-token-0123456789abcdef";
/** Ids of shop A's records: activity record, job, preflight. */
const ids: { record: string; job: string; preflight: string } = { record: "", job: "", preflight: "" };

const eventsBody = () =>
  JSON.stringify({ events: [{ event_id: randomUUID(), seq: 3, topic: "order.created", resource_id: 42, occurred_at: "2026-11-25T12:00:00Z" }] });

beforeAll(async () => {
  bridge = await startTestBridge({
    runWorkers: false,
    features,
    env: { RACKBEAT_BASE_URL: "http://127.0.0.1:9/api", RACKBEAT_TIMEOUT_MS: "500", WOOCOMMERCE_TIMEOUT_MS: "500" },
  });
  shopA = await bridge.pairShop({ name: "Isolation shop A", url: "http://127.0.0.1:9/shop-a" });
  shopB = await bridge.pairShop({ name: "Isolation shop B", url: "http://127.0.0.1:9/shop-b" });
  const path = `/v1/shops/${shopA.shopId}/events`;
  const body = eventsBody();
  expect((await rawRequest(bridge.url, "POST", path, { ...signed(shopA.shopId, shopA.shopSecret, "POST", path, body), "content-type": "application/json" }, body)).status).toBe(202);
  const job = await bridge.ctx.store.db.selectFrom("jobs").select(["id", "record_id"]).where("shop_id", "=", shopA.shopId).executeTakeFirstOrThrow();
  ids.job = String(job.id);
  ids.record = String(job.record_id);
  // Park it, so "retry" would act on it if the shop check were missing.
  await bridge.ctx.store.db.updateTable("jobs").set({ state: "parked", last_error: "test" }).where("id", "=", job.id).execute();
  const preflightPath = `/v1/shops/${shopA.shopId}/initial-sync/preflight`;
  const preflight = await rawRequest(bridge.url, "POST", preflightPath, signed(shopA.shopId, shopA.shopSecret, "POST", preflightPath, ""));
  expect(preflight.status).toBe(202);
  ids.preflight = String((preflight.json as { id: string }).id);
  await bridge.ctx.account.set("rackbeat.webhooks", {
    url: "https://bridge.example/v1/rackbeat/webhooks",
    hooks: { "inventory.changed": { id: 1, token: bridge.ctx.store.secrets.seal(WEBHOOK_TOKEN) } },
    registered_at: Date.now(),
  });
});
afterAll(async () => bridge?.close());

describe("signatures (protocol.md §2)", () => {
  const path = () => `/v1/shops/${shopA.shopId}/events`;
  const send = (headers: Record<string, string>, body: string, target = path(), method = "POST") =>
    rawRequest(bridge.url, method, target, { ...headers, "content-type": "application/json" }, body);

  async function expectRefused(promise: Promise<Awaited<ReturnType<typeof send>>>, status: number, reason: RegExp) {
    const before = await snapshotStore(bridge.ctx);
    const response = await promise;
    expect(response.status, response.text).toBe(status);
    expect(errorShapeProblem(response)).toBeUndefined();
    expect((response.json as { message: string }).message).toMatch(reason);
    expect(await snapshotStore(bridge.ctx)).toEqual(before);
  }

  it("a correct signature is accepted (control)", async () => {
    const body = eventsBody();
    expect((await send(signed(shopA.shopId, shopA.shopSecret, "POST", path(), body), body)).status).toBe(202);
  });

  it("wrong secret → 401", async () => {
    const body = eventsBody();
    await expectRefused(send(signed(shopA.shopId, "a-wrong-secret-of-the-right-length-000", "POST", path(), body), body), 401, /does not match/);
  });

  it("another shop's secret under this shop's id → 401; another shop signing as itself → 403", async () => {
    const body = eventsBody();
    await expectRefused(send(signed(shopA.shopId, shopB.shopSecret, "POST", path(), body), body), 401, /does not match/);
    await expectRefused(send(signed(shopB.shopId, shopB.shopSecret, "POST", path(), body), body), 403, /only opens that shop/);
  });

  it("stale and future timestamps (more than 300 s away) → 401", async () => {
    const body = eventsBody();
    await expectRefused(send(signed(shopA.shopId, shopA.shopSecret, "POST", path(), body, Date.now() - 301_000), body), 401, /away from the bridge's clock/);
    await expectRefused(send(signed(shopA.shopId, shopA.shopSecret, "POST", path(), body, Date.now() + 301_000), body), 401, /away from the bridge's clock/);
  });

  it("body, path, query or method altered after signing → 401", async () => {
    const body = eventsBody();
    const headers = signed(shopA.shopId, shopA.shopSecret, "POST", path(), body);
    await expectRefused(send(headers, body.replace('"resource_id":42', '"resource_id":43')), 401, /does not match/);
    await expectRefused(send(headers, `${body} `), 401, /does not match/);
    await expectRefused(send(headers, body, `${path()}?x=1`), 401, /does not match/);
    const settingsPath = `/v1/shops/${shopA.shopId}/settings`;
    const put = JSON.stringify({ stock: { buffer: 5 } });
    const putHeaders = signed(shopA.shopId, shopA.shopSecret, "PUT", settingsPath, put);
    await expectRefused(send(putHeaders, put, settingsPath, "POST"), 401, /does not match|No route/);
    await expectRefused(send(putHeaders, put, `/v1/shops/${shopA.shopId}/settings/`, "PUT"), 401, /does not match/);
  });

  it("missing or malformed headers, unknown shop → 401 with the reason", async () => {
    const body = eventsBody();
    const good = signed(shopA.shopId, shopA.shopSecret, "POST", path(), body);
    await expectRefused(send({}, body), 401, /X-RBC-Shop is missing/);
    await expectRefused(send({ ...good, "x-rbc-signature": good["x-rbc-signature"].toUpperCase() }, body), 401, /v1=<64 hex digits>/);
    await expectRefused(send({ ...good, "x-rbc-timestamp": `${good["x-rbc-timestamp"]}.5` }, body), 401, /unix seconds/);
    await expectRefused(send({ ...good, "x-rbc-shop": "shop_unknown" }, body), 401, /not paired/);
  });

  it("a disconnected shop's secret no longer opens anything", async () => {
    const c = await bridge.pairShop({ name: "Short-lived shop" });
    const del = `/v1/shops/${c.shopId}`;
    expect((await rawRequest(bridge.url, "DELETE", del, signed(c.shopId, c.shopSecret, "DELETE", del, ""))).status).toBe(200);
    const status = `/v1/shops/${c.shopId}/status`;
    expect((await rawRequest(bridge.url, "GET", status, signed(c.shopId, c.shopSecret, "GET", status, ""))).status).toBe(401);
  });
});

describe("replayed requests (same signature sent again within ±300 s)", () => {
  it("a replayed event batch stores nothing new: its events come back as duplicates", async () => {
    const path = `/v1/shops/${shopA.shopId}/events`;
    const body = eventsBody();
    const headers = { ...signed(shopA.shopId, shopA.shopSecret, "POST", path, body), "content-type": "application/json" };
    const first = await rawRequest(bridge.url, "POST", path, headers, body);
    expect(first.status).toBe(202);
    const before = await snapshotStore(bridge.ctx);
    const replay = await rawRequest(bridge.url, "POST", path, headers, body);
    expect(replay.status).toBe(202);
    expect((replay.json as { accepted: string[]; duplicates: string[] }).accepted).toEqual([]);
    expect((replay.json as { duplicates: string[] }).duplicates).toHaveLength(1);
    expect(await snapshotStore(bridge.ctx)).toEqual(before);
  });

  it("a replayed settings write converges to the same settings", async () => {
    const path = `/v1/shops/${shopA.shopId}/settings`;
    const body = JSON.stringify({ stock: { buffer: 3 } });
    const headers = { ...signed(shopA.shopId, shopA.shopSecret, "PUT", path, body), "content-type": "application/json" };
    expect((await rawRequest(bridge.url, "PUT", path, headers, body)).status).toBe(200);
    const before = await snapshotStore(bridge.ctx);
    expect((await rawRequest(bridge.url, "PUT", path, headers, body)).status).toBe(200);
    const after = await snapshotStore(bridge.ctx);
    const settingsOf = (s: typeof before) => (s.shops as { id: string; settings: string }[]).find((r) => r.id === shopA.shopId)?.settings;
    expect(settingsOf(after)).toBe(settingsOf(before));
  });

  it("a replayed job retry does not run the job twice (second answer 409, no new job)", async () => {
    const extra = await bridge.ctx.queue.enqueue({ kind: "test:noop", idempotencyKey: `replay-${randomUUID()}`, payload: {}, shopId: shopA.shopId });
    await bridge.ctx.store.db.updateTable("jobs").set({ state: "parked" }).where("id", "=", extra.job.id).execute();
    const path = `/v1/shops/${shopA.shopId}/jobs/${extra.job.id}/retry`;
    const headers = signed(shopA.shopId, shopA.shopSecret, "POST", path, "");
    expect((await rawRequest(bridge.url, "POST", path, headers)).status).toBe(200);
    const before = await snapshotStore(bridge.ctx);
    const replay = await rawRequest(bridge.url, "POST", path, headers);
    expect(replay.status).toBe(409);
    expect(await snapshotStore(bridge.ctx)).toEqual(before);
  });

  it("the same signature after the window (a captured request replayed later) is refused", async () => {
    const path = `/v1/shops/${shopA.shopId}/settings`;
    const body = JSON.stringify({ stock: { buffer: 1 } });
    const old = signed(shopA.shopId, shopA.shopSecret, "PUT", path, body, Date.now() - 301_000);
    const r = await rawRequest(bridge.url, "PUT", path, { ...old, "content-type": "application/json" }, body);
    expect(r.status).toBe(401);
  });
});

describe("Rackbeat webhooks (Rackbeat-Webhook-Token)", () => {
  const deliver = (token: string | undefined, event = "inventory.changed", body = { key: "SKU-1", key_name: "number" }) =>
    rawRequest(
      bridge.url,
      "POST",
      "/v1/rackbeat/webhooks",
      { "content-type": "application/json", "rackbeat-webhook-event": event, ...(token === undefined ? {} : { "rackbeat-webhook-token": token }) },
      JSON.stringify(body),
    );

  it("a wrong, missing or other-event token is refused with 401 and stores nothing", async () => {
    for (const [token, event] of [
      ["wrong", "inventory.changed"],
      [undefined, "inventory.changed"],
      [`${WEBHOOK_TOKEN}x`, "inventory.changed"],
      [WEBHOOK_TOKEN.slice(0, -1), "inventory.changed"],
      [WEBHOOK_TOKEN, "product.updated"],
      [shopA.shopSecret, "inventory.changed"],
    ] as const) {
      const before = await snapshotStore(bridge.ctx);
      const r = await deliver(token, event);
      expect(r.status, `${token} ${event}`).toBe(401);
      expect(errorShapeProblem(r)).toBeUndefined();
      expect(await snapshotStore(bridge.ctx)).toEqual(before);
    }
  });

  it("the registered token is accepted (control)", async () => {
    const r = await deliver(WEBHOOK_TOKEN);
    expect(r.status).toBe(202);
  });
});

describe("isolation: shop B's signature never reaches shop A's records (every route of the route table)", () => {
  const shopScoped = () => routeTable(bridge.server).filter((r) => r.path.includes(":shop"));

  it("every /v1/shops/:shop/… route refuses shop B's signature on shop A's path with 403 and changes nothing of A", async () => {
    const routes = shopScoped();
    expect(routes.length).toBeGreaterThan(15);
    for (const route of routes) {
      for (const param of [ids.record, ids.job, `${ids.preflight}`, `${ids.preflight}.csv`, "1"]) {
        const path = route.path.replace(":shop", shopA.shopId).replace(/:[a-z]+/g, param);
        const body = route.method === "GET" || route.method === "DELETE" ? "" : "{}";
        const before = await shopRows(bridge.ctx, shopA.shopId);
        const r = await rawRequest(bridge.url, route.method, path, { ...signed(shopB.shopId, shopB.shopSecret, route.method, path, body), ...(body ? { "content-type": "application/json" } : {}) }, body || undefined);
        expect(r.status, `${route.method} ${path}: ${r.text}`).toBe(403);
        expect(errorShapeProblem(r)).toBeUndefined();
        expect(await shopRows(bridge.ctx, shopA.shopId), `${route.method} ${path} changed shop A`).toEqual(before);
      }
    }
  });

  it("on its own path, shop B cannot reach shop A's records by id (activity, jobs, preflights)", async () => {
    for (const route of shopScoped().filter((r) => /:(record|id)\b/.test(r.path))) {
      for (const param of [ids.record, ids.job, ids.preflight, `${ids.preflight}.csv`]) {
        const path = route.path.replace(":shop", shopB.shopId).replace(/:[a-z]+/g, param);
        const body = route.method === "GET" ? "" : "{}";
        const before = await shopRows(bridge.ctx, shopA.shopId);
        const r = await rawRequest(bridge.url, route.method, path, { ...signed(shopB.shopId, shopB.shopSecret, route.method, path, body), ...(body ? { "content-type": "application/json" } : {}) }, body || undefined);
        expect(r.status, `${route.method} ${path}: ${r.text}`).toBeLessThan(500);
        expect(await shopRows(bridge.ctx, shopA.shopId), `${route.method} ${path} changed shop A`).toEqual(before);
        // A 2xx here may only be about B's own resources (e.g. "send B's order with that number").
        expect(r.text).not.toContain(shopA.shopId);
        // Routes keyed by the id of a stored record: A's id is "not found" (or not an id at all) for B.
        if (/activity|retry|preflight/.test(route.path)) expect([400, 404], `${route.method} ${path}`).toContain(r.status);
      }
    }
  });

  it("account-level views carry no personal data and no secrets", async () => {
    const accountGets = routeTable(bridge.server).filter((r) => r.method === "GET" && r.path.startsWith("/v1/account") && !r.path.includes(":"));
    expect(accountGets.map((r) => r.path)).toContain("/v1/account/shops");
    for (const route of accountGets) {
      const r = await rawRequest(bridge.url, "GET", route.path, signed(shopB.shopId, shopB.shopSecret, "GET", route.path, ""));
      if (r.status >= 400) continue; // e.g. a query parameter is required
      for (const secret of [shopA.shopSecret, shopB.shopSecret, "a".repeat(40), "b".repeat(40), WEBHOOK_TOKEN]) expect(r.text).not.toContain(secret);
      expect(r.text, route.path).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/); // e-mail addresses
      expect(r.text, route.path).not.toMatch(/"(email|phone|address_1|address_2|first_name|last_name|billing|shipping|customer)"/);
    }
    const shops = await rawRequest(bridge.url, "GET", "/v1/account/shops", signed(shopB.shopId, shopB.shopSecret, "GET", "/v1/account/shops", ""));
    expect(shops.status).toBe(200);
    for (const shop of (shops.json as { shops: Record<string, unknown>[] }).shops) {
      expect(Object.keys(shop).sort()).toEqual(["connected", "id", "last_contact_at", "name", "paired_at", "product_master", "role", "stock", "url"]);
    }
  });

  it("public routes are exactly the known ones", () => {
    const open = routeTable(bridge.server).filter((r) => !r.path.startsWith("/v1/shops/") && !r.path.startsWith("/v1/account"));
    expect(open.map((r) => `${r.method} ${r.path}`).sort()).toEqual([...PUBLIC_ROUTES].sort());
  });
});
