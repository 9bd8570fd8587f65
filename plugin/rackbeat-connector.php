<?php
/**
 * Plugin Name:          Rackbeat Connector for WooCommerce
 * Description:          Sends WooCommerce orders and product changes to your Rackbeat bridge and shows their Rackbeat state on the order screen.
 * Version:              0.1.0
 * Requires at least:    6.1
 * Requires PHP:         7.4
 * Requires Plugins:     woocommerce
 * WC requires at least: 8.2
 * WC tested up to:      10.0
 * Author:               Rackbeat Connector contributors
 * License:              GPL-2.0-or-later
 * License URI:          https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:          rackbeat-connector
 * Domain Path:          /languages
 *
 * @package RackbeatConnector
 */

// This file only checks requirements and boots; it must parse on any PHP version WordPress runs on,
// so the notice for a too-old PHP can be shown instead of a parse error.
defined( 'ABSPATH' ) || exit;

define( 'RACKBEAT_CONNECTOR_VERSION', '0.1.0' );
define( 'RACKBEAT_CONNECTOR_PROTOCOL_VERSION', 1 );
define( 'RACKBEAT_CONNECTOR_FILE', __FILE__ );
define( 'RACKBEAT_CONNECTOR_MIN_PHP', '7.4' );
define( 'RACKBEAT_CONNECTOR_MIN_WP', '6.1' );
define( 'RACKBEAT_CONNECTOR_MIN_WC', '8.2' );

if ( version_compare( PHP_VERSION, RACKBEAT_CONNECTOR_MIN_PHP, '<' ) ) {
	add_action(
		'admin_notices',
		function () {
			echo '<div class="notice notice-error"><p>';
			echo esc_html(
				sprintf(
					/* translators: 1: required PHP version, 2: running PHP version */
					__( 'Rackbeat Connector needs PHP %1$s or newer; this site runs PHP %2$s. The plugin is not running.', 'rackbeat-connector' ),
					RACKBEAT_CONNECTOR_MIN_PHP,
					PHP_VERSION
				)
			);
			echo '</p></div>';
		}
	);
	return;
}

require_once __DIR__ . '/src/autoload.php';

register_activation_hook( __FILE__, array( 'RackbeatConnector\\Installer', 'activate' ) );
register_deactivation_hook( __FILE__, array( 'RackbeatConnector\\Installer', 'deactivate' ) );

// HPOS compatibility must be declared inside before_woocommerce_init.
add_action(
	'before_woocommerce_init',
	function () {
		if ( class_exists( '\\Automattic\\WooCommerce\\Utilities\\FeaturesUtil' ) ) {
			\Automattic\WooCommerce\Utilities\FeaturesUtil::declare_compatibility( 'custom_order_tables', RACKBEAT_CONNECTOR_FILE, true );
		}
	}
);

add_action( 'plugins_loaded', array( 'RackbeatConnector\\Plugin', 'boot' ), 20 );
