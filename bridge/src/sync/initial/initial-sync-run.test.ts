import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultStoreKind, openTwoProcessStores } from "../../../../test/postgres/test-databases.js";
import { parseShopSettings } from "../../settings/shop-settings.js";
import type { Store } from "../../store/store.js";
import { InitialSyncRefused, createInitialSyncRun } from "./initial-sync-run.js";

/**
 * Starting a run is check-then-insert; requests may come at once, on PostgreSQL to several
 * processes: there, two stores on one database. SQLite serves one process, so both are one store.
 */
describe(`initial sync: one run at a time per shop (${defaultStoreKind.name})`, () => {
  let stores: Store[];
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ stores, cleanup } = await openTwoProcessStores());
  });
  afterEach(async () => {
    await cleanup();
  });

  const settings = parseShopSettings({ products: { master: "woo_to_rackbeat" } }).products;

  it("of many starts at once exactly one makes a run, the others are refused as already running", async () => {
    const outcomes = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => createInitialSyncRun(stores[i % 2]!.db, "shop-a", settings)));
    const made = outcomes.filter((o) => o.status === "fulfilled");
    expect(made).toHaveLength(1);
    for (const o of outcomes) {
      if (o.status === "rejected") expect(o.reason).toMatchObject({ name: "InitialSyncRefused", code: "already_running" });
    }
    const runs = await stores[0]!.db.selectFrom("initial_sync_runs").select(["id", "shop_id", "state"]).execute();
    expect(runs).toEqual([{ id: (made[0] as PromiseFulfilledResult<string>).value, shop_id: "shop-a", state: "queued" }]);
    // Another shop is not held up by it.
    expect(await createInitialSyncRun(stores[1]!.db, "shop-b", settings)).toMatch(/^is_/);
  });

  it("a finished run lets the next one start", async () => {
    const first = await createInitialSyncRun(stores[0]!.db, "shop-a", settings);
    await expect(createInitialSyncRun(stores[1]!.db, "shop-a", settings)).rejects.toBeInstanceOf(InitialSyncRefused);
    await stores[0]!.db.updateTable("initial_sync_runs").set({ state: "done" }).where("id", "=", first).execute();
    expect(await createInitialSyncRun(stores[1]!.db, "shop-a", settings)).not.toBe(first);
  });
});
