/**
 * One real bridge process (startBridge over the store in DATA_DIR / DATABASE_URL) for the kill -9
 * drills: the test forks it, kills it with SIGKILL mid-work and forks it again on the same store. It
 * answers over IPC `{ready, url}` once it listens.
 *
 * DRILL_MODE picks the features:
 * - "orders": the orders feature; orders in flight are recorded by no-op stock hooks (stock stays
 *   out of the order drills, as in test/orders).
 * - "stock": the stock feature (Rackbeat webhooks → every shop).
 * - "initial-sync": the products feature over a generated catalogue of PRODUCTS products; with
 *   START=1 it pairs a shop and starts an initial sync itself; it reports the latest run's progress
 *   over IPC every 100 ms.
 *
 * Every other setting comes from the environment (PORT, RACKBEAT_BASE_URL, JOB_LEASE_MS …);
 * DRILL_LOG_LEVEL (default silent) sets the log level. With RACKBEAT_TOKEN, the token's rate gate
 * counts RB_LIMIT requests per RB_WINDOW_MS (default: roomy, the sandbox's own limit is what a drill
 * tests) — set before any job can reach Rackbeat; on PostgreSQL the gate lives in the database,
 * so the slots a killed process used still count after the restart.
 */
import { RACKBEAT_TOKEN_KEY } from "../../bridge/src/account/rackbeat-account.js";
import type { Feature } from "../../bridge/src/context.js";
import { startBridge } from "../../bridge/src/main.js";
import { createLogger } from "../../bridge/src/observability/logger.js";
import { rateGateFor } from "../../bridge/src/rackbeat/postgres-rate-gate.js";
import { parseShopSettings } from "../../bridge/src/settings/shop-settings.js";
import { createInitialSyncRun, initialSyncProgress, latestInitialSyncRun } from "../../bridge/src/sync/initial/initial-sync-run.js";
import { registerOrderStockHooks } from "../../bridge/src/sync/orders/order-hooks.js";
import { ordersFeature } from "../../bridge/src/sync/orders/orders-feature.js";
import { INITIAL_SYNC_JOB, createProductsFeature } from "../../bridge/src/sync/products/products-feature.js";
import { createStockFeature } from "../../bridge/src/sync/stock/index.js";
import { GeneratedCatalog } from "../products/generated-catalog.js";

const mode = process.env.DRILL_MODE;
const level = (process.env.DRILL_LOG_LEVEL ?? "silent") as "silent";
let features: Feature[];
if (mode === "orders") features = [ordersFeature];
else if (mode === "stock") features = [createStockFeature()];
else if (mode === "initial-sync") {
  const catalog = new GeneratedCatalog({ products: Number(process.env.PRODUCTS ?? "200") });
  features = [createProductsFeature({ catalogFor: () => async () => catalog, fanOutStock: () => async () => undefined })];
} else throw new Error(`DRILL_MODE must be orders, stock or initial-sync (got ${mode})`);

const bridge = await startBridge({
  env: { ...process.env, LOG_LEVEL: level },
  logger: createLogger({ level }),
  features,
  // The initial sync's job calls Rackbeat at once: its workers start after the gate is set below.
  ...(mode === "initial-sync" ? { checkWooKeys: async () => ({ ok: true }), runWorkers: false } : {}),
});
const token = process.env.RACKBEAT_TOKEN;
if (token) {
  // Right after start: every job reaches Rackbeat only after several store reads and HTTP calls.
  const limit = process.env.RB_LIMIT ? { limit: Number(process.env.RB_LIMIT), windowMs: Number(process.env.RB_WINDOW_MS ?? "60000") } : { limit: 100_000, windowMs: 1_000, maxConcurrent: 16 };
  rateGateFor(token, limit);
}
if (mode === "initial-sync") bridge.runner.start();

if (mode === "orders") {
  const none = async () => undefined;
  registerOrderStockHooks(bridge.ctx, { start: none, settle: none, release: none });
}

if (mode === "initial-sync") {
  let shopId = (await bridge.ctx.shops.list())[0]?.id;
  if (process.env.START === "1") {
    await bridge.ctx.account.setSecret(RACKBEAT_TOKEN_KEY, token!);
    const { shop } = await bridge.ctx.shops.create({ name: "Crash shop", url: "http://127.0.0.1:9/shop", wcConsumerKey: "ck", wcConsumerSecret: "cs", pluginVersion: "0", protocolVersion: 1, settings: {} });
    shopId = shop.id;
    await bridge.ctx.shops.saveSettings(shop.id, { products: { master: "woo_to_rackbeat", productGroups: { default: 1 } } });
    const settings = parseShopSettings((await bridge.ctx.shops.get(shop.id))!.settings).products;
    const runId = await createInitialSyncRun(bridge.ctx.store.db, shop.id, settings);
    await bridge.ctx.queue.enqueue({ kind: INITIAL_SYNC_JOB, idempotencyKey: `initial-sync:${runId}`, payload: { shopId: shop.id, runId }, shopId: shop.id, priority: -10 });
  }
  setInterval(() => {
    void (async () => {
      const runId = shopId ? await latestInitialSyncRun(bridge.ctx.store.db, shopId) : undefined;
      const progress = runId ? await initialSyncProgress(bridge.ctx.store.db, runId) : undefined;
      process.send?.({ progress });
    })();
  }, 100);
}

process.send?.({ ready: true, url: bridge.url });
process.once("SIGTERM", () => void bridge.close().then(() => process.exit(0)));
