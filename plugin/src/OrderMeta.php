<?php
/**
 * Order meta keys the bridge writes through the WooCommerce REST API (meta_data) and the plugin
 * only reads, through CRUD: the Rackbeat order number and the sync state.
 *
 * @package RackbeatConnector
 */

namespace RackbeatConnector;

defined( 'ABSPATH' ) || exit;

final class OrderMeta {

	const PREFIX       = '_rackbeat_';
	const ORDER_NUMBER = '_rackbeat_order_number';
	const SYNC_STATE   = '_rackbeat_sync_state';
	const SYNC_ERROR   = '_rackbeat_sync_error';

	/**
	 * @param \WC_Abstract_Order $order
	 * @return array{number: string, state: string, error: string}
	 */
	public static function read( $order ) {
		return array(
			'number' => (string) $order->get_meta( self::ORDER_NUMBER, true ),
			'state'  => (string) $order->get_meta( self::SYNC_STATE, true ),
			'error'  => (string) $order->get_meta( self::SYNC_ERROR, true ),
		);
	}
}
