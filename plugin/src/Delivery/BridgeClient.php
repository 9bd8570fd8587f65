<?php
/**
 * The one HTTP client to the bridge. Signs every request (protocol.md §2) except pairing, and
 * explicitly allows the paired bridge's host and port: wp_safe_remote_* refuses loopback/private
 * addresses and any port but 80/443/8080 unless told otherwise, and a bridge on 127.0.0.1:3000 or
 * a private network is a normal set-up.
 *
 * @package RackbeatConnector
 */

namespace RackbeatConnector\Delivery;

use RackbeatConnector\Settings;
use RackbeatConnector\Signer;

defined( 'ABSPATH' ) || exit;

final class BridgeClient {

	/** @var string|null A bridge URL being paired (allowed before it is stored). */
	private static $candidate_url = null;

	public static function register() {
		add_filter( 'http_request_host_is_external', array( __CLASS__, 'allow_bridge_host' ), 10, 3 );
		add_filter( 'http_allowed_safe_ports', array( __CLASS__, 'allow_bridge_port' ), 10, 3 );
	}

	/** @param bool $external @param string $host @param string $url */
	public static function allow_bridge_host( $external, $host, $url = '' ) {
		if ( $external ) {
			return $external;
		}
		foreach ( self::allowed_bases() as $base ) {
			$allowed_host = wp_parse_url( $base, PHP_URL_HOST );
			if ( is_string( $allowed_host ) && strtolower( trim( $allowed_host, '[]' ) ) === strtolower( trim( (string) $host, '[]' ) ) ) {
				return true;
			}
		}
		return $external;
	}

	/** @param int[] $ports @param string $host @param string $url */
	public static function allow_bridge_port( $ports, $host = '', $url = '' ) {
		$ports = is_array( $ports ) ? $ports : array();
		foreach ( self::allowed_bases() as $base ) {
			$parts = wp_parse_url( $base );
			if ( ! is_array( $parts ) || empty( $parts['port'] ) || empty( $parts['host'] ) ) {
				continue;
			}
			if ( strtolower( $parts['host'] ) === strtolower( (string) $host ) ) {
				$ports[] = (int) $parts['port'];
			}
		}
		return $ports;
	}

	/** @return string[] */
	private static function allowed_bases() {
		$bases = array();
		$url   = Settings::bridge_url();
		if ( '' !== $url ) {
			$bases[] = $url;
		}
		if ( null !== self::$candidate_url ) {
			$bases[] = self::$candidate_url;
		}
		return $bases;
	}

	/**
	 * Normalise a bridge URL typed by the owner: http(s) only, no query, no trailing slash.
	 *
	 * @return string|null
	 */
	public static function normalise_url( $url ) {
		$url   = trim( (string) $url );
		$parts = wp_parse_url( $url );
		if ( ! is_array( $parts ) || empty( $parts['host'] ) || empty( $parts['scheme'] ) || ! in_array( strtolower( $parts['scheme'] ), array( 'http', 'https' ), true ) ) {
			return null;
		}
		if ( isset( $parts['query'] ) || isset( $parts['fragment'] ) || isset( $parts['user'] ) ) {
			return null;
		}
		$base = strtolower( $parts['scheme'] ) . '://' . strtolower( $parts['host'] ) . ( isset( $parts['port'] ) ? ':' . (int) $parts['port'] : '' );
		$path = isset( $parts['path'] ) ? rtrim( $parts['path'], '/' ) : '';
		return $base . $path;
	}

	/**
	 * Unsigned request to a bridge that is not paired yet (only POST /v1/pair: the code is the credential).
	 *
	 * @param array<string, mixed> $payload
	 * @return array{status: int, json: mixed, body: string, error: string|null}
	 */
	public static function pair_request( $bridge_url, array $payload ) {
		self::$candidate_url = $bridge_url;
		try {
			$body = wp_json_encode( $payload );
			return self::send( $bridge_url . '/v1/pair', 'POST', array( 'Content-Type' => 'application/json' ), (string) $body, 30 );
		} finally {
			self::$candidate_url = null;
		}
	}

	/**
	 * Signed request to the paired bridge.
	 *
	 * @param string      $method          GET, POST, PUT, DELETE.
	 * @param string      $path_with_query Starts with /v1/…; already percent-encoded.
	 * @param string|null $body            Raw JSON body.
	 * @return array{status: int, json: mixed, body: string, error: string|null}
	 */
	public static function request( $method, $path_with_query, $body = null, $timeout = 15 ) {
		$shop   = Settings::shop_id();
		$secret = Settings::shop_secret();
		$base   = Settings::bridge_url();
		if ( '' === $shop || '' === $secret || '' === $base ) {
			return array( 'status' => 0, 'json' => null, 'body' => '', 'error' => 'not_paired' );
		}
		$method = strtoupper( $method );
		$body   = null === $body ? '' : (string) $body;
		// The signature covers the path as the bridge sees it, including a path prefix of the base URL.
		$base_path = (string) wp_parse_url( $base, PHP_URL_PATH );
		$headers   = Signer::headers( $shop, $secret, $method, $base_path . $path_with_query, $body );
		if ( '' !== $body ) {
			$headers['Content-Type'] = 'application/json';
		}
		return self::send( $base . $path_with_query, $method, $headers, $body, $timeout );
	}

	/**
	 * @param array<string, string> $headers
	 * @return array{status: int, json: mixed, body: string, error: string|null}
	 */
	private static function send( $url, $method, array $headers, $body, $timeout ) {
		global $wp_version;
		$headers['Accept']     = 'application/json';
		$headers['User-Agent'] = 'RackbeatConnector/' . RACKBEAT_CONNECTOR_VERSION . ' WordPress/' . $wp_version;
		$args                  = array(
			'method'      => $method,
			'headers'     => $headers,
			'timeout'     => $timeout,
			'redirection' => 0,
		);
		if ( '' !== $body ) {
			$args['body'] = $body;
		}
		$response = wp_safe_remote_request( $url, $args );
		if ( is_wp_error( $response ) ) {
			return array( 'status' => 0, 'json' => null, 'body' => '', 'error' => $response->get_error_message() );
		}
		$raw = (string) wp_remote_retrieve_body( $response );
		return array(
			'status'       => (int) wp_remote_retrieve_response_code( $response ),
			'json'         => json_decode( $raw, true ),
			'body'         => $raw,
			'content_type' => (string) wp_remote_retrieve_header( $response, 'content-type' ),
			'error'        => null,
		);
	}
}
