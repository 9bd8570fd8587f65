<?php
/**
 * Request signing, protocol.md §2 (both directions):
 *   X-RBC-Signature: v1=<lowercase hex HMAC-SHA256(shop_secret, ts "." METHOD "." path_with_query "." raw_body)>
 *
 * @package RackbeatConnector
 */

namespace RackbeatConnector;

defined( 'ABSPATH' ) || exit;

final class Signer {

	const HEADER_SHOP      = 'X-RBC-Shop';
	const HEADER_TIMESTAMP = 'X-RBC-Timestamp';
	const HEADER_SIGNATURE = 'X-RBC-Signature';
	const MAX_SKEW_SECONDS = 300;

	/**
	 * The exact bytes that are signed.
	 *
	 * @param string|int $timestamp       Unix seconds.
	 * @param string     $method          HTTP method (upper-cased here).
	 * @param string     $path_with_query Path and query exactly as sent on the wire.
	 * @param string     $body            Raw body; empty string when there is none.
	 */
	public static function string_to_sign( $timestamp, $method, $path_with_query, $body ) {
		return (string) $timestamp . '.' . strtoupper( (string) $method ) . '.' . (string) $path_with_query . '.' . (string) $body;
	}

	/** @return string "v1=<hex>" */
	public static function signature( $secret, $timestamp, $method, $path_with_query, $body ) {
		return 'v1=' . hash_hmac( 'sha256', self::string_to_sign( $timestamp, $method, $path_with_query, $body ), (string) $secret );
	}

	/**
	 * The three headers for an outgoing request.
	 *
	 * @return array<string, string>
	 */
	public static function headers( $shop_id, $secret, $method, $path_with_query, $body, $timestamp = null ) {
		$timestamp = null === $timestamp ? Settings::now() : (int) $timestamp;
		return array(
			self::HEADER_SHOP      => (string) $shop_id,
			self::HEADER_TIMESTAMP => (string) $timestamp,
			self::HEADER_SIGNATURE => self::signature( $secret, $timestamp, $method, $path_with_query, $body ),
		);
	}

	/**
	 * Check an incoming request. Returns null when it is good, otherwise [error code, message for a person].
	 *
	 * @return null|array{0: string, 1: string}
	 */
	public static function check( $expected_shop, $secret, $shop_header, $timestamp_header, $signature_header, $method, $path_with_query, $body, $now ) {
		if ( '' === (string) $expected_shop || '' === (string) $secret ) {
			return array( 'not_paired', 'This shop is not paired with a bridge.' );
		}
		if ( ! is_string( $shop_header ) || '' === $shop_header || ! hash_equals( (string) $expected_shop, $shop_header ) ) {
			return array( 'unknown_shop', 'The X-RBC-Shop header does not name this shop.' );
		}
		if ( ! is_string( $timestamp_header ) || ! preg_match( '/^\d{1,12}$/', $timestamp_header ) ) {
			return array( 'bad_timestamp', 'The X-RBC-Timestamp header is missing or not unix seconds.' );
		}
		$skew = abs( (int) $now - (int) $timestamp_header );
		if ( $skew > self::MAX_SKEW_SECONDS ) {
			return array( 'stale_timestamp', sprintf( 'The request timestamp is %d s away from the shop\'s clock (limit %d s).', $skew, self::MAX_SKEW_SECONDS ) );
		}
		if ( ! is_string( $signature_header ) || '' === $signature_header ) {
			return array( 'bad_signature', 'The X-RBC-Signature header is missing.' );
		}
		$expected = self::signature( $secret, $timestamp_header, $method, $path_with_query, $body );
		if ( ! hash_equals( $expected, $signature_header ) ) {
			return array( 'bad_signature', 'The signature does not match the request.' );
		}
		return null;
	}
}
