/**
 * The initial sync, WooCommerce → Rackbeat (issue 7): every simple product and variation becomes a
 * Rackbeat product, and Rackbeat's on-hand stock is set to the shop's quantity by an inventory
 * adjustment of the difference, with a reason.
 *
 * - Resumable: the WooCommerce page to read next is checkpointed in `initial_sync_runs`, and every
 *   product or variation gets a row in `initial_sync_items` before it is written. A restarted run
 *   re-reads what Rackbeat has, skips items already finished and redoes the rest; since a create
 *   becomes an update once Rackbeat has the number, and stock is adjusted by the difference to
 *   what Rackbeat holds now, redoing an item never duplicates anything.
 * - Rate-limit aware: every Rackbeat call is "bulk" priority on the token's shared gate, so live
 *   orders and stock go first.
 * - Skip-and-report: a bad record (SKU rule, no product group, a 422) is recorded with its reason
 *   and the run goes on.
 */
import { randomUUID } from "node:crypto";
import { type Kysely, sql } from "kysely";
import { BridgeError, RateLimited, errorMessage } from "../../lib/errors.js";
import type { Logger } from "../../observability/logger.js";
import type { RackbeatClient } from "../../rackbeat/index.js";
import type { ProductSettings } from "../../settings/product-settings.js";
import { withLease } from "../../store/leases.js";
import { lockKey } from "../../store/row-locks.js";
import type { Database, InitialSyncState } from "../../store/schema.js";
import type { Store } from "../../store/store.js";
import type { WooCatalog, WooCatalogItem } from "../products/catalog.js";
import type { ProductLinks } from "../products/product-links.js";
import { GroupVatRates, iterateComparableProducts, toComparable } from "../products/rackbeat-catalogue.js";
import { SkuInvalid, duplicateProblem } from "../products/sku-rules.js";
import { NoProductGroup } from "../products/woo-to-rackbeat-transformer.js";
import { type ItemOutcome, syncItemToRackbeat } from "../products/woo-to-rackbeat-sync.js";
import { expandPage } from "./catalogue-pages.js";

export const INITIAL_SYNC_PAGE_SIZE = 100;
/** Rackbeat writes in flight at once; the rate gate paces them. */
export const INITIAL_SYNC_CONCURRENCY = 8;
export const STOCK_ADJUSTMENT_REASON = "Initial sync from WooCommerce";

export class InitialSyncRefused extends Error {
  constructor(
    readonly code: "wrong_direction" | "already_running",
    message: string,
  ) {
    super(message);
    this.name = "InitialSyncRefused";
  }
}

export interface InitialSyncProgress {
  id: string;
  state: InitialSyncState;
  total: number;
  done: number;
  errors: number;
  skipped: number;
  rackbeat_products: number;
  stock_adjustments: number;
  percent: number;
  eta_seconds: number | null;
  started_at: string | null;
  finished_at: string | null;
  message: string | null;
  problems: { woo_id: number; sku: string | null; outcome: string; reason: string | null }[];
}

/** Stock written to Rackbeat with suppress_webhooks must still reach the other shops. */
export type StockFanOut = (numbers: string[]) => Promise<void>;

export interface InitialSyncDeps {
  db: Kysely<Database>;
  catalog: WooCatalog;
  rackbeat: Pick<RackbeatClient, "paginate" | "getProductGroup" | "getProduct" | "createProduct" | "updateProduct" | "setProductBarred" | "createInventoryAdjustment">;
  links: ProductLinks;
  settings: ProductSettings;
  shopId: string;
  shopName: string;
  log: Logger;
  now?: () => number;
  signal?: AbortSignal;
  fanOutStock?: StockFanOut;
  concurrency?: number;
}

export async function createInitialSyncRun(db: Kysely<Database>, shopId: string, settings: ProductSettings, now: () => number = Date.now): Promise<string> {
  if (settings.master !== "woo_to_rackbeat") {
    throw new InitialSyncRefused(
      "wrong_direction",
      `The initial sync only runs WooCommerce → Rackbeat, and this shop's product master is ${settings.master === "rackbeat_to_woo" ? "Rackbeat → WooCommerce" : "off"}. Set Products → master to "WooCommerce → Rackbeat" first.`,
    );
  }
  const id = `is_${randomUUID()}`;
  const at = now();
  // One run at a time per shop, also when two requests (or processes) start one at once: the check
  // and the insert happen under a lock on the shop's runs (PostgreSQL; on SQLite the transaction
  // holds the only connection).
  await db.transaction().execute(async (trx) => {
    await lockKey(trx, `initial-sync:${shopId}`);
    const active = await trx
      .selectFrom("initial_sync_runs")
      .select("id")
      .where("shop_id", "=", shopId)
      .where("state", "in", ["queued", "running"])
      .executeTakeFirst();
    if (active) throw new InitialSyncRefused("already_running", `An initial sync is already running for this shop (${active.id}).`);
    await trx
      .insertInto("initial_sync_runs")
      .values({ id, shop_id: shopId, state: "queued", next_page: 1, total: 0, done: 0, errors: 0, skipped: 0, rackbeat_products: 0, stock_adjustments: 0, created_at: at, started_at: null, updated_at: at, finished_at: null, message: null })
      .execute();
  });
  return id;
}

/** Per process: when this process took the run up and how far it was then, for the ETA. */
const sessions = new Map<string, { since: number; doneAtStart: number }>();

export async function initialSyncProgress(db: Kysely<Database>, runId: string, now: () => number = Date.now): Promise<InitialSyncProgress | undefined> {
  const run = await db.selectFrom("initial_sync_runs").selectAll().where("id", "=", runId).executeTakeFirst();
  if (!run) return undefined;
  const counts = await sql<{ outcome: string; top: number; n: number }>`
    SELECT outcome, (woo_parent_id IS NULL) AS top, count(*) AS n FROM initial_sync_items WHERE run_id = ${runId} GROUP BY outcome, top`.execute(db);
  let done = 0;
  let errors = 0;
  let skipped = 0;
  for (const r of counts.rows) {
    const n = Number(r.n);
    if (Number(r.top) === 1 && r.outcome !== "working") done += n;
    if (r.outcome === "error") errors += n;
    if (r.outcome === "skipped") skipped += n;
  }
  const total = Number(run.total);
  const session = sessions.get(runId);
  let eta: number | null = null;
  if (run.state === "running" && session) {
    const elapsed = (now() - session.since) / 1000;
    const rate = (done - session.doneAtStart) / Math.max(elapsed, 0.001);
    if (rate > 0) eta = Math.max(0, Math.round((total - done) / rate));
  }
  if (run.state === "done") eta = 0;
  const problems = await db
    .selectFrom("initial_sync_items")
    .select(["woo_id", "sku", "outcome", "reason"])
    .where("run_id", "=", runId)
    .where("outcome", "in", ["error", "skipped"])
    .orderBy("at")
    .limit(100)
    .execute();
  return {
    id: run.id,
    state: run.state,
    total,
    done,
    errors,
    skipped,
    rackbeat_products: Number(run.rackbeat_products),
    stock_adjustments: Number(run.stock_adjustments),
    percent: total === 0 ? (run.state === "done" ? 100 : 0) : Math.min(100, Math.floor((done / total) * 1000) / 10),
    eta_seconds: eta,
    started_at: run.started_at === null ? null : new Date(Number(run.started_at)).toISOString(),
    finished_at: run.finished_at === null ? null : new Date(Number(run.finished_at)).toISOString(),
    message: run.message,
    problems: problems.map((p) => ({ woo_id: Number(p.woo_id), sku: p.sku, outcome: p.outcome, reason: p.reason })),
  };
}

export async function latestInitialSyncRun(db: Kysely<Database>, shopId: string): Promise<string | undefined> {
  const row = await db.selectFrom("initial_sync_runs").select("id").where("shop_id", "=", shopId).orderBy("created_at", "desc").limit(1).executeTakeFirst();
  return row?.id;
}

/**
 * This shop's initial sync is running elsewhere right now (another bridge process, or this job's
 * earlier execution that lost its job lease while still running). Not a failure of the job: like a
 * 429 it is tried again later without using up an attempt (the queue treats RateLimited so).
 */
export class InitialSyncRunningElsewhere extends RateLimited {}

/**
 * Runs (or resumes) a run while holding the shop's lease `initial-sync:<shopId>`, so a run is never
 * executed twice at once: the job lease alone does not guarantee it, since a worker whose process
 * stalls past JOB_LEASE_MS (or whose lease renewals fail) keeps running while another process
 * claims the job again — and two executions would each adjust Rackbeat's stock by the difference
 * they saw, doubling it. On PostgreSQL the lease is a session advisory lock, held by the database
 * for as long as the holder's connection lives, however long its event loop stalls, and freed at
 * once when the process dies; on SQLite (one process) a lease row lasting `leaseTtlMs` (set it to
 * JOB_LEASE_MS: a killed holder's row then expires about when its job becomes claimable again).
 * When the lease is held, throws InitialSyncRunningElsewhere (the job is tried again later).
 */
export async function runInitialSyncAlone(
  store: Pick<Store, "db" | "pg" | "dialect">,
  deps: InitialSyncDeps,
  runId: string,
  options: { leaseTtlMs: number },
): Promise<void> {
  const outcome = await withLease(store, `initial-sync:${deps.shopId}`, () => runInitialSync(deps, runId), { ttlMs: options.leaseTtlMs });
  if (!outcome.ran) {
    const retryAfterMs = Math.max(1_000, Math.round(options.leaseTtlMs / 2));
    throw new InitialSyncRunningElsewhere(`this shop's initial sync is running in another worker or bridge process; tried again in ${Math.round(retryAfterMs / 1000)} s`, { retryAfterMs });
  }
}

type Target = { item: WooCatalogItem; parent: WooCatalogItem | undefined; top: WooCatalogItem };

/** Runs (or resumes) a run to its end. Throws only for what should retry the whole job (e.g. Rackbeat down). */
export async function runInitialSync(deps: InitialSyncDeps, runId: string): Promise<void> {
  const { db, catalog, shopId } = deps;
  const now = deps.now ?? Date.now;
  const run = await db.selectFrom("initial_sync_runs").selectAll().where("id", "=", runId).executeTakeFirstOrThrow();
  if (run.state === "done" || run.state === "failed") return;
  const started = run.started_at ?? now();
  await db.updateTable("initial_sync_runs").set({ state: "running", started_at: started, updated_at: now() }).where("id", "=", runId).execute();

  const units = await catalog.units();
  const groups = new GroupVatRates(deps.rackbeat, "bulk");
  // What Rackbeat has now: compared fields and on-hand stock, 1,000 products per request.
  const existing = new Map<string, ReturnType<typeof toComparable>>();
  for await (const p of iterateComparableProducts(deps.rackbeat, deps.signal ? { signal: deps.signal } : {})) existing.set(p.number, toComparable(p));

  // Claims are numbered in the order they are made (the first claim of a SKU holds it): go on
  // from the last claim of an earlier attempt. One execution runs a run at a time (runInitialSyncAlone).
  const lastClaim = await db
    .selectFrom("initial_sync_items")
    .select((eb) => eb.fn.max("claim_seq").as("last"))
    .where("run_id", "=", runId)
    .executeTakeFirst();
  let claimSeq = Number(lastClaim?.last ?? 0);

  const progressNow = await initialSyncProgress(db, runId, now);
  sessions.set(runId, { since: now(), doneAtStart: progressNow?.done ?? 0 });

  const options = {
    shopId,
    settings: deps.settings,
    units,
    groups,
    links: deps.links,
    rackbeat: deps.rackbeat,
    priority: "bulk" as const,
    ...(deps.signal ? { signal: deps.signal } : {}),
  };
  const reason = `${STOCK_ADJUSTMENT_REASON} (${deps.shopName})`.slice(0, 255);

  let page = Number(run.next_page);
  let listing = await catalog.productsPage(page, INITIAL_SYNC_PAGE_SIZE, deps.signal ? { signal: deps.signal } : {});
  await db.updateTable("initial_sync_runs").set({ total: listing.total, updated_at: now() }).where("id", "=", runId).execute();
  // Pages overlap by one: while page N's last writes are answered, page N+1 is read, claimed and its
  // writes queue behind them, so the rate gate never runs dry at a page boundary (measured: the
  // sequential loop left the gate idle between pages). One limiter across both pages keeps the
  // writes in flight at `concurrency`. The checkpoint (next_page) only moves past a page when it
  // and every page before it are finished, so a resume re-reads at most the two unfinished pages.
  const limit = limiter(deps.concurrency ?? INITIAL_SYNC_CONCURRENCY);
  let previous: { done: Promise<void>; writes: Promise<void>; ids: Set<number> } | undefined;
  // The first error stops the writes still waiting for the limiter (the run is retried as a whole).
  let failure: { error: unknown } | undefined;
  try {
    for (;;) {
      deps.signal?.throwIfAborted();
      const expanded = await expandPage(catalog, listing.items, deps.signal);
      // Read the next page while this one is written.
      const more = listing.items.length > 0 && page < listing.totalPages;
      const nextListing = more ? catalog.productsPage(page + 1, INITIAL_SYNC_PAGE_SIZE, deps.signal ? { signal: deps.signal } : {}) : undefined;
      nextListing?.catch(() => undefined);

      // Claim every item of the page first (in page order): the first claim of a SKU wins it.
      const targets: Target[] = [];
      await db.transaction().execute(async (trx) => {
        for (const { product, targets: ts } of expanded) {
          for (const t of ts) {
            targets.push({ ...t, top: product });
            await trx
              .insertInto("initial_sync_items")
              .values({ run_id: runId, woo_id: t.item.id, woo_parent_id: t.item.parentId, sku: t.item.sku, outcome: "working", reason: null, at: now(), claim_seq: ++claimSeq })
              .onConflict((oc) => oc.columns(["run_id", "woo_id"]).doNothing())
              .execute();
          }
          await trx
            .insertInto("initial_sync_items")
            // A variable product's own SKU is not sent (its variations are), so it claims none.
            .values({ run_id: runId, woo_id: product.id, woo_parent_id: null, sku: product.type === "simple" ? product.sku : null, outcome: "working", reason: null, at: now(), claim_seq: ++claimSeq })
            .onConflict((oc) => oc.columns(["run_id", "woo_id"]).doNothing())
            .execute();
        }
      });
      const finished = new Set(
        (
          await db
            .selectFrom("initial_sync_items")
            .select("woo_id")
            .where("run_id", "=", runId)
            .where("woo_id", "in", [0, ...expanded.flatMap((e) => [e.product.id, ...e.targets.map((t) => t.item.id)])])
            .where("outcome", "<>", "working")
            .execute()
        ).map((r) => Number(r.woo_id)),
      );
      // Who holds each SKU of this page (the first claim of the run), read once for the page
      // instead of once per item: claims are fixed when made, so the answer cannot change later.
      const holders = new Map<string, number>();
      const pageSkus = [...new Set(targets.map((t) => t.item.sku).filter((sku) => sku.trim() !== ""))];
      if (pageSkus.length > 0) {
        const rows = await sql<{ sku: string; woo_id: number }>`
          SELECT sku, woo_id FROM initial_sync_items
          WHERE run_id = ${runId} AND sku IN (${sql.join(pageSkus)}) ORDER BY claim_seq`.execute(db);
        for (const row of rows.rows) if (!holders.has(row.sku)) holders.set(row.sku, Number(row.woo_id));
      }
      // An item the previous page is still writing (the catalogue shifted between pages) is its.
      const todo = targets.filter((t) => !finished.has(t.item.id) && !previous?.ids.has(t.item.id));
      const thisPage = page;
      const writes = (async () => {
        const fanOut: string[] = [];
        // Counted in memory and stored with the page's checkpoint (a crash mid-page undercounts these
        // two figures only; done/errors/skipped come from the item rows).
        const tally = { written: 0, adjusted: 0 };
        await Promise.all(
          todo.map((t) =>
            limit(async () => {
              if (failure) throw failure.error;
              const outcome = await syncOne(deps, options, runId, t, existing, reason, now, tally, holders);
              if (outcome?.adjusted) fanOut.push(outcome.number);
            }),
          ),
        );
        await finishPage(deps, runId, expanded, finished, tally, fanOut, now);
      })();
      writes.catch((error: unknown) => void (failure ??= { error })); // awaited below (through `previous`)
      const before = previous;
      // This page counts as finished (checkpoint) only after the one before it.
      const done = (async () => {
        await before?.done;
        await writes;
        if (nextListing) await db.updateTable("initial_sync_runs").set({ next_page: thisPage + 1, updated_at: now() }).where("id", "=", runId).execute();
      })();
      done.catch(() => undefined);
      previous = { done, writes, ids: new Set(todo.map((t) => t.item.id)) };
      // At most two pages in flight: wait for the page before this one.
      await before?.done;
      if (!nextListing) break;
      page++;
      listing = await nextListing;
    }
    await previous?.done;
  } catch (error) {
    // Let writes still in flight settle before the job is retried (they hold the items' rows).
    await Promise.allSettled([previous?.writes, previous?.done]);
    throw error;
  }
  const at = now();
  await db.updateTable("initial_sync_runs").set({ state: "done", next_page: page + 1, finished_at: at, updated_at: at }).where("id", "=", runId).execute();
  sessions.delete(runId);
}

/** A page's end: the verdict rows of its products and its tallies; then its stock fan-out. */
async function finishPage(
  deps: InitialSyncDeps,
  runId: string,
  expanded: Awaited<ReturnType<typeof expandPage>>,
  finished: Set<number>,
  tally: { written: number; adjusted: number },
  fanOut: string[],
  now: () => number,
): Promise<void> {
  const { db } = deps;
  // A product is finished when all its variations are; the top row carries its verdict.
  for (const { product, targets: ts } of expanded) {
    if (finished.has(product.id)) continue;
    if (ts.length > 0 && ts.every((t) => t.item.id === product.id)) continue; // a simple product: its own row is the verdict
    const rows = await db
      .selectFrom("initial_sync_items")
      .select(["outcome", "reason"])
      .where("run_id", "=", runId)
      .where("woo_id", "in", [0, ...ts.map((t) => t.item.id)])
      .execute();
    const bad = rows.find((r) => r.outcome === "error") ?? rows.find((r) => r.outcome === "skipped");
    const notSent = ts.length === 0 && product.type !== "variable";
    await db
      .updateTable("initial_sync_items")
      .set({
        outcome: notSent ? "skipped" : bad ? bad.outcome : "done",
        reason: notSent ? `${product.type} products hold no stock of their own and are not sent to Rackbeat` : bad ? `a variation: ${bad.reason ?? ""}` : null,
        at: now(),
      })
      .where("run_id", "=", runId)
      .where("woo_id", "=", product.id)
      .execute();
  }
  await db
    .updateTable("initial_sync_runs")
    .set((eb) => ({ rackbeat_products: eb("rackbeat_products", "+", tally.written), stock_adjustments: eb("stock_adjustments", "+", tally.adjusted), updated_at: now() }))
    .where("id", "=", runId)
    .execute();
  if (fanOut.length > 0 && deps.fanOutStock) {
    await deps.fanOutStock(fanOut).catch((error: unknown) => deps.log.warn({ err: errorMessage(error) }, "initial sync: stock fan-out failed; the stock pass will catch up"));
  }
}

/** At most `max` of the given tasks at once, started in the order they were handed in. */
function limiter(max: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}

async function syncOne(
  deps: InitialSyncDeps,
  options: Parameters<typeof syncItemToRackbeat>[0],
  runId: string,
  t: Target,
  existing: Map<string, ReturnType<typeof toComparable>>,
  reason: string,
  now: () => number,
  tally: { written: number; adjusted: number },
  holders: Map<string, number>,
): Promise<{ number: string; adjusted: boolean } | undefined> {
  const { db } = deps;
  const finish = (outcome: "done" | "skipped" | "error", why: string | null) =>
    db.updateTable("initial_sync_items").set({ outcome, reason: why, at: now() }).where("run_id", "=", runId).where("woo_id", "=", t.item.id).execute();
  try {
    // The first item of the run to claim a SKU wins it; later ones are duplicates.
    let others = 0;
    if (t.item.sku.trim() !== "") {
      const first = holders.get(t.item.sku) ?? t.item.id;
      if (first !== t.item.id) throw new SkuInvalid(t.item.sku, [{ ...duplicateProblem(t.item.sku, 2), message: `the SKU ${JSON.stringify(t.item.sku)} is also used by WooCommerce product #${first}, which was sent` }], t.item.id);
      others = 0;
    }
    const known = existing.get(t.item.sku) ?? null;
    const outcome: ItemOutcome = await syncItemToRackbeat(options, t.item, t.parent, others, known);
    if (outcome.action === "created" || outcome.action === "updated" || outcome.action === "renamed" || outcome.action === "replaced") tally.written++;
    let adjusted = false;
    if (t.item.manageStock && t.item.stockQuantity !== null) {
      const difference = t.item.stockQuantity - outcome.rackbeatStock;
      if (difference !== 0) {
        await deps.rackbeat.createInventoryAdjustment(
          { itemNumber: outcome.number, quantity: difference, reason, description: `WooCommerce stock ${t.item.stockQuantity}, Rackbeat had ${outcome.rackbeatStock}` },
          { priority: "bulk", suppressWebhooks: true, ...(deps.signal ? { signal: deps.signal } : {}) },
        );
        adjusted = true;
        tally.adjusted++;
      }
    }
    existing.set(outcome.number, { ...(existing.get(outcome.number) ?? { number: outcome.number }), stock: t.item.stockQuantity ?? outcome.rackbeatStock });
    await finish("done", null);
    return { number: outcome.number, adjusted };
  } catch (error) {
    if (error instanceof SkuInvalid || error instanceof NoProductGroup) {
      await finish("skipped", error.message);
      return undefined;
    }
    // Rackbeat refusing this one record (422, 404) is reported; outages, 429s and aborts stop the run to be retried.
    if (error instanceof BridgeError && !error.retryable) {
      await finish("error", errorMessage(error));
      return undefined;
    }
    throw error;
  }
}
