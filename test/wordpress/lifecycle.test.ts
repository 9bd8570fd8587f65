/**
 * The plugin's life on a real WordPress: activation and deactivation, HPOS declaration, the
 * requirements notice, Action Scheduler versus WP-Cron, translations on init, the deactivation
 * warning, and an uninstall that leaves nothing behind.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeBridge } from "./harness/fake-bridge.js";
import { PLUGIN_FILE, login, pairThroughPlugin, php, placeOrder, resetWp, wp, wpState } from "./harness/wp.js";

async function adminPage(path: string): Promise<string> {
  const { ADMIN_USER, ADMIN_PASS } = wpState();
  const session = await login(ADMIN_USER, ADMIN_PASS);
  const r = await wp("GET", path, { auth: null, headers: { cookie: session.cookie } });
  expect(r.status, `${path}: ${r.text.slice(0, 300)}`).toBe(200);
  return r.text;
}

/** Everything in the database that mentions the plugin. */
async function leftovers(): Promise<Record<string, unknown[]>> {
  return php(`
    global $wpdb;
    return [
      'tables'   => $wpdb->get_col("SHOW TABLES LIKE '%rackbeat%'"),
      'options'  => $wpdb->get_col("SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE '%rackbeat%' OR option_value LIKE '%rackbeat_connector%'"),
      'postmeta' => $wpdb->get_col("SELECT meta_key FROM {$wpdb->postmeta} WHERE meta_key LIKE '%rackbeat%'"),
      'usermeta' => $wpdb->get_col("SELECT meta_key FROM {$wpdb->usermeta} WHERE meta_key LIKE '%rackbeat%' OR meta_value LIKE '%rackbeat%'"),
      'users'    => $wpdb->get_col("SELECT user_login FROM {$wpdb->users} WHERE user_login LIKE '%rackbeat%'"),
      'keys'     => $wpdb->get_col("SELECT key_id FROM {$wpdb->prefix}woocommerce_api_keys"),
      'cron'     => array_values(array_filter(array_keys(array_merge(...array_values(array_filter(_get_cron_array(), 'is_array')))), fn($h) => strpos($h, 'rackbeat') !== false)),
    ];`);
}

describe("activation, boot and requirements", () => {
  beforeEach(async () => {
    await resetWp();
  });

  it("declares HPOS compatibility inside before_woocommerce_init", async () => {
    const declared = await php("return Automattic\\WooCommerce\\Utilities\\FeaturesUtil::$declared;");
    expect(declared).toEqual({ custom_order_tables: { [PLUGIN_FILE]: true } });
  });

  it("loads translations on init, not before", async () => {
    const hooked = await php("return has_action('init', ['RackbeatConnector\\\\Plugin', 'load_textdomain']);");
    expect(hooked).toBe(10);
    const early = await php("return has_action('plugins_loaded', ['RackbeatConnector\\\\Plugin', 'load_textdomain']);");
    expect(early).toBe(false);
  });

  it("deactivation stops scheduled work; activation creates the outbox and schedules again", async () => {
    const auth = {};
    const deactivate = await wp("POST", `/wp-json/wp/v2/plugins/${PLUGIN_FILE.replace(/\.php$/, "")}`, { body: { status: "inactive" }, ...auth });
    expect(deactivate.status, deactivate.text).toBe(200);
    expect(await php("return [wp_next_scheduled('rackbeat_connector_deliver'), wp_next_scheduled('rackbeat_connector_daily_digest')];")).toEqual([false, false]);
    await php("global $wpdb; $wpdb->query('DROP TABLE ' . $wpdb->prefix . 'rackbeat_outbox'); delete_option('rackbeat_connector_db_version'); return true;");
    const activate = await wp("POST", `/wp-json/wp/v2/plugins/${PLUGIN_FILE.replace(/\.php$/, "")}`, { body: { status: "active" } });
    expect(activate.status, activate.text).toBe(200);
    const state = await php<[string, boolean, boolean]>(
      "global $wpdb; return [$wpdb->get_var(\"SHOW TABLES LIKE '{$wpdb->prefix}rackbeat_outbox'\"), (bool) wp_next_scheduled('rackbeat_connector_deliver'), (bool) wp_next_scheduled('rackbeat_connector_daily_digest')];",
    );
    expect(state).toEqual(["wp_rackbeat_outbox", true, true]);
  });

  it("migrates the outbox on upgrade (older schema version stored)", async () => {
    await php("global $wpdb; $wpdb->query('ALTER TABLE ' . $wpdb->prefix . 'rackbeat_outbox DROP COLUMN sent_at'); update_option('rackbeat_connector_db_version', 0); return true;");
    await wp("GET", "/wp-json/rackbeat-connector/v1/connection"); // any request boots the plugin
    const columns = await php<string[]>("global $wpdb; return $wpdb->get_col('SHOW COLUMNS FROM ' . $wpdb->prefix . 'rackbeat_outbox');");
    expect(columns).toContain("sent_at");
    expect(await php("return (int) get_option('rackbeat_connector_db_version');")).toBe(1);
  });

  it("without WooCommerce: an admin notice, no order hooks, no admin routes", async () => {
    await php("update_option('rbc_double_disabled', 'yes'); return true;");
    const html = await adminPage("/wp-admin/index.php");
    expect(html).toContain("rackbeat-connector-requirements");
    expect(html).toContain("Rackbeat Connector needs WooCommerce.");
    expect(await php("return has_action('woocommerce_new_order');")).toBe(false);
    expect((await wp("GET", "/wp-json/rackbeat-connector/v1/connection")).status).toBe(404);
  });

  it("with a too old WooCommerce: a notice naming both versions", async () => {
    await php("update_option('rbc_double_wc_version', '7.9.0'); return true;");
    const html = await adminPage("/wp-admin/index.php");
    expect(html).toContain("needs WooCommerce 8.2 or newer; this site runs 7.9.0");
  });

  it("uses Action Scheduler when WooCommerce provides it, WP-Cron otherwise", async () => {
    expect((await wp("GET", "/wp-json/rackbeat-connector/v1/connection")).json.delivery.runner).toBe("wp-cron");
    await php("update_option('rbc_double_action_scheduler', 'yes'); return true;");
    await adminPage("/wp-admin/index.php"); // admin_init makes sure the recurring action exists
    const scheduled = await php<{ as: { hook: string; group: string; interval: number }[]; cron: number | false }>(
      "return ['as' => get_option('rbc_double_as_actions'), 'cron' => wp_next_scheduled('rackbeat_connector_deliver')];",
    );
    expect(scheduled.as.map((a) => [a.hook, a.group, a.interval])).toEqual([["rackbeat_connector_deliver", "rackbeat-connector", 60]]);
    expect(scheduled.cron).toBe(false);
    expect((await wp("GET", "/wp-json/rackbeat-connector/v1/connection")).json.delivery.runner).toBe("action-scheduler");
  });

  it("warns before deactivation while events are undelivered", async () => {
    let html = await adminPage("/wp-admin/plugins.php");
    expect(html).not.toContain("data-rackbeat-undelivered");
    await placeOrder({ flow: "classic", payment: "card" });
    html = await adminPage("/wp-admin/plugins.php");
    expect(html).toMatch(/data-rackbeat-undelivered="2" onclick="return window.confirm\('2 order or product changes have not reached Rackbeat yet/);
  });

  it("suggests privacy policy text saying no personal data is stored by the plugin", async () => {
    const html = await adminPage("/wp-admin/options-privacy.php?tab=policyguide");
    expect(html).toContain("Rackbeat Connector stores no personal data in this site");
  });
});

describe("uninstall", () => {
  const bridge = new FakeBridge();

  beforeAll(async () => {
    await resetWp();
    await bridge.start();
  });

  afterAll(async () => {
    await bridge.stop();
    await resetWp();
  });

  it("leaves nothing behind: table, options, schedules, REST key, bridge user, order meta; and tells the bridge", async () => {
    const pair = await pairThroughPlugin(bridge.url, bridge.issueCode());
    expect(pair.status, pair.text).toBe(201);
    const shop = bridge.onlyShop();
    const order = await placeOrder({ flow: "classic", payment: "card" });
    await php(`$o = wc_get_order(${order}); $o->update_meta_data('_rackbeat_order_number', 'RB-7'); $o->update_meta_data('_rackbeat_sync_state', 'transferred'); $o->save_meta_data(); RackbeatConnector\\Settings::update_alerts(['email' => 'ops@example.com']); update_option('rackbeat_connector_product_master', 'woo_to_rackbeat'); return true;`);
    const before = await leftovers();
    expect(before.tables).toEqual(["wp_rackbeat_outbox"]);
    expect(before.users).toEqual(["rackbeat-bridge"]);
    expect(before.keys).toHaveLength(1);
    expect(before.postmeta).toEqual(expect.arrayContaining(["_rackbeat_order_number", "_rackbeat_sync_state"]));
    expect(before.cron).toEqual(expect.arrayContaining(["rackbeat_connector_deliver", "rackbeat_connector_daily_digest"]));

    await php(`require_once ABSPATH . 'wp-admin/includes/plugin.php'; deactivate_plugins('${PLUGIN_FILE}'); uninstall_plugin('${PLUGIN_FILE}'); return true;`);

    expect(await leftovers()).toEqual({ tables: [], options: [], postmeta: [], usermeta: [], users: [], keys: [], cron: [] });
    const disconnect = bridge.requests.find((r) => r.method === "DELETE");
    expect(disconnect).toMatchObject({ path: `/v1/shops/${shop.id}`, verified: true });
    expect(bridge.shops.has(shop.id)).toBe(false);
  });
});
