/**
 * Retention (design: RETENTION_DAYS): records older than the period keep ids and outcomes only.
 * A bridge with RETENTION_DAYS=1 and an injected clock: records made on day 0 carry personal data in
 * their step details, job payloads and the remembered customer match; on day 2 the "retention" and
 * "orders-retention" tasks run (through the bridge handle's runTask). Old records keep id, subject,
 * state, reason and each step's action/outcome; nothing of the personal data is left in any table;
 * a record from day 2 is untouched.
 */
import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningBridge, startBridge } from "../../bridge/src/main.js";
import { createLogger } from "../../bridge/src/observability/logger.js";
import { ordersFeature } from "../../bridge/src/sync/orders/orders-feature.js";
import { type FreshStore, defaultStoreKind } from "../postgres/test-databases.js";
import { rawRequest, signed, snapshotStore } from "./security-kit.js";

const DAY = 24 * 3600 * 1000;
const PERSONAL = { name: "Birgitte Retentionsen", email: "birgitte.retention@example.test", phone: "+45 99 88 77 66", street: "Glemmevej 17, 3. tv." };

let clock = Date.parse("2026-01-10T10:00:00Z");
let bridge: RunningBridge;
let fresh: FreshStore | undefined;
let shopId = "";
let shopSecret = "";

async function postEvent(resourceId: number): Promise<number> {
  const path = `/v1/shops/${shopId}/events`;
  const body = JSON.stringify({ events: [{ event_id: randomUUID(), topic: "order.created", resource_id: resourceId, occurred_at: new Date(clock).toISOString() }] });
  const r = await rawRequest(bridge.url, "POST", path, { ...signed(shopId, shopSecret, "POST", path, body), "content-type": "application/json" }, body);
  expect(r.status).toBe(202);
  const job = await bridge.ctx.store.db.selectFrom("jobs").select(["record_id"]).where("shop_id", "=", shopId).orderBy("id", "desc").executeTakeFirstOrThrow();
  return Number(job.record_id);
}

beforeAll(async () => {
  fresh = await defaultStoreKind.create();
  bridge = await startBridge({
    env: { ...fresh.env, PORT: "0", RETENTION_DAYS: "1", LOG_LEVEL: "silent" },
    logger: createLogger({ level: "silent", destination: new Writable({ write: (_c, _e, cb) => cb() }) }),
    features: [ordersFeature],
    runWorkers: false,
    now: () => clock,
  });
  const created = await bridge.ctx.shops.create({
    name: "Retention shop",
    url: "http://127.0.0.1:9/shop",
    wcConsumerKey: `ck_${"c".repeat(40)}`,
    wcConsumerSecret: `cs_${"d".repeat(40)}`,
    pluginVersion: null,
    protocolVersion: 1,
    settings: {},
  });
  shopId = created.shop.id;
  shopSecret = created.shopSecret;
});
afterAll(async () => {
  await bridge?.close();
  await fresh?.cleanup();
});

describe("retention with RETENTION_DAYS=1 and an injected clock", () => {
  it("old records keep ids and outcomes only; recent ones are untouched", async () => {
    const db = bridge.ctx.store.db;
    // Day 0: an exported order (done) and a parked one, both with personal data in details and payloads.
    const doneRecord = await postEvent(1001);
    const parkedRecord = await postEvent(1002);
    for (const record of [doneRecord, parkedRecord]) {
      await bridge.ctx.activity.step(record, "read order from WooCommerce", "read", { customer: PERSONAL.name, email: PERSONAL.email, phone: PERSONAL.phone, address: PERSONAL.street });
      await bridge.ctx.activity.step(record, "create Rackbeat order", record === doneRecord ? "created" : "refused", { rackbeat_order: 5001 });
    }
    await db.updateTable("jobs").set({ state: "done", updated_at: clock }).where("record_id", "=", doneRecord).execute();
    await db.updateTable("activity_records").set({ state: "done", updated_at: clock }).where("id", "=", doneRecord).execute();
    await db
      .updateTable("jobs")
      .set({ state: "parked", updated_at: clock, payload: JSON.stringify({ shopId, billing: { email: PERSONAL.email, address_1: PERSONAL.street } }) })
      .where("record_id", "=", parkedRecord)
      .execute();
    await db.updateTable("activity_records").set({ state: "parked", reason: "Rackbeat refused the order (422)", updated_at: clock }).where("id", "=", parkedRecord).execute();
    await db.insertInto("order_customer_links").values({ shop_id: shopId, match_key: `email:${PERSONAL.email}`, customer_number: 77, fingerprint: "f", updated_at: clock }).execute();

    const stepsBefore = await db.selectFrom("activity_steps").select(["record_id", "action", "outcome"]).orderBy("id").execute();

    // Day 2: a new record with the same kind of data, then retention runs.
    clock += 2 * DAY;
    const freshRecord = await postEvent(1003);
    await bridge.ctx.activity.step(freshRecord, "read order from WooCommerce", "read", { email: PERSONAL.email });
    await bridge.runTask("retention");
    await bridge.runTask("orders-retention");

    // Old records: ids, subject, state and reason kept; reduced_at set.
    const records = await db.selectFrom("activity_records").selectAll().orderBy("id").execute();
    const byId = new Map(records.map((r) => [Number(r.id), r]));
    expect(byId.get(doneRecord)).toMatchObject({ subject_type: "order", subject_id: "1001", state: "done", reduced_at: clock });
    expect(byId.get(parkedRecord)).toMatchObject({ subject_type: "order", subject_id: "1002", state: "parked", reason: "Rackbeat refused the order (422)", reduced_at: clock });
    expect(byId.get(freshRecord)?.reduced_at).toBeNull();

    // Steps: action and outcome kept for all; details gone for old records only.
    const steps = await db.selectFrom("activity_steps").selectAll().orderBy("id").execute();
    for (const s of stepsBefore) expect(steps.some((x) => x.record_id === s.record_id && x.action === s.action && x.outcome === s.outcome)).toBe(true);
    for (const s of steps.filter((x) => x.record_id !== freshRecord)) expect(s.detail).toBeNull();
    expect(steps.find((x) => x.record_id === freshRecord)?.detail).toContain(PERSONAL.email);

    // Jobs: the finished one pruned, the parked one kept (retryable) without its payload.
    const jobs = await db.selectFrom("jobs").selectAll().execute();
    expect(jobs.some((j) => j.record_id === doneRecord)).toBe(false);
    expect(jobs.find((j) => j.record_id === parkedRecord)).toMatchObject({ state: "parked", payload: "{}" });

    // The remembered customer match (an e-mail address) is forgotten.
    expect(await db.selectFrom("order_customer_links").selectAll().execute()).toEqual([]);

    // Nothing of the personal data is left anywhere but in the fresh record's step.
    const snapshot = await snapshotStore(bridge.ctx);
    const text = JSON.stringify({ ...snapshot, activity_steps: (snapshot.activity_steps as { record_id: number }[]).filter((s) => s.record_id !== freshRecord) });
    for (const value of Object.values(PERSONAL)) expect(text.includes(value), `"${value}" survived retention`).toBe(false);

    // The answer for an old record still says what happened.
    const path = `/v1/shops/${shopId}/activity/${parkedRecord}`;
    const r = await rawRequest(bridge.url, "GET", path, signed(shopId, shopSecret, "GET", path, ""));
    expect(r.status).toBe(200);
    expect(r.text).not.toContain(PERSONAL.email);
    expect(r.json).toMatchObject({ jobs: [{ state: "parked" }] });
  });
});
