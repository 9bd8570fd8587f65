<?php
/**
 * Plugin Name: WooCommerce DOUBLE (tests only)
 * Description: A small stand-in for exactly the WooCommerce API the Rackbeat Connector plugin calls. NOT WooCommerce.
 *
 * WooCommerce cannot be installed from npm or apt, so the plugin's tests load this double instead.
 * It reproduces, from WooCommerce's own sources (plugins/woocommerce/includes/class-wc-order.php,
 * abstract-wc-order.php, data-stores/class-wc-order-data-store-cpt.php, OrdersTableDataStore.php,
 * class-wc-product-data-store-cpt.php, wc-stock-functions.php, src/Utilities/FeaturesUtil.php,
 * src/Utilities/OrderUtil.php), the behaviour the plugin depends on:
 *
 * - the WooCommerce class, WC(), WC_VERSION; `woocommerce_loaded` (plugins_loaded, -1) and
 *   `before_woocommerce_init` / `woocommerce_init` (init, 0) in WooCommerce's order;
 * - orders: wc_get_order(), WC_Order / WC_Order_Refund with the CRUD getters the plugin uses,
 *   set_status() with WooCommerce's transition rules (unknown/auto-draft "from" reads as pending, no
 *   transition on a brand-new object), save() firing `woocommerce_new_order` (never for drafts; when
 *   a draft is first saved as a real status), `woocommerce_update_order`, then the status hooks
 *   (`woocommerce_order_status_{to}`, `…_{from}_to_{to}`, `woocommerce_order_status_changed`),
 *   payment_complete() (only from on-hold/pending/failed/cancelled, saves, then
 *   `woocommerce_payment_complete`), delete() (`woocommerce_before_delete_order` /
 *   `woocommerce_delete_order`, `woocommerce_trash_order`), refunds (`woocommerce_order_refunded`);
 * - products: WC_Product / WC_Product_Variation, save() firing `woocommerce_new_product[_variation]`,
 *   `woocommerce_update_product[_variation]` and `woocommerce_{product|variation}_set_stock` when the
 *   stock changed; delete() firing `woocommerce_trash_{type}` / `woocommerce_delete_{type}`;
 *   wc_update_product_stock();
 * - HPOS: FeaturesUtil::declare_compatibility() (recorded), OrderUtil::custom_orders_table_usage_is_enabled()
 *   (option woocommerce_custom_orders_table_enabled), wc_get_page_screen_id();
 * - REST keys: the wp_woocommerce_api_keys table, wc_api_hash(), wc_rand_hash();
 * - roles: shop_manager, and manage_woocommerce for administrators.
 * - Action Scheduler: absent by default (the plugin falls back to WP-Cron). With the option
 *   rbc_double_action_scheduler = yes, minimal as_* functions store actions in an option.
 *
 * Storage is WordPress posts and post meta for orders and products in both modes: the plugin only
 * reaches orders through this API, so where the double keeps them does not matter to it. Everything
 * WordPress does (database, REST, users, cron, options, the plugin's outbox table) is real.
 *
 * Switches (options, for tests): rbc_double_disabled = yes → not loaded (no WooCommerce);
 * rbc_double_wc_version → WC_VERSION.
 */

defined( 'ABSPATH' ) || exit;

// The classes live in a separate file: PHP declares top-level classes of a file even when the file
// returns early, and "WooCommerce is not installed" must really mean no WooCommerce class.
if ( 'yes' !== get_option( 'rbc_double_disabled' ) ) {
	require __DIR__ . '/woocommerce-double-src/woocommerce.php';
}
