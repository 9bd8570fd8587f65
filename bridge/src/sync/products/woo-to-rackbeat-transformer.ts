/**
 * WooCommerce product or variation → Rackbeat product (design.md §4 "Product, WooCommerce →
 * Rackbeat"). Pure: the caller brings the shop's units, the field toggles and the product group
 * with its VAT rate.
 */
import { Money } from "../../lib/money.js";
import type { ProductCreate, ProductUpdate } from "../../rackbeat/index.js";
import type { ProductSettings } from "../../settings/product-settings.js";
import type { ShopUnits, WooCatalogItem } from "./catalog.js";

/** Net prices keep 4 decimals, so adding the VAT back always gives the shop's 2-decimal gross price. */
export const NET_PRICE_DECIMALS = 4;

export class NoProductGroup extends Error {
  constructor(readonly taxClass: string) {
    super(
      `no Rackbeat product group is set for the tax class ${taxClass === "" ? "Standard" : JSON.stringify(taxClass)} and there is no default group: choose one under Products → Product groups`,
    );
    this.name = "NoProductGroup";
  }
}

/** The Rackbeat product group a tax class maps to, or NoProductGroup. */
export function productGroupFor(settings: ProductSettings, taxClass: string): number {
  const mapped = settings.productGroups.byTaxClass[taxClass] ?? settings.productGroups.default;
  if (mapped === null || mapped === undefined) throw new NoProductGroup(taxClass);
  return mapped;
}

/** A variation's "parent" tax class resolves to its product's class. */
export function effectiveTaxClass(item: WooCatalogItem, parent?: WooCatalogItem): string {
  return item.taxClass === "parent" ? (parent?.taxClass ?? "") : item.taxClass;
}

/** Rackbeat prices are excl. VAT: a shop that enters prices incl. tax has the VAT taken off. */
export function netSalesPrice(item: Pick<WooCatalogItem, "regularPrice" | "taxStatus">, units: Pick<ShopUnits, "pricesIncludeTax">, vatPercent: Money): Money {
  const gross = item.regularPrice.trim() === "" ? Money.ZERO : Money.parse(item.regularPrice.trim());
  if (!units.pricesIncludeTax || item.taxStatus !== "taxable" || vatPercent.isZero()) return gross;
  const factor = Money.HUNDRED.plus(vatPercent);
  return gross.times(Money.HUNDRED).dividedBy(factor, NET_PRICE_DECIMALS);
}

export interface WooToRackbeatInput {
  item: WooCatalogItem;
  parent?: WooCatalogItem | undefined;
  settings: ProductSettings;
  units: ShopUnits;
  group: { number: number; vatDomestic: Money };
}

/** A variation is named after its product and its options (WooCommerce already does so in `name`). */
function displayName(item: WooCatalogItem, parent?: WooCatalogItem): string {
  const name = item.name.trim() || parent?.name.trim() || item.sku;
  return [...name].slice(0, 255).join("");
}

/**
 * The full Rackbeat product for a WooCommerce item: what a create sends. Required fields (number,
 * name, sales price, group) are always present; optional ones only when their toggle is on.
 */
export function wooToRackbeatProduct(input: WooToRackbeatInput): ProductCreate {
  const { item, parent, settings, units, group } = input;
  const f = settings.fields;
  const product: ProductCreate = {
    number: item.sku,
    name: displayName(item, parent),
    sales_price: netSalesPrice(item, units, group.vatDomestic).toNumber(),
    group: group.number,
  };
  if (f.description) product.description = item.description;
  if (f.ean && item.ean !== null) product.barcode = item.ean;
  if (f.weight && item.weight.trim() !== "") {
    product.physical = { weight: Money.parse(item.weight.trim()).round(2).toNumber(), weight_unit: units.weightUnit };
  }
  return product;
}

/** The fields of an existing Rackbeat product the bridge compares before writing. */
export interface RackbeatComparable {
  number: string;
  name?: string | undefined;
  sales_price?: number | undefined;
  description?: string | null | undefined;
  barcode?: string | null | undefined;
  group_id?: number | null | undefined;
  physical?: { weight?: number | null | undefined; weight_unit?: string | null | undefined } | null | undefined;
  is_barred?: boolean | undefined;
}

const sameMoney = (a: number | undefined, b: number | undefined) =>
  a !== undefined && b !== undefined && Money.fromNumber(a).equals(Money.fromNumber(b));

/**
 * The update that brings `current` to `wanted`, per the field toggles: only fields that differ, so
 * an unchanged product costs no write (and fires nothing in Rackbeat). Empty when nothing changed.
 * A product barred earlier (deleted in the shop, then restored) is unbarred.
 */
export function rackbeatProductPatch(current: RackbeatComparable, wanted: ProductCreate, settings: ProductSettings): ProductUpdate {
  const f = settings.fields;
  const patch: ProductUpdate = {};
  if (f.name && current.name !== wanted.name) patch.name = wanted.name;
  if (f.salesPrice && !sameMoney(current.sales_price, wanted.sales_price)) patch.sales_price = wanted.sales_price;
  if (f.description && wanted.description !== undefined && (current.description ?? "") !== wanted.description) patch.description = wanted.description;
  if (f.ean && wanted.barcode !== undefined && (current.barcode ?? "") !== wanted.barcode) patch.barcode = wanted.barcode;
  if (current.group_id !== undefined && current.group_id !== wanted.group) patch.group = wanted.group;
  if (f.weight && wanted.physical?.weight !== undefined) {
    const w = current.physical?.weight;
    if (w === null || w === undefined || !sameMoney(w, wanted.physical.weight) || current.physical?.weight_unit !== wanted.physical.weight_unit) {
      patch.physical = wanted.physical;
    }
  }
  if (current.is_barred === true) patch.is_barred = false;
  return patch;
}

/** True when the patch would change nothing. */
export function isEmptyPatch(patch: ProductUpdate): boolean {
  return Object.keys(patch).length === 0;
}
