/**
 * Rackbeat product → WooCommerce product or variation (design.md §4 "Product, Rackbeat →
 * WooCommerce"). Pure. Rackbeat prices are excl. VAT and Rackbeat takes VAT from the product
 * group: a shop that enters prices incl. tax gets the group's domestic rate added.
 */
import { Money } from "../../lib/money.js";
import type { RackbeatProduct } from "../../rackbeat/index.js";
import type { ProductSettings } from "../../settings/product-settings.js";
import type { ShopUnits, WooCatalogItem, WooProductCreate, WooProductPatch } from "./catalog.js";

/** Where the cost price lives in WooCommerce (no core field for it). */
export const COST_PRICE_META_KEY = "_rackbeat_cost_price";

export function grossPrice(netPrice: number, vatPercent: Money, units: Pick<ShopUnits, "pricesIncludeTax" | "priceDecimals">): string {
  const net = Money.fromNumber(netPrice);
  const gross = units.pricesIncludeTax ? net.times(Money.HUNDRED.plus(vatPercent)).dividedBy(Money.HUNDRED, units.priceDecimals) : net;
  return gross.toFixed(units.priceDecimals);
}

export function groupVat(product: Pick<RackbeatProduct, "group">): Money {
  const rate = product.group?.vat_domestic;
  return rate === undefined ? Money.ZERO : Money.fromNumber(rate);
}

const sameDecimal = (a: string, b: string) => {
  if (a.trim() === "" || b.trim() === "") return a.trim() === b.trim();
  return Money.parse(a.trim()).equals(Money.parse(b.trim()));
};

export interface RackbeatToWooInput {
  product: RackbeatProduct;
  settings: ProductSettings;
  units: ShopUnits;
}

/** Every field the toggles let Rackbeat set, as WooCommerce would store them. */
export function wooFieldsFromRackbeat({ product, settings, units }: RackbeatToWooInput): WooProductPatch {
  const f = settings.fields;
  const fields: WooProductPatch = {};
  if (f.name) fields.name = product.name;
  if (f.description) fields.description = product.description ?? "";
  if (f.salesPrice) fields.regular_price = grossPrice(product.sales_price, groupVat(product), units);
  if (f.weight) {
    const w = product.physical?.weight;
    fields.weight = w === null || w === undefined ? "" : Money.fromNumber(w).toString();
  }
  if (f.ean) fields.global_unique_id = product.barcode ?? "";
  if (f.costPrice) {
    const cost = product.cost_price ?? product.recommended_cost_price;
    if (cost !== null && cost !== undefined) fields.meta_data = [{ key: COST_PRICE_META_KEY, value: Money.fromNumber(cost).toString() }];
  }
  return fields;
}

/**
 * The patch that brings a WooCommerce item in line with its Rackbeat product: changed fields only,
 * so an unchanged product costs no write. Status: barred → private (or draft, per setting); a
 * product the bridge had barred goes back to published once Rackbeat unbars it. Never deleted.
 */
export function wooPatchFromRackbeat(
  input: RackbeatToWooInput & { current: WooCatalogItem; barredByBridge: boolean },
): WooProductPatch {
  const { current } = input;
  const wanted = wooFieldsFromRackbeat(input);
  const patch: WooProductPatch = {};
  if (wanted.name !== undefined && wanted.name !== current.name) patch.name = wanted.name;
  if (wanted.description !== undefined && wanted.description !== current.description) patch.description = wanted.description;
  if (wanted.regular_price !== undefined && !sameDecimal(wanted.regular_price, current.regularPrice)) patch.regular_price = wanted.regular_price;
  if (wanted.weight !== undefined && !sameDecimal(wanted.weight, current.weight)) patch.weight = wanted.weight;
  if (wanted.global_unique_id !== undefined && wanted.global_unique_id !== (current.ean ?? "")) patch.global_unique_id = wanted.global_unique_id;
  if (wanted.meta_data && !sameDecimal(wanted.meta_data[0]?.value ?? "", current.costPrice)) patch.meta_data = wanted.meta_data;
  // Variations have no "private" of their own in the listing sense; WooCommerce accepts private for them too.
  if (input.product.is_barred) {
    const barredStatus = input.settings.barredInRackbeat;
    if (current.status !== barredStatus && current.status !== "trash") patch.status = barredStatus;
  } else if (input.barredByBridge && current.status !== "publish") {
    patch.status = "publish";
  }
  return patch;
}

/** A new simple product for a Rackbeat product the shop does not have. */
export function newWooProductFromRackbeat(input: RackbeatToWooInput): WooProductCreate {
  const fields = wooFieldsFromRackbeat(input);
  const status = input.product.is_barred ? input.settings.barredInRackbeat : input.settings.newProductsFromRackbeat;
  return { ...fields, type: "simple", sku: String(input.product.number), name: input.product.name, status };
}
