<?php
/**
 * Order events: every WooCommerce hook that can mean "this order changed" feeds one idempotent
 * maybe_record(). Drafts (auto-draft, draft, checkout-draft) and refunds are ignored; orders are
 * read only through wc_get_order()/CRUD (HPOS-safe). Recording is one outbox INSERT; nothing else
 * happens on the request.
 *
 * Collapsing duplicates:
 * - within a request: one event per (order, topic, from, to); a later "updated" for an order that
 *   already has an event in this request is dropped (payment_complete after its own status change,
 *   the admin save after the status change it caused, the REST insert after create).
 * - across requests: the outbox's dedupe key (see Outbox).
 *
 * @package RackbeatConnector
 */

namespace RackbeatConnector;

defined( 'ABSPATH' ) || exit;

final class OrderEvents {

	const CREATED        = 'order.created';
	const STATUS_CHANGED = 'order.status_changed';
	const UPDATED        = 'order.updated';
	const DELETED        = 'order.deleted';

	const DRAFT_STATUSES = array( 'auto-draft', 'draft', 'checkout-draft' );

	/** @var array<int, array<string, true>> order id => request keys recorded in this request */
	private $seen = array();

	/** @var array<int, bool> ids about to be deleted: true when they are real orders (not drafts or refunds) */
	private $deleting = array();

	public function register() {
		// Late priorities: other plugins may still change the order in earlier callbacks.
		add_action( 'woocommerce_new_order', array( $this, 'on_new_order' ), 90, 2 );
		add_action( 'woocommerce_order_status_changed', array( $this, 'on_status_changed' ), 90, 4 );
		add_action( 'woocommerce_payment_complete', array( $this, 'on_payment_complete' ), 90, 1 );
		// Edits: admin save (legacy and HPOS editors both fire this), REST writes, refunds, restore.
		add_action( 'woocommerce_process_shop_order_meta', array( $this, 'on_updated' ), 100, 1 );
		add_action( 'woocommerce_rest_insert_shop_order_object', array( $this, 'on_rest_insert' ), 90, 3 );
		add_action( 'woocommerce_order_refunded', array( $this, 'on_updated' ), 90, 1 );
		add_action( 'woocommerce_untrash_order', array( $this, 'on_updated' ), 90, 1 );
		add_action( 'woocommerce_before_delete_order', array( $this, 'before_delete' ), 90, 2 );
		add_action( 'woocommerce_trash_order', array( $this, 'on_deleted' ), 90, 1 );
		add_action( 'woocommerce_delete_order', array( $this, 'on_deleted' ), 90, 1 );
	}

	/** @param int $order_id @param \WC_Order|null $order */
	public function on_new_order( $order_id, $order = null ) {
		$this->maybe_record( $order ? $order : $order_id, self::CREATED );
	}

	public function on_status_changed( $order_id, $from, $to, $order = null ) {
		$this->maybe_record( $order ? $order : $order_id, self::STATUS_CHANGED, (string) $from, (string) $to );
	}

	public function on_payment_complete( $order_id ) {
		$this->maybe_record( $order_id, self::UPDATED );
	}

	public function on_updated( $order_id ) {
		$this->maybe_record( $order_id, self::UPDATED );
	}

	/** @param \WC_Order $order @param mixed $request @param bool $creating */
	public function on_rest_insert( $order, $request = null, $creating = false ) {
		$this->maybe_record( $order, $creating ? self::CREATED : self::UPDATED );
	}

	/** Remember what is being deleted: afterwards it can no longer be loaded. */
	public function before_delete( $order_id, $order = null ) {
		$order = $order ? $order : wc_get_order( $order_id );
		$this->deleting[ absint( $order_id ) ] = $order && 'shop_order' === $order->get_type() && ! in_array( $order->get_status(), self::DRAFT_STATUSES, true );
	}

	public function on_deleted( $order_id ) {
		$order_id = absint( $order_id );
		if ( isset( $this->deleting[ $order_id ] ) && ! $this->deleting[ $order_id ] ) {
			return; // an abandoned checkout draft being cleaned up, or a refund
		}
		$this->maybe_record( $order_id, self::DELETED );
	}

	/**
	 * The one place order events are recorded.
	 *
	 * @param int|\WC_Abstract_Order $order_or_id
	 */
	public function maybe_record( $order_or_id, $topic, $from = null, $to = null ) {
		$order_id = is_object( $order_or_id ) && method_exists( $order_or_id, 'get_id' ) ? (int) $order_or_id->get_id() : absint( $order_or_id );
		if ( $order_id <= 0 ) {
			return false;
		}
		if ( self::STATUS_CHANGED === $topic && in_array( $from, self::DRAFT_STATUSES, true ) ) {
			// Leaving a draft (checkout-draft → pending) is the order coming into being.
			$topic = self::CREATED;
			$from  = null;
			$to    = null;
		}
		$request_key = $topic . ':' . $from . ':' . $to;
		if ( isset( $this->seen[ $order_id ][ $request_key ] ) ) {
			return false;
		}
		if ( self::UPDATED === $topic && isset( $this->seen[ $order_id ] ) ) {
			return false; // an event for this order already went into the outbox on this request
		}
		if ( EchoGuard::is_bridge_write() ) {
			return false;
		}

		$order = is_object( $order_or_id ) ? $order_or_id : wc_get_order( $order_id );
		if ( $order ) {
			if ( 'shop_order' !== $order->get_type() ) {
				return false; // refunds and other order types
			}
			$status = $order->get_status();
			if ( self::DELETED === $topic && 'trash' === $status ) {
				$status = (string) $order->get_meta( '_wp_trash_meta_status', true ); // what it was before the bin
				$status = 0 === strpos( $status, 'wc-' ) ? substr( $status, 3 ) : $status;
			}
			if ( in_array( $status, self::DRAFT_STATUSES, true ) ) {
				return false;
			}
		} elseif ( self::DELETED !== $topic ) {
			return false; // not an order (or gone)
		}
		if ( self::STATUS_CHANGED === $topic && ( in_array( $to, self::DRAFT_STATUSES, true ) || $from === $to ) ) {
			return false;
		}

		$this->seen[ $order_id ][ $request_key ] = true;
		$dedupe = self::CREATED === $topic ? self::CREATED . ':' . $order_id : $topic . ':' . $order_id . ( self::STATUS_CHANGED === $topic ? ':' . $from . ':' . $to : '' );
		return Outbox::record(
			array(
				'topic'       => $topic,
				'resource_id' => $order_id,
				'from'        => self::STATUS_CHANGED === $topic ? $from : null,
				'to'          => self::STATUS_CHANGED === $topic ? $to : null,
				'dedupe_key'  => $dedupe,
			)
		);
	}
}
