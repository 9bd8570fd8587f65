import { type ChildProcess, fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Activity } from "../../bridge/src/activity/activity.js";
import { JobQueue } from "../../bridge/src/jobs/queue.js";
import type { Store } from "../../bridge/src/store/store.js";
import { type RackbeatSandbox, startRackbeatSandbox } from "../sandboxes/rackbeat/index.js";
import { type FreshStore, postgresStores } from "./test-databases.js";

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
});

function startProcess(env: Record<string, string>): Promise<ChildProcess> {
  const child = fork(join(import.meta.dirname, "scale-child.ts"), [], { env: { ...process.env, ...env }, execArgv: ["--import", "tsx"], stdio: "inherit" });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once("message", () => resolve(child));
    child.once("exit", (code) => reject(new Error(`bridge process exited early with ${code}`)));
  });
}

const waitFor = async (check: () => boolean | Promise<boolean>, ms = 60_000) => {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe("three bridge processes on one PostgreSQL database", () => {
  const TOKEN = "rb-scale-token-0123456789abcdefghijklmn";
  const LIMIT = 40;
  const WINDOW_MS = 1000;
  let fresh: FreshStore;
  let store: Store;
  let rackbeat: RackbeatSandbox;
  beforeAll(async () => {
    fresh = await postgresStores.create();
    store = await fresh.open();
    // The sandbox counts a sliding window exactly as Rackbeat does; the bridges share its limit.
    rackbeat = await startRackbeatSandbox({ tokens: [TOKEN], rateLimit: { limit: LIMIT, windowMs: WINDOW_MS } });
  });
  afterAll(async () => {
    await store.close();
    await rackbeat.close();
    await fresh.cleanup();
  });

  it("run a burst with zero duplicates, zero losses and the shared rate limit never exceeded, kill -9 of one included", async () => {
    const total = 200;
    const journal = join(fresh.dataDir, "journal.txt");
    const queue = new JobQueue(store, new Activity(store.db), { maxAttempts: 5, backoff: { baseMs: 50, maxMs: 500 }, leaseMs: 2000 });
    await queue.enqueueMany(
      Array.from({ length: total }, (_, n) => ({ kind: "burst", idempotencyKey: `burst-${n}`, payload: { n }, shopId: "s1", subject: { shopId: "s1", type: "order" as const, id: String(n) } })),
    );
    const env = {
      ...fresh.env,
      SECRET_KEY: randomBytes(32).toString("base64"),
      JOURNAL: journal,
      HOLD_MS: "40",
      WORKER_CONCURRENCY: "4",
      JOB_LEASE_MS: "2000",
      RACKBEAT_BASE_URL: rackbeat.baseUrl,
      RB_TOKEN: TOKEN,
      RB_LIMIT: String(LIMIT),
      RB_WINDOW_MS: String(WINDOW_MS),
    };
    const processes = await Promise.all([startProcess(env), startProcess(env), startProcess(env)]);
    const lines = () => (existsSync(journal) ? readFileSync(journal, "utf8").split("\n").filter(Boolean).map((l) => l.split(" ")) : []);
    // Kill one process mid-burst, while it has jobs in flight.
    const victim = processes[0]!;
    await waitFor(() => lines().filter(([what, , pid]) => what === "done" && pid === String(victim.pid)).length >= 10);
    victim.kill("SIGKILL");
    await new Promise((r) => victim.once("exit", r));
    const beforeKill = lines();
    const startedByVictim = new Set(beforeKill.filter(([w, , p]) => w === "start" && p === String(victim.pid)).map(([, n]) => n));
    const doneByVictim = new Set(beforeKill.filter(([w, , p]) => w === "done" && p === String(victim.pid)).map(([, n]) => n));
    const interrupted = [...startedByVictim].filter((n) => !doneByVictim.has(n));

    await waitFor(async () => (await queue.stats()).waiting + (await queue.stats()).running === 0, 90_000);

    // Zero losses: every job is done, in the store and in the journal.
    const jobs = await queue.list({ limit: 1000 });
    expect(jobs).toHaveLength(total);
    expect(jobs.every((j) => j.state === "done")).toBe(true);
    const done = lines().filter(([w]) => w === "done").map(([, n]) => n!);
    expect(new Set(done).size).toBe(total);
    // Zero duplicates: a job ran twice only when its first run was cut off by the kill (or it
    // finished in the dead process before its completion was recorded), never otherwise.
    const twice = done.filter((n, i) => done.indexOf(n) !== i);
    for (const n of twice) expect(interrupted.includes(n) || doneByVictim.has(n)).toBe(true);
    const ranElsewhere = new Set(lines().filter(([w, , p]) => w === "start" && p !== String(victim.pid)).map(([, n]) => n));
    for (const n of ranElsewhere) expect(lines().filter(([w, m, p]) => w === "start" && m === n && p !== String(victim.pid)).length).toBe(1);
    // All three processes took part.
    expect(new Set(lines().map(([, , pid]) => pid)).size).toBe(3);
    // The shared limit held: the sandbox never had to refuse a request.
    const stats = rackbeat.stats();
    expect(stats.sent429).toBe(0);
    expect(stats.peakInWindow).toBeLessThanOrEqual(LIMIT);
    expect(stats.requests).toBeGreaterThanOrEqual(total);
  }, 120_000);
});
