/**
 * One bridge process of bench/scale-out.ts's orders part: a real bridge (startBridge) on the shared
 * PostgreSQL database with the orders feature as bench/orders.ts runs it — its periodic tasks
 * (status poller, reconciler) left out, stock hooks that only record — and the real pairing key
 * check against the WooCommerce sandboxes.
 *
 * On PostgreSQL the token's rate gate is the database gate every process shares; it is made here,
 * scaled like the sandbox's limit (RB_LIMIT per RB_WINDOW_MS), after the bridge started (before,
 * rateGateFor would make this process's in-memory gate) and before this process reports ready, so
 * before any job can call Rackbeat (the first call would otherwise make it with 480 a minute).
 *
 * Sends { url } over IPC once listening; SIGTERM closes the bridge and exits.
 * Env: DATABASE_URL, DATA_DIR, SECRET_KEY, RACKBEAT_BASE_URL, RB_TOKEN, RB_LIMIT, RB_WINDOW_MS,
 * WORKER_CONCURRENCY, JOB_BACKOFF_BASE_MS, JOB_BACKOFF_MAX_MS, BRIDGE_LOG_LEVEL (default warn).
 */
import { startBridge } from "../bridge/src/main.js";
import { createLogger } from "../bridge/src/observability/logger.js";
import { rateGateFor } from "../bridge/src/rackbeat/postgres-rate-gate.js";
import { registerOrderStockHooks } from "../bridge/src/sync/orders/order-hooks.js";
import { ordersFeature } from "../bridge/src/sync/orders/orders-feature.js";

const env = process.env;
if (!env.DATABASE_URL?.startsWith("postgres")) throw new Error("lib-scale-orders-bridge: DATABASE_URL must name a PostgreSQL database");
if (!env.RB_TOKEN) throw new Error("lib-scale-orders-bridge: RB_TOKEN (the Rackbeat sandbox's token) is required");
const level = (env.BRIDGE_LOG_LEVEL ?? "warn") as "warn";

const bridge = await startBridge({
  env: { ...env, PORT: "0", LOG_LEVEL: level },
  logger: createLogger({ level }),
  features: [{ ...ordersFeature, tasks: undefined }],
});
rateGateFor(env.RB_TOKEN, { limit: Number(env.RB_LIMIT ?? "480"), windowMs: Number(env.RB_WINDOW_MS ?? "60000"), maxConcurrent: 64 });
// Stock fan-out is the stock benchmark's subject; here orders in flight are recorded only.
registerOrderStockHooks(bridge.ctx, { start: async () => undefined, settle: async () => undefined, release: async () => undefined });
process.send?.({ url: bridge.url });
process.once("SIGTERM", () => void bridge.close().then(() => process.exit(0)));
process.on("disconnect", () => void bridge.close().then(() => process.exit(0)));
