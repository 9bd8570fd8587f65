<?php
/**
 * Staging guard: a cloned site (staging copy, local copy of production) carries the pairing in its
 * database. When the site's address no longer matches the address that was paired, delivery and
 * bridge writes pause until the owner confirms this is the same shop (it moved) or pairs again.
 *
 * @package RackbeatConnector
 */

namespace RackbeatConnector;

defined( 'ABSPATH' ) || exit;

final class Staging {

	const CONFIRM_ACTION = 'rackbeat_connector_confirm_site';

	public static function register() {
		add_action( 'admin_post_' . self::CONFIRM_ACTION, array( __CLASS__, 'handle_confirm' ) );
	}

	/** Host and path, lower-cased, without scheme or trailing slash: http→https is the same shop. */
	public static function normalise( $url ) {
		$parts = wp_parse_url( (string) $url );
		if ( ! is_array( $parts ) || empty( $parts['host'] ) ) {
			return '';
		}
		$host = strtolower( $parts['host'] ) . ( isset( $parts['port'] ) ? ':' . (int) $parts['port'] : '' );
		return $host . ( isset( $parts['path'] ) ? rtrim( strtolower( $parts['path'] ), '/' ) : '' );
	}

	public static function is_paused() {
		if ( ! Settings::is_connected() ) {
			return false;
		}
		$state  = Settings::state();
		$paired = isset( $state['paired_site_url'] ) ? (string) $state['paired_site_url'] : '';
		return '' !== $paired && self::normalise( $paired ) !== self::normalise( home_url() );
	}

	/** @return array{paused: bool, site_url: string, paired_site_url: string} */
	public static function describe() {
		$state = Settings::state();
		return array(
			'paused'          => self::is_paused(),
			'site_url'        => home_url(),
			'paired_site_url' => isset( $state['paired_site_url'] ) ? (string) $state['paired_site_url'] : '',
		);
	}

	/** The owner says this site is the paired shop (it moved): adopt the current address. */
	public static function confirm() {
		Settings::update_state( array( 'paired_site_url' => home_url() ) );
	}

	public static function handle_confirm() {
		if ( ! current_user_can( 'manage_woocommerce' ) ) {
			wp_die( esc_html__( 'You are not allowed to do this.', 'rackbeat-connector' ), 403 );
		}
		check_admin_referer( self::CONFIRM_ACTION );
		self::confirm();
		wp_safe_redirect( wp_get_referer() ? wp_get_referer() : admin_url() );
		exit;
	}

	public static function confirm_url() {
		return wp_nonce_url( admin_url( 'admin-post.php?action=' . self::CONFIRM_ACTION ), self::CONFIRM_ACTION );
	}
}
