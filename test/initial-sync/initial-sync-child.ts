/**
 * A bridge process for the kill -9 test: the products feature over a generated catalogue of
 * PRODUCTS products, Rackbeat at RACKBEAT_BASE_URL, the store at DATA_DIR (PostgreSQL when
 * DATABASE_URL is set). With START=1 it pairs a shop and starts an initial sync; either way it
 * reports the latest run's progress over IPC every 100 ms.
 */
import { RACKBEAT_TOKEN_KEY } from "../../bridge/src/account/rackbeat-account.js";
import { startBridge } from "../../bridge/src/main.js";
import { createLogger } from "../../bridge/src/observability/logger.js";
import { rateGateFor } from "../../bridge/src/rackbeat/postgres-rate-gate.js";
import { parseShopSettings } from "../../bridge/src/settings/shop-settings.js";
import { createInitialSyncRun, initialSyncProgress, latestInitialSyncRun } from "../../bridge/src/sync/initial/initial-sync-run.js";
import { INITIAL_SYNC_JOB, createProductsFeature } from "../../bridge/src/sync/products/products-feature.js";
import { GeneratedCatalog } from "../products/generated-catalog.js";

const catalog = new GeneratedCatalog({ products: Number(process.env.PRODUCTS ?? "200") });
const bridge = await startBridge({
  env: { DATA_DIR: process.env.DATA_DIR!, DATABASE_URL: process.env.DATABASE_URL ?? "", PORT: "0", LOG_LEVEL: "silent", RACKBEAT_BASE_URL: process.env.RACKBEAT_BASE_URL!, JOB_LEASE_MS: "1500", JOB_BACKOFF_BASE_MS: "50" },
  logger: createLogger({ level: "silent" }),
  features: [createProductsFeature({ catalogFor: () => async () => catalog, fanOutStock: () => async () => undefined })],
  checkWooKeys: async () => ({ ok: true }),
  runWorkers: false,
});
// The token's rate gate counts the sandbox's real limit (RB_LIMIT per RB_WINDOW_MS), made before any
// job can call Rackbeat. On PostgreSQL the gate lives in the database, so the slots the killed
// process used still count; with the default 480 a minute the resumed run waited out the minute.
rateGateFor(process.env.RACKBEAT_TOKEN!, { limit: Number(process.env.RB_LIMIT ?? "480"), windowMs: Number(process.env.RB_WINDOW_MS ?? "60000") });
bridge.runner.start();
let shopId = (await bridge.ctx.shops.list())[0]?.id;
if (process.env.START === "1") {
  await bridge.ctx.account.setSecret(RACKBEAT_TOKEN_KEY, process.env.RACKBEAT_TOKEN!);
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
