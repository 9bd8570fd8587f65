<?php
/**
 * Uninstall: remove everything the plugin created (see Installer::uninstall).
 *
 * @package RackbeatConnector
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

if ( ! defined( 'RACKBEAT_CONNECTOR_VERSION' ) ) {
	define( 'RACKBEAT_CONNECTOR_VERSION', '0.1.0' );
	define( 'RACKBEAT_CONNECTOR_PROTOCOL_VERSION', 1 );
	define( 'RACKBEAT_CONNECTOR_FILE', __DIR__ . '/rackbeat-connector.php' );
}
require_once __DIR__ . '/src/autoload.php';

RackbeatConnector\Installer::uninstall();
