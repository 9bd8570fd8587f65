/**
 * The one HTTP wrapper of the admin page. It talks only to the plugin's REST routes under
 * rackbeat-connector/v1; the plugin signs and forwards /bridge/shop/* and /bridge/account/* to the
 * bridge (protocol.md §5). Every failure becomes an ApiError with the words the server gave.
 */
import apiFetch from '@wordpress/api-fetch';
import { __, sprintf } from '@wordpress/i18n';

export const NAMESPACE = '/rackbeat-connector/v1';

export class ApiError extends Error {
	/**
	 * @param {number}  status  HTTP status (0 when the request never got an answer).
	 * @param {string}  code    `error` of the bridge or `code` of a WordPress error.
	 * @param {string}  message Words for a person.
	 * @param {Array}   details Field problems `[{path, message}]` when the server listed them.
	 */
	constructor( status, code, message, details = [] ) {
		super( message );
		this.name = 'ApiError';
		this.status = status;
		this.code = code;
		this.details = Array.isArray( details ) ? details : [];
	}
}

/**
 * A bridge route that this bridge does not have yet (its feature is not installed or is older), or
 * a route the plugin does not forward. The screens show a notice instead of failing.
 *
 * @param {unknown} error
 */
export function isRouteMissing( error ) {
	if ( ! ( error instanceof ApiError ) || error.status !== 404 ) {
		return false;
	}
	return (
		error.code === 'rest_no_route' ||
		error.code === 'rackbeat_connector_not_proxied' ||
		( error.code === 'not_found' && /^No route /.test( error.message ) )
	);
}

/** Not paired yet: the plugin refuses to forward. */
export function isNotPaired( error ) {
	return error instanceof ApiError && error.code === 'rackbeat_connector_not_paired';
}

async function toApiError( response ) {
	if ( ! response || typeof response.status !== 'number' ) {
		const message = response && response.message ? response.message : String( response );
		return new ApiError(
			0,
			'network',
			sprintf(
				/* translators: %s: the browser's error message */
				__( 'The request did not reach WordPress: %s', 'rackbeat-connector' ),
				message
			)
		);
	}
	let body = null;
	try {
		body = await response.json();
	} catch ( e ) {
		body = null;
	}
	const code = ( body && ( body.error || body.code ) ) || `http_${ response.status }`;
	const message =
		body && typeof body.message === 'string' && body.message !== ''
			? body.message
			: sprintf(
					/* translators: %d: HTTP status code */
					__( 'The server answered with HTTP status %d.', 'rackbeat-connector' ),
					response.status
			  );
	return new ApiError( response.status, String( code ), message, body && body.details );
}

/**
 * @param {string} path   Path below rackbeat-connector/v1, e.g. "/connection" or "/bridge/shop/status".
 * @param {Object} [options]
 * @param {string} [options.method]
 * @param {Object} [options.data]  JSON body.
 * @param {Object} [options.query] Query parameters (arrays become comma lists).
 * @param {boolean} [options.text] Return the body as text (CSV downloads).
 */
export async function request( path, { method = 'GET', data, query, text = false } = {} ) {
	let url = NAMESPACE + path;
	if ( query ) {
		const params = new URLSearchParams();
		Object.entries( query ).forEach( ( [ key, value ] ) => {
			if ( value === undefined || value === null || value === '' ) {
				return;
			}
			params.set( key, Array.isArray( value ) ? value.join( ',' ) : String( value ) );
		} );
		const qs = params.toString();
		if ( qs ) {
			url += '?' + qs;
		}
	}
	let response;
	try {
		response = await apiFetch( { path: url, method, data, parse: false } );
	} catch ( failed ) {
		throw await toApiError( failed );
	}
	if ( text ) {
		return response.text();
	}
	if ( response.status === 204 ) {
		return null;
	}
	try {
		return await response.json();
	} catch ( e ) {
		throw new ApiError( response.status, 'bad_json', __( 'The answer was not valid JSON.', 'rackbeat-connector' ) );
	}
}

/** Shortcuts for the proxied bridge routes. */
export const shopPath = ( rest ) => `/bridge/shop/${ rest }`;
export const accountPath = ( rest ) => `/bridge/account/${ rest }`;
