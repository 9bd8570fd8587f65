/**
 * WooCommerce → Rackbeat (design.md §3–4, issue 7): a WooCommerce product or variation becomes the
 * Rackbeat product whose number is its SKU. Links are kept on WooCommerce ids, so a new SKU on a
 * linked product is a rename. Every write carries `suppress_webhooks`, so none echoes back.
 */
import { RackbeatNotFound, RackbeatRejected, RackbeatTimeout, RackbeatUnavailable, type ProductCreate, type RackbeatClient } from "../../rackbeat/index.js";
import type { RatePriority } from "../../rackbeat/rate-gate.js";
import type { ProductSettings } from "../../settings/product-settings.js";
import type { ShopUnits, WooCatalog, WooCatalogItem } from "./catalog.js";
import type { ProductLinks } from "./product-links.js";
import type { GroupVatRates } from "./rackbeat-catalogue.js";
import { toComparable, comparableProductSchema } from "./rackbeat-catalogue.js";
import { assertSkuUsable } from "./sku-rules.js";
import {
  effectiveTaxClass,
  isEmptyPatch,
  productGroupFor,
  rackbeatProductPatch,
  wooToRackbeatProduct,
  type RackbeatComparable,
} from "./woo-to-rackbeat-transformer.js";

export type RackbeatWriter = Pick<RackbeatClient, "getProduct" | "createProduct" | "updateProduct" | "setProductBarred">;

export interface ItemSyncOptions {
  shopId: string;
  settings: ProductSettings;
  units: ShopUnits;
  groups: GroupVatRates;
  links: ProductLinks;
  rackbeat: RackbeatWriter;
  priority: RatePriority;
  signal?: AbortSignal;
  /** Adds a step to the activity record, if there is one. */
  step?: (action: string, outcome: string, detail?: unknown) => Promise<void>;
}

export type ItemAction = "created" | "updated" | "unchanged" | "renamed" | "replaced";

export interface ItemOutcome {
  wooId: number;
  number: string;
  action: ItemAction;
  /** On-hand stock in Rackbeat after the write (0 for a new product). */
  rackbeatStock: number;
  /** The old number when the SKU changed. */
  previousNumber?: string;
}

/** The product in Rackbeat, sparse; undefined when there is none. */
export async function readComparable(rackbeat: Pick<RackbeatClient, "getProduct">, number: string, priority: RatePriority): Promise<(RackbeatComparable & { stock: number }) | undefined> {
  try {
    const p = await rackbeat.getProduct(number, { priority });
    return toComparable(comparableProductSchema.parse(p));
  } catch (error) {
    if (error instanceof RackbeatNotFound) return undefined;
    throw error;
  }
}

/**
 * Creates or updates the Rackbeat product for one WooCommerce simple product or variation. SKU
 * rules are checked here (SkuInvalid, a Skip); `othersWithSku` is how many other products or
 * variations of the shop share the SKU. `known` is the current Rackbeat product when the caller
 * already read it (initial sync); `null` means "known not to exist".
 */
export async function syncItemToRackbeat(
  options: ItemSyncOptions,
  item: WooCatalogItem,
  parent: WooCatalogItem | undefined,
  othersWithSku: number,
  known?: (RackbeatComparable & { stock: number }) | null,
): Promise<ItemOutcome> {
  const { rackbeat, priority, settings } = options;
  const sku = assertSkuUsable(item.sku, othersWithSku, item.id);
  const groupNumber = productGroupFor(settings, effectiveTaxClass(item, parent));
  const wanted = wooToRackbeatProduct({
    item,
    parent,
    settings,
    units: options.units,
    group: { number: groupNumber, vatDomestic: await options.groups.vat(groupNumber) },
  });
  const write = { suppressWebhooks: true, priority, ...(options.signal ? { signal: options.signal } : {}) };
  const link = await options.links.get(options.shopId, item.id);
  const saveLink = (number: string) =>
    options.links.save({ shopId: options.shopId, wooId: item.id, wooParentId: item.parentId, rackbeatNumber: number, barredByBridge: false });

  if (link && link.rackbeatNumber !== sku) {
    const outcome = await renameOrReplace(options, wanted, link.rackbeatNumber, write);
    await saveLink(sku);
    await options.step?.(`rackbeat product ${outcome.action}`, "done", {
      from: link.rackbeatNumber,
      to: sku,
      how:
        outcome.action === "renamed"
          ? "Rackbeat's number was changed"
          : outcome.action === "replaced"
            ? "a new Rackbeat product was made and the old one barred"
            : "the old Rackbeat product was gone; a new one was made",
    });
    return { wooId: item.id, ...outcome, previousNumber: link.rackbeatNumber };
  }

  const current = known === undefined ? await readComparable(rackbeat, sku, priority) : (known ?? undefined);
  if (!current) {
    const created = await createOrAdopt(rackbeat, wanted, settings, write);
    await saveLink(sku);
    await options.step?.(`rackbeat product ${created.action}`, "done", { number: sku });
    return { wooId: item.id, number: sku, ...created };
  }
  const patch = rackbeatProductPatch(current, wanted, settings);
  if (!isEmptyPatch(patch)) {
    await rackbeat.updateProduct(sku, patch, write);
    await options.step?.("rackbeat product updated", "done", { number: sku, fields: Object.keys(patch) });
  }
  if (!link) await saveLink(sku);
  return { wooId: item.id, number: sku, action: isEmptyPatch(patch) ? "unchanged" : "updated", rackbeatStock: current.stock };
}

type Write = { suppressWebhooks: boolean; priority: RatePriority; signal?: AbortSignal };

/**
 * A create whose answer was lost may still have happened: on an unknown outcome the product is
 * looked up by its number before anything else, so a retry never makes it twice.
 */
async function createOrAdopt(
  rackbeat: RackbeatWriter,
  wanted: ProductCreate,
  settings: ProductSettings,
  write: Write,
): Promise<{ action: ItemAction; rackbeatStock: number }> {
  try {
    await rackbeat.createProduct(wanted, write);
    return { action: "created", rackbeatStock: 0 };
  } catch (error) {
    const unknownOutcome = error instanceof RackbeatUnavailable || error instanceof RackbeatTimeout;
    const taken = error instanceof RackbeatRejected && error.fieldErrors.number !== undefined;
    if (!unknownOutcome && !taken) throw error;
    const existing = await readComparable(rackbeat, wanted.number, write.priority);
    if (!existing) throw error;
    const patch = rackbeatProductPatch(existing, wanted, settings);
    if (!isEmptyPatch(patch)) await rackbeat.updateProduct(wanted.number, patch, write);
    return { action: isEmptyPatch(patch) ? "unchanged" : "updated", rackbeatStock: existing.stock };
  }
}

/**
 * A linked product got a new SKU. Rackbeat's number is changed in place where the API allows it
 * (PUT with the new number); when it refuses, or another Rackbeat product already has the new
 * number, that one is used (or made) and the old one is barred, never deleted.
 */
async function renameOrReplace(
  options: ItemSyncOptions,
  wanted: ProductCreate,
  oldNumber: string,
  write: Write,
): Promise<{ number: string; action: ItemAction; rackbeatStock: number }> {
  const { rackbeat, settings, priority } = options;
  const target = await readComparable(rackbeat, wanted.number, priority);
  if (!target) {
    try {
      const { number: _n, ...rest } = wanted;
      const renamed = await rackbeat.updateProduct(oldNumber, { number: wanted.number, ...rest, is_barred: false }, write);
      return { number: wanted.number, action: "renamed", rackbeatStock: Number(renamed.stock_quantity) };
    } catch (error) {
      if (error instanceof RackbeatNotFound) {
        const created = await createOrAdopt(rackbeat, wanted, settings, write);
        return { number: wanted.number, action: "created", rackbeatStock: created.rackbeatStock };
      }
      if (!(error instanceof RackbeatRejected)) throw error;
      const created = await createOrAdopt(rackbeat, wanted, settings, write);
      await barQuietly(rackbeat, oldNumber, write);
      return { number: wanted.number, action: "replaced", rackbeatStock: created.rackbeatStock };
    }
  }
  const patch = rackbeatProductPatch(target, wanted, settings);
  if (!isEmptyPatch(patch)) await rackbeat.updateProduct(wanted.number, patch, write);
  await barQuietly(rackbeat, oldNumber, write);
  return { number: wanted.number, action: "replaced", rackbeatStock: target.stock };
}

/** Bars a Rackbeat product; one that is already gone is fine. */
export async function barQuietly(rackbeat: Pick<RackbeatClient, "setProductBarred">, number: string, write: Write): Promise<boolean> {
  try {
    await rackbeat.setProductBarred(number, true, write);
    return true;
  } catch (error) {
    if (error instanceof RackbeatNotFound) return false;
    throw error;
  }
}

export interface ProductSyncResult {
  outcomes: ItemOutcome[];
  barred: string[];
  /** Per variation (or the product) that was skipped or failed: why. */
  problems: { wooId: number; sku: string; reason: string }[];
}

/**
 * One WooCommerce product as the plugin announced it (product.changed / product.deleted, or the
 * periodic pass): a simple product, a variable product with all its variations, or one variation.
 * Deleted or trashed → its Rackbeat products are barred.
 */
export async function syncWooProductToRackbeat(
  options: ItemSyncOptions & { catalog: WooCatalog },
  wooId: number,
  parentIdHint: number | null,
): Promise<ProductSyncResult> {
  const { catalog, links, shopId } = options;
  const result: ProductSyncResult = { outcomes: [], barred: [], problems: [] };
  const item = await catalog.item(wooId, parentIdHint);
  if (!item || item.status === "trash") {
    result.barred = await barLinked(options, wooId);
    await options.step?.("barred in Rackbeat", "done", { reason: item ? "trashed in WooCommerce" : "deleted in WooCommerce", numbers: result.barred });
    return result;
  }
  if (item.type === "grouped" || item.type === "external") {
    result.problems.push({ wooId, sku: item.sku, reason: `${item.type} products hold no stock of their own and are not sent to Rackbeat` });
    return result;
  }
  let targets: { item: WooCatalogItem; parent: WooCatalogItem | undefined }[];
  if (item.type === "variable") {
    const variations = await catalog.variationsOf(item.id);
    targets = variations.map((v) => ({ item: v, parent: item }));
    // Variations WooCommerce no longer has are barred.
    const present = new Set(variations.map((v) => v.id));
    for (const link of await links.children(shopId, item.id)) {
      if (!present.has(link.wooId) && (await barQuietly(options.rackbeat, link.rackbeatNumber, { suppressWebhooks: true, priority: options.priority }))) {
        result.barred.push(link.rackbeatNumber);
      }
    }
  } else if (item.type === "variation") {
    targets = [{ item, parent: item.parentId ? await catalog.item(item.parentId) : undefined }];
  } else {
    targets = [{ item, parent: undefined }];
  }
  for (const t of targets) {
    const sameSku = t.item.sku.trim() === "" ? [] : await catalog.findBySku(t.item.sku);
    const others = sameSku.filter((x) => x.id !== t.item.id).length;
    try {
      result.outcomes.push(await syncItemToRackbeat(options, t.item, t.parent, others));
    } catch (error) {
      if (error instanceof Error && (error.name === "SkuInvalid" || error.name === "NoProductGroup")) {
        result.problems.push({ wooId: t.item.id, sku: t.item.sku, reason: error.message });
        await options.step?.("skipped", "skipped", { woo_id: t.item.id, sku: t.item.sku, reason: error.message });
        continue;
      }
      throw error;
    }
  }
  return result;
}

/** Bars every Rackbeat product linked to a WooCommerce product (and its variations). */
async function barLinked(options: ItemSyncOptions, wooId: number): Promise<string[]> {
  const own = await options.links.get(options.shopId, wooId);
  const links = [...(own ? [own] : []), ...(await options.links.children(options.shopId, wooId))];
  const barred: string[] = [];
  for (const link of links) {
    // Another WooCommerce product may have taken the number over since (a reused SKU): leave it.
    const holders = await options.links.byNumber(options.shopId, link.rackbeatNumber);
    if (holders.some((h) => h.wooId !== link.wooId && h.wooId !== wooId && h.wooParentId !== wooId)) continue;
    if (await barQuietly(options.rackbeat, link.rackbeatNumber, { suppressWebhooks: true, priority: options.priority })) barred.push(link.rackbeatNumber);
  }
  return barred;
}
