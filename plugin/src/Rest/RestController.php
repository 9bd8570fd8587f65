<?php
/**
 * REST routes for the admin page, under rackbeat-connector/v1. Every route requires
 * manage_woocommerce (cookie requests also need the wp_rest nonce, which WordPress enforces).
 * Secrets (shop secret, WooCommerce key) never appear in any response.
 *
 * Local routes:
 *   GET  /connection        pairing facts, staging state, outbox backlog, delivery health, alerts
 *   POST /pair              {bridge_url, code}
 *   POST /disconnect
 *   POST /staging/confirm   this site is the paired shop at a new address
 *   PUT  /alerts            {enabled?, email?}
 *   POST /outbox/send       deliver now, ignoring the backoff
 * Bridge proxy (protocol.md §5), signed with the shop secret:
 *   /bridge/shop/<rest>     → /v1/shops/{shop}/<rest>
 *   /bridge/account/<rest>  → /v1/account/<rest>
 *   e.g. GET /bridge/shop/status, PUT /bridge/shop/settings, GET /bridge/shop/activity?state=parked
 *
 * @package RackbeatConnector
 */

namespace RackbeatConnector\Rest;

use RackbeatConnector\Delivery\BridgeClient;
use RackbeatConnector\Delivery\Runner;
use RackbeatConnector\Outbox;
use RackbeatConnector\Pairing;
use RackbeatConnector\Settings;
use RackbeatConnector\Staging;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

defined( 'ABSPATH' ) || exit;

final class RestController {

	const NAMESPACE_V1  = 'rackbeat-connector/v1';
	const MAX_BODY      = 1048576;
	/** One path segment: no leading dot, so "." and ".." can never reach the bridge. */
	const SEGMENT       = '[A-Za-z0-9_~-][A-Za-z0-9_.~-]*';

	/**
	 * Bridge routes the page may reach: [methods, pattern relative to /v1/ with "shop" standing for shops/{shop}].
	 *
	 * @var array<int, array{0: string[], 1: string}>
	 */
	const PROXY_ROUTES = array(
		array( array( 'GET' ), 'shop/status' ),
		array( array( 'GET', 'PUT' ), 'shop/settings' ),
		array( array( 'PUT' ), 'account/rackbeat-token' ),
		array( array( 'POST' ), 'account/test' ),
		array( array( 'GET' ), 'account/shops' ),
		array( array( 'GET' ), 'shop/activity' ),
		array( array( 'GET' ), 'shop/activity/{id}' ),
		array( array( 'POST' ), 'shop/jobs/{id}/retry' ),
		array( array( 'POST' ), 'shop/jobs/retry-parked' ),
		array( array( 'GET' ), 'shop/orders/preview' ),
		array( array( 'POST' ), 'shop/orders/{id}/send' ),
		array( array( 'GET' ), 'account/article-numbers/check' ),
		array( array( 'GET' ), 'shop/reconcile/orders' ),
		array( array( 'POST' ), 'shop/reconcile/orders/send' ),
		array( array( 'GET' ), 'shop/reconcile/stock' ),
		array( array( 'POST' ), 'shop/reconcile/stock/fix' ),
		array( array( 'POST' ), 'shop/initial-sync/preflight' ),
		array( array( 'GET' ), 'shop/initial-sync/preflight/{id}' ),
		array( array( 'POST', 'GET' ), 'shop/initial-sync' ),
	);

	/** Keys whose string values are never passed to the browser, whatever the bridge sends. */
	const SECRET_KEYS = '/(secret|password|passwd|consumer_key|api_?key|^token$|access_?token|rackbeat_?token|authorization)/i';

	public static function register() {
		add_action( 'rest_api_init', array( __CLASS__, 'register_routes' ) );
	}

	public static function can_manage() {
		return current_user_can( 'manage_woocommerce' );
	}

	public static function register_routes() {
		$admin = array( __CLASS__, 'can_manage' );
		register_rest_route(
			self::NAMESPACE_V1,
			'/connection',
			array(
				'methods'             => WP_REST_Server::READABLE,
				'callback'            => array( __CLASS__, 'connection' ),
				'permission_callback' => $admin,
			)
		);
		register_rest_route(
			self::NAMESPACE_V1,
			'/pair',
			array(
				'methods'             => WP_REST_Server::CREATABLE,
				'callback'            => array( __CLASS__, 'pair' ),
				'permission_callback' => $admin,
				'args'                => array(
					'bridge_url' => array(
						'type'      => 'string',
						'format'    => 'uri',
						'required'  => true,
						'maxLength' => 2000,
					),
					'code'       => array(
						'type'      => 'string',
						'required'  => true,
						'minLength' => 8,
						'maxLength' => 200,
					),
				),
			)
		);
		register_rest_route(
			self::NAMESPACE_V1,
			'/disconnect',
			array(
				'methods'             => WP_REST_Server::CREATABLE,
				'callback'            => array( __CLASS__, 'disconnect' ),
				'permission_callback' => $admin,
			)
		);
		register_rest_route(
			self::NAMESPACE_V1,
			'/staging/confirm',
			array(
				'methods'             => WP_REST_Server::CREATABLE,
				'callback'            => array( __CLASS__, 'confirm_site' ),
				'permission_callback' => $admin,
			)
		);
		register_rest_route(
			self::NAMESPACE_V1,
			'/alerts',
			array(
				'methods'             => 'PUT',
				'callback'            => array( __CLASS__, 'update_alerts' ),
				'permission_callback' => $admin,
				'args'                => array(
					'enabled' => array( 'type' => 'boolean' ),
					'email'   => array(
						'type'      => 'string',
						'maxLength' => 200,
					),
				),
			)
		);
		register_rest_route(
			self::NAMESPACE_V1,
			'/outbox/send',
			array(
				'methods'             => WP_REST_Server::CREATABLE,
				'callback'            => array( __CLASS__, 'send_now' ),
				'permission_callback' => $admin,
			)
		);
		register_rest_route(
			self::NAMESPACE_V1,
			'/bridge/(?P<path>(shop|account)(/' . self::SEGMENT . ')+)',
			array(
				'methods'             => array( 'GET', 'POST', 'PUT', 'DELETE' ),
				'callback'            => array( __CLASS__, 'proxy' ),
				'permission_callback' => $admin,
			)
		);
	}

	public static function connection() {
		$delivery   = Settings::delivery_state();
		$connection = Pairing::describe();
		return new WP_REST_Response(
			array(
				'connection'     => $connection,
				'protocol'       => array(
					'plugin'   => RACKBEAT_CONNECTOR_PROTOCOL_VERSION,
					'bridge'   => $connection['bridge_protocol_version'],
					'mismatch' => Pairing::protocol_mismatch(),
				),
				'staging'        => Staging::describe(),
				'backlog'        => Outbox::backlog(),
				'delivery'       => array(
					'runner'          => Runner::has_action_scheduler() ? 'action-scheduler' : 'wp-cron',
					'failures'        => isset( $delivery['failures'] ) ? (int) $delivery['failures'] : 0,
					'next_attempt_at' => ! empty( $delivery['next_attempt_at'] ) ? gmdate( 'c', (int) $delivery['next_attempt_at'] ) : null,
					'last_success_at' => ! empty( $delivery['last_success_at'] ) ? gmdate( 'c', (int) $delivery['last_success_at'] ) : null,
					'last_pull_at'    => ! empty( $delivery['last_pull_at'] ) ? gmdate( 'c', (int) $delivery['last_pull_at'] ) : null,
					'last_error'      => isset( $delivery['last_error'] ) ? $delivery['last_error'] : null,
					'last_error_at'   => ! empty( $delivery['last_error_at'] ) ? gmdate( 'c', (int) $delivery['last_error_at'] ) : null,
				),
				'alerts'         => Settings::alerts(),
				'product_master' => Settings::product_master(),
				'plugin_version' => RACKBEAT_CONNECTOR_VERSION,
			),
			200
		);
	}

	public static function pair( WP_REST_Request $request ) {
		$result = Pairing::pair( (string) $request->get_param( 'bridge_url' ), (string) $request->get_param( 'code' ) );
		if ( is_wp_error( $result ) ) {
			return $result;
		}
		// Learn the product master right away, so product events start without waiting for the page.
		$settings = BridgeClient::request( 'GET', '/v1/shops/' . rawurlencode( Settings::shop_id() ) . '/settings', null, 10 );
		if ( 200 === $settings['status'] ) {
			Settings::learn_from_bridge_settings( $settings['json'] );
		}
		return new WP_REST_Response( array( 'connection' => $result ), 201 );
	}

	public static function disconnect() {
		return new WP_REST_Response( Pairing::disconnect() + array( 'connection' => Pairing::describe() ), 200 );
	}

	public static function confirm_site() {
		Staging::confirm();
		return new WP_REST_Response( array( 'staging' => Staging::describe() ), 200 );
	}

	public static function update_alerts( WP_REST_Request $request ) {
		$changes = array();
		if ( null !== $request->get_param( 'enabled' ) ) {
			$changes['enabled'] = (bool) $request->get_param( 'enabled' );
		}
		if ( null !== $request->get_param( 'email' ) ) {
			$email = trim( (string) $request->get_param( 'email' ) );
			if ( '' !== $email && ! is_email( $email ) ) {
				return new WP_Error( 'rackbeat_connector_bad_email', __( 'Enter a valid e-mail address, or leave it empty to use the site\'s admin address.', 'rackbeat-connector' ), array( 'status' => 400 ) );
			}
			$changes['email'] = sanitize_email( $email );
		}
		return new WP_REST_Response( array( 'alerts' => Settings::update_alerts( $changes ) ), 200 );
	}

	public static function send_now() {
		$result = Runner::run( true );
		return new WP_REST_Response( $result + array( 'backlog' => Outbox::backlog() ), 200 );
	}

	/** Forward an allow-listed call to the bridge, signed; pass its answer back without secrets. */
	public static function proxy( WP_REST_Request $request ) {
		$method = strtoupper( $request->get_method() );
		$path   = (string) $request->get_param( 'path' );
		if ( ! self::proxy_allowed( $method, $path ) ) {
			return new WP_Error( 'rackbeat_connector_not_proxied', __( 'This bridge route is not available through the shop.', 'rackbeat-connector' ), array( 'status' => 404 ) );
		}
		if ( ! Settings::is_connected() ) {
			return new WP_Error( 'rackbeat_connector_not_paired', __( 'This shop is not paired with a bridge yet.', 'rackbeat-connector' ), array( 'status' => 409 ) );
		}
		if ( 'GET' !== $method && Staging::is_paused() ) {
			return new WP_Error( 'rackbeat_connector_paused', __( 'This site\'s address differs from the paired one, so changes are not sent to the bridge. Confirm the address or pair again.', 'rackbeat-connector' ), array( 'status' => 409 ) );
		}
		$body = null;
		if ( 'GET' !== $method && 'DELETE' !== $method ) {
			$raw = (string) $request->get_body();
			if ( strlen( $raw ) > self::MAX_BODY ) {
				return new WP_Error( 'rackbeat_connector_too_large', __( 'The request is too large.', 'rackbeat-connector' ), array( 'status' => 413 ) );
			}
			if ( '' !== trim( $raw ) ) {
				json_decode( $raw );
				if ( JSON_ERROR_NONE !== json_last_error() ) {
					return new WP_Error( 'rackbeat_connector_bad_json', __( 'The request body is not valid JSON.', 'rackbeat-connector' ), array( 'status' => 400 ) );
				}
				$body = $raw;
			}
		}

		$query = $request->get_query_params();
		foreach ( array( '_locale', '_wpnonce', 'rest_route', '_envelope', '_method' ) as $internal ) {
			unset( $query[ $internal ] );
		}
		$bridge_path = self::bridge_path( $path ) . ( $query ? '?' . http_build_query( $query, '', '&', PHP_QUERY_RFC3986 ) : '' );
		$response    = BridgeClient::request( $method, $bridge_path, $body, 20 );

		if ( 0 === $response['status'] ) {
			/* translators: %s: network error */
			return new WP_Error( 'rackbeat_connector_bridge_unreachable', sprintf( __( 'Could not reach the bridge: %s', 'rackbeat-connector' ), (string) $response['error'] ), array( 'status' => 502 ) );
		}
		if ( 'shop/settings' === $path && $response['status'] < 300 ) {
			Settings::learn_from_bridge_settings( $response['json'] );
		}
		if ( null === $response['json'] && '' !== $response['body'] ) {
			return self::raw_response( $response );
		}
		// Decode the raw body again with objects kept as objects: an associative decode would turn an
		// empty JSON object {} into an empty PHP array and WordPress would send it on as [].
		$data = '' === trim( (string) $response['body'] ) ? null : json_decode( (string) $response['body'] );
		return new WP_REST_Response( self::scrub( $data ), $response['status'] );
	}

	public static function proxy_allowed( $method, $path ) {
		foreach ( self::PROXY_ROUTES as $route ) {
			$pattern = '#^' . str_replace( '\{id\}', self::SEGMENT, preg_quote( $route[1], '#' ) ) . '$#';
			if ( in_array( $method, $route[0], true ) && preg_match( $pattern, $path ) ) {
				return true;
			}
		}
		return false;
	}

	private static function bridge_path( $path ) {
		$segments = array_map( 'rawurlencode', explode( '/', $path ) );
		if ( 'shop' === $segments[0] ) {
			array_shift( $segments );
			return '/v1/shops/' . rawurlencode( Settings::shop_id() ) . ( $segments ? '/' . implode( '/', $segments ) : '' );
		}
		return '/v1/' . implode( '/', $segments );
	}

	/**
	 * Remove secret-looking string values at any depth. JSON objects (stdClass) stay objects, so an
	 * empty object reaches the browser as {} and never as [].
	 *
	 * @param mixed $value
	 * @return mixed
	 */
	public static function scrub( $value ) {
		if ( $value instanceof \stdClass ) {
			$clean = new \stdClass();
			foreach ( get_object_vars( $value ) as $key => $item ) {
				if ( is_string( $key ) && is_string( $item ) && preg_match( self::SECRET_KEYS, $key ) ) {
					continue;
				}
				$clean->{$key} = self::scrub( $item );
			}
			return $clean;
		}
		if ( ! is_array( $value ) ) {
			return $value;
		}
		$clean = array();
		foreach ( $value as $key => $item ) {
			if ( is_string( $key ) && is_string( $item ) && preg_match( self::SECRET_KEYS, $key ) ) {
				continue;
			}
			$clean[ $key ] = self::scrub( $item );
		}
		return $clean;
	}

	/**
	 * Non-JSON answers (the preflight CSV) go to the browser as they came.
	 *
	 * @param array<string, mixed> $response
	 */
	private static function raw_response( array $response ) {
		$type = isset( $response['content_type'] ) && '' !== $response['content_type'] ? $response['content_type'] : 'text/plain';
		$type = preg_match( '#^(text/csv|text/plain)(;.*)?$#i', $type ) ? $type : 'text/plain; charset=utf-8';
		$body = (string) $response['body'];
		add_filter(
			'rest_pre_serve_request',
			static function ( $served ) use ( $body ) {
				if ( ! $served ) {
					echo $body; // phpcs:ignore WordPress.Security.EscapeOutput -- a download, served as text/csv or text/plain.
				}
				return true;
			}
		);
		$rest = new WP_REST_Response( null, $response['status'] );
		$rest->header( 'Content-Type', $type );
		$rest->header( 'X-Content-Type-Options', 'nosniff' );
		return $rest;
	}
}
