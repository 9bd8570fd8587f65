<?php
/**
 * PSR-4 style autoloader: RackbeatConnector\Foo\Bar → src/Foo/Bar.php.
 *
 * @package RackbeatConnector
 */

defined( 'ABSPATH' ) || exit;

spl_autoload_register(
	static function ( $class ) {
		$prefix = 'RackbeatConnector\\';
		if ( 0 !== strpos( $class, $prefix ) ) {
			return;
		}
		$file = __DIR__ . '/' . str_replace( '\\', '/', substr( $class, strlen( $prefix ) ) ) . '.php';
		if ( is_file( $file ) ) {
			require $file;
		}
	}
);
