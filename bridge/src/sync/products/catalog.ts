/**
 * The bridge's own view of a WooCommerce catalogue, as the product sync and the initial sync need
 * it. The WooCommerce REST adapter implements `WooCatalog`; the sync never sees REST shapes, so
 * tests and other shop platforms can supply their own.
 */

export interface WooCatalogItem {
  id: number;
  /** The variable product a variation belongs to; null for products. */
  parentId: number | null;
  type: "simple" | "variable" | "variation" | "grouped" | "external";
  /** publish, draft, pending, private, trash. */
  status: string;
  sku: string;
  name: string;
  description: string;
  /** Decimal string as WooCommerce stores it ("" when unset). */
  regularPrice: string;
  taxStatus: "taxable" | "shipping" | "none";
  /** "" is the standard class; variations may say "parent". */
  taxClass: string;
  /** Decimal string in the shop's weight unit ("" when unset). */
  weight: string;
  /** EAN / GTIN (`global_unique_id`); null when the shop's answer does not carry it. */
  ean: string | null;
  manageStock: boolean;
  stockQuantity: number | null;
  /** Cost price kept in meta by the Rackbeat → WooCommerce direction, if any. */
  costPrice: string;
  /** RFC 3339 UTC. */
  dateModified: string;
}

/** The statuses the bridge sets (never "trash": products are not deleted). */
export type WooProductStatus = "publish" | "draft" | "pending" | "private";

/** Fields the bridge writes to a WooCommerce product or variation. */
export interface WooProductPatch {
  name?: string;
  description?: string;
  regular_price?: string;
  weight?: string;
  global_unique_id?: string;
  status?: WooProductStatus;
  sku?: string;
  meta_data?: { key: string; value: string }[];
}

export interface WooProductCreate extends WooProductPatch {
  type: "simple";
  sku: string;
  name: string;
  status: WooProductStatus;
}

export interface WooCatalogPage {
  items: WooCatalogItem[];
  /** Top-level products in the whole listing (X-WP-Total). */
  total: number;
  totalPages: number;
}

export interface ShopUnits {
  /** woocommerce_prices_include_tax */
  pricesIncludeTax: boolean;
  /** woocommerce_weight_unit: kg, g, lbs, oz. */
  weightUnit: string;
  /** woocommerce_price_num_decimals */
  priceDecimals: number;
}

export interface WooCatalog {
  /** Top-level products (not variations) ordered by id ascending; `modifiedAfter` for periodic passes. */
  productsPage(page: number, perPage: number, options?: { modifiedAfter?: string; signal?: AbortSignal }): Promise<WooCatalogPage>;
  /** Every variation of a variable product. */
  variationsOf(parentId: number, options?: { signal?: AbortSignal }): Promise<WooCatalogItem[]>;
  /** A product or a variation by id; undefined when WooCommerce has none (deleted). */
  item(id: number, parentId?: number | null): Promise<WooCatalogItem | undefined>;
  /** Products and variations whose SKU is exactly `sku`. */
  findBySku(sku: string): Promise<WooCatalogItem[]>;
  update(item: Pick<WooCatalogItem, "id" | "parentId">, patch: WooProductPatch): Promise<void>;
  create(input: WooProductCreate): Promise<WooCatalogItem>;
  units(): Promise<ShopUnits>;
}

/** Opens a shop's catalogue (its REST keys come from the store). */
export type WooCatalogFactory = (shopId: string) => Promise<WooCatalog>;
