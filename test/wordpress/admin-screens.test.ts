/**
 * wp-admin on real WordPress: the Rackbeat page (menu, root element, the built bundle enqueued with
 * its .asset.php), the order screens (column, box, order action, row and bulk "Send to Rackbeat",
 * legacy and HPOS hooks), and the daily digest e-mail.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeBridge } from "./harness/fake-bridge.js";
import { WORK, login, mailLog, pairThroughPlugin, php, placeOrder, resetWp, wp, wpState } from "./harness/wp.js";

const bridge = new FakeBridge();
let session: { cookie: string; nonce: string };

async function admin(path: string) {
  return wp("GET", path, { auth: null, headers: { cookie: session.cookie } });
}

beforeAll(async () => {
  await resetWp();
  await bridge.start();
  const { ADMIN_USER, ADMIN_PASS } = wpState();
  session = await login(ADMIN_USER, ADMIN_PASS);
});

afterAll(async () => {
  rmSync(join(WORK, "admin-build"), { recursive: true, force: true });
  await bridge.stop();
});

describe("the Rackbeat admin page", () => {
  it("sits under WooCommerce and renders the root element, with a notice while no build exists", async () => {
    rmSync(join(WORK, "admin-build"), { recursive: true, force: true });
    const r = await admin("/wp-admin/admin.php?page=rackbeat-connector");
    expect(r.status).toBe(200);
    expect(r.text).toContain('<div id="rackbeat-connector-root"></div>');
    expect(r.text).toMatch(/href=['"]admin\.php\?page=rackbeat-connector['"]/);
  });

  it("enqueues the built bundle with the dependencies and version from index.asset.php", async () => {
    const dir = join(WORK, "admin-build");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "index.js"), "window.rbcLoaded = true;\n");
    writeFileSync(join(dir, "index.asset.php"), "<?php return array('dependencies' => array('react', 'wp-api-fetch', 'wp-components', 'wp-element', 'wp-i18n'), 'version' => 'abc123');\n");
    const r = await admin("/wp-admin/admin.php?page=rackbeat-connector");
    expect(r.text).toMatch(/<script[^>]+src=['"][^'"]*\/rbc-test-admin-build\/index\.js\?ver=abc123['"]/);
    for (const handle of ["wp-components", "wp-api-fetch", "wp-element", "wp-i18n"]) expect(r.text).toContain(`id='${handle}-js'`);
    expect(r.text).toMatch(/window\.rackbeatConnector = \{"restNamespace":"rackbeat-connector\\\/v1"/);
    // wp-admin concatenates core styles through load-styles.php.
    expect(r.text).toMatch(/load-styles\.php[^']*wp-components|id='wp-components-css'/);
    // Only on its own screen.
    const dashboard = await admin("/wp-admin/index.php");
    expect(dashboard.text).not.toContain("rbc-test-admin-build/index.js");
  });

  it("is refused to users without manage_woocommerce", async () => {
    await php("wp_insert_user(['user_login' => 'rb-editor', 'user_pass' => 'editor-pass-1', 'role' => 'editor']); return true;");
    const editor = await login("rb-editor", "editor-pass-1");
    const r = await wp("GET", "/wp-admin/admin.php?page=rackbeat-connector", { auth: null, headers: { cookie: editor.cookie } });
    expect(r.status).toBe(403);
  });
});

describe("order screens (legacy and HPOS)", () => {
  let order = 0;
  let shopId = "";

  beforeAll(async () => {
    const pair = await pairThroughPlugin(bridge.url, bridge.issueCode());
    expect(pair.status, pair.text).toBe(201);
    shopId = bridge.onlyShop().id;
    bridge.answers.set(`POST /orders/${0}/send`, { status: 202, body: {} });
    order = await placeOrder({ flow: "classic", payment: "card" });
  });

  it("adds the column after the status on both lists and shows the state", async () => {
    const result = await php<{ legacy: string[]; hpos: string[]; queued: string; transferred: string }>(`
      $cols = ['cb' => '', 'order_number' => 'Order', 'order_status' => 'Status', 'order_total' => 'Total'];
      ob_start(); do_action('manage_woocommerce_page_wc-orders_custom_column', 'rackbeat', wc_get_order(${order})); $queued = ob_get_clean();
      $o = wc_get_order(${order}); $o->update_meta_data('_rackbeat_order_number', 'RB-2041'); $o->update_meta_data('_rackbeat_sync_state', 'parked'); $o->save_meta_data();
      ob_start(); do_action('manage_shop_order_posts_custom_column', 'rackbeat', ${order}); $transferred = ob_get_clean();
      return ['legacy' => array_keys(apply_filters('manage_edit-shop_order_columns', $cols)), 'hpos' => array_keys(apply_filters('manage_woocommerce_page_wc-orders_columns', $cols)), 'queued' => $queued, 'transferred' => $transferred];`);
    expect(result.legacy).toEqual(["cb", "order_number", "order_status", "rackbeat", "order_total"]);
    expect(result.hpos).toEqual(result.legacy);
    expect(result.queued).toContain("Queued in the shop");
    expect(result.transferred).toContain("<strong>RB-2041</strong>");
    expect(result.transferred).toContain("Parked — needs attention");
  });

  it("puts the box on the screen WooCommerce names for the storage in use", async () => {
    const screens = await php<string[]>(`
      require_once ABSPATH . 'wp-admin/includes/admin.php';
      global $wp_meta_boxes; $found = [];
      foreach ([false, true] as $hpos) {
        update_option('woocommerce_custom_orders_table_enabled', $hpos ? 'yes' : 'no');
        $wp_meta_boxes = []; do_action('add_meta_boxes', 'shop_order', null);
        foreach ($wp_meta_boxes as $screen => $contexts) if (isset($contexts['side']['default']['rackbeat-connector-order'])) $found[] = $screen;
      }
      delete_option('woocommerce_custom_orders_table_enabled');
      return $found;`);
    expect(screens).toEqual(["shop_order", "woocommerce_page_wc-orders"]);
  });

  it("offers Send to Rackbeat as order action and bulk action on both lists", async () => {
    const actions = await php<{ order: Record<string, string>; legacy: Record<string, string>; hpos: Record<string, string> }>(`
      return ['order' => apply_filters('woocommerce_order_actions', [], wc_get_order(${order})),
              'legacy' => apply_filters('bulk_actions-edit-shop_order', []), 'hpos' => apply_filters('bulk_actions-woocommerce_page_wc-orders', [])];`);
    for (const list of [actions.order, actions.legacy, actions.hpos]) expect(list).toEqual({ rackbeat_connector_send: "Send to Rackbeat" });
  });

  it("the bulk action sends each order to the bridge, signed, and reports the count", async () => {
    const second = await placeOrder({ flow: "classic", payment: "cod" });
    for (const id of [order, second]) bridge.answers.set(`POST /orders/${id}/send`, { status: 202, body: { queued: true } });
    const redirect = await php<string>(`return apply_filters('handle_bulk_actions-woocommerce_page_wc-orders', 'admin.php?page=wc-orders', 'rackbeat_connector_send', [${order}, ${second}, 999999]);`, { user: 1 });
    expect(redirect).toContain("rackbeat_sent=2");
    expect(redirect).toContain("rackbeat_failed=1");
    const sends = bridge.requests.filter((r) => r.method === "POST" && r.path.endsWith("/send"));
    expect(sends.map((r) => [r.path, r.verified])).toEqual([
      [`/v1/shops/${shopId}/orders/${order}/send`, true],
      [`/v1/shops/${shopId}/orders/${second}/send`, true],
    ]);
  });

  it("the row action link needs its nonce", async () => {
    const before = bridge.requests.length;
    const noNonce = await admin(`/wp-admin/admin-post.php?action=rackbeat_connector_send&order_id=${order}`);
    expect(noNonce.status).toBe(403);
    expect(bridge.requests.length).toBe(before);
    const nonce = await wp("GET", `/wp-json/rbc-test/v1/nonce?action=rackbeat_connector_send_${order}`, { auth: null, headers: { cookie: session.cookie, "x-wp-nonce": session.nonce } });
    const ok = await admin(`/wp-admin/admin-post.php?action=rackbeat_connector_send&order_id=${order}&_wpnonce=${nonce.json.nonce}`);
    expect(ok.status).toBe(302);
    expect(ok.headers.get("location")).toContain("rackbeat_sent=1");
    expect(bridge.requests.at(-1)).toMatchObject({ method: "POST", path: `/v1/shops/${shopId}/orders/${order}/send`, verified: true });
  });
});

describe("daily digest e-mail", () => {
  it("mails the configured address when the bridge reports parked jobs; nothing when all is well or when switched off", async () => {
    bridge.answers.set("GET /status", { status: 200, body: { queue: { parked: 0 }, webhooks: { failing: 0 } } });
    await php("RackbeatConnector\\Outbox::take_for_push(100); global $wpdb; $wpdb->query('UPDATE ' . $wpdb->prefix . 'rackbeat_outbox SET acked_at = UTC_TIMESTAMP()'); RackbeatConnector\\Settings::store_delivery_state([]); return true;");
    const mailsBefore = mailLog().length;
    await php("do_action('rackbeat_connector_daily_digest'); return true;");
    expect(mailLog().length).toBe(mailsBefore);

    bridge.answers.set("GET /status", { status: 200, body: { queue: { parked: 3 }, webhooks: { failing: 2 } } });
    await php("RackbeatConnector\\Settings::update_alerts(['email' => 'ops@example.com', 'enabled' => true]); do_action('rackbeat_connector_daily_digest'); return true;");
    const mail = mailLog().at(-1)!;
    expect(mail.to).toBe("ops@example.com");
    expect(mail.subject).toContain("Rackbeat Connector needs attention");
    expect(mail.message).toContain("3 order(s) or job(s) are parked");
    expect(mail.message).toContain("webhooks are failing");

    await php("RackbeatConnector\\Settings::update_alerts(['enabled' => false]); do_action('rackbeat_connector_daily_digest'); return true;");
    expect(mailLog().at(-1)).toEqual(mail);
    expect(mailLog().length).toBe(mailsBefore + 1);
  });

  it("mails the shop's admin address about events stuck in the shop when no address is set", async () => {
    await php("RackbeatConnector\\Settings::update_alerts(['enabled' => true, 'email' => '']); return true;");
    bridge.answers.set("GET /status", { status: 200, body: { queue: { parked: 0 } } });
    await placeOrder({ flow: "classic", payment: "card" });
    await php("global $wpdb; $wpdb->query('UPDATE ' . $wpdb->prefix . \"rackbeat_outbox SET occurred_at = UTC_TIMESTAMP() - INTERVAL 3 HOUR WHERE acked_at IS NULL\"); do_action('rackbeat_connector_daily_digest'); return true;");
    const mail = mailLog().at(-1)!;
    expect(mail.to).toBe("admin@example.com");
    expect(mail.message).toMatch(/2 order\/product change\(s\) have not reached the bridge/);
  });
});
