import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from "kysely";

export type Dialect = "sqlite" | "postgres";

/**
 * The store's migrations, one source of truth for SQLite and PostgreSQL. Each migration is written
 * with Kysely's schema builder; where the two engines differ (auto-increment keys, 64-bit integers)
 * the helpers below pick the right type.
 */
export function migrationsFor(dialect: Dialect): Record<string, Migration> {
  const id = (table: ReturnType<Kysely<unknown>["schema"]["createTable"]>) =>
    dialect === "sqlite"
      ? table.addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
      : table.addColumn("id", "bigserial", (c) => c.primaryKey());
  // Milliseconds since the epoch overflow 32 bits.
  const time = "bigint" as const;

  return {
    "0001_jobs_activity_shops": {
      async up(db: Kysely<unknown>) {
        await id(db.schema.createTable("jobs"))
          .addColumn("kind", "text", (c) => c.notNull())
          .addColumn("shop_id", "text")
          .addColumn("idempotency_key", "text", (c) => c.notNull().unique())
          .addColumn("payload", "text", (c) => c.notNull())
          .addColumn("state", "text", (c) => c.notNull())
          .addColumn("priority", "integer", (c) => c.notNull().defaultTo(0))
          .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
          .addColumn("max_attempts", "integer", (c) => c.notNull())
          .addColumn("run_at", time, (c) => c.notNull())
          .addColumn("lease_until", time)
          .addColumn("lease_owner", "text")
          .addColumn("last_error", "text")
          .addColumn("record_id", "bigint")
          .addColumn("created_at", time, (c) => c.notNull())
          .addColumn("updated_at", time, (c) => c.notNull())
          .execute();
        // Claiming reads only waiting jobs in priority/run_at order: a partial index keeps it
        // independent of how many finished jobs the table holds.
        await sql`CREATE INDEX jobs_claimable ON jobs (priority DESC, run_at, id) WHERE state = 'waiting'`.execute(db);
        await sql`CREATE INDEX jobs_running_lease ON jobs (lease_until) WHERE state = 'running'`.execute(db);
        await sql`CREATE INDEX jobs_parked ON jobs (shop_id, id) WHERE state = 'parked'`.execute(db);
        await db.schema.createIndex("jobs_record").on("jobs").column("record_id").execute();
        // For retention pruning only. Deliberately not led by `state`: an index on (state, …) would
        // tempt the planner away from the partial index the claim query needs.
        await db.schema.createIndex("jobs_updated").on("jobs").column("updated_at").execute();

        await id(db.schema.createTable("activity_records"))
          .addColumn("shop_id", "text", (c) => c.notNull())
          .addColumn("subject_type", "text", (c) => c.notNull())
          .addColumn("subject_id", "text", (c) => c.notNull())
          .addColumn("state", "text", (c) => c.notNull())
          .addColumn("reason", "text")
          .addColumn("summary", "text")
          .addColumn("created_at", time, (c) => c.notNull())
          .addColumn("updated_at", time, (c) => c.notNull())
          .addColumn("reduced_at", time)
          .addUniqueConstraint("activity_subject", ["shop_id", "subject_type", "subject_id"])
          .execute();
        await db.schema
          .createIndex("activity_by_shop_updated")
          .on("activity_records")
          .columns(["shop_id", "updated_at"])
          .execute();

        await id(db.schema.createTable("activity_steps"))
          .addColumn("record_id", "bigint", (c) => c.notNull())
          .addColumn("at", time, (c) => c.notNull())
          .addColumn("action", "text", (c) => c.notNull())
          .addColumn("outcome", "text", (c) => c.notNull())
          .addColumn("detail", "text")
          .execute();
        await db.schema.createIndex("activity_steps_record").on("activity_steps").columns(["record_id", "id"]).execute();

        await db.schema
          .createTable("shops")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("name", "text", (c) => c.notNull())
          .addColumn("url", "text", (c) => c.notNull())
          .addColumn("secret", "text")
          .addColumn("wc_consumer_key", "text")
          .addColumn("wc_consumer_secret", "text")
          .addColumn("settings", "text", (c) => c.notNull())
          .addColumn("role", "text", (c) => c.notNull())
          .addColumn("plugin_version", "text")
          .addColumn("protocol_version", "integer", (c) => c.notNull())
          .addColumn("paired_at", time, (c) => c.notNull())
          .addColumn("last_contact_at", time)
          .addColumn("disconnected_at", time)
          .addColumn("outbox_seq", "bigint", (c) => c.notNull().defaultTo(0))
          .execute();

        await id(db.schema.createTable("pairing_codes"))
          .addColumn("code_hash", "text", (c) => c.notNull().unique())
          .addColumn("name", "text")
          .addColumn("expires_at", time, (c) => c.notNull())
          .addColumn("used_at", time)
          .addColumn("created_at", time, (c) => c.notNull())
          .execute();

        await id(db.schema.createTable("pairing_failures"))
          .addColumn("address", "text", (c) => c.notNull())
          .addColumn("at", time, (c) => c.notNull())
          .execute();
        await db.schema.createIndex("pairing_failures_address").on("pairing_failures").columns(["address", "at"]).execute();

        await db.schema
          .createTable("account")
          .addColumn("key", "text", (c) => c.primaryKey())
          .addColumn("value", "text", (c) => c.notNull())
          .addColumn("updated_at", time, (c) => c.notNull())
          .execute();
      },
    },
    // Stock (issue 6): Rackbeat figures cached per item, orders in flight, what each shop was last
    // written per SKU, and the drift report.
    "0002_stock": {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable("stock_items")
          .addColumn("sku", "text", (c) => c.primaryKey())
          .addColumn("stock_quantity", "real", (c) => c.notNull())
          .addColumn("in_order_quantity", "real", (c) => c.notNull())
          .addColumn("available_quantity", "real", (c) => c.notNull())
          .addColumn("locations", "text")
          .addColumn("rackbeat_updated_at", "text")
          .addColumn("fetch_seq", "bigint", (c) => c.notNull())
          .addColumn("fetched_at", time, (c) => c.notNull())
          .execute();

        await id(db.schema.createTable("stock_reservations"))
          .addColumn("shop_id", "text", (c) => c.notNull())
          .addColumn("woo_order_id", "bigint", (c) => c.notNull())
          .addColumn("sku", "text", (c) => c.notNull())
          .addColumn("quantity", "real", (c) => c.notNull())
          .addColumn("state", "text", (c) => c.notNull())
          .addColumn("rackbeat_order_number", "bigint")
          .addColumn("started_at", time, (c) => c.notNull())
          .addColumn("updated_at", time, (c) => c.notNull())
          .addUniqueConstraint("stock_reservation_line", ["shop_id", "woo_order_id", "sku"])
          .execute();
        await sql`CREATE INDEX stock_reservations_live ON stock_reservations (sku) WHERE state <> 'ended'`.execute(db);

        await db.schema
          .createTable("stock_links")
          .addColumn("shop_id", "text", (c) => c.notNull())
          .addColumn("sku", "text", (c) => c.notNull())
          .addColumn("woo_id", "bigint", (c) => c.notNull())
          .addColumn("parent_id", "bigint")
          .addColumn("manage_stock", "integer", (c) => c.notNull())
          .addColumn("last_written", "integer")
          .addColumn("last_written_at", time)
          .addColumn("last_order_event_at", time)
          .addColumn("updated_at", time, (c) => c.notNull())
          .addPrimaryKeyConstraint("stock_links_pk", ["shop_id", "sku"])
          .execute();
        await db.schema.createIndex("stock_links_sku").on("stock_links").column("sku").execute();
        await db.schema.createIndex("stock_links_woo").on("stock_links").columns(["shop_id", "woo_id"]).execute();

        await db.schema
          .createTable("stock_drift")
          .addColumn("shop_id", "text", (c) => c.notNull())
          .addColumn("sku", "text", (c) => c.notNull())
          .addColumn("kind", "text", (c) => c.notNull())
          .addColumn("rackbeat", "integer")
          .addColumn("shop", "integer")
          .addColumn("last_write", "integer")
          .addColumn("last_write_at", time)
          .addColumn("found_at", time, (c) => c.notNull())
          .addColumn("fixed_at", time)
          .addPrimaryKeyConstraint("stock_drift_pk", ["shop_id", "sku"])
          .execute();
      },
    },
    // Products (issue 7): links on WooCommerce ids, initial-sync runs and preflight reports.
    "0003_products": {
      async up(db: Kysely<unknown>) {
        await id(db.schema.createTable("product_links"))
          .addColumn("shop_id", "text", (c) => c.notNull())
          .addColumn("woo_id", "bigint", (c) => c.notNull())
          .addColumn("woo_parent_id", "bigint")
          .addColumn("rackbeat_number", "text", (c) => c.notNull())
          .addColumn("barred_by_bridge", "integer", (c) => c.notNull().defaultTo(0))
          .addColumn("updated_at", time, (c) => c.notNull())
          .addUniqueConstraint("product_links_woo", ["shop_id", "woo_id"])
          .execute();
        await db.schema.createIndex("product_links_number").on("product_links").columns(["shop_id", "rackbeat_number"]).execute();
        await db.schema.createIndex("product_links_parent").on("product_links").columns(["shop_id", "woo_parent_id"]).execute();

        await db.schema
          .createTable("initial_sync_runs")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("shop_id", "text", (c) => c.notNull())
          .addColumn("state", "text", (c) => c.notNull())
          .addColumn("next_page", "integer", (c) => c.notNull().defaultTo(1))
          .addColumn("total", "integer", (c) => c.notNull().defaultTo(0))
          .addColumn("done", "integer", (c) => c.notNull().defaultTo(0))
          .addColumn("errors", "integer", (c) => c.notNull().defaultTo(0))
          .addColumn("skipped", "integer", (c) => c.notNull().defaultTo(0))
          .addColumn("rackbeat_products", "integer", (c) => c.notNull().defaultTo(0))
          .addColumn("stock_adjustments", "integer", (c) => c.notNull().defaultTo(0))
          .addColumn("created_at", time, (c) => c.notNull())
          .addColumn("started_at", time)
          .addColumn("updated_at", time, (c) => c.notNull())
          .addColumn("finished_at", time)
          .addColumn("message", "text")
          .execute();
        await db.schema.createIndex("initial_sync_runs_shop").on("initial_sync_runs").columns(["shop_id", "created_at"]).execute();

        await db.schema
          .createTable("initial_sync_items")
          .addColumn("run_id", "text", (c) => c.notNull())
          .addColumn("woo_id", "bigint", (c) => c.notNull())
          .addColumn("woo_parent_id", "bigint")
          .addColumn("sku", "text")
          .addColumn("outcome", "text", (c) => c.notNull())
          .addColumn("reason", "text")
          .addColumn("at", time, (c) => c.notNull())
          .addPrimaryKeyConstraint("initial_sync_items_pk", ["run_id", "woo_id"])
          .execute();
        await db.schema.createIndex("initial_sync_items_sku").on("initial_sync_items").columns(["run_id", "sku"]).execute();

        await db.schema
          .createTable("preflights")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("shop_id", "text", (c) => c.notNull())
          .addColumn("state", "text", (c) => c.notNull())
          .addColumn("report", "text")
          .addColumn("created_at", time, (c) => c.notNull())
          .addColumn("finished_at", time)
          .execute();
        await db.schema
          .createTable("preflight_items")
          .addColumn("preflight_id", "text", (c) => c.notNull())
          .addColumn("seq", "integer", (c) => c.notNull())
          .addColumn("woo_id", "bigint", (c) => c.notNull())
          .addColumn("woo_parent_id", "bigint")
          .addColumn("kind", "text", (c) => c.notNull())
          .addColumn("sku", "text", (c) => c.notNull())
          .addColumn("name", "text", (c) => c.notNull())
          .addColumn("price", "text", (c) => c.notNull())
          .addColumn("price_excl_vat", "text")
          .addColumn("in_rackbeat", "integer", (c) => c.notNull())
          .addColumn("problems", "text", (c) => c.notNull())
          .addPrimaryKeyConstraint("preflight_items_pk", ["preflight_id", "seq"])
          .execute();
        await db.schema.createIndex("preflight_items_sku").on("preflight_items").columns(["preflight_id", "sku"]).execute();
      },
    },
    // Orders (issue 5): links (shop, Woo order) → Rackbeat order with the intent written before the
    // create call, customer links, and the owner's order-number range.
    "0004_orders": {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable("order_links")
          .addColumn("shop_id", "text", (c) => c.notNull())
          .addColumn("woo_order_id", "bigint", (c) => c.notNull())
          .addColumn("state", "text", (c) => c.notNull())
          .addColumn("rackbeat_order_number", "bigint", (c) => c.notNull().unique())
          .addColumn("reference", "text", (c) => c.notNull())
          .addColumn("customer_number", "bigint")
          .addColumn("rackbeat_stage", "text")
          .addColumn("fingerprint", "text")
          .addColumn("written_back_at", time)
          .addColumn("woo_status_written", "text")
          .addColumn("flagged_reason", "text")
          .addColumn("created_at", time, (c) => c.notNull())
          .addColumn("updated_at", time, (c) => c.notNull())
          .addPrimaryKeyConstraint("order_links_pk", ["shop_id", "woo_order_id"])
          .execute();
        await db.schema.createIndex("order_links_stage").on("order_links").columns(["state", "rackbeat_stage"]).execute();

        await db.schema
          .createTable("order_customer_links")
          .addColumn("shop_id", "text", (c) => c.notNull())
          .addColumn("match_key", "text", (c) => c.notNull())
          .addColumn("customer_number", "bigint", (c) => c.notNull())
          .addColumn("fingerprint", "text", (c) => c.notNull())
          .addColumn("updated_at", time, (c) => c.notNull())
          .addPrimaryKeyConstraint("order_customer_links_pk", ["shop_id", "match_key"])
          .execute();

        await db.schema
          .createTable("order_number_range")
          .addColumn("id", "integer", (c) => c.primaryKey())
          .addColumn("range_from", "bigint", (c) => c.notNull())
          .addColumn("range_to", "bigint", (c) => c.notNull())
          .addColumn("next_number", "bigint", (c) => c.notNull())
          .addColumn("updated_at", time, (c) => c.notNull())
          .execute();
      },
    },
    // Scale-out (issue 11): on PostgreSQL, `real` is a 4-byte float (about 7 digits), where SQLite's
    // REAL is 8 bytes: widen the stock quantities so both engines keep the same figures. Leases for
    // work that must not run twice at once, and the shared Rackbeat rate gate's slots.
    "0005_scale_out": {
      async up(db: Kysely<unknown>) {
        if (dialect === "postgres") {
          for (const [table, column] of [
            ["stock_items", "stock_quantity"],
            ["stock_items", "in_order_quantity"],
            ["stock_items", "available_quantity"],
            ["stock_reservations", "quantity"],
          ] as const) {
            await sql`ALTER TABLE ${sql.table(table)} ALTER COLUMN ${sql.ref(column)} TYPE double precision`.execute(db);
          }
        }
        await db.schema
          .createTable("leases")
          .addColumn("name", "text", (c) => c.primaryKey())
          .addColumn("owner", "text", (c) => c.notNull())
          .addColumn("lease_until", time, (c) => c.notNull())
          .execute();
        await id(db.schema.createTable("rate_gate_slots"))
          .addColumn("gate", "text", (c) => c.notNull())
          .addColumn("owner", "text", (c) => c.notNull())
          // While in flight: when the slot is given up if its holder never releases it (a killed
          // process). Once released: when it leaves the window.
          .addColumn("free_at", time, (c) => c.notNull())
          .addColumn("released", "integer", (c) => c.notNull().defaultTo(0))
          .execute();
        await db.schema.createIndex("rate_gate_slots_gate").on("rate_gate_slots").columns(["gate", "free_at"]).execute();
        await db.schema
          .createTable("rate_gate_pauses")
          .addColumn("gate", "text", (c) => c.primaryKey())
          .addColumn("paused_until", time, (c) => c.notNull())
          .execute();
      },
    },
    // The initial sync's SKU holder is the run's first claim of that SKU. It was read in SQLite's
    // rowid order, which PostgreSQL does not have (the holder query failed there and the run never
    // finished): the claim order is now a column of its own, written with each claim. Rows claimed
    // before this migration take their insertion order: rowid on SQLite, physical order on
    // PostgreSQL (only claims of runs that never got past their first page can exist there).
    "0006_initial_sync_claim_order": {
      async up(db: Kysely<unknown>) {
        await db.schema
          .alterTable("initial_sync_items")
          .addColumn("claim_seq", "bigint", (c) => c.notNull().defaultTo(0))
          .execute();
        if (dialect === "sqlite") {
          await sql`UPDATE initial_sync_items SET claim_seq = rowid`.execute(db);
        } else {
          await sql`
            UPDATE initial_sync_items AS i SET claim_seq = o.n
            FROM (SELECT run_id, woo_id, row_number() OVER (ORDER BY ctid) AS n FROM initial_sync_items) AS o
            WHERE i.run_id = o.run_id AND i.woo_id = o.woo_id`.execute(db);
        }
      },
    },
  };
}

class InCodeMigrations implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrationsFor(this.dialect);
  }
}

export async function migrateToLatest(db: Kysely<unknown>, dialect: Dialect): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new InCodeMigrations(dialect) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
