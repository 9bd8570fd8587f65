/**
 * Stock benchmark (issue 6): Rackbeat → 20 shops × 10,000 SKUs.
 *
 * One Rackbeat sandbox (20 ms latency, rate limit scaled in time to 480 per 0.6 s, enforced by the
 * sandbox and paced by the bridge's shared gate) and 20 WooCommerce sandboxes (20 ms latency) run in
 * a child process (lib-stock-sandboxes.ts); this process runs a real bridge (stock feature with its
 * default 200 ms window, webhooks at PUBLIC_URL). Order traffic shares
 * the Rackbeat rate limit: 2 orders per second go through the reservation API as the exporter will
 * (start → create the order in Rackbeat → settle, which re-reads the item).
 *
 * Steady part: 5 stock changes per second in Rackbeat for STOCK_BENCH_SECONDS (default 200), each a
 * different SKU; latency = Rackbeat change → the last of the 20 shops written. Then a burst of 1,000
 * changes at once: burst_drain_s until all 20 shops have all 1,000 (SKUs an order touched meanwhile
 * excepted: their figure may net out unchanged); api_calls_to_woo = batch calls
 * made meanwhile; min_calls_to_woo = Σ over shops of ⌈items written ÷ 100⌉ (what batching allows).
 * rss_mb is this process's peak: the bridge and the measuring code, not the sandboxes.
 * Targets: p99_ms ≤ 1,000; api_calls_to_woo ≤ 1.1 × min_calls_to_woo.
 */
import { createServer } from "node:net";
import { RACKBEAT_TOKEN_KEY, rackbeatClient } from "../bridge/src/account/rackbeat-account.js";
import { startBridge } from "../bridge/src/main.js";
import { createLogger } from "../bridge/src/observability/logger.js";
import { sharedRateGateFor } from "../bridge/src/rackbeat/index.js";
import { createStockFeature, stockService } from "../bridge/src/sync/stock/index.js";
import { tempDir } from "../test/helpers/temp-dir.js";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

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

const initial = Array.from({ length: SKUS }, () => 5 + Math.floor(random() * 50));
const onHand = new Map<string, number>(initial.map((q, i) => [sku(i), q]));
log(`starting ${SHOPS} shop sandboxes × ${SKUS} products and the Rackbeat sandbox in a child process`);
const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./lib-stock-sandboxes.ts", import.meta.url))], {
  env: { ...process.env, SHOPS: String(SHOPS), SKUS: String(SKUS), LATENCY_MS: String(LATENCY_MS), STOCKS: JSON.stringify(initial) },
  stdio: ["pipe", "pipe", "inherit"],
});
const sandboxes = await new Promise<{
  rackbeat: { baseUrl: string; controlUrl: string; token: string; customer: number };
  shops: { url: string; consumerKey: string; consumerSecret: string }[];
  rss_mb: number;
}>((resolve, reject) => {
  createInterface({ input: child.stdout! }).once("line", (line) => resolve(JSON.parse(line)));
  child.once("exit", (code) => reject(new Error(`sandboxes exited with ${code}`)));
});
const customer = sandboxes.rackbeat.customer;
sharedRateGateFor(sandboxes.rackbeat.token, { limit: 480, windowMs: 600, maxConcurrent: 16 });
const setStock = async (number: string, quantity: number) => {
  const response = await fetch(`${sandboxes.rackbeat.controlUrl}/stock`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ number, quantity }),
  });
  if (!response.ok) throw new Error(`setStock ${number}: ${response.status}`);
  onHand.set(number, quantity);
};

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
    RACKBEAT_BASE_URL: sandboxes.rackbeat.baseUrl,
    WORKER_CONCURRENCY: process.env.STOCK_BENCH_WORKERS ?? "16",
    LOG_LEVEL: "error",
  },
  logger: createLogger({ level: "error" }),
  features: [createStockFeature({})],
  checkWooKeys: async () => ({ ok: true }),
});
const ctx = bridge.ctx;
await ctx.account.setSecret(RACKBEAT_TOKEN_KEY, sandboxes.rackbeat.token);
const stock = stockService(ctx);

const shops: { id: string }[] = [];
for (const [s, shop] of sandboxes.shops.entries()) {
  const { code } = await ctx.pairing.create(`Shop ${s + 1}`);
  const response = await fetch(`${bridge.url}/v1/pair`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ code, shop_url: shop.url, shop_name: `Shop ${s + 1}`, wc_consumer_key: shop.consumerKey, wc_consumer_secret: shop.consumerSecret, plugin_version: "0.1.0", protocol_version: 1 }),
  });
  if (response.status !== 201) throw new Error(`pairing failed: ${response.status}`);
  shops.push({ id: ((await response.json()) as { shop_id: string }).shop_id });
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
const callSizes: number[] = [];
stock.fanout.onWritten = (shopId, writes) => {
  const at = performance.now();
  writesTotal += writes.length;
  if (burstWritesByShop) {
    burstWritesByShop.set(shopId, (burstWritesByShop.get(shopId) ?? 0) + writes.length);
    callSizes.push(writes.length);
  }
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
  const at = performance.now();
  await setStock(s, Math.max(0, onHand.get(s)! + (random() < 0.5 ? -1 : 1) * (1 + Math.floor(random() * 3))));
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
{
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < burst.length) {
        const s = burst[next++]!;
        await setStock(s, onHand.get(s)! + 1 + Math.floor(random() * 5));
      }
    }),
  );
}
log(`burst sent in ${((performance.now() - burstStart) / 1000).toFixed(2)} s`);
let drained = false;
const progress = setInterval(() => {
  void ctx.queue.stats().then((q) => {
    const landed = burst.filter((s) => orderSkus.has(s) || writtenToAllAfter(s, burstStart) !== undefined).length;
    if (process.env.STOCK_BENCH_DEBUG) log(`  burst +${((performance.now() - burstStart) / 1000).toFixed(1)} s: jobs waiting ${q.waiting}, running ${q.running}; landed everywhere ${landed}; pending writes ${stock.fanout.pending()}`);
  });
}, 500);
while (performance.now() - burstStart < 120_000) {
  if (burst.every((s) => orderSkus.has(s) || writtenToAllAfter(s, burstStart) !== undefined)) {
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
if (process.env.STOCK_BENCH_DEBUG) log(`burst call sizes: ${JSON.stringify(Object.entries(callSizes.reduce<Record<number, number>>((m, n) => ({ ...m, [n]: (m[n] ?? 0) + 1 }), {})))}`);
log(`burst: ${drained ? "drained" : "NOT drained"} in ${burstDrainS.toFixed(2)} s; ${apiCalls} calls (min ${minCalls})`);

ordering = false;
await orderLoop;
const rb = (await (await fetch(`${sandboxes.rackbeat.controlUrl}/stats`)).json()) as { requests: number; rateLimited: number; peakInWindow: number };
log(`rackbeat: ${rb.requests} requests, ${rb.rateLimited} rate-limited (429), peak ${rb.peakInWindow} in a window; orders ${orders}; sandboxes process ${sandboxes.rss_mb} MB after seeding`);
clearInterval(rssTimer);
stock.close();
await bridge.close();
child.stdin!.end();
await new Promise((resolve) => child.once("exit", resolve));
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
