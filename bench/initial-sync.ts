/**
 * Initial sync benchmark (issue 7): 10,000 WooCommerce products, 20 % variable with 4 variations
 * each (16,000 Rackbeat products), every one with stock, into an empty Rackbeat sandbox whose rate
 * limit is scaled in time to 480 requests per 0.6 s (the bridge's gate is scaled the same way).
 * The sandbox runs in its own process; the shop is a generated catalogue (computed from ids).
 *
 *   min_calls = R + S + ceil(E / 1000) + G
 *     R = Rackbeat products to write (one create or update each)
 *     S = those with stock to set (one inventory adjustment each)
 *     E = products Rackbeat already has (read 1,000 per page; at least one page is read even when empty)
 *     G = product groups whose VAT rate is read (1 here)
 *   bound_s = min_calls / (480 / 0.6 s);  ratio = wall_s / bound_s
 *
 * rss_mb is the peak RSS of a separate process running the preflight over 100,000 products.
 * Sizes: BENCH_PRODUCTS (default 10000), BENCH_PREFLIGHT_PRODUCTS (default 100000).
 * Last line: JSON {products, calls, min_calls, wall_s, bound_s, ratio, sandbox_429s, rss_mb}.
 */
import { type ChildProcess, fork, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { RACKBEAT_TOKEN_KEY } from "../bridge/src/account/rackbeat-account.js";
import { startBridge } from "../bridge/src/main.js";
import { createLogger } from "../bridge/src/observability/logger.js";
import { sharedRateGateFor } from "../bridge/src/rackbeat/index.js";
import { initialSyncProgress } from "../bridge/src/sync/initial/initial-sync-run.js";
import { createProductsFeature } from "../bridge/src/sync/products/products-feature.js";
import { GeneratedCatalog } from "../test/products/generated-catalog.js";

const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? "10000");
const PREFLIGHT_PRODUCTS = Number(process.env.BENCH_PREFLIGHT_PRODUCTS ?? "100000");
const LIMIT = 480;
const WINDOW_MS = 600;
const here = import.meta.dirname;

async function startSandbox(): Promise<{ child: ChildProcess; baseUrl: string; controlUrl: string; token: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", join(here, "../test/sandboxes/rackbeat/main.ts"), "--rate-limit", `${LIMIT}/${WINDOW_MS}`], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    if (line.startsWith("{")) {
      const info = JSON.parse(line) as { base_url: string; control_url: string; token: string };
      return { child, baseUrl: info.base_url, controlUrl: info.control_url, token: info.token };
    }
  }
  throw new Error("sandbox did not start");
}

const sandbox = await startSandbox();
const control = async (path: string, method = "GET") => (await fetch(`${sandbox.controlUrl}${path}`, { method })).json() as Promise<Record<string, any>>;
const dataDir = mkdtempSync(join(tmpdir(), "rbc-initial-sync-bench-"));
// The bridge's gate for this token, scaled like the sandbox (made before the bridge's client).
// Time is scaled 100× but network latency is not: at 800 requests/s, 8 requests in flight would need
// answers within 10 ms, so the scaled gate allows 32 in flight (at 480/min, 8 is plenty).
sharedRateGateFor(sandbox.token, { limit: LIMIT, windowMs: WINDOW_MS, maxConcurrent: 32 });
const catalog = new GeneratedCatalog({ products: PRODUCTS });
const bridge = await startBridge({
  env: { DATA_DIR: dataDir, PORT: "0", LOG_LEVEL: "warn", RACKBEAT_BASE_URL: sandbox.baseUrl },
  logger: createLogger({ level: "warn" }),
  features: [createProductsFeature({ catalogFor: () => async () => catalog, fanOutStock: () => async () => undefined, initialSyncConcurrency: 48 })],
  checkWooKeys: async () => ({ ok: true }),
});
try {
  await bridge.ctx.account.setSecret(RACKBEAT_TOKEN_KEY, sandbox.token);
  const { shop } = await bridge.ctx.shops.create({ name: "Bench shop", url: "http://127.0.0.1:9/shop", wcConsumerKey: "ck", wcConsumerSecret: "cs", pluginVersion: "0", protocolVersion: 1, settings: {} });
  await bridge.ctx.shops.saveSettings(shop.id, { products: { master: "woo_to_rackbeat", productGroups: { default: 1 } } });
  await control("/stats/reset", "POST");

  const expected = catalog.rackbeatProducts;
  console.log(`initial sync: ${PRODUCTS} products → ${expected} Rackbeat products, limit ${LIMIT}/${WINDOW_MS} ms`);
  const started = performance.now();
  const { createInitialSyncRun } = await import("../bridge/src/sync/initial/initial-sync-run.js");
  const { parseShopSettings } = await import("../bridge/src/settings/shop-settings.js");
  const runId = await createInitialSyncRun(bridge.ctx.store.db, shop.id, parseShopSettings((await bridge.ctx.shops.get(shop.id))!.settings).products);
  await bridge.ctx.queue.enqueue({ kind: "initial-sync:run", idempotencyKey: `initial-sync:${runId}`, payload: { shopId: shop.id, runId }, shopId: shop.id, priority: -10 });
  let last = 0;
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    const p = (await initialSyncProgress(bridge.ctx.store.db, runId))!;
    if (performance.now() - last > 5000) {
      last = performance.now();
      console.log(`  ${p.done}/${p.total} products, ${p.errors} errors, eta ${p.eta_seconds ?? "?"} s`);
    }
    if (p.state === "done" || p.state === "failed") break;
    const parked = await bridge.ctx.queue.list({ state: "parked", limit: 5 });
    if (parked.length > 0) throw new Error(`initial sync parked: ${parked[0]!.lastError}`);
  }
  const wallS = (performance.now() - started) / 1000;
  const progress = (await initialSyncProgress(bridge.ctx.store.db, runId))!;
  const stats = await control("/stats");
  const calls = Number(stats.requests);
  const withStock = [...catalog.expected()].filter((e) => e.stock !== 0).length;
  const existingPages = Math.max(1, Math.ceil(0 / 1000));
  const minCalls = expected + withStock + existingPages + 1;
  const boundS = minCalls / (LIMIT / (WINDOW_MS / 1000));
  console.log(`  done: ${progress.rackbeat_products} written, ${progress.stock_adjustments} adjustments, ${progress.errors} errors, ${calls} calls in ${wallS.toFixed(1)} s`);
  if (progress.errors > 0 || progress.rackbeat_products !== expected) throw new Error(`run incomplete: ${JSON.stringify(progress).slice(0, 500)}`);

  console.log(`preflight: ${PREFLIGHT_PRODUCTS} products in a separate process…`);
  const child = fork(join(here, "lib-initial-sync-preflight.ts"), [], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, PREFLIGHT_PRODUCTS: String(PREFLIGHT_PRODUCTS), RACKBEAT_BASE_URL: sandbox.baseUrl, RACKBEAT_TOKEN: sandbox.token },
  });
  const pre = await new Promise<{ rss_mb: number; seconds: number; items: number }>((resolve, reject) => {
    child.once("message", (m) => resolve(m as { rss_mb: number; seconds: number; items: number }));
    child.once("exit", (code) => reject(new Error(`preflight child exited with ${code}`)));
  });
  console.log(`  preflight of ${pre.items} items in ${pre.seconds.toFixed(1)} s, peak RSS ${pre.rss_mb} MB`);
  const finalStats = await control("/stats");
  console.log(
    JSON.stringify({
      products: PRODUCTS,
      calls,
      min_calls: minCalls,
      wall_s: Number(wallS.toFixed(2)),
      bound_s: Number(boundS.toFixed(2)),
      ratio: Number((wallS / boundS).toFixed(3)),
      sandbox_429s: Number(finalStats.sent429),
      rss_mb: pre.rss_mb,
    }),
  );
} finally {
  await bridge.close();
  sandbox.child.kill("SIGTERM");
  rmSync(dataDir, { recursive: true, force: true });
}
