import { type Kysely, type Selectable, sql } from "kysely";
import { type Activity, type Db, type Subject } from "../activity/activity.js";
import { type BackoffPolicy, backoffDelayMs } from "../lib/backoff.js";
import { RateLimited, Skip, errorMessage, isRetryable } from "../lib/errors.js";
import type { Database, JobState, JobsTable } from "../store/schema.js";
import type { Store } from "../store/store.js";
import { isStoreFull } from "../store/store-full.js";
import type { NewJobValues } from "./job-rows.js";
import { PostgresJobStatements } from "./postgres-statements.js";
import { SqliteJobStatements } from "./sqlite-statements.js";

export interface Job<P = unknown> {
  id: number;
  kind: string;
  shopId: string | null;
  idempotencyKey: string;
  payload: P;
  state: JobState;
  priority: number;
  attempts: number;
  maxAttempts: number;
  runAt: number;
  leaseUntil: number | null;
  leaseOwner: string | null;
  lastError: string | null;
  recordId: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface EnqueueInput {
  kind: string;
  /** Same key twice yields one job: the second enqueue returns the first job. */
  idempotencyKey: string;
  payload: unknown;
  shopId?: string | null;
  /** Run no earlier than this (ms since epoch); default now. */
  runAt?: number;
  /** Higher runs first. Live traffic 0 or more; bulk work (initial sync) below 0. */
  priority?: number;
  maxAttempts?: number;
  /** The activity record this job works on; created or re-opened as "waiting". */
  subject?: Omit<Subject, "shopId"> & { shopId?: string };
}

export interface QueueOptions {
  maxAttempts: number;
  backoff: BackoffPolicy;
  leaseMs: number;
  now?: () => number;
  random?: () => number;
}

export type FailOutcome = { state: "waiting"; runAt: number } | { state: "parked" };

export interface QueueStats {
  waiting: number;
  running: number;
  parked: number;
  oldestWaitingRunAt: number | null;
}

/**
 * A durable job queue on the store. Every state change is one transaction, so a killed process
 * leaves each job either waiting, running under a lease that expires, or finished — never lost.
 *
 * Exactly-once-to-completion: a worker finishes a job only while it still holds the job's lease
 * (same owner, state running). A worker that lost its lease (it stalled past the lease, another
 * worker took the job over) has its completion refused, so no job is recorded done twice.
 */
export class JobQueue {
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly listeners = new Set<() => void>();

  /** The hot statements for the store's engine (SKIP LOCKED claims on PostgreSQL); none: the Kysely path. */
  private readonly fast: SqliteJobStatements | PostgresJobStatements | undefined;

  private readonly db: Kysely<Database>;

  constructor(
    store: Pick<Store, "db" | "sqlite" | "pg">,
    private readonly activity: Activity,
    private readonly options: QueueOptions,
  ) {
    this.db = store.db;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.fast = store.sqlite
      ? new SqliteJobStatements(store.db, store.sqlite)
      : store.pg
        ? new PostgresJobStatements(store.pg)
        : undefined;
  }

  /** Called after every enqueue, so in-process runners wake at once instead of polling. */
  onEnqueue(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async enqueue(input: EnqueueInput, trx?: Db): Promise<{ job: Job; created: boolean }> {
    // A job without an activity record is one statement, which is its own transaction.
    const result = trx
      ? await this.insert(input, trx)
      : !input.subject
        ? await this.insertAlone(input)
        : this.fast instanceof SqliteJobStatements
          ? (await this.insertManyFast([input]))[0]!
          : await this.db.transaction().execute((t) => this.insert(input, t));
    if (result.created) this.notify();
    return result;
  }

  /** The row of a new waiting job for the hot-path statements. */
  private newJobValues(input: EnqueueInput, at: number): NewJobValues {
    return {
      kind: input.kind,
      shop_id: input.shopId ?? input.subject?.shopId ?? null,
      idempotency_key: input.idempotencyKey,
      payload: JSON.stringify(input.payload ?? null),
      priority: input.priority ?? 0,
      max_attempts: input.maxAttempts ?? this.options.maxAttempts,
      run_at: input.runAt ?? at,
      created_at: at,
    };
  }

  /** SQLite: jobs and their records through prepared statements, in one transaction. */
  private async insertManyFast(inputs: EnqueueInput[]): Promise<{ job: Job; created: boolean }[]> {
    const fast = this.fast as SqliteJobStatements;
    const at = this.now();
    const rows = await fast.insertMany(
      inputs.map((input) => {
        const values = this.newJobValues(input, at);
        const shopId = values.shop_id;
        return { values, subject: input.subject && shopId ? { shopId, type: input.subject.type, id: input.subject.id } : undefined };
      }),
      at,
    );
    return rows.map((r) => ({ job: toJob(r.row), created: r.created }));
  }

  /** Enqueues several jobs in one transaction: all are stored, or none. */
  async enqueueMany(inputs: EnqueueInput[]): Promise<{ job: Job; created: boolean }[]> {
    if (this.fast instanceof SqliteJobStatements) {
      const fastResults = await this.insertManyFast(inputs);
      if (fastResults.some((r) => r.created)) this.notify();
      return fastResults;
    }
    const results = await this.db.transaction().execute(async (trx) => {
      const out: { job: Job; created: boolean }[] = [];
      for (const input of inputs) out.push(await this.insert(input, trx));
      return out;
    });
    if (results.some((r) => r.created)) this.notify();
    return results;
  }

  /** A job without an activity record: one statement, which is its own transaction. */
  private async insertAlone(input: EnqueueInput): Promise<{ job: Job; created: boolean }> {
    if (!this.fast) return this.insert(input, this.db);
    const inserted = await this.fast.insert(this.newJobValues(input, this.now()));
    if (inserted) return { job: toJob(inserted), created: true };
    const existing = await this.db
      .selectFrom("jobs")
      .selectAll()
      .where("idempotency_key", "=", input.idempotencyKey)
      .executeTakeFirstOrThrow();
    return { job: toJob(existing), created: false };
  }

  private async insert(input: EnqueueInput, trx: Db): Promise<{ job: Job; created: boolean }> {
    const at = this.now();
    const shopId = input.shopId ?? input.subject?.shopId ?? null;
    const inserted = await trx
      .insertInto("jobs")
      .values({
        kind: input.kind,
        shop_id: shopId,
        idempotency_key: input.idempotencyKey,
        payload: JSON.stringify(input.payload ?? null),
        state: "waiting",
        priority: input.priority ?? 0,
        attempts: 0,
        max_attempts: input.maxAttempts ?? this.options.maxAttempts,
        run_at: input.runAt ?? at,
        lease_until: null,
        lease_owner: null,
        last_error: null,
        record_id: null,
        created_at: at,
        updated_at: at,
      })
      .onConflict((oc) => oc.column("idempotency_key").doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!inserted) {
      const existing = await trx
        .selectFrom("jobs")
        .selectAll()
        .where("idempotency_key", "=", input.idempotencyKey)
        .executeTakeFirstOrThrow();
      return { job: toJob(existing), created: false };
    }
    if (input.subject && shopId) {
      const recordId = await this.activity.touch({ shopId, type: input.subject.type, id: input.subject.id }, trx);
      await trx.updateTable("jobs").set({ record_id: recordId }).where("id", "=", inserted.id).execute();
      inserted.record_id = recordId;
    }
    return { job: toJob(inserted), created: true };
  }

  /**
   * Claims up to `limit` jobs that are due, atomically: each claimed job is running under
   * `owner`'s lease and its attempt is counted before its handler starts.
   */
  async claim(owner: string, limit: number, kinds?: string[]): Promise<Job[]> {
    const at = this.now();
    if (this.fast) {
      const claimed = await this.fast.claim(owner, limit, at, at + this.options.leaseMs, kinds);
      return claimed.map(toJob).sort((a, b) => b.priority - a.priority || a.runAt - b.runAt || a.id - b.id);
    }
    // One UPDATE … WHERE id IN (SELECT … LIMIT n) RETURNING: a single atomic statement, so two
    // claimers can never take the same job (SQLite serialises writers; PostgreSQL adds SKIP LOCKED).
    const rows = await this.db
      .updateTable("jobs")
      .set((eb) => ({
        state: "running",
        lease_owner: owner,
        lease_until: at + this.options.leaseMs,
        attempts: eb("attempts", "+", 1),
        updated_at: at,
      }))
      .where("id", "in", (eb) => {
        // The state is a literal, not a bound parameter, so the engine can use the partial index
        // on waiting jobs (SQLite only matches a partial index's WHERE against literals).
        let due = eb
          .selectFrom("jobs")
          .select("id")
          .where("state", "=", sql.lit("waiting"))
          .where("run_at", "<=", at)
          .orderBy("priority", "desc")
          .orderBy("run_at")
          .orderBy("id")
          .limit(limit);
        if (kinds && kinds.length > 0) due = due.where("kind", "in", kinds);
        return due;
      })
      .where("state", "=", "waiting")
      .returningAll()
      .execute();
    return rows.map(toJob).sort((a, b) => b.priority - a.priority || a.runAt - b.runAt || a.id - b.id);
  }

  /** Extends a running job's lease; false when the lease was lost. */
  async heartbeat(job: Job, owner: string): Promise<boolean> {
    const result = await this.db
      .updateTable("jobs")
      .set({ lease_until: this.now() + this.options.leaseMs })
      .where("id", "=", job.id)
      .where("state", "=", "running")
      .where("lease_owner", "=", owner)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Marks a job done. False when `owner` no longer holds it (the completion is refused). */
  async complete(job: Job, owner: string): Promise<boolean> {
    return this.finish(job, owner, "done", null);
  }

  /** Ends a job that should not run (and never will), with the reason shown to the owner. */
  async skip(job: Job, owner: string, reason: string): Promise<boolean> {
    return this.finish(job, owner, "skipped", reason);
  }

  private async finish(job: Job, owner: string, state: "done" | "skipped", reason: string | null): Promise<boolean> {
    if (job.recordId === null) {
      if (this.fast) {
        return state === "done" ? this.fast.complete(job.id, owner, this.now) : this.fast.finish(job.id, owner, state, reason, this.now());
      }
      return this.finishJob(this.db, job, owner, state, reason);
    }
    if (this.fast instanceof SqliteJobStatements) return this.fast.finishWithRecord(job.id, owner, state, reason, this.now(), job.recordId);
    return this.db.transaction().execute(async (trx) => {
      if (!(await this.finishJob(trx, job, owner, state, reason))) return false;
      await this.settleRecord(job.recordId!, state, reason, trx);
      return true;
    });
  }

  private async finishJob(db: Db, job: Job, owner: string, state: "done" | "skipped", reason: string | null): Promise<boolean> {
    const result = await db
      .updateTable("jobs")
      .set({ state, lease_owner: null, lease_until: null, last_error: reason, updated_at: this.now() })
      .where("id", "=", job.id)
      .where("state", "=", "running")
      .where("lease_owner", "=", owner)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /**
   * A failed attempt: retried later with backoff (or when the far side said, for rate limits), or
   * parked with its last error once it has used its attempts or cannot succeed by retrying.
   */
  async fail(job: Job, owner: string, error: unknown): Promise<FailOutcome | undefined> {
    if (error instanceof Skip) {
      await this.skip(job, owner, error.message);
      return undefined;
    }
    const at = this.now();
    const message = errorMessage(error).slice(0, 2000);
    // Being asked to wait is not a failure of the job: it does not use up an attempt. Nor is a full
    // disk under the store (the job's own writes refused): it is tried again after the backoff.
    const rateLimited = error instanceof RateLimited;
    const notTheJobs = rateLimited || isStoreFull(error);
    const attempts = notTheJobs ? Math.max(0, job.attempts - 1) : job.attempts;
    const park = !notTheJobs && (!isRetryable(error) || attempts >= job.maxAttempts);
    const retryAfter = error instanceof Error && "retryAfterMs" in error ? (error.retryAfterMs as number | undefined) : undefined;
    const runAt = at + Math.max(retryAfter ?? 0, rateLimited ? 0 : backoffDelayMs(attempts, this.options.backoff, this.random));
    return this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable("jobs")
        .set({
          state: park ? "parked" : "waiting",
          attempts,
          run_at: park ? job.runAt : runAt,
          lease_owner: null,
          lease_until: null,
          last_error: message,
          updated_at: at,
        })
        .where("id", "=", job.id)
        .where("state", "=", "running")
        .where("lease_owner", "=", owner)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return undefined;
      if (job.recordId !== null) {
        if (park) await this.settleRecord(job.recordId, "parked", message, trx);
        await this.activity.step(
          job.recordId,
          `attempt ${attempts}`,
          park ? "parked" : `retry at ${new Date(runAt).toISOString()}`,
          { error: message },
          trx,
        );
      }
      return park ? { state: "parked" } : { state: "waiting", runAt };
    });
  }

  /** Gives a running job back without counting the attempt (graceful shutdown). */
  async release(job: Job, owner: string): Promise<boolean> {
    const result = await this.db
      .updateTable("jobs")
      .set((eb) => ({
        state: "waiting",
        lease_owner: null,
        lease_until: null,
        attempts: eb("attempts", "-", 1),
        updated_at: this.now(),
      }))
      .where("id", "=", job.id)
      .where("state", "=", "running")
      .where("lease_owner", "=", owner)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /**
   * Jobs whose worker died (lease expired) become claimable again. The attempt they used stays
   * counted, so a job that crashes its worker every time is parked in the end.
   */
  async reclaimExpired(): Promise<number> {
    const at = this.now();
    const expired = await this.db
      .selectFrom("jobs")
      .selectAll()
      .where("state", "=", sql.lit("running"))
      .where("lease_until", "<", at)
      .execute();
    let reclaimed = 0;
    for (const row of expired) {
      const job = toJob(row);
      const outcome = await this.fail(job, job.leaseOwner ?? "", new LeaseExpired(`worker ${job.leaseOwner} stopped before finishing`));
      if (outcome) reclaimed += 1;
    }
    return reclaimed;
  }

  async get(id: number): Promise<Job | undefined> {
    const row = await this.db.selectFrom("jobs").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? toJob(row) : undefined;
  }

  async list(filter: { shopId?: string; state?: JobState; limit?: number } = {}): Promise<Job[]> {
    let query = this.db.selectFrom("jobs").selectAll();
    if (filter.shopId) query = query.where("shop_id", "=", filter.shopId);
    if (filter.state) query = query.where("state", "=", filter.state);
    const rows = await query.orderBy("id", "desc").limit(filter.limit ?? 100).execute();
    return rows.map(toJob);
  }

  /**
   * Puts a parked or skipped job back in line with fresh attempts. With `shopId`, only that shop's
   * job (another shop's id is "not found"). Returns the job, or undefined when there is none to retry.
   */
  async retry(id: number, shopId?: string): Promise<Job | undefined> {
    const job = await this.db.transaction().execute(async (trx) => {
      let query = trx
        .updateTable("jobs")
        .set({ state: "waiting", attempts: 0, run_at: this.now(), updated_at: this.now() })
        .where("id", "=", id)
        .where("state", "in", ["parked", "skipped"]);
      if (shopId !== undefined) query = query.where("shop_id", "=", shopId);
      const row = await query.returningAll().executeTakeFirst();
      if (!row) return undefined;
      if (row.record_id !== null) {
        await this.activity.setState(Number(row.record_id), "waiting", null, trx);
        await this.activity.step(Number(row.record_id), "retry requested", "waiting", undefined, trx);
      }
      return toJob(row);
    });
    if (job) this.notify();
    return job;
  }

  async retryAllParked(shopId?: string): Promise<number> {
    let query = this.db.selectFrom("jobs").select("id").where("state", "=", "parked");
    if (shopId !== undefined) query = query.where("shop_id", "=", shopId);
    const ids = await query.execute();
    let count = 0;
    for (const { id } of ids) if (await this.retry(Number(id), shopId)) count += 1;
    return count;
  }

  async stats(shopId?: string): Promise<QueueStats> {
    let query = this.db
      .selectFrom("jobs")
      .select(["state", (eb) => eb.fn.countAll<number>().as("n"), (eb) => eb.fn.min("run_at").as("oldest")])
      .where("state", "in", ["waiting", "running", "parked"])
      .groupBy("state");
    if (shopId !== undefined) query = query.where("shop_id", "=", shopId);
    const rows = await query.execute();
    const by = (state: JobState) => rows.find((r) => r.state === state);
    const oldest = by("waiting")?.oldest;
    return {
      waiting: Number(by("waiting")?.n ?? 0),
      running: Number(by("running")?.n ?? 0),
      parked: Number(by("parked")?.n ?? 0),
      oldestWaitingRunAt: oldest === undefined || oldest === null ? null : Number(oldest),
    };
  }

  /** Deletes finished jobs last changed before `before` (their activity records stay). */
  async pruneFinished(before: number): Promise<number> {
    const result = await this.db
      .deleteFrom("jobs")
      .where("state", "in", ["done", "skipped"])
      .where("updated_at", "<", before)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  private async settleRecord(recordId: number, state: "done" | "skipped" | "parked", reason: string | null, trx: Db) {
    // A record can have several jobs (order created, then updated): it is only "done" when none of
    // its jobs is still waiting or running.
    if (state === "done") {
      const open = await trx
        .selectFrom("jobs")
        .select("id")
        .where("record_id", "=", recordId)
        .where("state", "in", ["waiting", "running"])
        .limit(1)
        .executeTakeFirst();
      if (open) return;
    }
    await this.activity.setState(recordId, state, reason, trx);
  }

  private notify() {
    for (const listener of this.listeners) listener();
  }
}

export class LeaseExpired extends Error {
  override name = "LeaseExpired";
}

function toJob(row: Selectable<JobsTable>): Job {
  return {
    id: Number(row.id),
    kind: row.kind,
    shopId: row.shop_id,
    idempotencyKey: row.idempotency_key,
    payload: JSON.parse(row.payload) as unknown,
    state: row.state,
    priority: Number(row.priority),
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    runAt: Number(row.run_at),
    leaseUntil: row.lease_until === null ? null : Number(row.lease_until),
    leaseOwner: row.lease_owner,
    lastError: row.last_error,
    recordId: row.record_id === null ? null : Number(row.record_id),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}
