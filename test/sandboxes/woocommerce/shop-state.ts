/**
 * The sandbox shop: state plus the WooCommerce behaviour around it — product writes, REST order
 * creation and updates, status transitions with their stock effects and notes, and counting of
 * writes per product (so tests can prove the bridge never writes in an echo loop).
 */
import { randomBytes } from "node:crypto";
import { CartMath } from "./cart-math.js";
import { Dec, type Dec as DecType, ZERO, decOrZero, phpFloatString, storeFloat } from "./php-math.js";
import { OrderMath, activePrice, newCouponLine, resolvedTaxClass, snapshot, totalTaxOf } from "./order-math.js";
import { RestError } from "./rest-error.js";
import { type SeedProduct, derivedStockStatus, slugify } from "./seed.js";
import {
  type Address,
  type Coupon,
  type CustomerRecord,
  type FeeLineRecord,
  type ItemMeta,
  type LineItemRecord,
  type OrderRecord,
  type OrderStatus,
  type ProductRecord,
  type ShippingLineRecord,
  type ShippingZone,
  type ShopSettings,
  type TaxClass,
  type TaxRate,
  emptyAddress,
} from "./shop-model.js";
import { TaxEngine } from "./tax-engine.js";

export const WC_VERSION = "10.0.2";

export const ORDER_STATUSES: OrderStatus[] = ["pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed", "checkout-draft"];

const STATUS_LABELS: Record<string, string> = {
  pending: "Pending payment",
  processing: "Processing",
  "on-hold": "On hold",
  completed: "Completed",
  cancelled: "Cancelled",
  refunded: "Refunded",
  failed: "Failed",
  "checkout-draft": "Draft",
  "auto-draft": "Draft",
};

export const DEFAULT_SETTINGS: ShopSettings = {
  currency: "DKK",
  currencySymbol: "kr.",
  currencyPosition: "right_space",
  thousandSeparator: ".",
  decimalSeparator: ",",
  priceDecimals: 2,
  calcTaxes: true,
  pricesIncludeTax: false,
  taxRoundAtSubtotal: false,
  taxBasedOn: "shipping",
  shippingTaxClass: "inherit",
  taxDisplayShop: "excl",
  taxDisplayCart: "excl",
  taxTotalDisplay: "itemized",
  calcDiscountsSequentially: false,
  adjustNonBaseLocationPrices: true,
  storeAddress: "Vesterbrogade 1",
  storeAddress2: "",
  storeCity: "København V",
  storePostcode: "1620",
  defaultCountry: "DK",
  manageStock: true,
  noStockAmount: 0,
};

export type WriteSource = "rest" | "control";

export interface WriteLogEntry {
  at: number;
  productId: number;
  /** "product" or "variation" endpoint (or batch of either). */
  endpoint: "product" | "variation";
  operation: "create" | "update" | "delete";
  fields: string[];
}

export interface StockEvent {
  at: number;
  productId: number;
  from: number | null;
  to: number | null;
  cause: "order" | "rest" | "control";
  orderId?: number;
}

const PRODUCT_SORT_FIELDS = new Set(["date", "modified", "id", "include", "title", "slug", "price", "popularity", "rating", "menu_order"]);
export { PRODUCT_SORT_FIELDS };

export class WooShop {
  settings: ShopSettings = { ...DEFAULT_SETTINGS };
  taxClasses: TaxClass[] = [
    { slug: "reduced-rate", name: "Reduced rate" },
    { slug: "zero-rate", name: "Zero rate" },
  ];
  taxRates: TaxRate[] = [];
  shippingZones: ShippingZone[] = [];
  readonly coupons = new Map<string, Coupon>();
  readonly products = new Map<number, ProductRecord>();
  readonly customers = new Map<number, CustomerRecord>();
  readonly orders = new Map<number, OrderRecord>();
  /** Write counts per product/variation id, from REST writes only. */
  readonly writeCounts = new Map<number, number>();
  readonly writeLog: WriteLogEntry[] = [];
  readonly stockEvents: StockEvent[] = [];

  private nextPostId = 10;
  private nextItemId = 1;
  private nextMetaId = 1;
  private nextNoteId = 1;
  private nextCustomerId = 2;
  private nextTaxRateId = 1;

  readonly tax: TaxEngine;
  readonly orderMath: OrderMath;
  readonly cartMath: CartMath;

  constructor(readonly clock: () => number = Date.now) {
    this.tax = new TaxEngine(
      () => this.taxRates,
      () => this.taxClasses,
      () => this.settings,
    );
    this.orderMath = new OrderMath({
      settings: () => this.settings,
      tax: this.tax,
      coupon: (code) => this.coupons.get(code.toLowerCase()),
      product: (id) => this.products.get(id),
      nextItemId: () => this.itemId(),
      nextMetaId: () => this.metaId(),
    });
    this.cartMath = new CartMath(() => this.settings, this.tax);
  }

  /** Now, truncated to whole seconds as WordPress stores dates. */
  now(): number {
    return Math.floor(this.clock() / 1000) * 1000;
  }

  itemId(): number {
    return this.nextItemId++;
  }

  metaId(): number {
    return this.nextMetaId++;
  }

  postId(requested?: number): number {
    if (requested !== undefined) {
      if (this.products.has(requested) || this.orders.has(requested)) throw new Error(`id ${requested} is taken`);
      this.nextPostId = Math.max(this.nextPostId, requested + 1);
      return requested;
    }
    return this.nextPostId++;
  }

  // ------------------------------------------------------------------ configuration

  configure(settings: Partial<ShopSettings>): void {
    this.settings = { ...this.settings, ...settings };
  }

  setTaxClasses(classes: TaxClass[]): void {
    this.taxClasses = classes.map((c) => ({ ...c }));
  }

  setTaxRates(rates: (Omit<TaxRate, "id"> & { id?: number })[]): void {
    this.taxRates = rates.map((r) => {
      const id = r.id ?? this.nextTaxRateId;
      this.nextTaxRateId = Math.max(this.nextTaxRateId, id + 1);
      return { ...r, id };
    });
  }

  setShippingZones(zones: ShippingZone[]): void {
    this.shippingZones = zones.map((z) => ({ ...z, methods: z.methods.map((m) => ({ ...m })) }));
  }

  upsertCoupon(coupon: Omit<Coupon, "id" | "usageCount"> & { id?: number; usageCount?: number }): Coupon {
    const id = coupon.id ?? this.postId();
    if (coupon.id !== undefined) this.nextPostId = Math.max(this.nextPostId, coupon.id + 1);
    const stored: Coupon = { usageCount: 0, ...coupon, id, code: coupon.code.toLowerCase() };
    this.coupons.set(stored.code, stored);
    return stored;
  }

  upsertCustomer(c: Partial<CustomerRecord> & { email: string }): CustomerRecord {
    const id = c.id ?? this.nextCustomerId++;
    this.nextCustomerId = Math.max(this.nextCustomerId, id + 1);
    const now = this.now();
    const record: CustomerRecord = {
      id,
      email: c.email,
      firstName: c.firstName ?? "",
      lastName: c.lastName ?? "",
      username: c.username ?? c.email.split("@")[0] ?? c.email,
      role: c.role ?? "customer",
      billing: { ...emptyAddress(true), ...(c.billing ?? {}) },
      shipping: { ...emptyAddress(false), ...(c.shipping ?? {}) },
      metaData: c.metaData ?? [],
      dateCreated: c.dateCreated ?? now,
      dateModified: c.dateModified ?? now,
    };
    this.customers.set(id, record);
    return record;
  }

  zoneFor(country: string): ShippingZone | undefined {
    return this.shippingZones.find((z) => z.countries.includes(country.toUpperCase()));
  }

  // ------------------------------------------------------------------ products

  seedProduct(seed: SeedProduct): ProductRecord {
    const type = seed.type ?? "simple";
    const now = this.now();
    const parent = seed.parentId ? this.products.get(seed.parentId) : undefined;
    if (type === "variation" && (!parent || parent.type !== "variable")) throw new Error(`variation needs a variable parent (got ${seed.parentId})`);
    const id = this.postId(seed.id);
    const name = seed.name ?? (type === "variation" && parent ? variationName(parent, seed.variationAttributes ?? []) : `Product ${id}`);
    const record: ProductRecord = {
      id,
      type,
      parentId: seed.parentId ?? 0,
      name,
      slug: seed.slug ?? slugify(name),
      status: seed.status ?? "publish",
      sku: seed.sku ?? "",
      regularPrice: seed.regularPrice ?? "",
      salePrice: seed.salePrice ?? "",
      taxStatus: seed.taxStatus ?? "taxable",
      taxClass: seed.taxClass ?? (type === "variation" ? "parent" : ""),
      manageStock: seed.manageStock ?? false,
      stockQuantity: seed.manageStock ? (seed.stockQuantity ?? 0) : null,
      stockStatus: seed.stockStatus ?? "instock",
      backorders: seed.backorders ?? "no",
      lowStockAmount: null,
      virtual: seed.virtual ?? false,
      downloadable: seed.downloadable ?? false,
      weight: seed.weight ?? "",
      dimensions: { length: "", width: "", height: "" },
      description: seed.description ?? "",
      shortDescription: seed.shortDescription ?? "",
      attributes: seed.attributes ?? [],
      variationAttributes: seed.variationAttributes ?? [],
      variationIds: [],
      metaData: (seed.metaData ?? []).map((m) => ({ ...m, id: this.metaId() })),
      menuOrder: 0,
      totalSales: 0,
      dateCreated: seed.dateCreated ?? now,
      dateModified: seed.dateCreated ?? now,
      globalUniqueId: seed.globalUniqueId ?? "",
    };
    record.stockStatus = derivedStockStatus(record, this.settings.noStockAmount);
    this.products.set(id, record);
    if (parent) parent.variationIds.push(id);
    return record;
  }

  /** Parent products and simple products (not variations), as GET /products lists them. */
  listedProducts(): ProductRecord[] {
    return [...this.products.values()].filter((p) => p.type !== "variation");
  }

  /** A variation's parent, if any. */
  parentOf(product: ProductRecord): ProductRecord | undefined {
    return product.parentId ? this.products.get(product.parentId) : undefined;
  }

  /** The SKU's owner (case-insensitive like MySQL's default collation) — [inference]. */
  productBySku(sku: string, exceptId?: number): ProductRecord | undefined {
    const wanted = sku.toLowerCase();
    for (const p of this.products.values()) {
      if (p.id !== exceptId && p.sku !== "" && p.sku.toLowerCase() === wanted) return p;
    }
    return undefined;
  }

  /** wc_product_generate_unique_sku: SKU-1, SKU-2 … */
  uniqueSku(sku: string): string {
    for (let i = 1; ; i += 1) {
      const candidate = `${sku}-${i}`;
      if (!this.productBySku(candidate)) return candidate;
    }
  }

  /** [recorded] api/400-product-create-duplicate-sku.json and batch-products-mixed-results.json */
  assertSkuFree(sku: string, exceptId?: number): void {
    if (sku === "") return;
    const owner = this.productBySku(sku, exceptId);
    if (owner) {
      throw new RestError(400, "product_invalid_sku", "Invalid or duplicated SKU.", { resource_id: owner.id, unique_sku: this.uniqueSku(sku) });
    }
  }

  /** Counts a REST write to a product or variation. */
  recordWrite(product: ProductRecord, operation: WriteLogEntry["operation"], fields: string[]): void {
    this.writeCounts.set(product.id, (this.writeCounts.get(product.id) ?? 0) + 1);
    this.writeLog.push({
      at: this.clock(),
      productId: product.id,
      endpoint: product.type === "variation" ? "variation" : "product",
      operation,
      fields,
    });
  }

  touch(product: ProductRecord): void {
    product.dateModified = this.now();
  }

  /** Sets stock (REST, control API or an order), keeping stock_status in step. */
  setStock(product: ProductRecord, quantity: number | null, cause: StockEvent["cause"], orderId?: number): void {
    const from = product.stockQuantity;
    product.stockQuantity = quantity;
    product.stockStatus = derivedStockStatus(product, this.settings.noStockAmount);
    this.touch(product);
    const event: StockEvent = { at: this.clock(), productId: product.id, from, to: quantity, cause };
    if (orderId !== undefined) event.orderId = orderId;
    this.stockEvents.push(event);
  }

  // ------------------------------------------------------------------ orders

  newOrder(createdVia: string): OrderRecord {
    const now = this.now();
    return {
      id: 0,
      parentId: 0,
      status: "pending",
      currency: this.settings.currency,
      version: WC_VERSION,
      pricesIncludeTax: this.settings.pricesIncludeTax,
      dateCreated: now,
      dateModified: now,
      dateCompleted: null,
      datePaid: null,
      discountTotal: ZERO,
      discountTax: ZERO,
      shippingTotal: ZERO,
      shippingTax: ZERO,
      cartTax: ZERO,
      total: ZERO,
      totalTax: ZERO,
      customerId: 0,
      orderKey: `wc_order_${randomKey(13)}`,
      billing: emptyAddress(true),
      shipping: emptyAddress(false),
      paymentMethod: "",
      paymentMethodTitle: "",
      transactionId: "",
      customerIpAddress: "",
      customerUserAgent: "",
      createdVia,
      customerNote: "",
      cartHash: "",
      metaData: [],
      lineItems: [],
      taxLines: [],
      shippingLines: [],
      feeLines: [],
      couponLines: [],
      notes: [],
      stockReduced: false,
      recordedSales: false,
    };
  }

  /** First save: the order gets its id (shared with products, as WordPress posts). */
  persist(order: OrderRecord): void {
    if (!order.id) order.id = this.postId();
    order.dateModified = this.now();
    this.orders.set(order.id, order);
  }

  /** A product line as WC_Order_Item_Product gets it from a product (REST create / checkout). */
  lineItemFor(product: ProductRecord | undefined, quantity: number): LineItemRecord {
    const parent = product ? this.parentOf(product) : undefined;
    const item: LineItemRecord = {
      id: this.itemId(),
      name: product ? (product.type === "variation" && parent ? variationName(parent, product.variationAttributes) : product.name) : "",
      productId: product ? (product.type === "variation" ? product.parentId : product.id) : 0,
      variationId: product && product.type === "variation" ? product.id : 0,
      quantity,
      taxClass: product ? resolvedTaxClass(product, parent) : "",
      taxStatus: product ? product.taxStatus : "taxable",
      subtotal: ZERO,
      subtotalTax: ZERO,
      total: ZERO,
      totalTax: ZERO,
      taxes: { total: new Map(), subtotal: new Map() },
      metaData: [],
      sku: product?.sku ?? "",
      parentName: product && product.type === "variation" && parent ? parent.name : null,
      reducedStock: null,
    };
    if (product && product.type === "variation") {
      for (const attr of product.variationAttributes) {
        item.metaData.push({ id: this.metaId(), key: attr.slug, value: attr.option, displayKey: attr.name, displayValue: attr.option });
      }
    }
    if (product) {
      const amount = this.orderMath.priceExcludingTax(product, quantity);
      item.subtotal = storeFloat(amount);
      item.total = storeFloat(amount);
    }
    return item;
  }

  newShippingLine(input: { methodId: string; methodTitle: string; instanceId: string; total: string; taxStatus?: "taxable" | "none" }): ShippingLineRecord {
    return {
      id: this.itemId(),
      methodTitle: input.methodTitle,
      methodId: input.methodId,
      instanceId: input.instanceId,
      total: storeFloat(decOrZero(input.total)),
      totalTax: ZERO,
      taxes: { total: new Map() },
      taxStatus: input.taxStatus ?? "taxable",
      metaData: [],
    };
  }

  newFeeLine(input: { name: string; total: string; taxStatus: "taxable" | "none"; taxClass: string; amount?: string }): FeeLineRecord {
    return {
      id: this.itemId(),
      name: input.name,
      taxClass: input.taxClass,
      taxStatus: input.taxStatus,
      amount: input.amount ?? "",
      total: storeFloat(decOrZero(input.total)),
      totalTax: ZERO,
      taxes: { total: new Map() },
      metaData: [],
    };
  }

  /**
   * Applies the order's coupons the way the v3 REST controller's calculate_coupons() does: every
   * code must exist, existing coupon lines are removed, each code is applied in request order.
   */
  applyRestCoupons(order: OrderRecord, codes: string[]): void {
    const coupons: Coupon[] = [];
    for (const raw of codes) {
      const code = raw.trim().toLowerCase();
      const coupon = this.coupons.get(code);
      if (!coupon) {
        throw new RestError(400, "woocommerce_rest_invalid_coupon", `Coupon &quot;${code}&quot; cannot be applied because it does not exist.`);
      }
      coupons.push(coupon);
    }
    order.couponLines = [];
    for (const coupon of coupons) {
      if (order.couponLines.some((c) => c.code === coupon.code)) {
        throw new RestError(400, "woocommerce_rest_invalid_coupon", "Coupon code already applied!");
      }
      this.orderMath.applyCoupon(order, coupon, () => {
        this.persist(order);
        return snapshot(order);
      });
      coupon.usageCount += 1;
    }
  }

  newCouponLineFor(coupon: Coupon): ReturnType<typeof newCouponLine> {
    return newCouponLine(coupon, this.itemId(), this.metaId());
  }

  // ------------------------------------------------------------------ status, stock, notes

  addNote(order: OrderRecord, note: string, customerNote = false, author = "WooCommerce"): void {
    order.notes.push({ id: this.nextNoteId++, author, dateCreated: this.now(), note, customerNote });
  }

  /** WC_Order::needs_processing(): false only when every line is virtual and downloadable. */
  needsProcessing(order: OrderRecord): boolean {
    if (order.lineItems.length === 0) return true;
    return order.lineItems.some((line) => {
      const p = this.products.get(line.variationId || line.productId);
      return !p || !(p.virtual && p.downloadable);
    });
  }

  needsPayment(order: OrderRecord): boolean {
    return (order.status === "pending" || order.status === "failed") && order.total.gt(0);
  }

  /**
   * WC_Order::set_status + save(): dates, stock and sales counts, then the transition note.
   * [recorded] stock/stock-effects.json: reduced once on entering processing/completed/on-hold,
   * restored on cancelled, notes "Stock levels reduced: Name (SKU) 20&rarr;17".
   * `notePrefix` is what a gateway adds ("Awaiting BACS payment").
   */
  transition(order: OrderRecord, to: OrderStatus, notePrefix = ""): void {
    const from = order.status;
    if (from === to) return;
    order.status = to;
    this.maybeSetDates(order);
    order.dateModified = this.now();
    if (to === "processing" || to === "completed" || to === "on-hold") {
      this.reduceStock(order);
      this.recordSales(order, +1);
    }
    if (to === "cancelled" || to === "pending") this.restoreStock(order);
    if (to === "cancelled") this.recordSales(order, -1);
    if (from === "auto-draft" || from === "trash") return;
    const text = `Order status changed from ${STATUS_LABELS[from] ?? from} to ${STATUS_LABELS[to] ?? to}.`;
    this.addNote(order, notePrefix ? `${notePrefix} ${text}` : text);
  }

  /** maybe_set_date_paid / maybe_set_date_completed (COD pays on completion — quirk 15). */
  private maybeSetDates(order: OrderRecord): void {
    if (order.datePaid === null) {
      const paidStatus = order.paymentMethod === "cod" ? "completed" : this.needsProcessing(order) ? "processing" : "completed";
      if (order.status === paidStatus || (paidStatus === "processing" && order.status === "completed")) order.datePaid = this.now();
    }
    if (order.status === "completed" && order.dateCompleted === null) order.dateCompleted = this.now();
  }

  /** WC_Order::payment_complete(). */
  paymentComplete(order: OrderRecord, transactionId = ""): void {
    if (!["on-hold", "pending", "failed", "cancelled"].includes(order.status)) return;
    if (transactionId) order.transactionId = transactionId;
    if (order.datePaid === null) order.datePaid = this.now();
    this.transition(order, this.needsProcessing(order) ? "processing" : "completed");
  }

  private reduceStock(order: OrderRecord): void {
    if (order.stockReduced) return;
    const changes: string[] = [];
    for (const line of order.lineItems) {
      if (line.reducedStock !== null) continue;
      const product = this.products.get(line.variationId || line.productId);
      if (!product || !product.manageStock || product.stockQuantity === null) continue;
      const from = product.stockQuantity;
      this.setStock(product, from - line.quantity, "order", order.id);
      line.reducedStock = line.quantity;
      line.metaData.push({ id: this.metaId(), key: "_reduced_stock", value: String(line.quantity), displayKey: "_reduced_stock", displayValue: String(line.quantity) });
      changes.push(`${stockLabel(product, line)} ${from}&rarr;${from - line.quantity}`);
    }
    order.stockReduced = true;
    if (changes.length) this.addNote(order, `Stock levels reduced: ${changes.join(", ")}`);
  }

  private restoreStock(order: OrderRecord): void {
    if (!order.stockReduced) return;
    const changes: string[] = [];
    for (const line of order.lineItems) {
      if (line.reducedStock === null) continue;
      const product = this.products.get(line.variationId || line.productId);
      const reduced = line.reducedStock;
      line.reducedStock = null;
      line.metaData = line.metaData.filter((m) => m.key !== "_reduced_stock");
      if (!product || !product.manageStock || product.stockQuantity === null) continue;
      const from = product.stockQuantity;
      this.setStock(product, from + reduced, "order", order.id);
      changes.push(`${stockLabel(product, line)} ${from}&rarr;${from + reduced}`);
    }
    order.stockReduced = false;
    if (changes.length) this.addNote(order, `Stock levels increased: ${changes.join(", ")}`);
  }

  /** wc_update_total_sales_counts: counted on the parent product, undone on cancel. */
  private recordSales(order: OrderRecord, direction: 1 | -1): void {
    if ((direction === 1) === order.recordedSales) return;
    for (const line of order.lineItems) {
      const product = this.products.get(line.productId);
      if (product) product.totalSales = Math.max(0, product.totalSales + direction * line.quantity);
    }
    order.recordedSales = direction === 1;
  }

  /**
   * A line quantity edited through REST on an order whose stock was reduced: the stock follows,
   * the line is not repriced. [recorded] stock/order-54-after-line-quantity-edit.json,
   * note "Adjusted stock: Lagerprobe (37→40)".
   */
  adjustLineStock(order: OrderRecord, line: LineItemRecord, newQuantity: number): void {
    if (line.reducedStock === null) return;
    const product = this.products.get(line.variationId || line.productId);
    if (!product || !product.manageStock || product.stockQuantity === null) return;
    const diff = newQuantity - line.reducedStock;
    if (diff === 0) return;
    const from = product.stockQuantity;
    this.setStock(product, from - diff, "order", order.id);
    line.reducedStock = newQuantity;
    for (const m of line.metaData) {
      if (m.key === "_reduced_stock") {
        m.value = String(newQuantity);
        m.displayValue = String(newQuantity);
      }
    }
    this.addNote(order, `Adjusted stock: ${product.name} (${from}&rarr;${from - diff})`);
  }

  orderTotalTax(order: OrderRecord): DecType {
    return totalTaxOf(order, this.settings);
  }

  // ------------------------------------------------------------------ helpers used by serializers

  productPrice(product: ProductRecord): string {
    if (product.type === "variable") {
      // [recorded] the variable parent's price is its cheapest variation's price as stored ("127.46").
      const prices = product.variationIds
        .map((id) => this.products.get(id))
        .filter((v): v is ProductRecord => !!v && activePrice(v) !== "")
        .map((v) => activePrice(v));
      if (prices.length === 0) return "";
      return prices.reduce((a, b) => (new Dec(b).lt(new Dec(a)) ? b : a));
    }
    return activePrice(product);
  }

  couponLineAmount(value: DecType): string {
    return phpFloatString(value);
  }
}

export function variationName(parent: ProductRecord, attributes: readonly { option: string }[]): string {
  const options = attributes.map((a) => a.option).filter((o) => o !== "");
  return options.length ? `${parent.name} - ${options.join(", ")}` : parent.name;
}

function stockLabel(product: ProductRecord, line: LineItemRecord): string {
  const name = line.name || product.name;
  const description = product.type === "variation" ? '<span class="description"></span>' : "";
  return product.sku ? `${name} (${product.sku})${description}` : `${name}${description}`;
}

function randomKey(length: number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  const bytes = randomBytes(length);
  let out = "";
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

export function mergeAddress(base: Address, patch: Partial<Address> | undefined): Address {
  if (!patch) return base;
  const out = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (typeof v === "string" && k in out) (out as Record<string, string>)[k] = v;
  }
  return out;
}

export type { ItemMeta };
