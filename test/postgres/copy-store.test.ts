import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccountSettings } from "../../bridge/src/shops/account.js";
import { Shops } from "../../bridge/src/shops/shops.js";
import { STORE_TABLES } from "../../bridge/src/store/copy.js";
import { type Store, openStore } from "../../bridge/src/store/store.js";
import { startTestBridge } from "../helpers/bridge.js";
import { type FreshStore, createTestDatabase, postgresStores, sqliteStores } from "./test-databases.js";

const run = promisify(execFile);
const cli = (args: string[], env: Record<string, string>) =>
  run(process.execPath, ["--import", "tsx", join(import.meta.dirname, "../../bridge/src/cli.ts"), ...args], {
    env: { ...process.env, DATABASE_URL: "", SECRET_KEY: "", ...env },
  });

const rowsOf = async (store: Store, table: string) => {
  const db = store.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
  const rows = await db.selectFrom(table).selectAll().execute();
  return rows.map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b))))).sort();
};

describe("rackbeat-bridge migrate and copy-store (SQLite → PostgreSQL)", () => {
  let sqlite: FreshStore;
  let target: Awaited<ReturnType<typeof createTestDatabase>>;
  let shop: { shopId: string; shopSecret: string };
  const TOKEN = "rb-copy-token-0123456789abcdefghijklmnop";

  beforeAll(async () => {
    sqlite = await sqliteStores.create();
    target = await createTestDatabase();
    // A SQLite bridge with some history: a paired shop, a sealed token, jobs in several states.
    const bridge = await startTestBridge({ runWorkers: false, dataDir: sqlite.dataDir });
    shop = await bridge.pairShop({ name: "Copy shop" });
    await bridge.ctx.account.setSecret("rackbeat.token", TOKEN);
    const q = bridge.ctx.queue;
    for (let i = 0; i < 30; i += 1) {
      await q.enqueue({ kind: "k", idempotencyKey: `copy-${i}`, payload: { i, amount: "12.50" }, subject: { shopId: shop.shopId, type: "order", id: String(i) } });
    }
    const claimed = await q.claim("w", 10);
    for (const job of claimed.slice(0, 5)) await q.complete(job, "w");
    for (const job of claimed.slice(5, 8)) await q.fail(job, "w", new Error("permanent"));
    await bridge.ctx.store.db
      .insertInto("stock_items")
      .values({ sku: "SKU-1", stock_quantity: 1234567.25, in_order_quantity: 3.5, available_quantity: 1234563.75, locations: null, rackbeat_updated_at: null, fetch_seq: 7, fetched_at: Date.now() })
      .execute();
    await bridge.close();
  }, 60_000);
  afterAll(async () => {
    await target.drop();
    await sqlite.cleanup();
  });

  it("migrate creates the tables on either store", async () => {
    const a = await cli(["migrate"], { DATA_DIR: sqlite.dataDir });
    expect(a.stdout).toMatch(/store is up to date \(sqlite:/);
    const scratch = await postgresStores.create();
    try {
      const b = await cli(["migrate"], { DATA_DIR: scratch.dataDir, DATABASE_URL: scratch.databaseUrl! });
      expect(b.stdout).toMatch(/store is up to date \(postgres: postgres:\/\/127\.0\.0\.1:5432\/rbc_test_/);
    } finally {
      await scratch.cleanup();
    }
  }, 60_000);

  it("copies every row, secrets still sealed and opening with the same key; refuses a non-empty target", async () => {
    const out = await cli(["copy-store", "--to", target.url], { DATA_DIR: sqlite.dataDir });
    expect(out.stdout).toMatch(/copied \d+ rows in \d+ tables; 4 sealed secrets open with the target's key/);
    const from = await sqlite.open();
    const pg = await openStore({ dataDir: sqlite.dataDir, databaseUrl: target.url, poolSize: 2 });
    try {
      for (const table of STORE_TABLES) expect(await rowsOf(pg, table), table).toEqual(await rowsOf(from, table));
      expect(await new AccountSettings(pg.db, pg.secrets).getSecret("rackbeat.token")).toBe(TOKEN);
      expect((await new Shops(pg.db, pg.secrets).credentials(shop.shopId))?.shopSecret).toBe(shop.shopSecret);
      // The id sequences continue after the copied ids.
      const maxId = Number((await pg.db.selectFrom("jobs").select((eb) => eb.fn.max("id").as("m")).executeTakeFirstOrThrow()).m);
      const inserted = await pg.db
        .insertInto("jobs")
        .values({ kind: "k", shop_id: null, idempotency_key: "after-copy", payload: "null", state: "waiting", priority: 0, attempts: 0, max_attempts: 3, run_at: 1, lease_until: null, lease_owner: null, last_error: null, record_id: null, created_at: 1, updated_at: 1 })
        .returning("id")
        .executeTakeFirstOrThrow();
      expect(inserted.id).toBeGreaterThan(maxId);
    } finally {
      await pg.close();
      await from.close();
    }
    await expect(cli(["copy-store", "--to", target.url], { DATA_DIR: sqlite.dataDir })).rejects.toMatchObject({
      stderr: expect.stringMatching(/target store is not empty/),
    });
  }, 60_000);
});
