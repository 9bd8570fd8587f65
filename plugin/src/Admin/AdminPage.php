<?php
/**
 * WooCommerce → Rackbeat: registers the page and enqueues the built admin-ui bundle
 * (plugin/build/index.js with its index.asset.php) into <div id="rackbeat-connector-root">.
 *
 * @package RackbeatConnector
 */

namespace RackbeatConnector\Admin;

use RackbeatConnector\Rest\RestController;
use RackbeatConnector\Settings;

defined( 'ABSPATH' ) || exit;

final class AdminPage {

	const SLUG   = 'rackbeat-connector';
	const HANDLE = 'rackbeat-connector-admin';

	/** @var string */
	private static $hook_suffix = '';

	public static function register() {
		add_action( 'admin_menu', array( __CLASS__, 'add_menu' ), 60 );
		add_action( 'admin_enqueue_scripts', array( __CLASS__, 'enqueue' ) );
		add_filter( 'plugin_action_links_' . plugin_basename( RACKBEAT_CONNECTOR_FILE ), array( __CLASS__, 'settings_link' ), 5 );
	}

	public static function add_menu() {
		$suffix = add_submenu_page(
			'woocommerce',
			__( 'Rackbeat', 'rackbeat-connector' ),
			__( 'Rackbeat', 'rackbeat-connector' ),
			'manage_woocommerce',
			self::SLUG,
			array( __CLASS__, 'render' )
		);
		self::$hook_suffix = is_string( $suffix ) ? $suffix : '';
		if ( function_exists( 'wc_admin_connect_page' ) ) {
			wc_admin_connect_page(
				array(
					'id'        => 'rackbeat-connector',
					'screen_id' => self::$hook_suffix,
					'title'     => __( 'Rackbeat', 'rackbeat-connector' ),
				)
			);
		}
	}

	public static function render() {
		if ( ! current_user_can( 'manage_woocommerce' ) ) {
			wp_die( esc_html__( 'You are not allowed to manage this shop.', 'rackbeat-connector' ), 403 );
		}
		echo '<div class="wrap"><h1 class="screen-reader-text">' . esc_html__( 'Rackbeat', 'rackbeat-connector' ) . '</h1>';
		if ( ! is_file( self::asset_file() ) ) {
			echo '<div class="notice notice-error"><p>' . esc_html__( 'The Rackbeat admin page has not been built. Install the plugin from its release zip, or run `npm run package`.', 'rackbeat-connector' ) . '</p></div>';
		}
		echo '<div id="rackbeat-connector-root"></div></div>';
	}

	/** @param string $hook_suffix */
	public static function enqueue( $hook_suffix ) {
		if ( '' === self::$hook_suffix || $hook_suffix !== self::$hook_suffix || ! is_file( self::asset_file() ) ) {
			return;
		}
		$asset = require self::asset_file();
		$deps  = isset( $asset['dependencies'] ) && is_array( $asset['dependencies'] ) ? $asset['dependencies'] : array();
		$ver   = isset( $asset['version'] ) ? (string) $asset['version'] : (string) filemtime( self::build_dir() . '/index.js' );
		wp_register_script( self::HANDLE, self::build()['url'] . '/index.js', $deps, $ver, true );
		wp_add_inline_script(
			self::HANDLE,
			'window.rackbeatConnector = ' . wp_json_encode(
				array(
					'restNamespace'   => RestController::NAMESPACE_V1,
					'pluginVersion'   => RACKBEAT_CONNECTOR_VERSION,
					'protocolVersion' => RACKBEAT_CONNECTOR_PROTOCOL_VERSION,
					'connected'       => Settings::is_connected(),
					'adminEmail'      => (string) get_option( 'admin_email' ),
				)
			) . ';',
			'before'
		);
		wp_set_script_translations( self::HANDLE, 'rackbeat-connector', plugin_dir_path( RACKBEAT_CONNECTOR_FILE ) . 'languages' );
		wp_enqueue_script( self::HANDLE );
		wp_enqueue_style( 'wp-components' );
		if ( is_file( self::build_dir() . '/index.css' ) ) {
			wp_enqueue_style( self::HANDLE, self::build()['url'] . '/index.css', array( 'wp-components' ), $ver );
		}
	}

	/**
	 * @param array<string, string> $links
	 * @return array<string, string>
	 */
	public static function settings_link( $links ) {
		$link = '<a href="' . esc_url( admin_url( 'admin.php?page=' . self::SLUG ) ) . '">' . esc_html__( 'Settings', 'rackbeat-connector' ) . '</a>';
		return array( 'settings' => $link ) + $links;
	}

	/** Where the built page lives: {dir, url}. Filterable so a site (or a test) can serve another build. */
	private static function build() {
		$build = apply_filters(
			'rackbeat_connector_admin_build',
			array(
				'dir' => dirname( RACKBEAT_CONNECTOR_FILE ) . '/build',
				'url' => plugins_url( 'build', RACKBEAT_CONNECTOR_FILE ),
			)
		);
		return array(
			'dir' => untrailingslashit( (string) $build['dir'] ),
			'url' => untrailingslashit( (string) $build['url'] ),
		);
	}

	private static function build_dir() {
		return self::build()['dir'];
	}

	private static function asset_file() {
		return self::build_dir() . '/index.asset.php';
	}
}
