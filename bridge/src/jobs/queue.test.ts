import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FreshStore, defaultStoreKind } from "../../../test/postgres/test-databases.js";
import { Activity } from "../activity/activity.js";
import { RateLimited, Skip, UpstreamRejected, UpstreamUnavailable } from "../lib/errors.js";
import type { Store } from "../store/store.js";
import { JobQueue } from "./queue.js";

let fresh: FreshStore;
let store: Store;
let clock: number;
const now = () => clock;

function queueOn(s: Store, options: Partial<ConstructorParameters<typeof JobQueue>[2]> = {}) {
  const activity = new Activity(s.db, now);
  return {
    activity,
    queue: new JobQueue(s, activity, {
      maxAttempts: 3,
      backoff: { baseMs: 1000, maxMs: 60_000 },
      leaseMs: 30_000,
      now,
      random: () => 0.5,
      ...options,
    }),
  };
}

// Every test runs on this run's engine (the bridge and bridge-postgres projects run both), each on a
// fresh store (a temp SQLite file, a new PostgreSQL database).
describe.each([defaultStoreKind])("JobQueue on $name", (kind) => {
beforeEach(async () => {
  fresh = await kind.create();
  clock = 1_700_000_000_000;
  store = await fresh.open();
});

afterEach(async () => {
  await store.close();
  await fresh.cleanup();
});

  it("yields one job for the same idempotency key", async () => {
    const { queue } = queueOn(store);
    const first = await queue.enqueue({ kind: "k", idempotencyKey: "same", payload: { n: 1 } });
    const second = await queue.enqueue({ kind: "k", idempotencyKey: "same", payload: { n: 2 } });
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.job.id).toBe(first.job.id);
    expect(second.job.payload).toEqual({ n: 1 });
    expect((await queue.list()).length).toBe(1);
  });

  it("keeps jobs across a restart of the store", async () => {
    const { queue } = queueOn(store);
    await queue.enqueue({ kind: "k", idempotencyKey: "a", payload: { order: 7 } });
    await store.close();
    store = await fresh.open();
    const claimed = await queueOn(store).queue.claim("w", 10);
    expect(claimed.map((j) => j.payload)).toEqual([{ order: 7 }]);
  });

  it("claims atomically: concurrent claimers never get the same job", async () => {
    const { queue } = queueOn(store);
    for (let i = 0; i < 200; i += 1) await queue.enqueue({ kind: "k", idempotencyKey: `j${i}`, payload: i });
    const claims = await Promise.all(Array.from({ length: 20 }, (_, w) => queue.claim(`w${w}`, 15)));
    const ids = claims.flat().map((j) => j.id);
    expect(ids.length).toBe(200);
    expect(new Set(ids).size).toBe(200);
    expect(await queue.claim("late", 10)).toEqual([]);
  });

  it("claims by priority, then due time, and not before run_at", async () => {
    const { queue } = queueOn(store);
    await queue.enqueue({ kind: "k", idempotencyKey: "bulk", payload: "bulk", priority: -10 });
    await queue.enqueue({ kind: "k", idempotencyKey: "later", payload: "later", runAt: clock + 5000 });
    await queue.enqueue({ kind: "k", idempotencyKey: "live", payload: "live" });
    expect((await queue.claim("w", 10)).map((j) => j.payload)).toEqual(["live", "bulk"]);
    clock += 5000;
    expect((await queue.claim("w", 10)).map((j) => j.payload)).toEqual(["later"]);
  });

  it("retries with exponential backoff, then parks with the last error", async () => {
    const { queue } = queueOn(store, { maxAttempts: 4 });
    await queue.enqueue({ kind: "k", idempotencyKey: "x", payload: null, subject: { shopId: "s1", type: "order", id: "5" } });
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const [job] = await queue.claim("w", 1);
      const outcome = await queue.fail(job!, "w", new UpstreamUnavailable(`down ${attempt}`));
      expect(outcome?.state).toBe("waiting");
      if (outcome?.state === "waiting") {
        delays.push(outcome.runAt - clock);
        clock = outcome.runAt;
      }
    }
    // random() = 0.5 → 3/4 of base·2^(n−1): 750, 1500, 3000
    expect(delays).toEqual([750, 1500, 3000]);
    const [job] = await queue.claim("w", 1);
    expect(await queue.fail(job!, "w", new UpstreamUnavailable("down 4"))).toEqual({ state: "parked" });
    const parked = await queue.list({ state: "parked" });
    expect(parked).toHaveLength(1);
    expect(parked[0]!.lastError).toContain("down 4");
    expect(await queue.claim("w", 1)).toEqual([]);
    const record = await new Activity(store.db).findBySubject({ shopId: "s1", type: "order", id: "5" });
    expect(record?.state).toBe("parked");
    expect(record?.reason).toContain("down 4");
  });

  it("parks at once an error that retrying cannot fix, and skips with a reason", async () => {
    const { queue } = queueOn(store);
    await queue.enqueue({ kind: "k", idempotencyKey: "bad", payload: null });
    await queue.enqueue({ kind: "k", idempotencyKey: "skip", payload: null, subject: { shopId: "s", type: "order", id: "1" } });
    const [bad, skip] = await queue.claim("w", 2);
    expect(await queue.fail(bad!, "w", new UpstreamRejected("unknown item", { "lines.0.item_id": ["invalid"] }))).toEqual({
      state: "parked",
    });
    await queue.fail(skip!, "w", new Skip("status on-hold is not transferred"));
    expect((await queue.get(skip!.id))?.state).toBe("skipped");
    const record = await new Activity(store.db).findBySubject({ shopId: "s", type: "order", id: "1" });
    expect(record).toMatchObject({ state: "skipped", reason: "status on-hold is not transferred" });
  });

  it("honours retry-after and does not count rate limiting as an attempt", async () => {
    const { queue } = queueOn(store, { maxAttempts: 1 });
    await queue.enqueue({ kind: "k", idempotencyKey: "r", payload: null });
    for (let i = 0; i < 5; i += 1) {
      const [job] = await queue.claim("w", 1);
      const outcome = await queue.fail(job!, "w", new RateLimited("429", { retryAfterMs: 7000 }));
      expect(outcome).toEqual({ state: "waiting", runAt: clock + 7000 });
      expect(await queue.claim("w", 1)).toEqual([]);
      clock += 7000;
    }
    expect((await queue.list())[0]!.attempts).toBe(0);
  });

  it("does not count a full disk under the store as an attempt, nor park for it", async () => {
    const { queue } = queueOn(store, { maxAttempts: 1 });
    await queue.enqueue({ kind: "k", idempotencyKey: "full", payload: null });
    for (let i = 0; i < 3; i += 1) {
      const [job] = await queue.claim("w", 1);
      const full = Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" });
      const outcome = await queue.fail(job!, "w", new Error("could not record the order", { cause: full }));
      expect(outcome?.state).toBe("waiting");
      clock += 60_000;
    }
    expect((await queue.list())[0]).toMatchObject({ state: "waiting", attempts: 0 });
  });

  it("re-offers a job whose worker died once its lease expires, and refuses the dead worker's completion", async () => {
    const { queue } = queueOn(store);
    await queue.enqueue({ kind: "k", idempotencyKey: "lease", payload: null });
    const [job] = await queue.claim("dead-worker", 1);
    clock += 29_000;
    expect(await queue.reclaimExpired()).toBe(0);
    expect(await queue.claim("other", 1)).toEqual([]);
    clock += 2_000;
    expect(await queue.reclaimExpired()).toBe(1);
    clock += 60_000;
    const [again] = await queue.claim("other", 1);
    expect(again?.id).toBe(job!.id);
    expect(again?.attempts).toBe(2);
    expect(await queue.complete(job!, "dead-worker")).toBe(false);
    expect(await queue.complete(again!, "other")).toBe(true);
    expect(await queue.complete(again!, "other")).toBe(false);
    expect((await queue.get(job!.id))?.state).toBe("done");
  });

  it("lists, retries one and retries all parked jobs, scoped to a shop", async () => {
    const { queue } = queueOn(store, { maxAttempts: 1 });
    for (const [key, shopId] of [["a", "s1"], ["b", "s1"], ["c", "s2"]] as const) {
      await queue.enqueue({ kind: "k", idempotencyKey: key, payload: null, shopId });
    }
    for (const job of await queue.claim("w", 3)) await queue.fail(job, "w", new Error("boom"));
    expect((await queue.list({ state: "parked" })).length).toBe(3);
    const s2Job = (await queue.list({ shopId: "s2" }))[0]!;
    expect(await queue.retry(s2Job.id, "s1")).toBeUndefined();
    expect(await queue.retryAllParked("s1")).toBe(2);
    expect((await queue.stats("s1")).waiting).toBe(2);
    expect((await queue.stats("s2")).parked).toBe(1);
    const retried = await queue.retry(s2Job.id, "s2");
    expect(retried?.state).toBe("waiting");
    expect(retried?.attempts).toBe(0);
  });

  it("releases a job on shutdown without using up an attempt", async () => {
    const { queue } = queueOn(store);
    await queue.enqueue({ kind: "k", idempotencyKey: "rel", payload: null });
    const [job] = await queue.claim("w", 1);
    expect(await queue.release(job!, "w")).toBe(true);
    const [again] = await queue.claim("w2", 1);
    expect(again?.attempts).toBe(1);
  });

  it("enqueueMany stores all or nothing", async () => {
    const { queue } = queueOn(store);
    await expect(
      queue.enqueueMany([
        { kind: "k", idempotencyKey: "m1", payload: null },
        { kind: "k", idempotencyKey: "m2", payload: null, shopId: null, subject: { shopId: "s", type: "order", id: "1" }, priority: Number.NaN },
      ]),
    ).rejects.toThrow();
    expect(await queue.list()).toEqual([]);
  });
});
