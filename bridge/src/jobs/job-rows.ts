import type { JobsTable } from "../store/schema.js";

/** A `jobs` row as the hot-path statements (SQLite and PostgreSQL) return it. */
export type JobRow = { [K in keyof JobsTable]: JobsTable[K] extends { __select__: infer S } ? S : JobsTable[K] };

/** What the hot-path insert of a new, waiting job takes (the rest of the row is fixed). */
export interface NewJobValues {
  kind: string;
  shop_id: string | null;
  idempotency_key: string;
  payload: string;
  priority: number;
  max_attempts: number;
  run_at: number;
  created_at: number;
}
