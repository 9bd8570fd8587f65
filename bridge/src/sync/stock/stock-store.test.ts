import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultStoreKind, openTwoProcessStores } from "../../../../test/postgres/test-databases.js";
import type { Store } from "../../store/store.js";
import { StockStore } from "./stock-store.js";

/**
 * Orders in flight are started by the orders exporter's workers and booked from other jobs, on
 * PostgreSQL by several processes: there, two stores on one database (two processes' connections).
 * SQLite serves one process (its driver is synchronous), so both sides are one store.
 */
describe(`stock reservations under concurrency (${defaultStoreKind.name})`, () => {
  let a: StockStore;
  let b: StockStore;
  let stores: Store[];
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ stores, cleanup } = await openTwoProcessStores());
    a = new StockStore(stores[0]!.db, Date.now);
    b = new StockStore(stores[1]!.db, Date.now);
  });
  afterEach(async () => {
    await cleanup();
  });

  const rowsOf = (wooOrderId: number) =>
    stores[0]!.db.selectFrom("stock_reservations").select(["sku", "quantity", "state"]).where("shop_id", "=", "shop").where("woo_order_id", "=", wooOrderId).orderBy("sku").execute();

  it("one order started from both sides at once keeps one set of lines, each SKU once", async () => {
    const sets = Array.from({ length: 12 }, (_, i) => [
      { sku: "A", quantity: 1 + i },
      ...(i % 3 === 0 ? [] : [{ sku: "B", quantity: 2 }]),
      ...(i % 2 === 0 ? [{ sku: `C${i}`, quantity: 1 }] : []),
    ]);
    await Promise.all(sets.map((lines, i) => (i % 2 === 0 ? a : b).startReservation("shop", 7, lines)));
    const rows = await rowsOf(7);
    expect(rows.every((r) => r.state === "open")).toBe(true);
    expect(new Set(rows.map((r) => r.sku)).size).toBe(rows.length);
    // Exactly the lines of one of the starts (the last to commit).
    const asLines = (list: { sku: string; quantity: number }[]) => list.map((l) => `${l.sku}:${l.quantity}`).sort();
    expect(sets.map(asLines)).toContainEqual(asLines(rows.map((r) => ({ sku: r.sku, quantity: Number(r.quantity) }))));
  });

  it("a booking is never undone by a start of the same order running at the same time", async () => {
    for (let order = 1; order <= 15; order++) {
      await a.startReservation("shop", order, [{ sku: "A", quantity: 1 }]);
      await Promise.all([
        (order % 2 === 0 ? a : b).startReservation("shop", order, [{ sku: "A", quantity: 2 }, { sku: "B", quantity: 1 }]),
        (order % 2 === 0 ? b : a).setReservationState("shop", order, "booked", 900 + order),
      ]);
      const rows = await rowsOf(order);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.map((r) => r.state)).toEqual(rows.map(() => "booked"));
      // Once booked, a start leaves the order to Rackbeat's figure.
      expect(await a.startReservation("shop", order, [{ sku: "Z", quantity: 5 }])).toEqual([]);
      expect((await rowsOf(order)).map((r) => r.sku)).not.toContain("Z");
    }
  });

  it("replacing an open order's lines drops the SKUs it no longer has and reports every SKU touched", async () => {
    expect((await a.startReservation("shop", 3, [{ sku: "A", quantity: 1 }, { sku: "B", quantity: 1 }, { sku: "A", quantity: 2 }])).sort()).toEqual(["A", "B"]);
    expect((await rowsOf(3)).map((r) => [r.sku, Number(r.quantity)])).toEqual([
      ["A", 3],
      ["B", 1],
    ]);
    expect((await b.startReservation("shop", 3, [{ sku: "C", quantity: 4 }, { sku: "A", quantity: 1 }])).sort()).toEqual(["A", "B", "C"]);
    expect((await rowsOf(3)).map((r) => [r.sku, Number(r.quantity)])).toEqual([
      ["A", 1],
      ["C", 4],
    ]);
    expect((await a.inFlight(["A", "B", "C"])).get("C")).toEqual({ notBooked: 4, bookedNotShipped: 0 });
  });
});
