<?php
/**
 * WooCommerce DOUBLE (tests only): Automattic\WooCommerce\Utilities\FeaturesUtil and OrderUtil,
 * only the methods the Rackbeat Connector plugin calls. See ../woocommerce-double.php.
 */

namespace Automattic\WooCommerce\Utilities;

defined( 'ABSPATH' ) || exit;

final class FeaturesUtil {
	/** @var array<string, array<string, bool>> feature => plugin file => compatible */
	public static $declared = array();

	public static function declare_compatibility( $feature_id, $plugin_file, $positive_compatibility = true ) {
		if ( ! doing_action( 'before_woocommerce_init' ) ) {
			// WooCommerce logs _doing_it_wrong and ignores declarations made outside this hook.
			_doing_it_wrong( __METHOD__, 'Declare compatibility inside before_woocommerce_init.', '7.0' );
			return false;
		}
		self::$declared[ $feature_id ][ plugin_basename( $plugin_file ) ] = (bool) $positive_compatibility;
		return true;
	}
}

final class OrderUtil {
	public static function custom_orders_table_usage_is_enabled() {
		return 'yes' === get_option( 'woocommerce_custom_orders_table_enabled' );
	}

	public static function get_order_type( $order_id ) {
		$type = get_post_type( $order_id );
		return in_array( $type, array( 'shop_order', 'shop_order_refund' ), true ) ? $type : null;
	}

	public static function is_order( $order_id, $types = array( 'shop_order' ) ) {
		return in_array( self::get_order_type( $order_id ), (array) $types, true );
	}
}
