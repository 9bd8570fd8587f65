/**
 * A large WooCommerce catalogue computed from ids instead of stored, behind the `WooCatalog` port:
 * benchmarks and crash tests get 10,000 or 100,000 products without the shop itself taking memory
 * in the process being measured. Top-level product i (0-based) has id 1 + 5·i; every fifth is
 * variable with 4 variations (ids +1…+4). Every product and variation has stock.
 */
import type { ShopUnits, WooCatalog, WooCatalogItem, WooCatalogPage, WooProductCreate } from "../../bridge/src/sync/products/catalog.js";

export interface GeneratedCatalogOptions {
  products: number;
  /** Every n-th product is variable (default 5, i.e. 20 %). */
  variableEvery?: number;
  variationsPer?: number;
  /** Simulated WooCommerce latency per call, ms. */
  latencyMs?: number;
}

const sleep = (ms: number) => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());

export class GeneratedCatalog implements WooCatalog {
  calls = 0;
  readonly variableEvery: number;
  readonly variationsPer: number;
  constructor(readonly options: GeneratedCatalogOptions) {
    this.variableEvery = options.variableEvery ?? 5;
    this.variationsPer = options.variationsPer ?? 4;
  }

  /** Rackbeat products the catalogue makes: simple products plus variations. */
  get rackbeatProducts(): number {
    const variable = Math.ceil(this.options.products / this.variableEvery);
    return this.options.products - variable + variable * this.variationsPer;
  }

  private top(i: number): WooCatalogItem {
    const variable = i % this.variableEvery === 0;
    return {
      id: 1 + 5 * i,
      parentId: null,
      type: variable ? "variable" : "simple",
      status: "publish",
      sku: `P${i}`,
      name: `Product ${i}`,
      description: `Description of product ${i}`,
      regularPrice: variable ? "" : `${100 + (i % 900)}.${String(i % 100).padStart(2, "0")}`,
      taxStatus: "taxable",
      taxClass: "",
      weight: `${(i % 30) / 10 + 0.1}`,
      ean: "",
      manageStock: !variable,
      stockQuantity: variable ? null : (i * 7) % 50 + 1,
      costPrice: "",
      dateModified: "2025-01-01T00:00:00Z",
    };
  }

  private variation(i: number, k: number): WooCatalogItem {
    return {
      ...this.top(i),
      id: 1 + 5 * i + k,
      parentId: 1 + 5 * i,
      type: "variation",
      sku: `P${i}-${k}`,
      name: `Product ${i} - size ${k}`,
      regularPrice: `${50 + k}.00`,
      taxClass: "parent",
      manageStock: true,
      stockQuantity: (i + k * 3) % 20 + 1,
    };
  }

  async productsPage(page: number, perPage: number): Promise<WooCatalogPage> {
    this.calls++;
    await sleep(this.options.latencyMs ?? 0);
    const n = this.options.products;
    const items: WooCatalogItem[] = [];
    for (let i = (page - 1) * perPage; i < Math.min(n, page * perPage); i++) items.push(this.top(i));
    return { items, total: n, totalPages: Math.max(1, Math.ceil(n / perPage)) };
  }

  async variationsOf(parentId: number): Promise<WooCatalogItem[]> {
    this.calls++;
    await sleep(this.options.latencyMs ?? 0);
    const i = (parentId - 1) / 5;
    if (!Number.isInteger(i) || i % this.variableEvery !== 0) return [];
    return Array.from({ length: this.variationsPer }, (_, k) => this.variation(i, k + 1));
  }

  async item(id: number): Promise<WooCatalogItem | undefined> {
    this.calls++;
    const i = Math.floor((id - 1) / 5);
    const k = (id - 1) % 5;
    if (i < 0 || i >= this.options.products) return undefined;
    if (k === 0) return this.top(i);
    return i % this.variableEvery === 0 && k <= this.variationsPer ? this.variation(i, k) : undefined;
  }

  async findBySku(sku: string): Promise<WooCatalogItem[]> {
    this.calls++;
    const m = /^P(\d+)(?:-(\d+))?$/.exec(sku);
    if (!m) return [];
    const item = await this.item(1 + 5 * Number(m[1]) + (m[2] ? Number(m[2]) : 0));
    return item && item.sku === sku ? [item] : [];
  }

  async update(): Promise<void> {
    throw new Error("the generated catalogue is read-only");
  }

  async create(_input: WooProductCreate): Promise<WooCatalogItem> {
    throw new Error("the generated catalogue is read-only");
  }

  async units(): Promise<ShopUnits> {
    return { pricesIncludeTax: true, weightUnit: "kg", priceDecimals: 2 };
  }

  /** Every Rackbeat product the catalogue should make, with its stock (for checks). */
  *expected(): Generator<{ sku: string; stock: number }> {
    for (let i = 0; i < this.options.products; i++) {
      if (i % this.variableEvery === 0) for (let k = 1; k <= this.variationsPer; k++) yield { sku: `P${i}-${k}`, stock: this.variation(i, k).stockQuantity ?? 0 };
      else yield { sku: `P${i}`, stock: this.top(i).stockQuantity ?? 0 };
    }
  }
}
