/**
 * `npm run bench -- scale-out`: several bridge processes sharing one PostgreSQL database.
 *
 * 1. Jobs that each wait 50 ms on I/O (as Rackbeat and WooCommerce calls do), run by 1 and then by
 *    3 bridge processes (real bridges, test/postgres/scale-child.ts), each with the same worker
 *    concurrency, on a fresh database each → jobs_per_s_1, jobs_per_s_3, speedup.
 * 2. A burst of jobs that each call the Rackbeat sandbox through the token's shared rate gate, by 3
 *    processes, against a sandbox counting a scaled limit → sandbox_429s (the processes share the
 *    limit, so 0).
 * 3. The orders benchmark (bench/orders.ts's steady part) with 3 bridge processes: real bridges
 *    (bench/lib-scale-orders-bridge.ts: the orders feature without its periodic tasks, WORKER_
 *    CONCURRENCY as bench/orders.ts, BENCH_WORKERS or 64) on one fresh database, same SECRET_KEY,
 *    sharing the Rackbeat sandbox's scaled limit (480 per 0.6 s, 50 ms latency) through the
 *    database rate gate, each process's gate scaled like it. The sandboxes (Rackbeat + 3
 *    WooCommerce shops) run in their own process (lib-orders-sandboxes.ts); the shops are paired
 *    once through the first process, then BENCH_SCALE_ORDERS orders arrive at 6/s, each order's
 *    signed event sent to one of the 3 processes in turn (as a load balancer would).
 *    orders_p99_ms_3 = p99 of event sent → Rackbeat created the order (over the orders that arrived);
 *    orders_3 orders placed, orders_in_rackbeat_3 of them found in Rackbeat at the end.
 * sandbox_429s: 429s both Rackbeat sandboxes answered (parts 2 and 3).
 * duplicates: jobs whose handler finished more than once (parts 1 and 2; no process is killed here,
 * so any is a fault) plus extra Rackbeat orders for one order reference (part 3).
 * Targets: speedup ≥ 2.5, sandbox_429s 0, duplicates 0.
 * Sizes: BENCH_JOBS (default 2400), BENCH_CONCURRENCY (default 8 per process), BENCH_SCALE_ORDERS
 * (default 300).
 */
import { type ChildProcess, fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Activity } from "../bridge/src/activity/activity.js";
import { JobQueue } from "../bridge/src/jobs/queue.js";
import { RACKBEAT_TOKEN_KEY } from "../bridge/src/account/rackbeat-account.js";
import { AccountSettings } from "../bridge/src/shops/account.js";
import { PairingCodes } from "../bridge/src/shops/pairing.js";
import { SHOP_ROW_FRESH_MS, Shops } from "../bridge/src/shops/shops.js";
import { startRackbeatSandbox } from "../test/sandboxes/rackbeat/index.js";
import { postgresStores } from "../test/postgres/test-databases.js";
import { latenciesMs, pairBenchShops, percentile, placeOrders, sendSteadily, startOrdersSandboxes, tallyRackbeat, waitForOrders } from "./lib-orders-run.js";

const JOBS = Number(process.env.BENCH_JOBS ?? "2400");
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? "8");
const SCALE_ORDERS = Number(process.env.BENCH_SCALE_ORDERS ?? "300");
const ORDER_RATE = 6;
const ORDER_LIMIT = { limit: 480, windowMs: 600 };
const child = fileURLToPath(new URL("../test/postgres/scale-child.ts", import.meta.url));
const secretKey = randomBytes(32).toString("base64");
let duplicates = 0;

/** Forks a bridge process (scale-child.ts unless `script` is given); resolves with it and its first message, sent once it is ready. */
function startProcess(env: Record<string, string>, script = child): Promise<{ process: ChildProcess; ready: unknown }> {
  const p = fork(script, [], { env: { ...process.env, ...env }, execArgv: ["--import", "tsx"], stdio: "inherit" });
  return new Promise((resolve, reject) => {
    p.once("message", (ready) => resolve({ process: p, ready }));
    p.once("exit", (code) => reject(new Error(`bridge process exited early with ${code}`)));
  });
}

async function phase(label: string, processes: number, jobs: number, extraEnv: Record<string, string>): Promise<number> {
  const fresh = await postgresStores.create();
  const store = await fresh.open();
  const journal = join(fresh.dataDir, "journal.txt");
  const env = { ...fresh.env, SECRET_KEY: secretKey, JOURNAL: journal, WORKER_CONCURRENCY: String(CONCURRENCY), ...extraEnv };
  const children = (await Promise.all(Array.from({ length: processes }, () => startProcess(env)))).map((c) => c.process);
  const queue = new JobQueue(store, new Activity(store.db), { maxAttempts: 5, backoff: { baseMs: 100, maxMs: 1000 }, leaseMs: 60_000 });
  const started = performance.now();
  await queue.enqueueMany(Array.from({ length: jobs }, (_, n) => ({ kind: "burst", idempotencyKey: `bench-${n}`, payload: { n } })));
  let last = 0;
  for (;;) {
    const stats = await queue.stats();
    if (stats.waiting + stats.running === 0) break;
    if (performance.now() - last > 2000) {
      last = performance.now();
      console.log(`[scale-out] ${label}: ${jobs - stats.waiting - stats.running}/${jobs} done`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const seconds = (performance.now() - started) / 1000;
  const done = existsSync(journal) ? readFileSync(journal, "utf8").split("\n").filter((l) => l.startsWith("done ")).map((l) => l.split(" ")[1]) : [];
  duplicates += done.length - new Set(done).size;
  if (new Set(done).size !== jobs) throw new Error(`${label}: ${new Set(done).size} of ${jobs} jobs ran`);
  for (const c of children) c.kill("SIGTERM");
  await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once("exit", r)))));
  await store.close();
  await fresh.cleanup();
  const perSecond = jobs / seconds;
  console.log(`[scale-out] ${label}: ${jobs} jobs in ${seconds.toFixed(2)} s = ${perSecond.toFixed(0)} jobs/s`);
  return perSecond;
}

console.log(`[scale-out] ${JOBS} jobs of 50 ms I/O, ${CONCURRENCY} workers per process, PostgreSQL at 127.0.0.1:5432`);
const one = await phase("1 process", 1, JOBS, { HOLD_MS: "50" });
const three = await phase("3 processes", 3, JOBS, { HOLD_MS: "50" });

// Phase 2: a shared, scaled Rackbeat limit (480 per 2 s, as 480/min scaled 30×).
const TOKEN = "rb-bench-token-0123456789abcdefghijklmn";
const sandbox = await startRackbeatSandbox({ tokens: [TOKEN], rateLimit: { limit: 480, windowMs: 2000 } });
await phase("3 processes, shared Rackbeat limit", 3, 1200, {
  HOLD_MS: "0",
  RACKBEAT_BASE_URL: sandbox.baseUrl,
  RB_TOKEN: TOKEN,
  RB_LIMIT: "480",
  RB_WINDOW_MS: "2000",
});
const stats = sandbox.stats();
console.log(`[scale-out] sandbox: ${stats.requests} requests, peak ${stats.peakInWindow} in a window of 2 s (limit 480), ${stats.sent429} answered 429`);
await sandbox.close();

// Phase 3: the orders benchmark's steady part through 3 bridge processes sharing Rackbeat's limit.
const orders = await ordersPart(3, SCALE_ORDERS);
duplicates += orders.duplicates;

console.log(
  JSON.stringify({
    jobs_per_s_1: Math.round(one),
    jobs_per_s_3: Math.round(three),
    speedup: Number((three / one).toFixed(2)),
    orders_p99_ms_3: orders.p99Ms,
    orders_3: orders.orders,
    orders_in_rackbeat_3: orders.inRackbeat,
    sandbox_429s: stats.sent429 + orders.sent429,
    duplicates,
  }),
);
process.exit(0);

async function ordersPart(processes: number, count: number): Promise<{ p99Ms: number | null; orders: number; inRackbeat: number; duplicates: number; sent429: number }> {
  const label = `orders, ${processes} processes`;
  const log = (msg: string) => console.log(`[scale-out] ${label}: ${msg}`);
  const sandboxes = await startOrdersSandboxes({ shops: 3, limit: ORDER_LIMIT, latencyMs: 50 });
  const fresh = await postgresStores.create();
  // This process's view of the same store (same SECRET_KEY): pairing codes, shop settings, the token.
  const store = await fresh.open({ secretKey });
  const env = {
    ...fresh.env,
    SECRET_KEY: secretKey,
    RACKBEAT_BASE_URL: sandboxes.rackbeat.baseUrl,
    RB_TOKEN: sandboxes.rackbeat.token,
    RB_LIMIT: String(ORDER_LIMIT.limit),
    RB_WINDOW_MS: String(ORDER_LIMIT.windowMs),
    WORKER_CONCURRENCY: process.env.BENCH_WORKERS ?? "64",
    JOB_BACKOFF_BASE_MS: "200",
    JOB_BACKOFF_MAX_MS: "2000",
  };
  const script = fileURLToPath(new URL("./lib-scale-orders-bridge.ts", import.meta.url));
  const bridges = await Promise.all(Array.from({ length: processes }, () => startProcess(env, script)));
  const urls = bridges.map((b) => (b.ready as { url: string }).url);

  const shops = await pairBenchShops(urls[0]!, { pairing: new PairingCodes(store.db), shops: new Shops(store.db, store.secrets) }, sandboxes.shops);
  await new AccountSettings(store.db, store.secrets).setSecret(RACKBEAT_TOKEN_KEY, sandboxes.rackbeat.token);
  log(`placing ${count} orders in ${shops.length} shops`);
  const placed = await placeOrders(sandboxes, shops, count, 0);
  // The process that paired the shops reuses their rows for SHOP_ROW_FRESH_MS: let it see the settings.
  await new Promise((r) => setTimeout(r, SHOP_ROW_FRESH_MS + 100));

  log(`${count} orders at ${ORDER_RATE}/s, events to the ${processes} processes in turn`);
  await sendSteadily(sandboxes, placed, ORDER_RATE, (i) => urls[i % urls.length]!, log);
  await waitForOrders(sandboxes, placed, 120_000, log);
  const latencies = latenciesMs(sandboxes, placed);
  const p99Ms = percentile(latencies, 99);
  // Let the last jobs (write-backs, any retry) finish, so a late duplicate is counted too.
  const queue = new JobQueue(store, new Activity(store.db), { maxAttempts: 12, backoff: { baseMs: 200, maxMs: 2000 }, leaseMs: 120_000 });
  const idleUntil = Date.now() + 30_000;
  for (;;) {
    const q = await queue.stats();
    if (q.waiting + q.running === 0 || Date.now() > idleUntil) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const tally = await tallyRackbeat(sandboxes, placed);
  const rb = await sandboxes.call<{ requests: number; sent429: number; peakInWindow: number }>("stats");
  log(
    `${tally.inRackbeat}/${placed.length} in Rackbeat, p50 ${percentile(latencies, 50)} ms, p99 ${p99Ms} ms, ${tally.duplicates} duplicates, ${tally.centMismatches} cent mismatches; ` +
      `sandbox: ${rb.requests} requests, peak ${rb.peakInWindow} in a window of ${ORDER_LIMIT.windowMs} ms (limit ${ORDER_LIMIT.limit}), ${rb.sent429} answered 429`,
  );

  for (const b of bridges) b.process.kill("SIGTERM");
  await Promise.all(bridges.map((b) => new Promise((r) => (b.process.exitCode !== null ? r(null) : b.process.once("exit", r)))));
  await store.close();
  await fresh.cleanup();
  await sandboxes.close();
  return { p99Ms, orders: placed.length, inRackbeat: tally.inRackbeat, duplicates: tally.duplicates, sent429: rb.sent429 };
}
