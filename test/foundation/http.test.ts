import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedHeaders } from "../../bridge/src/http/signing.js";
import { type TestBridge, startTestBridge } from "../helpers/bridge.js";
import { defaultStoreKind } from "../postgres/test-databases.js";

let bridge: TestBridge;
let shopA: { shopId: string; shopSecret: string };
let shopB: { shopId: string; shopSecret: string };

// The HTTP foundation on this run's engine (one per vitest project), each bridge on a fresh store.
describe.each([defaultStoreKind])("bridge HTTP on $name", (kind) => {
  beforeAll(async () => {
    // Workers off: these tests look at what is stored, not at what runs.
    bridge = await startTestBridge({ runWorkers: false, store: kind });
    shopA = await bridge.pairShop({ name: "Shop A" });
    shopB = await bridge.pairShop({ name: "Shop B" });
  });
  afterAll(async () => bridge.close());

  const event = (overrides: Record<string, unknown> = {}) => ({
    event_id: randomUUID(),
    seq: 1,
    topic: "order.created",
    resource_id: 1042,
    occurred_at: "2026-11-25T12:00:00Z",
    ...overrides,
  });

  describe("health and metrics", () => {
    it("GET /healthz reports process, store and queue", async () => {
      const response = await fetch(`${bridge.url}/healthz`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as Record<string, any>;
      expect(body.status).toBe("ok");
      expect(body.store).toEqual({ ok: true, engine: kind.name });
      expect(body.queue).toMatchObject({ depth: expect.any(Number), oldest_waiting_age_s: null });
      expect(body.process.pid).toBe(process.pid);
    });

    it("GET /metrics answers Prometheus text with job, queue and HTTP series", async () => {
      const response = await fetch(`${bridge.url}/metrics`);
      expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
      const text = await response.text();
      for (const name of ["rbc_jobs_finished_total", "rbc_upstream_http_requests_total", "rbc_queue_depth", "rbc_http_requests_total"]) {
        expect(text).toContain(`# TYPE ${name}`);
      }
    });

    it("unknown routes answer 404 in JSON", async () => {
      const response = await fetch(`${bridge.url}/nope`);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: "not_found", message: "No route GET /nope." });
    });

    it("malformed JSON gets 400 with the reason and no stack trace", async () => {
      const response = await fetch(`${bridge.url}/v1/pair`, { method: "POST", headers: { "content-type": "application/json" }, body: "{oops" });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: string; message: string };
      expect(body.error).toBe("malformed_json");
      expect(body.message).toMatch(/not valid JSON/);
      expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+/);
    });

    it("an oversized body gets 413", async () => {
      const response = await fetch(`${bridge.url}/v1/pair`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ pad: "x".repeat(1_100_000) }),
      });
      expect(response.status).toBe(413);
    });
  });

  describe("pairing (protocol.md §1)", () => {
    it("refuses a wrong code with 401 and throttles an address after 10 failures", async () => {
      const fresh = await startTestBridge({ runWorkers: false, store: kind });
      try {
        const attempt = () =>
          fetch(`${fresh.url}/v1/pair`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({
              code: "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE",
              shop_url: "http://shop.test",
              shop_name: "x",
              wc_consumer_key: `ck_${"a".repeat(40)}`,
              wc_consumer_secret: `cs_${"b".repeat(40)}`,
              protocol_version: 1,
            }),
          });
        for (let i = 0; i < 10; i += 1) expect((await attempt()).status).toBe(401);
        const throttled = await attempt();
        expect(throttled.status).toBe(429);
        expect(throttled.headers.get("retry-after")).toBe("600");
      } finally {
        await fresh.close();
      }
    });

    it("uses a code once, answers 409 on a protocol mismatch and 422 when the WooCommerce keys fail", async () => {
      const fresh = await startTestBridge({
        runWorkers: false,
        store: kind,
        checkWooKeys: async ({ consumerKey }) =>
          consumerKey.endsWith("f".repeat(40))
            ? { ok: false, status: 401, error: { code: "woocommerce_rest_authentication_error", message: "Invalid signature" } }
            : { ok: true },
      });
      try {
        const pair = (code: string, overrides: Record<string, unknown> = {}) =>
          fetch(`${fresh.url}/v1/pair`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({
              code,
              shop_url: "http://shop.test/",
              shop_name: "Shop",
              wc_consumer_key: `ck_${"a".repeat(40)}`,
              wc_consumer_secret: `cs_${"b".repeat(40)}`,
              protocol_version: 1,
              ...overrides,
            }),
          });
        const { code } = await fresh.ctx.pairing.create();
        const mismatch = await pair(code, { protocol_version: 2 });
        expect(mismatch.status).toBe(409);
        expect(await mismatch.json()).toMatchObject({ error: "protocol_mismatch", details: [{ plugin_protocol_version: 2, bridge_protocol_version: 1 }] });
        const badKeys = await pair(code, { wc_consumer_key: `ck_${"f".repeat(40)}` });
        expect(badKeys.status).toBe(422);
        expect(JSON.stringify(await badKeys.json())).toContain("woocommerce_rest_authentication_error");
        const ok = await pair(code.toLowerCase());
        expect(ok.status).toBe(201);
        const body = (await ok.json()) as Record<string, unknown>;
        expect(body).toMatchObject({ shop_id: expect.stringMatching(/^shop_/), protocol_version: 1, bridge_version: expect.any(String) });
        expect(String(body.shop_secret).length).toBeGreaterThanOrEqual(32);
        expect((await pair(code)).status).toBe(401);
        // Neither the code nor the keys nor the secret reach the log.
        const log = fresh.logText();
        expect(log).not.toContain(code);
        expect(log).not.toContain(String(body.shop_secret));
        expect(log).not.toContain("a".repeat(40));
      } finally {
        await fresh.close();
      }
    });
  });

  describe("signed shop routes (protocol.md §2, §3, §5)", () => {
    it("stores each valid event as a job before answering 202, and acknowledges redeliveries as duplicates", async () => {
      const events = [event(), event({ topic: "order.status_changed", from: "pending", to: "processing", seq: 2 })];
      const first = await bridge.signedFetch(shopA.shopId, shopA.shopSecret, "POST", `/v1/shops/${shopA.shopId}/events`, { events });
      expect(first.status).toBe(202);
      expect(await first.json()).toEqual({ accepted: events.map((e) => e.event_id), duplicates: [] });
      const jobs = await bridge.ctx.queue.list({ shopId: shopA.shopId });
      expect(jobs.map((j) => j.kind).sort()).toEqual(["event:order.created", "event:order.status_changed"]);
      const again = await bridge.signedFetch(shopA.shopId, shopA.shopSecret, "POST", `/v1/shops/${shopA.shopId}/events`, { events });
      expect(await again.json()).toEqual({ accepted: [], duplicates: events.map((e) => e.event_id) });
      expect((await bridge.ctx.queue.list({ shopId: shopA.shopId })).length).toBe(2);
      expect((await bridge.ctx.shops.get(shopA.shopId))?.outboxSeq).toBe(2);
    });

    it("refuses a malformed batch with 400 and zod paths, storing nothing", async () => {
      const before = (await bridge.ctx.queue.list({ shopId: shopA.shopId })).length;
      const response = await bridge.signedFetch(shopA.shopId, shopA.shopSecret, "POST", `/v1/shops/${shopA.shopId}/events`, {
        events: [event(), event({ topic: "order.exploded" }), event({ event_id: "nope" })],
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: string; details: { path: string }[] };
      expect(body.error).toBe("invalid_request");
      expect(body.details.map((d) => d.path)).toEqual(["events.1.topic", "events.2.event_id"]);
      expect((await bridge.ctx.queue.list({ shopId: shopA.shopId })).length).toBe(before);
      const empty = await bridge.signedFetch(shopA.shopId, shopA.shopSecret, "POST", `/v1/shops/${shopA.shopId}/events`, { events: [] });
      expect(empty.status).toBe(400);
      const tooMany = await bridge.signedFetch(shopA.shopId, shopA.shopSecret, "POST", `/v1/shops/${shopA.shopId}/events`, {
        events: Array.from({ length: 101 }, () => event()),
      });
      expect(tooMany.status).toBe(400);
    });

    it("refuses unsigned, stale, altered and unknown-shop requests with 401 and the reason", async () => {
      const path = `/v1/shops/${shopA.shopId}/status`;
      const unsigned = await fetch(`${bridge.url}${path}`);
      expect(unsigned.status).toBe(401);
      expect(((await unsigned.json()) as { error: string }).error).toBe("unsigned");

      const stale = await fetch(`${bridge.url}${path}`, {
        headers: signedHeaders(shopA.shopId, shopA.shopSecret, "GET", path, "", Date.now() - 400_000),
      });
      expect(stale.status).toBe(401);
      expect(((await stale.json()) as { message: string }).message).toMatch(/away from the bridge's clock/);

      const body = JSON.stringify({ events: [event()] });
      const eventsPath = `/v1/shops/${shopA.shopId}/events`;
      const altered = await fetch(`${bridge.url}${eventsPath}`, {
        method: "POST",
        headers: { ...signedHeaders(shopA.shopId, shopA.shopSecret, "POST", eventsPath, body), "content-type": "application/json" },
        body: body.replace("1042", "1043"),
      });
      expect(altered.status).toBe(401);
      expect(((await altered.json()) as { message: string }).message).toMatch(/does not match/);

      const wrongSecret = await bridge.signedFetch(shopA.shopId, shopB.shopSecret, "GET", path);
      expect(wrongSecret.status).toBe(401);
      const unknown = await bridge.signedFetch("shop_nobody", shopA.shopSecret, "GET", "/v1/shops/shop_nobody/status");
      expect(unknown.status).toBe(401);
    });

    it("never lets shop B's signature open shop A's resources", async () => {
      for (const [method, path] of [
        ["GET", `/v1/shops/${shopA.shopId}/status`],
        ["GET", `/v1/shops/${shopA.shopId}/activity`],
        ["POST", `/v1/shops/${shopA.shopId}/events`],
        ["POST", `/v1/shops/${shopA.shopId}/jobs/retry-parked`],
        ["DELETE", `/v1/shops/${shopA.shopId}`],
      ] as const) {
        const response = await bridge.signedFetch(shopB.shopId, shopB.shopSecret, method, path, method === "POST" ? { events: [event()] } : undefined);
        expect(response.status, `${method} ${path}`).toBe(403);
      }
      expect((await bridge.ctx.shops.get(shopA.shopId))?.connected).toBe(true);
    });

    it("lists activity, shows a record's timeline, and retries parked jobs", async () => {
      const jobs = await bridge.ctx.queue.list({ shopId: shopA.shopId });
      const job = jobs.find((j) => j.kind === "event:order.created")!;
      const [claimed] = await bridge.ctx.queue.claim("test", 10, ["event:order.created"]);
      expect(claimed?.id).toBe(job.id);
      for (let i = 0; i < 20 && claimed; i += 1) {
        const outcome = await bridge.ctx.queue.fail(claimed, "test", new Error("Rackbeat says no"));
        if (outcome?.state === "parked") break;
        await bridge.ctx.store.db.updateTable("jobs").set({ run_at: 0 }).where("id", "=", claimed.id).execute();
        const [next] = await bridge.ctx.queue.claim("test", 1, ["event:order.created"]);
        Object.assign(claimed, next);
      }
      const list = await bridge.signedFetch(shopA.shopId, shopA.shopSecret, "GET", `/v1/shops/${shopA.shopId}/activity?state=parked`);
      const { records } = (await list.json()) as { records: { id: number; subjectType: string; subjectId: string; reason: string }[] };
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({ subjectType: "order", subjectId: "1042", reason: expect.stringContaining("Rackbeat says no") });
      const detail = await bridge.signedFetch(shopA.shopId, shopA.shopSecret, "GET", `/v1/shops/${shopA.shopId}/activity/${records[0]!.id}`);
      const { steps, jobs: recordJobs } = (await detail.json()) as { steps: { outcome: string }[]; jobs: { id: number; state: string }[] };
      expect(steps.at(-1)?.outcome).toBe("parked");
      expect(recordJobs.find((j) => j.id === job.id)?.state).toBe("parked");
      const otherShop = await bridge.signedFetch(shopB.shopId, shopB.shopSecret, "GET", `/v1/shops/${shopB.shopId}/activity/${records[0]!.id}`);
      expect(otherShop.status).toBe(404);
      const retryFromB = await bridge.signedFetch(shopB.shopId, shopB.shopSecret, "POST", `/v1/shops/${shopB.shopId}/jobs/${job.id}/retry`);
      expect(retryFromB.status).toBe(404);
      const retry = await bridge.signedFetch(shopA.shopId, shopA.shopSecret, "POST", `/v1/shops/${shopA.shopId}/jobs/${job.id}/retry`);
      expect(retry.status).toBe(200);
      expect((await bridge.ctx.queue.get(job.id))?.state).toBe("waiting");
      const retryAgain = await bridge.signedFetch(shopA.shopId, shopA.shopSecret, "POST", `/v1/shops/${shopA.shopId}/jobs/${job.id}/retry`);
      expect(retryAgain.status).toBe(409);
    });

    it("status reports the queue and the shop", async () => {
      const response = await bridge.signedFetch(shopA.shopId, shopA.shopSecret, "GET", `/v1/shops/${shopA.shopId}/status`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as Record<string, any>;
      expect(body.shop).toMatchObject({ id: shopA.shopId, name: "Shop A" });
      expect(body.queue.waiting).toBeGreaterThan(0);
      expect(body.bridge.version).toEqual(expect.any(String));
    });

    it("disconnect forgets the shop's secret: its signatures stop working", async () => {
      const shopC = await bridge.pairShop({ name: "Shop C" });
      const bye = await bridge.signedFetch(shopC.shopId, shopC.shopSecret, "DELETE", `/v1/shops/${shopC.shopId}`);
      expect(bye.status).toBe(200);
      expect(await bridge.ctx.shops.credentials(shopC.shopId)).toBeUndefined();
      const after = await bridge.signedFetch(shopC.shopId, shopC.shopSecret, "GET", `/v1/shops/${shopC.shopId}/status`);
      expect(after.status).toBe(401);
    });
  });
});
