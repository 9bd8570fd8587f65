<?php
/**
 * WooCommerce DOUBLE (tests only): the classes and functions. See ../woocommerce-double.php.
 */

defined( 'ABSPATH' ) || exit;


define( 'WC_VERSION', (string) get_option( 'rbc_double_wc_version', '9.9.0' ) );

require_once __DIR__ . '/Utilities.php';

final class WooCommerce {
	/** @var string */
	public $version = WC_VERSION;
	/** @var WooCommerce|null */
	private static $instance = null;

	public static function instance() {
		if ( null === self::$instance ) {
			self::$instance = new self();
		}
		return self::$instance;
	}

	public function is_rest_api_request() {
		return defined( 'REST_REQUEST' ) && REST_REQUEST;
	}
}

function WC() { // phpcs:ignore WordPress.NamingConventions.ValidFunctionName
	return WooCommerce::instance();
}

add_action(
	'plugins_loaded',
	static function () {
		do_action( 'woocommerce_loaded' );
	},
	-1
);

add_action(
	'init',
	static function () {
		do_action( 'before_woocommerce_init' );
		rbc_double_register_types();
		rbc_double_install();
		do_action( 'woocommerce_init' );
	},
	0
);

add_action(
	'admin_menu',
	static function () {
		add_menu_page( 'WooCommerce', 'WooCommerce', 'manage_woocommerce', 'woocommerce', '__return_null', 'dashicons-cart', 55 );
	},
	9
);

function rbc_double_register_types() {
	register_post_type( 'shop_order', array( 'public' => false, 'label' => 'Orders', 'show_ui' => false ) );
	register_post_type( 'shop_order_refund', array( 'public' => false, 'label' => 'Refunds' ) );
	register_post_type( 'product', array( 'public' => true, 'label' => 'Products' ) );
	register_post_type( 'product_variation', array( 'public' => false, 'label' => 'Variations' ) );
	foreach ( array_keys( wc_get_order_statuses() ) as $status ) {
		register_post_status( $status, array( 'public' => false, 'internal' => false, 'protected' => true ) );
	}
}

/** What WooCommerce's installer would have created: roles, capabilities, the REST key table. */
function rbc_double_install() {
	global $wpdb;
	if ( get_option( 'rbc_double_installed' ) ) {
		return;
	}
	add_role( 'shop_manager', 'Shop manager', array( 'read' => true, 'manage_woocommerce' => true, 'edit_products' => true, 'edit_shop_orders' => true, 'view_admin_dashboard' => true ) );
	$admin = get_role( 'administrator' );
	if ( $admin ) {
		$admin->add_cap( 'manage_woocommerce' );
	}
	$wpdb->query(
		"CREATE TABLE IF NOT EXISTS {$wpdb->prefix}woocommerce_api_keys (
		key_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
		user_id BIGINT UNSIGNED NOT NULL,
		description varchar(200) NULL,
		permissions varchar(10) NOT NULL,
		consumer_key char(64) NOT NULL,
		consumer_secret char(43) NOT NULL,
		nonces longtext NULL,
		truncated_key char(7) NOT NULL,
		last_access datetime NULL default null,
		PRIMARY KEY  (key_id),
		KEY consumer_key (consumer_key),
		KEY consumer_secret (consumer_secret)
		) {$wpdb->get_charset_collate()}"
	);
	update_option( 'rbc_double_installed', 1, true );
}

function wc_get_order_statuses() {
	return array(
		'wc-pending'        => 'Pending payment',
		'wc-processing'     => 'Processing',
		'wc-on-hold'        => 'On hold',
		'wc-completed'      => 'Completed',
		'wc-cancelled'      => 'Cancelled',
		'wc-refunded'       => 'Refunded',
		'wc-failed'         => 'Failed',
		'wc-checkout-draft' => 'Draft',
	);
}

function wc_api_hash( $data ) {
	return hash_hmac( 'sha256', $data, 'wc-api' );
}

function wc_rand_hash() {
	return sha1( wp_rand() );
}

function wc_get_page_screen_id( $for ) {
	$for = str_replace( '-', '_', $for );
	if ( 'shop_order' === $for && \Automattic\WooCommerce\Utilities\OrderUtil::custom_orders_table_usage_is_enabled() ) {
		return 'woocommerce_page_wc-orders';
	}
	return $for;
}

/**
 * @param mixed $the_order
 * @return WC_Order|WC_Order_Refund|false
 */
function wc_get_order( $the_order = false ) {
	if ( $the_order instanceof WC_Abstract_Order ) {
		return $the_order;
	}
	$id   = is_object( $the_order ) && isset( $the_order->ID ) ? (int) $the_order->ID : absint( $the_order );
	$post = $id ? get_post( $id ) : null;
	if ( ! $post ) {
		return false;
	}
	if ( 'shop_order' === $post->post_type ) {
		return new WC_Order( $id );
	}
	if ( 'shop_order_refund' === $post->post_type ) {
		return new WC_Order_Refund( $id );
	}
	return false;
}

function wc_create_order( $args = array() ) {
	$order = new WC_Order();
	if ( ! empty( $args['status'] ) ) {
		$order->set_status( $args['status'] );
	}
	if ( ! empty( $args['created_via'] ) ) {
		$order->set_created_via( $args['created_via'] );
	}
	$order->save();
	return $order;
}

function wc_create_refund( $args ) {
	$order  = wc_get_order( $args['order_id'] );
	$refund = new WC_Order_Refund();
	$refund->set_parent_id( $order->get_id() );
	$refund->save();
	do_action( 'woocommerce_order_refunded', $order->get_id(), $refund->get_id() );
	return $refund;
}

/** The data-object core the order and product doubles share: props, meta, read-from-post. */
abstract class WC_Double_Data {
	/** @var int */
	protected $id = 0;
	/** @var array<string, mixed> */
	protected $data = array();
	/** @var array<string, mixed> */
	protected $meta = array();
	/** @var string[] */
	protected $meta_deleted = array();
	/** @var bool */
	protected $object_read = false;

	abstract protected function post_type();

	public function get_id() {
		return $this->id;
	}

	public function set_id( $id ) {
		$this->id = (int) $id;
	}

	public function get_meta( $key, $single = true ) {
		if ( array_key_exists( $key, $this->meta ) ) {
			return $this->meta[ $key ];
		}
		return $this->id ? get_post_meta( $this->id, $key, $single ) : ( $single ? '' : array() );
	}

	public function update_meta_data( $key, $value ) {
		$this->meta[ $key ] = $value;
		$this->meta_deleted = array_diff( $this->meta_deleted, array( $key ) );
	}

	public function add_meta_data( $key, $value ) {
		$this->update_meta_data( $key, $value );
	}

	public function delete_meta_data( $key ) {
		unset( $this->meta[ $key ] );
		$this->meta_deleted[] = $key;
	}

	public function save_meta_data() {
		foreach ( $this->meta as $key => $value ) {
			update_post_meta( $this->id, $key, $value );
		}
		foreach ( $this->meta_deleted as $key ) {
			delete_post_meta( $this->id, $key );
		}
		$this->meta         = array();
		$this->meta_deleted = array();
	}

	public function get_parent_id() {
		return isset( $this->data['parent_id'] ) ? (int) $this->data['parent_id'] : 0;
	}

	public function set_parent_id( $id ) {
		$this->data['parent_id'] = (int) $id;
	}
}

abstract class WC_Abstract_Order extends WC_Double_Data {

	const DRAFT_STATUSES = array( 'draft', 'auto-draft', 'checkout-draft' );

	/** @var array<string, mixed> */
	protected $data = array(
		'parent_id'   => 0,
		'status'      => '',
		'created_via' => '',
		'currency'    => 'DKK',
		'total'       => '0',
		'date_paid'   => null,
	);

	public function __construct( $id = 0 ) {
		if ( $id ) {
			$post = get_post( $id );
			if ( $post && $post->post_type === $this->post_type() ) {
				$this->id                  = (int) $post->ID;
				$this->data['parent_id']   = (int) $post->post_parent;
				$this->data['status']      = 0 === strpos( $post->post_status, 'wc-' ) ? substr( $post->post_status, 3 ) : $post->post_status;
				$this->data['created_via'] = (string) get_post_meta( $this->id, '_created_via', true );
			}
		}
		$this->object_read = true;
	}

	abstract public function get_type();

	public function get_status( $context = 'view' ) {
		$status = (string) $this->data['status'];
		return ( '' === $status && 'view' === $context ) ? 'pending' : $status;
	}

	public function has_status( $status ) {
		return in_array( $this->get_status(), (array) $status, true );
	}

	public function get_created_via() {
		return (string) $this->data['created_via'];
	}

	public function set_created_via( $via ) {
		$this->data['created_via'] = (string) $via;
	}

	public function get_order_number() {
		return (string) $this->id;
	}

	/** WooCommerce's abstract set_status(): unknown or auto-draft "from" is read as pending. */
	public function set_status( $new_status ) {
		$old_status = $this->data['status'];
		$new_status = 0 === strpos( $new_status, 'wc-' ) ? substr( $new_status, 3 ) : $new_status;
		if ( true === $this->object_read ) {
			if ( ! in_array( 'wc-' . $new_status, array_keys( wc_get_order_statuses() ), true ) && ! in_array( $new_status, array( 'trash', 'auto-draft', 'draft' ), true ) ) {
				$new_status = 'pending';
			}
			if ( $old_status && ( 'auto-draft' === $old_status || ! in_array( 'wc-' . $old_status, array_keys( wc_get_order_statuses() ), true ) ) ) {
				$old_status = 'pending';
			}
		}
		$this->data['status'] = $new_status;
		return array( 'from' => $old_status, 'to' => $new_status );
	}

	protected function post_status() {
		$status = $this->get_status( 'view' );
		return in_array( $status, array( 'auto-draft', 'draft', 'trash' ), true ) ? $status : 'wc-' . $status;
	}

	public function save() {
		if ( ! $this->id ) {
			$id = wp_insert_post(
				array(
					'post_type'   => $this->post_type(),
					'post_status' => $this->post_status(),
					'post_title'  => 'Order',
					'post_parent' => $this->get_parent_id(),
				),
				true
			);
			if ( is_wp_error( $id ) ) {
				throw new Exception( $id->get_error_message() );
			}
			$this->id = (int) $id;
			update_post_meta( $this->id, '_created_via', $this->get_created_via() );
			$this->save_meta_data();
			if ( 'shop_order' === $this->get_type() && ! in_array( $this->get_status(), self::DRAFT_STATUSES, true ) ) {
				do_action( 'woocommerce_new_order', $this->id, $this );
			}
		} else {
			$stored = get_post_status( $this->id );
			$stored = 0 === strpos( (string) $stored, 'wc-' ) ? substr( $stored, 3 ) : (string) $stored;
			wp_update_post( array( 'ID' => $this->id, 'post_status' => $this->post_status() ) );
			update_post_meta( $this->id, '_created_via', $this->get_created_via() );
			$this->save_meta_data();
			if ( 'shop_order' === $this->get_type() ) {
				do_action( 'woocommerce_update_order', $this->id, $this );
				if ( in_array( $stored, self::DRAFT_STATUSES, true ) && ! in_array( $this->get_status(), self::DRAFT_STATUSES, true ) ) {
					do_action( 'woocommerce_new_order', $this->id, $this );
				}
			}
		}
		return $this->id;
	}

	public function delete( $force_delete = false ) {
		$id = $this->id;
		if ( ! $id ) {
			return false;
		}
		if ( $force_delete ) {
			do_action( 'woocommerce_before_delete_order', $id, $this );
			wp_delete_post( $id, true );
			$this->id = 0;
			do_action( 'woocommerce_delete_order', $id );
		} else {
			do_action( 'woocommerce_before_trash_order', $id, $this );
			update_post_meta( $id, '_wp_trash_meta_status', $this->post_status() );
			wp_update_post( array( 'ID' => $id, 'post_status' => 'trash' ) );
			$this->data['status'] = 'trash';
			do_action( 'woocommerce_trash_order', $id );
		}
		return true;
	}

	public function add_order_note( $note ) {
		add_post_meta( $this->id, '_rbc_double_note', (string) $note );
		return 1;
	}
}

class WC_Order extends WC_Abstract_Order {

	/** @var array{from: string, to: string, manual: bool}|false */
	protected $status_transition = false;

	protected function post_type() {
		return 'shop_order';
	}

	public function get_type() {
		return 'shop_order';
	}

	public function set_status( $new_status, $note = '', $manual_update = false ) {
		$result = parent::set_status( $new_status );
		if ( true === $this->object_read && ! empty( $result['from'] ) && $result['from'] !== $result['to'] ) {
			$this->status_transition = array(
				'from'   => ! empty( $this->status_transition['from'] ) ? $this->status_transition['from'] : $result['from'],
				'to'     => $result['to'],
				'manual' => (bool) $manual_update,
			);
		}
		return $result;
	}

	public function save() {
		parent::save();
		$transition              = $this->status_transition;
		$this->status_transition = false;
		if ( $transition ) {
			do_action( 'woocommerce_order_status_' . $transition['to'], $this->id, $this, $transition );
			do_action( 'woocommerce_order_status_' . $transition['from'] . '_to_' . $transition['to'], $this->id, $this );
			do_action( 'woocommerce_order_status_changed', $this->id, $transition['from'], $transition['to'], $this );
		}
		return $this->id;
	}

	public function update_status( $new_status, $note = '', $manual = false ) {
		if ( ! $this->id ) {
			return false;
		}
		$this->set_status( $new_status, $note, $manual );
		$this->save();
		return true;
	}

	public function payment_complete( $transaction_id = '' ) {
		if ( ! $this->id ) {
			return false;
		}
		do_action( 'woocommerce_pre_payment_complete', $this->id, $transaction_id );
		if ( $this->has_status( array( 'on-hold', 'pending', 'failed', 'cancelled' ) ) ) {
			if ( $transaction_id ) {
				$this->update_meta_data( '_transaction_id', $transaction_id );
			}
			$this->set_status( 'processing' );
			$this->save();
			do_action( 'woocommerce_payment_complete', $this->id, $transaction_id );
		} else {
			do_action( 'woocommerce_payment_complete_order_status_' . $this->get_status(), $this->id, $transaction_id );
		}
		return true;
	}
}

class WC_Order_Refund extends WC_Abstract_Order {
	protected function post_type() {
		return 'shop_order_refund';
	}

	public function get_type() {
		return 'shop_order_refund';
	}
}

class WC_Product extends WC_Double_Data {

	/** @var array<string, mixed> */
	protected $data = array(
		'parent_id'      => 0,
		'status'         => 'publish',
		'name'           => 'Product',
		'sku'            => '',
		'stock_quantity' => null,
	);

	/** @var array<string, bool> props changed since read */
	protected $changed = array();

	public function __construct( $id = 0 ) {
		if ( $id ) {
			$post = get_post( $id );
			if ( $post ) {
				$this->id                     = (int) $post->ID;
				$this->data['parent_id']      = (int) $post->post_parent;
				$this->data['status']         = $post->post_status;
				$this->data['name']           = $post->post_title;
				$this->data['sku']            = (string) get_post_meta( $this->id, '_sku', true );
				$stock                        = get_post_meta( $this->id, '_stock', true );
				$this->data['stock_quantity'] = '' === $stock ? null : (int) $stock;
			}
		}
		$this->object_read = true;
	}

	protected function post_type() {
		return 'product';
	}

	public function get_type() {
		return 'simple';
	}

	public function is_type( $type ) {
		return in_array( $this->get_type(), (array) $type, true );
	}

	public function get_status() {
		return (string) $this->data['status'];
	}

	public function set_status( $status ) {
		$this->data['status'] = (string) $status;
	}

	public function get_sku() {
		return (string) $this->data['sku'];
	}

	public function set_sku( $sku ) {
		$this->data['sku'] = (string) $sku;
	}

	public function set_name( $name ) {
		$this->data['name'] = (string) $name;
	}

	public function get_stock_quantity() {
		return $this->data['stock_quantity'];
	}

	public function set_stock_quantity( $qty ) {
		if ( $this->data['stock_quantity'] !== ( null === $qty ? null : (int) $qty ) ) {
			$this->changed['stock_quantity'] = true;
		}
		$this->data['stock_quantity'] = null === $qty ? null : (int) $qty;
	}

	public function save() {
		$is_variation = 'variation' === $this->get_type();
		$postarr      = array(
			'post_type'   => $this->post_type(),
			'post_status' => $this->get_status(),
			'post_title'  => (string) $this->data['name'],
			'post_parent' => $this->get_parent_id(),
		);
		$creating     = ! $this->id;
		if ( $creating ) {
			$this->id = (int) wp_insert_post( $postarr );
		} else {
			wp_update_post( array( 'ID' => $this->id ) + $postarr );
		}
		update_post_meta( $this->id, '_sku', $this->get_sku() );
		if ( null !== $this->data['stock_quantity'] ) {
			update_post_meta( $this->id, '_stock', (int) $this->data['stock_quantity'] );
		}
		$this->save_meta_data();
		if ( $creating ) {
			do_action( $is_variation ? 'woocommerce_new_product_variation' : 'woocommerce_new_product', $this->id, $this );
		} else {
			do_action( $is_variation ? 'woocommerce_update_product_variation' : 'woocommerce_update_product', $this->id, $this );
		}
		if ( ! empty( $this->changed['stock_quantity'] ) ) {
			do_action( $is_variation ? 'woocommerce_variation_set_stock' : 'woocommerce_product_set_stock', $this );
		}
		$this->changed = array();
		return $this->id;
	}

	public function delete( $force_delete = false ) {
		$id        = $this->id;
		$post_type = $this->post_type();
		if ( $force_delete ) {
			do_action( 'woocommerce_before_delete_' . $post_type, $id );
			wp_delete_post( $id, true );
			$this->id = 0;
			do_action( 'woocommerce_delete_' . $post_type, $id );
		} else {
			wp_trash_post( $id );
			$this->data['status'] = 'trash';
			do_action( 'woocommerce_trash_' . $post_type, $id );
		}
		return true;
	}
}

class WC_Product_Variation extends WC_Product {
	protected function post_type() {
		return 'product_variation';
	}

	public function get_type() {
		return 'variation';
	}
}

/** @return WC_Product|false */
function wc_get_product( $the_product = false ) {
	if ( $the_product instanceof WC_Product ) {
		return $the_product;
	}
	$post = get_post( absint( $the_product ) );
	if ( ! $post ) {
		return false;
	}
	if ( 'product' === $post->post_type ) {
		return new WC_Product( $post->ID );
	}
	if ( 'product_variation' === $post->post_type ) {
		return new WC_Product_Variation( $post->ID );
	}
	return false;
}

/** wc-stock-functions.php: set/increase/decrease, save, then the set_stock hook. */
function wc_update_product_stock( $product, $stock_quantity = null, $operation = 'set' ) {
	$product = wc_get_product( $product );
	if ( ! $product ) {
		return false;
	}
	$current = (int) $product->get_stock_quantity();
	$new     = 'increase' === $operation ? $current + (int) $stock_quantity : ( 'decrease' === $operation ? $current - (int) $stock_quantity : (int) $stock_quantity );
	$product->set_stock_quantity( $new );
	$product->save();
	return $new;
}

if ( 'yes' === get_option( 'rbc_double_action_scheduler' ) ) {
	require __DIR__ . '/action-scheduler.php';
}
