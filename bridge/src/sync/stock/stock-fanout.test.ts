import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultStoreKind, openTwoProcessStores } from "../../../../test/postgres/test-databases.js";
import { createLogger } from "../../observability/logger.js";
import { parseShopSettings } from "../../settings/shop-settings.js";
import { withRowLease } from "../../store/leases.js";
import type { Store } from "../../store/store.js";
import { StockFanout } from "./stock-fanout.js";
import { StockStore } from "./stock-store.js";
import type { WooStockPort, WooStockWrite } from "./woo-stock-port.js";

/**
 * Two bridge processes fanning out the same shop's stock (PostgreSQL: two stores on one database;
 * SQLite serves one process, so both fan-outs share one store). Their writes to the shop must not
 * overlap, or an older figure could land after a newer one while the newer one is recorded as
 * written — and then never be corrected, since it "was written".
 */
describe(`stock fan-out from two processes (${defaultStoreKind.name})`, () => {
  let stores: Store[];
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ stores, cleanup } = await openTwoProcessStores());
  });
  afterEach(async () => {
    await cleanup();
  });

  it("one process writes a shop at a time, and the shop ends with the latest figures", async () => {
    const SKUS = Array.from({ length: 30 }, (_, i) => `S${i}`);
    const shop = new Map<string, number>();
    const writing = new Set<string>();
    const overlaps: string[] = [];
    let calls = 0;
    const portFor = (who: string): WooStockPort => ({
      listStockItems: async function* () {},
      findBySku: async () => undefined,
      async writeStock(_shopId, writes: WooStockWrite[]) {
        for (const other of writing) if (other !== who) overlaps.push(`${who} wrote while ${other} was writing`);
        writing.add(who);
        calls++;
        await new Promise((r) => setTimeout(r, 15));
        for (const w of writes) shop.set(w.sku, w.stockQuantity);
        writing.delete(who);
        return { written: writes, failed: [] };
      },
    });
    const settings = parseShopSettings({}).stock;
    const log = createLogger({ level: "silent" });
    const fanouts = stores.map((store, i) => {
      const who = i === 0 ? "a" : "b";
      return new StockFanout({
        store: new StockStore(store.db, Date.now),
        woo: portFor(who),
        settingsOf: async () => settings,
        log,
        coalesceMs: 5,
        parallelCallsPerShop: 1,
        exclusive: (shopId, work) => withRowLease(store, `stock-fanout:${shopId}`, work, { ttlMs: 5_000 }),
      });
    });
    const stock = new StockStore(stores[0]!.db, Date.now);
    for (const [i, sku] of SKUS.entries()) await stock.upsertLink("shop", { sku, wooId: 100 + i, parentId: null, manageStock: true });

    let figure = 0;
    for (let round = 0; round < 8; round++) {
      figure = 10 + round;
      for (const sku of SKUS) {
        await stock.saveItem(sku, { stock_quantity: figure, in_order_quantity: 0, available_quantity: figure, locations: null }, stock.nextFetchSeq());
      }
      // Both processes heard of the change (e.g. two webhook jobs) and fan it out at once.
      await Promise.all(fanouts.map((f, i) => f.markDirty(i === 0 ? SKUS : [...SKUS].reverse(), { delayMs: 0 })));
      await new Promise((r) => setTimeout(r, 10));
    }
    await Promise.all(fanouts.map((f) => f.idle()));
    for (const f of fanouts) f.close();

    expect(overlaps).toEqual([]);
    expect(calls).toBeGreaterThan(1);
    expect(SKUS.map((sku) => shop.get(sku))).toEqual(SKUS.map(() => figure));
    expect((await stock.linksForShop("shop")).map((l) => l.lastWritten)).toEqual(SKUS.map(() => figure));
    expect(await stores[0]!.db.selectFrom("leases").selectAll().execute()).toEqual([]);
  });
});
