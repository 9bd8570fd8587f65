<?php
/**
 * Plugin Name: Rackbeat Connector test helpers (tests only)
 * Description: Observes the site for the plugin's tests and drives WooCommerce flows through the double.
 *
 * - every outgoing HTTP request (pre_http_request) is appended to $WORK/log/http.jsonl with the id of
 *   the incoming request that made it (header X-Test-Request), so a test can prove a request made no
 *   network call;
 * - wp_mail() is captured to $WORK/log/mail.jsonl (the machine has no sendmail);
 * - the plugin's clock can be pinned with $WORK/clock.txt (to replay the protocol's signing vectors);
 * - the admin page's build can be pointed elsewhere with $WORK/admin-build (a directory with
 *   index.js + index.asset.php), so the enqueue is tested without the real admin-ui build;
 * - routes under rbc-test/v1 (manage_woocommerce: administrators and shop managers) place orders the way WooCommerce's classic
 *   checkout, block checkout (Store API), admin editor and REST API do, in WooCommerce's order of
 *   saves and hooks (see woocommerce-notes.md §1.1), and expose the outbox for assertions.
 */

defined( 'ABSPATH' ) || exit;

function rbc_test_log( $file, array $entry ) {
	if ( ! defined( 'RBC_TEST_WORK' ) ) {
		return;
	}
	$entry['request'] = isset( $_SERVER['HTTP_X_TEST_REQUEST'] ) ? (string) $_SERVER['HTTP_X_TEST_REQUEST'] : '';
	$entry['sapi']    = PHP_SAPI;
	$entry['pid']     = getmypid();
	$entry['at']      = microtime( true );
	file_put_contents( RBC_TEST_WORK . '/log/' . $file, wp_json_encode( $entry ) . "\n", FILE_APPEND | LOCK_EX );
}

add_filter(
	'pre_http_request',
	static function ( $preempt, $args, $url ) {
		rbc_test_log( 'http.jsonl', array( 'url' => $url, 'method' => isset( $args['method'] ) ? $args['method'] : 'GET' ) );
		return $preempt;
	},
	1,
	3
);

add_filter(
	'pre_wp_mail',
	static function ( $return, $atts ) {
		rbc_test_log( 'mail.jsonl', array( 'to' => $atts['to'], 'subject' => $atts['subject'], 'message' => $atts['message'] ) );
		return true;
	},
	10,
	2
);

add_filter(
	'rackbeat_connector_now',
	static function ( $now ) {
		if ( defined( 'RBC_TEST_WORK' ) && is_file( RBC_TEST_WORK . '/clock.txt' ) ) {
			return (int) trim( (string) file_get_contents( RBC_TEST_WORK . '/clock.txt' ) );
		}
		return $now;
	}
);

add_filter(
	'rackbeat_connector_admin_build',
	static function ( $build ) {
		if ( defined( 'RBC_TEST_WORK' ) && is_file( RBC_TEST_WORK . '/admin-build/index.asset.php' ) ) {
			return array( 'dir' => RBC_TEST_WORK . '/admin-build', 'url' => home_url( '/rbc-test-admin-build' ) );
		}
		return $build;
	}
);

add_action( 'rest_api_init', 'rbc_test_routes' );

function rbc_test_routes() {
	$admin = static function () {
		return current_user_can( 'manage_woocommerce' );
	};
	$route = static function ( $path, $methods, $callback ) use ( $admin ) {
		register_rest_route( 'rbc-test/v1', $path, array( 'methods' => $methods, 'callback' => $callback, 'permission_callback' => $admin ) );
	};

	$route( '/orders', 'POST', 'rbc_test_place_order' );
	$route( '/orders/(?P<id>\d+)/status', 'POST', static function ( WP_REST_Request $r ) {
		$order = wc_get_order( (int) $r['id'] );
		$order->update_status( (string) $r['status'], '', true );
		return array( 'order_id' => $order->get_id(), 'status' => $order->get_status() );
	} );
	$route( '/orders/(?P<id>\d+)/payment-complete', 'POST', static function ( WP_REST_Request $r ) {
		$order = wc_get_order( (int) $r['id'] );
		$order->payment_complete( 'txn-' . $order->get_id() );
		return array( 'order_id' => $order->get_id(), 'status' => $order->get_status() );
	} );
	// An admin edit of an existing order: the editor saves, then fires woocommerce_process_shop_order_meta.
	$route( '/orders/(?P<id>\d+)/admin-save', 'POST', static function ( WP_REST_Request $r ) {
		$order = wc_get_order( (int) $r['id'] );
		if ( $r['status'] ) {
			$order->set_status( (string) $r['status'], '', true );
		}
		$order->save();
		do_action( 'woocommerce_process_shop_order_meta', $order->get_id(), get_post( $order->get_id() ) );
		return array( 'order_id' => $order->get_id(), 'status' => $order->get_status() );
	} );
	$route( '/orders/(?P<id>\d+)/refund', 'POST', static function ( WP_REST_Request $r ) {
		$refund = wc_create_refund( array( 'order_id' => (int) $r['id'] ) );
		return array( 'order_id' => (int) $r['id'], 'refund_id' => $refund->get_id() );
	} );
	$route( '/orders/(?P<id>\d+)/delete', 'POST', static function ( WP_REST_Request $r ) {
		$order = wc_get_order( (int) $r['id'] );
		$order->delete( (bool) $r['force'] );
		return array( 'order_id' => (int) $r['id'] );
	} );
	// A write as the WooCommerce REST API would make it (used with the bridge user's credentials).
	$route( '/orders/(?P<id>\d+)/rest-update', 'POST', static function ( WP_REST_Request $r ) {
		$order = wc_get_order( (int) $r['id'] );
		if ( $r['status'] ) {
			$order->set_status( (string) $r['status'] );
		}
		if ( $r['meta'] ) {
			foreach ( (array) $r['meta'] as $key => $value ) {
				$order->update_meta_data( (string) $key, $value );
			}
		}
		$order->save();
		do_action( 'woocommerce_rest_insert_shop_order_object', $order, $r, false );
		return array( 'order_id' => $order->get_id(), 'status' => $order->get_status() );
	} );
	$route( '/products', 'POST', static function ( WP_REST_Request $r ) {
		$product = new WC_Product();
		$product->set_name( (string) ( $r['name'] ? $r['name'] : 'Test product' ) );
		$product->set_sku( (string) $r['sku'] );
		$product->set_stock_quantity( null === $r['stock'] ? null : (int) $r['stock'] );
		$product->save();
		$variation_ids = array();
		for ( $i = 0; $i < (int) $r['variations']; $i++ ) {
			$variation = new WC_Product_Variation();
			$variation->set_parent_id( $product->get_id() );
			$variation->set_sku( $product->get_sku() . '-' . $i );
			$variation->save();
			$variation_ids[] = $variation->get_id();
		}
		return array( 'product_id' => $product->get_id(), 'variation_ids' => $variation_ids );
	} );
	// An admin product save: the classic editor historically saves twice per click.
	$route( '/products/(?P<id>\d+)/save', 'POST', static function ( WP_REST_Request $r ) {
		for ( $i = 0; $i < max( 1, (int) $r['times'] ); $i++ ) {
			$product = wc_get_product( (int) $r['id'] );
			if ( null !== $r['stock'] ) {
				$product->set_stock_quantity( (int) $r['stock'] );
			}
			$product->save();
		}
		return array( 'product_id' => (int) $r['id'] );
	} );
	$route( '/products/(?P<id>\d+)/stock', 'POST', static function ( WP_REST_Request $r ) {
		return array( 'stock' => wc_update_product_stock( (int) $r['id'], (int) $r['stock'], 'set' ) );
	} );
	$route( '/products/(?P<id>\d+)/delete', 'POST', static function ( WP_REST_Request $r ) {
		wc_get_product( (int) $r['id'] )->delete( (bool) $r['force'] );
		return array( 'product_id' => (int) $r['id'] );
	} );
	// A nonce for an admin link, made inside a cookie-authenticated request so it fits that session.
	$route( '/nonce', 'GET', static function ( WP_REST_Request $r ) {
		return array( 'nonce' => wp_create_nonce( (string) $r['action'] ) );
	} );
	$route( '/outbox', 'GET', static function () {
		global $wpdb;
		$table = $wpdb->prefix . 'rackbeat_outbox';
		return array( 'rows' => $wpdb->get_results( "SELECT * FROM {$table} ORDER BY seq", ARRAY_A ) ); // phpcs:ignore
	} );
}

/**
 * Place an order the way one of WooCommerce's flows does.
 * flow: classic | block | admin | rest; payment: card (payment_complete) | cod (update_status) | bacs (on-hold) | none.
 */
function rbc_test_place_order( WP_REST_Request $r ) {
	$flow    = (string) ( $r['flow'] ? $r['flow'] : 'classic' );
	$payment = (string) ( $r['payment'] ? $r['payment'] : 'card' );
	switch ( $flow ) {
		case 'block':
			// The checkout page load creates/refreshes a checkout-draft (several times), then place order.
			$order = new WC_Order();
			$order->set_created_via( 'store-api' );
			$order->set_status( 'checkout-draft' );
			$order->save();
			$order->save();
			$order = wc_get_order( $order->get_id() );
			$order->set_status( 'pending' );
			$order->save();
			do_action( 'woocommerce_store_api_checkout_order_processed', $order );
			break;
		case 'admin':
			// The editor starts from an auto-draft; the first save with a real status is the new order.
			$order = new WC_Order();
			$order->set_status( 'auto-draft' );
			$order->save();
			$order = wc_get_order( $order->get_id() );
			$order->set_created_via( 'admin' );
			$order->set_status( (string) ( $r['status'] ? $r['status'] : 'processing' ), '', true );
			$order->save();
			do_action( 'woocommerce_process_shop_order_meta', $order->get_id(), get_post( $order->get_id() ) );
			$payment = 'none';
			break;
		case 'rest':
			$order = new WC_Order();
			$order->set_created_via( 'rest-api' );
			$order->save();
			$order = wc_get_order( $order->get_id() );
			if ( $r['status'] ) {
				$order->set_status( (string) $r['status'] );
				$order->save();
			}
			do_action( 'woocommerce_rest_insert_shop_order_object', $order, $r, true );
			$payment = $r['set_paid'] ? 'card' : 'none';
			break;
		default:
			$order = new WC_Order();
			$order->set_created_via( 'checkout' );
			$order->save();
			$order = wc_get_order( $order->get_id() ); // WC_Checkout::process_checkout() reads it back
			do_action( 'woocommerce_checkout_order_processed', $order->get_id(), array(), $order );
	}
	if ( 'card' === $payment ) {
		$order->payment_complete( 'txn-' . $order->get_id() );
	} elseif ( 'cod' === $payment ) {
		$order->update_status( 'processing' );
	} elseif ( 'bacs' === $payment ) {
		$order->update_status( 'on-hold' );
	}
	return array( 'order_id' => $order->get_id(), 'status' => $order->get_status() );
}
