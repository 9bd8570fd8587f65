import type SQLite from "better-sqlite3";
import type { Kysely } from "kysely";
import type { Database } from "../store/schema.js";
import type { JobRow, NewJobValues } from "./job-rows.js";


/**
 * The queue's three hot statements (enqueue, claim, finish) as prepared SQLite statements. Kysely
 * compiles and prepares every query anew, which costs more than the statement itself; on the hot
 * path that overhead alone would cap the queue near 2,000 jobs/s. The statements run while holding
 * Kysely's connection lock, so they never interleave with a transaction Kysely has open.
 */
export class SqliteJobStatements {
  private readonly insertStatement: SQLite.Statement;
  private readonly claimStatements = new Map<number, SQLite.Statement>();
  private readonly finishStatement: SQLite.Statement;
  private readonly completeManyStatement: SQLite.Statement;
  private readonly byKeyStatement: SQLite.Statement;
  private readonly touchRecordStatement: SQLite.Statement;
  private readonly setRecordStatement: SQLite.Statement;
  private readonly openForRecordStatement: SQLite.Statement;
  private readonly settleRecordStatement: SQLite.Statement;
  private pendingDone: { id: number; owner: string; resolve: (ok: boolean) => void; reject: (e: unknown) => void }[] = [];

  constructor(
    private readonly db: Kysely<Database>,
    private readonly connection: SQLite.Database,
  ) {
    this.insertStatement = connection.prepare(
      `INSERT INTO jobs (kind, shop_id, idempotency_key, payload, state, priority, attempts, max_attempts, run_at,
         lease_until, lease_owner, last_error, record_id, created_at, updated_at)
       VALUES (@kind, @shop_id, @idempotency_key, @payload, 'waiting', @priority, 0, @max_attempts, @run_at,
         NULL, NULL, NULL, NULL, @created_at, @created_at)
       ON CONFLICT (idempotency_key) DO NOTHING RETURNING *`,
    );
    this.byKeyStatement = connection.prepare(`SELECT * FROM jobs WHERE idempotency_key = ?`);
    // Activity.touch as one statement: the subject's record, created or re-opened as waiting.
    this.touchRecordStatement = connection.prepare(
      `INSERT INTO activity_records (shop_id, subject_type, subject_id, state, reason, summary, created_at, updated_at, reduced_at)
       VALUES (@shop_id, @subject_type, @subject_id, 'waiting', NULL, NULL, @at, @at, NULL)
       ON CONFLICT (shop_id, subject_type, subject_id) DO UPDATE SET state = 'waiting', reason = NULL, updated_at = @at
       RETURNING id`,
    );
    this.setRecordStatement = connection.prepare(`UPDATE jobs SET record_id = ? WHERE id = ?`);
    this.openForRecordStatement = connection.prepare(`SELECT id FROM jobs WHERE record_id = ? AND state IN ('waiting', 'running') LIMIT 1`);
    this.settleRecordStatement = connection.prepare(`UPDATE activity_records SET state = ?, reason = ?, updated_at = ? WHERE id = ?`);
    this.finishStatement = connection.prepare(
      `UPDATE jobs SET state = @state, lease_owner = NULL, lease_until = NULL, last_error = @reason, updated_at = @at
       WHERE id = @id AND state = 'running' AND lease_owner = @owner`,
    );
    this.completeManyStatement = connection.prepare(
      `UPDATE jobs SET state = 'done', lease_owner = NULL, lease_until = NULL, last_error = NULL, updated_at = ?
       WHERE id IN (SELECT value FROM json_each(?)) AND state = 'running' AND lease_owner = ? RETURNING id`,
    );
  }

  /**
   * Marks a job done, grouped with the other completions of the same tick into one statement
   * (group commit): under load, one write for many jobs instead of one each.
   */
  complete(id: number, owner: string, at: () => number): Promise<boolean> {
    return new Promise((resolve, reject) => {
      if (this.pendingDone.length === 0) setImmediate(() => void this.flushDone(at()));
      this.pendingDone.push({ id, owner, resolve, reject });
    });
  }

  private async flushDone(at: number): Promise<void> {
    const batch = this.pendingDone;
    this.pendingDone = [];
    const owners = [...new Set(batch.map((b) => b.owner))];
    try {
      const finished = await this.locked(() => {
        const ids = new Set<number>();
        for (const owner of owners) {
          const mine = batch.filter((b) => b.owner === owner).map((b) => b.id);
          for (const row of this.completeManyStatement.all(at, JSON.stringify(mine), owner) as { id: number }[]) ids.add(Number(row.id));
        }
        return ids;
      });
      for (const b of batch) b.resolve(finished.has(b.id));
    } catch (error) {
      for (const b of batch) b.reject(error);
    }
  }

  async insert(values: NewJobValues): Promise<JobRow | undefined> {
    return this.locked(() => this.insertStatement.get(values) as JobRow | undefined);
  }

  /**
   * Several jobs (with their activity records) in one SQLite transaction: all stored or none. The
   * same rows as JobQueue's Kysely path, without building and compiling three queries per job —
   * the events route's cost per event was mostly that.
   */
  async insertMany(
    items: {
      values: NewJobValues;
      subject: { shopId: string; type: string; id: string } | undefined;
    }[],
    at: number,
  ): Promise<{ row: JobRow; created: boolean }[]> {
    return this.locked(() =>
      this.connection.transaction(() =>
        items.map(({ values, subject }) => {
          const inserted = this.insertStatement.get(values) as JobRow | undefined;
          if (!inserted) return { row: this.byKeyStatement.get(values.idempotency_key) as JobRow, created: false };
          if (subject) {
            const record = this.touchRecordStatement.get({ shop_id: subject.shopId, subject_type: subject.type, subject_id: subject.id, at }) as { id: number };
            this.setRecordStatement.run(record.id, inserted.id);
            inserted.record_id = record.id;
          }
          return { row: inserted, created: true };
        }),
      )(),
    );
  }

  async claim(owner: string, limit: number, at: number, leaseUntil: number, kinds: string[] | undefined): Promise<JobRow[]> {
    const kindCount = kinds?.length ?? 0;
    let statement = this.claimStatements.get(kindCount);
    if (!statement) {
      const kindFilter = kindCount > 0 ? `AND kind IN (${Array.from({ length: kindCount }, () => "?").join(", ")})` : "";
      // 'waiting' is a literal so SQLite can use the partial index on waiting jobs.
      statement = this.connection.prepare(
        `UPDATE jobs SET state = 'running', lease_owner = ?, lease_until = ?, attempts = attempts + 1, updated_at = ?
         WHERE id IN (SELECT id FROM jobs WHERE state = 'waiting' AND run_at <= ? ${kindFilter}
                      ORDER BY priority DESC, run_at, id LIMIT ?)
         AND state = 'waiting' RETURNING *`,
      );
      this.claimStatements.set(kindCount, statement);
    }
    const claim = statement;
    return this.locked(() => claim.all(owner, leaseUntil, at, at, ...(kinds ?? []), limit) as JobRow[]);
  }

  /**
   * Ends a job that has an activity record, in one transaction: the job (only while `owner` holds
   * it), then the record — "done" only when none of the record's other jobs is waiting or running.
   */
  async finishWithRecord(id: number, owner: string, state: "done" | "skipped", reason: string | null, at: number, recordId: number): Promise<boolean> {
    return this.locked(() =>
      this.connection.transaction(() => {
        if (this.finishStatement.run({ id, owner, state, reason, at }).changes !== 1) return false;
        if (state === "done" && this.openForRecordStatement.get(recordId) !== undefined) return true;
        this.settleRecordStatement.run(state, reason, at, recordId);
        return true;
      })(),
    );
  }

  async finish(id: number, owner: string, state: "done" | "skipped", reason: string | null, at: number): Promise<boolean> {
    return this.locked(() => this.finishStatement.run({ id, owner, state, reason, at }).changes === 1);
  }

  private locked<T>(work: () => T): Promise<T> {
    return this.db.connection().execute(async () => work());
  }
}
