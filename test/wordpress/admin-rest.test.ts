/**
 * The admin page's REST routes (rackbeat-connector/v1) on real WordPress: capability and nonce
 * refusals, pairing errors, the signed proxy to the bridge routes of protocol.md §5, secrets never
 * in a response, and the staging pause. Uses the fake bridge, where faults are easy to inject.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeBridge } from "./harness/fake-bridge.js";
import { type WpResponse, createUser, login, outboxRows, pairThroughPlugin, php, placeOrder, resetWp, runDelivery, wp, wpState } from "./harness/wp.js";

const bridge = new FakeBridge();
/** Every response a REST route of the plugin gave in this file: checked for secrets at the end. */
const seen: WpResponse[] = [];

async function call(method: string, route: string, options: Parameters<typeof wp>[2] = {}) {
  const r = await wp(method, `/wp-json/rackbeat-connector/v1${route}`, options);
  seen.push(r);
  return r;
}

beforeAll(async () => {
  await resetWp();
  await bridge.start();
});

afterAll(async () => {
  await bridge.stop();
});

describe("who may use the admin routes", () => {
  const routes: [string, string, unknown?][] = [
    ["GET", "/connection"],
    ["POST", "/pair", { bridge_url: "http://127.0.0.1:9", code: "ABCDEFGH-12345678" }],
    ["POST", "/disconnect"],
    ["POST", "/staging/confirm"],
    ["PUT", "/alerts", { enabled: false }],
    ["POST", "/outbox/send"],
    ["GET", "/bridge/shop/status"],
  ];

  it.each(routes)("%s %s: 401 without credentials", async (method, route, body) => {
    const r = await call(method, route, { auth: null, ...(body ? { body } : {}) });
    expect(r.status).toBe(401);
  });

  it("403 for a subscriber; a shop manager (manage_woocommerce) is allowed", async () => {
    const subscriber = await createUser("rb-subscriber", "subscriber");
    for (const [method, route, body] of routes) {
      const r = await call(method, route, { auth: subscriber.auth, ...(body ? { body } : {}) });
      expect(r.status, `${method} ${route}`).toBe(403);
    }
    const manager = await createUser("rb-manager", "shop_manager");
    expect((await call("GET", "/connection", { auth: manager.auth })).status).toBe(200);
  });

  it("a logged-in browser needs the wp_rest nonce: none → 401, wrong → 403, right → 200", async () => {
    const { ADMIN_USER, ADMIN_PASS } = wpState();
    const session = await login(ADMIN_USER, ADMIN_PASS);
    const cookie = { cookie: session.cookie };
    expect((await call("GET", "/connection", { auth: null, headers: cookie })).status).toBe(401);
    const wrong = await call("GET", "/connection", { auth: null, headers: { ...cookie, "x-wp-nonce": "0123456789" } });
    expect(wrong.status).toBe(403);
    expect(wrong.json.code).toBe("rest_cookie_invalid_nonce");
    expect((await call("GET", "/connection", { auth: null, headers: { ...cookie, "x-wp-nonce": session.nonce } })).status).toBe(200);
  });
});

describe("pairing through the plugin", () => {
  it("refuses a bad URL and a wrong code without storing anything", async () => {
    const badUrl = await call("POST", "/pair", { body: { bridge_url: "ftp://bridge", code: "ABCDEFGH-12345678" } });
    expect(badUrl.status).toBe(400);
    const wrong = await call("POST", "/pair", { body: { bridge_url: bridge.url, code: "WRONGCODE-0000" } });
    expect(wrong.status).toBe(400);
    expect(wrong.json.code).toBe("rackbeat_connector_code_refused");
    expect((await call("GET", "/connection")).json.connection.connected).toBe(false);
    // The WooCommerce key made for the attempt was removed again.
    expect(await php<number>("global $wpdb; return (int) $wpdb->get_var(\"SELECT COUNT(*) FROM {$wpdb->prefix}woocommerce_api_keys\");")).toBe(0);
  });

  it("a protocol version mismatch is refused with both versions, and noticed in wp-admin", async () => {
    bridge.protocolVersion = 2;
    const r = await call("POST", "/pair", { body: { bridge_url: bridge.url, code: bridge.issueCode() } });
    bridge.protocolVersion = 1;
    expect(r.status).toBe(409);
    expect(r.json.message).toMatch(/version 2 .*version 1/);
    const { ADMIN_USER, ADMIN_PASS } = wpState();
    const session = await login(ADMIN_USER, ADMIN_PASS);
    const dashboard = await wp("GET", "/wp-admin/index.php", { auth: null, headers: { cookie: session.cookie } });
    expect(dashboard.text).toContain("rackbeat-connector-protocol");
    expect(dashboard.text).toMatch(/protocol version 2, this plugin speaks version 1/);
  });

  it("pairs: the bridge gets a working-looking WooCommerce key, the plugin keeps shop id and secret (secret not autoloaded)", async () => {
    bridge.answers.set("GET /settings", { status: 200, body: { products: { master: "woo_to_rackbeat" } } });
    const r = await pairThroughPlugin(bridge.url, bridge.issueCode().toLowerCase().replace(/-/g, " "));
    seen.push(r);
    expect(r.status, r.text).toBe(201);
    const shop = bridge.onlyShop();
    expect(r.json.connection).toMatchObject({ connected: true, shop_id: shop.id, bridge_url: bridge.url, bridge_version: "fake-0" });
    const stored = await php<{ hash: string; autoload: string; master: string; user: string[] }>(`
      global $wpdb;
      $key = $wpdb->get_row("SELECT * FROM {$wpdb->prefix}woocommerce_api_keys", ARRAY_A);
      $user = get_userdata((int) $key['user_id']);
      return ['hash' => $key['consumer_key'] . ' ' . $key['consumer_secret'] . ' ' . $key['permissions'],
              'autoload' => $wpdb->get_var("SELECT autoload FROM {$wpdb->options} WHERE option_name = 'rackbeat_connector_shop_secret'"),
              'master' => get_option('rackbeat_connector_product_master'), 'user' => $user->roles];`);
    const bridgeShop = bridge.shops.get(shop.id)!;
    const { createHmac } = await import("node:crypto");
    expect(stored.hash).toBe(`${createHmac("sha256", "wc-api").update(bridgeShop.consumerKey).digest("hex")} ${bridgeShop.consumerSecret} read_write`);
    expect(stored.autoload).toBe("no");
    expect(stored.master).toBe("woo_to_rackbeat");
    expect(stored.user).toEqual(["shop_manager"]);
    expect(bridge.requests.find((q) => q.path.endsWith("/settings"))?.verified).toBe(true);
  });
});

describe("the bridge proxy (protocol.md §5)", () => {
  it("forwards allow-listed calls signed, with query and body, and passes the answer back without secrets", async () => {
    bridge.answers.set("GET /status", {
      status: 200,
      body: { bridge: { ok: true }, rackbeat: { hasToken: true, token: "rb-live-token" }, webhooks: { secret: "whsec", failing: 0 }, shop_secret: "leak" },
    });
    const status = await call("GET", "/bridge/shop/status");
    expect(status.status).toBe(200);
    expect(status.json).toEqual({ bridge: { ok: true }, rackbeat: { hasToken: true }, webhooks: { failing: 0 } });

    bridge.answers.set("GET /activity", { status: 200, body: { records: [] } });
    await call("GET", "/bridge/shop/activity?state=parked&limit=50");
    const shop = bridge.onlyShop();
    const activity = bridge.requests.at(-1)!;
    expect(activity.path).toBe(`/v1/shops/${shop.id}/activity?state=parked&limit=50`);
    expect(activity.verified).toBe(true);

    bridge.answers.set("PUT /settings", { status: 200, body: { products: { master: "rackbeat_to_woo" } } });
    const body = { products: { master: "rackbeat_to_woo" }, orders: { note: "Bestilling – ÆØÅ" } };
    const put = await call("PUT", "/bridge/shop/settings", { body });
    expect(put.status).toBe(200);
    expect(JSON.parse(bridge.requests.at(-1)!.body)).toEqual(body);
    expect(await php<string>("return get_option('rackbeat_connector_product_master');")).toBe("rackbeat_to_woo");

    bridge.answers.set("PUT /v1/account/rackbeat-token", { status: 204, body: "" });
    bridge.answers.set("GET /v1/account/shops", { status: 200, body: { shops: [{ id: shop.id, role: "master" }] } });
    expect((await call("GET", "/bridge/account/shops")).json.shops[0].id).toBe(shop.id);
    expect(bridge.requests.at(-1)!.path).toBe("/v1/account/shops");
  });

  it("keeps empty JSON objects as {} and empty lists as [] (no associative decode on the way through)", async () => {
    const answer = { orders: { articleNumbers: {}, paymentMethods: [] }, products: { productGroups: { byTaxClass: {} } }, stock: {}, empty: [], nested: [{}] };
    bridge.answers.set("GET /settings", { status: 200, body: answer });
    const r = await call("GET", "/bridge/shop/settings");
    expect(r.status).toBe(200);
    // Compare the raw text: toEqual would not tell {} from [] once parsed into JS.
    expect(r.text).toBe(JSON.stringify(answer));
    bridge.answers.set("GET /status", { status: 200, body: {} });
    expect((await call("GET", "/bridge/shop/status")).text).toBe("{}");
    bridge.answers.set("GET /status", { status: 200, body: { secret: "leak", kept: {} } });
    expect((await call("GET", "/bridge/shop/status")).text).toBe('{"kept":{}}');
  });

  it("passes a CSV download through as text/csv", async () => {
    bridge.answers.set("GET /initial-sync/preflight/run-1.csv", { status: 200, body: "sku,problem\nA-1,missing\n", contentType: "text/csv; charset=utf-8" });
    const r = await call("GET", "/bridge/shop/initial-sync/preflight/run-1.csv");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(r.text).toBe("sku,problem\nA-1,missing\n");
  });

  it("refuses routes that are not on the list, and bad JSON", async () => {
    expect((await call("DELETE", "/bridge/shop/settings")).status).toBe(404);
    const allowed = await php<boolean[]>(
      "return array_map(fn($p) => RackbeatConnector\\Rest\\RestController::proxy_allowed('GET', $p), ['shop/status', 'shop/../pair', 'shop/activity/..', 'shop/activity/.hidden', 'shop/activity/rec-1.2', 'account/shops/x']);",
    );
    expect(allowed).toEqual([true, false, false, false, true, false]);
    const bad = await call("PUT", "/bridge/shop/settings", { body: "{not json" });
    expect(bad.status).toBe(400);
  });

  it("answers 502 when the bridge is unreachable", async () => {
    bridge.mode = "unavailable";
    const r = await call("GET", "/bridge/shop/status");
    bridge.mode = "up";
    expect(r.status).toBe(503); // the bridge's own answer is passed on
    const port = bridge.port;
    await bridge.stop();
    const down = await call("GET", "/bridge/shop/status");
    await bridge.start(port);
    expect(down.status).toBe(502);
    expect(down.json.code).toBe("rackbeat_connector_bridge_unreachable");
  });
});

describe("alerts settings and send-now", () => {
  it("validates the alert address and stores the switch", async () => {
    expect((await call("PUT", "/alerts", { body: { email: "not-an-address" } })).status).toBe(400);
    const ok = await call("PUT", "/alerts", { body: { email: "ops@example.com", enabled: false } });
    expect(ok.json.alerts).toEqual({ enabled: false, email: "ops@example.com" });
    expect((await call("GET", "/connection")).json.alerts).toEqual({ enabled: false, email: "ops@example.com" });
  });

  it("send now delivers the backlog even while backing off", async () => {
    await php("RackbeatConnector\\Settings::store_delivery_state(['failures' => 3, 'next_attempt_at' => time() + 3600]); return true;");
    await placeOrder({ flow: "classic", payment: "card" });
    const r = await call("POST", "/outbox/send");
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ status: "delivered", sent: 2, backlog: { pending: 0 } });
  });
});

describe("staging pause (site URL differs from the paired one)", () => {
  it("pauses delivery and bridge writes, says so in wp-admin, and resumes once the owner confirms", async () => {
    await php(`RackbeatConnector\\Settings::update_state(['paired_site_url' => 'https://shop.example.com']); return true;`);
    const deliveriesBefore = bridge.deliveries;
    await placeOrder({ flow: "classic", payment: "card" });
    await runDelivery();
    expect(bridge.deliveries).toBe(deliveriesBefore);
    const state = await call("GET", "/connection");
    expect(state.json.staging).toMatchObject({ paused: true, paired_site_url: "https://shop.example.com" });
    expect((await call("PUT", "/bridge/shop/settings", { body: { orders: {} } })).status).toBe(409);
    expect((await call("POST", "/outbox/send")).json.status).toBe("paused");

    const { ADMIN_USER, ADMIN_PASS } = wpState();
    const session = await login(ADMIN_USER, ADMIN_PASS);
    const dashboard = await wp("GET", "/wp-admin/index.php", { auth: null, headers: { cookie: session.cookie } });
    expect(dashboard.text).toContain("Rackbeat Connector has paused delivery.");
    expect(dashboard.text).toContain("https://shop.example.com");

    const confirm = await call("POST", "/staging/confirm");
    expect(confirm.json.staging.paused).toBe(false);
    await runDelivery();
    expect(bridge.deliveries).toBe(deliveriesBefore + 1);
    expect((await outboxRows()).filter((r) => r.acked_at === null)).toEqual([]);
  });
});

describe("protocol version mismatch found while delivering", () => {
  it("a 409 from an upgraded bridge names its version in the notice and the connection state", async () => {
    bridge.eventsAnswer = { status: 409, body: { error: "protocol_mismatch", message: "newer bridge", details: [{ plugin_protocol_version: 1, bridge_protocol_version: 2 }] } };
    await placeOrder({ flow: "classic", payment: "card" });
    await runDelivery();
    bridge.eventsAnswer = undefined;
    const state = await call("GET", "/connection");
    expect(state.json.protocol).toEqual({ plugin: 1, bridge: 2, mismatch: true });
    expect(state.json.delivery.last_error).toMatch(/HTTP 409.*protocol_mismatch/);
    expect(state.json.backlog.pending).toBe(2);
  });
});

describe("secrets", () => {
  it("never appear in any response of the plugin's REST routes", async () => {
    const shop = bridge.onlyShop();
    const bridgeShop = bridge.shops.get(shop.id)!;
    const secrets = [shop.secret, bridgeShop.consumerKey, bridgeShop.consumerSecret, "rb-live-token", "whsec", "leak"];
    expect(seen.length).toBeGreaterThan(20);
    for (const response of seen) for (const secret of secrets) expect(response.text).not.toContain(secret);
  });
});
