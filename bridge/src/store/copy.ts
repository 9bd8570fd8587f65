import { type Kysely, sql } from "kysely";
import type { Database } from "./schema.js";
import type { Store } from "./store.js";

/** Every table of the store's schema, copied in this order (the schema has no foreign keys). */
export const STORE_TABLES = [
  "account",
  "shops",
  "pairing_codes",
  "pairing_failures",
  "jobs",
  "activity_records",
  "activity_steps",
  "stock_items",
  "stock_reservations",
  "stock_links",
  "stock_drift",
  "product_links",
  "initial_sync_runs",
  "initial_sync_items",
  "preflights",
  "preflight_items",
  "order_links",
  "order_customer_links",
  "order_number_range",
  "leases",
  "rate_gate_slots",
  "rate_gate_pauses",
] as const satisfies readonly (keyof Database)[];

/** Tables whose `id` is generated: the target's sequence continues after the copied ids. */
const GENERATED_IDS = new Set<string>([
  "jobs",
  "activity_records",
  "activity_steps",
  "pairing_codes",
  "pairing_failures",
  "stock_reservations",
  "product_links",
  "rate_gate_slots",
]);

export class StoreCopyRefused extends Error {
  override name = "StoreCopyRefused";
}

export interface CopyReport {
  tables: { table: string; rows: number }[];
  secretsChecked: number;
}

const BATCH = 500;

/**
 * Copies every row of `from` into `to` (both migrated to the same version, `to` empty): jobs with
 * their states, leases and attempts, activity, shops with their sealed credentials, account values,
 * links and sync state. Sealed secrets are copied as they are — nothing is decrypted — and must open
 * with the target's key (the same SECRET_KEY or key file), which is checked before anything is
 * written. Row counts are compared after the copy. Stop the bridge first: a copy of a store that is
 * still changing misses what changes meanwhile.
 */
export async function copyStore(from: Store, to: Store, progress: (line: string) => void = () => undefined): Promise<CopyReport> {
  const source = from.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
  const target = to.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
  for (const table of STORE_TABLES) {
    const n = await count(target, table);
    if (n > 0) throw new StoreCopyRefused(`the target store is not empty (${table} has ${n} rows); copy into a freshly migrated database`);
  }
  const secretsChecked = await checkKey(from, to);
  const report: CopyReport = { tables: [], secretsChecked };
  for (const table of STORE_TABLES) {
    let rows = 0;
    let batch: Record<string, unknown>[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      await target.insertInto(table).values(batch).execute();
      rows += batch.length;
      batch = [];
    };
    // SQLite streams rows; from PostgreSQL (a copy back to SQLite) the table is read at once.
    const rowsOf = from.sqlite ? source.selectFrom(table).selectAll().stream(BATCH) : await source.selectFrom(table).selectAll().execute();
    for await (const row of rowsOf) {
      batch.push(row);
      if (batch.length >= BATCH) await flush();
    }
    await flush();
    if (to.dialect === "postgres" && GENERATED_IDS.has(table) && rows > 0) {
      await sql`SELECT setval(pg_get_serial_sequence(${table}, 'id'), (SELECT max(id) FROM ${sql.table(table)}))`.execute(to.db);
    }
    const copied = await count(target, table);
    const expected = await count(source, table);
    if (copied !== expected) throw new Error(`${table}: ${expected} rows in the source, ${copied} in the target`);
    report.tables.push({ table, rows });
    progress(`${table}: ${rows} rows`);
  }
  return report;
}

async function count(db: Kysely<Record<string, Record<string, unknown>>>, table: string): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Every sealed value of the source must open with the target's key; returns how many were checked. */
async function checkKey(from: Store, to: Store): Promise<number> {
  const sealed: string[] = [];
  for (const shop of await from.db.selectFrom("shops").select(["secret", "wc_consumer_key", "wc_consumer_secret"]).execute()) {
    for (const value of [shop.secret, shop.wc_consumer_key, shop.wc_consumer_secret]) if (value) sealed.push(value);
  }
  for (const row of await from.db.selectFrom("account").select("value").execute()) {
    try {
      const parsed = JSON.parse(row.value) as unknown;
      if (parsed && typeof parsed === "object" && typeof (parsed as { sealed?: unknown }).sealed === "string") {
        sealed.push((parsed as { sealed: string }).sealed);
      }
    } catch {
      // not JSON: not a sealed value
    }
  }
  for (const value of sealed) {
    try {
      to.secrets.open(value);
    } catch {
      throw new StoreCopyRefused(
        "the target store's key does not open the source's secrets: use the same SECRET_KEY (or the source's secret.key file in DATA_DIR) for both",
      );
    }
  }
  return sealed.length;
}
