import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SkuIndex, createWooClient, type WooClient } from "../../bridge/src/woocommerce/index.js";
import { type WooSandbox, startWooSandbox } from "../sandboxes/woocommerce/index.js";

let woo: WooSandbox;
let client: WooClient;

beforeAll(async () => {
  woo = await startWooSandbox({ fixture: "c1-dkk-excl-lineround" });
  const key = woo.createKey();
  client = createWooClient({ url: woo.url, consumerKey: key.consumerKey, consumerSecret: key.consumerSecret, retries: { baseMs: 1, maxMs: 2 } });
});
afterAll(() => woo.close());

describe("SkuIndex", () => {
  it("is built from every product page and every variable product's variations", async () => {
    const index = new SkuIndex(client, () => 42);
    const build = await index.rebuild();
    // 16 simple products and 7 variations have SKUs; the variable parents TSHIRT and BEANS are containers.
    expect(build).toMatchObject({ size: 23, clashes: [], productsRead: 18, variationsRead: 7 });
    expect(index.lastBuiltAt).toBe(42);
    expect(index.get("MUG-001")).toEqual({ sku: "MUG-001", productId: 16, variationId: null });
    expect(index.get("BEANS-1KG")).toEqual({ sku: "BEANS-1KG", productId: 37, variationId: 40 });
    expect(index.get("GUM/MINT-10")?.productId).toBe(17);
    expect(index.get("ABCDEFGHIJ-0123456789-XYZ")?.productId).toBe(21);
    expect(index.has("TSHIRT")).toBe(false);
    expect(index.get("mug-001")).toBeUndefined();
    const calls = woo.requests().filter((r) => r.method === "GET");
    expect(calls.map((r) => r.route)).toEqual(["/wc/v3/products", "/wc/v3/products/32/variations", "/wc/v3/products/37/variations"]);
  });

  it("follows SKU renames, new variations and deletions from product events", async () => {
    const index = new SkuIndex(client);
    await index.rebuild();
    const renamed = await client.updateProduct(23, { sku: "MILK-1L-ECO" });
    index.applyProduct(renamed);
    expect(index.has("MILK-1L")).toBe(false);
    expect(index.get("MILK-1L-ECO")).toEqual({ sku: "MILK-1L-ECO", productId: 23, variationId: null });

    const variation = await client.createVariation(32, { sku: "TSHIRT-XXL", regular_price: "179.95", attributes: [{ name: "Størrelse", option: "XXL" }] });
    await client.updateVariation(32, 33, { sku: "TSHIRT-SMALL" });
    await index.refreshProduct(32);
    expect(index.get("TSHIRT-XXL")).toEqual({ sku: "TSHIRT-XXL", productId: 32, variationId: variation.id });
    expect(index.get("TSHIRT-SMALL")?.variationId).toBe(33);
    expect(index.has("TSHIRT-S")).toBe(false);

    const gone = await client.createProduct({ name: "Kortvarig", sku: "SHORT-LIVED" });
    await index.refreshProduct(gone.id);
    expect(index.has("SHORT-LIVED")).toBe(true);
    await client.batchProducts({ delete: [gone.id] });
    await index.refreshProduct(gone.id);
    expect(index.has("SHORT-LIVED")).toBe(false);

    index.remove(37);
    expect(["BEANS-250G", "BEANS-500G", "BEANS-1KG"].some((s) => index.has(s))).toBe(false);
  });

  it("reports two records claiming one SKU instead of silently overwriting", async () => {
    const shop = await startWooSandbox();
    try {
      shop.seedProduct({ id: 50, sku: "DUP-1", name: "A", regularPrice: "1" });
      shop.seedProduct({ id: 51, sku: "DUP-1", name: "B", regularPrice: "1" });
      const key = shop.createKey();
      const c = createWooClient({ url: shop.url, consumerKey: key.consumerKey, consumerSecret: key.consumerSecret });
      const index = new SkuIndex(c);
      const build = await index.rebuild();
      expect(build.clashes).toEqual([{ sku: "DUP-1", kept: { sku: "DUP-1", productId: 50, variationId: null }, ignored: { sku: "DUP-1", productId: 51, variationId: null } }]);
      expect(index.get("DUP-1")?.productId).toBe(50);
    } finally {
      await shop.close();
    }
  });
});
