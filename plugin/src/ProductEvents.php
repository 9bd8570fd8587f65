<?php
/**
 * Product events, only while WooCommerce is the product master (learnt from the bridge's settings,
 * cached in an autoloaded option). Hooks only collect ids; at shutdown one multi-row INSERT records
 * one event per product and topic, so a save that fires the update hook five times makes one row.
 *
 * @package RackbeatConnector
 */

namespace RackbeatConnector;

defined( 'ABSPATH' ) || exit;

final class ProductEvents {

	const CHANGED = 'product.changed';
	const DELETED = 'product.deleted';
	const STOCK   = 'stock.changed';

	/** @var array<int, array{topics: array<string, true>, parent_id: int, created?: bool}> */
	private $pending = array();

	/** @var bool */
	private $flush_hooked = false;

	public function register() {
		if ( ! Settings::woo_is_product_master() ) {
			return;
		}
		add_action( 'woocommerce_new_product', array( $this, 'on_product_created' ), 90, 2 );
		add_action( 'woocommerce_update_product', array( $this, 'on_product_saved' ), 90, 2 );
		add_action( 'woocommerce_new_product_variation', array( $this, 'on_product_created' ), 90, 2 );
		add_action( 'woocommerce_update_product_variation', array( $this, 'on_product_saved' ), 90, 2 );
		add_action( 'woocommerce_product_set_stock', array( $this, 'on_stock' ), 90, 1 );
		add_action( 'woocommerce_variation_set_stock', array( $this, 'on_stock' ), 90, 1 );
		add_action( 'woocommerce_trash_product', array( $this, 'on_deleted' ), 90, 1 );
		add_action( 'woocommerce_delete_product', array( $this, 'on_deleted' ), 90, 1 );
		add_action( 'woocommerce_trash_product_variation', array( $this, 'on_deleted' ), 90, 1 );
		add_action( 'woocommerce_delete_product_variation', array( $this, 'on_deleted' ), 90, 1 );
		// Trash and delete from the posts screens go through WordPress, not the data store.
		add_action( 'trashed_post', array( $this, 'on_post_removed' ), 90, 1 );
		add_action( 'before_delete_post', array( $this, 'on_post_removed' ), 90, 1 );
	}

	/** A new product's first stock figure is part of its creation, not a stock change. */
	public function on_product_created( $product_id, $product = null ) {
		$this->on_product_saved( $product_id, $product );
		if ( isset( $this->pending[ (int) $product_id ] ) ) {
			$this->pending[ (int) $product_id ]['created'] = true;
		}
	}

	/** @param int $product_id @param \WC_Product|null $product */
	public function on_product_saved( $product_id, $product = null ) {
		$product = $product ? $product : wc_get_product( $product_id );
		if ( ! $product || in_array( $product->get_status(), array( 'auto-draft', 'trash' ), true ) ) {
			return;
		}
		$this->collect( (int) $product->get_id(), self::CHANGED, (int) $product->get_parent_id() );
	}

	/** @param \WC_Product $product */
	public function on_stock( $product ) {
		if ( ! is_object( $product ) || ! method_exists( $product, 'get_id' ) ) {
			return;
		}
		$this->collect( (int) $product->get_id(), self::STOCK, (int) $product->get_parent_id() );
	}

	public function on_deleted( $product_id ) {
		$parent = (int) wp_get_post_parent_id( (int) $product_id );
		$this->collect( (int) $product_id, self::DELETED, $parent );
	}

	public function on_post_removed( $post_id ) {
		$type = get_post_type( (int) $post_id );
		if ( 'product' === $type || 'product_variation' === $type ) {
			$this->on_deleted( (int) $post_id );
		}
	}

	private function collect( $product_id, $topic, $parent_id ) {
		if ( $product_id <= 0 || EchoGuard::is_bridge_write() ) {
			return;
		}
		if ( ! isset( $this->pending[ $product_id ] ) ) {
			$this->pending[ $product_id ] = array(
				'topics'    => array(),
				'parent_id' => 0,
			);
		}
		$this->pending[ $product_id ]['topics'][ $topic ] = true;
		if ( $parent_id > 0 ) {
			$this->pending[ $product_id ]['parent_id'] = $parent_id;
		}
		if ( ! $this->flush_hooked ) {
			// Before the delivery push (priority 1000) so this request's rows go out with it.
			add_action( 'shutdown', array( $this, 'flush' ), 10 );
			$this->flush_hooked = true;
		}
	}

	/** One INSERT for everything this request collected. */
	public function flush() {
		$events = array();
		foreach ( $this->pending as $id => $item ) {
			// A deleted product needs no other notice; otherwise each topic once (a stock change
			// usually also saves the product, so both notices go).
			$topics = isset( $item['topics'][ self::DELETED ] ) ? array( self::DELETED ) : array_keys( $item['topics'] );
			if ( ! empty( $item['created'] ) ) {
				$topics = array_diff( $topics, array( self::STOCK ) );
			}
			foreach ( $topics as $topic ) {
				$events[] = array(
					'topic'       => $topic,
					'resource_id' => $id,
					'parent_id'   => $item['parent_id'] > 0 ? $item['parent_id'] : null,
					'dedupe_key'  => $topic . ':' . $id,
				);
			}
		}
		$this->pending = array();
		Outbox::record_many( $events );
	}
}
