import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultStoreKind, openTwoProcessStores } from "../../../../test/postgres/test-databases.js";
import type { Store } from "../../store/store.js";
import { OrderLinks } from "./order-links.js";

/**
 * Order numbers are taken by many workers at once, and on PostgreSQL by several processes: there,
 * two stores on one database, each with its own connections, as two bridge processes would be.
 * SQLite serves one process (its driver is synchronous: a second connection in the same process
 * would wait on the first one's lock while holding the thread), so both sides are one store.
 */
describe(`order links: numbers under concurrency (${defaultStoreKind.name})`, () => {
  let a: Store;
  let b: Store;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    let stores: Store[];
    ({ stores, cleanup } = await openTwoProcessStores());
    [a, b] = stores as [Store, Store];
  });
  afterEach(async () => {
    await cleanup();
  });

  it("orders racing for numbers each get their own, taken in order from the range", async () => {
    const [la, lb] = [new OrderLinks(a.db), new OrderLinks(b.db)];
    await la.setRange({ from: 5000, to: 5999 });
    const links = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? la : lb).intent("shop", 100 + i, `WC-${100 + i}`)));
    const numbers = links.map((l) => l.rackbeat_order_number).sort((x, y) => x - y);
    expect(numbers).toEqual(Array.from({ length: 40 }, (_, i) => 5000 + i));
    expect((await la.range()).next).toBe(5040);
  });

  it("one order asked for from both sides at once gets one intent and one number", async () => {
    const [la, lb] = [new OrderLinks(a.db), new OrderLinks(b.db)];
    await la.setRange({ from: 7000, to: 7999 });
    const links = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? la : lb).intent("shop", 42, "WC-42")));
    expect(new Set(links.map((l) => l.rackbeat_order_number))).toEqual(new Set([7000]));
    // The numbers the losers took were given back with their rollback.
    expect((await la.range()).next).toBe(7001);
    expect(await la.intent("shop", 43, "WC-43")).toMatchObject({ rackbeat_order_number: 7001 });
  });

  it("renumbering while others take numbers never hands one out twice", async () => {
    const [la, lb] = [new OrderLinks(a.db), new OrderLinks(b.db)];
    await la.setRange({ from: 100, to: 199 });
    const first = await Promise.all(Array.from({ length: 10 }, (_, i) => la.intent("shop", i, `WC-${i}`)));
    const moved = Promise.all(first.map((l, i) => (i % 2 === 0 ? la : lb).renumber("shop", l.woo_order_id)));
    const more = Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? lb : la).intent("shop", 50 + i, `WC-${50 + i}`)));
    const all = [...(await moved), ...(await more)].map((l) => l.rackbeat_order_number);
    expect(new Set(all).size).toBe(20);
    expect(all.every((n) => n >= 110 && n < 130)).toBe(true);
  });

  it("a used-up range refuses the next order and keeps its numbers", async () => {
    const links = new OrderLinks(a.db);
    await links.setRange({ from: 1, to: 2 });
    await links.intent("shop", 1, "WC-1");
    await links.intent("shop", 2, "WC-2");
    await expect(links.intent("shop", 3, "WC-3")).rejects.toThrow(/used up/);
    expect(await links.get("shop", 3)).toBeUndefined();
    expect((await links.range()).next).toBe(3);
  });
});
