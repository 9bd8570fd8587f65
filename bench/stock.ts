/**
 * Stock benchmark (issue 6): Rackbeat → 20 shops × 10,000 SKUs.
 *
 * One Rackbeat sandbox (20 ms latency, rate limit scaled in time to 480 per 0.6 s, enforced by the
 * sandbox and paced by the bridge's shared gate) and 20 WooCommerce sandboxes (20 ms latency), all
 * in this process with a real bridge (stock feature, webhooks at PUBLIC_URL). Order traffic shares
 * the Rackbeat rate limit: 2 orders per second go through the reservation API as the exporter will
 * (start → create the order in Rackbeat → settle, which re-reads the item).
 *
 * Steady part: 5 stock changes per second in Rackbeat for STOCK_BENCH_SECONDS (default 200), each a
 * different SKU; latency = Rackbeat change → the last of the 20 shops written. Then a burst of 1,000
 * changes at once: burst_drain_s until all 20 shops have all 1,000; api_calls_to_woo = batch calls
 * made meanwhile; min_calls_to_woo = Σ over shops of ⌈items written ÷ 100⌉ (what batching allows).
 * rss_mb is the whole process's peak (bridge plus 21 sandboxes holding 200,000 shop products).
 * Targets: p99_ms ≤ 1,000; api_calls_to_woo ≤ 1.1 × min_calls_to_woo.
 */
import { createServer } from "node:net";
import { RACKBEAT_TOKEN_KEY, rackbeatClient } from "../bridge/src/account/rackbeat-account.js";
import { startBridge } from "../bridge/src/main.js";
import { createLogger } from "../bridge/src/observability/logger.js";
import { sharedRateGateFor } from "../bridge/src/rackbeat/index.js";
import { createStockFeature, stockService } from "../bridge/src/sync/stock/index.js";
import { tempDir } from "../test/helpers/temp-dir.js";
import { startRackbeatSandbox } from "../test/sandboxes/rackbeat/index.js";
import { type WooSandbox, startWooSandbox } from "../test/sandboxes/woocommerce/index.js";

const SHOPS = Number(process.env.STOCK_BENCH_SHOPS ?? 20);
const SKUS = Number(process.env.STOCK_BENCH_SKUS ?? 10_000);
const SECONDS = Number(process.env.STOCK_BENCH_SECONDS ?? 200);
const CHANGES_PER_S = 5;
const BURST = Number(process.env.STOCK_BENCH_BURST ?? 1_000);
const LATENCY_MS = 20;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
let peakRss = process.memoryUsage().rss;
const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
const log = (msg: string) => console.log(`[stock bench] ${msg}`);

const sku = (i: number) => `SKU-${String(i).padStart(5, "0")}`;
let seed = 7;
const random = () => {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 2 ** 32;
};

const rackbeat = await startRackbeatSandbox({ rateLimit: { limit: 480, windowMs: 600 }, latencyMs: LATENCY_MS });
sharedRateGateFor(rackbeat.token, { limit: 480, windowMs: 600, maxConcurrent: 16 });
const initial = new Map<string, number>();
rackbeat.seedProducts(
  Array.from({ length: SKUS }, (_, i) => {
    const stock = 5 + Math.floor(random() * 50);
    initial.set(sku(i), stock);
    return { number: sku(i), stock };
  }),
);
const [customer] = rackbeat.seedCustomers([{ name: "Webshop customer" }]) as [number];

const port = await new Promise<number>((resolve) => {
  const s = createServer().listen(0, "127.0.0.1", () => {
    const p = (s.address() as { port: number }).port;
    s.close(() => resolve(p));
  });
});
const dir = tempDir("rbc-bench-stock-");
const bridge = await startBridge({
  env: {
    DATA_DIR: dir.path,
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    RACKBEAT_BASE_URL: rackbeat.baseUrl,
    WORKER_CONCURRENCY: process.env.STOCK_BENCH_WORKERS ?? "16",
    LOG_LEVEL: "error",
  },
  logger: createLogger({ level: "error" }),
  features: [createStockFeature({ coalesceMs: 250 })],
  checkWooKeys: async () => ({ ok: true }),
});
const ctx = bridge.ctx;
await ctx.account.setSecret(RACKBEAT_TOKEN_KEY, rackbeat.token);
const stock = stockService(ctx);

log(`seeding ${SHOPS} shops × ${SKUS} products`);
const shops: { id: string; woo: WooSandbox }[] = [];
for (let s = 0; s < SHOPS; s++) {
  const woo = await startWooSandbox({ https: "assume" });
  for (let i = 0; i < SKUS; i++) woo.seedProduct({ sku: sku(i), name: sku(i), regularPrice: "10.00", manageStock: true, stockQuantity: initial.get(sku(i))! });
  woo.injectFault({ kind: "latency", ms: LATENCY_MS, times: Infinity });
  const key = woo.createKey();
  const { code } = await ctx.pairing.create(`Shop ${s + 1}`);
  const response = await fetch(`${bridge.url}/v1/pair`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ code, shop_url: woo.url, shop_name: `Shop ${s + 1}`, wc_consumer_key: key.consumerKey, wc_consumer_secret: key.consumerSecret, plugin_version: "0.1.0", protocol_version: 1 }),
  });
  if (response.status !== 201) throw new Error(`pairing failed: ${response.status}`);
  shops.push({ id: ((await response.json()) as { shop_id: string }).shop_id, woo });
}
await stock.checkWebhooks();
log(`mode: ${(await stock.mode()).mode}; linking (reconcile, both sides paged)…`);
const linkStart = performance.now();
const reports = await stock.reconcileAll();
log(`linked in ${((performance.now() - linkStart) / 1000).toFixed(1)} s; drift found: ${reports.reduce((n, r) => n + r.drift, 0)}`);
await stock.fanout.idle();

// Every write the bridge makes, per SKU: the time each shop got it.
const written = new Map<string, Map<string, number>>();
let writesTotal = 0;
let burstWritesByShop: Map<string, number> | undefined;
stock.fanout.onWritten = (shopId, writes) => {
  const at = performance.now();
  writesTotal += writes.length;
  if (burstWritesByShop) burstWritesByShop.set(shopId, (burstWritesByShop.get(shopId) ?? 0) + writes.length);
  for (const w of writes) {
    let byShop = written.get(w.sku);
    if (!byShop) written.set(w.sku, (byShop = new Map()));
    byShop.set(shopId, at);
  }
};
const writtenToAllAfter = (s: string, t0: number): number | undefined => {
  const byShop = written.get(s);
  if (!byShop || byShop.size < shops.length) return undefined;
  let last = 0;
  for (const shop of shops) {
    const at = byShop.get(shop.id);
    if (at === undefined || at < t0) return undefined;
    last = Math.max(last, at);
  }
  return last;
};

// Order traffic: 2 per second through the reservation API, sharing the Rackbeat rate limit.
const orderSkus = new Set<string>();
let ordering = true;
let orders = 0;
let nextWooOrder = 1;
const orderLoop = (async () => {
  const client = await rackbeatClient(ctx);
  const inFlight: Promise<void>[] = [];
  while (ordering) {
    const shop = shops[Math.floor(random() * shops.length)]!;
    const item = sku(Math.floor(random() * SKUS));
    orderSkus.add(item);
    const wooOrderId = nextWooOrder++;
    inFlight.push(
      (async () => {
        await stock.reservations.start(shop.id, wooOrderId, [{ sku: item, quantity: 1 }]);
        const created = await client.createOrder({ customer_id: customer, lines: [{ item_id: item, quantity: 1 }] });
        await stock.reservations.settle(shop.id, wooOrderId, { rackbeatOrderNumber: created.number, state: "booked" });
        orders++;
      })().catch((e: unknown) => log(`order failed: ${String(e)}`)),
    );
    await sleep(500);
  }
  await Promise.all(inFlight);
})();

// Steady part: 5 changes per second, each on a SKU not touched before.
const unused = Array.from({ length: SKUS }, (_, i) => sku(i)).sort(() => random() - 0.5);
const changes: { sku: string; at: number }[] = [];
const steadyEnd = performance.now() + SECONDS * 1000;
log(`steady: ${CHANGES_PER_S} changes/s for ${SECONDS} s`);
let tick = 0;
while (performance.now() < steadyEnd) {
  const due = tick * (1000 / CHANGES_PER_S);
  const startedAt = steadyEnd - SECONDS * 1000;
  const wait = startedAt + due - performance.now();
  if (wait > 0) await sleep(wait);
  tick++;
  const s = unused.pop()!;
  const onHand = Number(rackbeat.getProduct(s)!.stock_quantity);
  const at = performance.now();
  rackbeat.setStock(s, onHand + (random() < 0.5 ? -1 : 1) * (1 + Math.floor(random() * 3)));
  changes.push({ sku: s, at });
  if (tick % (CHANGES_PER_S * 20) === 0) log(`${tick} changes, ${writesTotal} shop writes, ${orders} orders`);
}
await sleep(3_000);
const latencies: number[] = [];
let lost = 0;
for (const c of changes) {
  if (orderSkus.has(c.sku)) continue; // an order touched it too: not a clean measurement
  const last = writtenToAllAfter(c.sku, c.at);
  if (last === undefined) lost++;
  else latencies.push(last - c.at);
}
latencies.sort((a, b) => a - b);
const pct = (p: number) => (latencies.length === 0 ? NaN : latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!);
log(`steady: ${latencies.length} measured, ${lost} not seen in every shop, p50 ${pct(50).toFixed(0)} ms, p99 ${pct(99).toFixed(0)} ms`);

// Burst: 1,000 changes at once.
await stock.fanout.idle();
burstWritesByShop = new Map();
const callsBefore = stock.fanout.stats.calls;
const burst = unused.splice(0, BURST);
const burstStart = performance.now();
for (const s of burst) {
  const onHand = Number(rackbeat.getProduct(s)!.stock_quantity);
  rackbeat.setStock(s, onHand + 1 + Math.floor(random() * 5));
}
let drained = false;
const progress = setInterval(() => {
  void ctx.queue.stats().then((q) => {
    const delivered = rackbeat.webhookDeliveries().filter((d) => d.finished_at !== null).length;
    const reads = rackbeat.stats().byRoute["GET /products/:number"] ?? 0;
    if (process.env.STOCK_BENCH_DEBUG) log(`  burst +${((performance.now() - burstStart) / 1000).toFixed(1)} s: jobs waiting ${q.waiting}, running ${q.running}; webhooks delivered ${delivered}; item reads ${reads}; pending writes ${stock.fanout.pending()}`);
  });
}, 500);
while (performance.now() - burstStart < 120_000) {
  if (burst.every((s) => writtenToAllAfter(s, burstStart) !== undefined)) {
    drained = true;
    break;
  }
  await sleep(20);
}
const burstDrainS = (performance.now() - burstStart) / 1000;
clearInterval(progress);
await stock.fanout.idle();
const apiCalls = stock.fanout.stats.calls - callsBefore;
const minCalls = [...burstWritesByShop.values()].reduce((n, w) => n + Math.ceil(w / 100), 0);
log(`burst: ${drained ? "drained" : "NOT drained"} in ${burstDrainS.toFixed(2)} s; ${apiCalls} calls (min ${minCalls})`);

ordering = false;
await orderLoop;
const rb = rackbeat.stats();
log(`rackbeat: ${rb.requests} requests, ${rb.rateLimited} rate-limited (429), peak ${rb.peakInWindow} in a window; orders ${orders}`);
clearInterval(rssTimer);
stock.close();
await bridge.close();
await rackbeat.close();
for (const s of shops) await s.woo.close();
dir.cleanup();
console.log(
  JSON.stringify({
    changes: changes.length + burst.length,
    shop_writes: writesTotal,
    api_calls_to_woo: apiCalls,
    min_calls_to_woo: minCalls,
    p50_ms: Math.round(pct(50)),
    p99_ms: Math.round(pct(99)),
    burst_drain_s: Number(burstDrainS.toFixed(2)),
    rss_mb: Math.round(peakRss / 1024 / 1024),
  }),
);
