<?php
/**
 * Echo guard: writes the bridge makes (stock, status write-back) come through the WooCommerce REST
 * API authenticated with the key pairing created for the bridge's own user. Those must not be sent
 * back to the bridge as new events.
 *
 * A request counts as the bridge's when it is a REST request authenticated as the bridge user. The
 * bridge also sends the marker header `X-RBC-Origin: bridge`; the marker alone never suppresses
 * anything (anybody can send a header), it only labels the request for logs.
 *
 * @package RackbeatConnector
 */

namespace RackbeatConnector;

defined( 'ABSPATH' ) || exit;

final class EchoGuard {

	const MARKER_HEADER = 'HTTP_X_RBC_ORIGIN';

	public static function is_bridge_write() {
		if ( ! ( defined( 'REST_REQUEST' ) && REST_REQUEST ) ) {
			return false; // the common case (checkout, admin) costs no query at all
		}
		$bridge_user = Settings::bridge_user_id();
		return $bridge_user > 0 && get_current_user_id() === $bridge_user;
	}

	public static function has_marker() {
		return isset( $_SERVER[ self::MARKER_HEADER ] ) && 'bridge' === $_SERVER[ self::MARKER_HEADER ]; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput
	}
}
