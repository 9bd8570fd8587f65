import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MemoryCatalog } from "../../../../test/products/memory-catalog.js";
import { defaultStoreKind, openTwoProcessStores } from "../../../../test/postgres/test-databases.js";
import { type RackbeatSandbox, startRackbeatSandbox } from "../../../../test/sandboxes/rackbeat/index.js";
import { createLogger } from "../../observability/logger.js";
import { createRackbeatClient } from "../../rackbeat/index.js";
import { parseShopSettings } from "../../settings/shop-settings.js";
import type { Store } from "../../store/store.js";
import { ProductLinks } from "../products/product-links.js";
import { type InitialSyncDeps, InitialSyncRunningElsewhere, createInitialSyncRun, initialSyncProgress, runInitialSyncAlone } from "./initial-sync-run.js";

/** A catalogue whose pages take a while, as a real shop's do, so two executions overlap. */
class SlowCatalog extends MemoryCatalog {
  override async productsPage(page: number, perPage: number, options: { modifiedAfter?: string } = {}) {
    await new Promise((r) => setTimeout(r, 150));
    return super.productsPage(page, perPage, options);
  }
}

/**
 * A run's job executed twice at once — by two bridge processes (PostgreSQL: two stores on one
 * database), or by one process whose job lease ran out while the first execution still ran (SQLite
 * serves one process: one store). Each execution adjusts Rackbeat's stock by the difference it saw
 * at its start, so two at once would double every adjustment.
 */
describe(`initial sync: one execution of a shop's run at a time (${defaultStoreKind.name})`, () => {
  let stores: Store[];
  let cleanup: () => Promise<void>;
  let rackbeat: RackbeatSandbox;
  beforeEach(async () => {
    const two = await openTwoProcessStores();
    stores = two.stores;
    rackbeat = await startRackbeatSandbox({ rateLimit: false });
    cleanup = async () => {
      await rackbeat.close();
      await two.cleanup();
    };
  });
  afterEach(async () => {
    await cleanup();
  });

  it("a second execution is told to come back later; Rackbeat gets each product and each stock adjustment once", async () => {
    const catalog = new SlowCatalog();
    const PRODUCTS = 12;
    for (let i = 1; i <= PRODUCTS; i++) catalog.add({ id: i, sku: `P-${i}`, regularPrice: "100.00", stockQuantity: i });
    const settings = parseShopSettings({ products: { master: "woo_to_rackbeat", productGroups: { default: 1 } } }).products;
    const client = createRackbeatClient({
      token: rackbeat.token,
      baseUrl: rackbeat.baseUrl,
      userAgent: { product: "initial-sync-test", version: "0", contact: "test@example.invalid" },
      rateGate: { acquire: async () => ({ release: () => undefined }), pauseFor: () => undefined },
    });
    const depsFor = (store: Store): InitialSyncDeps => ({
      db: store.db,
      catalog,
      rackbeat: client,
      links: new ProductLinks(store.db, Date.now),
      settings,
      shopId: "shop-a",
      shopName: "Shop A",
      log: createLogger({ level: "silent" }),
    });
    const runId = await createInitialSyncRun(stores[0]!.db, "shop-a", settings);

    const executions = await Promise.allSettled(stores.map((store) => runInitialSyncAlone(store, depsFor(store), runId, { leaseTtlMs: 2_000 })));
    expect(executions.filter((e) => e.status === "fulfilled")).toHaveLength(1);
    const refused = executions.find((e) => e.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(InitialSyncRunningElsewhere);
    expect((refused.reason as InitialSyncRunningElsewhere).retryAfterMs).toBe(1_000);

    // The refused execution's retry finds the run finished and writes nothing.
    const before = { ...rackbeat.stats().byRoute };
    await runInitialSyncAlone(stores[1]!, depsFor(stores[1]!), runId, { leaseTtlMs: 2_000 });
    const writes = (routes: Record<string, number>) => Object.entries(routes).filter(([r]) => !r.startsWith("GET ")).reduce((n, [, c]) => n + c, 0);
    expect(writes(rackbeat.stats().byRoute)).toBe(writes(before));

    expect(await initialSyncProgress(stores[0]!.db, runId)).toMatchObject({ state: "done", total: PRODUCTS, done: PRODUCTS, errors: 0, skipped: 0 });
    const routes = rackbeat.stats().byRoute;
    expect(Number(routes["POST /products"] ?? 0)).toBe(PRODUCTS);
    expect(Number(routes["POST /inventory-adjustments"] ?? 0)).toBe(PRODUCTS);
    for (let i = 1; i <= PRODUCTS; i++) expect(rackbeat.getProduct(`P-${i}`)?.stock_quantity).toBe(i);
    // The lease is gone once the run ended (SQLite: its row; PostgreSQL holds none in the table).
    expect(await stores[0]!.db.selectFrom("leases").selectAll().execute()).toEqual([]);
  });
});
