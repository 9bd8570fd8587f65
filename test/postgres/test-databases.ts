/**
 * Throw-away PostgreSQL databases for tests: each test (or file) gets its own database, created
 * fresh and dropped afterwards. The server is the one `npm test` makes sure runs on 127.0.0.1:5432
 * (TEST_POSTGRES_URL names another).
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { type OpenStoreOptions, type Store, openStore } from "../../bridge/src/store/store.js";
import { tempDir } from "../helpers/temp-dir.js";

export const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${ADMIN_URL.replace(/:[^:@/]*@/, ":…@")} (${(error as Error).message}); ` +
        "`npm test` starts it, or set TEST_POSTGRES_URL",
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * A new empty database `rbc_test_<random>`; `drop()` removes it (ending any connection left open).
 * Its commits do not wait for the WAL to reach the disk (`synchronous_commit = off`), as the test
 * SQLite stores do not (WAL with synchronous NORMAL): a killed bridge process loses nothing either
 * way, only a crash of the machine would. Waiting for an fsync per commit made the suite on
 * PostgreSQL a few times slower than on SQLite without testing anything more.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `rbc_test_${randomBytes(6).toString("hex")}`;
  await admin(async (c) => {
    await c.query(`CREATE DATABASE ${name}`);
    await c.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
  });
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** One way to get a fresh store for a test; `describe.each(storeKinds)` runs a test file on both engines. */
export interface StoreKind {
  name: "sqlite" | "postgres";
  /** A fresh, empty store location: env for a bridge (DATA_DIR and DATABASE_URL), and its cleanup. */
  create(): Promise<FreshStore>;
}

export interface FreshStore {
  dataDir: string;
  databaseUrl: string | undefined;
  /** The env a bridge (or a child process) needs to open this store. */
  env: Record<string, string>;
  open(options?: Partial<OpenStoreOptions>): Promise<Store>;
  cleanup(): Promise<void>;
}

export const sqliteStores: StoreKind = {
  name: "sqlite",
  async create() {
    const dir = tempDir("rbc-store-");
    return {
      dataDir: dir.path,
      databaseUrl: undefined,
      env: { DATA_DIR: dir.path },
      open: (options = {}) => openStore({ dataDir: dir.path, ...options }),
      async cleanup() {
        dir.cleanup();
      },
    };
  },
};

export const postgresStores: StoreKind = {
  name: "postgres",
  async create() {
    const dir = tempDir("rbc-store-");
    const database = await createTestDatabase();
    return {
      dataDir: dir.path,
      databaseUrl: database.url,
      env: { DATA_DIR: dir.path, DATABASE_URL: database.url },
      open: (options = {}) => openStore({ dataDir: dir.path, databaseUrl: database.url, poolSize: 4, ...options }),
      async cleanup() {
        await database.drop();
        dir.cleanup();
      },
    };
  },
};

/**
 * Both engines in one run. Store tests do not need it: `npm test` runs the bridge suite once per
 * engine (vitest projects `bridge` and `bridge-postgres`), so a test uses `defaultStoreKind` and is
 * run on each. Only a test comparing the two engines side by side wants both here.
 */
export const storeKinds: StoreKind[] = [sqliteStores, postgresStores];

/**
 * The engine of this run, for every test that opens a store or starts a bridge without a reason to
 * pin one: RBC_TEST_STORE=postgres (set by the `bridge-postgres` vitest project) makes it PostgreSQL,
 * each store on its own fresh database; otherwise SQLite in a temp directory. `startTestBridge` uses it.
 */
export const defaultStoreKind: StoreKind = process.env.RBC_TEST_STORE === "postgres" ? postgresStores : sqliteStores;

/** A fresh store of this run's engine, opened (migrated); `cleanup()` closes it and removes its data. */
export async function openTestStore(options: Partial<OpenStoreOptions> = {}): Promise<{ store: Store; fresh: FreshStore; cleanup(): Promise<void> }> {
  const fresh = await defaultStoreKind.create();
  try {
    const store = await fresh.open(options);
    return {
      store,
      fresh,
      async cleanup() {
        await store.close().catch(() => undefined);
        await fresh.cleanup();
      },
    };
  } catch (error) {
    await fresh.cleanup();
    throw error;
  }
}

/**
 * The store as two bridge processes see it: on PostgreSQL two stores (two pools) on one fresh
 * database; on SQLite, which serves one process, the same store twice. `cleanup()` closes both.
 */
export async function openTwoProcessStores(): Promise<{ stores: [Store, Store]; cleanup(): Promise<void> }> {
  const opened = await openTestStore();
  const other = defaultStoreKind.name === "postgres" ? await opened.fresh.open() : opened.store;
  return {
    stores: [opened.store, other],
    async cleanup() {
      if (other !== opened.store) await other.close().catch(() => undefined);
      await opened.cleanup();
    },
  };
}
