import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FreshStore, defaultStoreKind } from "../../../test/postgres/test-databases.js";
import { withLease } from "./leases.js";
import type { Store } from "./store.js";

describe.each([defaultStoreKind])("withLease on $name", (kind) => {
  let fresh: FreshStore;
  // Two stores on one database: two bridge processes as far as the lease can tell.
  let a: Store;
  let b: Store;
  beforeEach(async () => {
    fresh = await kind.create();
    a = await fresh.open();
    b = await fresh.open();
  });
  afterEach(async () => {
    await a.close().catch(() => undefined);
    await b.close().catch(() => undefined);
    await fresh.cleanup();
  });

  it("lets one holder run a named piece of work at a time; others are told it runs elsewhere", async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const first = withLease(a, "stock-sweep", async () => {
      started();
      await held;
      return "first";
    });
    await running;
    expect(await withLease(b, "stock-sweep", async () => "second")).toEqual({ ran: false });
    expect(await withLease(a, "stock-sweep", async () => "again")).toEqual({ ran: false });
    // Another name is independent.
    expect(await withLease(b, "orders-reconcile", async () => "other")).toEqual({ ran: true, value: "other" });
    release();
    expect(await first).toEqual({ ran: true, value: "first" });
    expect(await withLease(b, "stock-sweep", async () => "second")).toEqual({ ran: true, value: "second" });
  });

  it("gives the lease up when the work throws", async () => {
    await expect(withLease(a, "task", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await withLease(b, "task", async () => 1)).toEqual({ ran: true, value: 1 });
  });

  it("a holder that dies does not block the work for ever", async () => {
    let clock = 1_000_000;
    const now = () => clock;
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    // The holder does not finish: its process goes away mid-work (ended at the close of the test,
    // so the test's own pool can shut down).
    let gone!: (e: Error) => void;
    const holder = withLease(a, "reconcile", () => {
      started();
      return new Promise<never>((_, reject) => (gone = reject));
    }, { ttlMs: 1000, now }).catch(() => undefined);
    await running;
    expect(await withLease(b, "reconcile", async () => "b", { ttlMs: 1000, now })).toEqual({ ran: false });
    if (kind.name === "postgres") {
      // Its connection closes with the process (as on kill -9): the advisory lock goes with it.
      const holders = await b.pg!.query<{ pid: number }>("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted");
      expect(holders.rows.length).toBe(1);
      await b.pg!.query("SELECT pg_terminate_backend($1)", [holders.rows[0]!.pid]);
    } else {
      clock += 1500; // no renewal from a dead process: the row expires
    }
    const until = Date.now() + 5000;
    let result = await withLease(b, "reconcile", async () => "b", { ttlMs: 1000, now });
    while (!result.ran && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 50));
      result = await withLease(b, "reconcile", async () => "b", { ttlMs: 1000, now });
    }
    expect(result).toEqual({ ran: true, value: "b" });
    gone(new Error("process gone"));
    await holder;
  });
});
