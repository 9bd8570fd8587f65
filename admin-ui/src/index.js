/**
 * Entry point: mounts the page into <div id="rackbeat-connector-root"> (plugin/src/Admin/AdminPage.php).
 * WordPress 6.1 ships React 17, so this uses render(), not createRoot().
 */
import { render } from '@wordpress/element';
import { App } from './app';
import './admin.scss';

function mount() {
	const root = document.getElementById( 'rackbeat-connector-root' );
	if ( root ) {
		render( <App />, root );
	}
}

if ( document.readyState === 'loading' ) {
	document.addEventListener( 'DOMContentLoaded', mount );
} else {
	mount();
}
