/**
 * The plugin against REAL WooCommerce (opt-in: `npm run test:woocommerce` with WOOCOMMERCE_DIR and
 * WORDPRESS_DIR set). With legacy order storage and with HPOS: block checkout (Store API), classic
 * checkout (the shortcode form and wc-ajax=checkout), an admin-created order and a REST-created
 * order each reach the real bridge exactly once, the placing request makes no network call, and
 * a stock write by the bridge (its own WooCommerce key) does not echo back.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventJobPayload } from "../../../bridge/src/intake/events.js";
import { checkWooKeysOverRest } from "../../../bridge/src/shops/woo-key-check.js";
import { type TestBridge, startTestBridge } from "../../helpers/bridge.js";
import { httpLog, login, outboxRows, pairThroughPlugin, php, placeOrder, resetWp, runDelivery, wp, wpState } from "../harness/wp.js";

type WooApi = {
  get(path: string, params?: object): Promise<{ data: any; status: number }>;
  post(path: string, data: object): Promise<{ data: any; status: number }>;
  put(path: string, data: object): Promise<{ data: any; status: number }>;
};

async function wooApi(consumerKey: string, consumerSecret: string, headers: Record<string, string> = {}): Promise<WooApi> {
  const module = (await import("@woocommerce/woocommerce-rest-api")) as any;
  const Api = "default" in module.default ? module.default.default : module.default;
  // axiosConfig.headers replaces the client's own headers, so the JSON ones are repeated here.
  return new Api({
    url: wpState().WP_URL,
    consumerKey,
    consumerSecret,
    version: "wc/v3",
    queryStringAuth: false,
    axiosConfig: { headers: { "content-type": "application/json;charset=utf-8", accept: "application/json", ...headers } },
  });
}

/** A REST key for the admin, stored the way WooCommerce stores keys (real-woocommerce.md gotcha 4). */
async function adminKey(): Promise<{ key: string; secret: string }> {
  return php(`
    global $wpdb;
    $key = 'ck_' . bin2hex(random_bytes(20)); $secret = 'cs_' . bin2hex(random_bytes(20));
    $wpdb->insert($wpdb->prefix . 'woocommerce_api_keys', ['user_id' => 1, 'description' => 'test admin', 'permissions' => 'read_write', 'consumer_key' => wc_api_hash($key), 'consumer_secret' => $secret, 'truncated_key' => substr($key, -7)]);
    return ['key' => $key, 'secret' => $secret];`);
}

class Browser {
  private readonly jar = new Map<string, string>();
  cookieHeader(): string {
    return [...this.jar.entries()].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  async fetch(path: string, init: RequestInit & { requestId?: string } = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.jar.size) headers.set("cookie", this.cookieHeader());
    if (init.requestId) headers.set("x-test-request", init.requestId);
    const response = await fetch(`${wpState().WP_URL}${path}`, { ...init, headers, redirect: "manual" });
    for (const c of response.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const at = pair!.indexOf("=");
      this.jar.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    return response;
  }
}

const address = { first_name: "Karen", last_name: "Blixen", address_1: "Rungstedlund 1", city: "Rungsted", postcode: "2960", country: "DK", email: "karen@example.com", phone: "12345678" };

async function blockCheckout(productId: number, requestId: string): Promise<number> {
  const browser = new Browser();
  const cart = await browser.fetch("/wp-json/wc/store/v1/cart");
  const nonce = cart.headers.get("nonce")!;
  const token = cart.headers.get("cart-token")!;
  const common = { "content-type": "application/json", nonce, "cart-token": token };
  const added = await browser.fetch("/wp-json/wc/store/v1/cart/add-item", { method: "POST", headers: common, body: JSON.stringify({ id: productId, quantity: 2 }) });
  expect(added.status, await added.clone().text()).toBe(201);
  const checkout = await browser.fetch("/wp-json/wc/store/v1/checkout", {
    method: "POST",
    headers: common,
    body: JSON.stringify({ billing_address: address, shipping_address: address, payment_method: "cod" }),
    requestId,
  });
  const body = (await checkout.json()) as { order_id: number; status: string };
  expect(checkout.status, JSON.stringify(body)).toBe(200);
  return body.order_id;
}

async function classicCheckout(productId: number, checkoutPath: string, requestId: string): Promise<number> {
  const browser = new Browser();
  await browser.fetch(`/?add-to-cart=${productId}`);
  const page = await (await browser.fetch(checkoutPath)).text();
  const nonce = /name="woocommerce-process-checkout-nonce" value="([^"]+)"/.exec(page)?.[1];
  expect(nonce, `classic checkout form with its nonce: ${(/<main[\s\S]*<\/main>/.exec(page)?.[0] ?? page).replace(/\s+/g, " ").slice(0, 1500)}`).toBeDefined();
  const form = new URLSearchParams({
    ...Object.fromEntries(Object.entries(address).map(([k, v]) => [`billing_${k}`, v])),
    payment_method: "cod",
    "woocommerce-process-checkout-nonce": nonce!,
    _wp_http_referer: "/?wc-ajax=update_order_review",
  });
  const response = await browser.fetch("/?wc-ajax=checkout", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form.toString(), requestId });
  const body = (await response.json()) as { result: string; redirect?: string; messages?: string };
  expect(body.result, JSON.stringify(body)).toBe("success");
  const id = Number(/order-received\/(\d+)/.exec(body.redirect ?? "")?.[1] ?? /order-received=(\d+)/.exec(body.redirect ?? "")?.[1]);
  expect(id).toBeGreaterThan(0);
  return id;
}

describe.each([
  ["legacy order storage", false],
  ["HPOS", true],
])("real WooCommerce, %s", (_name, hpos) => {
  let bridge: TestBridge;
  let shopId = "";
  let productId = 0;
  let checkoutPath = "";

  async function eventJobs(): Promise<EventJobPayload["event"][]> {
    const jobs = await bridge.ctx.queue.list({ shopId, limit: 10_000 });
    return jobs.filter((j) => j.kind.startsWith("event:")).map((j) => (j.payload as EventJobPayload).event);
  }

  beforeAll(async () => {
    await resetWp();
    if (hpos) {
      // real-woocommerce.md gotcha 2: WooCommerce switches HPOS on during the first admin request.
      const { ADMIN_USER, ADMIN_PASS } = wpState();
      const session = await login(ADMIN_USER, ADMIN_PASS);
      await wp("GET", "/wp-admin/admin-ajax.php?action=heartbeat", { auth: null, headers: { cookie: session.cookie } });
    }
    const setup = await php<{ hpos: boolean; product: number; checkout: string }>(`
      update_option('woocommerce_coming_soon', 'no'); // new installs start in "coming soon" mode: launch the store
      update_option('woocommerce_cod_settings', ['enabled' => 'yes', 'title' => 'Cash on delivery', 'enable_for_virtual' => 'yes']);
      $p = new WC_Product_Simple(); $p->set_name('Real thing'); $p->set_sku('RW-1'); $p->set_regular_price('100'); $p->set_virtual(true);
      $p->set_manage_stock(true); $p->set_stock_quantity(50); $p->set_status('publish'); $p->save();
      $page = wp_insert_post(['post_type' => 'page', 'post_status' => 'publish', 'post_title' => 'Classic checkout', 'post_name' => 'classic-checkout', 'post_content' => '[woocommerce_checkout]']);
      update_option('woocommerce_checkout_page_id', $page);
      return ['hpos' => Automattic\\WooCommerce\\Utilities\\OrderUtil::custom_orders_table_usage_is_enabled(), 'product' => $p->get_id(), 'checkout' => wp_make_link_relative(get_permalink($page))];`);
    expect(setup.hpos).toBe(hpos);
    productId = setup.product;
    checkoutPath = setup.checkout;

    bridge = await startTestBridge({ runWorkers: false, checkWooKeys: (input) => checkWooKeysOverRest(input, 30_000), env: { LOG_LEVEL: "warn" } });
    const { code } = await bridge.ctx.pairing.create("Real WooCommerce shop");
    const pair = await pairThroughPlugin(bridge.url, code);
    expect(pair.status, pair.text).toBe(201); // the bridge checked the new key against WooCommerce's REST API (OAuth 1.0a)
    shopId = pair.json.connection.shop_id;
  });

  afterAll(async () => {
    await bridge?.close();
  });

  it("block, classic, admin-created and REST-created orders each reach the bridge exactly once", async () => {
    const ids: Record<string, number> = {};
    ids.block = await blockCheckout(productId, `real-block-${hpos}`);
    ids.classic = await classicCheckout(productId, checkoutPath, `real-classic-${hpos}`);
    ids.admin = await placeOrder({ flow: "admin", status: "processing" }, `real-admin-${hpos}`);
    const key = await adminKey();
    const api = await wooApi(key.key, key.secret, { "x-test-request": `real-rest-${hpos}` });
    const created = await api.post("orders", { status: "processing", set_paid: true, billing: address, line_items: [{ product_id: productId, quantity: 1 }] });
    expect(created.status).toBe(201);
    ids.rest = created.data.id;

    // No request that placed an order made a network call.
    expect(httpLog().filter((e) => e.request.startsWith("real-") && e.request.endsWith(String(hpos)))).toEqual([]);

    await runDelivery();
    const events = await eventJobs();
    for (const [flow, id] of Object.entries(ids)) {
      const created = events.filter((e) => e.resource_id === id && e.topic === "order.created");
      expect(created, `${flow} order ${id}: ${JSON.stringify(events.filter((e) => e.resource_id === id))}`).toHaveLength(1);
    }
    expect(new Set(events.map((e) => e.event_id)).size).toBe(events.length);
    expect((await outboxRows()).filter((r) => r.acked_at === null)).toEqual([]);
  });

  it("a stock write by the bridge through its WooCommerce key does not echo; the same write by the admin does", async () => {
    await php("update_option('rackbeat_connector_product_master', 'woo_to_rackbeat'); return true;");
    const credentials = (await bridge.ctx.shops.credentials(shopId))!;
    const asBridge = await wooApi(credentials.wcConsumerKey, credentials.wcConsumerSecret, { "x-rbc-origin": "bridge" });
    const before = (await outboxRows()).length;
    const written = await asBridge.put(`products/${productId}`, { stock_quantity: 7 });
    expect(written.data.stock_quantity).toBe(7);
    expect((await outboxRows()).length).toBe(before);

    const key = await adminKey();
    const asAdmin = await wooApi(key.key, key.secret);
    await asAdmin.put(`products/${productId}`, { stock_quantity: 8 });
    const rows = (await outboxRows()).slice(before);
    expect(rows.map((r) => [r.topic, Number(r.resource_id)])).toEqual(
      expect.arrayContaining([["product.changed", productId]]),
    );
  });
});
