/**
 * Drills: Rackbeat misbehaving during an order burst — a 429 storm, a burst of 5xx answers,
 * requests that never answer (timeouts), and creates whose answer is lost after Rackbeat made the
 * change. Each drill places 25 orders into a bridge whose Rackbeat faults fire on whatever requests
 * come first (reads and creates alike), and counts them in Rackbeat. test/orders/exactly-once.test.ts
 * proves the same per fault for single orders, with reference search on and off.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestBridge } from "../helpers/bridge.js";
import { defaultStoreKind, type FreshStore } from "../postgres/test-databases.js";
import type { FaultRule } from "../sandboxes/rackbeat/index.js";
import { type OrdersRig, accessOf, healedOrders, jobCount, reportDrill, startOrdersBridge, startOrdersRig } from "./drill-kit.js";

const ORDERS = 25;
const POST_CREATE = { method: "POST", pathPattern: /^\/(orders(\/drafts)?|customers)$/ } as const;

const drills: { name: string; rules: FaultRule[] }[] = [
  // Retry-After: 1 — every request of the token waits it out (the gate pauses), no attempt is used up.
  { name: "rackbeat-429-storm", rules: [{ kind: "rate-limit", retryAfterSeconds: 1, times: 8 }] },
  { name: "rackbeat-5xx-burst", rules: [{ kind: "status", status: 503, times: 15 }, { kind: "status", status: 502, times: 10 }, { kind: "status", status: 500, times: 5 }] },
  // RACKBEAT_TIMEOUT_MS is 500 here: each hung request costs the bridge half a second.
  { name: "rackbeat-timeouts", rules: [{ kind: "hang", times: 8 }] },
  // Rackbeat created the order (or customer), then the connection dropped / a 500 came back instead.
  {
    name: "rackbeat-lost-responses",
    rules: [
      { ...POST_CREATE, kind: "lose-response", mode: "destroy", times: 6 },
      { ...POST_CREATE, kind: "lose-response", mode: "status", status: 500, times: 4 },
    ],
  },
];

describe(`drills: Rackbeat faults during an order burst (${defaultStoreKind.name})`, () => {
  let fresh: FreshStore | undefined;
  let bridge: TestBridge | undefined;
  let rig: OrdersRig;
  beforeAll(async () => {
    fresh = await defaultStoreKind.create();
    rig = await startOrdersRig({ rackbeat: { latencyMs: 5 } });
    bridge = await startOrdersBridge(fresh, rig.rackbeat, {
      WORKER_CONCURRENCY: "4",
      JOB_BACKOFF_BASE_MS: "50",
      JOB_BACKOFF_MAX_MS: "500",
      RACKBEAT_RETRY_BASE_MS: "20",
      RACKBEAT_RETRY_MAX_MS: "200",
      RACKBEAT_TIMEOUT_MS: "500",
    });
    await rig.connect(accessOf(bridge));
  }, 60_000);
  afterAll(async () => {
    await bridge?.close();
    await rig?.close();
    await fresh?.cleanup();
  });

  for (const drill of drills) {
    it(`${drill.name}: every order in Rackbeat exactly once`, async () => {
      const db = bridge!.ctx.store.db;
      const healedBefore = await healedOrders(db);
      rig.rackbeat.resetStats();
      const ids = drill.rules.map((rule) => rig.rackbeat.injectFault(rule));
      const delivery = rig.startDelivery(30);
      const orders = Array.from({ length: ORDERS }, () => rig.place());
      await rig.drained(db);
      await delivery.stop();
      const fired = ids.reduce((n, id) => n + (drill.rules[ids.indexOf(id)]!.times ?? 1) - (rig.rackbeat.faults.active.find((f) => f.id === id)?.remaining ?? 0), 0);
      rig.rackbeat.clearFaults();

      const stats = rig.rackbeat.stats();
      reportDrill(drill.name, rig.tally(orders), {
        faults_fired: fired,
        sent429: stats.sent429,
        hung: stats.hung,
        lost_responses: stats.lostResponses,
        healed: (await healedOrders(db)) - healedBefore,
      });
      expect(fired).toBeGreaterThan(0);
      expect(rig.tally(orders).writtenBack).toBe(ORDERS);
      expect(await jobCount(db, "parked")).toBe(0);
    }, 60_000);
  }
});
