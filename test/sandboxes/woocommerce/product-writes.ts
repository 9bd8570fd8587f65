/**
 * Product and variation writes through REST (WC_REST_Products_Controller /
 * WC_REST_Product_Variations_Controller prepare_object_for_database).
 * [recorded] duplicate SKU → 400 product_invalid_sku with resource_id and unique_sku;
 * regular_price "abc" → accepted, stored as "" (api/200-product-update-non-numeric-price.json).
 * [source] stock_quantity only takes effect while manage_stock is (or becomes) true; otherwise
 * the product stops managing stock and the quantity is cleared.
 */
import { RestError, invalidParam } from "./rest-error.js";
import { enumList } from "./rest-orders.js";
import { derivedStockStatus, slugify } from "./seed.js";
import type { WooShop } from "./shop-state.js";
import type { ProductAttribute, ProductRecord, VariationAttribute } from "./shop-model.js";

export const PRODUCT_TYPES = ["simple", "grouped", "external", "variable"] as const;
const PRODUCT_STATUSES = ["draft", "pending", "private", "publish", "future"] as const;
const STOCK_STATUSES = ["instock", "outofstock", "onbackorder"] as const;
const BACKORDERS = ["no", "notify", "yes"] as const;
const TAX_STATUSES = ["taxable", "shipping", "none"] as const;

type Input = Record<string, unknown>;

function asObject(value: unknown): Input {
  if (!value || typeof value !== "object" || Array.isArray(value)) throw invalidParam("body", "body is not of type object.", "rest_invalid_type");
  return value as Input;
}

function enumField<T extends string>(input: Input, name: string, values: readonly T[]): T | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string" || !(values as readonly string[]).includes(v)) {
    throw invalidParam(name, `${name} is not one of ${enumList([...values])}.`, "rest_not_in_enum");
  }
  return v as T;
}

function stringField(input: Input, name: string): string | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === "number") return String(v);
  if (typeof v !== "string") throw invalidParam(name, `${name} is not of type string.`, "rest_invalid_type");
  return v;
}

function boolField(input: Input, name: string): boolean | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === "boolean") return v;
  if (v === "true" || v === "1" || v === 1) return true;
  if (v === "false" || v === "0" || v === 0 || v === "") return false;
  throw invalidParam(name, `${name} is not of type boolean.`, "rest_invalid_type");
}

/** wc_format_decimal on a price: non-numeric text becomes "". */
function priceField(input: Input, name: string): string | undefined {
  const v = stringField(input, name);
  if (v === undefined) return undefined;
  const cleaned = v.trim().replace(",", ".");
  return /^-?\d*\.?\d+$/.test(cleaned) ? cleaned : "";
}

/** wc_stock_amount(): intval. */
function stockAmount(v: unknown): number {
  const n = typeof v === "number" ? v : Number(String(v).trim());
  return Number.isFinite(n) ? Math.trunc(n) : 0;
}

function applyCommon(shop: WooShop, product: ProductRecord, input: Input, fields: string[]): void {
  const set = (name: string): boolean => {
    if (input[name] !== undefined) fields.push(name);
    return input[name] !== undefined;
  };
  if (set("sku")) {
    const sku = (stringField(input, "sku") ?? "").trim();
    shop.assertSkuFree(sku, product.id);
    product.sku = sku;
  }
  if (set("regular_price")) product.regularPrice = priceField(input, "regular_price") ?? "";
  if (set("sale_price")) product.salePrice = priceField(input, "sale_price") ?? "";
  if (set("description")) product.description = stringField(input, "description") ?? "";
  if (set("tax_status")) product.taxStatus = enumField(input, "tax_status", TAX_STATUSES) ?? product.taxStatus;
  if (set("tax_class")) {
    const cls = stringField(input, "tax_class") ?? "";
    product.taxClass = cls === "standard" ? "" : cls;
  }
  if (set("weight")) product.weight = stringField(input, "weight") ?? "";
  // [inference] WooCommerce 9.2+ stores global_unique_id as given; its uniqueness and format checks are not modelled.
  if (set("global_unique_id")) product.globalUniqueId = stringField(input, "global_unique_id") ?? "";
  if (set("virtual")) product.virtual = boolField(input, "virtual") ?? product.virtual;
  if (set("downloadable")) product.downloadable = boolField(input, "downloadable") ?? product.downloadable;
  if (set("status")) product.status = enumField(input, "status", PRODUCT_STATUSES) as ProductRecord["status"];
  if (set("backorders")) product.backorders = enumField(input, "backorders", BACKORDERS) ?? product.backorders;
  if (set("dimensions") && input.dimensions && typeof input.dimensions === "object") {
    const d = input.dimensions as Record<string, unknown>;
    product.dimensions = {
      length: String(d.length ?? product.dimensions.length),
      width: String(d.width ?? product.dimensions.width),
      height: String(d.height ?? product.dimensions.height),
    };
  }
  if (set("meta_data") && Array.isArray(input.meta_data)) {
    for (const raw of input.meta_data) {
      const m = raw as { id?: number; key?: string; value?: unknown };
      if (!m.key) continue;
      const existing = m.id ? product.metaData.find((e) => e.id === m.id) : product.metaData.find((e) => e.key === m.key);
      if (existing) existing.value = m.value;
      else product.metaData.push({ id: shop.metaId(), key: m.key, value: m.value });
    }
  }
  // Stock handling, in WooCommerce's order.
  if (set("manage_stock")) product.manageStock = boolField(input, "manage_stock") ?? product.manageStock;
  if (set("stock_status")) product.stockStatus = enumField(input, "stock_status", STOCK_STATUSES) ?? product.stockStatus;
  const quantityGiven = set("stock_quantity");
  if (product.manageStock) {
    if (quantityGiven && input.stock_quantity !== null) {
      shop.setStock(product, stockAmount(input.stock_quantity), "rest");
    } else if (product.stockQuantity === null) {
      shop.setStock(product, 0, "rest");
    } else {
      product.stockStatus = derivedStockStatus(product, shop.settings.noStockAmount);
    }
  } else if (product.stockQuantity !== null) {
    product.stockQuantity = null;
  }
}

/** POST /products and the create part of /products/batch. */
export function createProduct(shop: WooShop, body: unknown): ProductRecord {
  const input = asObject(body);
  const type = enumField(input, "type", PRODUCT_TYPES) ?? "simple";
  enumField(input, "status", PRODUCT_STATUSES);
  const sku = (stringField(input, "sku") ?? "").trim();
  shop.assertSkuFree(sku);
  const name = stringField(input, "name") ?? "";
  const product = shop.seedProduct({ type, name, sku: "", status: "publish" });
  if (!name) product.name = "Product";
  product.slug = stringField(input, "slug") ?? slugify(product.name);
  product.shortDescription = stringField(input, "short_description") ?? "";
  if (Array.isArray(input.attributes)) product.attributes = parseAttributes(input.attributes);
  const fields = ["name", "type"];
  applyCommon(shop, product, input, fields);
  shop.recordWrite(product, "create", fields);
  return product;
}

/** PUT /products/{id} and the update part of /products/batch. */
export function updateProduct(shop: WooShop, id: number, body: unknown, notFoundStatus: number): ProductRecord {
  const product = shop.products.get(id);
  if (!product || product.type === "variation") throw new RestError(notFoundStatus, "woocommerce_rest_product_invalid_id", "Invalid ID.");
  const input = asObject(body);
  const fields: string[] = [];
  if (input.type !== undefined) {
    product.type = enumField(input, "type", PRODUCT_TYPES) ?? product.type;
    fields.push("type");
  }
  if (input.name !== undefined) {
    product.name = stringField(input, "name") ?? product.name;
    fields.push("name");
  }
  if (input.short_description !== undefined) {
    product.shortDescription = stringField(input, "short_description") ?? "";
    fields.push("short_description");
  }
  if (Array.isArray(input.attributes)) {
    product.attributes = parseAttributes(input.attributes);
    fields.push("attributes");
  }
  applyCommon(shop, product, input, fields);
  shop.touch(product);
  shop.recordWrite(product, "update", fields);
  return product;
}

export function deleteProduct(shop: WooShop, id: number, force: boolean, notFoundStatus = 404): ProductRecord {
  const product = shop.products.get(id);
  if (!product || product.type === "variation") throw new RestError(notFoundStatus, "woocommerce_rest_product_invalid_id", "Invalid ID.");
  if (!force) {
    if (product.status === ("trash" as ProductRecord["status"])) throw new RestError(410, "woocommerce_rest_already_trashed", `The product has already been deleted.`);
    product.status = "trash" as ProductRecord["status"];
  } else {
    for (const vid of product.variationIds) shop.products.delete(vid);
    shop.products.delete(id);
  }
  shop.recordWrite(product, "delete", []);
  return product;
}

function variationOf(shop: WooShop, parentId: number, id: number, notFoundStatus: number): ProductRecord {
  const v = shop.products.get(id);
  if (!v || v.type !== "variation" || v.parentId !== parentId) {
    throw new RestError(notFoundStatus, "woocommerce_rest_product_variation_invalid_id", "Invalid ID.");
  }
  return v;
}

export function parentProduct(shop: WooShop, parentId: number): ProductRecord {
  const parent = shop.products.get(parentId);
  if (!parent || parent.type === "variation") throw new RestError(404, "woocommerce_rest_product_invalid_id", "Invalid ID.");
  return parent;
}

export function getVariation(shop: WooShop, parentId: number, id: number): ProductRecord {
  return variationOf(shop, parentId, id, 404);
}

/** POST /products/{id}/variations */
export function createVariation(shop: WooShop, parentId: number, body: unknown): ProductRecord {
  const parent = parentProduct(shop, parentId);
  const input = asObject(body);
  const sku = (stringField(input, "sku") ?? "").trim();
  shop.assertSkuFree(sku);
  if (parent.type !== "variable") parent.type = "variable";
  const attributes = Array.isArray(input.attributes) ? parseVariationAttributes(parent, input.attributes) : [];
  const variation = shop.seedProduct({ type: "variation", parentId, variationAttributes: attributes, taxClass: "parent" });
  const fields = ["attributes"];
  applyCommon(shop, variation, input, fields);
  shop.recordWrite(variation, "create", fields);
  return variation;
}

/** PUT /products/{id}/variations/{vid} and batch updates. */
export function updateVariation(shop: WooShop, parentId: number, id: number, body: unknown, notFoundStatus: number): ProductRecord {
  const variation = variationOf(shop, parentId, id, notFoundStatus);
  const input = asObject(body);
  const fields: string[] = [];
  if (Array.isArray(input.attributes)) {
    const parent = shop.products.get(parentId);
    if (parent) variation.variationAttributes = parseVariationAttributes(parent, input.attributes);
    fields.push("attributes");
  }
  applyCommon(shop, variation, input, fields);
  shop.touch(variation);
  shop.recordWrite(variation, "update", fields);
  return variation;
}

export function deleteVariation(shop: WooShop, parentId: number, id: number, notFoundStatus = 404): ProductRecord {
  const variation = variationOf(shop, parentId, id, notFoundStatus);
  shop.products.delete(id);
  const parent = shop.products.get(parentId);
  if (parent) parent.variationIds = parent.variationIds.filter((v) => v !== id);
  shop.recordWrite(variation, "delete", []);
  return variation;
}

function parseAttributes(raw: unknown[]): ProductAttribute[] {
  return raw.map((a, position) => {
    const attr = a as { id?: number; name?: string; position?: number; visible?: boolean; variation?: boolean; options?: unknown[] };
    return {
      id: attr.id ?? 0,
      name: attr.name ?? "",
      slug: attr.name ?? "",
      position: attr.position ?? position,
      visible: attr.visible ?? false,
      variation: attr.variation ?? false,
      options: (attr.options ?? []).map(String),
    };
  });
}

function parseVariationAttributes(parent: ProductRecord, raw: unknown[]): VariationAttribute[] {
  return raw.map((a) => {
    const attr = a as { id?: number; name?: string; option?: string };
    const name = attr.name ?? "";
    return { id: attr.id ?? 0, name, slug: slugify(name), option: attr.option ?? "" };
  });
}
