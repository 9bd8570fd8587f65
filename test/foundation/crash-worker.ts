/**
 * A bridge worker process for the kill -9 test: runs jobs of kind "crash-test" whose handler appends
 * "start <id>" and, after `HOLD_MS`, "done <id>" to a journal file, then completes the job.
 */
import { appendFileSync } from "node:fs";
import { Activity } from "../../bridge/src/activity/activity.js";
import { JobQueue } from "../../bridge/src/jobs/queue.js";
import { JobRunner } from "../../bridge/src/jobs/runner.js";
import { createLogger } from "../../bridge/src/observability/logger.js";
import { openStore } from "../../bridge/src/store/store.js";

const dataDir = process.env.DATA_DIR!;
const journal = process.env.JOURNAL!;
const holdMs = Number(process.env.HOLD_MS ?? "0");
const leaseMs = Number(process.env.LEASE_MS ?? "1000");
const store = await openStore({ dataDir, databaseUrl: process.env.DATABASE_URL, poolSize: 4 });
const activity = new Activity(store.db);
const queue = new JobQueue(store, activity, { maxAttempts: 5, backoff: { baseMs: 10, maxMs: 50 }, leaseMs });
const runner = new JobRunner({
  queue,
  activity,
  handlers: new Map([
    [
      "crash-test",
      {
        run: async (payload: unknown) => {
          appendFileSync(journal, `start ${String(payload)}\n`);
          await new Promise((r) => setTimeout(r, holdMs));
          appendFileSync(journal, `done ${String(payload)}\n`);
        },
      },
    ],
  ]),
  concurrency: 4,
  timeoutMs: 60_000,
  leaseMs,
  pollMs: 20,
  log: createLogger({ level: "silent" }),
});
runner.start();
process.send?.("ready");
