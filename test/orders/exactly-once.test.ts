import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FaultRule } from "../sandboxes/rackbeat/index.js";
import { startOrdersKit, type OrdersKit } from "./orders-kit.js";

/**
 * Exactly once under Rackbeat's failures, with the sandbox's reference search on and off: the
 * bridge never finds its orders by searching, it chooses their numbers (order-links.ts).
 */
const CREATE = { method: "POST", pathPattern: /^\/orders(\/drafts)?$/ } as const;

const faults: { name: string; rules: (nextNumber: number) => FaultRule[]; recovery?: RegExp }[] = [
  { name: "5xx on create", rules: () => [{ ...CREATE, kind: "status", status: 503, times: 2 }] },
  { name: "a 429 storm", rules: () => [{ ...CREATE, kind: "rate-limit", retryAfterSeconds: 1, times: 3 }] },
  { name: "a timeout (no answer)", rules: () => [{ ...CREATE, kind: "hang", times: 1 }] },
  { name: "created but the response was lost (connection dropped)", rules: () => [{ ...CREATE, kind: "lose-response", mode: "destroy", times: 1 }], recovery: /created by an earlier attempt whose answer was lost; finishing it/ },
  { name: "created but the answer was a 500", rules: () => [{ ...CREATE, kind: "lose-response", mode: "status", status: 500, times: 1 }], recovery: /created by an earlier attempt whose answer was lost; finishing it/ },
  {
    // The read-back of the earlier attempt fails too, so the retry meets "number already taken".
    name: "created, response lost, and the check of the earlier attempt failing once",
    rules: (n) => [
      { ...CREATE, kind: "lose-response", mode: "destroy", times: 1 },
      { method: "GET", path: `/orders/${n}`, kind: "status", status: 404, times: 1 },
    ],
    recovery: /number refused twice/,
  },
];

for (const referenceSearch of [true, false]) {
  describe(`exactly once with reference search ${referenceSearch ? "on" : "off"}`, () => {
    let kit: OrdersKit;
    beforeAll(async () => {
      kit = await startOrdersKit({ rackbeat: { referenceSearch } });
    }, 30_000);
    afterAll(async () => {
      await kit?.close();
    });

    for (const fault of faults) {
      it(`${fault.name}: one Rackbeat order, recorded and written back`, async () => {
        const { next } = await (await import("./orders-kit.js")).ordersRuntime(kit.bridge.ctx).links.range();
        for (const rule of fault.rules(next)) kit.rackbeat.injectFault(rule);
        const placed = kit.place("H");
        await kit.sendEvent(placed.id);
        await kit.sendEvent(placed.id, "order.updated");
        await kit.waitForIdle(30_000);
        kit.rackbeat.clearFaults();

        const orders = kit.rackbeatOrdersFor(placed.number as string);
        expect(orders).toHaveLength(1);
        const link = await kit.bridge.ctx.store.db.selectFrom("order_links").selectAll().where("woo_order_id", "=", placed.id).executeTakeFirstOrThrow();
        expect(link.state).toBe("exported");
        expect(Number(link.rackbeat_order_number)).toBe(orders[0]!.number);
        const meta = (kit.woo.getOrder(placed.id)!.meta_data as { key: string; value: unknown }[]).find((m) => m.key === "_rackbeat_order_number");
        expect(meta?.value).toBe(String(orders[0]!.number));
        // Finished exactly as a fresh create: booked, its fingerprint kept (the order.updated event
        // that followed found nothing changed — no "edited after booking" note or flag), the
        // stock reservation settled, one write-back note.
        expect(orders[0]!.is_booked).toBe(true);
        expect(link.fingerprint).not.toBeNull();
        expect(link.flagged_reason).toBeNull();
        expect(kit.rackbeat.state.orders.get(orders[0]!.number as number)!.notes).toHaveLength(0);
        // (each attempt that got as far as qualifying re-states the reservation; starting one is idempotent)
        const ops = kit.stockCalls.filter((c) => c.order === placed.id).map((c) => c.op);
        expect(ops.at(-1)).toBe("settle");
        expect(ops.filter((op) => op === "settle")).toHaveLength(1);
        expect(ops).not.toContain("release");
        const notes = kit.woo.shop.orders.get(placed.id)!.notes.filter((n) => /Sent to Rackbeat/.test(n.note));
        expect(notes).toHaveLength(1);
        // (the record settles with its last job; on PostgreSQL that can trail the idle check by a moment)
        let record = await kit.bridge.ctx.activity.findBySubject({ shopId: kit.shopId, type: "order", id: String(placed.id) });
        for (let i = 0; i < 100 && record?.state !== "done"; i++) {
          await new Promise((r) => setTimeout(r, 100));
          record = await kit.bridge.ctx.activity.findBySubject({ shopId: kit.shopId, type: "order", id: String(placed.id) });
        }
        expect(record!.state).toBe("done");
        if (fault.recovery) {
          const steps = (await kit.bridge.ctx.activity.get(kit.shopId, record!.id))!.steps.map((st) => st.outcome);
          expect(steps.some((o) => fault.recovery!.test(o)), steps.join(" | ")).toBe(true);
        }
      }, 40_000);
    }
  });
}
