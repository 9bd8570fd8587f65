import type { Kysely } from "kysely";
import type { Database } from "../store/schema.js";
import type { SecretBox } from "../store/secrets.js";

const SECRET_FRESH_MS = 1_000;

/**
 * Account-wide settings (one bridge serves one Rackbeat account): the Rackbeat token, sealed, and
 * plain values other features keep here (webhook registrations, cursors).
 */
export class AccountSettings {
  /** Sealed secrets as last read, reused for SECRET_FRESH_MS (the Rackbeat token is read by every call). */
  private readonly secretRows = new Map<string, { value: { sealed: string } | undefined; readAt: number }>();

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
    this.secretRows.delete(key);
    const json = JSON.stringify(value);
    await this.db
      .insertInto("account")
      .values({ key, value: json, updated_at: this.now() })
      .onConflict((oc) => oc.column("key").doUpdateSet({ value: json, updated_at: this.now() }))
      .execute();
  }

  async delete(key: string): Promise<void> {
    this.secretRows.delete(key);
    await this.db.deleteFrom("account").where("key", "=", key).execute();
  }

  /** Secrets are stored sealed; `getSecret` is the only way back to the plain value. */
  async setSecret(key: string, plain: string): Promise<void> {
    await this.set(key, { sealed: this.secrets.seal(plain) });
  }

  /**
   * The plain secret. Read from the store at most every SECRET_FRESH_MS (this process's writes show
   * at once; a token changed by another bridge process within that time).
   */
  async getSecret(key: string): Promise<string | undefined> {
    let entry = this.secretRows.get(key);
    if (!entry || performance.now() - entry.readAt >= SECRET_FRESH_MS) {
      const readAt = performance.now();
      entry = { value: await this.get<{ sealed: string }>(key), readAt };
      this.secretRows.set(key, entry);
    }
    return entry.value ? this.secrets.open(entry.value.sealed) : undefined;
  }
}
