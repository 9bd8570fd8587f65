import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { Store } from "./store.js";

/**
 * Named leases for work that must not run twice at once, across every bridge process sharing the
 * store: a periodic task (reconcilers, stock poll and sweep, retention), a shop's initial sync, a
 * shop's stock coalescing window.
 *
 * - PostgreSQL: a session advisory lock (`pg_try_advisory_lock` on a 64-bit hash of the name) held
 *   on one pooled connection for as long as the work runs. A process that dies loses its connection
 *   and with it the lock, at once: nothing waits for a timeout.
 * - SQLite: a row in `leases` with an expiry, renewed while the work runs (every third of `ttlMs`);
 *   a holder that died leaves a row that the next taker overwrites once it expired.
 *
 * Not a queue: whoever does not get the lease does not wait, it is told the work is already running
 * elsewhere (`{ ran: false }`), which is what a periodic task wants.
 */
export type LeaseResult<T> = { ran: true; value: T } | { ran: false };

export interface LeaseOptions {
  /** SQLite only: how long a lease lasts without renewal (a killed holder blocks at most this long). Default 120 s. */
  ttlMs?: number;
  now?: () => number;
}

export async function withLease<T>(
  store: Pick<Store, "db" | "pg" | "dialect">,
  name: string,
  work: () => Promise<T>,
  options: LeaseOptions = {},
): Promise<LeaseResult<T>> {
  return store.pg ? withAdvisoryLock(store.pg, name, work) : withLeaseRow(store, name, work, options);
}

async function withAdvisoryLock<T>(pool: NonNullable<Store["pg"]>, name: string, work: () => Promise<T>): Promise<LeaseResult<T>> {
  const client = await pool.connect();
  let broken = false;
  // A checked-out connection that drops reports an error event that nobody else listens to.
  const onError = () => {
    broken = true;
  };
  client.on("error", onError);
  try {
    const key = `rbc:lease:${name}`;
    const got = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok", [key]);
    if (!got.rows[0]?.ok) return { ran: false };
    try {
      return { ran: true, value: await work() };
    } finally {
      try {
        await client.query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [key]);
      } catch {
        // The connection is gone, and the lock with it; do not hand this connection back.
        broken = true;
      }
    }
  } finally {
    client.off("error", onError);
    client.release(broken);
  }
}

/**
 * A lease as a row in `leases` on either engine (what withLease does on SQLite): no connection is
 * held while the work runs, so many can be held at once (e.g. one per shop). A holder that died
 * blocks the name until `ttlMs` after its last renewal; expiry compares each process's clock, so the
 * machines' clocks must agree to well within `ttlMs`.
 */
export function withRowLease<T>(store: Pick<Store, "db">, name: string, work: () => Promise<T>, options: LeaseOptions = {}): Promise<LeaseResult<T>> {
  return withLeaseRow(store, name, work, options);
}

async function withLeaseRow<T>(
  store: Pick<Store, "db">,
  name: string,
  work: () => Promise<T>,
  options: LeaseOptions,
): Promise<LeaseResult<T>> {
  const now = options.now ?? Date.now;
  const ttl = options.ttlMs ?? 120_000;
  const owner = randomUUID();
  const take = await store.db
    .insertInto("leases")
    .values({ name, owner, lease_until: now() + ttl })
    .onConflict((oc) =>
      oc
        .column("name")
        .doUpdateSet({ owner, lease_until: now() + ttl })
        .where(sql<boolean>`leases.lease_until < ${now()}`),
    )
    .returning("owner")
    .executeTakeFirst();
  if (take?.owner !== owner) return { ran: false };
  const renew = setInterval(() => {
    void store.db
      .updateTable("leases")
      .set({ lease_until: now() + ttl })
      .where("name", "=", name)
      .where("owner", "=", owner)
      .execute()
      .catch(() => undefined);
  }, Math.max(10, Math.floor(ttl / 3)));
  renew.unref();
  try {
    return { ran: true, value: await work() };
  } finally {
    clearInterval(renew);
    await store.db.deleteFrom("leases").where("name", "=", name).where("owner", "=", owner).execute();
  }
}
