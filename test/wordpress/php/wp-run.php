<?php
/**
 * Test harness (tests only): load WordPress from the CLI and run the PHP code given on stdin inside
 * it; whatever the code returns is printed as JSON on the last line. Usage:
 *   WP_DOCROOT=… php wp-run.php < snippet.php     (snippet without the opening tag)
 * Optional env WP_RUN_USER: log in as this user id first.
 */
$docroot = getenv( 'WP_DOCROOT' );
if ( ! $docroot || ! is_file( $docroot . '/wp-load.php' ) ) {
	fwrite( STDERR, "WP_DOCROOT must point at the WordPress docroot\n" );
	exit( 2 );
}
$code = stream_get_contents( STDIN );
$_SERVER['HTTP_HOST']   = parse_url( (string) getenv( 'WP_URL' ), PHP_URL_HOST ) . ':' . parse_url( (string) getenv( 'WP_URL' ), PHP_URL_PORT );
$_SERVER['REQUEST_URI'] = '/';
require $docroot . '/wp-load.php';
if ( getenv( 'WP_RUN_USER' ) ) {
	wp_set_current_user( (int) getenv( 'WP_RUN_USER' ) );
}
$result = ( static function () use ( $code ) {
	return eval( $code ); // phpcs:ignore Squiz.PHP.Eval -- test harness
} )();
echo "\n" . json_encode( $result, JSON_UNESCAPED_SLASHES | JSON_PARTIAL_OUTPUT_ON_ERROR ) . "\n";
