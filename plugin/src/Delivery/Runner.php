<?php
/**
 * Delivery, always off the request path:
 * - a push right after the response is sent (fastcgi_finish_request / litespeed_finish_request);
 *   where the server cannot finish a response early (e.g. PHP's built-in server) nothing is pushed
 *   on the request and the scheduled runner takes the events;
 * - a scheduled runner every minute: Action Scheduler when WooCommerce provides it, WP-Cron
 *   otherwise, with its own backoff (30 s doubling to 6 h, forever) so a bridge that is down for
 *   days is neither hammered nor given up on;
 * - the bridge's pull (OutboxRestController) as the safety net.
 *
 * @package RackbeatConnector
 */

namespace RackbeatConnector\Delivery;

use RackbeatConnector\Outbox;
use RackbeatConnector\Pairing;
use RackbeatConnector\Settings;
use RackbeatConnector\Staging;

defined( 'ABSPATH' ) || exit;

final class Runner {

	const HOOK          = 'rackbeat_connector_deliver';
	const GROUP         = 'rackbeat-connector';
	const SCHEDULE      = 'rackbeat_connector_every_minute';
	const INTERVAL      = 60;
	const MAX_BACKOFF   = 21600; // 6 h
	const FIRST_BACKOFF = 30;
	const TIME_BUDGET   = 20;    // seconds per run
	const LOCK          = 'rackbeat_connector_deliver';

	public static function register() {
		add_action( self::HOOK, array( __CLASS__, 'run_scheduled' ) );
		add_filter( 'cron_schedules', array( __CLASS__, 'cron_schedules' ) );
		add_action( 'shutdown', array( __CLASS__, 'push_after_response' ), 1000 );
		if ( self::has_action_scheduler() ) {
			add_action( 'action_scheduler_ensure_recurring_actions', array( __CLASS__, 'ensure_scheduled' ) );
			add_action( 'admin_init', array( __CLASS__, 'ensure_scheduled' ) );
		} else {
			// wp_next_scheduled() reads the autoloaded cron option: no query per request.
			add_action( 'init', array( __CLASS__, 'ensure_scheduled' ) );
		}
	}

	public static function has_action_scheduler() {
		return function_exists( 'as_schedule_recurring_action' ) && function_exists( 'as_has_scheduled_action' );
	}

	/** @param array<string, array<string, mixed>> $schedules */
	public static function cron_schedules( $schedules ) {
		$schedules[ self::SCHEDULE ] = array(
			'interval' => self::INTERVAL,
			'display'  => 'Rackbeat Connector: every minute',
		);
		return $schedules;
	}

	public static function ensure_scheduled() {
		if ( self::has_action_scheduler() ) {
			if ( ! as_has_scheduled_action( self::HOOK, array(), self::GROUP ) ) {
				as_schedule_recurring_action( time() + 5, self::INTERVAL, self::HOOK, array(), self::GROUP, true );
			}
			wp_clear_scheduled_hook( self::HOOK );
			return;
		}
		if ( ! wp_next_scheduled( self::HOOK ) ) {
			wp_schedule_event( time() + 5, self::SCHEDULE, self::HOOK );
		}
	}

	public static function unschedule() {
		wp_clear_scheduled_hook( self::HOOK );
		if ( function_exists( 'as_unschedule_all_actions' ) ) {
			as_unschedule_all_actions( self::HOOK, array(), self::GROUP );
		}
	}

	/** Shutdown: push what this request recorded, but only once the response has gone out. */
	public static function push_after_response() {
		if ( ! Outbox::recorded_this_request() ) {
			return;
		}
		if ( function_exists( 'fastcgi_finish_request' ) ) {
			fastcgi_finish_request();
		} elseif ( function_exists( 'litespeed_finish_request' ) ) {
			litespeed_finish_request();
		} else {
			return; // the response is still open: the runner or the bridge's pull delivers instead
		}
		self::run( false );
	}

	public static function run_scheduled() {
		self::run( false );
		Outbox::prune();
	}

	/**
	 * Deliver pending events in batches of up to 100.
	 *
	 * @param bool $force Ignore the backoff (the owner pressed "Send now").
	 * @return array{sent: int, status: string, error?: string}
	 */
	public static function run( $force ) {
		if ( ! Settings::is_connected() ) {
			return array( 'sent' => 0, 'status' => 'not_paired' );
		}
		if ( Staging::is_paused() ) {
			return array( 'sent' => 0, 'status' => 'paused' );
		}
		$state = Settings::delivery_state();
		$now   = Settings::now();
		if ( ! $force && ! empty( $state['next_attempt_at'] ) && $now < (int) $state['next_attempt_at'] ) {
			return array( 'sent' => 0, 'status' => 'backing_off' );
		}
		if ( ! self::lock() ) {
			return array( 'sent' => 0, 'status' => 'busy' );
		}
		$sent    = 0;
		$started = microtime( true );
		$result  = array( 'sent' => 0, 'status' => 'idle' );
		try {
			while ( microtime( true ) - $started < self::TIME_BUDGET ) {
				$events = Outbox::take_for_push( Outbox::MAX_BATCH );
				if ( ! $events ) {
					break;
				}
				$path     = '/v1/shops/' . rawurlencode( Settings::shop_id() ) . '/events';
				$response = BridgeClient::request( 'POST', $path, (string) wp_json_encode( array( 'events' => $events ) ) );
				if ( 202 === $response['status'] || 200 === $response['status'] ) {
					$json = is_array( $response['json'] ) ? $response['json'] : array();
					$ids  = array_merge(
						isset( $json['accepted'] ) && is_array( $json['accepted'] ) ? $json['accepted'] : array(),
						isset( $json['duplicates'] ) && is_array( $json['duplicates'] ) ? $json['duplicates'] : array()
					);
					$acked = Outbox::ack_events( $ids );
					$sent += $acked;
					$state = array(
						'failures'        => 0,
						'next_attempt_at' => 0,
						'last_success_at' => $now,
						'last_error'      => isset( $state['last_error'] ) ? $state['last_error'] : null,
						'last_error_at'   => isset( $state['last_error_at'] ) ? $state['last_error_at'] : null,
					);
					$result = array( 'sent' => $sent, 'status' => 'delivered' );
					if ( count( $events ) < Outbox::MAX_BATCH || 0 === $acked ) {
						break; // all sent, or the bridge stored none of a full batch (retry next run)
					}
					continue;
				}
				if ( 409 === $response['status'] && is_array( $response['json'] ) ) {
					$theirs = Pairing::bridge_protocol_from_error( $response['json'] );
					if ( $theirs > 0 ) {
						Settings::update_state( array( 'bridge_protocol_version' => $theirs ) ); // shows the mismatch notice
					}
				}
				$failures = isset( $state['failures'] ) ? (int) $state['failures'] + 1 : 1;
				$error    = null !== $response['error'] ? $response['error'] : sprintf( 'HTTP %d from the bridge', $response['status'] );
				if ( is_array( $response['json'] ) && isset( $response['json']['error'] ) ) {
					$error .= ': ' . sanitize_text_field( (string) $response['json']['error'] );
				}
				$state  = array_merge(
					$state,
					array(
						'failures'        => $failures,
						'next_attempt_at' => $now + self::backoff_seconds( $failures ),
						'last_error'      => $error,
						'last_error_at'   => $now,
					)
				);
				$result = array( 'sent' => $sent, 'status' => 'failed', 'error' => $error );
				break;
			}
		} finally {
			Settings::store_delivery_state( $state );
			self::unlock();
		}
		return $result;
	}

	/** 30 s, 1 min, 2 min … capped at 6 h, with ±10 % jitter so many shops do not retry in step. */
	public static function backoff_seconds( $failures ) {
		$base = min( self::MAX_BACKOFF, self::FIRST_BACKOFF * ( 2 ** min( 20, max( 0, (int) $failures - 1 ) ) ) );
		return (int) max( 1, round( $base * ( 0.9 + 0.2 * wp_rand( 0, 1000 ) / 1000 ) ) );
	}

	/** A MySQL named lock: released by the server if PHP dies mid-run. */
	private static function lock() {
		global $wpdb;
		return '1' === (string) $wpdb->get_var( $wpdb->prepare( 'SELECT GET_LOCK(%s, 0)', self::lock_name() ) );
	}

	private static function unlock() {
		global $wpdb;
		$wpdb->query( $wpdb->prepare( 'SELECT RELEASE_LOCK(%s)', self::lock_name() ) );
	}

	private static function lock_name() {
		global $wpdb;
		return self::LOCK . '_' . $wpdb->prefix;
	}
}
