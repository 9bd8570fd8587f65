/**
 * One bridge process of test/postgres/three-processes-sync.test.ts: a real bridge (startBridge) on
 * the shared PostgreSQL database with the real orders and stock features (their periodic tasks
 * included, the stock coalescing window shortened to STOCK_COALESCE_MS) and the real pairing key
 * check against the WooCommerce sandboxes.
 *
 * The token's rate gate on PostgreSQL is the database gate every process shares; it is made here,
 * scaled like the sandbox's limit (RB_LIMIT per RB_WINDOW_MS, RB_MAX_CONCURRENT in flight per
 * process), after the bridge started (before, rateGateFor would make this process's in-memory gate)
 * and before this process reports ready, so before any job can call Rackbeat.
 *
 * Sends { url, pid } over IPC once listening; SIGTERM or the parent going away closes the bridge.
 * Env: DATABASE_URL, DATA_DIR, SECRET_KEY, PORT (0: any), PUBLIC_URL, RACKBEAT_BASE_URL, RB_TOKEN,
 * RB_LIMIT, RB_WINDOW_MS, RB_MAX_CONCURRENT, STOCK_COALESCE_MS, JOB_LEASE_MS, WORKER_CONCURRENCY,
 * JOB_BACKOFF_BASE_MS, JOB_BACKOFF_MAX_MS, BRIDGE_LOG_LEVEL (default error).
 */
import { startBridge } from "../../bridge/src/main.js";
import { createLogger } from "../../bridge/src/observability/logger.js";
import { rateGateFor } from "../../bridge/src/rackbeat/postgres-rate-gate.js";
import { ordersFeature } from "../../bridge/src/sync/orders/orders-feature.js";
import { createStockFeature } from "../../bridge/src/sync/stock/index.js";

const env = process.env;
if (!env.DATABASE_URL?.startsWith("postgres")) throw new Error("sync-child: DATABASE_URL must name a PostgreSQL database");
if (!env.RB_TOKEN) throw new Error("sync-child: RB_TOKEN (the Rackbeat sandbox's token) is required");
const level = (env.BRIDGE_LOG_LEVEL ?? "error") as "error";

const bridge = await startBridge({
  env: { ...env, PORT: env.PORT ?? "0", LOG_LEVEL: level },
  logger: createLogger({ level }),
  // Stock before orders, as features.ts mounts them (the orders exporter uses stock's reservations).
  features: [createStockFeature({ coalesceMs: Number(env.STOCK_COALESCE_MS ?? "50") }), ordersFeature],
});
rateGateFor(env.RB_TOKEN, { limit: Number(env.RB_LIMIT ?? "480"), windowMs: Number(env.RB_WINDOW_MS ?? "60000"), maxConcurrent: Number(env.RB_MAX_CONCURRENT ?? "4") });
process.send?.({ url: bridge.url, pid: process.pid });
process.once("SIGTERM", () => void bridge.close().then(() => process.exit(0)));
process.on("disconnect", () => void bridge.close().then(() => process.exit(0)));
