/**
 * Rackbeat → WooCommerce (design.md §3–4, issue 7): a Rackbeat product updates the shop's product
 * or variation with the same SKU, per the field toggles. New Rackbeat products become simple
 * products (draft or published per setting); Rackbeat cannot create variations, so a product that
 * would need one is reported, not guessed. Barred → private (or draft); never deleted.
 */
import { Skip } from "../../lib/errors.js";
import type { RackbeatClient } from "../../rackbeat/index.js";
import type { ProductSettings } from "../../settings/product-settings.js";
import type { ShopUnits, WooCatalog } from "./catalog.js";
import type { ProductLinks } from "./product-links.js";
import { newWooProductFromRackbeat, wooPatchFromRackbeat } from "./rackbeat-to-woo-transformer.js";
import { skuProblems } from "./sku-rules.js";

export interface RackbeatToWooOptions {
  shopId: string;
  catalog: WooCatalog;
  rackbeat: Pick<RackbeatClient, "findProduct">;
  links: ProductLinks;
  settings: ProductSettings;
  units?: ShopUnits;
  step?: (action: string, outcome: string, detail?: unknown) => Promise<void>;
}

export type RackbeatToWooAction = "updated" | "unchanged" | "created" | "not_created";

export interface RackbeatToWooResult {
  number: string;
  action: RackbeatToWooAction;
  wooId?: number;
  fields?: string[];
  reason?: string;
}

/** Why Rackbeat's product cannot be mirrored in the shop; the job ends "skipped" with it. */
export class ProductNotMirrored extends Skip {}

export async function syncRackbeatProductToWoo(options: RackbeatToWooOptions, number: string): Promise<RackbeatToWooResult> {
  const { catalog, settings, shopId } = options;
  const product = await options.rackbeat.findProduct(number);
  if (!product) throw new ProductNotMirrored(`Rackbeat has no product ${JSON.stringify(number)} (deleted, or renamed since)`);
  if (product.type === "lot") throw new ProductNotMirrored(`${number} is a bill of materials in Rackbeat; only products are mirrored`);
  const units = options.units ?? (await catalog.units());
  const matches = (await catalog.findBySku(String(product.number))).filter((m) => m.type !== "variable" && m.type !== "grouped" && m.type !== "external");
  if (matches.length > 1) {
    throw new ProductNotMirrored(`the SKU ${number} is used by ${matches.length} products or variations in this shop (ids ${matches.map((m) => m.id).join(", ")}); SKUs must be unique`);
  }
  const current = matches[0];
  if (current) {
    const link = await options.links.get(shopId, current.id);
    const patch = wooPatchFromRackbeat({ product, settings, units, current, barredByBridge: link?.barredByBridge ?? false });
    const fields = Object.keys(patch);
    if (fields.length > 0) await catalog.update(current, patch);
    const barredByBridge = product.is_barred ? patch.status !== undefined || (link?.barredByBridge ?? false) : false;
    await options.links.save({ shopId, wooId: current.id, wooParentId: current.parentId, rackbeatNumber: String(product.number), barredByBridge });
    await options.step?.(fields.length > 0 ? "woocommerce product updated" : "woocommerce product unchanged", "done", { woo_id: current.id, number, fields });
    return { number, action: fields.length > 0 ? "updated" : "unchanged", wooId: current.id, fields };
  }

  // Not in the shop. Rackbeat variations (variation_id) would need a WooCommerce variation.
  const variationId = (product as { variation_id?: unknown }).variation_id;
  if (variationId !== null && variationId !== undefined && variationId !== 0) {
    const reason = `${number} is a variant in Rackbeat; Rackbeat cannot create WooCommerce variations — create the variation with SKU ${number} in the shop and it will be kept in step`;
    await options.step?.("not created", "skipped", { number, reason });
    return { number, action: "not_created", reason };
  }
  const problems = skuProblems(String(product.number));
  if (problems.length > 0) throw new ProductNotMirrored(`Rackbeat number ${number} cannot be a WooCommerce SKU: ${problems.map((p) => p.message).join("; ")}`);
  if (product.is_barred) {
    await options.step?.("not created", "skipped", { number, reason: "barred in Rackbeat" });
    return { number, action: "not_created", reason: "barred in Rackbeat; not created in the shop" };
  }
  const created = await catalog.create(newWooProductFromRackbeat({ product, settings, units }));
  await options.links.save({ shopId, wooId: created.id, wooParentId: null, rackbeatNumber: String(product.number), barredByBridge: false });
  await options.step?.("woocommerce product created", "done", { woo_id: created.id, number, status: created.status });
  return { number, action: "created", wooId: created.id };
}
