import type { Kysely, Selectable } from "kysely";
import { BridgeError } from "../../lib/errors.js";
import type { Database, OrderLinksTable, RackbeatOrderStage } from "../../store/schema.js";

/**
 * The orders feature's own records: (shop, Woo order) → Rackbeat order, the intent written before
 * the create call, customer links, and the owner's Rackbeat order-number range.
 *
 * Exactly once rests on the number: the bridge chooses the Rackbeat order number itself from the
 * range, stores it in the intent row (one per shop order, primary key), and always creates the order
 * with that number. Rackbeat refuses a number twice, so a retry after "created but we never heard"
 * either creates the order or gets RackbeatOrderNumberTaken and reads that order back. No search.
 */

export type OrderLink = Selectable<OrderLinksTable>;

export interface NumberRange {
  from: number;
  to: number;
}

/** Default range when the owner has not set one: far above Rackbeat's own numbering (1001, 1002…). */
export const DEFAULT_ORDER_NUMBER_RANGE: NumberRange = { from: 900_000_000, to: 999_999_999 };

/** The owner's range is used up: a person must give the bridge a new one. */
export class OrderNumberRangeExhausted extends BridgeError {
  readonly retryable = false;
  constructor(range: NumberRange) {
    super(`the Rackbeat order number range ${range.from}–${range.to} is used up: set a new range (PUT /v1/account/orders/number-range)`);
  }
}

function toLink(row: Selectable<OrderLinksTable>): OrderLink {
  return {
    ...row,
    woo_order_id: Number(row.woo_order_id),
    rackbeat_order_number: Number(row.rackbeat_order_number),
    customer_number: row.customer_number === null ? null : Number(row.customer_number),
    written_back_at: row.written_back_at === null ? null : Number(row.written_back_at),
    created_at: Number(row.created_at),
    updated_at: Number(row.updated_at),
  };
}

export class OrderLinks {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {}

  async get(shopId: string, wooOrderId: number): Promise<OrderLink | undefined> {
    const row = await this.db.selectFrom("order_links").selectAll().where("shop_id", "=", shopId).where("woo_order_id", "=", wooOrderId).executeTakeFirst();
    return row ? toLink(row) : undefined;
  }

  async byNumber(rackbeatOrderNumber: number): Promise<OrderLink | undefined> {
    const row = await this.db.selectFrom("order_links").selectAll().where("rackbeat_order_number", "=", rackbeatOrderNumber).executeTakeFirst();
    return row ? toLink(row) : undefined;
  }

  /** Links of a shop for these Woo order ids (for previews and the reconciler). */
  async many(shopId: string, wooOrderIds: number[]): Promise<Map<number, OrderLink>> {
    if (wooOrderIds.length === 0) return new Map();
    const rows = await this.db.selectFrom("order_links").selectAll().where("shop_id", "=", shopId).where("woo_order_id", "in", wooOrderIds).execute();
    return new Map(rows.map((r) => [Number(r.woo_order_id), toLink(r)]));
  }

  async range(): Promise<NumberRange & { next: number }> {
    const row = await this.db.selectFrom("order_number_range").selectAll().where("id", "=", 1).executeTakeFirst();
    if (!row) return { ...DEFAULT_ORDER_NUMBER_RANGE, next: DEFAULT_ORDER_NUMBER_RANGE.from };
    return { from: Number(row.range_from), to: Number(row.range_to), next: Number(row.next_number) };
  }

  /** Sets the owner's range; numbers already used stay used (next never moves backwards within a range). */
  async setRange(range: NumberRange): Promise<void> {
    const at = this.now();
    await this.db.transaction().execute(async (trx) => {
      // Write the range row first: on PostgreSQL that locks it until commit, so no intent takes a
      // number meanwhile and every intent that took one is committed (and counted below).
      await trx
        .insertInto("order_number_range")
        .values({ id: 1, range_from: range.from, range_to: range.to, next_number: range.from, updated_at: at })
        .onConflict((oc) => oc.column("id").doUpdateSet({ updated_at: at }))
        .execute();
      const used = await trx
        .selectFrom("order_links")
        .select((eb) => eb.fn.max("rackbeat_order_number").as("max"))
        .where("rackbeat_order_number", ">=", range.from)
        .where("rackbeat_order_number", "<=", range.to)
        .executeTakeFirst();
      const next = Math.max(range.from, used?.max === null || used?.max === undefined ? range.from : Number(used.max) + 1);
      await trx.updateTable("order_number_range").set({ range_from: range.from, range_to: range.to, next_number: next, updated_at: at }).where("id", "=", 1).execute();
    });
  }

  /**
   * The next number of the range, taken inside `trx` by one conditional update (which on
   * PostgreSQL also locks the range row until `trx` ends: intents, renumbers and range changes of
   * every process queue there, so no number is handed out twice). Throws when the range is used up;
   * the caller's rollback then gives the number back.
   */
  private async takeNumber(trx: Kysely<Database>, at: number): Promise<number> {
    const take = () =>
      trx
        .updateTable("order_number_range")
        .set((eb) => ({ next_number: eb("next_number", "+", 1), updated_at: at }))
        .where("id", "=", 1)
        .returning(["next_number", "range_from", "range_to"])
        .executeTakeFirst();
    let row = await take();
    if (!row) {
      const r = DEFAULT_ORDER_NUMBER_RANGE;
      await trx
        .insertInto("order_number_range")
        .values({ id: 1, range_from: r.from, range_to: r.to, next_number: r.from, updated_at: at })
        .onConflict((oc) => oc.column("id").doNothing())
        .execute();
      row = await take();
    }
    if (!row) throw new Error("the order number range row could not be written");
    const number = Number(row.next_number) - 1;
    if (number > Number(row.range_to)) throw new OrderNumberRangeExhausted({ from: Number(row.range_from), to: Number(row.range_to) });
    return number;
  }

  /**
   * The shop order's intent: the existing link, or a new one with the next number of the range,
   * written in one transaction before any Rackbeat call. Two workers (or processes) racing for the
   * same order get the same row, so the same number: the number is taken under the range row's
   * lock, and the link is looked for again after that, when any other intent for the order is
   * either committed (then it is used, and the number given back) or not begun.
   */
  async intent(shopId: string, wooOrderId: number, reference: string): Promise<OrderLink> {
    const existing = await this.get(shopId, wooOrderId);
    if (existing) return existing;
    const at = this.now();
    const alreadyThere = new Error("intent already recorded");
    try {
      await this.db.transaction().execute(async (trx) => {
        const number = await this.takeNumber(trx, at);
        const again = await trx.selectFrom("order_links").select("state").where("shop_id", "=", shopId).where("woo_order_id", "=", wooOrderId).executeTakeFirst();
        if (again) throw alreadyThere;
        await trx
          .insertInto("order_links")
          .values({
            shop_id: shopId,
            woo_order_id: wooOrderId,
            state: "intent",
            rackbeat_order_number: number,
            reference,
            customer_number: null,
            rackbeat_stage: null,
            fingerprint: null,
            written_back_at: null,
            woo_status_written: null,
            flagged_reason: null,
            created_at: at,
            updated_at: at,
          })
          .execute();
      });
    } catch (error) {
      if (error !== alreadyThere) throw error;
    }
    return (await this.get(shopId, wooOrderId))!;
  }

  /**
   * The intent's number belongs to an order that is not ours (someone used the owner's range in
   * Rackbeat by hand): move the intent to the next free number.
   */
  async renumber(shopId: string, wooOrderId: number): Promise<OrderLink> {
    const at = this.now();
    await this.db.transaction().execute(async (trx) => {
      const number = await this.takeNumber(trx, at);
      await trx
        .updateTable("order_links")
        .set({ rackbeat_order_number: number, updated_at: at })
        .where("shop_id", "=", shopId)
        .where("woo_order_id", "=", wooOrderId)
        .where("state", "=", "intent")
        .execute();
    });
    return (await this.get(shopId, wooOrderId))!;
  }

  async update(
    shopId: string,
    wooOrderId: number,
    patch: Partial<Pick<OrderLink, "state" | "customer_number" | "rackbeat_stage" | "fingerprint" | "written_back_at" | "woo_status_written" | "flagged_reason">>,
  ): Promise<void> {
    await this.db.updateTable("order_links").set({ ...patch, updated_at: this.now() }).where("shop_id", "=", shopId).where("woo_order_id", "=", wooOrderId).execute();
  }

  /** Exported orders Rackbeat has not shipped (or invoiced) yet: what the status poller reads. */
  async awaitingProgress(limit: number): Promise<OrderLink[]> {
    const rows = await this.db
      .selectFrom("order_links")
      .selectAll()
      .where("state", "=", "exported")
      .where((eb) => eb.or([eb("rackbeat_stage", "in", ["draft", "booked"]), eb("rackbeat_stage", "is", null)]))
      .orderBy("updated_at")
      .limit(limit)
      .execute();
    return rows.map(toLink);
  }

  async customer(shopId: string, matchKey: string): Promise<{ number: number; fingerprint: string } | undefined> {
    const row = await this.db.selectFrom("order_customer_links").selectAll().where("shop_id", "=", shopId).where("match_key", "=", matchKey).executeTakeFirst();
    return row ? { number: Number(row.customer_number), fingerprint: row.fingerprint } : undefined;
  }

  async rememberCustomer(shopId: string, matchKey: string, customerNumber: number, fingerprint: string): Promise<void> {
    const at = this.now();
    await this.db
      .insertInto("order_customer_links")
      .values({ shop_id: shopId, match_key: matchKey, customer_number: customerNumber, fingerprint, updated_at: at })
      .onConflict((oc) => oc.columns(["shop_id", "match_key"]).doUpdateSet({ customer_number: customerNumber, fingerprint, updated_at: at }))
      .execute();
  }

  async forgetCustomer(shopId: string, matchKey: string): Promise<void> {
    await this.db.deleteFrom("order_customer_links").where("shop_id", "=", shopId).where("match_key", "=", matchKey).execute();
  }
}

export type { RackbeatOrderStage };
