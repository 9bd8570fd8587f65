import { type Kysely, PostgresAdapter, sql } from "kysely";

/**
 * Locks for read-then-write code inside a transaction, on whichever engine the store runs.
 *
 * - PostgreSQL: several bridge processes share the database, and under READ COMMITTED what a
 *   transaction read may change (or rows may appear) before it writes.
 * - SQLite: one process only, and a Kysely transaction holds the store's single connection from
 *   BEGIN to COMMIT, so nothing else reads or writes in between: nothing to lock.
 *
 * Where one row decides (a counter, a range), prefer one conditional UPDATE … RETURNING or an
 * upsert: it is atomic on both engines and locks that row on PostgreSQL until commit.
 */

/** True when `db` (a store's Kysely instance or one of its transactions) runs on PostgreSQL. */
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * Serialises the transactions that take the same `key` until each commits or rolls back: for
 * read-then-write on a set of rows that may not exist yet (row locks cannot lock a row another
 * transaction is about to insert). Call it first in the transaction. PostgreSQL: a transaction-level
 * advisory lock on a 64-bit hash of the key. SQLite: nothing to do (see above).
 */
export async function lockKey(trx: Kysely<any>, key: string): Promise<void> {
  if (isPostgres(trx)) await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`rbc:key:${key}`}, 0))`.execute(trx);
}
