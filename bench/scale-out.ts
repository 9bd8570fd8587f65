/**
 * `npm run bench -- scale-out`: several bridge processes sharing one PostgreSQL database.
 *
 * 1. Jobs that each wait 50 ms on I/O (as Rackbeat and WooCommerce calls do), run by 1 and then by
 *    3 bridge processes (real bridges, test/postgres/scale-child.ts), each with the same worker
 *    concurrency, on a fresh database each → jobs_per_s_1, jobs_per_s_3, speedup.
 * 2. A burst of jobs that each call the Rackbeat sandbox through the token's shared rate gate, by 3
 *    processes, against a sandbox counting a scaled limit → sandbox_429s (the processes share the
 *    limit, so 0).
 * duplicates: jobs whose handler finished more than once, over every phase (no process is killed
 * here, so any is a fault).
 *
 * Not done: the orders benchmark with 3 processes (orders_p99_ms_3 is null).
 * Sizes: BENCH_JOBS (default 2400), BENCH_CONCURRENCY (default 8 per process).
 */
import { type ChildProcess, fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Activity } from "../bridge/src/activity/activity.js";
import { JobQueue } from "../bridge/src/jobs/queue.js";
import { startRackbeatSandbox } from "../test/sandboxes/rackbeat/index.js";
import { postgresStores } from "../test/postgres/test-databases.js";

const JOBS = Number(process.env.BENCH_JOBS ?? "2400");
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? "8");
const child = fileURLToPath(new URL("../test/postgres/scale-child.ts", import.meta.url));
const secretKey = randomBytes(32).toString("base64");
let duplicates = 0;

function startProcess(env: Record<string, string>): Promise<ChildProcess> {
  const p = fork(child, [], { env: { ...process.env, ...env }, execArgv: ["--import", "tsx"], stdio: "inherit" });
  return new Promise((resolve, reject) => {
    p.once("message", () => resolve(p));
    p.once("exit", (code) => reject(new Error(`bridge process exited early with ${code}`)));
  });
}

async function phase(label: string, processes: number, jobs: number, extraEnv: Record<string, string>): Promise<number> {
  const fresh = await postgresStores.create();
  const store = await fresh.open();
  const journal = join(fresh.dataDir, "journal.txt");
  const env = { ...fresh.env, SECRET_KEY: secretKey, JOURNAL: journal, WORKER_CONCURRENCY: String(CONCURRENCY), ...extraEnv };
  const children = await Promise.all(Array.from({ length: processes }, () => startProcess(env)));
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

console.log(
  JSON.stringify({
    jobs_per_s_1: Math.round(one),
    jobs_per_s_3: Math.round(three),
    speedup: Number((three / one).toFixed(2)),
    orders_p99_ms_3: null,
    sandbox_429s: stats.sent429,
    duplicates,
  }),
);
process.exit(0);
