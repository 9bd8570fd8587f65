/**
 * Drill: the bridge unreachable from the shop while orders are placed. The plugin's pushes fail and
 * every event stays in its outbox; when the bridge is back it pulls the outbox (protocol.md §4) on its
 * own schedule — before the plugin's backoff would let it push again — stores the events and
 * acknowledges them; the plugin's next run finds nothing left to send.
 *
 * The shop side is the outbox double of the WooCommerce sandbox. The real plugin on real WordPress
 * is drilled the same way in test/wordpress/delivery.test.ts ("bridge down, 50 orders, PHP killed
 * and restarted, bridge back: all 50 arrive exactly once").
 */
import { afterAll, describe, expect, it } from "vitest";
import type { TestBridge } from "../helpers/bridge.js";
import { defaultStoreKind, type FreshStore } from "../postgres/test-databases.js";
import { type OrdersRig, accessOf, freePort, jobCount, reportDrill, startOrdersBridge, startOrdersRig, waitFor } from "./drill-kit.js";

const ORDERS = 40;

describe(`drill: bridge unreachable from the shop while orders are placed (${defaultStoreKind.name})`, () => {
  let fresh: FreshStore | undefined;
  let bridge: TestBridge | undefined;
  let rig: OrdersRig | undefined;
  afterAll(async () => {
    await bridge?.close();
    await rig?.close();
    await fresh?.cleanup();
  });

  it("the outbox keeps every event, the bridge pulls it when back, and every order reaches Rackbeat once", async () => {
    fresh = await defaultStoreKind.create();
    rig = await startOrdersRig();
    const port = await freePort();
    const env = { PORT: String(port), WORKER_CONCURRENCY: "4", JOB_BACKOFF_BASE_MS: "50", JOB_BACKOFF_MAX_MS: "500", OUTBOX_PULL_INTERVAL_MS: "200" };
    bridge = await startOrdersBridge(fresh, rig.rackbeat, env);
    await rig.connect(accessOf(bridge));
    // A few orders while all is well, pushed as usual.
    for (let i = 0; i < 5; i++) rig.place();
    expect((await rig.woo.plugin.push()).status).toBe("delivered");

    await bridge.close();
    for (let i = 0; i < ORDERS; i++) rig.place();
    const push = await rig.woo.plugin.push();
    expect(push.status).toBe("failed");
    expect(push.error).toMatch(/fetch failed|ECONNREFUSED/);
    const keptInOutbox = rig.woo.plugin.pending();
    expect(keptInOutbox).toBe(ORDERS * 2);

    // Back on the same store and address; the plugin is still backing off, so only the pull brings the events.
    bridge = await startOrdersBridge(fresh, rig.rackbeat, env);
    await waitFor(() => rig!.woo.plugin.pending() === 0, "the outbox drained by the bridge's pull");
    expect(rig.woo.plugin.stats.pulls).toBeGreaterThan(0);
    expect(await rig.woo.plugin.push()).toMatchObject({ status: "idle", sent: 0 });
    await rig.drained(bridge.ctx.store.db);

    reportDrill("bridge-unreachable-outbox", rig.tally(), { kept_in_outbox: keptInOutbox, pulls: rig.woo.plugin.stats.pulls, acks: rig.woo.plugin.stats.acks });
    const events = await bridge.ctx.store.db.selectFrom("jobs").select("idempotency_key").where("kind", "like", "event:%").execute();
    // Every event the shop recorded is stored once, whichever way it came.
    expect(events).toHaveLength(rig.woo.plugin.rows().length);
    expect(rig.tally().writtenBack).toBe(rig.placed.length);
    expect(await jobCount(bridge.ctx.store.db, "parked")).toBe(0);
  }, 90_000);
});
