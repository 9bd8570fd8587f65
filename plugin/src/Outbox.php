<?php
/**
 * The outbox: the plugin's own table in the WordPress database. Recording an event is exactly one
 * INSERT on the request; rows leave only when the bridge acknowledges them (push answer or pull ack).
 *
 * Duplicates collapse through `dedupe_key` (UNIQUE; NULLs do not collide):
 * - order.created:{id}             kept for the row's life: an order is created once.
 * - {topic}:{id}[:{from}:{to}]     cleared when the row is sent, so an identical event that has not
 *                                  left yet collapses into it, while a later one after sending is new.
 *
 * @package RackbeatConnector
 */

namespace RackbeatConnector;

defined( 'ABSPATH' ) || exit;

final class Outbox {

	const SCHEMA_VERSION = 1;
	const TABLE          = 'rackbeat_outbox';
	const MAX_BATCH      = 100;
	/** Acknowledged rows are kept this long (so order.created duplicates still collapse), then pruned. */
	const KEEP_ACKED_DAYS = 14;

	/** @var bool Whether this request recorded anything (the shutdown push looks at it). */
	private static $recorded = false;

	public static function table() {
		global $wpdb;
		return $wpdb->prefix . self::TABLE;
	}

	/** Create or migrate the table (dbDelta) when the stored schema version is older. */
	public static function install() {
		global $wpdb;
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		$table   = self::table();
		$collate = $wpdb->get_charset_collate();
		dbDelta(
			"CREATE TABLE {$table} (
  seq bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  event_id char(36) NOT NULL,
  topic varchar(40) NOT NULL,
  resource_id bigint(20) unsigned NOT NULL,
  parent_id bigint(20) unsigned DEFAULT NULL,
  status_from varchar(40) DEFAULT NULL,
  status_to varchar(40) DEFAULT NULL,
  dedupe_key varchar(191) DEFAULT NULL,
  occurred_at datetime NOT NULL,
  sent_at datetime DEFAULT NULL,
  acked_at datetime DEFAULT NULL,
  PRIMARY KEY  (seq),
  UNIQUE KEY event_id (event_id),
  UNIQUE KEY dedupe_key (dedupe_key),
  KEY pending (acked_at,seq),
  KEY resource (resource_id)
) {$collate};"
		);
		update_option( Settings::DB_VERSION, self::SCHEMA_VERSION, true );
	}

	/** Runs on every load; costs nothing (the version option is autoloaded) unless an upgrade is due. */
	public static function maybe_upgrade() {
		if ( (int) get_option( Settings::DB_VERSION, 0 ) < self::SCHEMA_VERSION ) {
			self::install();
		}
	}

	/**
	 * Record one event. One query. Returns true when a row was inserted, false when it collapsed
	 * into an existing one (or the insert failed).
	 *
	 * @param array{topic: string, resource_id: int, parent_id?: int|null, from?: string|null, to?: string|null, dedupe_key?: string|null} $event
	 */
	public static function record( array $event ) {
		return self::record_many( array( $event ) ) > 0;
	}

	/**
	 * Record several events in one INSERT.
	 *
	 * @param array<int, array<string, mixed>> $events
	 * @return int rows inserted
	 */
	public static function record_many( array $events ) {
		global $wpdb;
		if ( ! $events ) {
			return 0;
		}
		$now          = gmdate( 'Y-m-d H:i:s', Settings::now() );
		$placeholders = array();
		$values       = array();
		foreach ( $events as $event ) {
			$placeholders[] = '(%s, %s, %d, ' . ( empty( $event['parent_id'] ) ? 'NULL' : '%d' ) . ', '
				. ( isset( $event['from'] ) ? '%s' : 'NULL' ) . ', ' . ( isset( $event['to'] ) ? '%s' : 'NULL' ) . ', '
				. ( isset( $event['dedupe_key'] ) ? '%s' : 'NULL' ) . ', %s)';
			$values[]       = wp_generate_uuid4();
			$values[]       = (string) $event['topic'];
			$values[]       = (int) $event['resource_id'];
			if ( ! empty( $event['parent_id'] ) ) {
				$values[] = (int) $event['parent_id'];
			}
			if ( isset( $event['from'] ) ) {
				$values[] = (string) $event['from'];
			}
			if ( isset( $event['to'] ) ) {
				$values[] = (string) $event['to'];
			}
			if ( isset( $event['dedupe_key'] ) ) {
				$values[] = substr( (string) $event['dedupe_key'], 0, 191 );
			}
			$values[] = $now;
		}
		$table = self::table();
		// ON DUPLICATE KEY … seq = seq: a duplicate dedupe_key is a no-op, while any other error still surfaces.
		$sql = "INSERT INTO {$table} (event_id, topic, resource_id, parent_id, status_from, status_to, dedupe_key, occurred_at) VALUES "
			. implode( ', ', $placeholders ) . ' ON DUPLICATE KEY UPDATE seq = seq';
		$result = $wpdb->query( $wpdb->prepare( $sql, $values ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- placeholders built above.
		$rows   = false === $result ? 0 : (int) $result;
		if ( $rows > 0 ) {
			self::$recorded = true;
		}
		return $rows;
	}

	public static function recorded_this_request() {
		return self::$recorded;
	}

	/**
	 * Unacknowledged rows to push, oldest first; marks them sent and releases their coalescing key.
	 *
	 * @return array<int, array<string, mixed>> protocol envelopes
	 */
	public static function take_for_push( $limit = self::MAX_BATCH ) {
		global $wpdb;
		$table = self::table();
		$rows  = $wpdb->get_results(
			$wpdb->prepare( "SELECT * FROM {$table} WHERE acked_at IS NULL ORDER BY seq ASC LIMIT %d", max( 1, min( self::MAX_BATCH, (int) $limit ) ) ), // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
			ARRAY_A
		);
		self::mark_sent( $rows );
		return array_map( array( __CLASS__, 'envelope' ), $rows );
	}

	/**
	 * Rows for the bridge's pull (protocol.md §4): unacknowledged rows after `after`, plus any row
	 * that has never been sent even if its seq is lower (a row whose INSERT committed after a
	 * later seq was already visible), so an ack can never cover an event nobody saw.
	 *
	 * @return array{events: array<int, array<string, mixed>>, next_seq: int}
	 */
	public static function pull( $after, $limit ) {
		global $wpdb;
		$table = self::table();
		$rows  = $wpdb->get_results(
			$wpdb->prepare(
				"SELECT * FROM {$table} WHERE acked_at IS NULL AND (seq > %d OR sent_at IS NULL) ORDER BY seq ASC LIMIT %d", // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
				max( 0, (int) $after ),
				max( 1, min( self::MAX_BATCH, (int) $limit ) )
			),
			ARRAY_A
		);
		self::mark_sent( $rows );
		$next = (int) $after;
		foreach ( $rows as $row ) {
			$next = max( $next, (int) $row['seq'] );
		}
		return array(
			'events'   => array_map( array( __CLASS__, 'envelope' ), $rows ),
			'next_seq' => $next,
		);
	}

	/** Acknowledge every sent row up to a sequence number (pull ack). @return int rows acknowledged */
	public static function ack_up_to( $up_to_seq ) {
		global $wpdb;
		$table = self::table();
		$now   = gmdate( 'Y-m-d H:i:s', Settings::now() );
		$count = $wpdb->query(
			$wpdb->prepare(
				"UPDATE {$table} SET acked_at = %s WHERE acked_at IS NULL AND sent_at IS NOT NULL AND seq <= %d", // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
				$now,
				(int) $up_to_seq
			)
		);
		return false === $count ? 0 : (int) $count;
	}

	/**
	 * Acknowledge rows by event id (push answer: accepted + duplicates).
	 *
	 * @param string[] $event_ids
	 */
	public static function ack_events( array $event_ids ) {
		global $wpdb;
		$ids = array_values( array_filter( array_map( 'strval', $event_ids ), array( __CLASS__, 'is_uuid' ) ) );
		if ( ! $ids ) {
			return 0;
		}
		$table = self::table();
		$now   = gmdate( 'Y-m-d H:i:s', Settings::now() );
		$in    = implode( ', ', array_fill( 0, count( $ids ), '%s' ) );
		$count = $wpdb->query( $wpdb->prepare( "UPDATE {$table} SET acked_at = %s WHERE acked_at IS NULL AND event_id IN ({$in})", array_merge( array( $now ), $ids ) ) ); // phpcs:ignore WordPress.DB.PreparedSQL
		return false === $count ? 0 : (int) $count;
	}

	/** @return array{pending: int, oldest_at: string|null, last_seq: int} */
	public static function backlog() {
		global $wpdb;
		$table = self::table();
		$row   = $wpdb->get_row( "SELECT COUNT(*) AS pending, MIN(occurred_at) AS oldest FROM {$table} WHERE acked_at IS NULL", ARRAY_A ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		$last  = (int) $wpdb->get_var( "SELECT MAX(seq) FROM {$table}" ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		return array(
			'pending'   => $row ? (int) $row['pending'] : 0,
			'oldest_at' => ( $row && $row['oldest'] ) ? self::rfc3339( $row['oldest'] ) : null,
			'last_seq'  => $last,
		);
	}

	/**
	 * Order ids with undelivered events, for the order list column (one query per page view).
	 *
	 * @return array<int, true>
	 */
	public static function undelivered_order_ids() {
		global $wpdb;
		$table = self::table();
		$ids   = $wpdb->get_col( "SELECT DISTINCT resource_id FROM {$table} WHERE acked_at IS NULL AND topic LIKE 'order.%' LIMIT 5000" ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		$set   = array();
		foreach ( $ids as $id ) {
			$set[ (int) $id ] = true;
		}
		return $set;
	}

	/** Delete acknowledged rows older than the retention window. */
	public static function prune() {
		global $wpdb;
		$table  = self::table();
		$cutoff = gmdate( 'Y-m-d H:i:s', Settings::now() - self::KEEP_ACKED_DAYS * DAY_IN_SECONDS );
		return (int) $wpdb->query( $wpdb->prepare( "DELETE FROM {$table} WHERE acked_at IS NOT NULL AND acked_at < %s LIMIT 5000", $cutoff ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
	}

	public static function drop() {
		global $wpdb;
		$wpdb->query( 'DROP TABLE IF EXISTS ' . self::table() ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
		delete_option( Settings::DB_VERSION );
	}

	/** @param array<int, array<string, mixed>> $rows */
	private static function mark_sent( array $rows ) {
		global $wpdb;
		if ( ! $rows ) {
			return;
		}
		$table = self::table();
		$seqs  = array_map( 'intval', wp_list_pluck( $rows, 'seq' ) );
		$in    = implode( ', ', $seqs );
		$now   = gmdate( 'Y-m-d H:i:s', Settings::now() );
		// Sent rows stop absorbing newer duplicates, except order.created which happens once per order.
		$wpdb->query( $wpdb->prepare( "UPDATE {$table} SET sent_at = COALESCE(sent_at, %s), dedupe_key = IF(topic = 'order.created', dedupe_key, NULL) WHERE seq IN ({$in})", $now ) ); // phpcs:ignore WordPress.DB.PreparedSQL
	}

	/**
	 * A row as the protocol's event envelope (protocol.md §3).
	 *
	 * @param array<string, mixed> $row
	 * @return array<string, mixed>
	 */
	public static function envelope( array $row ) {
		$event = array(
			'event_id'    => (string) $row['event_id'],
			'seq'         => (int) $row['seq'],
			'topic'       => (string) $row['topic'],
			'resource_id' => (int) $row['resource_id'],
			'occurred_at' => self::rfc3339( (string) $row['occurred_at'] ),
		);
		if ( ! empty( $row['parent_id'] ) ) {
			$event['parent_id'] = (int) $row['parent_id'];
		}
		if ( 'order.status_changed' === $row['topic'] ) {
			$event['from'] = (string) $row['status_from'];
			$event['to']   = (string) $row['status_to'];
		}
		return $event;
	}

	private static function rfc3339( $mysql_utc ) {
		return str_replace( ' ', 'T', (string) $mysql_utc ) . 'Z';
	}

	private static function is_uuid( $value ) {
		return 1 === preg_match( '/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/', $value );
	}
}
