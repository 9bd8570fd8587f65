/**
 * The signed pull routes (protocol.md §4) on real WordPress, with the shared signing vectors:
 * a vector's exact request is accepted, and every way of getting the signature wrong is refused.
 */
import { readFileSync } from "node:fs";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { signedHeaders } from "./harness/signing.js";
import { outboxRows, php, placeOrder, resetWp, setClock, wp } from "./harness/wp.js";

const vectors = z
  .object({ vectors: z.array(z.object({ secret: z.string(), timestamp: z.string(), method: z.string(), path_with_query: z.string(), body: z.string(), signature_header: z.string() })) })
  .parse(JSON.parse(readFileSync("/work/shared/fixtures/protocol/signing-vectors.json", "utf8"))).vectors;
const pullVector = vectors.find((v) => v.path_with_query.startsWith("/wp-json/rackbeat-connector/v1/outbox"))!;
const SHOP = "shop_7Qm2";

/** Pair the plugin "by hand" with the vector's secret (as if the bridge had issued it). */
async function pairWithSecret(secret: string): Promise<void> {
  await php(`
    RackbeatConnector\\Settings::store_shop_secret(${JSON.stringify(secret)});
    RackbeatConnector\\Settings::update_state(['connected' => true, 'shop_id' => '${SHOP}', 'bridge_url' => 'http://127.0.0.1:9', 'paired_site_url' => home_url()]);
    return true;`);
}

function signed(method: string, path: string, body = "", secret = pullVector.secret, shop = SHOP) {
  return signedHeaders(shop, secret, method, path, body);
}

beforeAll(async () => {
  expect(pullVector).toBeDefined();
});

describe("GET /outbox and POST /outbox/ack", () => {
  beforeEach(async () => {
    await resetWp();
    await pairWithSecret(pullVector.secret);
  });

  it("accepts the vector's request byte for byte (clock pinned to the vector's time)", async () => {
    const ids = [await placeOrder({ flow: "classic", payment: "card" }), await placeOrder({ flow: "block" })];
    setClock(Number(pullVector.timestamp) + 10);
    const r = await wp("GET", pullVector.path_with_query, {
      auth: null,
      headers: { "x-rbc-shop": SHOP, "x-rbc-timestamp": pullVector.timestamp, "x-rbc-signature": pullVector.signature_header },
    });
    expect(r.status, r.text).toBe(200);
    // Rows never sent are served even below `after`: an ack can never skip an event nobody saw.
    expect(r.json.events.map((e: { resource_id: number; topic: string }) => `${e.topic} ${e.resource_id}`)).toEqual(ids.flatMap((id) => [`order.created ${id}`, `order.status_changed ${id}`]));
    expect(r.json.next_seq).toBe(118);
    const first = r.json.events[0];
    expect(Object.keys(first).sort()).toEqual(["event_id", "occurred_at", "resource_id", "seq", "topic"]);
    expect(first.occurred_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(r.json.events[1]).toMatchObject({ topic: "order.status_changed", from: "pending", to: "processing" });
  });

  it.each([
    ["another vector's signature", { "x-rbc-shop": SHOP, "x-rbc-timestamp": pullVector.timestamp, "x-rbc-signature": vectors[0]!.signature_header }, "bad_signature"],
    ["a different shop id", { "x-rbc-shop": "shop_other", "x-rbc-timestamp": pullVector.timestamp, "x-rbc-signature": pullVector.signature_header }, "unknown_shop"],
    ["a shifted timestamp", { "x-rbc-shop": SHOP, "x-rbc-timestamp": String(Number(pullVector.timestamp) + 1), "x-rbc-signature": pullVector.signature_header }, "bad_signature"],
    ["no signature headers", {}, "unknown_shop"],
  ])("refuses %s (401)", async (_name, headers, reason) => {
    setClock(Number(pullVector.timestamp));
    const r = await wp("GET", pullVector.path_with_query, { auth: null, headers: headers as Record<string, string> });
    expect(r.status).toBe(401);
    expect(r.json.data.error).toBe(reason);
  });

  it("refuses the vector once its timestamp is more than 300 s away, and says why", async () => {
    setClock(Number(pullVector.timestamp) + 301);
    const r = await wp("GET", pullVector.path_with_query, {
      auth: null,
      headers: { "x-rbc-shop": SHOP, "x-rbc-timestamp": pullVector.timestamp, "x-rbc-signature": pullVector.signature_header },
    });
    expect(r.status).toBe(401);
    expect(r.json.data.error).toBe("stale_timestamp");
    expect(r.json.message).toMatch(/301 s .*300 s/);
  });

  it("an administrator's credentials do not open the bridge's routes", async () => {
    const r = await wp("GET", "/wp-json/rackbeat-connector/v1/outbox?after=0&limit=10");
    expect(r.status).toBe(401);
  });

  it("acks up to a sequence number: only rows that were served leave; the backlog shrinks", async () => {
    await placeOrder({ flow: "classic", payment: "card" });
    const path = "/wp-json/rackbeat-connector/v1/outbox?after=0&limit=100";
    const page = await wp("GET", path, { auth: null, headers: signed("GET", path) });
    expect(page.status, page.text).toBe(200);
    expect(page.json.events).toHaveLength(2);
    const upTo = page.json.next_seq as number;

    const late = await placeOrder({ flow: "classic", payment: "cod" }); // not served yet
    const ackPath = "/wp-json/rackbeat-connector/v1/outbox/ack";
    const body = JSON.stringify({ up_to_seq: upTo + 10 });
    const ack = await wp("POST", ackPath, { auth: null, body, headers: signed("POST", ackPath, body) });
    expect(ack.status, ack.text).toBe(200);
    expect(ack.json.acknowledged).toBe(2);

    const rows = await outboxRows();
    expect(rows.filter((r) => r.acked_at === null).map((r) => Number(r.resource_id))).toEqual([late, late]);
    const connection = await wp("GET", "/wp-json/rackbeat-connector/v1/connection");
    expect(connection.json.backlog.pending).toBe(2);

    const tampered = JSON.stringify({ up_to_seq: 999 });
    const refused = await wp("POST", ackPath, { auth: null, body: tampered, headers: signed("POST", ackPath, body) });
    expect(refused.status).toBe(401);
    expect((await outboxRows()).filter((r) => r.acked_at === null)).toHaveLength(2);
  });

  it("works with plain permalinks (?rest_route=): the signature covers the URI exactly as sent", async () => {
    await placeOrder({ flow: "classic", payment: "card" });
    const path = "/?rest_route=/rackbeat-connector/v1/outbox&after=0&limit=1";
    const r = await wp("GET", path, { auth: null, headers: signed("GET", path) });
    expect(r.status, r.text).toBe(200);
    expect(r.json.events).toHaveLength(1);
  });

  it("validates limit (≤ 100)", async () => {
    const path = "/wp-json/rackbeat-connector/v1/outbox?after=0&limit=101";
    const r = await wp("GET", path, { auth: null, headers: signed("GET", path) });
    expect(r.status).toBe(400);
  });

  it("pauses on a copied site: the pull answers 409 and serves nothing", async () => {
    await placeOrder({ flow: "classic", payment: "card" });
    await php(`RackbeatConnector\\Settings::update_state(['paired_site_url' => 'https://shop.example.com']); return true;`);
    const path = "/wp-json/rackbeat-connector/v1/outbox?after=0&limit=100";
    const r = await wp("GET", path, { auth: null, headers: signed("GET", path) });
    expect(r.status).toBe(409);
    expect(r.json.data.error).toBe("paused");
    expect((await outboxRows()).every((row) => row.sent_at === null)).toBe(true);
  });
});
