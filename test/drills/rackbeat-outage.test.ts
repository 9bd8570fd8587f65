/**
 * Drill: Rackbeat down for 10 minutes of simulated time while orders keep coming, then back. Every
 * order must reach Rackbeat exactly once and no job may be parked: the real retry schedule (12
 * attempts, 2 s doubling with jitter, capped at an hour) has to outlast a 10-minute outage.
 *
 * Time compression: nothing in the bridge reads a wall clock to decide when to retry; it adds
 * backoff delays to "now". Dividing every delay by SCALE and the outage by SCALE is therefore the
 * same schedule seen SCALE times faster: JOB_BACKOFF_BASE_MS 2,000 → 10, JOB_BACKOFF_MAX_MS
 * 3,600,000 → 18,000, the Rackbeat client's in-call retries (RACKBEAT_RETRY_BASE_MS 500 → 3,
 * RACKBEAT_RETRY_MAX_MS 15,000 → 75) and the outage 600,000 ms → 3,000 ms; JOB_MAX_ATTEMPTS stays 12.
 * One thing is not scaled: the job runner looks for due jobs every 250 ms (50 s simulated), so the
 * first few retries (due within 1–16 s real) happen a little later than scheduled — the drill can
 * only use fewer attempts than a real outage, never more; the most used is printed.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { TestBridge } from "../helpers/bridge.js";
import { defaultStoreKind, type FreshStore } from "../postgres/test-databases.js";
import { type OrdersRig, accessOf, jobCount, maxAttempts, reportDrill, sleep, startOrdersBridge, startOrdersRig } from "./drill-kit.js";

const SCALE = 200;
const real = { backoffBaseMs: 2_000, backoffMaxMs: 3_600_000, rackbeatRetryBaseMs: 500, rackbeatRetryMaxMs: 15_000, outageMs: 10 * 60_000 };
const scaled = (ms: number) => String(Math.max(1, Math.ceil(ms / SCALE)));

describe(`drill: Rackbeat down for 10 minutes (simulated, ×${SCALE}) (${defaultStoreKind.name})`, () => {
  let fresh: FreshStore | undefined;
  let bridge: TestBridge | undefined;
  let rig: OrdersRig | undefined;
  afterAll(async () => {
    await bridge?.close();
    await rig?.close();
    await fresh?.cleanup();
  });

  it("every order placed before and during the outage reaches Rackbeat once it is back; nothing is parked", async () => {
    fresh = await defaultStoreKind.create();
    rig = await startOrdersRig();
    bridge = await startOrdersBridge(fresh, rig.rackbeat, {
      WORKER_CONCURRENCY: "4",
      JOB_BACKOFF_BASE_MS: scaled(real.backoffBaseMs),
      JOB_BACKOFF_MAX_MS: scaled(real.backoffMaxMs),
      RACKBEAT_RETRY_BASE_MS: scaled(real.rackbeatRetryBaseMs),
      RACKBEAT_RETRY_MAX_MS: scaled(real.rackbeatRetryMaxMs),
    });
    expect(bridge.ctx.config.JOB_MAX_ATTEMPTS).toBe(12);
    await rig.connect(accessOf(bridge));
    const db = bridge.ctx.store.db;
    const delivery = rig.startDelivery(30);

    for (let i = 0; i < 10; i++) rig.place();
    await rig.drained(db);

    const back = rig.rackbeat.outage(real.outageMs / SCALE);
    // Orders keep coming while Rackbeat is down (up to 40, one every 50 ms).
    let duringOutage = 0;
    let waitingDuringOutage = 0;
    while (rig.rackbeat.down && duringOutage < 40) {
      rig.place();
      duringOutage++;
      await sleep(50);
      if (rig.rackbeat.down) waitingDuringOutage = await jobCount(db, "waiting");
    }
    expect(duringOutage).toBeGreaterThan(0);
    await back;
    await rig.drained(db);
    await delivery.stop();

    reportDrill("rackbeat-outage", rig.tally(), {
      simulated_outage_s: real.outageMs / 1000,
      placed_during_outage: duringOutage,
      refused_while_down: rig.rackbeat.stats().refusedWhileDown,
      waiting_during_outage: waitingDuringOutage,
      most_attempts: await maxAttempts(db),
    });
    expect(rig.rackbeat.stats().refusedWhileDown).toBeGreaterThan(0);
    expect(await jobCount(db, "parked")).toBe(0);
    expect(rig.tally().writtenBack).toBe(rig.placed.length);
  }, 90_000);
});
