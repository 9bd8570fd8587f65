import type { Kysely } from "kysely";
import { lockKey } from "../../store/row-locks.js";
import type { Database, ReservationState, StockDriftKind } from "../../store/schema.js";
import type { InFlight, LocationFigures, RackbeatFigures } from "./stock-figure.js";

export interface StoredItem extends RackbeatFigures {
  sku: string;
  fetchSeq: number;
  fetchedAt: number;
}

export interface StockLink {
  shopId: string;
  sku: string;
  wooId: number;
  parentId: number | null;
  manageStock: boolean;
  lastWritten: number | null;
  lastWrittenAt: number | null;
  lastOrderEventAt: number | null;
}

export interface ReservationLine {
  sku: string;
  quantity: number;
}

export interface DriftRow {
  shopId: string;
  sku: string;
  kind: StockDriftKind;
  rackbeat: number | null;
  shop: number | null;
  lastWrite: number | null;
  lastWriteAt: number | null;
  foundAt: number;
  fixedAt: number | null;
}

const CHUNK = 400;

/** What serialises one order's reservation changes across processes (lockKey). */
const reservationKey = (shopId: string, wooOrderId: number) => `stock-reservation:${shopId}:${wooOrderId}`;
function chunks<T>(list: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/**
 * Stock's tables (migration 0002_stock): Rackbeat figures per item, orders in flight, links from
 * SKUs to WooCommerce products per shop with what was last written, and the drift report.
 */
export class StockStore {
  private lastSeq = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number,
  ) {}

  /**
   * A ticket taken just before a Rackbeat read starts. Reads are stored only over reads that
   * started earlier, so a slow read never replaces a newer one (e.g. a webhook's read that began
   * before an order was booked, finishing after the booking's re-read).
   */
  nextFetchSeq(): number {
    this.lastSeq = Math.max(this.lastSeq + 1, Date.now() * 1000);
    return this.lastSeq;
  }

  // ───────────── Rackbeat figures ─────────────

  /** Stores figures read with ticket `seq`; returns false when a later read is already stored. */
  async saveItem(sku: string, figures: RackbeatFigures & { updated_at?: string | null | undefined }, seq: number): Promise<boolean> {
    const values = {
      stock_quantity: figures.stock_quantity,
      in_order_quantity: figures.in_order_quantity,
      available_quantity: figures.available_quantity,
      locations: figures.locations ? JSON.stringify(figures.locations) : null,
      rackbeat_updated_at: figures.updated_at ?? null,
      fetch_seq: seq,
      fetched_at: this.now(),
    };
    const result = await this.db
      .insertInto("stock_items")
      .values({ sku, ...values })
      .onConflict((oc) => oc.column("sku").doUpdateSet(values).where("stock_items.fetch_seq", "<", seq))
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  async forgetItem(sku: string): Promise<void> {
    await this.db.deleteFrom("stock_items").where("sku", "=", sku).execute();
  }

  async items(skus: string[]): Promise<Map<string, StoredItem>> {
    const out = new Map<string, StoredItem>();
    for (const part of chunks([...new Set(skus)])) {
      if (part.length === 0) continue;
      const rows = await this.db.selectFrom("stock_items").selectAll().where("sku", "in", part).execute();
      for (const r of rows) {
        out.set(r.sku, {
          sku: r.sku,
          stock_quantity: r.stock_quantity,
          in_order_quantity: r.in_order_quantity,
          available_quantity: r.available_quantity,
          locations: r.locations ? (JSON.parse(r.locations) as LocationFigures[]) : null,
          fetchSeq: Number(r.fetch_seq),
          fetchedAt: Number(r.fetched_at),
        });
      }
    }
    return out;
  }

  async allItemSkus(): Promise<string[]> {
    return (await this.db.selectFrom("stock_items").select("sku").execute()).map((r) => r.sku);
  }

  // ───────────── orders in flight ─────────────

  /**
   * Starts (or, while nothing reached Rackbeat yet, replaces) an order's reservation lines.
   * Returns the SKUs whose in-flight quantity may have changed.
   *
   * One order's reservation changes are serialised across processes (PostgreSQL: an advisory lock
   * on the order for the transaction): a booking of the order (setReservationState) either committed
   * before — then this start sees it and leaves the rows — or waits until this start committed and
   * then books the lines it wrote; two starts of one order at once leave one start's lines.
   */
  async startReservation(shopId: string, wooOrderId: number, lines: ReservationLine[]): Promise<string[]> {
    const merged = new Map<string, number>();
    for (const l of lines) if (l.quantity > 0) merged.set(l.sku, (merged.get(l.sku) ?? 0) + l.quantity);
    const at = this.now();
    return this.db.transaction().execute(async (trx) => {
      await lockKey(trx, reservationKey(shopId, wooOrderId));
      const existing = await trx
        .selectFrom("stock_reservations")
        .select(["sku", "state"])
        .where("shop_id", "=", shopId)
        .where("woo_order_id", "=", wooOrderId)
        .execute();
      // Once Rackbeat has the order (or it ended), Rackbeat's figure speaks for it.
      if (existing.some((r) => r.state !== "open")) return [];
      const gone = existing.map((r) => r.sku).filter((sku) => !merged.has(sku));
      for (const part of chunks(gone)) {
        await trx.deleteFrom("stock_reservations").where("shop_id", "=", shopId).where("woo_order_id", "=", wooOrderId).where("sku", "in", part).execute();
      }
      const rows = [...merged].map(([sku, quantity]) => ({ shop_id: shopId, woo_order_id: wooOrderId, sku, quantity, state: "open" as const, rackbeat_order_number: null, started_at: at, updated_at: at }));
      for (const part of chunks(rows, 100)) {
        await trx
          .insertInto("stock_reservations")
          .values(part)
          .onConflict((oc) =>
            oc
              .columns(["shop_id", "woo_order_id", "sku"])
              .doUpdateSet((eb) => ({ quantity: eb.ref("excluded.quantity"), updated_at: at }))
              .where("stock_reservations.state", "=", "open"),
          )
          .execute();
      }
      return [...new Set([...existing.map((r) => r.sku), ...merged.keys()])];
    });
  }

  /** Moves an order's lines to `state`; returns the SKUs touched. Never moves back from "ended". */
  async setReservationState(shopId: string, wooOrderId: number, state: ReservationState, rackbeatOrderNumber?: number): Promise<string[]> {
    const at = this.now();
    // After a start of the same order running now (see startReservation): its lines are the ones moved.
    const rows = await this.db.transaction().execute(async (trx) => {
      await lockKey(trx, reservationKey(shopId, wooOrderId));
      return trx
        .updateTable("stock_reservations")
        .set({ state, updated_at: at, ...(rackbeatOrderNumber === undefined ? {} : { rackbeat_order_number: rackbeatOrderNumber }) })
        .where("shop_id", "=", shopId)
        .where("woo_order_id", "=", wooOrderId)
        .where("state", "<>", "ended")
        .returning("sku")
        .execute();
    });
    return rows.map((r) => r.sku);
  }

  async reservationSkus(shopId: string, wooOrderId: number): Promise<string[]> {
    const rows = await this.db.selectFrom("stock_reservations").select("sku").where("shop_id", "=", shopId).where("woo_order_id", "=", wooOrderId).execute();
    return rows.map((r) => r.sku);
  }

  async inFlight(skus: string[]): Promise<Map<string, InFlight>> {
    const out = new Map<string, InFlight>();
    for (const part of chunks([...new Set(skus)])) {
      if (part.length === 0) continue;
      const rows = await this.db
        .selectFrom("stock_reservations")
        .select(["sku", "state", "quantity"])
        .where("sku", "in", part)
        .where("state", "<>", "ended")
        .execute();
      for (const r of rows) {
        const f = out.get(r.sku) ?? { notBooked: 0, bookedNotShipped: 0 };
        if (r.state === "open") f.notBooked += r.quantity;
        else f.bookedNotShipped += r.quantity;
        out.set(r.sku, f);
      }
    }
    return out;
  }

  /** Booked reservations on these SKUs with their Rackbeat order numbers (to notice shipping). */
  async bookedReservations(sku: string): Promise<{ shopId: string; wooOrderId: number; rackbeatOrderNumber: number | null }[]> {
    const rows = await this.db
      .selectFrom("stock_reservations")
      .select(["shop_id", "woo_order_id", "rackbeat_order_number"])
      .where("sku", "=", sku)
      .where("state", "=", "booked")
      .execute();
    return rows.map((r) => ({ shopId: r.shop_id, wooOrderId: Number(r.woo_order_id), rackbeatOrderNumber: r.rackbeat_order_number === null ? null : Number(r.rackbeat_order_number) }));
  }

  /** Orders heard of that Rackbeat has not booked yet. */
  async openReservationCount(): Promise<number> {
    const row = await this.db.selectFrom("stock_reservations").select((eb) => eb.fn.countAll<number>().as("n")).where("state", "=", "open").executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /**
   * Retention: ended lines go after a day; booked lines (kept so on-hand shops count them until
   * shipped) end after `bookedMaxAgeMs` — an order unshipped that long no longer needs a guard.
   */
  async pruneReservations(bookedMaxAgeMs: number): Promise<void> {
    const now = this.now();
    await this.db.deleteFrom("stock_reservations").where("state", "=", "ended").where("updated_at", "<", now - 86_400_000).execute();
    await this.db
      .updateTable("stock_reservations")
      .set({ state: "ended", updated_at: now })
      .where("state", "=", "booked")
      .where("updated_at", "<", now - bookedMaxAgeMs)
      .execute();
  }

  // ───────────── links and what was written ─────────────

  async linksForSkus(skus: string[], shopId?: string): Promise<StockLink[]> {
    const out: StockLink[] = [];
    for (const part of chunks([...new Set(skus)])) {
      if (part.length === 0) continue;
      let q = this.db.selectFrom("stock_links").selectAll().where("sku", "in", part);
      if (shopId !== undefined) q = q.where("shop_id", "=", shopId);
      out.push(...(await q.execute()).map(toLink));
    }
    return out;
  }

  async linksForShop(shopId: string): Promise<StockLink[]> {
    return (await this.db.selectFrom("stock_links").selectAll().where("shop_id", "=", shopId).execute()).map(toLink);
  }

  async linkByWooId(shopId: string, wooId: number): Promise<StockLink | undefined> {
    const row = await this.db.selectFrom("stock_links").selectAll().where("shop_id", "=", shopId).where("woo_id", "=", wooId).executeTakeFirst();
    return row ? toLink(row) : undefined;
  }

  /** Replaces a shop's links with what the shop sells now (keeping what was last written). */
  async replaceLinks(shopId: string, items: { sku: string; wooId: number; parentId: number | null; manageStock: boolean }[]): Promise<void> {
    const at = this.now();
    await this.db.transaction().execute(async (trx) => {
      const keep = new Set(items.map((i) => i.sku));
      const existing = await trx.selectFrom("stock_links").select("sku").where("shop_id", "=", shopId).execute();
      const gone = existing.map((r) => r.sku).filter((s) => !keep.has(s));
      for (const part of chunks(gone)) await trx.deleteFrom("stock_links").where("shop_id", "=", shopId).where("sku", "in", part).execute();
      for (const i of items) {
        await trx
          .insertInto("stock_links")
          .values({ shop_id: shopId, sku: i.sku, woo_id: i.wooId, parent_id: i.parentId, manage_stock: i.manageStock ? 1 : 0, last_written: null, last_written_at: null, last_order_event_at: null, updated_at: at })
          .onConflict((oc) =>
            oc.columns(["shop_id", "sku"]).doUpdateSet({ woo_id: i.wooId, parent_id: i.parentId, manage_stock: i.manageStock ? 1 : 0, updated_at: at }),
          )
          .execute();
      }
    });
  }

  async upsertLink(shopId: string, item: { sku: string; wooId: number; parentId: number | null; manageStock: boolean }): Promise<void> {
    const at = this.now();
    await this.db
      .insertInto("stock_links")
      .values({ shop_id: shopId, sku: item.sku, woo_id: item.wooId, parent_id: item.parentId, manage_stock: item.manageStock ? 1 : 0, last_written: null, last_written_at: null, last_order_event_at: null, updated_at: at })
      .onConflict((oc) => oc.columns(["shop_id", "sku"]).doUpdateSet({ woo_id: item.wooId, parent_id: item.parentId, manage_stock: item.manageStock ? 1 : 0, updated_at: at }))
      .execute();
  }

  async removeLink(shopId: string, sku: string): Promise<void> {
    await this.db.deleteFrom("stock_links").where("shop_id", "=", shopId).where("sku", "=", sku).execute();
  }

  /** Records what was written (stock managed from now on) and closes any drift on those SKUs. */
  async recordWritten(shopId: string, written: { sku: string; value: number }[]): Promise<void> {
    const at = this.now();
    await this.db.transaction().execute(async (trx) => {
      for (const w of written) {
        await trx
          .updateTable("stock_links")
          .set({ last_written: w.value, last_written_at: at, manage_stock: 1 })
          .where("shop_id", "=", shopId)
          .where("sku", "=", w.sku)
          .execute();
      }
      for (const part of chunks(written.map((w) => w.sku))) {
        await trx
          .updateTable("stock_drift")
          .set({ fixed_at: at })
          .where("shop_id", "=", shopId)
          .where("kind", "=", "drift")
          .where("fixed_at", "is", null)
          .where("sku", "in", part)
          .execute();
      }
    });
  }

  /**
   * The shop already shows these figures: remember them as written (without a write time, so the
   * echo guard does not take shop events for the bridge's own), so unchanged figures are not sent.
   */
  async setBaseline(shopId: string, entries: { sku: string; value: number }[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const e of entries) {
        await trx.updateTable("stock_links").set({ last_written: e.value }).where("shop_id", "=", shopId).where("sku", "=", e.sku).execute();
      }
    });
  }

  /** Forgets what was written, so the next fan-out writes whatever the figure is. */
  async forgetWritten(shopId: string, skus: string[]): Promise<void> {
    for (const part of chunks(skus)) {
      await this.db.updateTable("stock_links").set({ last_written: null }).where("shop_id", "=", shopId).where("sku", "in", part).execute();
    }
  }

  /** An order event from this shop named these SKUs (its time: when the order happened). */
  async noteOrderEvent(shopId: string, skus: string[], occurredAt: number): Promise<void> {
    for (const part of chunks(skus)) {
      await this.db
        .updateTable("stock_links")
        .set({ last_order_event_at: occurredAt })
        .where("shop_id", "=", shopId)
        .where("sku", "in", part)
        .where((eb) => eb.or([eb("last_order_event_at", "is", null), eb("last_order_event_at", "<", occurredAt)]))
        .execute();
    }
  }

  // ───────────── drift report ─────────────

  async replaceDrift(shopId: string, rows: Omit<DriftRow, "shopId" | "fixedAt">[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const previous = new Map(
        (await trx.selectFrom("stock_drift").select(["sku", "kind", "found_at"]).where("shop_id", "=", shopId).where("fixed_at", "is", null).execute()).map(
          (r) => [`${r.kind}:${r.sku}`, Number(r.found_at)],
        ),
      );
      // Fixed rows stay for the report; open ones are replaced by this run's findings.
      await trx.deleteFrom("stock_drift").where("shop_id", "=", shopId).where("fixed_at", "is", null).execute();
      for (const r of rows) {
        const values = {
          shop_id: shopId,
          sku: r.sku,
          kind: r.kind,
          rackbeat: r.rackbeat,
          shop: r.shop,
          last_write: r.lastWrite,
          last_write_at: r.lastWriteAt,
          found_at: previous.get(`${r.kind}:${r.sku}`) ?? r.foundAt,
          fixed_at: null,
        };
        await trx
          .insertInto("stock_drift")
          .values(values)
          .onConflict((oc) => oc.columns(["shop_id", "sku"]).doUpdateSet({ ...values }))
          .execute();
      }
    });
  }

  async drift(shopId: string, options: { limit?: number } = {}): Promise<DriftRow[]> {
    const rows = await this.db
      .selectFrom("stock_drift")
      .selectAll()
      .where("shop_id", "=", shopId)
      .orderBy("fixed_at", "desc")
      .orderBy("sku")
      .limit(options.limit ?? 1000)
      .execute();
    return rows.map((r) => ({
      shopId: r.shop_id,
      sku: r.sku,
      kind: r.kind,
      rackbeat: r.rackbeat,
      shop: r.shop,
      lastWrite: r.last_write,
      lastWriteAt: r.last_write_at === null ? null : Number(r.last_write_at),
      foundAt: Number(r.found_at),
      fixedAt: r.fixed_at === null ? null : Number(r.fixed_at),
    }));
  }
}

function toLink(r: {
  shop_id: string;
  sku: string;
  woo_id: number;
  parent_id: number | null;
  manage_stock: number;
  last_written: number | null;
  last_written_at: number | null;
  last_order_event_at: number | null;
}): StockLink {
  return {
    shopId: r.shop_id,
    sku: r.sku,
    wooId: Number(r.woo_id),
    parentId: r.parent_id === null ? null : Number(r.parent_id),
    manageStock: r.manage_stock === 1,
    lastWritten: r.last_written,
    lastWrittenAt: r.last_written_at === null ? null : Number(r.last_written_at),
    lastOrderEventAt: r.last_order_event_at === null ? null : Number(r.last_order_event_at),
  };
}
