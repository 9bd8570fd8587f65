<?php
/**
 * Requirements check with an admin notice. `Requires Plugins: woocommerce` does nothing before
 * WordPress 6.5 and checks no versions, so this runs on every boot (it only reads constants).
 * Messages are translated when the notice is shown, not at boot (before `init`).
 *
 * @package RackbeatConnector
 */

namespace RackbeatConnector;

defined( 'ABSPATH' ) || exit;

final class Requirements {

	/** @return array<int, array{0: string, 1: string, 2: string}> [what, needed, running]; empty when all is there */
	public static function problems() {
		global $wp_version;
		$problems = array();
		if ( version_compare( $wp_version, RACKBEAT_CONNECTOR_MIN_WP, '<' ) ) {
			$problems[] = array( 'wordpress', RACKBEAT_CONNECTOR_MIN_WP, (string) $wp_version );
		}
		if ( ! class_exists( 'WooCommerce' ) || ! function_exists( 'wc_get_order' ) ) {
			$problems[] = array( 'woocommerce_missing', RACKBEAT_CONNECTOR_MIN_WC, '' );
		} elseif ( defined( 'WC_VERSION' ) && version_compare( WC_VERSION, RACKBEAT_CONNECTOR_MIN_WC, '<' ) ) {
			$problems[] = array( 'woocommerce', RACKBEAT_CONNECTOR_MIN_WC, (string) WC_VERSION );
		}
		return $problems;
	}

	/** @param array{0: string, 1: string, 2: string} $problem */
	public static function message( array $problem ) {
		switch ( $problem[0] ) {
			case 'wordpress':
				/* translators: 1: required WordPress version, 2: running version */
				return sprintf( __( 'Rackbeat Connector needs WordPress %1$s or newer; this site runs %2$s.', 'rackbeat-connector' ), $problem[1], $problem[2] );
			case 'woocommerce':
				/* translators: 1: required WooCommerce version, 2: running version */
				return sprintf( __( 'Rackbeat Connector needs WooCommerce %1$s or newer; this site runs %2$s. No orders are sent to Rackbeat until it is updated.', 'rackbeat-connector' ), $problem[1], $problem[2] );
			default:
				return __( 'Rackbeat Connector needs WooCommerce. Install and activate WooCommerce; until then no orders are sent to Rackbeat.', 'rackbeat-connector' );
		}
	}

	/** @param array<int, array{0: string, 1: string, 2: string}> $problems */
	public static function show( array $problems ) {
		add_action(
			'admin_notices',
			static function () use ( $problems ) {
				if ( ! current_user_can( 'activate_plugins' ) ) {
					return;
				}
				foreach ( $problems as $problem ) {
					echo '<div class="notice notice-error rackbeat-connector-requirements"><p>' . esc_html( self::message( $problem ) ) . '</p></div>';
				}
			}
		);
	}
}
