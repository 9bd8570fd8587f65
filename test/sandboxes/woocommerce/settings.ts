/**
 * `/wc/v3/settings/general` and `/wc/v3/settings/tax`: the options that decide money.
 * [recorded] configs/<name>/settings-tax.json and settings-general-selected.json (labels, types,
 * defaults, values — booleans as "yes"/"no", decimals as a string).
 */
import { RestError } from "./rest-error.js";
import type { WooShop } from "./shop-state.js";
import type { ShopSettings } from "./shop-model.js";

interface SettingDef {
  id: string;
  label: string;
  description: string;
  type: string;
  default: string;
  options?: Record<string, string>;
  tip?: string;
  get: (s: ShopSettings, shop: WooShop) => string;
  set?: (value: string) => Partial<ShopSettings>;
}

const yesNo = (v: boolean): string => (v ? "yes" : "no");
const isYes = (v: string): boolean => v === "yes" || v === "1" || v === "true";

const GENERAL: SettingDef[] = [
  { id: "woocommerce_store_address", label: "Address line 1", description: "The street address for your business location.", type: "text", default: "", tip: "The street address for your business location.", get: (s) => s.storeAddress, set: (v) => ({ storeAddress: v }) },
  { id: "woocommerce_store_address_2", label: "Address line 2", description: "An additional, optional address line for your business location.", type: "text", default: "", tip: "An additional, optional address line for your business location.", get: (s) => s.storeAddress2, set: (v) => ({ storeAddress2: v }) },
  { id: "woocommerce_store_city", label: "City", description: "The city in which your business is located.", type: "text", default: "", tip: "The city in which your business is located.", get: (s) => s.storeCity, set: (v) => ({ storeCity: v }) },
  { id: "woocommerce_default_country", label: "Country / State", description: "The country and state or province, if any, in which your business is located.", type: "select", default: "US:CA", tip: "The country and state or province, if any, in which your business is located.", get: (s) => s.defaultCountry, set: (v) => ({ defaultCountry: v }) },
  { id: "woocommerce_store_postcode", label: "Postcode / ZIP", description: "The postal code, if any, in which your business is located.", type: "text", default: "", tip: "The postal code, if any, in which your business is located.", get: (s) => s.storePostcode, set: (v) => ({ storePostcode: v }) },
  { id: "woocommerce_currency", label: "Currency", description: "This controls what currency prices are listed at in the catalog and which currency gateways will take payments in.", type: "select", default: "USD", tip: "This controls what currency prices are listed at in the catalog and which currency gateways will take payments in.", get: (s) => s.currency, set: (v) => ({ currency: v }) },
  { id: "woocommerce_currency_pos", label: "Currency position", description: "This controls the position of the currency symbol.", type: "select", default: "left", options: { left: "Left", right: "Right", left_space: "Left with space", right_space: "Right with space" }, tip: "This controls the position of the currency symbol.", get: (s) => s.currencyPosition, set: (v) => ({ currencyPosition: v as ShopSettings["currencyPosition"] }) },
  { id: "woocommerce_price_thousand_sep", label: "Thousand separator", description: "This sets the thousand separator of displayed prices.", type: "text", default: ",", tip: "This sets the thousand separator of displayed prices.", get: (s) => s.thousandSeparator, set: (v) => ({ thousandSeparator: v }) },
  { id: "woocommerce_price_decimal_sep", label: "Decimal separator", description: "This sets the decimal separator of displayed prices.", type: "text", default: ".", tip: "This sets the decimal separator of displayed prices.", get: (s) => s.decimalSeparator, set: (v) => ({ decimalSeparator: v }) },
  { id: "woocommerce_price_num_decimals", label: "Number of decimals", description: "This sets the number of decimal points shown in displayed prices.", type: "number", default: "2", tip: "This sets the number of decimal points shown in displayed prices.", get: (s) => String(s.priceDecimals), set: (v) => ({ priceDecimals: Math.max(0, Math.trunc(Number(v) || 0)) }) },
  { id: "woocommerce_calc_taxes", label: "Enable taxes", description: "Enable tax rates and calculations", type: "checkbox", default: "no", tip: "Rates will be configurable and taxes will be calculated during checkout.", get: (s) => yesNo(s.calcTaxes), set: (v) => ({ calcTaxes: isYes(v) }) },
  { id: "woocommerce_calc_discounts_sequentially", label: "", description: "Calculate coupon discounts sequentially", type: "checkbox", default: "no", tip: "When applying multiple coupons, apply the first coupon to the full price and the second coupon to the discounted price and so on.", get: (s) => yesNo(s.calcDiscountsSequentially), set: (v) => ({ calcDiscountsSequentially: isYes(v) }) },
];

const TAX: SettingDef[] = [
  { id: "woocommerce_prices_include_tax", label: "Prices entered with tax", description: "", type: "radio", default: "no", options: { yes: "Yes, I will enter prices inclusive of tax", no: "No, I will enter prices exclusive of tax" }, tip: "This option is important as it will affect how you input prices. Changing it will not update existing products.", get: (s) => yesNo(s.pricesIncludeTax), set: (v) => ({ pricesIncludeTax: isYes(v) }) },
  { id: "woocommerce_tax_based_on", label: "Calculate tax based on", description: "", type: "select", default: "shipping", options: { shipping: "Customer shipping address", billing: "Customer billing address", base: "Shop base address" }, tip: "This option determines which address is used to calculate tax.", get: (s) => s.taxBasedOn, set: (v) => ({ taxBasedOn: v as ShopSettings["taxBasedOn"] }) },
  { id: "woocommerce_shipping_tax_class", label: "Shipping tax class", description: "Optionally control which tax class shipping gets, or leave it so shipping tax is based on the cart items themselves.", type: "select", default: "inherit", tip: "Optionally control which tax class shipping gets, or leave it so shipping tax is based on the cart items themselves.", get: (s) => s.shippingTaxClass, set: (v) => ({ shippingTaxClass: v }) },
  { id: "woocommerce_tax_round_at_subtotal", label: "Rounding", description: "Round tax at subtotal level, instead of rounding per line", type: "checkbox", default: "no", get: (s) => yesNo(s.taxRoundAtSubtotal), set: (v) => ({ taxRoundAtSubtotal: isYes(v) }) },
  { id: "woocommerce_tax_classes", label: "Additional tax classes", description: "", type: "textarea", default: "", tip: 'List additional tax classes you need below (1 per line, e.g. Reduced Rates). These are in addition to "Standard rate" which exists by default.', get: () => "" },
  { id: "woocommerce_tax_display_shop", label: "Display prices in the shop", description: "", type: "select", default: "excl", options: { incl: "Including tax", excl: "Excluding tax" }, get: (s) => s.taxDisplayShop, set: (v) => ({ taxDisplayShop: v === "incl" ? "incl" : "excl" }) },
  { id: "woocommerce_tax_display_cart", label: "Display prices during cart and checkout", description: "", type: "select", default: "excl", options: { incl: "Including tax", excl: "Excluding tax" }, get: (s) => s.taxDisplayCart, set: (v) => ({ taxDisplayCart: v === "incl" ? "incl" : "excl" }) },
  { id: "woocommerce_price_display_suffix", label: "Price display suffix", description: "", type: "text", default: "", tip: 'Define text to show after your product prices. This could be, for example, "inc. Vat" to explain your pricing. You can also have prices substituted here using one of the following: {price_including_tax}, {price_excluding_tax}.', get: () => "" },
  { id: "woocommerce_tax_total_display", label: "Display tax totals", description: "", type: "select", default: "itemized", options: { single: "As a single total", itemized: "Itemized" }, get: (s) => s.taxTotalDisplay, set: (v) => ({ taxTotalDisplay: v === "single" ? "single" : "itemized" }) },
];

function defs(group: string): SettingDef[] {
  if (group === "general") return GENERAL;
  if (group === "tax") return TAX;
  throw new RestError(404, "rest_setting_setting_group_invalid", "Invalid setting group.");
}

function json(shop: WooShop, siteUrl: string, group: string, def: SettingDef, withGroup: boolean): Record<string, unknown> {
  const options =
    def.id === "woocommerce_shipping_tax_class"
      ? { inherit: "Shipping tax class based on cart items", "": "Standard", ...Object.fromEntries(shop.taxClasses.map((c) => [c.slug, c.name])) }
      : def.options;
  const out: Record<string, unknown> = { id: def.id, label: def.label, description: def.description, type: def.type, default: def.default };
  if (options) out.options = options;
  if (def.tip !== undefined) out.tip = def.tip;
  out.value = def.get(shop.settings, shop);
  if (withGroup) out.group_id = group;
  out._links = {
    self: [{ href: `${siteUrl}/wp-json/wc/v3/settings/${group}/${def.id}`, targetHints: { allow: ["GET", "POST", "PUT", "PATCH"] } }],
    collection: [{ href: `${siteUrl}/wp-json/wc/v3/settings/${group}` }],
  };
  return out;
}

export function settingsGroup(shop: WooShop, siteUrl: string, group: string): Record<string, unknown>[] {
  return defs(group).map((d) => json(shop, siteUrl, group, d, group === "general"));
}

export function settingsItem(shop: WooShop, siteUrl: string, group: string, id: string): Record<string, unknown> {
  const def = defs(group).find((d) => d.id === id);
  if (!def) throw new RestError(404, "rest_setting_setting_invalid", "Invalid setting.");
  return json(shop, siteUrl, group, def, true);
}

export function updateSetting(shop: WooShop, siteUrl: string, group: string, id: string, value: unknown): Record<string, unknown> {
  const def = defs(group).find((d) => d.id === id);
  if (!def) throw new RestError(404, "rest_setting_setting_invalid", "Invalid setting.");
  if (def.set && value !== undefined && value !== null) shop.configure(def.set(String(value)));
  return json(shop, siteUrl, group, def, true);
}
