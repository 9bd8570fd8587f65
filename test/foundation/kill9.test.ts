import { type ChildProcess, fork } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Activity } from "../../bridge/src/activity/activity.js";
import { JobQueue } from "../../bridge/src/jobs/queue.js";
import { defaultStoreKind } from "../postgres/test-databases.js";

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
});

function startWorker(env: Record<string, string>): Promise<ChildProcess> {
  const child = fork(join(import.meta.dirname, "crash-worker.ts"), [], {
    env: { ...process.env, ...env },
    execArgv: ["--import", "tsx"],
    stdio: "inherit",
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once("message", () => resolve(child));
    child.once("exit", (code) => reject(new Error(`worker exited early with ${code}`)));
  });
}

const waitFor = async (check: () => boolean | Promise<boolean>, ms = 20_000) => {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe.each([defaultStoreKind])("kill -9 of a worker process on $name", (kind) => {
  it("loses no job, re-runs the interrupted ones after their lease, and completes each exactly once", async () => {
    const fresh = await kind.create();
    const journal = join(fresh.dataDir, "journal.txt");
    const store = await fresh.open();
    const env = { ...fresh.env, DATABASE_URL: fresh.databaseUrl ?? "" };
    const queue = new JobQueue(store, new Activity(store.db), { maxAttempts: 5, backoff: { baseMs: 10, maxMs: 50 }, leaseMs: 1000 });
    const total = 40;
    for (let i = 0; i < total; i += 1) await queue.enqueue({ kind: "crash-test", idempotencyKey: `job-${i}`, payload: i });

    const first = await startWorker({ ...env, JOURNAL: journal, HOLD_MS: "150", LEASE_MS: "1000" });
    // Kill it while jobs are in flight: some finished, and some started but not finished.
    const inFlight = () => {
      if (!existsSync(journal)) return false;
      const entries = readFileSync(journal, "utf8").split("\n");
      const done = new Set(entries.filter((l) => l.startsWith("done")).map((l) => l.slice(5)));
      const running = entries.filter((l) => l.startsWith("start") && !done.has(l.slice(6)));
      return done.size >= 4 && running.length > 0;
    };
    await waitFor(inFlight);
    first.kill("SIGKILL");
    await new Promise((r) => first.once("exit", r));
    const lines = () => readFileSync(journal, "utf8").split("\n").filter(Boolean);
    const started = new Set(lines().filter((l) => l.startsWith("start")).map((l) => l.slice(6)));
    const doneBefore = new Set(lines().filter((l) => l.startsWith("done")).map((l) => l.slice(5)));
    const interrupted = [...started].filter((id) => !doneBefore.has(id));
    expect(interrupted.length).toBeGreaterThan(0);
    expect((await queue.stats()).running).toBeGreaterThan(0);

    await startWorker({ ...env, JOURNAL: journal, HOLD_MS: "0", LEASE_MS: "1000" });
    await waitFor(async () => (await queue.list({ state: "done", limit: 1000 })).length === total);

    const done = lines().filter((l) => l.startsWith("done")).map((l) => l.slice(5));
    // Every job ran to completion; only the interrupted ones ran again.
    expect(new Set(done).size).toBe(total);
    const completedTwice = done.filter((id, i) => done.indexOf(id) !== i);
    expect(completedTwice.every((id) => interrupted.includes(id) || doneBefore.has(id))).toBe(true);
    const jobs = await queue.list({ limit: 1000 });
    expect(jobs.every((j) => j.state === "done")).toBe(true);
    for (const id of interrupted) expect(jobs.find((j) => String(j.payload) === id)?.attempts).toBe(2);
    await store.close();
    await fresh.cleanup();
  }, 60_000);
});
