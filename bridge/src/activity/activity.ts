import type { Kysely, Transaction } from "kysely";
import type { Database, RecordState } from "../store/schema.js";

export type Db = Kysely<Database> | Transaction<Database>;

export interface Subject {
  shopId: string;
  /** What the record is about, in the owner's words: order, product, stock, shop. */
  type: string;
  /** The subject's id in its own system: Woo order id, product id, SKU. */
  id: string;
}

export interface ActivityRecord {
  id: number;
  shopId: string;
  subjectType: string;
  subjectId: string;
  state: RecordState;
  reason: string | null;
  summary: Record<string, unknown> | null;
  createdAt: string;
  updatedAt: string;
  reduced: boolean;
}

export interface ActivityStep {
  id: number;
  at: string;
  action: string;
  outcome: string;
  detail: unknown;
}

/**
 * Activity records: one per subject (an order, a product, a SKU's stock) with its state and a
 * timeline of steps. The admin page's activity log and retry buttons read these.
 */
export class Activity {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Finds or creates the record for a subject and marks it waiting. Returns its id. */
  async touch(subject: Subject, trx: Db = this.db): Promise<number> {
    const at = this.now();
    const row = await trx
      .insertInto("activity_records")
      .values({
        shop_id: subject.shopId,
        subject_type: subject.type,
        subject_id: subject.id,
        state: "waiting",
        reason: null,
        summary: null,
        created_at: at,
        updated_at: at,
        reduced_at: null,
      })
      .onConflict((oc) =>
        oc.columns(["shop_id", "subject_type", "subject_id"]).doUpdateSet({ state: "waiting", reason: null, updated_at: at }),
      )
      .returning("id")
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  async setState(
    recordId: number,
    state: RecordState,
    reason: string | null = null,
    trx: Db = this.db,
  ): Promise<void> {
    await trx
      .updateTable("activity_records")
      .set({ state, reason, updated_at: this.now() })
      .where("id", "=", recordId)
      .execute();
  }

  /** Merges keys into the record's summary (e.g. the Rackbeat order number). No personal data here. */
  async summarize(recordId: number, summary: Record<string, unknown>, trx: Db = this.db): Promise<void> {
    const row = await trx.selectFrom("activity_records").select("summary").where("id", "=", recordId).executeTakeFirst();
    const merged = { ...(row?.summary ? (JSON.parse(row.summary) as Record<string, unknown>) : {}), ...summary };
    await trx
      .updateTable("activity_records")
      .set({ summary: JSON.stringify(merged), updated_at: this.now() })
      .where("id", "=", recordId)
      .execute();
  }

  async step(recordId: number, action: string, outcome: string, detail?: unknown, trx: Db = this.db): Promise<void> {
    await trx
      .insertInto("activity_steps")
      .values({
        record_id: recordId,
        at: this.now(),
        action,
        outcome,
        detail: detail === undefined ? null : JSON.stringify(detail),
      })
      .execute();
  }

  /** Several steps at once, each with its own time (one statement). */
  async steps(recordId: number, steps: { at: number; action: string; outcome: string; detail?: unknown }[], trx: Db = this.db): Promise<void> {
    if (steps.length === 0) return;
    await trx
      .insertInto("activity_steps")
      .values(
        steps.map((s) => ({
          record_id: recordId,
          at: s.at,
          action: s.action,
          outcome: s.outcome,
          detail: s.detail === undefined ? null : JSON.stringify(s.detail),
        })),
      )
      .execute();
  }

  /**
   * A job's steps and summary, kept in memory and written together: one insert per job instead of
   * one per step (an exported order has about eight). The runner flushes before the job's outcome
   * is recorded; a long job's steps are written as they pile up (STEP_BUFFER_MAX) or after
   * STEP_BUFFER_MS, so the activity log still shows progress. Steps of a process killed mid-job are
   * lost with it — the job runs again and records its steps anew.
   */
  buffer(recordId: number): ActivityBuffer {
    return new ActivityBuffer(this, recordId, this.now);
  }

  async list(
    shopId: string,
    filter: { state?: RecordState | undefined; type?: string | undefined; limit?: number; before?: number | undefined } = {},
  ): Promise<ActivityRecord[]> {
    let query = this.db.selectFrom("activity_records").selectAll().where("shop_id", "=", shopId);
    if (filter.state) query = query.where("state", "=", filter.state);
    if (filter.type) query = query.where("subject_type", "=", filter.type);
    if (filter.before) query = query.where("id", "<", filter.before);
    const rows = await query
      .orderBy("updated_at", "desc")
      .orderBy("id", "desc")
      .limit(Math.min(filter.limit ?? 50, 500))
      .execute();
    return rows.map(toRecord);
  }

  async get(shopId: string, recordId: number): Promise<{ record: ActivityRecord; steps: ActivityStep[] } | undefined> {
    const row = await this.db
      .selectFrom("activity_records")
      .selectAll()
      .where("id", "=", recordId)
      .where("shop_id", "=", shopId)
      .executeTakeFirst();
    if (!row) return undefined;
    const steps = await this.db
      .selectFrom("activity_steps")
      .selectAll()
      .where("record_id", "=", recordId)
      .orderBy("id")
      .execute();
    return {
      record: toRecord(row),
      steps: steps.map((s) => ({
        id: Number(s.id),
        at: new Date(Number(s.at)).toISOString(),
        action: s.action,
        outcome: s.outcome,
        detail: s.detail === null ? null : (JSON.parse(s.detail) as unknown),
      })),
    };
  }

  async findBySubject(subject: Subject): Promise<ActivityRecord | undefined> {
    const row = await this.db
      .selectFrom("activity_records")
      .selectAll()
      .where("shop_id", "=", subject.shopId)
      .where("subject_type", "=", subject.type)
      .where("subject_id", "=", subject.id)
      .executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  async countSince(shopId: string, state: RecordState, since: number): Promise<number> {
    const row = await this.db
      .selectFrom("activity_records")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("shop_id", "=", shopId)
      .where("state", "=", state)
      .where("updated_at", ">=", since)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * Retention: records not touched since `before` keep their ids, states and outcomes; step details
   * and job payloads (which may hold names, addresses, e-mails) are dropped.
   */
  async reduceOlderThan(before: number): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const old = await trx
        .selectFrom("activity_records")
        .select("id")
        .where("updated_at", "<", before)
        .where("reduced_at", "is", null)
        .execute();
      if (old.length === 0) return 0;
      const ids = old.map((r) => Number(r.id));
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        await trx.updateTable("activity_steps").set({ detail: null }).where("record_id", "in", chunk).execute();
        await trx
          .updateTable("jobs")
          .set({ payload: "{}" })
          .where("record_id", "in", chunk)
          .where("state", "in", ["done", "skipped", "parked"])
          .execute();
        await trx.updateTable("activity_records").set({ reduced_at: this.now() }).where("id", "in", chunk).execute();
      }
      return ids.length;
    });
  }
}

function toRecord(row: {
  id: number;
  shop_id: string;
  subject_type: string;
  subject_id: string;
  state: RecordState;
  reason: string | null;
  summary: string | null;
  created_at: number;
  updated_at: number;
  reduced_at: number | null;
}): ActivityRecord {
  return {
    id: Number(row.id),
    shopId: row.shop_id,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    state: row.state,
    reason: row.reason,
    summary: row.summary ? (JSON.parse(row.summary) as Record<string, unknown>) : null,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    updatedAt: new Date(Number(row.updated_at)).toISOString(),
    reduced: row.reduced_at !== null,
  };
}

export const STEP_BUFFER_MAX = 32;
export const STEP_BUFFER_MS = 1_000;

export class ActivityBuffer {
  private pending: { at: number; action: string; outcome: string; detail?: unknown }[] = [];
  private summary: Record<string, unknown> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly activity: Activity,
    private readonly recordId: number,
    private readonly now: () => number,
  ) {}

  async step(action: string, outcome: string, detail?: unknown): Promise<void> {
    this.pending.push({ at: this.now(), action, outcome, ...(detail === undefined ? {} : { detail }) });
    if (this.pending.length >= STEP_BUFFER_MAX) await this.flush();
    else this.schedule();
  }

  async summarize(summary: Record<string, unknown>): Promise<void> {
    this.summary = { ...this.summary, ...summary };
    this.schedule();
  }

  /** Writes what is pending (in order with earlier flushes). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const steps = this.pending;
    const summary = this.summary;
    this.pending = [];
    this.summary = undefined;
    const run = this.flushing.then(async () => {
      let stepsWritten = false;
      try {
        if (steps.length > 0) await this.activity.steps(this.recordId, steps);
        stepsWritten = true;
        if (summary) await this.activity.summarize(this.recordId, summary);
      } catch (error) {
        // Kept for the next flush (a full disk, say): steps are not lost while the process lives.
        if (!stepsWritten) this.pending = [...steps, ...this.pending];
        if (summary) this.summary = { ...summary, ...this.summary };
        throw error;
      }
    });
    // A failed write is reported to this flush's caller; later flushes still run.
    this.flushing = run.catch(() => undefined);
    return run;
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => void this.flush().catch(() => undefined), STEP_BUFFER_MS);
    this.timer.unref();
  }
}
