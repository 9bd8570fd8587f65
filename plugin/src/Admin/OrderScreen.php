<?php
/**
 * The order screens, legacy (posts) and HPOS alike: a "Rackbeat" column with the Rackbeat order
 * number and sync state, a box on the edit screen, a "Send to Rackbeat" order action, row action
 * and bulk action (manual export and resend through the bridge).
 *
 * @package RackbeatConnector
 */

namespace RackbeatConnector\Admin;

use RackbeatConnector\Delivery\BridgeClient;
use RackbeatConnector\OrderMeta;
use RackbeatConnector\Outbox;
use RackbeatConnector\Settings;
use RackbeatConnector\Staging;

defined( 'ABSPATH' ) || exit;

final class OrderScreen {

	const ACTION      = 'rackbeat_connector_send';
	const COLUMN      = 'rackbeat';
	const BULK_LIMIT  = 50;
	const RESULT_ARG  = 'rackbeat_sent';
	const FAILED_ARG  = 'rackbeat_failed';

	/** @var array<int, true>|null */
	private static $undelivered = null;

	public static function register() {
		// Legacy list (posts) and HPOS list.
		add_filter( 'manage_edit-shop_order_columns', array( __CLASS__, 'add_column' ), 20 );
		add_action( 'manage_shop_order_posts_custom_column', array( __CLASS__, 'render_legacy_column' ), 20, 2 );
		add_filter( 'manage_woocommerce_page_wc-orders_columns', array( __CLASS__, 'add_column' ), 20 );
		add_action( 'manage_woocommerce_page_wc-orders_custom_column', array( __CLASS__, 'render_hpos_column' ), 20, 2 );
		// Bulk action on both lists.
		foreach ( array( 'edit-shop_order', 'woocommerce_page_wc-orders' ) as $screen ) {
			add_filter( 'bulk_actions-' . $screen, array( __CLASS__, 'add_bulk_action' ) );
			add_filter( 'handle_bulk_actions-' . $screen, array( __CLASS__, 'handle_bulk_action' ), 10, 3 );
		}
		// Edit screen: box and the order actions dropdown; list: the row's action buttons.
		add_action( 'add_meta_boxes', array( __CLASS__, 'add_meta_box' ) );
		add_filter( 'woocommerce_order_actions', array( __CLASS__, 'add_order_action' ), 20, 1 );
		add_action( 'woocommerce_order_action_' . self::ACTION, array( __CLASS__, 'handle_order_action' ) );
		add_filter( 'woocommerce_admin_order_actions', array( __CLASS__, 'add_row_action' ), 20, 2 );
		add_action( 'admin_post_' . self::ACTION, array( __CLASS__, 'handle_row_action' ) );
		add_action( 'admin_notices', array( __CLASS__, 'render_result_notice' ) );
	}

	/**
	 * @param array<string, string> $columns
	 * @return array<string, string>
	 */
	public static function add_column( $columns ) {
		$result = array();
		foreach ( $columns as $key => $label ) {
			$result[ $key ] = $label;
			if ( 'order_status' === $key ) {
				$result[ self::COLUMN ] = __( 'Rackbeat', 'rackbeat-connector' );
			}
		}
		if ( ! isset( $result[ self::COLUMN ] ) ) {
			$result[ self::COLUMN ] = __( 'Rackbeat', 'rackbeat-connector' );
		}
		return $result;
	}

	public static function render_legacy_column( $column, $post_id ) {
		if ( self::COLUMN === $column ) {
			self::render_cell( wc_get_order( $post_id ) );
		}
	}

	/** @param string $column @param \WC_Order $order */
	public static function render_hpos_column( $column, $order ) {
		if ( self::COLUMN === $column ) {
			self::render_cell( is_object( $order ) ? $order : wc_get_order( $order ) );
		}
	}

	/** @param \WC_Order|false $order */
	private static function render_cell( $order ) {
		if ( ! $order ) {
			return;
		}
		$info = self::info( $order );
		if ( '' !== $info['number'] ) {
			echo '<strong>' . esc_html( $info['number'] ) . '</strong><br>';
		}
		echo '<span class="rackbeat-connector-state rackbeat-connector-state-' . esc_attr( $info['state_key'] ) . '">' . esc_html( $info['state_label'] ) . '</span>';
	}

	/**
	 * @param \WC_Order $order
	 * @return array{number: string, state_key: string, state_label: string, error: string}
	 */
	public static function info( $order ) {
		if ( null === self::$undelivered ) {
			self::$undelivered = Outbox::undelivered_order_ids();
		}
		$meta = OrderMeta::read( $order );
		if ( '' !== $meta['state'] ) {
			$key = sanitize_key( $meta['state'] );
			$labels = array(
				'transferred' => __( 'In Rackbeat', 'rackbeat-connector' ),
				'booked'      => __( 'Booked in Rackbeat', 'rackbeat-connector' ),
				'parked'      => __( 'Parked — needs attention', 'rackbeat-connector' ),
				'failed'      => __( 'Failed', 'rackbeat-connector' ),
				'skipped'     => __( 'Not sent (status not exported)', 'rackbeat-connector' ),
				'pending'     => __( 'Waiting in the bridge', 'rackbeat-connector' ),
			);
			$label = isset( $labels[ $key ] ) ? $labels[ $key ] : $meta['state'];
		} elseif ( isset( self::$undelivered[ (int) $order->get_id() ] ) ) {
			$key   = 'queued';
			$label = Staging::is_paused() ? __( 'Queued (delivery paused)', 'rackbeat-connector' ) : __( 'Queued in the shop', 'rackbeat-connector' );
		} elseif ( '' !== $meta['number'] ) {
			$key   = 'transferred';
			$label = __( 'In Rackbeat', 'rackbeat-connector' );
		} else {
			$key   = 'none';
			$label = '—';
		}
		return array(
			'number'      => $meta['number'],
			'state_key'   => $key,
			'state_label' => $label,
			'error'       => $meta['error'],
		);
	}

	public static function add_meta_box() {
		if ( ! function_exists( 'wc_get_page_screen_id' ) ) {
			return;
		}
		add_meta_box( 'rackbeat-connector-order', __( 'Rackbeat', 'rackbeat-connector' ), array( __CLASS__, 'render_meta_box' ), wc_get_page_screen_id( 'shop-order' ), 'side', 'default' );
	}

	/** @param \WP_Post|\WC_Order $post_or_order */
	public static function render_meta_box( $post_or_order ) {
		$order = ( $post_or_order instanceof \WP_Post ) ? wc_get_order( $post_or_order->ID ) : $post_or_order;
		if ( ! $order ) {
			return;
		}
		$info = self::info( $order );
		echo '<p class="rackbeat-connector-box">';
		if ( '' !== $info['number'] ) {
			echo esc_html__( 'Rackbeat order', 'rackbeat-connector' ) . ': <strong>' . esc_html( $info['number'] ) . '</strong><br>';
		}
		echo esc_html__( 'State', 'rackbeat-connector' ) . ': ' . esc_html( $info['state_label'] );
		if ( '' !== $info['error'] ) {
			echo '<br><span class="rackbeat-connector-error">' . esc_html( $info['error'] ) . '</span>';
		}
		echo '</p>';
		if ( Settings::is_connected() ) {
			echo '<p><a class="button" href="' . esc_url( self::row_action_url( (int) $order->get_id() ) ) . '">' . esc_html__( 'Send to Rackbeat', 'rackbeat-connector' ) . '</a></p>';
		}
	}

	/**
	 * @param array<string, string> $actions
	 * @return array<string, string>
	 */
	public static function add_order_action( $actions ) {
		if ( Settings::is_connected() ) {
			$actions[ self::ACTION ] = __( 'Send to Rackbeat', 'rackbeat-connector' );
		}
		return $actions;
	}

	/** @param \WC_Order $order */
	public static function handle_order_action( $order ) {
		if ( ! current_user_can( 'manage_woocommerce' ) ) {
			return;
		}
		$ok = self::send( (int) $order->get_id() );
		if ( method_exists( $order, 'add_order_note' ) ) {
			$order->add_order_note( $ok ? __( 'Sent to Rackbeat on request.', 'rackbeat-connector' ) : __( 'Sending to Rackbeat failed; see the Rackbeat page.', 'rackbeat-connector' ) );
		}
	}

	/**
	 * @param array<string, array<string, string>> $actions
	 * @param \WC_Order                            $order
	 * @return array<string, array<string, string>>
	 */
	public static function add_row_action( $actions, $order ) {
		if ( Settings::is_connected() && is_object( $order ) ) {
			$actions[ self::ACTION ] = array(
				'url'    => self::row_action_url( (int) $order->get_id() ),
				'name'   => __( 'Send to Rackbeat', 'rackbeat-connector' ),
				'action' => 'rackbeat-send',
			);
		}
		return $actions;
	}

	public static function row_action_url( $order_id ) {
		return wp_nonce_url( admin_url( 'admin-post.php?action=' . self::ACTION . '&order_id=' . (int) $order_id ), self::ACTION . '_' . (int) $order_id );
	}

	public static function handle_row_action() {
		$order_id = isset( $_GET['order_id'] ) ? absint( $_GET['order_id'] ) : 0; // phpcs:ignore WordPress.Security.NonceVerification -- checked below with the id in the action.
		if ( ! current_user_can( 'manage_woocommerce' ) ) {
			wp_die( esc_html__( 'You are not allowed to do this.', 'rackbeat-connector' ), 403 );
		}
		check_admin_referer( self::ACTION . '_' . $order_id );
		$ok       = $order_id > 0 && wc_get_order( $order_id ) && self::send( $order_id );
		$redirect = wp_get_referer() ? wp_get_referer() : admin_url();
		wp_safe_redirect( add_query_arg( array( self::RESULT_ARG => $ok ? 1 : 0, self::FAILED_ARG => $ok ? 0 : 1 ), $redirect ) );
		exit;
	}

	/**
	 * @param array<string, string> $actions
	 * @return array<string, string>
	 */
	public static function add_bulk_action( $actions ) {
		if ( Settings::is_connected() ) {
			$actions[ self::ACTION ] = __( 'Send to Rackbeat', 'rackbeat-connector' );
		}
		return $actions;
	}

	/**
	 * WordPress checked the list's nonce before calling this filter.
	 *
	 * @param string $redirect_to
	 * @param string $action
	 * @param int[]  $ids
	 */
	public static function handle_bulk_action( $redirect_to, $action, $ids ) {
		if ( self::ACTION !== $action || ! current_user_can( 'manage_woocommerce' ) ) {
			return $redirect_to;
		}
		$sent   = 0;
		$failed = 0;
		foreach ( array_slice( array_map( 'absint', (array) $ids ), 0, self::BULK_LIMIT ) as $order_id ) {
			if ( $order_id > 0 && wc_get_order( $order_id ) && self::send( $order_id ) ) {
				++$sent;
			} else {
				++$failed;
			}
		}
		$failed += max( 0, count( (array) $ids ) - self::BULK_LIMIT );
		return add_query_arg( array( self::RESULT_ARG => $sent, self::FAILED_ARG => $failed ), $redirect_to );
	}

	public static function render_result_notice() {
		if ( ! isset( $_GET[ self::RESULT_ARG ] ) || ! current_user_can( 'manage_woocommerce' ) ) { // phpcs:ignore WordPress.Security.NonceVerification -- display only.
			return;
		}
		$sent   = absint( $_GET[ self::RESULT_ARG ] ); // phpcs:ignore WordPress.Security.NonceVerification
		$failed = isset( $_GET[ self::FAILED_ARG ] ) ? absint( $_GET[ self::FAILED_ARG ] ) : 0; // phpcs:ignore WordPress.Security.NonceVerification
		$class  = $failed > 0 ? 'notice-error' : 'notice-success';
		echo '<div class="notice ' . esc_attr( $class ) . ' is-dismissible"><p>' . esc_html(
			sprintf(
				/* translators: 1: orders sent, 2: orders that failed */
				__( 'Rackbeat: %1$d order(s) sent, %2$d failed.', 'rackbeat-connector' ),
				$sent,
				$failed
			)
		) . '</p></div>';
	}

	/** Manual export / resend (protocol.md §5: POST /v1/shops/{shop}/orders/{id}/send). */
	public static function send( $order_id ) {
		if ( ! Settings::is_connected() || Staging::is_paused() ) {
			return false;
		}
		$response = BridgeClient::request( 'POST', '/v1/shops/' . rawurlencode( Settings::shop_id() ) . '/orders/' . (int) $order_id . '/send', '{}', 15 );
		return $response['status'] >= 200 && $response['status'] < 300;
	}
}
