import { createHash, randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../store/schema.js";

/** protocol.md §1. */
export const PROTOCOL_VERSION = 1;
export const PAIRING_CODE_TTL_MS = 30 * 60 * 1000;
export const PAIRING_FAILURE_LIMIT = 10;
export const PAIRING_FAILURE_WINDOW_MS = 10 * 60 * 1000;

// Crockford's base32: no I, L, O, U, so a code read aloud or typed is hard to get wrong.
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** 125 bits of entropy: 25 base32 characters, shown in five groups of five. */
export function newPairingCode(): string {
  const bytes = randomBytes(25);
  const chars = [...bytes].map((b) => ALPHABET[b & 31]).join("");
  return chars.match(/.{5}/g)!.join("-");
}

/** Case, dashes and spaces do not matter; O/I/L typed by mistake read as 0/1/1. */
export function normalizePairingCode(code: string): string {
  return code
    .toUpperCase()
    .replace(/[\s-]/g, "")
    .replace(/O/g, "0")
    .replace(/[IL]/g, "1");
}

export function hashPairingCode(code: string): string {
  return createHash("sha256").update(normalizePairingCode(code)).digest("hex");
}

export class PairingCodes {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Makes a one-time code; only its hash is stored. */
  async create(name?: string): Promise<{ code: string; expiresAt: number }> {
    const code = newPairingCode();
    const at = this.now();
    await this.db
      .insertInto("pairing_codes")
      .values({ code_hash: hashPairingCode(code), name: name ?? null, expires_at: at + PAIRING_CODE_TTL_MS, used_at: null, created_at: at })
      .execute();
    return { code, expiresAt: at + PAIRING_CODE_TTL_MS };
  }

  /** True when `address` has failed too often recently. */
  async isThrottled(address: string): Promise<boolean> {
    const row = await this.db
      .selectFrom("pairing_failures")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("address", "=", address)
      .where("at", ">", this.now() - PAIRING_FAILURE_WINDOW_MS)
      .executeTakeFirstOrThrow();
    return Number(row.n) >= PAIRING_FAILURE_LIMIT;
  }

  async recordFailure(address: string): Promise<void> {
    await this.db.insertInto("pairing_failures").values({ address, at: this.now() }).execute();
  }

  /**
   * Finds a usable code (exists, not expired, not used). Looking up by the SHA-256 of a 125-bit code
   * reveals nothing an attacker can use, so no separate constant-time compare is needed.
   */
  async find(code: string): Promise<{ id: number; name: string | null } | undefined> {
    const row = await this.db
      .selectFrom("pairing_codes")
      .select(["id", "name"])
      .where("code_hash", "=", hashPairingCode(code))
      .where("used_at", "is", null)
      .where("expires_at", ">", this.now())
      .executeTakeFirst();
    return row ? { id: Number(row.id), name: row.name } : undefined;
  }

  /** Uses the code up; false when another request used it first. */
  async consume(id: number): Promise<boolean> {
    const result = await this.db
      .updateTable("pairing_codes")
      .set({ used_at: this.now() })
      .where("id", "=", id)
      .where("used_at", "is", null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async pruneOld(): Promise<void> {
    const before = this.now() - PAIRING_FAILURE_WINDOW_MS;
    await this.db.deleteFrom("pairing_failures").where("at", "<", before).execute();
    await this.db.deleteFrom("pairing_codes").where("expires_at", "<", this.now() - 24 * 3600 * 1000).execute();
  }
}
