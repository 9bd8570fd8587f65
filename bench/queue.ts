/**
 * Queue benchmark (issue 2).
 * 1. Enqueue 100,000 jobs one at a time — one committed transaction per enqueue, as live events
 *    arrive — while the runner (8 workers) runs them with a no-op handler. jobs_per_s = jobs ÷ time
 *    from the first enqueue until the last job is done.
 * 2. Fill the table with 1,000,000 finished jobs, then time single claims of fresh jobs:
 *    p99_claim_ms_1m. p99_claim_ms is the same measurement on the table of step 1 (100,000 rows).
 * Targets: jobs_per_s ≥ 5,000; p99_claim_ms_1m ≤ 5; rss_mb < 150.
 */
import { sql } from "kysely";
import { Activity } from "../bridge/src/activity/activity.js";
import { JobQueue } from "../bridge/src/jobs/queue.js";
import { JobRunner } from "../bridge/src/jobs/runner.js";
import { createLogger } from "../bridge/src/observability/logger.js";
import { openStore } from "../bridge/src/store/store.js";
import { tempDir } from "../test/helpers/temp-dir.js";

const JOBS = Number(process.env.BENCH_JOBS ?? 100_000);
const FINISHED = Number(process.env.BENCH_FINISHED ?? 1_000_000);
const CLAIM_SAMPLES = 2_000;

const dir = tempDir("rbc-bench-queue-");
const store = await openStore({ dataDir: dir.path });
const activity = new Activity(store.db);
const queue = new JobQueue(store, activity, { maxAttempts: 5, backoff: { baseMs: 100, maxMs: 1000 }, leaseMs: 60_000 });
let done = 0;
let peakRss = process.memoryUsage().rss;
const sampleRss = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const rssTimer = setInterval(sampleRss, 100);
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
  if (i % 20_000 === 0 && i > 0) console.log(`enqueued ${i}, done ${done}`);
}
while (done < JOBS) await new Promise((r) => setTimeout(r, 5));
const seconds = (performance.now() - started) / 1000;
await runner.stop();
const jobsPerS = Math.round(JOBS / seconds);
console.log(`${JOBS} jobs enqueued and run in ${seconds.toFixed(2)} s → ${jobsPerS} jobs/s`);

async function p99Claim(label: string): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < CLAIM_SAMPLES; i += 1) {
    await queue.enqueue({ kind: "bench", idempotencyKey: `${label}-${i}`, payload: null });
    const t = performance.now();
    const [job] = await queue.claim("bench-claimer", 1);
    samples.push(performance.now() - t);
    if (!job) throw new Error("claim found nothing");
    await queue.complete(job, "bench-claimer");
  }
  samples.sort((a, b) => a - b);
  return Number(samples[Math.floor(samples.length * 0.99)]!.toFixed(3));
}

const p99 = await p99Claim("claim-small");
console.log(`p99 claim with ${JOBS} finished jobs: ${p99} ms`);

// Fill to 1,000,000 finished jobs with bulk inserts (the fill is set-up, not measured).
const existing = Number((await sql<{ n: number }>`select count(*) as n from jobs`.execute(store.db)).rows[0]!.n);
const now = Date.now();
const toAdd = Math.max(0, FINISHED - existing);
await sql`
  WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ${toAdd})
  INSERT INTO jobs (kind, shop_id, idempotency_key, payload, state, priority, attempts, max_attempts, run_at, created_at, updated_at)
  SELECT 'bench', 'shop_bench', 'fill-' || n, '{}', 'done', 0, 1, 5, ${now}, ${now}, ${now} FROM seq
`.execute(store.db);
const total = Number((await sql<{ n: number }>`select count(*) as n from jobs`.execute(store.db)).rows[0]!.n);
console.log(`table now holds ${total} jobs`);
const p99At1m = await p99Claim("claim-1m");
console.log(`p99 claim with ${total} finished jobs: ${p99At1m} ms`);
sampleRss();
clearInterval(rssTimer);
await store.close();
dir.cleanup();

console.log(
  JSON.stringify({
    bench: "queue",
    jobs: JOBS,
    jobs_per_s: jobsPerS,
    p99_claim_ms: p99,
    p99_claim_ms_1m: p99At1m,
    finished_jobs_in_table: total,
    rss_mb: Math.round(peakRss / 1024 / 1024),
  }),
);
