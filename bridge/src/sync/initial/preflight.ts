/**
 * The initial sync's preflight (issue 7): a dry run over the shop's catalogue that writes nothing
 * to WooCommerce or Rackbeat. It streams WooCommerce product pages, keeps one row per product or
 * variation in the bridge's store (so memory stays flat whatever the catalogue's size), then counts:
 * products and variations, SKU problems per rule (duplicates across variations included), which
 * SKUs Rackbeat already has (to be updated) and which are new, and prices incl./excl. VAT as the
 * shop is set up. The rows are exportable as CSV.
 */
import { randomUUID } from "node:crypto";
import { type Kysely, sql } from "kysely";
import type { RackbeatClient } from "../../rackbeat/index.js";
import type { ProductSettings } from "../../settings/product-settings.js";
import type { Database } from "../../store/schema.js";
import type { WooCatalog, WooCatalogItem } from "../products/catalog.js";
import { GroupVatRates, iterateComparableProducts } from "../products/rackbeat-catalogue.js";
import { SKU_MAX_LENGTH, skuProblems } from "../products/sku-rules.js";
import { NoProductGroup, effectiveTaxClass, netSalesPrice, productGroupFor } from "../products/woo-to-rackbeat-transformer.js";
import { expandPage } from "./catalogue-pages.js";

export const PREFLIGHT_PAGE_SIZE = 100;

export interface PreflightReport {
  products: number;
  simple_products: number;
  variable_products: number;
  variations: number;
  /** Grouped and external products: nothing to send. */
  not_sent: number;
  /** Rackbeat products the run would write (simple products + variations). */
  rackbeat_products: number;
  sku: { missing: number; too_long: number; has_spaces: number; duplicate: number; duplicate_skus: number; max_length: number };
  no_product_group: number;
  /** Items the run would skip for any reason above. */
  skipped: number;
  in_rackbeat: number;
  new_in_rackbeat: number;
  with_stock: number;
  prices: { shop_enters_prices: "incl_vat" | "excl_vat"; rackbeat_gets: "excl_vat"; vat_removed: number };
  examples: { woo_id: number; sku: string; rule: string; message: string }[];
}

export interface PreflightDeps {
  db: Kysely<Database>;
  catalog: WooCatalog;
  rackbeat: Pick<RackbeatClient, "paginate" | "getProductGroup">;
  settings: ProductSettings;
  now?: () => number;
  signal?: AbortSignal;
}

export async function createPreflight(db: Kysely<Database>, shopId: string, now: () => number = Date.now): Promise<string> {
  const id = `pf_${randomUUID()}`;
  await db.insertInto("preflights").values({ id, shop_id: shopId, state: "running", report: null, created_at: now(), finished_at: null }).execute();
  return id;
}

/** Runs the dry run for an existing preflight row; safe to run again (rows are replaced). */
export async function runPreflight(deps: PreflightDeps, preflightId: string): Promise<PreflightReport> {
  const { db, catalog, settings } = deps;
  const now = deps.now ?? Date.now;
  await db.deleteFrom("preflight_items").where("preflight_id", "=", preflightId).execute();
  const units = await catalog.units();
  const groups = new GroupVatRates(deps.rackbeat, "bulk");

  // Which numbers Rackbeat has: numbers only, 1,000 per request.
  const inRackbeat = new Set<string>();
  for await (const p of iterateComparableProducts(deps.rackbeat, { fields: "number", ...(deps.signal ? { signal: deps.signal } : {}) })) inRackbeat.add(p.number);

  const counts = { products: 0, simple: 0, variable: 0, variations: 0, notSent: 0, withStock: 0, vatRemoved: 0 };
  let seq = 0;
  for (let page = 1; ; page++) {
    deps.signal?.throwIfAborted();
    const listing = await catalog.productsPage(page, PREFLIGHT_PAGE_SIZE, deps.signal ? { signal: deps.signal } : {});
    const expanded = await expandPage(catalog, listing.items, deps.signal);
    const rows: Database["preflight_items"][] = [];
    for (const { product, targets } of expanded) {
      counts.products++;
      if (product.type === "variable") counts.variable++;
      else if (product.type === "simple") counts.simple++;
      else {
        counts.notSent++;
        continue;
      }
      for (const { item, parent } of targets) {
        if (item.type === "variation") counts.variations++;
        if (item.manageStock && (item.stockQuantity ?? 0) !== 0) counts.withStock++;
        const problems: string[] = skuProblems(item.sku).map((p) => p.rule);
        let net: string | null = null;
        try {
          const group = productGroupFor(settings, effectiveTaxClass(item, parent));
          const netPrice = netSalesPrice(item, units, await groups.vat(group));
          net = netPrice.toString();
          if (units.pricesIncludeTax && item.taxStatus === "taxable" && item.regularPrice.trim() !== "" && net !== String(Number(item.regularPrice))) counts.vatRemoved++;
        } catch (error) {
          if (!(error instanceof NoProductGroup)) throw error;
          problems.push("no_product_group");
        }
        rows.push({
          preflight_id: preflightId,
          seq: seq++,
          woo_id: item.id,
          woo_parent_id: item.parentId,
          kind: item.type,
          sku: item.sku,
          name: item.name,
          price: item.regularPrice,
          price_excl_vat: net,
          in_rackbeat: item.sku !== "" && inRackbeat.has(item.sku) ? 1 : 0,
          problems: problems.join(","),
        });
      }
    }
    if (rows.length > 0) {
      await db.transaction().execute(async (trx) => {
        for (let i = 0; i < rows.length; i += 50) await trx.insertInto("preflight_items").values(rows.slice(i, i + 50)).execute();
      });
    }
    if (listing.items.length === 0 || page >= listing.totalPages) break;
  }

  const report = await summarise(db, preflightId, counts, units.pricesIncludeTax);
  await db.updateTable("preflights").set({ state: "done", report: JSON.stringify(report), finished_at: now() }).where("id", "=", preflightId).execute();
  return report;
}

async function summarise(
  db: Kysely<Database>,
  preflightId: string,
  counts: { products: number; simple: number; variable: number; variations: number; notSent: number; withStock: number; vatRemoved: number },
  pricesIncludeTax: boolean,
): Promise<PreflightReport> {
  const where = sql`preflight_id = ${preflightId}`;
  const one = async (condition: ReturnType<typeof sql>) =>
    Number((await sql<{ n: number }>`SELECT count(*) AS n FROM preflight_items WHERE ${where} AND ${condition}`.execute(db)).rows[0]?.n ?? 0);
  const dupRows = await sql<{ skus: number; items: number }>`
    SELECT count(*) AS skus, coalesce(sum(n), 0) AS items FROM (
      SELECT count(*) AS n FROM preflight_items WHERE ${where} AND sku <> '' GROUP BY sku HAVING count(*) > 1) AS dups`.execute(db);
  const has = (rule: string) => sql`(',' || problems || ',') LIKE ${`%,${rule},%`}`;
  const total = await one(sql`1 = 1`);
  const skipped = await one(sql`(problems <> '' OR (sku <> '' AND sku IN (SELECT sku FROM preflight_items WHERE ${where} AND sku <> '' GROUP BY sku HAVING count(*) > 1)))`);
  const inRackbeat = await one(sql`in_rackbeat = 1 AND problems = ''`);
  const examples = await db
    .selectFrom("preflight_items")
    .select(["woo_id", "sku", "problems"])
    .where("preflight_id", "=", preflightId)
    .where("problems", "<>", "")
    .orderBy("seq")
    .limit(20)
    .execute();
  return {
    products: counts.products,
    simple_products: counts.simple,
    variable_products: counts.variable,
    variations: counts.variations,
    not_sent: counts.notSent,
    rackbeat_products: total,
    sku: {
      missing: await one(has("missing")),
      too_long: await one(has("too_long")),
      has_spaces: await one(has("has_spaces")),
      duplicate: Number(dupRows.rows[0]?.items ?? 0),
      duplicate_skus: Number(dupRows.rows[0]?.skus ?? 0),
      max_length: SKU_MAX_LENGTH,
    },
    no_product_group: await one(has("no_product_group")),
    skipped,
    in_rackbeat: inRackbeat,
    new_in_rackbeat: total - skipped - inRackbeat,
    with_stock: counts.withStock,
    prices: { shop_enters_prices: pricesIncludeTax ? "incl_vat" : "excl_vat", rackbeat_gets: "excl_vat", vat_removed: counts.vatRemoved },
    examples: examples.map((e) => ({ woo_id: Number(e.woo_id), sku: e.sku, rule: e.problems.split(",")[0] ?? "", message: ruleMessage(e.problems.split(",")[0] ?? "", e.sku) })),
  };
}

function ruleMessage(rule: string, sku: string): string {
  if (rule === "no_product_group") return "no Rackbeat product group is mapped for its tax class and no default is set";
  return skuProblems(sku).find((p) => p.rule === rule)?.message ?? rule;
}

const CSV_HEADER = ["woo_id", "parent_id", "type", "sku", "name", "price", "price_excl_vat", "in_rackbeat", "action", "problems"];

/** One CSV field: quoted when needed; a leading = + - @ is defused so spreadsheets do not run it. */
export function csvField(value: string | number | null): string {
  let text = value === null ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The preflight's rows as CSV lines, read from the store 1,000 at a time. */
export async function* preflightCsv(db: Kysely<Database>, preflightId: string): AsyncGenerator<string> {
  yield `${CSV_HEADER.join(",")}\r\n`;
  const dups = new Set(
    (
      await sql<{ sku: string }>`SELECT sku FROM preflight_items WHERE preflight_id = ${preflightId} AND sku <> '' GROUP BY sku HAVING count(*) > 1`.execute(db)
    ).rows.map((r) => r.sku),
  );
  let after = -1;
  for (;;) {
    const rows = await db
      .selectFrom("preflight_items")
      .selectAll()
      .where("preflight_id", "=", preflightId)
      .where("seq", ">", after)
      .orderBy("seq")
      .limit(1000)
      .execute();
    if (rows.length === 0) return;
    let chunk = "";
    for (const r of rows) {
      const problems = r.problems === "" ? [] : r.problems.split(",");
      if (dups.has(r.sku)) problems.push("duplicate");
      const action = problems.length > 0 ? "skip" : r.in_rackbeat ? "update" : "create";
      chunk += `${[r.woo_id, r.woo_parent_id ?? "", r.kind, r.sku, r.name, r.price, r.price_excl_vat, r.in_rackbeat ? "yes" : "no", action, problems.join(" ")].map((v) => csvField(v as string | number | null)).join(",")}\r\n`;
    }
    yield chunk;
    after = rows[rows.length - 1]!.seq;
  }
}

export type { WooCatalogItem };
