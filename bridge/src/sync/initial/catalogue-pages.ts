import type { WooCatalog, WooCatalogItem } from "../products/catalog.js";

/** Runs `fn` over `items` with at most `limit` at once, keeping the order of results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export interface ExpandedProduct {
  product: WooCatalogItem;
  /** What becomes Rackbeat products: the product itself, or each variation of a variable product. */
  targets: { item: WooCatalogItem; parent: WooCatalogItem | undefined }[];
}

/** A page of top-level products with the variations of its variable products read alongside. */
export async function expandPage(catalog: WooCatalog, products: WooCatalogItem[], signal?: AbortSignal, concurrency = 6): Promise<ExpandedProduct[]> {
  return mapLimit(products, concurrency, async (product) => {
    if (product.type === "variable") {
      const variations = await catalog.variationsOf(product.id, signal ? { signal } : {});
      return { product, targets: variations.map((item) => ({ item, parent: product })) };
    }
    if (product.type === "simple") return { product, targets: [{ item: product, parent: undefined }] };
    return { product, targets: [] };
  });
}
