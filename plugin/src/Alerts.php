<?php
/**
 * Daily digest e-mail to the shop's admin address (configurable, with an off switch) when events
 * are stuck in the shop, delivery keeps failing, or the bridge reports parked jobs or failing
 * webhooks. Nothing is sent on a good day.
 *
 * @package RackbeatConnector
 */

namespace RackbeatConnector;

use RackbeatConnector\Delivery\BridgeClient;

defined( 'ABSPATH' ) || exit;

final class Alerts {

	const HOOK = 'rackbeat_connector_daily_digest';
	/** Undelivered events older than this are worth a mail. */
	const STUCK_AFTER = 3600;

	public static function register() {
		add_action( self::HOOK, array( __CLASS__, 'send_digest' ) );
		add_action( 'init', array( __CLASS__, 'ensure_scheduled' ) );
	}

	public static function ensure_scheduled() {
		if ( ! wp_next_scheduled( self::HOOK ) ) {
			wp_schedule_event( time() + HOUR_IN_SECONDS, 'daily', self::HOOK );
		}
	}

	public static function unschedule() {
		wp_clear_scheduled_hook( self::HOOK );
	}

	/**
	 * What is wrong right now, in words for the owner. Empty when all is well.
	 *
	 * @return string[]
	 */
	public static function findings() {
		$findings = array();
		if ( ! Settings::is_connected() ) {
			return $findings;
		}
		if ( Staging::is_paused() ) {
			$findings[] = __( 'Delivery is paused because this site\'s address differs from the one that was paired.', 'rackbeat-connector' );
		}
		$backlog = Outbox::backlog();
		if ( $backlog['pending'] > 0 && null !== $backlog['oldest_at'] && Settings::now() - strtotime( $backlog['oldest_at'] ) > self::STUCK_AFTER ) {
			/* translators: 1: number of events, 2: time of the oldest */
			$findings[] = sprintf( __( '%1$d order/product change(s) have not reached the bridge; the oldest is from %2$s (UTC).', 'rackbeat-connector' ), $backlog['pending'], $backlog['oldest_at'] );
		}
		$delivery = Settings::delivery_state();
		if ( ! empty( $delivery['failures'] ) ) {
			/* translators: 1: number of failed attempts, 2: last error */
			$findings[] = sprintf( __( 'The last %1$d delivery attempt(s) failed: %2$s', 'rackbeat-connector' ), (int) $delivery['failures'], isset( $delivery['last_error'] ) ? (string) $delivery['last_error'] : '' );
		}
		$status = BridgeClient::request( 'GET', '/v1/shops/' . rawurlencode( Settings::shop_id() ) . '/status', null, 10 );
		if ( 200 !== $status['status'] ) {
			/* translators: %s: HTTP status or network error */
			$findings[] = sprintf( __( 'The bridge did not answer its status check (%s).', 'rackbeat-connector' ), $status['status'] ? 'HTTP ' . $status['status'] : (string) $status['error'] );
		} elseif ( is_array( $status['json'] ) ) {
			$parked = self::number_at( $status['json'], array( array( 'queue', 'parked' ), array( 'jobs', 'parked' ), array( 'parked' ) ) );
			if ( $parked > 0 ) {
				/* translators: %d: number of parked jobs */
				$findings[] = sprintf( __( '%d order(s) or job(s) are parked in the bridge and need attention.', 'rackbeat-connector' ), $parked );
			}
			$failing = self::number_at( $status['json'], array( array( 'webhooks', 'failing' ), array( 'webhooks', 'failures' ) ) );
			if ( $failing > 0 || ( isset( $status['json']['webhooks']['ok'] ) && false === $status['json']['webhooks']['ok'] ) ) {
				$findings[] = __( 'Rackbeat webhooks are failing, so stock updates arrive late (the bridge polls instead).', 'rackbeat-connector' );
			}
		}
		return $findings;
	}

	/** @return bool whether a mail was sent */
	public static function send_digest() {
		$alerts = Settings::alerts();
		if ( ! $alerts['enabled'] ) {
			return false;
		}
		$findings = self::findings();
		if ( ! $findings ) {
			return false;
		}
		$site    = wp_specialchars_decode( get_bloginfo( 'name' ), ENT_QUOTES );
		/* translators: %s: shop name */
		$subject = sprintf( __( '[%s] Rackbeat Connector needs attention', 'rackbeat-connector' ), $site );
		$body    = __( 'Rackbeat Connector found the following:', 'rackbeat-connector' ) . "\n\n- " . implode( "\n- ", $findings ) . "\n\n"
			/* translators: %s: admin page URL */
			. sprintf( __( 'Details and retry: %s', 'rackbeat-connector' ), admin_url( 'admin.php?page=rackbeat-connector' ) ) . "\n\n"
			. __( 'You get this e-mail at most once a day. Turn it off or change the address on the Rackbeat page.', 'rackbeat-connector' ) . "\n";
		return (bool) wp_mail( Settings::alert_email(), $subject, $body );
	}

	/**
	 * @param array<string, mixed> $json
	 * @param array<int, string[]> $paths
	 */
	private static function number_at( array $json, array $paths ) {
		foreach ( $paths as $path ) {
			$value = $json;
			foreach ( $path as $key ) {
				if ( ! is_array( $value ) || ! array_key_exists( $key, $value ) ) {
					continue 2;
				}
				$value = $value[ $key ];
			}
			if ( is_int( $value ) || ( is_string( $value ) && ctype_digit( $value ) ) ) {
				return (int) $value;
			}
		}
		return 0;
	}
}
