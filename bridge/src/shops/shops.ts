import { randomBytes } from "node:crypto";
import type { Kysely, Selectable } from "kysely";
import type { Database, ShopsTable } from "../store/schema.js";
import type { SecretBox } from "../store/secrets.js";

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

/** The shops paired with this bridge, their settings and their (sealed) credentials. */
export class Shops {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly secrets: SecretBox,
    private readonly now: () => number = Date.now,
  ) {}

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
    const shop = await this.get(id);
    if (!shop) throw new Error("shop vanished after insert");
    return { shop, shopSecret };
  }

  async get(id: string): Promise<Shop | undefined> {
    const row = await this.db.selectFrom("shops").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? toShop(row) : undefined;
  }

  async list(options: { includeDisconnected?: boolean } = {}): Promise<Shop[]> {
    let query = this.db.selectFrom("shops").selectAll();
    if (!options.includeDisconnected) query = query.where("disconnected_at", "is", null);
    return (await query.orderBy("paired_at").execute()).map(toShop);
  }

  /** The shop's secret for verifying its signatures; undefined for unknown or disconnected shops. */
  async secretOf(id: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom("shops")
      .select(["secret", "disconnected_at"])
      .where("id", "=", id)
      .executeTakeFirst();
    if (!row || row.disconnected_at !== null || !row.secret) return undefined;
    return this.secrets.open(row.secret);
  }

  async credentials(id: string): Promise<ShopCredentials | undefined> {
    const row = await this.db.selectFrom("shops").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row || row.disconnected_at !== null || !row.secret || !row.wc_consumer_key || !row.wc_consumer_secret) return undefined;
    return {
      shopSecret: this.secrets.open(row.secret),
      wcConsumerKey: this.secrets.open(row.wc_consumer_key),
      wcConsumerSecret: this.secrets.open(row.wc_consumer_secret),
    };
  }

  async touch(id: string): Promise<void> {
    await this.db.updateTable("shops").set({ last_contact_at: this.now() }).where("id", "=", id).execute();
  }

  async saveSettings(id: string, settings: unknown): Promise<void> {
    await this.db.updateTable("shops").set({ settings: JSON.stringify(settings) }).where("id", "=", id).execute();
  }

  async setRole(id: string, role: string): Promise<void> {
    await this.db.updateTable("shops").set({ role }).where("id", "=", id).execute();
  }

  async advanceOutboxSeq(id: string, seq: number): Promise<void> {
    await this.db
      .updateTable("shops")
      .set({ outbox_seq: seq })
      .where("id", "=", id)
      .where("outbox_seq", "<", seq)
      .execute();
  }

  /** protocol.md §1.5: forget the shop's keys and secret; its records stay for the log. */
  async disconnect(id: string): Promise<void> {
    await this.db
      .updateTable("shops")
      .set({ secret: null, wc_consumer_key: null, wc_consumer_secret: null, disconnected_at: this.now() })
      .where("id", "=", id)
      .execute();
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
