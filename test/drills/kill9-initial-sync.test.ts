/**
 * Drill: kill -9 of the bridge during an initial sync (WooCommerce → Rackbeat, 200 products from a
 * generated catalogue; Rackbeat's rate limit scaled to 300 requests a second, so the kill lands
 * mid-run). The restarted bridge resumes where the dead one stopped: Rackbeat ends equal to the
 * shop, every product created once, every stock figure adjusted once.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { InitialSyncProgress } from "../../bridge/src/sync/initial/initial-sync-run.js";
import { type FreshStore, defaultStoreKind } from "../postgres/test-databases.js";
import { GeneratedCatalog } from "../products/generated-catalog.js";
import { type RackbeatSandbox, startRackbeatSandbox } from "../sandboxes/rackbeat/index.js";
import { forkBridge, killChildren, killHard, reportDrill, waitFor } from "./drill-kit.js";

describe(`drill: kill -9 during an initial sync (${defaultStoreKind.name})`, () => {
  let sandbox: RackbeatSandbox | undefined;
  let fresh: FreshStore | undefined;
  afterAll(async () => {
    await killChildren();
    await sandbox?.close();
    await fresh?.cleanup();
  });

  it("resumes where it stopped, creates nothing twice and ends with Rackbeat equal to the shop", async () => {
    const PRODUCTS = 200;
    const catalog = new GeneratedCatalog({ products: PRODUCTS });
    const expected = [...catalog.expected()];
    // Slow enough that the kill lands mid-run: 300 requests per second.
    const limit = { limit: 150, windowMs: 500 };
    sandbox = await startRackbeatSandbox({ rateLimit: limit });
    // Both processes on one store of this run's engine (SQLite file or PostgreSQL database).
    fresh = await defaultStoreKind.create();
    const env = {
      ...fresh.env,
      DRILL_MODE: "initial-sync",
      PORT: "0",
      JOB_LEASE_MS: "1500",
      JOB_BACKOFF_BASE_MS: "50",
      RACKBEAT_BASE_URL: sandbox.baseUrl,
      RACKBEAT_TOKEN: sandbox.token,
      // The bridge paces itself to the sandbox's real limit (no 429s needed to find it).
      RB_LIMIT: String(limit.limit),
      RB_WINDOW_MS: String(limit.windowMs),
      PRODUCTS: String(PRODUCTS),
    };

    const first = await forkBridge({ ...env, START: "1" });
    await waitFor(() => sandbox!.state.products.size >= expected.length / 3, "a third of the products created", 60_000);
    await killHard(first);
    const atKill = sandbox.state.products.size;
    expect(atKill).toBeLessThan(expected.length);

    let progress: InitialSyncProgress | undefined;
    await forkBridge({ ...env, START: "0" }, (m) => (progress = (m as { progress?: InitialSyncProgress }).progress));
    await waitFor(() => progress?.state === "done", "the initial sync done", 60_000);
    expect(progress).toMatchObject({ total: PRODUCTS, done: PRODUCTS, errors: 0, skipped: 0 });

    // Rackbeat equals the shop: every SKU once, with the shop's stock.
    const routes = sandbox.stats().byRoute;
    const creates = Number(routes["POST /products"] ?? 0);
    const adjustments = Number(routes["POST /inventory-adjustments"] ?? 0);
    const withStock = expected.filter((e) => e.stock !== 0).length;
    const arrived = expected.filter((e) => sandbox!.getProduct(e.sku)?.stock_quantity === e.stock).length;
    const strays = sandbox.state.products.size - expected.filter((e) => sandbox!.getProduct(e.sku)).length;
    reportDrill(
      "kill9-initial-sync",
      { sent: expected.length, arrived, duplicates: Math.max(0, creates - expected.length) + Math.max(0, adjustments - withStock) + strays, losses: expected.length - arrived },
      { created_at_kill: atKill, creates, adjustments },
    );
    // Nothing twice: one create per product, one stock adjustment per product with stock.
    expect(creates).toBe(expected.length);
    expect(adjustments).toBe(withStock);
  }, 120_000);
});
