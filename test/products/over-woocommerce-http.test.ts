/**
 * The products feature with its real WooCommerce catalogue adapter (the shared client, per-shop via
 * `wooClientFor`) against the WooCommerce sandbox over plain HTTP — OAuth 1.0a only — and the
 * Rackbeat sandbox; both directions. The shop enters prices incl. tax (Rackbeat's are excl.).
 */
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { RACKBEAT_TOKEN_KEY, rackbeatClient } from "../../bridge/src/account/rackbeat-account.js";
import { checkWooKeysOverRest } from "../../bridge/src/shops/woo-key-check.js";
import { createProductsFeature, PRODUCT_FROM_RACKBEAT_JOB } from "../../bridge/src/sync/products/products-feature.js";
import { type TestBridge, startTestBridge } from "../helpers/bridge.js";
import { type RackbeatSandbox, startRackbeatSandbox } from "../sandboxes/rackbeat/index.js";
import { type WooSandbox, startWooSandbox } from "../sandboxes/woocommerce/index.js";

let bridge: TestBridge | undefined;
let rackbeat: RackbeatSandbox | undefined;
let woo: WooSandbox | undefined;
afterEach(async () => {
  await bridge?.close();
  await rackbeat?.close();
  await woo?.close();
  bridge = rackbeat = woo = undefined;
});

async function setUp(products: Record<string, unknown>) {
  woo = await startWooSandbox();
  woo.shop.settings.pricesIncludeTax = true;
  rackbeat = await startRackbeatSandbox({ rateLimit: false });
  rackbeat.seedProductGroups([{ number: 2, name: "Food", vat_domestic: 12 }]);
  bridge = await startTestBridge({
    env: { RACKBEAT_BASE_URL: rackbeat.baseUrl, JOB_BACKOFF_BASE_MS: "50", WOOCOMMERCE_TIMEOUT_MS: "3000" },
    features: [createProductsFeature()],
    checkWooKeys: (input) => checkWooKeysOverRest(input, 3_000),
  });
  await bridge.ctx.account.setSecret(RACKBEAT_TOKEN_KEY, rackbeat.token);
  const key = woo.createKey({ permissions: "read_write" });
  const { code } = await bridge.ctx.pairing.create("Products shop");
  const response = await fetch(`${bridge.url}/v1/pair`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ code, shop_url: woo.url, shop_name: "Products shop", wc_consumer_key: key.consumerKey, wc_consumer_secret: key.consumerSecret, protocol_version: 1 }),
  });
  expect(response.status).toBe(201);
  const shop = (await response.json()) as { shop_id: string; shop_secret: string };
  await bridge.ctx.shops.saveSettings(shop.shop_id, { products });
  woo.clearRequests();
  return { shopId: shop.shop_id, shopSecret: shop.shop_secret };
}

const settled = async () => {
  for (let i = 0; i < 400; i++) {
    const jobs = await bridge!.ctx.queue.list({ limit: 200 });
    if (jobs.every((j) => j.state !== "waiting" && j.state !== "running")) return jobs;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("jobs did not settle");
};

async function sendEvent(shop: { shopId: string; shopSecret: string }, resourceId: number, parentId?: number) {
  const event = { event_id: randomUUID(), topic: "product.changed", resource_id: resourceId, ...(parentId ? { parent_id: parentId } : {}), occurred_at: new Date().toISOString() };
  const r = await bridge!.signedFetch(shop.shopId, shop.shopSecret, "POST", `/v1/shops/${shop.shopId}/events`, { events: [event] });
  expect(r.status).toBe(202);
  const jobs = await settled();
  expect(jobs.filter((j) => j.state === "parked" || j.state === "skipped")).toEqual([]);
}

/** Every WooCommerce REST call of the bridge was OAuth-signed over plain HTTP and accepted. */
function expectOAuthOnly() {
  const calls = woo!.requests().filter((r) => r.route.startsWith("/wc/v3/"));
  expect(calls.length).toBeGreaterThan(0);
  expect(calls.filter((r) => r.https || r.auth !== "oauth1" || r.status >= 400)).toEqual([]);
  return calls;
}

const size = (options: string[]) => [{ id: 0, name: "Size", slug: "size", position: 0, visible: true, variation: true, options }];

describe("products over the WooCommerce REST API (plain HTTP)", () => {
  it("WooCommerce → Rackbeat: creates and updates a simple product and a variation, VAT taken out, EAN carried", async () => {
    const shop = await setUp({ master: "woo_to_rackbeat", productGroups: { default: 1 } });
    const mug = Number(woo!.seedProduct({ sku: "MUG-1", name: "Mug", description: "A mug", regularPrice: "99.95", weight: "0.35", globalUniqueId: "5701234567890" }).id);
    const tee = Number(woo!.seedProduct({ type: "variable", sku: "TEE", name: "Tee", attributes: size(["S", "M"]) }).id);
    const teeS = Number(woo!.seedProduct({ type: "variation", parentId: tee, sku: "TEE-S", regularPrice: "50.00", variationAttributes: [{ id: 0, name: "Size", slug: "size", option: "S" }] }).id);

    await sendEvent(shop, mug);
    expect(rackbeat!.getProduct("MUG-1")).toMatchObject({ name: "Mug", description: "A mug", sales_price: 79.96, barcode: "5701234567890", physical: { weight: 0.35 } });
    await sendEvent(shop, tee);
    expect(rackbeat!.getProduct("TEE-S")).toMatchObject({ name: "Tee - S", sales_price: 40 });
    expect(rackbeat!.getProduct("TEE")).toBeUndefined();

    // Changed in the shop: the updates follow.
    Object.assign(woo!.shop.products.get(mug)!, { name: "Big mug", regularPrice: "112.00", globalUniqueId: "5701234567906" });
    Object.assign(woo!.shop.products.get(teeS)!, { regularPrice: "62.50" });
    await sendEvent(shop, mug);
    await sendEvent(shop, teeS, tee);
    expect(rackbeat!.getProduct("MUG-1")).toMatchObject({ name: "Big mug", sales_price: 89.6, barcode: "5701234567906" });
    expect(rackbeat!.getProduct("TEE-S")).toMatchObject({ sales_price: 50 });

    const calls = expectOAuthOnly();
    // The variation was read through its parent's variation endpoints; nothing was written to the shop.
    expect(calls.some((r) => r.method === "GET" && r.route === `/wc/v3/products/${tee}/variations/${teeS}`)).toBe(true);
    expect(calls.filter((r) => r.method !== "GET")).toEqual([]);
  });

  it("Rackbeat → WooCommerce: price incl. the group's VAT, name, EAN, variation through its endpoint, new product, barred → private and back", async () => {
    const shop = await setUp({ master: "rackbeat_to_woo", newProductsFromRackbeat: "draft", fields: { description: false, ean: true } });
    const lamp = Number(woo!.seedProduct({ sku: "LAMP", name: "Old", description: "keep me", regularPrice: "1.00" }).id);
    const sock = Number(woo!.seedProduct({ type: "variable", sku: "SOCK", name: "Sock", attributes: size(["L"]) }).id);
    const sockL = Number(woo!.seedProduct({ type: "variation", parentId: sock, sku: "SOCK-L", regularPrice: "1.00", variationAttributes: [{ id: 0, name: "Size", slug: "size", option: "L" }] }).id);
    rackbeat!.seedProducts([
      { number: "LAMP", name: "Lamp", sales_price: 80, description: "Rackbeat text", barcode: "5701234567913" },
      { number: "SOCK-L", name: "Sock large", sales_price: 40, group: 2 },
      { number: "NEW-1", name: "New one", sales_price: 10 },
    ]);
    const run = async (key: string) => {
      await bridge!.ctx.queue.enqueue({ kind: PRODUCT_FROM_RACKBEAT_JOB, idempotencyKey: `t:${key}:${randomUUID()}`, payload: { key } });
      const jobs = await settled();
      expect(jobs.filter((j) => j.state === "parked")).toEqual([]);
    };
    for (const key of ["LAMP", "SOCK-L", "NEW-1"]) await run(key);

    expect(woo!.getProduct(lamp)).toMatchObject({ name: "Lamp", regular_price: "100.00", description: "keep me", global_unique_id: "5701234567913", status: "publish" });
    expect(woo!.getProduct(sockL)).toMatchObject({ regular_price: "44.80" });
    const created = [...woo!.shop.products.values()].find((p) => p.sku === "NEW-1");
    expect(created).toMatchObject({ type: "simple", status: "draft", regularPrice: "12.50", name: "New one" });
    const writes = woo!.requests().filter((r) => r.method !== "GET");
    expect(writes.map((r) => `${r.method} ${r.route}`).sort()).toEqual(
      [`PUT /wc/v3/products/${lamp}`, `PUT /wc/v3/products/${sock}/variations/${sockL}`, "POST /wc/v3/products"].sort(),
    );

    // Same again: nothing written.
    woo!.clearRequests();
    await run("LAMP");
    expect(woo!.requests().filter((r) => r.method !== "GET")).toEqual([]);

    // Barred → private; unbarred → published again.
    const client = await rackbeatClient(bridge!.ctx);
    await client.setProductBarred("LAMP", true);
    await run("LAMP");
    expect(woo!.getProduct(lamp)).toMatchObject({ status: "private" });
    await client.setProductBarred("LAMP", false);
    await run("LAMP");
    expect(woo!.getProduct(lamp)).toMatchObject({ status: "publish" });
    expectOAuthOnly();
  });
});
