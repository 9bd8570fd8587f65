<?php
/**
 * The plugin's own stored state: the pairing (bridge URL, shop id, secret), the product master it
 * learnt from the bridge, the alert settings. Nothing here knows about Rackbeat.
 *
 * Option layout (all prefixed rackbeat_connector_):
 * - state          autoloaded, no secrets: connected, bridge_url, shop_id, paired_site_url,
 *                  bridge_user_id, wc_key_id, versions. Read on admin pages and by the echo guard.
 * - shop_secret    NOT autoloaded; overridable with the RACKBEAT_CONNECTOR_SHOP_SECRET constant.
 * - product_master autoloaded string cached from the bridge's settings ("woo_to_rackbeat", ...).
 * - alerts         NOT autoloaded: {enabled, email}.
 *
 * @package RackbeatConnector
 */

namespace RackbeatConnector;

defined( 'ABSPATH' ) || exit;

final class Settings {

	const STATE          = 'rackbeat_connector_state';
	const SECRET         = 'rackbeat_connector_shop_secret';
	const PRODUCT_MASTER = 'rackbeat_connector_product_master';
	const ALERTS         = 'rackbeat_connector_alerts';
	const DB_VERSION     = 'rackbeat_connector_db_version';
	const DELIVERY       = 'rackbeat_connector_delivery';

	/** Products flow from WooCommerce to Rackbeat only in this mode (design.md §3, products → master). */
	const WOO_IS_PRODUCT_MASTER = 'woo_to_rackbeat';

	/** @return array<string, mixed> */
	public static function state() {
		$state = get_option( self::STATE, array() );
		return is_array( $state ) ? $state : array();
	}

	/** @param array<string, mixed> $changes */
	public static function update_state( array $changes ) {
		$state = array_merge( self::state(), $changes );
		update_option( self::STATE, $state, true );
	}

	public static function is_connected() {
		$state = self::state();
		return ! empty( $state['connected'] ) && ! empty( $state['shop_id'] ) && '' !== self::shop_secret();
	}

	public static function bridge_url() {
		$state = self::state();
		return isset( $state['bridge_url'] ) ? (string) $state['bridge_url'] : '';
	}

	public static function shop_id() {
		$state = self::state();
		return isset( $state['shop_id'] ) ? (string) $state['shop_id'] : '';
	}

	public static function bridge_user_id() {
		$state = self::state();
		return isset( $state['bridge_user_id'] ) ? (int) $state['bridge_user_id'] : 0;
	}

	public static function shop_secret() {
		if ( defined( 'RACKBEAT_CONNECTOR_SHOP_SECRET' ) && '' !== (string) RACKBEAT_CONNECTOR_SHOP_SECRET ) {
			return (string) RACKBEAT_CONNECTOR_SHOP_SECRET;
		}
		$secret = get_option( self::SECRET, '' );
		return is_string( $secret ) ? $secret : '';
	}

	public static function store_shop_secret( $secret ) {
		// add_option/update_option with autoload "no" keeps the secret out of every page load's alloptions.
		if ( false === get_option( self::SECRET, false ) ) {
			add_option( self::SECRET, (string) $secret, '', 'no' );
		} else {
			update_option( self::SECRET, (string) $secret, false );
		}
	}

	public static function forget_connection() {
		delete_option( self::SECRET );
		$state = self::state();
		// The bridge user survives a disconnect so a later pairing reuses it.
		$keep = array();
		if ( ! empty( $state['bridge_user_id'] ) ) {
			$keep['bridge_user_id'] = (int) $state['bridge_user_id'];
		}
		update_option( self::STATE, $keep, true );
	}

	public static function product_master() {
		return (string) get_option( self::PRODUCT_MASTER, '' );
	}

	public static function woo_is_product_master() {
		return self::WOO_IS_PRODUCT_MASTER === self::product_master();
	}

	/**
	 * Cache the product master from a settings document the bridge returned. Accepts the group
	 * layout of design.md §3 ({"products": {"master": …}}) and a flat "productMaster".
	 *
	 * @param mixed $settings Decoded JSON.
	 */
	public static function learn_from_bridge_settings( $settings ) {
		if ( ! is_array( $settings ) ) {
			return;
		}
		$master = null;
		if ( isset( $settings['products'] ) && is_array( $settings['products'] ) ) {
			if ( isset( $settings['products']['master'] ) ) {
				$master = $settings['products']['master'];
			} elseif ( isset( $settings['products']['productMaster'] ) ) {
				$master = $settings['products']['productMaster'];
			}
		} elseif ( isset( $settings['productMaster'] ) ) {
			$master = $settings['productMaster'];
		}
		if ( is_string( $master ) && preg_match( '/^[a-z_]{1,40}$/', $master ) ) {
			update_option( self::PRODUCT_MASTER, $master, true );
		}
	}

	/** @return array{enabled: bool, email: string} */
	public static function alerts() {
		$alerts = get_option( self::ALERTS, array() );
		$alerts = is_array( $alerts ) ? $alerts : array();
		return array(
			'enabled' => isset( $alerts['enabled'] ) ? (bool) $alerts['enabled'] : true,
			'email'   => isset( $alerts['email'] ) ? (string) $alerts['email'] : '',
		);
	}

	/** @param array{enabled?: bool, email?: string} $alerts */
	public static function update_alerts( array $alerts ) {
		$current = self::alerts();
		$next    = array(
			'enabled' => array_key_exists( 'enabled', $alerts ) ? (bool) $alerts['enabled'] : $current['enabled'],
			'email'   => array_key_exists( 'email', $alerts ) ? (string) $alerts['email'] : $current['email'],
		);
		if ( false === get_option( self::ALERTS, false ) ) {
			add_option( self::ALERTS, $next, '', 'no' );
		} else {
			update_option( self::ALERTS, $next, false );
		}
		return $next;
	}

	/** The address the digest goes to: the configured one, else the site's admin address. */
	public static function alert_email() {
		$alerts = self::alerts();
		return '' !== $alerts['email'] ? $alerts['email'] : (string) get_option( 'admin_email' );
	}

	/** @return array<string, mixed> */
	public static function delivery_state() {
		$state = get_option( self::DELIVERY, array() );
		return is_array( $state ) ? $state : array();
	}

	/** @param array<string, mixed> $state */
	public static function store_delivery_state( array $state ) {
		if ( false === get_option( self::DELIVERY, false ) ) {
			add_option( self::DELIVERY, $state, '', 'no' );
		} else {
			update_option( self::DELIVERY, $state, false );
		}
	}

	/** Current unix time; filterable so tests can replay the protocol's signing vectors. */
	public static function now() {
		return (int) apply_filters( 'rackbeat_connector_now', time() );
	}
}
