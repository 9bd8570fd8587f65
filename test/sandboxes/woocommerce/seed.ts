/**
 * Inputs for seeding the sandbox directly (control API), without going through REST writes —
 * so seeding never counts as a write by the bridge.
 */
import type { MetaEntry, ProductAttribute, ProductRecord, ProductType, VariationAttribute } from "./shop-model.js";

export interface SeedProduct {
  /** Fixed id (e.g. to mirror the recorded shop); otherwise the next free id. */
  id?: number;
  type?: ProductType;
  /** Variations: the variable parent. */
  parentId?: number;
  name?: string;
  slug?: string;
  status?: ProductRecord["status"];
  sku?: string;
  regularPrice?: string;
  salePrice?: string;
  taxStatus?: ProductRecord["taxStatus"];
  taxClass?: string;
  manageStock?: boolean;
  stockQuantity?: number | null;
  stockStatus?: ProductRecord["stockStatus"];
  backorders?: ProductRecord["backorders"];
  virtual?: boolean;
  downloadable?: boolean;
  weight?: string;
  /** EAN / GTIN (global_unique_id). */
  globalUniqueId?: string;
  description?: string;
  shortDescription?: string;
  attributes?: ProductAttribute[];
  variationAttributes?: VariationAttribute[];
  metaData?: Omit<MetaEntry, "id">[];
  dateCreated?: number;
}

export function slugify(text: string): string {
  const map: Record<string, string> = { æ: "ae", ø: "o", å: "a", ä: "a", ö: "o", ü: "u", é: "e", è: "e", ß: "ss" };
  return text
    .toLowerCase()
    .split("")
    .map((ch) => map[ch] ?? ch)
    .join("")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** Stock status WooCommerce derives when stock is managed (wc_update_product_stock / validate_props). */
export function derivedStockStatus(
  product: Pick<ProductRecord, "manageStock" | "stockQuantity" | "backorders" | "stockStatus">,
  noStockAmount: number,
): ProductRecord["stockStatus"] {
  if (!product.manageStock || product.stockQuantity === null) return product.stockStatus;
  if (product.stockQuantity > noStockAmount) return "instock";
  return product.backorders === "no" ? "outofstock" : "onbackorder";
}
