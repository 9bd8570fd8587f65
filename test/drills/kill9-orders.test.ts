/**
 * Drill: kill -9 of the bridge during an order burst. Orders keep coming while the bridge is dead
 * and after it restarts on the same store; the plugin's outbox (double) keeps every event until the
 * bridge acknowledges it. Every order must be in Rackbeat exactly once, with its number written
 * back to WooCommerce — including the orders whose Rackbeat call the kill cut off mid-way.
 */
import { afterAll, describe, expect, it } from "vitest";
import { AccountSettings } from "../../bridge/src/shops/account.js";
import { PairingCodes } from "../../bridge/src/shops/pairing.js";
import type { Store } from "../../bridge/src/store/store.js";
import { defaultStoreKind, type FreshStore } from "../postgres/test-databases.js";
import { type OrdersRig, forkBridge, freePort, healedOrders, jobCount, killChildren, killHard, reportDrill, sleep, startOrdersRig, waitFor } from "./drill-kit.js";

const ORDERS = 60;

describe(`drill: kill -9 during an order burst (${defaultStoreKind.name})`, () => {
  let fresh: FreshStore | undefined;
  let store: Store | undefined;
  let rig: OrdersRig | undefined;
  afterAll(async () => {
    await killChildren();
    await store?.close();
    await rig?.close();
    await fresh?.cleanup();
  });

  it("every order reaches Rackbeat exactly once and shows its Rackbeat number", async () => {
    fresh = await defaultStoreKind.create();
    rig = await startOrdersRig({ rackbeat: { latencyMs: 20 } });
    // Rackbeat creates an order at once but answers 150 ms later, so the kill can land between the
    // two: an order in Rackbeat the bridge never heard back about.
    const slowCreate = rig.rackbeat.injectFault({ method: "POST", pathPattern: /^\/orders(\/drafts)?$/, kind: "slow-response", ms: 150, times: Infinity });
    const createsSent = () => rig!.rackbeat.faults.active.find((f) => f.id === slowCreate)?.fired ?? 0;
    const port = await freePort();
    const env = {
      ...fresh.env,
      DRILL_MODE: "orders",
      PORT: String(port),
      RACKBEAT_BASE_URL: rig.rackbeat.baseUrl,
      RACKBEAT_TOKEN: rig.rackbeat.token,
      WORKER_CONCURRENCY: "4",
      // A killed worker's jobs are claimed again once their lease (1.5 s) has run out.
      JOB_LEASE_MS: "1500",
      JOB_BACKOFF_BASE_MS: "50",
      JOB_BACKOFF_MAX_MS: "500",
      RACKBEAT_TIMEOUT_MS: "3000",
      OUTBOX_PULL_INTERVAL_MS: "500",
    };
    const first = await forkBridge(env);
    store = await fresh.open();
    await rig.connect({ url: first.url, db: store.db, pairing: new PairingCodes(store.db), account: new AccountSettings(store.db, store.secrets) });

    const delivery = rig.startDelivery(30);
    // The burst: 30 orders, an order every 15 ms; the kill lands while the bridge works through them.
    const burst = (async () => {
      for (let i = 0; i < ORDERS / 2; i++) {
        rig!.place();
        await sleep(15);
      }
    })();
    const db = store.db;
    // Kill once a few orders are through and a create is done in Rackbeat but not yet answered.
    const answered = () => Number(rig!.rackbeat.stats().byRoute["POST /orders"] ?? 0);
    await waitFor(() => rig!.rackbeat.listOrders().length >= 8 && createsSent() > answered(), "a create done but not answered");
    await killHard(first);
    const inFlightAtKill = await jobCount(db, "running");
    const inRackbeatAtKill = rig.rackbeat.listOrders().length;
    const cutOff = createsSent() - answered();
    expect(inRackbeatAtKill).toBeLessThan(ORDERS);

    // Orders keep coming while the bridge is down: the plugin's pushes fail, the events stay in its outbox.
    await burst;
    const failuresBefore = rig.woo.plugin.stats.pushFailures;
    for (let i = 0; i < ORDERS / 4; i++) rig.place();
    await waitFor(() => rig!.woo.plugin.stats.pushFailures > failuresBefore, "a push refused by the dead bridge");
    const keptInOutbox = rig.woo.plugin.pending();
    await forkBridge(env);
    // And after it is back.
    for (let i = 0; i < ORDERS / 4; i++) {
      rig.place();
      await sleep(15);
    }
    await rig.drained(db);
    await delivery.stop();

    const tally = rig.tally();
    reportDrill("kill9-order-burst", tally, { in_flight_at_kill: inFlightAtKill, in_rackbeat_at_kill: inRackbeatAtKill, creates_cut_off: cutOff, healed: await healedOrders(db), kept_in_outbox: keptInOutbox });
    expect(rig.placed).toHaveLength(ORDERS);
    expect(tally.writtenBack).toBe(ORDERS);
    // Each create the kill cut off (done in Rackbeat, never answered) was found again by its number.
    expect(await healedOrders(db)).toBeGreaterThanOrEqual(cutOff);
    expect(await jobCount(db, "parked")).toBe(0);
  }, 120_000);
});
