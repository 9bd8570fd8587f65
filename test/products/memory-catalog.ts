/**
 * A WooCommerce catalogue held in memory behind the `WooCatalog` port, with a write log, for tests
 * of the product sync while the WooCommerce REST client is being built. Pages, SKU lookups and
 * variations behave as WooCommerce's REST API does (ids ascending, top-level products only).
 */
import type { ShopUnits, WooCatalog, WooCatalogItem, WooProductCreate, WooProductPatch } from "../../bridge/src/sync/products/catalog.js";

export class MemoryCatalog implements WooCatalog {
  readonly items = new Map<number, WooCatalogItem>();
  readonly writes: { id: number; patch: WooProductPatch | WooProductCreate }[] = [];
  reads = 0;
  private nextId = 100;
  unitsValue: ShopUnits = { pricesIncludeTax: true, weightUnit: "kg", priceDecimals: 2 };

  add(partial: Partial<WooCatalogItem> & { sku: string }): WooCatalogItem {
    const id = partial.id ?? this.nextId++;
    const item: WooCatalogItem = {
      id,
      parentId: null,
      type: "simple",
      status: "publish",
      name: `Product ${partial.sku}`,
      description: "",
      regularPrice: "100.00",
      taxStatus: "taxable",
      taxClass: "",
      weight: "",
      ean: "",
      manageStock: true,
      stockQuantity: 0,
      costPrice: "",
      dateModified: new Date().toISOString(),
      ...partial,
    };
    this.items.set(id, item);
    return item;
  }

  async productsPage(page: number, perPage: number, options: { modifiedAfter?: string } = {}) {
    this.reads++;
    const all = [...this.items.values()]
      .filter((i) => i.type !== "variation" && i.status !== "trash")
      .filter((i) => !options.modifiedAfter || i.dateModified > options.modifiedAfter)
      .sort((a, b) => a.id - b.id);
    return { items: all.slice((page - 1) * perPage, page * perPage).map((i) => ({ ...i })), total: all.length, totalPages: Math.max(1, Math.ceil(all.length / perPage)) };
  }

  async variationsOf(parentId: number) {
    this.reads++;
    return [...this.items.values()].filter((i) => i.parentId === parentId).sort((a, b) => a.id - b.id).map((i) => ({ ...i }));
  }

  async item(id: number) {
    this.reads++;
    const i = this.items.get(id);
    return i ? { ...i } : undefined;
  }

  async findBySku(sku: string) {
    this.reads++;
    return [...this.items.values()].filter((i) => i.sku === sku).map((i) => ({ ...i }));
  }

  async update(ref: Pick<WooCatalogItem, "id">, patch: WooProductPatch) {
    const item = this.items.get(ref.id);
    if (!item) throw new Error(`no product ${ref.id}`);
    this.writes.push({ id: ref.id, patch });
    if (patch.name !== undefined) item.name = patch.name;
    if (patch.description !== undefined) item.description = patch.description;
    if (patch.regular_price !== undefined) item.regularPrice = patch.regular_price;
    if (patch.weight !== undefined) item.weight = patch.weight;
    if (patch.global_unique_id !== undefined) item.ean = patch.global_unique_id;
    if (patch.status !== undefined) item.status = patch.status;
    if (patch.sku !== undefined) item.sku = patch.sku;
    for (const m of patch.meta_data ?? []) if (m.key === "_rackbeat_cost_price") item.costPrice = m.value;
    item.dateModified = new Date().toISOString();
  }

  async create(input: WooProductCreate) {
    const item = this.add({ sku: input.sku, name: input.name, status: input.status, description: input.description ?? "", regularPrice: input.regular_price ?? "", weight: input.weight ?? "", ean: input.global_unique_id ?? "", stockQuantity: null, manageStock: false });
    for (const m of input.meta_data ?? []) if (m.key === "_rackbeat_cost_price") item.costPrice = m.value;
    this.writes.push({ id: item.id, patch: input });
    return { ...item };
  }

  async units() {
    return this.unitsValue;
  }
}
