<?php
/**
 * Activation, deactivation and uninstall.
 *
 * @package RackbeatConnector
 */

namespace RackbeatConnector;

use RackbeatConnector\Delivery\BridgeClient;
use RackbeatConnector\Delivery\Runner;

defined( 'ABSPATH' ) || exit;

final class Installer {

	public static function activate() {
		Outbox::install();
		Runner::ensure_scheduled();
		Alerts::ensure_scheduled();
	}

	/** Scheduled work stops; the outbox and pairing stay, so re-activating picks up where it was. */
	public static function deactivate() {
		Runner::unschedule();
		Alerts::unschedule();
	}

	/**
	 * Remove everything the plugin created: tells the bridge (best effort), revokes the WooCommerce
	 * key, deletes the bridge user, the outbox table, options, scheduled work and order meta.
	 */
	public static function uninstall() {
		global $wpdb;
		if ( Settings::is_connected() ) {
			BridgeClient::register();
			BridgeClient::request( 'DELETE', '/v1/shops/' . rawurlencode( Settings::shop_id() ), null, 5 );
		}
		Pairing::revoke_key();
		Pairing::delete_bridge_user();
		Runner::unschedule();
		Alerts::unschedule();
		Outbox::drop();

		$options = $wpdb->get_col( $wpdb->prepare( "SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE %s OR option_name LIKE %s OR option_name LIKE %s", $wpdb->esc_like( 'rackbeat_connector_' ) . '%', $wpdb->esc_like( '_transient_rackbeat_connector_' ) . '%', $wpdb->esc_like( '_transient_timeout_rackbeat_connector_' ) . '%' ) );
		foreach ( $options as $option ) {
			delete_option( $option );
		}

		// Order meta the bridge wrote through the REST API (order number, sync state): both storages.
		$like = $wpdb->esc_like( OrderMeta::PREFIX ) . '%';
		$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->postmeta} WHERE meta_key LIKE %s", $like ) );
		$hpos_meta = $wpdb->prefix . 'wc_orders_meta';
		if ( $hpos_meta === $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', $wpdb->esc_like( $hpos_meta ) ) ) ) {
			$wpdb->query( $wpdb->prepare( "DELETE FROM {$hpos_meta} WHERE meta_key LIKE %s", $like ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		}
		wp_cache_flush();
	}
}
