/**
 * The queue benchmark's measured process (issue 2), started by bench/queue.ts. Plain JavaScript on
 * the COMPILED bridge (bridge/dist, as `npm start` runs it): under tsx the same process carries
 * ~50 MB of loader and transform cache that the bridge in production does not have (measured:
 * store + queue modules loaded = 114 MB RSS under tsx, 63 MB from bridge/dist).
 *
 * 1. Enqueue JOBS jobs one at a time — one committed transaction per enqueue, as live events
 *    arrive — while the runner (8 workers) runs them with a no-op handler. jobs_per_s = jobs ÷ time
 *    from the first enqueue until the last job is done.
 * 2. Fill the table to FINISHED finished jobs, then time single claims of fresh jobs:
 *    p99_claim_ms_1m. p99_claim_ms is the same measurement on the table of step 1.
 * Prints progress and, last, one JSON line; rss_by_phase_mb is RSS at the end of each phase.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { Activity } from "../bridge/dist/activity/activity.js";
import { JobQueue } from "../bridge/dist/jobs/queue.js";
import { JobRunner } from "../bridge/dist/jobs/runner.js";
import { createLogger } from "../bridge/dist/observability/logger.js";
import { openStore } from "../bridge/dist/store/store.js";

const JOBS = Number(process.env.BENCH_JOBS ?? 100_000);
const FINISHED = Number(process.env.BENCH_FINISHED ?? 1_000_000);
const CLAIM_SAMPLES = 2_000;
// 0 (default, as the benchmark was defined): enqueue back to back. N: give the runner a turn every N enqueues.
const YIELD_EVERY = Number(process.env.BENCH_YIELD_EVERY ?? 0);
const mb = (bytes) => Math.round(bytes / 1048576);

const phases = { modules_loaded: mb(process.memoryUsage().rss) };
const dir = mkdtempSync(join(tmpdir(), "rbc-bench-queue-"));
const store = await openStore({ dataDir: dir });
const activity = new Activity(store.db);
const queue = new JobQueue(store, activity, { maxAttempts: 5, backoff: { baseMs: 100, maxMs: 1000 }, leaseMs: 60_000 });
let done = 0;
let peakRss = process.memoryUsage().rss;
const sampleRss = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const rssTimer = setInterval(sampleRss, 100);
const phase = (name) => {
  sampleRss();
  // Diagnosis only (node --expose-gc): what of the heap is live rather than not yet collected.
  if (process.env.BENCH_GC_AT_PHASE === "1" && globalThis.gc) globalThis.gc();
  const m = process.memoryUsage();
  phases[name] = mb(m.rss);
  console.log(`[queue bench] ${name}: rss ${mb(m.rss)} MB, heap used ${mb(m.heapUsed)} of ${mb(m.heapTotal)} MB, external ${mb(m.external)} MB, peak so far ${mb(peakRss)} MB`);
};
phase("store_open");
const runner = new JobRunner({
  queue,
  activity,
  handlers: new Map([["bench", { run: async () => void (done += 1) }]]),
  concurrency: 8,
  timeoutMs: 10_000,
  leaseMs: 60_000,
  pollMs: 5,
  log: createLogger({ level: "silent" }),
});
runner.start();

const started = performance.now();
for (let i = 0; i < JOBS; i += 1) {
  await queue.enqueue({ kind: "bench", idempotencyKey: `bench-${i}`, payload: { i } });
  // Live events arrive in their own I/O callbacks, so the runner gets turns between them. Without
  // this the loop never leaves the microtask queue (better-sqlite3 answers synchronously) and the
  // runner could not finish a single job until all were enqueued.
  if (YIELD_EVERY > 0 && i % YIELD_EVERY === 0) await new Promise((r) => setImmediate(r));
  if (i % 20_000 === 0 && i > 0) console.log(`[queue bench] enqueued ${i}, done ${done}, rss ${mb(process.memoryUsage().rss)} MB, heap ${mb(process.memoryUsage().heapTotal)} MB`);
}
while (done < JOBS) await new Promise((r) => setTimeout(r, 5));
const seconds = (performance.now() - started) / 1000;
await runner.stop();
const jobsPerS = Math.round(JOBS / seconds);
console.log(`[queue bench] ${JOBS} jobs enqueued and run in ${seconds.toFixed(2)} s → ${jobsPerS} jobs/s`);
phase("enqueue_and_run");

async function p99Claim(label) {
  const samples = [];
  for (let i = 0; i < CLAIM_SAMPLES; i += 1) {
    await queue.enqueue({ kind: "bench", idempotencyKey: `${label}-${i}`, payload: null });
    const t = performance.now();
    const [job] = await queue.claim("bench-claimer", 1);
    samples.push(performance.now() - t);
    if (!job) throw new Error("claim found nothing");
    await queue.complete(job, "bench-claimer");
  }
  samples.sort((a, b) => a - b);
  return Number(samples[Math.floor(samples.length * 0.99)].toFixed(3));
}

const p99 = await p99Claim("claim-small");
console.log(`[queue bench] p99 claim with ${JOBS} finished jobs: ${p99} ms`);
phase("claims_small_table");

// Fill to FINISHED finished jobs with bulk inserts (the fill is set-up, not measured).
const existing = Number((await sql`select count(*) as n from jobs`.execute(store.db)).rows[0].n);
const now = Date.now();
const toAdd = Math.max(0, FINISHED - existing);
await sql`
  WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ${toAdd})
  INSERT INTO jobs (kind, shop_id, idempotency_key, payload, state, priority, attempts, max_attempts, run_at, created_at, updated_at)
  SELECT 'bench', 'shop_bench', 'fill-' || n, '{}', 'done', 0, 1, 5, ${now}, ${now}, ${now} FROM seq
`.execute(store.db);
const total = Number((await sql`select count(*) as n from jobs`.execute(store.db)).rows[0].n);
console.log(`[queue bench] table now holds ${total} jobs`);
phase("fill_1m");
const p99At1m = await p99Claim("claim-1m");
console.log(`[queue bench] p99 claim with ${total} finished jobs: ${p99At1m} ms`);
phase("claims_1m_table");
clearInterval(rssTimer);
await store.close();
rmSync(dir, { recursive: true, force: true });

console.log(
  JSON.stringify({
    bench: "queue",
    jobs: JOBS,
    jobs_per_s: jobsPerS,
    p99_claim_ms: p99,
    p99_claim_ms_1m: p99At1m,
    finished_jobs_in_table: total,
    rss_mb: mb(peakRss),
    rss_by_phase_mb: phases,
    runtime: "node on bridge/dist",
  }),
);
