import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { RACKBEAT_TOKEN_KEY } from "../../bridge/src/account/rackbeat-account.js";
import { createProductsFeature, PRODUCT_FROM_RACKBEAT_JOB } from "../../bridge/src/sync/products/products-feature.js";
import { type TestBridge, startTestBridge } from "../helpers/bridge.js";
import { type RackbeatSandbox, startRackbeatSandbox } from "../sandboxes/rackbeat/index.js";
import { MemoryCatalog } from "./memory-catalog.js";

let bridge: TestBridge | undefined;
let rackbeat: RackbeatSandbox | undefined;
afterEach(async () => {
  await bridge?.close();
  await rackbeat?.close();
});

async function setUp(catalog: MemoryCatalog, products: Record<string, unknown>) {
  rackbeat = await startRackbeatSandbox({ rateLimit: false });
  rackbeat.seedProductGroups([{ number: 2, name: "Food", vat_domestic: 12 }]);
  bridge = await startTestBridge({ env: { RACKBEAT_BASE_URL: rackbeat.baseUrl, JOB_BACKOFF_BASE_MS: "50" }, features: [createProductsFeature({ catalogFor: () => async () => catalog })] });
  await bridge.ctx.account.setSecret(RACKBEAT_TOKEN_KEY, rackbeat.token);
  const shop = await bridge.pairShop();
  await bridge.ctx.shops.saveSettings(shop.shopId, { products });
  return shop;
}

const settled = async (kind?: string) => {
  for (let i = 0; i < 400; i++) {
    const jobs = await bridge!.ctx.queue.list({ limit: 200 });
    if (jobs.every((j) => j.state !== "waiting" && j.state !== "running") && (!kind || jobs.some((j) => j.kind === kind))) return jobs;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("jobs did not settle");
};

async function sendEvent(shop: { shopId: string; shopSecret: string }, topic: string, resourceId: number, parentId?: number) {
  const event = { event_id: randomUUID(), topic, resource_id: resourceId, ...(parentId ? { parent_id: parentId } : {}), occurred_at: new Date().toISOString() };
  const r = await bridge!.signedFetch(shop.shopId, shop.shopSecret, "POST", `/v1/shops/${shop.shopId}/events`, { events: [event] });
  expect(r.status).toBe(202);
  return settled();
}

describe("Rackbeat → WooCommerce, several shops", () => {
  it("reads a changed Rackbeat product once, whatever the number of shops mirroring it", async () => {
    const catalog = new MemoryCatalog();
    const first = await setUp(catalog, { master: "rackbeat_to_woo", newProductsFromRackbeat: "draft" });
    for (let i = 0; i < 2; i++) {
      const other = await bridge!.pairShop({ name: `Shop ${i + 2}` });
      await bridge!.ctx.shops.saveSettings(other.shopId, { products: { master: "rackbeat_to_woo", newProductsFromRackbeat: "draft" } });
    }
    catalog.add({ id: 30, sku: "LAMP", name: "Old", regularPrice: "1.00" });
    rackbeat!.seedProducts([{ number: "LAMP", name: "Lamp", sales_price: 80 }]);
    rackbeat!.resetStats();
    await bridge!.ctx.queue.enqueue({ kind: PRODUCT_FROM_RACKBEAT_JOB, idempotencyKey: "t:LAMP:shops", payload: { key: "LAMP" } });
    await settled(PRODUCT_FROM_RACKBEAT_JOB);
    expect(catalog.items.get(30)).toMatchObject({ name: "Lamp" });
    // Three shops take products from Rackbeat; one read of the product (before: one per shop).
    expect(rackbeat!.stats().byRoute["GET /products/:number"]).toBe(1);
    expect(first.shopId).toBeTruthy();
  });
});

describe("WooCommerce → Rackbeat", () => {
  it("creates and updates field by field, excl. VAT, variations, renames, bars deleted and trashed, and never echoes", async () => {
    const catalog = new MemoryCatalog();
    const shop = await setUp(catalog, { master: "woo_to_rackbeat", productGroups: { byTaxClass: { food: 2 }, default: 1 } });
    catalog.add({ id: 10, sku: "MUG-1", name: "Mug", description: "A mug", regularPrice: "99.95", weight: "0.35", ean: "5701234567890" });
    await sendEvent(shop, "product.changed", 10);
    expect(rackbeat!.getProduct("MUG-1")).toMatchObject({ name: "Mug", description: "A mug", sales_price: 79.96, barcode: "5701234567890", group_id: 1, physical: { weight: 0.35, weight_unit: "kg" } });

    // Unchanged: no write at all.
    rackbeat!.resetStats();
    await sendEvent(shop, "product.changed", 10);
    expect(Object.keys(rackbeat!.stats().byRoute).filter((k) => !k.startsWith("GET"))).toEqual([]);

    // Field by field, and a tax class mapped to a 12 % group.
    const mug = catalog.items.get(10)!;
    Object.assign(mug, { name: "Big mug", regularPrice: "112.00", taxClass: "food" });
    await sendEvent(shop, "product.changed", 10);
    expect(rackbeat!.getProduct("MUG-1")).toMatchObject({ name: "Big mug", sales_price: 100, group_id: 2 });

    // Prices entered excl. VAT go over as they are.
    catalog.unitsValue = { ...catalog.unitsValue, pricesIncludeTax: false };
    await sendEvent(shop, "product.changed", 10);
    expect(rackbeat!.getProduct("MUG-1")).toMatchObject({ sales_price: 112 });

    // A variable product: each variation is its own Rackbeat product; the parent is not.
    catalog.add({ id: 20, type: "variable", sku: "TEE", name: "Tee" });
    catalog.add({ id: 21, type: "variation", parentId: 20, sku: "TEE-S", name: "Tee - S", regularPrice: "50", taxClass: "parent" });
    catalog.add({ id: 22, type: "variation", parentId: 20, sku: "TEE M", name: "Tee - M", regularPrice: "50", taxClass: "parent" });
    const jobs = await sendEvent(shop, "product.changed", 20);
    expect(rackbeat!.getProduct("TEE-S")).toMatchObject({ name: "Tee - S", sales_price: 50 });
    expect(rackbeat!.getProduct("TEE")).toBeUndefined();
    expect(rackbeat!.getProduct("TEE M")).toBeUndefined();
    const record = await bridge!.ctx.activity.findBySubject({ shopId: shop.shopId, type: "product", id: "20" });
    expect(record?.state).toBe("flagged");
    expect(record?.reason).toContain("space");
    expect(jobs.some((j) => j.state === "parked")).toBe(false);

    // A new SKU on a linked product is a rename of the same Rackbeat product.
    mug.sku = "MUG-2";
    await sendEvent(shop, "product.changed", 10);
    expect(rackbeat!.getProduct("MUG-1")).toBeUndefined();
    expect(rackbeat!.getProduct("MUG-2")).toMatchObject({ name: "Big mug" });
    const steps = (await bridge!.ctx.activity.get(shop.shopId, (await bridge!.ctx.activity.findBySubject({ shopId: shop.shopId, type: "product", id: "10" }))!.id))!.steps;
    expect(steps.some((s) => s.action === "rackbeat product renamed")).toBe(true);

    // Trashed → barred; deleted variation product → its variations barred. Never deleted.
    mug.status = "trash";
    await sendEvent(shop, "product.changed", 10);
    expect(rackbeat!.getProduct("MUG-2")).toMatchObject({ is_barred: true });
    catalog.items.delete(20);
    catalog.items.delete(21);
    catalog.items.delete(22);
    await sendEvent(shop, "product.deleted", 20);
    expect(rackbeat!.getProduct("TEE-S")).toMatchObject({ is_barred: true });

    // No echo: every write carried suppress_webhooks.
    expect(rackbeat!.webhookDeliveries()).toEqual([]);
    expect(catalog.writes).toEqual([]);
  });
});

describe("Rackbeat → WooCommerce", () => {
  it("updates by SKU per toggle, adds the group's VAT, creates simple products, bars to private and back", async () => {
    const catalog = new MemoryCatalog();
    const shop = await setUp(catalog, { master: "rackbeat_to_woo", newProductsFromRackbeat: "draft", fields: { description: false } });
    catalog.add({ id: 30, sku: "LAMP", name: "Old", description: "keep me", regularPrice: "1.00" });
    catalog.add({ id: 40, type: "variable", sku: "SOCK", name: "Sock" });
    catalog.add({ id: 41, type: "variation", parentId: 40, sku: "SOCK-L", name: "Sock - L", regularPrice: "1.00" });
    rackbeat!.seedProducts([
      { number: "LAMP", name: "Lamp", sales_price: 80, cost_price: 30, description: "Rackbeat text" },
      { number: "SOCK-L", name: "Sock large", sales_price: 40, group: 2 },
      { number: "NEW-1", name: "New one", sales_price: 10 },
    ]);
    for (const key of ["LAMP", "SOCK-L", "NEW-1"]) {
      await bridge!.ctx.queue.enqueue({ kind: PRODUCT_FROM_RACKBEAT_JOB, idempotencyKey: `t:${key}`, payload: { key } });
    }
    await settled(PRODUCT_FROM_RACKBEAT_JOB);
    expect(catalog.items.get(30)).toMatchObject({ name: "Lamp", regularPrice: "100.00", description: "keep me", costPrice: "30" });
    expect(catalog.items.get(41)).toMatchObject({ name: "Sock large", regularPrice: "44.80" });
    const created = [...catalog.items.values()].find((i) => i.sku === "NEW-1");
    expect(created).toMatchObject({ type: "simple", status: "draft", regularPrice: "12.50", name: "New one" });

    // Same again: nothing written.
    const writes = catalog.writes.length;
    await bridge!.ctx.queue.enqueue({ kind: PRODUCT_FROM_RACKBEAT_JOB, idempotencyKey: "t:LAMP:2", payload: { key: "LAMP" } });
    await settled();
    expect(catalog.writes.length).toBe(writes);

    // Barred → private; unbarred → published again.
    const client = (await import("../../bridge/src/account/rackbeat-account.js")).rackbeatClient;
    await (await client(bridge!.ctx)).setProductBarred("LAMP", true);
    await bridge!.ctx.queue.enqueue({ kind: PRODUCT_FROM_RACKBEAT_JOB, idempotencyKey: "t:LAMP:3", payload: { key: "LAMP" } });
    await settled();
    expect(catalog.items.get(30)?.status).toBe("private");
    await (await client(bridge!.ctx)).setProductBarred("LAMP", false);
    await bridge!.ctx.queue.enqueue({ kind: PRODUCT_FROM_RACKBEAT_JOB, idempotencyKey: "t:LAMP:4", payload: { key: "LAMP" } });
    await settled();
    expect(catalog.items.get(30)?.status).toBe("publish");
    expect(catalog.items.has(30)).toBe(true);

    // Prices entered excl. tax: no VAT added.
    catalog.unitsValue = { ...catalog.unitsValue, pricesIncludeTax: false };
    await bridge!.ctx.queue.enqueue({ kind: PRODUCT_FROM_RACKBEAT_JOB, idempotencyKey: "t:LAMP:5", payload: { key: "LAMP" } });
    await settled();
    expect(catalog.items.get(30)?.regularPrice).toBe("80.00");

    // WooCommerce events are ignored in this direction.
    rackbeat!.resetStats();
    const event = { event_id: randomUUID(), topic: "product.changed", resource_id: 30, occurred_at: new Date().toISOString() };
    await bridge!.signedFetch(shop.shopId, shop.shopSecret, "POST", `/v1/shops/${shop.shopId}/events`, { events: [event] });
    const jobs = await settled("event:product.changed");
    expect(jobs.find((j) => j.kind === "event:product.changed")?.state).toBe("skipped");
    expect(rackbeat!.stats().requests).toBe(0);
  });
});
