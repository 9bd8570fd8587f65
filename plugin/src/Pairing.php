<?php
/**
 * Pairing (protocol.md §1, plugin side): create a WooCommerce REST key for the bridge's own user,
 * exchange the owner's pairing code for a shop id and secret, store them (secret not autoloaded).
 * Disconnect tells the bridge (signed DELETE) and revokes the key.
 *
 * @package RackbeatConnector
 */

namespace RackbeatConnector;

use RackbeatConnector\Delivery\BridgeClient;
use WP_Error;

defined( 'ABSPATH' ) || exit;

final class Pairing {

	const BRIDGE_USER_LOGIN = 'rackbeat-bridge';
	const KEY_DESCRIPTION   = 'Rackbeat Connector bridge';

	/**
	 * @return array<string, mixed>|WP_Error public connection facts on success
	 */
	public static function pair( $bridge_url, $code ) {
		$bridge_url = BridgeClient::normalise_url( $bridge_url );
		if ( null === $bridge_url ) {
			return new WP_Error( 'rackbeat_connector_bad_url', __( 'Enter the bridge address as http(s)://host[:port], without a query.', 'rackbeat-connector' ), array( 'status' => 400 ) );
		}
		$code = preg_replace( '/[\s-]+/', '', (string) $code );
		if ( ! is_string( $code ) || strlen( $code ) < 8 || strlen( $code ) > 128 ) {
			return new WP_Error( 'rackbeat_connector_bad_code', __( 'Enter the pairing code the bridge printed.', 'rackbeat-connector' ), array( 'status' => 400 ) );
		}
		if ( Settings::is_connected() ) {
			return new WP_Error( 'rackbeat_connector_already_paired', __( 'This shop is already paired. Disconnect first to pair with another bridge.', 'rackbeat-connector' ), array( 'status' => 409 ) );
		}

		$user_id = self::ensure_bridge_user();
		if ( is_wp_error( $user_id ) ) {
			return $user_id;
		}
		$key = self::create_key( $user_id );
		if ( is_wp_error( $key ) ) {
			return $key;
		}

		$response = BridgeClient::pair_request(
			$bridge_url,
			array(
				'code'               => $code,
				'shop_url'           => home_url(),
				'shop_name'          => wp_specialchars_decode( get_bloginfo( 'name' ), ENT_QUOTES ),
				'wc_consumer_key'    => $key['consumer_key'],
				'wc_consumer_secret' => $key['consumer_secret'],
				'plugin_version'     => RACKBEAT_CONNECTOR_VERSION,
				'protocol_version'   => RACKBEAT_CONNECTOR_PROTOCOL_VERSION,
			)
		);
		$json = is_array( $response['json'] ) ? $response['json'] : array();

		if ( 201 === $response['status'] && isset( $json['shop_id'], $json['shop_secret'] ) && is_string( $json['shop_id'] ) && is_string( $json['shop_secret'] ) && '' !== $json['shop_secret'] ) {
			Settings::store_shop_secret( $json['shop_secret'] );
			Settings::update_state(
				array(
					'connected'               => true,
					'bridge_url'              => $bridge_url,
					'shop_id'                 => sanitize_text_field( $json['shop_id'] ),
					'paired_site_url'         => home_url(),
					'paired_at'               => gmdate( 'c', Settings::now() ),
					'bridge_user_id'          => $user_id,
					'wc_key_id'               => $key['key_id'],
					'bridge_version'          => isset( $json['bridge_version'] ) ? sanitize_text_field( (string) $json['bridge_version'] ) : '',
					'bridge_protocol_version' => isset( $json['protocol_version'] ) ? (int) $json['protocol_version'] : RACKBEAT_CONNECTOR_PROTOCOL_VERSION,
				)
			);
			Settings::store_delivery_state( array() );
			return self::describe();
		}

		self::delete_key( $key['key_id'] );
		$message = isset( $json['message'] ) && is_string( $json['message'] ) ? sanitize_text_field( $json['message'] ) : '';
		switch ( $response['status'] ) {
			case 401:
				return new WP_Error( 'rackbeat_connector_code_refused', __( 'The bridge refused the pairing code (wrong, used or expired). Run `rackbeat-bridge pair` again for a new code.', 'rackbeat-connector' ), array( 'status' => 400 ) );
			case 409:
				$theirs = self::bridge_protocol_from_error( $json );
				Settings::update_state( array( 'bridge_protocol_version' => $theirs ) );
				return new WP_Error(
					'rackbeat_connector_protocol_mismatch',
					/* translators: 1: bridge protocol version, 2: plugin protocol version */
					sprintf( __( 'The bridge speaks protocol version %1$d and this plugin speaks version %2$d. Update the one that is behind, then pair again.', 'rackbeat-connector' ), $theirs, RACKBEAT_CONNECTOR_PROTOCOL_VERSION ),
					array( 'status' => 409 )
				);
			case 422:
				/* translators: %s: WooCommerce's error as reported by the bridge */
				return new WP_Error( 'rackbeat_connector_keys_refused', sprintf( __( 'The bridge could not use this shop\'s REST API: %s', 'rackbeat-connector' ), $message ), array( 'status' => 400 ) );
			case 0:
				/* translators: %s: network error */
				return new WP_Error( 'rackbeat_connector_bridge_unreachable', sprintf( __( 'Could not reach the bridge: %s', 'rackbeat-connector' ), (string) $response['error'] ), array( 'status' => 502 ) );
			default:
				/* translators: 1: HTTP status, 2: message */
				return new WP_Error( 'rackbeat_connector_pair_failed', sprintf( __( 'The bridge answered HTTP %1$d. %2$s', 'rackbeat-connector' ), $response['status'], $message ), array( 'status' => 502 ) );
		}
	}

	/** @return array{bridge_reached: bool} */
	public static function disconnect() {
		$reached = false;
		if ( Settings::is_connected() ) {
			$response = BridgeClient::request( 'DELETE', '/v1/shops/' . rawurlencode( Settings::shop_id() ), null, 10 );
			$reached  = $response['status'] >= 200 && $response['status'] < 300 || 404 === $response['status'];
		}
		self::revoke_key();
		Settings::forget_connection();
		Settings::store_delivery_state( array() );
		return array( 'bridge_reached' => $reached );
	}

	/** @return array<string, mixed> public facts, never secrets */
	public static function describe() {
		$state = Settings::state();
		return array(
			'connected'               => Settings::is_connected(),
			'bridge_url'              => isset( $state['bridge_url'] ) ? (string) $state['bridge_url'] : '',
			'shop_id'                 => isset( $state['shop_id'] ) ? (string) $state['shop_id'] : '',
			'paired_at'               => isset( $state['paired_at'] ) ? (string) $state['paired_at'] : '',
			'bridge_version'          => isset( $state['bridge_version'] ) ? (string) $state['bridge_version'] : '',
			'bridge_protocol_version' => isset( $state['bridge_protocol_version'] ) ? (int) $state['bridge_protocol_version'] : null,
			'protocol_version'        => RACKBEAT_CONNECTOR_PROTOCOL_VERSION,
		);
	}

	/**
	 * The bridge's protocol version from a 409 answer: {details: [{bridge_protocol_version}]} as the
	 * bridge sends it, or a top-level protocol_version.
	 *
	 * @param array<string, mixed> $json
	 */
	public static function bridge_protocol_from_error( array $json ) {
		if ( isset( $json['details'] ) && is_array( $json['details'] ) ) {
			foreach ( $json['details'] as $detail ) {
				if ( is_array( $detail ) && isset( $detail['bridge_protocol_version'] ) ) {
					return (int) $detail['bridge_protocol_version'];
				}
			}
		}
		return isset( $json['protocol_version'] ) ? (int) $json['protocol_version'] : 0;
	}

	/** Whether the bridge and this plugin disagree on the protocol version (admin notice). */
	public static function protocol_mismatch() {
		$state = Settings::state();
		return ! empty( $state['bridge_protocol_version'] ) && (int) $state['bridge_protocol_version'] !== RACKBEAT_CONNECTOR_PROTOCOL_VERSION;
	}

	/** @return int|WP_Error */
	private static function ensure_bridge_user() {
		$existing = Settings::bridge_user_id();
		if ( $existing > 0 && get_userdata( $existing ) ) {
			return $existing;
		}
		if ( ! get_role( 'shop_manager' ) ) {
			return new WP_Error( 'rackbeat_connector_no_role', __( 'WooCommerce\'s "Shop manager" role is missing, so no REST key can be made for the bridge.', 'rackbeat-connector' ), array( 'status' => 500 ) );
		}
		$login = self::BRIDGE_USER_LOGIN;
		for ( $i = 2; username_exists( $login ); $i++ ) {
			$login = self::BRIDGE_USER_LOGIN . '-' . $i;
		}
		$user_id = wp_insert_user(
			array(
				'user_login'   => $login,
				'user_pass'    => wp_generate_password( 64, true, true ),
				'display_name' => 'Rackbeat bridge',
				'role'         => 'shop_manager',
				'description'  => 'Used by the Rackbeat Connector bridge through its WooCommerce REST key. Removed when the plugin is uninstalled.',
			)
		);
		if ( is_wp_error( $user_id ) ) {
			return $user_id;
		}
		Settings::update_state( array( 'bridge_user_id' => (int) $user_id ) );
		return (int) $user_id;
	}

	/**
	 * A read_write WooCommerce REST key stored the way WooCommerce stores keys (hashed consumer key,
	 * plain consumer secret, last 7 characters for display). WooCommerce has no public PHP API for
	 * this; its own key screen and /wc-auth write the same row.
	 *
	 * @return array{key_id: int, consumer_key: string, consumer_secret: string}|WP_Error
	 */
	private static function create_key( $user_id ) {
		global $wpdb;
		$consumer_key    = 'ck_' . bin2hex( random_bytes( 20 ) );
		$consumer_secret = 'cs_' . bin2hex( random_bytes( 20 ) );
		$inserted        = $wpdb->insert(
			$wpdb->prefix . 'woocommerce_api_keys',
			array(
				'user_id'         => (int) $user_id,
				'description'     => self::KEY_DESCRIPTION,
				'permissions'     => 'read_write',
				'consumer_key'    => wc_api_hash( $consumer_key ),
				'consumer_secret' => $consumer_secret,
				'truncated_key'   => substr( $consumer_key, -7 ),
			),
			array( '%d', '%s', '%s', '%s', '%s', '%s' )
		);
		if ( ! $inserted ) {
			return new WP_Error( 'rackbeat_connector_key_failed', __( 'Could not create the WooCommerce REST key for the bridge.', 'rackbeat-connector' ), array( 'status' => 500 ) );
		}
		return array(
			'key_id'          => (int) $wpdb->insert_id,
			'consumer_key'    => $consumer_key,
			'consumer_secret' => $consumer_secret,
		);
	}

	private static function delete_key( $key_id ) {
		global $wpdb;
		if ( $key_id > 0 ) {
			$wpdb->delete( $wpdb->prefix . 'woocommerce_api_keys', array( 'key_id' => (int) $key_id ), array( '%d' ) );
		}
	}

	/** Revoke the bridge's WooCommerce key (only the one pairing made; never other apps' keys). */
	public static function revoke_key() {
		global $wpdb;
		$state = Settings::state();
		if ( ! empty( $state['wc_key_id'] ) ) {
			self::delete_key( (int) $state['wc_key_id'] );
		}
		$user = Settings::bridge_user_id();
		$keys = $wpdb->prefix . 'woocommerce_api_keys';
		if ( $user > 0 && $keys === $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', $wpdb->esc_like( $keys ) ) ) ) {
			$wpdb->delete( $keys, array( 'user_id' => $user, 'description' => self::KEY_DESCRIPTION ), array( '%d', '%s' ) );
		}
	}

	public static function delete_bridge_user() {
		$user = Settings::bridge_user_id();
		if ( $user > 0 && get_userdata( $user ) ) {
			require_once ABSPATH . 'wp-admin/includes/user.php';
			wp_delete_user( $user );
		}
	}
}
