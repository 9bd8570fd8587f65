/**
 * The sandbox shop's data: settings, tax rates, shipping zones, coupons, products, customers and
 * orders, in the units WooCommerce stores them (money as exact decimals, dates as epoch ms).
 */
import type { Dec } from "./php-math.js";

export type TaxBasedOn = "shipping" | "billing" | "base";

export interface ShopSettings {
  currency: string;
  currencySymbol: string;
  currencyPosition: "left" | "right" | "left_space" | "right_space";
  thousandSeparator: string;
  decimalSeparator: string;
  /** woocommerce_price_num_decimals */
  priceDecimals: number;
  /** woocommerce_calc_taxes */
  calcTaxes: boolean;
  /** woocommerce_prices_include_tax */
  pricesIncludeTax: boolean;
  /** woocommerce_tax_round_at_subtotal */
  taxRoundAtSubtotal: boolean;
  taxBasedOn: TaxBasedOn;
  /** "inherit" or a tax class slug ("" = standard). */
  shippingTaxClass: string;
  taxDisplayShop: "incl" | "excl";
  taxDisplayCart: "incl" | "excl";
  taxTotalDisplay: "itemized" | "single";
  /** woocommerce_calc_discounts_sequentially */
  calcDiscountsSequentially: boolean;
  /** woocommerce_adjust_non_base_location_prices filter (default true). */
  adjustNonBaseLocationPrices: boolean;
  storeAddress: string;
  storeAddress2: string;
  storeCity: string;
  storePostcode: string;
  /** woocommerce_default_country, "DK" or "US:CA". */
  defaultCountry: string;
  /** woocommerce_manage_stock */
  manageStock: boolean;
  /** woocommerce_notify_no_stock_amount */
  noStockAmount: number;
}

export interface TaxClass {
  slug: string;
  name: string;
}

export interface TaxRate {
  id: number;
  country: string;
  state: string;
  postcode: string;
  city: string;
  /** As stored, e.g. "25.0000". */
  rate: string;
  name: string;
  priority: number;
  compound: boolean;
  shipping: boolean;
  order: number;
  /** "" for the standard class, else the class slug. */
  taxClass: string;
}

export interface ShippingMethod {
  instanceId: number;
  methodId: string;
  title: string;
  /** Flat-rate cost, net of tax (as entered). */
  cost: string;
  taxStatus: "taxable" | "none";
}

export interface ShippingZone {
  id: number;
  name: string;
  /** ISO country codes the zone covers. */
  countries: string[];
  methods: ShippingMethod[];
}

export type CouponType = "percent" | "fixed_cart" | "fixed_product";

export interface Coupon {
  id: number;
  /** Lower case, as WooCommerce stores it. */
  code: string;
  discountType: CouponType;
  /** As stored, e.g. "33.33". */
  amount: string;
  productIds: number[];
  excludedProductIds: number[];
  limitUsageToXItems: number | null;
  usageCount: number;
  freeShipping: boolean;
}

export interface MetaEntry {
  id: number;
  key: string;
  value: unknown;
}

export interface ProductAttribute {
  id: number;
  name: string;
  slug: string;
  position: number;
  visible: boolean;
  variation: boolean;
  options: string[];
}

export interface VariationAttribute {
  id: number;
  name: string;
  slug: string;
  option: string;
}

export type ProductType = "simple" | "variable" | "variation" | "grouped" | "external";

export interface ProductRecord {
  id: number;
  type: ProductType;
  parentId: number;
  name: string;
  slug: string;
  status: "publish" | "draft" | "pending" | "private";
  sku: string;
  regularPrice: string;
  salePrice: string;
  taxStatus: "taxable" | "shipping" | "none";
  /** "" standard, a slug, or "parent" (variations only). */
  taxClass: string;
  manageStock: boolean;
  stockQuantity: number | null;
  stockStatus: "instock" | "outofstock" | "onbackorder";
  backorders: "no" | "notify" | "yes";
  lowStockAmount: number | null;
  virtual: boolean;
  downloadable: boolean;
  weight: string;
  dimensions: { length: string; width: string; height: string };
  description: string;
  shortDescription: string;
  /** Product attributes (simple/variable) */
  attributes: ProductAttribute[];
  /** Variation attributes (variations only) */
  variationAttributes: VariationAttribute[];
  variationIds: number[];
  metaData: MetaEntry[];
  menuOrder: number;
  totalSales: number;
  dateCreated: number;
  dateModified: number;
  globalUniqueId: string;
}

export interface Address {
  first_name: string;
  last_name: string;
  company: string;
  address_1: string;
  address_2: string;
  city: string;
  state: string;
  postcode: string;
  country: string;
  email?: string;
  phone: string;
}

export interface CustomerRecord {
  id: number;
  email: string;
  firstName: string;
  lastName: string;
  username: string;
  role: string;
  billing: Address;
  shipping: Address;
  metaData: MetaEntry[];
  dateCreated: number;
  dateModified: number;
}

/** Taxes per rate id, in rate order. */
export type TaxMap = Map<number, Dec>;

export interface ItemMeta {
  id: number;
  key: string;
  value: string;
  displayKey: string;
  displayValue: string;
}

export interface LineItemRecord {
  id: number;
  name: string;
  productId: number;
  variationId: number;
  quantity: number;
  taxClass: string;
  /** Tax status of the product at the time (WC_Order_Item_Product::get_tax_status). */
  taxStatus: "taxable" | "shipping" | "none";
  subtotal: Dec;
  subtotalTax: Dec;
  total: Dec;
  totalTax: Dec;
  taxes: { total: TaxMap; subtotal: TaxMap };
  metaData: ItemMeta[];
  sku: string;
  parentName: string | null;
  reducedStock: number | null;
}

export interface FeeLineRecord {
  id: number;
  name: string;
  taxClass: string;
  taxStatus: "taxable" | "none";
  amount: string;
  total: Dec;
  totalTax: Dec;
  taxes: { total: TaxMap };
  metaData: ItemMeta[];
}

export interface ShippingLineRecord {
  id: number;
  methodTitle: string;
  methodId: string;
  instanceId: string;
  total: Dec;
  totalTax: Dec;
  taxes: { total: TaxMap };
  taxStatus: "taxable" | "none";
  metaData: ItemMeta[];
}

export interface CouponLineRecord {
  id: number;
  code: string;
  discount: Dec;
  discountTax: Dec;
  discountType: CouponType;
  nominalAmount: Dec;
  freeShipping: boolean;
  metaData: ItemMeta[];
}

export interface TaxLineRecord {
  id: number;
  rateId: number;
  rateCode: string;
  label: string;
  compound: boolean;
  ratePercent: number;
  taxTotal: Dec;
  shippingTaxTotal: Dec;
}

export type OrderStatus =
  | "auto-draft"
  | "checkout-draft"
  | "pending"
  | "processing"
  | "on-hold"
  | "completed"
  | "cancelled"
  | "refunded"
  | "failed"
  | "trash";

export interface OrderNoteRecord {
  id: number;
  author: string;
  dateCreated: number;
  note: string;
  customerNote: boolean;
}

export interface OrderRecord {
  id: number;
  parentId: number;
  status: OrderStatus;
  currency: string;
  version: string;
  pricesIncludeTax: boolean;
  dateCreated: number;
  dateModified: number;
  dateCompleted: number | null;
  datePaid: number | null;
  discountTotal: Dec;
  discountTax: Dec;
  shippingTotal: Dec;
  shippingTax: Dec;
  cartTax: Dec;
  total: Dec;
  totalTax: Dec;
  customerId: number;
  orderKey: string;
  billing: Address;
  shipping: Address;
  paymentMethod: string;
  paymentMethodTitle: string;
  transactionId: string;
  customerIpAddress: string;
  customerUserAgent: string;
  createdVia: string;
  customerNote: string;
  cartHash: string;
  metaData: MetaEntry[];
  lineItems: LineItemRecord[];
  taxLines: TaxLineRecord[];
  shippingLines: ShippingLineRecord[];
  feeLines: FeeLineRecord[];
  couponLines: CouponLineRecord[];
  notes: OrderNoteRecord[];
  /** _order_stock_reduced */
  stockReduced: boolean;
  /** _recorded_sales */
  recordedSales: boolean;
}

export function emptyAddress(withEmail: boolean): Address {
  const a: Address = {
    first_name: "",
    last_name: "",
    company: "",
    address_1: "",
    address_2: "",
    city: "",
    state: "",
    postcode: "",
    country: "",
    phone: "",
  };
  if (withEmail) a.email = "";
  return a;
}
