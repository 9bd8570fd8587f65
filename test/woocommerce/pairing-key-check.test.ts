/**
 * Pairing proves the shop's REST keys with the bridge's WooCommerce client: through the real
 * `POST /v1/pair` route against the WooCommerce sandbox over plain HTTP (OAuth 1.0a only).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkWooKeysOverRest } from "../../bridge/src/shops/woo-key-check.js";
import { type TestBridge, startTestBridge } from "../helpers/bridge.js";
import { type WooSandbox, startWooSandbox } from "../sandboxes/woocommerce/index.js";

let woo: WooSandbox;
let bridge: TestBridge;

beforeAll(async () => {
  woo = await startWooSandbox();
  bridge = await startTestBridge({ runWorkers: false, checkWooKeys: (input) => checkWooKeysOverRest(input, 2_000) });
});
afterAll(async () => {
  await bridge.close();
  await woo.close();
});

async function pair(consumerKey: string, consumerSecret: string): Promise<Response> {
  const { code } = await bridge.ctx.pairing.create("Key check shop");
  return fetch(`${bridge.url}/v1/pair`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ code, shop_url: woo.url, shop_name: "Key check shop", wc_consumer_key: consumerKey, wc_consumer_secret: consumerSecret, protocol_version: 1 }),
  });
}

describe("pairing: the shop's WooCommerce keys are checked over REST", () => {
  it("accepts working keys (OAuth-signed over http://) and refuses a wrong secret with WooCommerce's code", async () => {
    const key = woo.createKey({ permissions: "read_write" });
    woo.clearRequests();
    expect((await pair(key.consumerKey, key.consumerSecret)).status).toBe(201);
    const checks = woo.requests().filter((r) => r.route === "/wc/v3/system_status");
    expect(checks).toMatchObject([{ method: "GET", auth: "oauth1", https: false, status: 200 }]);

    const refused = await pair(key.consumerKey, `cs_${"0".repeat(40)}`);
    expect(refused.status).toBe(422);
    const body = (await refused.json()) as { error: string; message: string; details?: { woocommerce: { code: string } }[] };
    expect(body.error).toBe("woocommerce_keys_refused");
    expect(body.message).toContain("HTTP 401");
    expect(body.details?.[0]?.woocommerce.code).toMatch(/^woocommerce_rest_/);
    expect(JSON.stringify(body)).not.toContain(key.consumerSecret);
    expect(await bridge.ctx.shops.list()).toHaveLength(1);
  });
});
