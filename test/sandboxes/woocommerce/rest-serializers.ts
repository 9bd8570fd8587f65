/**
 * The JSON WooCommerce 10 answers for products, variations, orders, notes, customers, tax rates
 * and settings. Field sets and order follow the recordings (the configs folder's products files,
 * orders/*.json). Money strings are the stored values formatted to `dp` (default: the shop's
 * current decimals — README quirk 1); coupon lines show the raw stored value (quirk 7).
 */
import { Dec, formatDp, phpFloatString, phpRound } from "./php-math.js";
import { derivedTaxTotal } from "./order-math.js";
import type { WooShop } from "./shop-state.js";
import type { CustomerRecord, ItemMeta, OrderNoteRecord, OrderRecord, ProductRecord, TaxMap, TaxRate } from "./shop-model.js";

export interface SerializeContext {
  shop: WooShop;
  /** Site URL used in links, e.g. http://127.0.0.1:8080 (no trailing slash). */
  siteUrl: string;
  /** Decimals for money strings (the `dp` query parameter). */
  dp: number;
  /** Scheme the request came in over (payment_url uses it). */
  scheme: "http" | "https";
}

const CURRENCY_SYMBOLS: Record<string, string> = {
  DKK: "kr.",
  SEK: "&#107;&#114;",
  NOK: "&#107;&#114;",
  EUR: "&euro;",
  USD: "&#36;",
  GBP: "&pound;",
};

export function currencySymbol(currency: string): string {
  return CURRENCY_SYMBOLS[currency] ?? currency;
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&euro;/g, "€")
    .replace(/&pound;/g, "£")
    .replace(/&amp;/g, "&");
}

/** WordPress dates: "2026-11-25T12:28:44" (site time zone is UTC in the sandbox). */
export function wpDate(ms: number | null): string | null {
  if (ms === null) return null;
  return new Date(ms).toISOString().slice(0, 19);
}

function link(href: string, allow?: string[]): Record<string, unknown> {
  return allow ? { href, targetHints: { allow } } : { href };
}

const ITEM_ALLOW = ["GET", "POST", "PUT", "PATCH", "DELETE"];

// ------------------------------------------------------------------------------------------ money

function wcPriceHtml(ctx: SerializeContext, amount: string, ariaHidden = false): string {
  const s = ctx.shop.settings;
  const value = phpRound(new Dec(amount || "0"), s.priceDecimals);
  const [int = "0", frac = ""] = value.abs().toFixed(s.priceDecimals).split(".");
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, s.thousandSeparator);
  const number = `${value.isNeg() ? "-" : ""}${grouped}${frac ? s.decimalSeparator + frac : ""}`;
  const symbol = `<span class="woocommerce-Price-currencySymbol">${currencySymbol(s.currency)}</span>`;
  const formatted =
    s.currencyPosition === "left"
      ? `${symbol}${number}`
      : s.currencyPosition === "left_space"
        ? `${symbol}&nbsp;${number}`
        : s.currencyPosition === "right"
          ? `${number}${symbol}`
          : `${number}&nbsp;${symbol}`;
  return `<span class="woocommerce-Price-amount amount"${ariaHidden ? ' aria-hidden="true"' : ""}><bdi>${formatted}</bdi></span>`;
}

function plainPrice(ctx: SerializeContext, amount: string): string {
  return wcPriceHtml(ctx, amount).replace(/<[^>]+>/g, "");
}

function priceHtml(ctx: SerializeContext, p: ProductRecord): string {
  const shop = ctx.shop;
  if (p.type === "variable") {
    const prices = p.variationIds
      .map((id) => shop.products.get(id))
      .filter((v): v is ProductRecord => !!v && shop.productPrice(v) !== "")
      .map((v) => shop.productPrice(v));
    if (prices.length === 0) return "";
    const sorted = [...prices].sort((a, b) => new Dec(a).comparedTo(new Dec(b)));
    const min = sorted[0] ?? "";
    const max = sorted[sorted.length - 1] ?? "";
    if (new Dec(min).eq(new Dec(max))) return wcPriceHtml(ctx, min);
    return `${wcPriceHtml(ctx, min, true)} <span aria-hidden="true">&ndash;</span> ${wcPriceHtml(ctx, max, true)}<span class="screen-reader-text">Price range: ${plainPrice(ctx, min)} through ${plainPrice(ctx, max)}</span>`;
  }
  const price = shop.productPrice(p);
  if (price === "") return "";
  if (p.salePrice !== "" && p.regularPrice !== "") {
    return `<del aria-hidden="true">${wcPriceHtml(ctx, p.regularPrice)}</del> <span class="screen-reader-text">Original price was: ${plainPrice(ctx, p.regularPrice)}.</span><ins aria-hidden="true">${wcPriceHtml(ctx, p.salePrice)}</ins><span class="screen-reader-text">Current price is: ${plainPrice(ctx, p.salePrice)}.</span>`;
  }
  return wcPriceHtml(ctx, price);
}

// ------------------------------------------------------------------------------------------ products

function metaJson(entries: { id: number; key: string; value: unknown }[]): { id: number; key: string; value: unknown }[] {
  return entries.map((m) => ({ id: m.id, key: m.key, value: m.value }));
}

function stockFields(p: ProductRecord): Record<string, unknown> {
  return {
    manage_stock: p.manageStock,
    stock_quantity: p.manageStock ? p.stockQuantity : null,
    backorders: p.backorders,
    backorders_allowed: p.backorders !== "no",
    backordered: false,
    low_stock_amount: p.lowStockAmount,
  };
}

/** GET /products/{id} (also used for variations found by `?sku=`, type "variation"). */
export function productJson(ctx: SerializeContext, p: ProductRecord): Record<string, unknown> {
  const shop = ctx.shop;
  const parent = shop.parentOf(p);
  const isVariation = p.type === "variation";
  const price = shop.productPrice(p);
  const taxClass = isVariation && p.taxClass === "parent" ? (parent?.taxClass ?? "") : p.taxClass;
  const permalink = isVariation && parent
    ? `${ctx.siteUrl}/product/${parent.slug}/?${p.variationAttributes.map((a) => `attribute_${a.slug}=${encodeURIComponent(a.option).replace(/%20/g, "+")}`).join("&")}`
    : `${ctx.siteUrl}/product/${p.slug}/`;
  const links: Record<string, unknown> = {
    self: [link(`${ctx.siteUrl}/wp-json/wc/v3/products/${p.id}`, ITEM_ALLOW)],
    collection: [link(`${ctx.siteUrl}/wp-json/wc/v3/products`)],
  };
  if (parent) links.up = [link(`${ctx.siteUrl}/wp-json/wc/v3/products/${parent.id}`)];
  return {
    id: p.id,
    name: p.name,
    slug: p.slug,
    permalink,
    date_created: wpDate(p.dateCreated),
    date_created_gmt: wpDate(p.dateCreated),
    date_modified: wpDate(p.dateModified),
    date_modified_gmt: wpDate(p.dateModified),
    type: p.type,
    status: p.status,
    featured: false,
    catalog_visibility: "visible",
    description: p.description,
    short_description: p.shortDescription,
    sku: p.sku,
    price,
    regular_price: p.type === "variable" ? "" : p.regularPrice,
    sale_price: p.type === "variable" ? "" : p.salePrice,
    date_on_sale_from: null,
    date_on_sale_from_gmt: null,
    date_on_sale_to: null,
    date_on_sale_to_gmt: null,
    on_sale: p.type === "variable" ? p.variationIds.some((id) => (shop.products.get(id)?.salePrice ?? "") !== "") : p.salePrice !== "",
    purchasable: price !== "" && p.status === "publish",
    total_sales: isVariation ? String(p.totalSales) : p.totalSales,
    virtual: p.virtual,
    downloadable: p.downloadable,
    downloads: [],
    download_limit: -1,
    download_expiry: -1,
    external_url: "",
    button_text: "",
    tax_status: p.taxStatus,
    tax_class: taxClass,
    ...stockFields(p),
    sold_individually: false,
    weight: p.weight,
    dimensions: { ...p.dimensions },
    shipping_required: !p.virtual,
    shipping_taxable: p.taxStatus === "taxable" || p.taxStatus === "shipping",
    shipping_class: "",
    shipping_class_id: 0,
    reviews_allowed: !isVariation,
    average_rating: "0.00",
    rating_count: 0,
    upsell_ids: [],
    cross_sell_ids: [],
    parent_id: p.parentId,
    purchase_note: "",
    categories: isVariation ? [] : [{ id: 15, name: "Uncategorized", slug: "uncategorized" }],
    brands: [],
    tags: [],
    images: [],
    attributes: isVariation ? p.variationAttributes.map((a) => ({ ...a })) : p.attributes.map((a) => ({ ...a, options: [...a.options] })),
    default_attributes: [],
    variations: [...p.variationIds],
    grouped_products: [],
    menu_order: p.menuOrder,
    price_html: priceHtml(ctx, p),
    related_ids: [],
    meta_data: metaJson(p.metaData),
    stock_status: p.stockStatus,
    has_options: p.type === "variable",
    post_password: "",
    global_unique_id: p.globalUniqueId,
    _links: links,
  };
}

/** GET /products/{parent}/variations/{id} — [recorded] its own field set; name = attribute options. */
export function variationJson(ctx: SerializeContext, v: ProductRecord): Record<string, unknown> {
  const parent = ctx.shop.parentOf(v);
  const parentId = parent?.id ?? v.parentId;
  return {
    id: v.id,
    type: "variation",
    date_created: wpDate(v.dateCreated),
    date_created_gmt: wpDate(v.dateCreated),
    date_modified: wpDate(v.dateModified),
    date_modified_gmt: wpDate(v.dateModified),
    description: v.description,
    permalink: parent
      ? `${ctx.siteUrl}/product/${parent.slug}/?${v.variationAttributes.map((a) => `attribute_${a.slug}=${encodeURIComponent(a.option).replace(/%20/g, "+")}`).join("&")}`
      : `${ctx.siteUrl}/?p=${v.id}`,
    sku: v.sku,
    global_unique_id: v.globalUniqueId,
    price: ctx.shop.productPrice(v),
    regular_price: v.regularPrice,
    sale_price: v.salePrice,
    date_on_sale_from: null,
    date_on_sale_from_gmt: null,
    date_on_sale_to: null,
    date_on_sale_to_gmt: null,
    on_sale: v.salePrice !== "",
    status: v.status,
    purchasable: ctx.shop.productPrice(v) !== "",
    virtual: v.virtual,
    downloadable: v.downloadable,
    downloads: [],
    download_limit: -1,
    download_expiry: -1,
    tax_status: v.taxStatus,
    tax_class: v.taxClass === "parent" ? (parent?.taxClass ?? "") : v.taxClass,
    manage_stock: v.manageStock,
    stock_quantity: v.manageStock ? v.stockQuantity : null,
    stock_status: v.stockStatus,
    backorders: v.backorders,
    backorders_allowed: v.backorders !== "no",
    backordered: false,
    low_stock_amount: v.lowStockAmount,
    weight: v.weight,
    dimensions: { ...v.dimensions },
    shipping_class: "",
    shipping_class_id: 0,
    image: null,
    attributes: v.variationAttributes.map((a) => ({ ...a })),
    menu_order: v.menuOrder,
    meta_data: metaJson(v.metaData),
    name: v.variationAttributes.map((a) => a.option).join(", "),
    parent_id: parentId,
    _links: {
      self: [link(`${ctx.siteUrl}/wp-json/wc/v3/products/${parentId}/variations/${v.id}`, ITEM_ALLOW)],
      collection: [link(`${ctx.siteUrl}/wp-json/wc/v3/products/${parentId}/variations`)],
      up: [link(`${ctx.siteUrl}/wp-json/wc/v3/products/${parentId}`)],
    },
  };
}

// ------------------------------------------------------------------------------------------ orders

function taxesJson(ctx: SerializeContext, total: TaxMap, subtotal?: TaxMap): { id: number; total: string; subtotal: string }[] {
  return [...total].map(([id, amount]) => {
    const sub = subtotal?.get(id);
    return { id, total: formatDp(amount, ctx.dp), subtotal: sub === undefined ? "" : formatDp(sub, ctx.dp) };
  });
}

function itemMetaJson(meta: ItemMeta[]): Record<string, unknown>[] {
  return meta.map((m) => ({ id: m.id, key: m.key, value: m.value, display_key: m.displayKey, display_value: m.displayValue }));
}

export function orderJson(ctx: SerializeContext, o: OrderRecord): Record<string, unknown> {
  const dp = ctx.dp;
  const shop = ctx.shop;
  const host = new URL(ctx.siteUrl).host;
  const links: Record<string, unknown> = {
    self: [link(`${ctx.siteUrl}/wp-json/wc/v3/orders/${o.id}`, ITEM_ALLOW)],
    collection: [link(`${ctx.siteUrl}/wp-json/wc/v3/orders`)],
    email_templates: [{ embeddable: true, href: `${ctx.siteUrl}/wp-json/wc/v3/orders/${o.id}/actions/email_templates` }],
  };
  if (o.customerId) links.customer = [link(`${ctx.siteUrl}/wp-json/wc/v3/customers/${o.customerId}`)];
  return {
    id: o.id,
    parent_id: o.parentId,
    status: o.status,
    currency: o.currency,
    version: o.version,
    prices_include_tax: o.pricesIncludeTax,
    date_created: wpDate(o.dateCreated),
    date_modified: wpDate(o.dateModified),
    discount_total: formatDp(o.discountTotal, dp),
    discount_tax: formatDp(o.discountTax, dp),
    shipping_total: formatDp(o.shippingTotal, dp),
    shipping_tax: formatDp(o.shippingTax, dp),
    cart_tax: formatDp(o.cartTax, dp),
    total: formatDp(o.total, dp),
    total_tax: formatDp(shop.orderTotalTax(o), dp),
    customer_id: o.customerId,
    order_key: o.orderKey,
    billing: { ...o.billing },
    shipping: { ...o.shipping },
    payment_method: o.paymentMethod,
    payment_method_title: o.paymentMethodTitle,
    transaction_id: o.transactionId,
    customer_ip_address: o.customerIpAddress,
    customer_user_agent: o.customerUserAgent,
    created_via: o.createdVia,
    customer_note: o.customerNote,
    date_completed: wpDate(o.dateCompleted),
    date_paid: wpDate(o.datePaid),
    cart_hash: o.cartHash,
    number: String(o.id),
    meta_data: metaJson(o.metaData),
    line_items: o.lineItems.map((l) => {
      const product = shop.products.get(l.variationId || l.productId);
      return {
        id: l.id,
        name: l.name,
        product_id: l.productId,
        variation_id: l.variationId,
        quantity: l.quantity,
        tax_class: l.taxClass,
        subtotal: formatDp(l.subtotal, dp),
        subtotal_tax: formatDp(derivedTaxTotal(l.taxes.subtotal, shop.settings), dp),
        total: formatDp(l.total, dp),
        total_tax: formatDp(derivedTaxTotal(l.taxes.total, shop.settings), dp),
        taxes: taxesJson(ctx, l.taxes.total, l.taxes.subtotal),
        meta_data: itemMetaJson(l.metaData),
        sku: product ? product.sku : null,
        // $item->get_total() / $item->get_quantity(): a PHP float, rendered like JSON numbers are.
        price: l.quantity ? Number(l.total.toString()) / l.quantity : 0,
        image: { id: !product || product.type === "variation" ? 0 : "", src: "" },
        parent_name: l.parentName,
      };
    }),
    tax_lines: o.taxLines.map((t) => ({
      id: t.id,
      rate_code: t.rateCode,
      rate_id: t.rateId,
      label: t.label,
      compound: t.compound,
      tax_total: formatDp(t.taxTotal, dp),
      shipping_tax_total: formatDp(t.shippingTaxTotal, dp),
      rate_percent: t.ratePercent,
      meta_data: [],
    })),
    shipping_lines: o.shippingLines.map((s) => ({
      id: s.id,
      method_title: s.methodTitle,
      method_id: s.methodId,
      instance_id: s.instanceId,
      total: formatDp(s.total, dp),
      total_tax: formatDp(derivedTaxTotal(s.taxes.total, shop.settings), dp),
      taxes: taxesJson(ctx, s.taxes.total),
      tax_status: s.taxStatus,
      meta_data: itemMetaJson(s.metaData),
    })),
    fee_lines: o.feeLines.map((f) => ({
      id: f.id,
      name: f.name,
      tax_class: f.taxClass,
      tax_status: f.taxStatus,
      amount: f.amount,
      total: formatDp(f.total, dp),
      total_tax: formatDp(derivedTaxTotal(f.taxes.total, shop.settings), dp),
      taxes: taxesJson(ctx, f.taxes.total),
      meta_data: itemMetaJson(f.metaData),
    })),
    coupon_lines: o.couponLines.map((c) => ({
      id: c.id,
      code: c.code,
      discount: phpFloatString(c.discount),
      discount_tax: phpFloatString(c.discountTax),
      meta_data: itemMetaJson(c.metaData),
      discount_type: c.discountType,
      nominal_amount: c.nominalAmount.toNumber(),
      free_shipping: c.freeShipping,
    })),
    refunds: [],
    payment_url: `${ctx.scheme}://${host}/checkout/order-pay/${o.id}/?pay_for_order=true&key=${o.orderKey}`,
    is_editable: ["pending", "on-hold", "auto-draft", "checkout-draft"].includes(o.status),
    needs_payment: shop.needsPayment(o),
    needs_processing: shop.needsProcessing(o),
    date_created_gmt: wpDate(o.dateCreated),
    date_modified_gmt: wpDate(o.dateModified),
    date_completed_gmt: wpDate(o.dateCompleted),
    date_paid_gmt: wpDate(o.datePaid),
    currency_symbol: decodeEntities(currencySymbol(o.currency)),
    _links: links,
  };
}

export function noteJson(ctx: SerializeContext, orderId: number, n: OrderNoteRecord): Record<string, unknown> {
  return {
    id: n.id,
    author: n.author,
    date_created: wpDate(n.dateCreated),
    date_created_gmt: wpDate(n.dateCreated),
    note: n.note,
    customer_note: n.customerNote,
    _links: {
      self: [link(`${ctx.siteUrl}/wp-json/wc/v3/orders/${orderId}/notes/${n.id}`, ["GET", "DELETE"])],
      collection: [link(`${ctx.siteUrl}/wp-json/wc/v3/orders/${orderId}/notes`)],
      up: [link(`${ctx.siteUrl}/wp-json/wc/v3/orders/${orderId}`)],
    },
  };
}

export function customerJson(ctx: SerializeContext, c: CustomerRecord): Record<string, unknown> {
  return {
    id: c.id,
    date_created: wpDate(c.dateCreated),
    date_created_gmt: wpDate(c.dateCreated),
    date_modified: wpDate(c.dateModified),
    date_modified_gmt: wpDate(c.dateModified),
    email: c.email,
    first_name: c.firstName,
    last_name: c.lastName,
    role: c.role,
    username: c.username,
    billing: { ...c.billing },
    shipping: { ...c.shipping },
    is_paying_customer: false,
    avatar_url: "",
    meta_data: metaJson(c.metaData),
    _links: {
      self: [link(`${ctx.siteUrl}/wp-json/wc/v3/customers/${c.id}`, ITEM_ALLOW)],
      collection: [link(`${ctx.siteUrl}/wp-json/wc/v3/customers`)],
    },
  };
}

export function taxRateJson(ctx: SerializeContext, r: TaxRate): Record<string, unknown> {
  return {
    id: r.id,
    country: r.country,
    state: r.state,
    postcode: r.postcode,
    city: r.city,
    rate: r.rate,
    name: r.name,
    priority: r.priority,
    compound: r.compound,
    shipping: r.shipping,
    order: r.order,
    class: r.taxClass === "" ? "standard" : r.taxClass,
    postcodes: r.postcode ? r.postcode.split(";") : [],
    cities: r.city ? r.city.split(";") : [],
    _links: {
      self: [link(`${ctx.siteUrl}/wp-json/wc/v3/taxes/${r.id}`, ITEM_ALLOW)],
      collection: [link(`${ctx.siteUrl}/wp-json/wc/v3/taxes`)],
    },
  };
}
