/**
 * The status route's parts the admin page's Overview shows: WooCommerce keys still valid, last order
 * transferred, stock mode and last stock update (each feature adds its part).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { features } from "../../bridge/src/features.js";
import { type TestBridge, startTestBridge } from "../helpers/bridge.js";
import { type WooSandbox, startWooSandbox } from "../sandboxes/woocommerce/index.js";

let woo: WooSandbox;
let bridge: TestBridge;

beforeAll(async () => {
  woo = await startWooSandbox();
  bridge = await startTestBridge({ runWorkers: false, features });
});
afterAll(async () => {
  await bridge.close();
  await woo.close();
});

async function pairWith(consumerKey: string, consumerSecret: string) {
  const { code } = await bridge.ctx.pairing.create("Status shop");
  const response = await fetch(`${bridge.url}/v1/pair`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ code, shop_url: woo.url, shop_name: "Status shop", wc_consumer_key: consumerKey, wc_consumer_secret: consumerSecret, protocol_version: 1 }),
  });
  expect(response.status).toBe(201);
  const body = (await response.json()) as { shop_id: string; shop_secret: string };
  return { shopId: body.shop_id, shopSecret: body.shop_secret };
}

describe("status parts for the Overview", () => {
  it("says whether the shop's WooCommerce keys still work, and reports orders and stock", async () => {
    const good = woo.createKey({ permissions: "read_write" });
    const goodShop = await pairWith(good.consumerKey, good.consumerSecret);
    const revoked = woo.createKey({ permissions: "read_write" });
    const revokedShop = await pairWith(revoked.consumerKey, revoked.consumerSecret);
    woo.revokeKey(revoked.keyId);

    const status = async (shop: { shopId: string; shopSecret: string }) =>
      (await (await bridge.signedFetch(shop.shopId, shop.shopSecret, "GET", `/v1/shops/${shop.shopId}/status`)).json()) as Record<string, any>;

    const ok = await status(goodShop);
    expect(ok.woocommerce).toMatchObject({ keys_valid: true });
    expect(ok.orders).toMatchObject({ exported: 0, last_transferred_at: null });
    expect(ok.stock).toMatchObject({ mode: "polling", webhooks_registered: false, last_update_at: null });
    expect(ok.stock.reason).toMatch(/PUBLIC_URL/);

    const refused = await status(revokedShop);
    expect(refused.woocommerce).toMatchObject({ keys_valid: false, reason: expect.stringContaining("refused") });
  });
});
