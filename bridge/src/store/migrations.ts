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
