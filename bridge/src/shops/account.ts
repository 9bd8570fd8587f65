import type { Kysely } from "kysely";
import type { Database } from "../store/schema.js";
import type { SecretBox } from "../store/secrets.js";

/**
 * Account-wide settings (one bridge serves one Rackbeat account): the Rackbeat token, sealed, and
 * plain values other features keep here (webhook registrations, cursors).
 */
export class AccountSettings {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly secrets: SecretBox,
    private readonly now: () => number = Date.now,
  ) {}

  async get<T>(key: string): Promise<T | undefined> {
    const row = await this.db.selectFrom("account").select("value").where("key", "=", key).executeTakeFirst();
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  async set(key: string, value: unknown): Promise<void> {
    const json = JSON.stringify(value);
    await this.db
      .insertInto("account")
      .values({ key, value: json, updated_at: this.now() })
      .onConflict((oc) => oc.column("key").doUpdateSet({ value: json, updated_at: this.now() }))
      .execute();
  }

  async delete(key: string): Promise<void> {
    await this.db.deleteFrom("account").where("key", "=", key).execute();
  }

  /** Secrets are stored sealed; `getSecret` is the only way back to the plain value. */
  async setSecret(key: string, plain: string): Promise<void> {
    await this.set(key, { sealed: this.secrets.seal(plain) });
  }

  async getSecret(key: string): Promise<string | undefined> {
    const value = await this.get<{ sealed: string }>(key);
    return value ? this.secrets.open(value.sealed) : undefined;
  }
}
