import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect, sql } from "kysely";
import pg from "pg";
import { type Dialect, migrateToLatest } from "./migrations.js";
import type { Database } from "./schema.js";
import { SecretBox } from "./secrets.js";

/**
 * The bridge's store: a Kysely database (SQLite by default, PostgreSQL when configured) plus the box
 * that seals secrets. Callers use `store.db` through the repositories (jobs, activity, shops,
 * account); nothing outside store/ knows which engine is underneath.
 */
export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  readonly secrets: SecretBox;
  /** Where the data lives, for health output (a file path, or the PostgreSQL host). */
  readonly location: string;
  /** The SQLite connection under `db` (SQLite stores only), for prepared hot-path statements. */
  readonly sqlite?: SQLite.Database;
  /** The connection pool under `db` (PostgreSQL stores only), for the queue's hot statements and advisory locks. */
  readonly pg?: pg.Pool;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  dataDir: string;
  /** `sqlite:<path>`, `postgres://…`, or empty for `<dataDir>/bridge.sqlite`. */
  databaseUrl?: string | undefined;
  secretKey?: string | undefined;
  /** SQLite `synchronous` pragma: NORMAL survives a killed process; FULL also an OS crash, slower. */
  synchronous?: "NORMAL" | "FULL";
  migrate?: boolean;
  /** PostgreSQL connections per process. Default 10 (workers, HTTP routes and leases share them). */
  poolSize?: number;
}

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const url = options.databaseUrl?.trim() ?? "";
  if (url.startsWith("postgres")) return openPostgresStore(url, options);
  const file = url.startsWith("sqlite:") ? resolve(url.slice("sqlite:".length)) : resolve(options.dataDir, "bridge.sqlite");
  mkdirSync(dirname(file), { recursive: true });
  const secrets = SecretBox.load({
    base64Key: options.secretKey,
    keyFile: join(dirname(file), "secret.key"),
  });
  const connection = new SQLite(file);
  connection.pragma("journal_mode = WAL");
  connection.pragma(`synchronous = ${options.synchronous ?? "NORMAL"}`);
  connection.pragma("busy_timeout = 5000");
  connection.pragma("foreign_keys = ON");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingStatements(connection) }) });
  if (options.migrate !== false) await migrateToLatest(db as Kysely<unknown>, "sqlite");
  return {
    db,
    dialect: "sqlite",
    secrets,
    location: file,
    sqlite: connection,
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      await db.destroy();
    },
  };
}

/** How many distinct SQL texts keep a prepared statement (the bridge has a few hundred at most). */
const STATEMENT_CACHE_SIZE = 500;

/**
 * The connection as Kysely's SQLite driver sees it, with prepared statements reused by SQL text.
 * Kysely prepares every query anew; measured in the orders benchmark, preparing cost almost as much
 * as running the statements (≈ 2 ms of CPU per exported order, 46 statements each). A statement
 * still being iterated (a streamed query) is busy and cannot be reused: then a fresh one is made.
 * Least recently used texts are dropped beyond STATEMENT_CACHE_SIZE.
 */
function cachingStatements(connection: SQLite.Database): { prepare(sql: string): SQLite.Statement; close(): void } {
  const cache = new Map<string, SQLite.Statement>();
  // A failed write (SQLITE_FULL, SQLITE_IOERR…) may make SQLite roll the transaction back by itself;
  // Kysely's ROLLBACK then fails with "no transaction is active" and that error would hide the real
  // one. Rolling back with no transaction open is therefore a no-op, so the cause reaches the caller.
  const noTransactionRollback = { reader: false, run: () => ({ changes: 0, lastInsertRowid: 0 }) } as unknown as SQLite.Statement;
  return {
    prepare(text: string) {
      if (text === "rollback" && !connection.inTransaction) return noTransactionRollback;
      const cached = cache.get(text);
      if (cached && !cached.busy) {
        cache.delete(text);
        cache.set(text, cached);
        return cached;
      }
      const statement = connection.prepare(text);
      if (!cached) {
        cache.set(text, statement);
        if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      return statement;
    },
    close() {
      cache.clear();
      connection.close();
    },
  };
}

/** PostgreSQL type ids whose text form the bridge reads as JS numbers. */
const INT8 = 20;
const NUMERIC = 1700;

/**
 * A PostgreSQL store. The schema is the same as SQLite's (same migrations); 64-bit columns (times in
 * ms, ids) and numeric results (count(*), sums) come back as JS numbers, as they do from SQLite —
 * every value the bridge keeps is far below 2^53. The secret key comes from SECRET_KEY or, like the
 * SQLite store, from `<dataDir>/secret.key`: the same key opens secrets copied from SQLite.
 */
export async function openPostgresStore(url: string, options: OpenStoreOptions): Promise<Store> {
  const secrets = SecretBox.load({ base64Key: options.secretKey, keyFile: join(resolve(options.dataDir), "secret.key") });
  const types = {
    getTypeParser(id: number, format?: "text" | "binary") {
      if (id === INT8 || id === NUMERIC) return (value: string) => (value === null ? null : Number(value));
      return format === undefined ? pg.types.getTypeParser(id) : pg.types.getTypeParser(id, format);
    },
  } as pg.CustomTypesConfig;
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, types });
  // An idle connection that the server dropped must not crash the process; the next query reconnects.
  pool.on("error", () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    if (options.migrate !== false) await migrateToLatest(db as Kysely<unknown>, "postgres");
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return {
    db,
    dialect: "postgres",
    secrets,
    location: describePostgresUrl(url),
    pg: pool,
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      await db.destroy();
    },
  };
}

/** `postgres://host:port/database` without the user's password, for logs and health output. */
export function describePostgresUrl(url: string): string {
  try {
    const u = new URL(url);
    return `postgres://${u.hostname}${u.port ? `:${u.port}` : ""}${u.pathname}`;
  } catch {
    return "postgres";
  }
}
