<?php
/**
 * Boot: check requirements, migrate the outbox if due, and let each part register its hooks.
 *
 * @package RackbeatConnector
 */

namespace RackbeatConnector;

use RackbeatConnector\Admin\AdminPage;
use RackbeatConnector\Admin\Notices;
use RackbeatConnector\Admin\OrderScreen;
use RackbeatConnector\Delivery\BridgeClient;
use RackbeatConnector\Delivery\Runner;
use RackbeatConnector\Rest\OutboxRestController;
use RackbeatConnector\Rest\RestController;

defined( 'ABSPATH' ) || exit;

final class Plugin {

	const TEXT_DOMAIN = 'rackbeat-connector';

	public static function boot() {
		add_action( 'init', array( __CLASS__, 'load_textdomain' ) );
		Outbox::maybe_upgrade();

		// These work without WooCommerce, so a backlog still drains and the owner still sees notices.
		BridgeClient::register();
		Runner::register();
		OutboxRestController::register();
		Staging::register();
		Notices::register();

		$problems = Requirements::problems();
		if ( $problems ) {
			Requirements::show( $problems );
			return;
		}

		( new OrderEvents() )->register();
		( new ProductEvents() )->register();
		RestController::register();
		AdminPage::register();
		OrderScreen::register();
		Alerts::register();
		Privacy::register();
	}

	public static function load_textdomain() {
		load_plugin_textdomain( self::TEXT_DOMAIN, false, dirname( plugin_basename( RACKBEAT_CONNECTOR_FILE ) ) . '/languages' );
	}
}
