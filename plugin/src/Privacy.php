<?php
/**
 * Privacy: the plugin itself stores no personal data (its outbox holds ids, topics and times; the
 * order meta it shows is a Rackbeat order number and a state), so it registers no exporter or
 * eraser. It does suggest policy text, because the bridge reads orders (names, addresses, e-mail)
 * through the WooCommerce REST API and passes them to Rackbeat.
 *
 * @package RackbeatConnector
 */

namespace RackbeatConnector;

defined( 'ABSPATH' ) || exit;

final class Privacy {

	public static function register() {
		add_action( 'admin_init', array( __CLASS__, 'add_policy_text' ) );
	}

	public static function add_policy_text() {
		if ( ! function_exists( 'wp_add_privacy_policy_content' ) ) {
			return;
		}
		$text = '<p class="privacy-policy-tutorial">' . esc_html__( 'Rackbeat Connector stores no personal data in this site\'s database: its outbox keeps only order and product ids, event types and times, and the order screen shows the Rackbeat order number.', 'rackbeat-connector' ) . '</p>'
			. '<p><strong class="privacy-policy-tutorial">' . esc_html__( 'Suggested text:', 'rackbeat-connector' ) . ' </strong>'
			. esc_html__( 'When you place an order, the order details (name, addresses, e-mail, phone, products and amounts) are passed to our inventory and accounting system, Rackbeat, through our own connector service, so we can process, ship and invoice the order.', 'rackbeat-connector' ) . '</p>';
		wp_add_privacy_policy_content( __( 'Rackbeat Connector', 'rackbeat-connector' ), wp_kses_post( $text ) );
	}
}
