import type { WooClient } from "./woo-client.js";
import { WooNotFound } from "./woo-errors.js";
import type { WooProduct, WooVariation } from "./woo-schemas.js";

/**
 * SKU → (product id, variation id) for one shop: built by paging products and the variations of
 * every variable product, then kept fresh from product events (a product or variation saved,
 * deleted, its SKU renamed). Variable parents are containers and are not indexed: stock and orders
 * address the variations (woocommerce-notes.md §4). WooCommerce keeps SKUs unique; should two
 * records still claim one SKU, the first kept wins and the clash is reported.
 */

export interface SkuRef {
  sku: string;
  /** The product, or the variation's parent. */
  productId: number;
  /** Set for variations. */
  variationId: number | null;
}

export interface SkuClash {
  sku: string;
  kept: SkuRef;
  ignored: SkuRef;
}

export interface SkuIndexBuild {
  size: number;
  clashes: SkuClash[];
  productsRead: number;
  variationsRead: number;
}

type Source = Pick<WooClient, "iterateProducts" | "iterateVariations" | "getProduct">;

/** The key an SKU is indexed under: as WooCommerce stores it, surrounding spaces removed. */
export function skuKey(sku: string): string {
  return sku.trim();
}

export class SkuIndex {
  private bySku = new Map<string, SkuRef>();
  /** product or variation id → SKU it holds, to follow renames. */
  private byId = new Map<number, string>();
  /** parent id → its variation ids. */
  private children = new Map<number, Set<number>>();
  private clashes: SkuClash[] = [];
  private builtAt: number | null = null;

  constructor(
    private readonly source: Source,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.bySku.size;
  }

  /** When the last full build finished (epoch ms), or null. */
  get lastBuiltAt(): number | null {
    return this.builtAt;
  }

  get(sku: string): SkuRef | undefined {
    return this.bySku.get(skuKey(sku));
  }

  has(sku: string): boolean {
    return this.bySku.has(skuKey(sku));
  }

  /** The SKU a product or variation id currently holds in the index. */
  skuOf(id: number): string | undefined {
    return this.byId.get(id);
  }

  entries(): SkuRef[] {
    return [...this.bySku.values()];
  }

  /** Clashes seen by the last build and since. */
  conflicts(): SkuClash[] {
    return [...this.clashes];
  }

  /** Pages all products (100 per call) and the variations of variable ones; replaces the index. */
  async rebuild(options?: { signal?: AbortSignal }): Promise<SkuIndexBuild> {
    const next = new SkuIndex(this.source, this.now);
    let productsRead = 0;
    let variationsRead = 0;
    const variableIds: number[] = [];
    for await (const product of this.source.iterateProducts({ status: "any" }, options)) {
      productsRead += 1;
      if (product.type === "variable") variableIds.push(product.id);
      else next.put(product.id, null, product.sku);
    }
    for (const parentId of variableIds) {
      for await (const variation of this.source.iterateVariations(parentId, {}, options)) {
        variationsRead += 1;
        next.put(variation.id, parentId, variation.sku);
      }
    }
    this.bySku = next.bySku;
    this.byId = next.byId;
    this.children = next.children;
    this.clashes = next.clashes;
    this.builtAt = this.now();
    return { size: this.bySku.size, clashes: [...this.clashes], productsRead, variationsRead };
  }

  /** A product saved (REST answer or event payload): follows SKU renames; variable parents are skipped. */
  applyProduct(product: Pick<WooProduct, "id" | "type" | "sku" | "status"> & { parent_id?: number }): void {
    if (product.type === "variation") {
      this.applyVariation(product, product.parent_id ?? 0);
      return;
    }
    if (product.status === "trash" || product.type === "variable") {
      this.drop(product.id);
      return;
    }
    this.put(product.id, null, product.sku);
  }

  applyVariation(variation: Pick<WooVariation, "id" | "sku"> & { status?: string }, parentId: number): void {
    if (variation.status === "trash") {
      this.drop(variation.id);
      return;
    }
    this.put(variation.id, parentId, variation.sku);
  }

  /** A product or variation deleted: it and (for a parent) its variations leave the index. */
  remove(id: number): void {
    for (const child of this.children.get(id) ?? []) this.drop(child);
    this.children.delete(id);
    this.drop(id);
  }

  /**
   * Re-reads one product (and its variations when variable) after an event, so renamed or deleted
   * SKUs follow. A product that no longer exists is removed.
   */
  async refreshProduct(productId: number, options?: { signal?: AbortSignal }): Promise<void> {
    let product: WooProduct;
    try {
      product = await this.source.getProduct(productId, options);
    } catch (error) {
      if (error instanceof WooNotFound) {
        this.remove(productId);
        return;
      }
      throw error;
    }
    if (product.type === "variation") {
      this.applyVariation(product, product.parent_id);
      return;
    }
    if (product.type !== "variable") {
      this.applyProduct(product);
      return;
    }
    this.drop(product.id);
    const seen = new Set<number>();
    for await (const variation of this.source.iterateVariations(product.id, {}, options)) {
      seen.add(variation.id);
      this.applyVariation(variation, product.id);
    }
    for (const child of this.children.get(product.id) ?? []) if (!seen.has(child)) this.drop(child);
  }

  private put(id: number, parentId: number | null, rawSku: string): void {
    const sku = skuKey(rawSku);
    const previous = this.byId.get(id);
    if (previous !== undefined && previous !== sku) this.drop(id);
    if (parentId !== null) {
      let set = this.children.get(parentId);
      if (!set) this.children.set(parentId, (set = new Set()));
      set.add(id);
    }
    if (sku === "") return;
    const ref: SkuRef = parentId === null ? { sku, productId: id, variationId: null } : { sku, productId: parentId, variationId: id };
    const holder = this.bySku.get(sku);
    const holderId = holder ? (holder.variationId ?? holder.productId) : undefined;
    if (holder && holderId !== id) {
      this.clashes.push({ sku, kept: holder, ignored: ref });
      return;
    }
    this.bySku.set(sku, ref);
    this.byId.set(id, sku);
  }

  private drop(id: number): void {
    const sku = this.byId.get(id);
    if (sku === undefined) return;
    this.byId.delete(id);
    const ref = this.bySku.get(sku);
    if (ref && (ref.variationId ?? ref.productId) === id) this.bySku.delete(sku);
  }
}
