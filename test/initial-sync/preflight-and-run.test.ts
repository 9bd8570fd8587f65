import { afterEach, describe, expect, it } from "vitest";
import { RACKBEAT_TOKEN_KEY } from "../../bridge/src/account/rackbeat-account.js";
import { createProductsFeature } from "../../bridge/src/sync/products/products-feature.js";
import { type TestBridge, startTestBridge } from "../helpers/bridge.js";
import { MemoryCatalog } from "../products/memory-catalog.js";
import { type RackbeatSandbox, startRackbeatSandbox } from "../sandboxes/rackbeat/index.js";

let bridge: TestBridge | undefined;
let rackbeat: RackbeatSandbox | undefined;
afterEach(async () => {
  await bridge?.close();
  await rackbeat?.close();
  bridge = undefined;
  rackbeat = undefined;
});

const waitFor = async <T>(check: () => Promise<T | undefined>, ms = 20_000): Promise<T> => {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
};

async function setUp(catalog: MemoryCatalog, master = "woo_to_rackbeat") {
  rackbeat = await startRackbeatSandbox({ rateLimit: false });
  rackbeat.seedProductGroups([{ number: 2, name: "Reduced", vat_domestic: 12 }]);
  bridge = await startTestBridge({
    env: { RACKBEAT_BASE_URL: rackbeat.baseUrl, JOB_BACKOFF_BASE_MS: "50" },
    features: [createProductsFeature({ catalogFor: () => async () => catalog })],
  });
  await bridge.ctx.account.setSecret(RACKBEAT_TOKEN_KEY, rackbeat.token);
  const shop = await bridge.pairShop({ name: "Shop A" });
  await bridge.ctx.shops.saveSettings(shop.shopId, { products: { master, productGroups: { byTaxClass: { reduced: 2 }, default: 1 } } });
  return shop;
}

function catalogWithEveryProblem(): MemoryCatalog {
  const c = new MemoryCatalog();
  c.add({ id: 1, sku: "OK-1", regularPrice: "125.00", stockQuantity: 5 });
  c.add({ id: 2, sku: "", name: "No SKU" });
  c.add({ id: 3, sku: "X".repeat(26) });
  c.add({ id: 4, sku: "HAS SPACE" });
  c.add({ id: 5, sku: "DUP-1" });
  c.add({ id: 6, type: "variable", sku: "SHIRT", name: "Shirt" });
  c.add({ id: 7, type: "variation", parentId: 6, sku: "SHIRT-S", regularPrice: "112.00", taxClass: "parent", stockQuantity: 3 });
  c.add({ id: 8, type: "variation", parentId: 6, sku: "DUP-1", taxClass: "parent" }); // duplicate across a variation
  c.add({ id: 9, sku: "A/B#1", regularPrice: "112.00", taxClass: "reduced", stockQuantity: 2 });
  c.add({ id: 10, sku: "IN-RB", regularPrice: "50.00", stockQuantity: 4 });
  c.add({ id: 11, type: "grouped", sku: "GROUP" });
  return c;
}

describe("initial sync preflight", () => {
  it("counts products and variations and catches every SKU rule, writing nothing", async () => {
    const catalog = catalogWithEveryProblem();
    const { shopId, shopSecret } = await setUp(catalog);
    rackbeat!.seedProducts([{ number: "IN-RB", name: "Already there", sales_price: 40, stock: 1 }]);
    rackbeat!.resetStats();

    const started = await bridge!.signedFetch(shopId, shopSecret, "POST", `/v1/shops/${shopId}/initial-sync/preflight`);
    expect(started.status).toBe(202);
    const { id } = (await started.json()) as { id: string };
    const body = await waitFor(async () => {
      const r = await bridge!.signedFetch(shopId, shopSecret, "GET", `/v1/shops/${shopId}/initial-sync/preflight/${id}`);
      const b = (await r.json()) as { state: string; report: Record<string, any> };
      return b.state === "done" ? b : undefined;
    });
    const report = body.report;
    expect(report.products).toBe(9); // top level: ids 1–6 and 9–11
    expect(report.variable_products).toBe(1);
    expect(report.variations).toBe(2);
    expect(report.not_sent).toBe(1);
    expect(report.rackbeat_products).toBe(9);
    expect(report.sku).toMatchObject({ missing: 1, too_long: 1, has_spaces: 1, duplicate: 2, duplicate_skus: 1 });
    expect(report.in_rackbeat).toBe(1);
    expect(report.new_in_rackbeat).toBe(9 - 5 - 1);
    expect(report.prices.shop_enters_prices).toBe("incl_vat");
    // Nothing was written to Rackbeat: only reads.
    const stats = rackbeat!.stats();
    expect(Object.keys(stats.byRoute).every((k) => k.startsWith("GET"))).toBe(true);
    expect(catalog.writes).toEqual([]);

    const csv = await bridge!.signedFetch(shopId, shopSecret, "GET", `/v1/shops/${shopId}/initial-sync/preflight/${id}.csv`);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines[0]).toBe("woo_id,parent_id,type,sku,name,price,price_excl_vat,in_rackbeat,action,problems");
    expect(lines).toHaveLength(1 + 9);
    expect(lines.find((l) => l.startsWith("1,"))).toContain(",125.00,100,no,create,");
    expect(lines.find((l) => l.startsWith("9,"))).toContain("A/B#1");
    expect(lines.find((l) => l.startsWith("9,"))).toContain(",112.00,100,no,create,");
    expect(lines.find((l) => l.startsWith("8,"))).toMatch(/skip,duplicate$/);
    expect(lines.find((l) => l.startsWith("4,"))).toMatch(/skip,has_spaces$/);
    expect(lines.find((l) => l.startsWith("10,"))).toContain(",yes,update,");
  });
});

describe("initial sync run", () => {
  it("writes every good product and variation with stock, skips and reports the bad ones", async () => {
    const catalog = catalogWithEveryProblem();
    const { shopId, shopSecret } = await setUp(catalog);
    rackbeat!.seedProducts([{ number: "IN-RB", name: "Already there", sales_price: 40, stock: 1 }]);

    const started = await bridge!.signedFetch(shopId, shopSecret, "POST", `/v1/shops/${shopId}/initial-sync`);
    expect(started.status).toBe(202);
    const again = await bridge!.signedFetch(shopId, shopSecret, "POST", `/v1/shops/${shopId}/initial-sync`);
    expect([202, 409]).toContain(again.status);
    const progress = await waitFor(async () => {
      const r = await bridge!.signedFetch(shopId, shopSecret, "GET", `/v1/shops/${shopId}/initial-sync`);
      const b = (await r.json()) as Record<string, any>;
      return b.state === "done" ? b : undefined;
    });
    expect(progress.total).toBe(9);
    expect(progress.done).toBe(9);
    expect(progress.percent).toBe(100);
    expect(progress.skipped).toBeGreaterThanOrEqual(4);
    const reasons = progress.problems.map((p: { reason: string }) => p.reason).join("\n");
    expect(reasons).toMatch(/empty/);
    expect(reasons).toMatch(/26 characters/);
    expect(reasons).toMatch(/space/);
    expect(reasons).toMatch(/also used by WooCommerce product #5/);

    const ok = rackbeat!.getProduct("OK-1")!;
    expect(ok).toMatchObject({ sales_price: 100, stock_quantity: 5, name: "Product OK-1" });
    expect((ok.group as { number: number }).number).toBe(1);
    expect(rackbeat!.getProduct("A/B#1")).toMatchObject({ sales_price: 100, stock_quantity: 2, group_id: 2 });
    expect(rackbeat!.getProduct("SHIRT-S")).toMatchObject({ sales_price: 89.6, stock_quantity: 3 });
    expect(rackbeat!.getProduct("SHIRT")).toBeUndefined();
    expect(rackbeat!.getProduct("DUP-1")).toMatchObject({ stock_quantity: 0 });
    expect(rackbeat!.getProduct("HAS SPACE")).toBeUndefined();
    // The existing product was updated and its stock moved by the difference (1 → 4).
    expect(rackbeat!.getProduct("IN-RB")).toMatchObject({ name: "Product IN-RB", sales_price: 40, stock_quantity: 4 });
    // Nothing echoed: every write carried suppress_webhooks.
    expect(rackbeat!.webhookDeliveries()).toEqual([]);
    // The stock feature was handed the adjusted numbers.
    const stockJobs = await bridge!.ctx.queue.list({ limit: 100 });
    expect(stockJobs.filter((j) => j.kind === "rackbeat:inventory.changed").map((j) => (j.payload as { key: string }).key).sort()).toEqual(["A/B#1", "IN-RB", "OK-1", "SHIRT-S"]);
  });

  it("is refused when the product master is not WooCommerce", async () => {
    const { shopId, shopSecret } = await setUp(new MemoryCatalog(), "rackbeat_to_woo");
    const r = await bridge!.signedFetch(shopId, shopSecret, "POST", `/v1/shops/${shopId}/initial-sync`);
    expect(r.status).toBe(409);
    expect(((await r.json()) as { error: string }).error).toBe("wrong_direction");
  });
});
