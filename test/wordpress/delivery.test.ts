/**
 * End to end with the real bridge (bridge/src/main.ts, in-process): pairing through the plugin,
 * push delivery by the scheduled runner (WP-Cron), the bridge's signed outbox pull, and the
 * durability case: bridge down, 50 orders through real WordPress, PHP killed and restarted,
 * bridge back → every event reaches the bridge exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventJobPayload } from "../../bridge/src/intake/events.js";
import { pullOutbox } from "../../bridge/src/intake/outbox-pull.js";
import { type TestBridge, startTestBridge } from "../helpers/bridge.js";
import { tempDir } from "../helpers/temp-dir.js";
import { killPhp, outboxRows, pairThroughPlugin, php, placeOrder, resetWp, runDelivery, setClock, upWp, wp } from "./harness/wp.js";

const dataDir = tempDir("rbc-wp-bridge-");
let bridge: TestBridge;
let shopId = "";

async function startBridgeOn(port: number): Promise<TestBridge> {
  return startTestBridge({ dataDir: dataDir.path, runWorkers: false, env: { PORT: String(port), LOG_LEVEL: "warn" } });
}

async function eventJobs(): Promise<EventJobPayload["event"][]> {
  const jobs = await bridge.ctx.queue.list({ shopId, limit: 10_000 });
  return jobs.filter((j) => j.kind.startsWith("event:")).map((j) => (j.payload as EventJobPayload).event);
}

async function connection(): Promise<any> {
  const r = await wp("GET", "/wp-json/rackbeat-connector/v1/connection");
  expect(r.status).toBe(200);
  return r.json;
}

beforeAll(async () => {
  await resetWp();
  bridge = await startBridgeOn(0);
  const { code } = await bridge.ctx.pairing.create("CI shop");
  const pair = await pairThroughPlugin(bridge.url, code);
  expect(pair.status, pair.text).toBe(201);
  shopId = pair.json.connection.shop_id;
  expect(shopId).toMatch(/\S/);
  expect(await bridge.ctx.shops.get(shopId)).toBeTruthy();
});

afterAll(async () => {
  setClock(null);
  await bridge?.close();
  dataDir.cleanup();
});

describe("delivery to the real bridge", () => {
  it("the scheduled runner (WP-Cron) pushes signed batches the bridge stores", async () => {
    const id = await placeOrder({ flow: "classic", payment: "card" });
    // The runner is a recurring WP-Cron event; make it due and let wp-cron.php run it, as a server cron would.
    const scheduled = await php<number | false>("return wp_next_scheduled('rackbeat_connector_deliver');");
    expect(typeof scheduled).toBe("number");
    await php("wp_clear_scheduled_hook('rackbeat_connector_deliver'); wp_schedule_event(time() - 1, 'rackbeat_connector_every_minute', 'rackbeat_connector_deliver'); return true;");
    const cron = await wp("GET", "/wp-cron.php", { auth: null });
    expect(cron.status).toBe(200);

    const events = await eventJobs();
    expect(events.filter((e) => e.resource_id === id).map((e) => e.topic).sort()).toEqual(["order.created", "order.status_changed"]);
    expect((await outboxRows()).every((r) => r.acked_at !== null)).toBe(true);
    expect((await connection()).delivery.last_success_at).not.toBeNull();
  });

  it("the bridge's pull collects what was never pushed and acknowledges it; a later push sends nothing twice", async () => {
    const before = (await eventJobs()).length;
    const ids = [await placeOrder({ flow: "block" }), await placeOrder({ flow: "admin" })];
    const pulled = await pullOutbox(bridge.ctx, shopId);
    expect(pulled.stored).toBe(4);
    expect(pulled.rejected).toEqual([]);
    expect((await outboxRows()).filter((r) => r.acked_at === null)).toEqual([]);
    await runDelivery();
    const events = await eventJobs();
    expect(events.length - before).toBe(4);
    expect(events.filter((e) => ids.includes(e.resource_id)).map((e) => `${e.topic} ${e.resource_id}`).sort()).toEqual(
      ids.flatMap((id) => [`order.created ${id}`, `order.status_changed ${id}`]).sort(),
    );
  });

  it("bridge down, 50 orders, PHP killed and restarted, bridge back: all 50 arrive exactly once", async () => {
    const port = bridge.port;
    const before = await eventJobs();
    await bridge.close();

    const ids: number[] = [];
    for (let i = 0; i < 50; i += 1) ids.push(await placeOrder({ flow: i % 2 ? "classic" : "block", payment: i % 3 ? "card" : "cod" }));
    expect(new Set(ids).size).toBe(50);

    // The runner tries, fails, and backs off; the orders stay in the outbox.
    await runDelivery();
    const down = await connection();
    expect(down.backlog.pending).toBe(100);
    expect(down.delivery.failures).toBe(1);
    expect(down.delivery.last_error).toMatch(/\S/);
    const nextAttempt = Date.parse(down.delivery.next_attempt_at) / 1000;
    expect(nextAttempt).toBeGreaterThan(Date.now() / 1000);

    await killPhp();
    await upWp();

    bridge = await startBridgeOn(port);
    // Still backing off: nothing is sent before the backoff is over.
    await runDelivery();
    expect((await eventJobs()).length).toBe(before.length);

    // Time passes beyond the backoff (the plugin's clock, pinned by the test mu-plugin).
    setClock(Math.ceil(nextAttempt) + 5);
    await runDelivery();
    await runDelivery(); // a second run finds nothing left
    setClock(null);

    const after = (await eventJobs()).filter((e) => ids.includes(e.resource_id));
    const created = after.filter((e) => e.topic === "order.created").map((e) => e.resource_id);
    expect(created.sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    expect(after).toHaveLength(100);
    expect(new Set(after.map((e) => e.event_id)).size).toBe(100);
    const up = await connection();
    expect(up.backlog.pending).toBe(0);
    expect(up.delivery.failures).toBe(0);

    // The bridge's safety-net pull finds nothing more.
    expect((await pullOutbox(bridge.ctx, shopId)).stored).toBe(0);
  });

  it("disconnect tells the bridge and revokes the WooCommerce key", async () => {
    const keysBefore = await php<number>("global $wpdb; return (int) $wpdb->get_var(\"SELECT COUNT(*) FROM {$wpdb->prefix}woocommerce_api_keys\");");
    expect(keysBefore).toBe(1);
    const r = await wp("POST", "/wp-json/rackbeat-connector/v1/disconnect");
    expect(r.status, r.text).toBe(200);
    expect(r.json.bridge_reached).toBe(true);
    expect(r.json.connection.connected).toBe(false);
    expect(await bridge.ctx.shops.credentials(shopId)).toBeFalsy();
    expect(await php<number>("global $wpdb; return (int) $wpdb->get_var(\"SELECT COUNT(*) FROM {$wpdb->prefix}woocommerce_api_keys\");")).toBe(0);
  });
});
