/**
 * The `WooCatalog` port over the shop's WooCommerce client (bridge/src/woocommerce, `wooClientFor`).
 *
 * EAN is WooCommerce's `global_unique_id` (9.2+); a shop whose answers lack it reads as unknown
 * (null), and WooCommerce → Rackbeat then leaves Rackbeat's barcode alone rather than blanking it.
 * The client's store settings carry no weight unit: "kg", WooCommerce's default, is assumed.
 */
import { Skip } from "../../lib/errors.js";
import {
  WooNotFound,
  WooShopNotConnected,
  type WooClient,
  type WooClientContext,
  type WooProduct,
  type WooVariation,
  wooClientFor,
} from "../../woocommerce/index.js";
import type { WooCatalog, WooCatalogFactory, WooCatalogItem, WooProductCreate, WooProductPatch } from "./catalog.js";
import { COST_PRICE_META_KEY } from "./rackbeat-to-woo-transformer.js";

const TYPES = new Set(["simple", "variable", "variation", "grouped", "external"]);

function meta(item: { meta_data: { key: string; value: unknown }[] }, key: string): string {
  const value = item.meta_data.find((m) => m.key === key)?.value;
  return value === undefined || value === null ? "" : String(value);
}

function ean(item: WooProduct | WooVariation): string | null {
  return item.global_unique_id ?? null;
}

function fromWooProduct(p: WooProduct): WooCatalogItem {
  return {
    id: p.id,
    parentId: p.type === "variation" && p.parent_id > 0 ? p.parent_id : null,
    type: (TYPES.has(p.type) ? p.type : "simple") as WooCatalogItem["type"],
    status: p.status,
    sku: p.sku,
    name: p.name,
    description: p.description,
    regularPrice: p.regular_price,
    taxStatus: (p.tax_status === "none" || p.tax_status === "shipping" ? p.tax_status : "taxable") as WooCatalogItem["taxStatus"],
    taxClass: p.tax_class,
    weight: p.weight,
    ean: ean(p),
    manageStock: p.manage_stock === true,
    stockQuantity: p.stock_quantity,
    costPrice: meta(p, COST_PRICE_META_KEY),
    dateModified: p.date_modified_gmt ? String(p.date_modified_gmt) : "",
  };
}

function fromWooVariation(v: WooVariation, parent: { id: number; name: string }): WooCatalogItem {
  const options = v.attributes.map((a) => (a as { option?: unknown }).option).filter((o): o is string => typeof o === "string");
  return {
    id: v.id,
    parentId: parent.id,
    type: "variation",
    status: v.status,
    sku: v.sku,
    name: options.length > 0 ? `${parent.name} - ${options.join(", ")}` : parent.name,
    description: v.description,
    regularPrice: v.regular_price,
    taxStatus: (v.tax_status === "none" || v.tax_status === "shipping" ? v.tax_status : "taxable") as WooCatalogItem["taxStatus"],
    taxClass: v.tax_class,
    weight: v.weight,
    ean: ean(v),
    manageStock: v.manage_stock === true,
    stockQuantity: v.stock_quantity,
    costPrice: meta(v, COST_PRICE_META_KEY),
    dateModified: v.date_modified_gmt ? String(v.date_modified_gmt) : "",
  };
}

export class WooRestCatalog implements WooCatalog {
  constructor(private readonly client: WooClient) {}

  async productsPage(page: number, perPage: number, options: { modifiedAfter?: string; signal?: AbortSignal } = {}) {
    const result = await this.client.listProducts(
      { page, perPage, orderby: "id", order: "asc", ...(options.modifiedAfter ? { modifiedAfter: options.modifiedAfter } : {}) },
      options.signal ? { signal: options.signal } : {},
    );
    return { items: result.items.map(fromWooProduct), total: result.total, totalPages: result.totalPages };
  }

  async variationsOf(parentId: number, options: { signal?: AbortSignal } = {}) {
    const parent = await this.client.getProduct(parentId, options);
    const out: WooCatalogItem[] = [];
    for await (const v of this.client.iterateVariations(parentId, {}, options)) out.push(fromWooVariation(v, parent));
    return out;
  }

  async item(id: number, parentId?: number | null) {
    try {
      if (parentId) {
        const parent = await this.client.getProduct(parentId);
        return fromWooVariation(await this.client.getVariation(parentId, id), parent);
      }
      return fromWooProduct(await this.client.getProduct(id));
    } catch (error) {
      if (error instanceof WooNotFound) return undefined;
      throw error;
    }
  }

  async findBySku(sku: string) {
    if (sku.includes(",")) throw new Skip(`the SKU ${JSON.stringify(sku)} contains a comma, which WooCommerce cannot look up`);
    return (await this.client.findBySkus([sku])).map((m) => fromWooProduct(m.product));
  }

  async update(item: Pick<WooCatalogItem, "id" | "parentId">, patch: WooProductPatch) {
    if (item.parentId) {
      const { name: _name, ...rest } = patch;
      await this.client.updateVariation(item.parentId, item.id, rest);
    } else await this.client.updateProduct(item.id, patch);
  }

  async create(input: WooProductCreate) {
    return fromWooProduct(await this.client.createProduct(input));
  }

  async units() {
    const s = await this.client.getStoreSettings();
    return { pricesIncludeTax: s.pricesIncludeTax, priceDecimals: s.priceDecimals, weightUnit: "kg" };
  }
}

/** Opens a shop's catalogue over its (shared, cached) WooCommerce client. */
export function wooCatalogFactory(ctx: WooClientContext): WooCatalogFactory {
  return async (shopId) => {
    try {
      return new WooRestCatalog(await wooClientFor(ctx, shopId));
    } catch (error) {
      // A shop that was disconnected has nothing to sync: end the job as skipped, not parked.
      if (error instanceof WooShopNotConnected) throw new Skip(error.message);
      throw error;
    }
  };
}
