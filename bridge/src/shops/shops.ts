import { randomBytes } from "node:crypto";
import type { Kysely, Selectable } from "kysely";
import type { Database, ShopsTable } from "../store/schema.js";
import type { SecretBox } from "../store/secrets.js";
import { deepFreeze } from "../lib/deep-freeze.js";

export interface Shop {
  id: string;
  name: string;
  url: string;
  role: string;
  pluginVersion: string | null;
  protocolVersion: number;
  pairedAt: number;
  lastContactAt: number | null;
  connected: boolean;
  settings: unknown;
  outboxSeq: number;
}

export interface ShopCredentials {
  shopSecret: string;
  wcConsumerKey: string;
  wcConsumerSecret: string;
}

/** last_contact_at is written at most this often per shop (ms). */
const TOUCH_EVERY_MS = 10_000;

/** How long a shop row read from the store is reused (ms): other bridge processes' changes show after this. */
export const SHOP_ROW_FRESH_MS = 1_000;

interface CachedRow {
  row: Selectable<ShopsTable> | undefined;
  readAt: number;
  shop?: Shop;
}

/**
 * The shops paired with this bridge, their settings and their (sealed) credentials.
 *
 * Every job and signed request needs its shop's row (settings, URL, keys) — an exported order read
 * it seven times. Rows are therefore kept for SHOP_ROW_FRESH_MS: this process's own writes replace
 * them at once; another process's writes (several bridges on PostgreSQL) show within that time.
 * A disconnect made elsewhere can so let a request through for up to a second, which the shop's
 * WooCommerce keys (deleted by the plugin on disconnect) refuse anyway.
 */
export class Shops {
  private readonly rows = new Map<string, CachedRow>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly secrets: SecretBox,
    private readonly now: () => number = Date.now,
    private readonly freshForMs: number = SHOP_ROW_FRESH_MS,
  ) {}

  /** The shop's row, from the cache while fresh. */
  private async row(id: string): Promise<CachedRow> {
    const cached = this.rows.get(id);
    if (cached && performance.now() - cached.readAt < this.freshForMs) return cached;
    const readAt = performance.now();
    const row = await this.db.selectFrom("shops").selectAll().where("id", "=", id).executeTakeFirst();
    const entry: CachedRow = { row, readAt };
    if (this.rows.size > 10_000) this.rows.clear();
    this.rows.set(id, entry);
    return entry;
  }

  /** Drops what this process remembers of a shop (after writing its row another way). */
  forget(id?: string): void {
    if (id === undefined) this.rows.clear();
    else this.rows.delete(id);
  }

  async create(input: {
    name: string;
    url: string;
    wcConsumerKey: string;
    wcConsumerSecret: string;
    pluginVersion: string | null;
    protocolVersion: number;
    settings: unknown;
  }): Promise<{ shop: Shop; shopSecret: string }> {
    const id = `shop_${randomBytes(9).toString("base64url")}`;
    const shopSecret = randomBytes(32).toString("base64url");
    const at = this.now();
    await this.db
      .insertInto("shops")
      .values({
        id,
        name: input.name,
        url: input.url,
        secret: this.secrets.seal(shopSecret),
        wc_consumer_key: this.secrets.seal(input.wcConsumerKey),
        wc_consumer_secret: this.secrets.seal(input.wcConsumerSecret),
        settings: JSON.stringify(input.settings),
        role: "shop",
        plugin_version: input.pluginVersion,
        protocol_version: input.protocolVersion,
        paired_at: at,
        last_contact_at: at,
        disconnected_at: null,
        outbox_seq: 0,
      })
      .execute();
    this.forget(id);
    const shop = await this.get(id);
    if (!shop) throw new Error("shop vanished after insert");
    return { shop, shopSecret };
  }

  async get(id: string): Promise<Shop | undefined> {
    const entry = await this.row(id);
    if (!entry.row) return undefined;
    if (!entry.shop) {
      const shop = toShop(entry.row);
      // Frozen: it is shared by every caller while cached (and its settings are parsed once).
      deepFreeze(shop.settings);
      entry.shop = Object.freeze(shop);
    }
    return entry.shop;
  }

  async list(options: { includeDisconnected?: boolean } = {}): Promise<Shop[]> {
    let query = this.db.selectFrom("shops").selectAll();
    if (!options.includeDisconnected) query = query.where("disconnected_at", "is", null);
    return (await query.orderBy("paired_at").execute()).map(toShop);
  }

  /** The shop's secret for verifying its signatures; undefined for unknown or disconnected shops. */
  async secretOf(id: string): Promise<string | undefined> {
    const { row } = await this.row(id);
    if (!row || row.disconnected_at !== null || !row.secret) return undefined;
    return this.secrets.open(row.secret);
  }

  async credentials(id: string): Promise<ShopCredentials | undefined> {
    const { row } = await this.row(id);
    if (!row || row.disconnected_at !== null || !row.secret || !row.wc_consumer_key || !row.wc_consumer_secret) return undefined;
    return {
      shopSecret: this.secrets.open(row.secret),
      wcConsumerKey: this.secrets.open(row.wc_consumer_key),
      wcConsumerSecret: this.secrets.open(row.wc_consumer_secret),
    };
  }

  /** Records contact from the shop; written at most every TOUCH_EVERY_MS per shop (it is shown, not used for logic). */
  async touch(id: string): Promise<void> {
    const at = this.now();
    const entry = this.rows.get(id);
    const last = entry?.row?.last_contact_at;
    if (last !== undefined && last !== null && at - Number(last) >= 0 && at - Number(last) < TOUCH_EVERY_MS) return;
    await this.db.updateTable("shops").set({ last_contact_at: at }).where("id", "=", id).execute();
    this.forget(id);
  }

  async saveSettings(id: string, settings: unknown): Promise<void> {
    await this.db.updateTable("shops").set({ settings: JSON.stringify(settings) }).where("id", "=", id).execute();
    this.forget(id);
  }

  async setRole(id: string, role: string): Promise<void> {
    await this.db.updateTable("shops").set({ role }).where("id", "=", id).execute();
    this.forget(id);
  }

  async advanceOutboxSeq(id: string, seq: number): Promise<void> {
    await this.db
      .updateTable("shops")
      .set({ outbox_seq: seq })
      .where("id", "=", id)
      .where("outbox_seq", "<", seq)
      .execute();
    this.forget(id);
  }

  /** protocol.md §1.5: forget the shop's keys and secret; its records stay for the log. */
  async disconnect(id: string): Promise<void> {
    await this.db
      .updateTable("shops")
      .set({ secret: null, wc_consumer_key: null, wc_consumer_secret: null, disconnected_at: this.now() })
      .where("id", "=", id)
      .execute();
    this.forget(id);
  }
}

function toShop(row: Selectable<ShopsTable>): Shop {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    role: row.role,
    pluginVersion: row.plugin_version,
    protocolVersion: Number(row.protocol_version),
    pairedAt: Number(row.paired_at),
    lastContactAt: row.last_contact_at === null ? null : Number(row.last_contact_at),
    connected: row.disconnected_at === null,
    settings: JSON.parse(row.settings) as unknown,
    outboxSeq: Number(row.outbox_seq),
  };
}
