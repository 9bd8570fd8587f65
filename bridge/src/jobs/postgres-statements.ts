import type pg from "pg";
import type { JobRow, NewJobValues } from "./job-rows.js";

/**
 * The queue's hot statements (enqueue, claim, finish) on PostgreSQL, as named prepared statements on
 * the store's pool. The claim is safe with many workers in many processes: the inner SELECT locks
 * the rows it picks `FOR UPDATE SKIP LOCKED`, so concurrent claimers pass over each other's rows
 * instead of waiting for them (and, under READ COMMITTED, coming back empty-handed) — each waiting
 * job goes to exactly one claimer. Leases work as on SQLite: a claimed job is `running` under its
 * owner's lease until it finishes or the lease expires (JobQueue.reclaimExpired).
 */
export class PostgresJobStatements {
  private pendingDone: { id: number; owner: string; resolve: (ok: boolean) => void; reject: (e: unknown) => void }[] = [];

  constructor(private readonly pool: pg.Pool) {}

  async insert(values: NewJobValues): Promise<JobRow | undefined> {
    const result = await this.pool.query<JobRow>({
      name: "rbc_jobs_insert",
      text: `INSERT INTO jobs (kind, shop_id, idempotency_key, payload, state, priority, attempts, max_attempts, run_at,
               lease_until, lease_owner, last_error, record_id, created_at, updated_at)
             VALUES ($1, $2, $3, $4, 'waiting', $5, 0, $6, $7, NULL, NULL, NULL, NULL, $8, $8)
             ON CONFLICT (idempotency_key) DO NOTHING RETURNING *`,
      values: [
        values.kind,
        values.shop_id,
        values.idempotency_key,
        values.payload,
        values.priority,
        values.max_attempts,
        values.run_at,
        values.created_at,
      ],
    });
    return result.rows[0];
  }

  async claim(owner: string, limit: number, at: number, leaseUntil: number, kinds: string[] | undefined): Promise<JobRow[]> {
    const byKind = kinds !== undefined && kinds.length > 0;
    // 'waiting' is a literal so the planner uses the partial index on waiting jobs.
    const result = await this.pool.query<JobRow>({
      name: byKind ? "rbc_jobs_claim_kinds" : "rbc_jobs_claim",
      text: `UPDATE jobs SET state = 'running', lease_owner = $1, lease_until = $2, attempts = attempts + 1, updated_at = $3
             WHERE id IN (SELECT id FROM jobs WHERE state = 'waiting' AND run_at <= $3 ${byKind ? "AND kind = ANY($5::text[])" : ""}
                          ORDER BY priority DESC, run_at, id LIMIT $4 FOR UPDATE SKIP LOCKED)
             RETURNING *`,
      values: byKind ? [owner, leaseUntil, at, limit, kinds] : [owner, leaseUntil, at, limit],
    });
    return result.rows;
  }

  /**
   * Marks a job done, grouped with the other completions of the same tick into one statement
   * (group commit), as on SQLite.
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
    try {
      const finished = new Set<number>();
      for (const owner of new Set(batch.map((b) => b.owner))) {
        const mine = batch.filter((b) => b.owner === owner).map((b) => b.id);
        const result = await this.pool.query<{ id: number }>({
          name: "rbc_jobs_complete_many",
          text: `UPDATE jobs SET state = 'done', lease_owner = NULL, lease_until = NULL, last_error = NULL, updated_at = $1
                 WHERE id = ANY($2::bigint[]) AND state = 'running' AND lease_owner = $3 RETURNING id`,
          values: [at, mine, owner],
        });
        for (const row of result.rows) finished.add(Number(row.id));
      }
      for (const b of batch) b.resolve(finished.has(b.id));
    } catch (error) {
      for (const b of batch) b.reject(error);
    }
  }

  async finish(id: number, owner: string, state: "done" | "skipped", reason: string | null, at: number): Promise<boolean> {
    const result = await this.pool.query({
      name: "rbc_jobs_finish",
      text: `UPDATE jobs SET state = $1, lease_owner = NULL, lease_until = NULL, last_error = $2, updated_at = $3
             WHERE id = $4 AND state = 'running' AND lease_owner = $5`,
      values: [state, reason, at, id, owner],
    });
    return result.rowCount === 1;
  }
}
