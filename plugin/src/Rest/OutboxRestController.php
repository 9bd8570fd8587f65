<?php
/**
 * The bridge's pull (protocol.md §4), signed with the shop secret:
 *   GET  /wp-json/rackbeat-connector/v1/outbox?after=<seq>&limit=<≤100>  → {events, next_seq}
 *   POST /wp-json/rackbeat-connector/v1/outbox/ack {up_to_seq}           → {acknowledged, up_to_seq}
 *
 * The signature is checked over the path and query exactly as received (REQUEST_URI) and the raw
 * body, so it holds whatever permalink form the bridge uses.
 *
 * @package RackbeatConnector
 */

namespace RackbeatConnector\Rest;

use RackbeatConnector\Outbox;
use RackbeatConnector\Settings;
use RackbeatConnector\Signer;
use RackbeatConnector\Staging;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

defined( 'ABSPATH' ) || exit;

final class OutboxRestController {

	const NAMESPACE_V1 = 'rackbeat-connector/v1';

	public static function register() {
		add_action( 'rest_api_init', array( __CLASS__, 'register_routes' ) );
	}

	public static function register_routes() {
		register_rest_route(
			self::NAMESPACE_V1,
			'/outbox',
			array(
				'methods'             => WP_REST_Server::READABLE,
				'callback'            => array( __CLASS__, 'pull' ),
				'permission_callback' => array( __CLASS__, 'verify_signed_request' ),
				'args'                => array(
					'after' => array(
						'type'    => 'integer',
						'minimum' => 0,
						'default' => 0,
					),
					'limit' => array(
						'type'    => 'integer',
						'minimum' => 1,
						'maximum' => Outbox::MAX_BATCH,
						'default' => Outbox::MAX_BATCH,
					),
				),
			)
		);
		register_rest_route(
			self::NAMESPACE_V1,
			'/outbox/ack',
			array(
				'methods'             => WP_REST_Server::CREATABLE,
				'callback'            => array( __CLASS__, 'ack' ),
				'permission_callback' => array( __CLASS__, 'verify_signed_request' ),
				'args'                => array(
					'up_to_seq' => array(
						'type'     => 'integer',
						'minimum'  => 0,
						'required' => true,
					),
				),
			)
		);
	}

	/** @return true|WP_Error */
	public static function verify_signed_request( WP_REST_Request $request ) {
		$path  = isset( $_SERVER['REQUEST_URI'] ) ? (string) wp_unslash( $_SERVER['REQUEST_URI'] ) : ''; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput -- signed bytes must stay exactly as received.
		$error = Signer::check(
			Settings::shop_id(),
			Settings::is_connected() ? Settings::shop_secret() : '',
			$request->get_header( 'x_rbc_shop' ),
			$request->get_header( 'x_rbc_timestamp' ),
			$request->get_header( 'x_rbc_signature' ),
			$request->get_method(),
			$path,
			(string) $request->get_body(),
			Settings::now()
		);
		if ( null !== $error ) {
			return new WP_Error( 'rackbeat_connector_' . $error[0], $error[1], array( 'status' => 401, 'error' => $error[0] ) );
		}
		if ( Staging::is_paused() ) {
			return new WP_Error(
				'rackbeat_connector_paused',
				'Delivery is paused: this site\'s address differs from the paired one (a copy of the shop?). The owner must confirm or pair again.',
				array( 'status' => 409, 'error' => 'paused' )
			);
		}
		return true;
	}

	public static function pull( WP_REST_Request $request ) {
		$page = Outbox::pull( (int) $request->get_param( 'after' ), (int) $request->get_param( 'limit' ) );
		return new WP_REST_Response( $page, 200 );
	}

	public static function ack( WP_REST_Request $request ) {
		$up_to = (int) $request->get_param( 'up_to_seq' );
		$count = Outbox::ack_up_to( $up_to );
		$state = Settings::delivery_state();
		// A pull that gets through proves the bridge is reachable the other way round.
		$state['last_pull_at'] = Settings::now();
		Settings::store_delivery_state( $state );
		return new WP_REST_Response(
			array(
				'acknowledged' => $count,
				'up_to_seq'    => $up_to,
			),
			200
		);
	}
}
