<?php
/**
 * Admin notices that need no WooCommerce: staging pause, protocol version mismatch, and the
 * deactivation warning on the plugins screen when undelivered events remain.
 *
 * @package RackbeatConnector
 */

namespace RackbeatConnector\Admin;

use RackbeatConnector\Outbox;
use RackbeatConnector\Pairing;
use RackbeatConnector\Settings;
use RackbeatConnector\Staging;

defined( 'ABSPATH' ) || exit;

final class Notices {

	public static function register() {
		add_action( 'admin_notices', array( __CLASS__, 'render' ) );
		add_filter( 'plugin_action_links_' . plugin_basename( RACKBEAT_CONNECTOR_FILE ), array( __CLASS__, 'deactivation_warning' ) );
	}

	public static function render() {
		if ( ! current_user_can( 'manage_woocommerce' ) ) {
			return;
		}
		if ( Staging::is_paused() ) {
			$staging = Staging::describe();
			echo '<div class="notice notice-warning rackbeat-connector-staging"><p><strong>' . esc_html__( 'Rackbeat Connector has paused delivery.', 'rackbeat-connector' ) . '</strong> ';
			echo esc_html(
				sprintf(
					/* translators: 1: this site's address, 2: the address that was paired */
					__( 'This site is at %1$s, but the shop was paired at %2$s. If this is a copy (staging, a local clone) nothing is sent to Rackbeat from it. If the shop has moved, confirm it; otherwise pair this site with its own bridge shop.', 'rackbeat-connector' ),
					$staging['site_url'],
					$staging['paired_site_url']
				)
			);
			echo '</p><p><a class="button button-primary" href="' . esc_url( Staging::confirm_url() ) . '">' . esc_html__( 'This is the same shop: resume delivery', 'rackbeat-connector' ) . '</a> ';
			echo '<a class="button" href="' . esc_url( admin_url( 'admin.php?page=' . AdminPage::SLUG ) ) . '">' . esc_html__( 'Pair again', 'rackbeat-connector' ) . '</a></p></div>';
		}
		if ( Pairing::protocol_mismatch() ) {
			$state = Settings::state();
			echo '<div class="notice notice-error rackbeat-connector-protocol"><p>' . esc_html(
				sprintf(
					/* translators: 1: bridge's protocol version, 2: plugin's protocol version */
					__( 'Rackbeat Connector: the bridge speaks protocol version %1$d, this plugin speaks version %2$d. Update whichever is older so events keep flowing.', 'rackbeat-connector' ),
					(int) $state['bridge_protocol_version'],
					RACKBEAT_CONNECTOR_PROTOCOL_VERSION
				)
			) . '</p></div>';
		}
	}

	/**
	 * Plugins screen: when events have not reached the bridge yet, the Deactivate link asks first.
	 *
	 * @param array<string, string> $links
	 * @return array<string, string>
	 */
	public static function deactivation_warning( $links ) {
		if ( ! isset( $links['deactivate'] ) || ! current_user_can( 'activate_plugins' ) ) {
			return $links;
		}
		$backlog = Outbox::backlog();
		if ( $backlog['pending'] <= 0 ) {
			return $links;
		}
		$message = sprintf(
			/* translators: %d: number of events */
			_n(
				'%d order or product change has not reached Rackbeat yet. While the plugin is inactive nothing is sent and new orders are not recorded. Deactivate anyway?',
				'%d order or product changes have not reached Rackbeat yet. While the plugin is inactive nothing is sent and new orders are not recorded. Deactivate anyway?',
				$backlog['pending'],
				'rackbeat-connector'
			),
			$backlog['pending']
		);
		$links['deactivate'] = str_replace( '<a ', '<a data-rackbeat-undelivered="' . esc_attr( (string) $backlog['pending'] ) . '" onclick="return window.confirm(\'' . esc_js( $message ) . '\');" ', $links['deactivate'] );
		return $links;
	}
}
