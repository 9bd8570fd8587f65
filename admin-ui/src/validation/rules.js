/**
 * Client-side checks run before anything is saved. They mirror the bridge's zod schemas
 * (bridge/src/settings/*.ts) so a mistake is shown next to its field at once; the bridge stays the
 * authority and its own answer is shown too.
 *
 * Every validator returns an object of field path → message; empty means valid.
 */
import { __, sprintf } from '@wordpress/i18n';

export const NEVER_TRANSFERRED_STATUSES = [ 'checkout-draft', 'draft', 'auto-draft', 'trash' ];

export function articleNumberProblem( value ) {
	const text = typeof value === 'string' ? value : '';
	if ( text === '' ) {
		return __( 'Enter an article number.', 'rackbeat-connector' );
	}
	if ( text.length > 25 ) {
		return __( 'An article number has at most 25 characters.', 'rackbeat-connector' );
	}
	if ( /\s/.test( text ) ) {
		return __( 'An article number cannot contain spaces.', 'rackbeat-connector' );
	}
	return null;
}

export function isValidDate( text ) {
	if ( ! /^\d{4}-\d{2}-\d{2}$/.test( text ) ) {
		return false;
	}
	const date = new Date( `${ text }T00:00:00Z` );
	return ! Number.isNaN( date.getTime() ) && date.toISOString().slice( 0, 10 ) === text;
}

export function isValidEmail( text ) {
	return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test( text );
}

export function isPositiveWhole( value ) {
	return Number.isInteger( value ) && value > 0;
}

const ARTICLE_FIELDS = [ 'shippingDefault', 'fee', 'paymentFee', 'fixedDiscount', 'giftCard', 'rounding' ];

/** @param {Object} orders the orders group of the shop's settings */
export function validateOrderSettings( orders ) {
	const problems = {};
	const statuses = orders.transferOnStatuses || [];
	if ( orders.exportMode !== 'off' && statuses.length === 0 ) {
		problems.transferOnStatuses = __( 'Choose at least one status, or set the export to off.', 'rackbeat-connector' );
	}
	const draft = statuses.find( ( s ) => NEVER_TRANSFERRED_STATUSES.includes( s ) );
	if ( draft ) {
		problems.transferOnStatuses = sprintf(
			/* translators: %s: an order status such as checkout-draft */
			__( '"%s" is not a placed order and cannot be a transfer status.', 'rackbeat-connector' ),
			draft
		);
	}
	if ( orders.transferOrdersCreatedFrom && ! isValidDate( orders.transferOrdersCreatedFrom ) ) {
		problems.transferOrdersCreatedFrom = __( 'Write the date as YYYY-MM-DD, and make sure it exists.', 'rackbeat-connector' );
	}
	const numbers = orders.articleNumbers || {};
	ARTICLE_FIELDS.forEach( ( field ) => {
		const problem = articleNumberProblem( numbers[ field ] );
		if ( problem ) {
			problems[ `articleNumbers.${ field }` ] = problem;
		}
	} );
	Object.entries( numbers.shippingMethods || {} ).forEach( ( [ method, number ] ) => {
		if ( ! /^[A-Za-z0-9_.-]+(:\d+)?$/.test( method ) ) {
			problems[ `articleNumbers.shippingMethods.${ method }` ] = __(
				'A shipping method is its WooCommerce id, e.g. "flat_rate" or "flat_rate:2".',
				'rackbeat-connector'
			);
			return;
		}
		const problem = articleNumberProblem( number );
		if ( problem ) {
			problems[ `articleNumbers.shippingMethods.${ method }` ] = problem;
		}
	} );
	Object.entries( orders.paymentMethods || {} ).forEach( ( [ gateway, entry ] ) => {
		if ( ! /^[A-Za-z0-9_.-]{1,100}$/.test( gateway ) ) {
			problems[ `paymentMethods.${ gateway }` ] = __( 'A payment method is its WooCommerce gateway id, e.g. "bacs".', 'rackbeat-connector' );
		} else if ( entry.paymentTermsId !== null && entry.paymentTermsId !== undefined && ! isPositiveWhole( entry.paymentTermsId ) ) {
			problems[ `paymentMethods.${ gateway }` ] = __( 'Payment terms are a Rackbeat number (a positive whole number).', 'rackbeat-connector' );
		} else if ( ( entry.noteText || '' ).length > 200 ) {
			problems[ `paymentMethods.${ gateway }` ] = __( 'The note text has at most 200 characters.', 'rackbeat-connector' );
		}
	} );
	const defaults = orders.customerDefaults || {};
	[ 'paymentTermsId', 'customerGroupId', 'layoutId' ].forEach( ( field ) => {
		const value = defaults[ field ];
		if ( value !== null && value !== undefined && ! isPositiveWhole( value ) ) {
			problems[ `customerDefaults.${ field }` ] = __( 'Enter a Rackbeat number (a positive whole number), or leave it empty.', 'rackbeat-connector' );
		}
	} );
	if ( defaults.domesticCountry !== undefined && ! /^[A-Z]{2}$/.test( defaults.domesticCountry ) ) {
		problems[ 'customerDefaults.domesticCountry' ] = __( 'Enter a two-letter country code such as DK, SE or NO.', 'rackbeat-connector' );
	}
	if ( ( orders.extraFieldMetaKeys || [] ).length > 20 ) {
		problems.extraFieldMetaKeys = __( 'At most 20 extra fields fit in the order note.', 'rackbeat-connector' );
	}
	if ( ( orders.extraFieldMetaKeys || [] ).some( ( key ) => key === '' || key.length > 255 ) ) {
		problems.extraFieldMetaKeys = __( 'A meta key cannot be empty and has at most 255 characters.', 'rackbeat-connector' );
	}
	if ( ( orders.orderReferencePrefix || '' ).length > 20 ) {
		problems.orderReferencePrefix = __( 'The prefix has at most 20 characters.', 'rackbeat-connector' );
	}
	const writeBack = orders.statusWriteBack || {};
	[ 'booked', 'shipped', 'invoiced' ].forEach( ( field ) => {
		const value = writeBack[ field ];
		if ( value && ! /^[a-z0-9][a-z0-9_-]{0,39}$/.test( value ) ) {
			problems[ `statusWriteBack.${ field }` ] = __( 'Choose a WooCommerce order status.', 'rackbeat-connector' );
		}
	} );
	return problems;
}

/** @param {Object} stock the stock group */
export function validateStockSettings( stock ) {
	const problems = {};
	if ( ! Number.isInteger( stock.buffer ) || stock.buffer < 0 ) {
		problems.buffer = __( 'The buffer is a whole number of units, 0 or more.', 'rackbeat-connector' );
	}
	if ( stock.locations !== 'all' ) {
		if ( ! Array.isArray( stock.locations ) || stock.locations.length === 0 ) {
			problems.locations = __( 'Choose at least one location, or all locations.', 'rackbeat-connector' );
		} else if ( ! stock.locations.every( isPositiveWhole ) ) {
			problems.locations = __( 'Locations are Rackbeat location numbers (positive whole numbers).', 'rackbeat-connector' );
		}
	}
	return problems;
}

/** @param {Object} products the products group */
export function validateProductSettings( products ) {
	const problems = {};
	const groups = products.productGroups || {};
	Object.entries( groups.byTaxClass || {} ).forEach( ( [ taxClass, group ] ) => {
		if ( ! isPositiveWhole( group ) ) {
			problems[ `productGroups.byTaxClass.${ taxClass }` ] = __( 'A product group is a Rackbeat number (a positive whole number).', 'rackbeat-connector' );
		}
	} );
	if ( groups.default !== null && groups.default !== undefined && ! isPositiveWhole( groups.default ) ) {
		problems[ 'productGroups.default' ] = __( 'A product group is a Rackbeat number (a positive whole number).', 'rackbeat-connector' );
	}
	return problems;
}

/** Pairing form: the bridge's address and the one-time code it printed. */
export function validatePairing( { bridgeUrl, code } ) {
	const problems = {};
	let url = null;
	try {
		url = new URL( bridgeUrl );
	} catch ( e ) {
		url = null;
	}
	if ( ! url || ( url.protocol !== 'http:' && url.protocol !== 'https:' ) || url.search || url.hash ) {
		problems.bridgeUrl = __( 'Enter the bridge address as http(s)://host[:port], without a query.', 'rackbeat-connector' );
	}
	const compact = ( code || '' ).replace( /[\s-]+/g, '' );
	if ( compact.length < 8 || compact.length > 128 ) {
		problems.code = __( 'Enter the pairing code the bridge printed (rackbeat-bridge pair).', 'rackbeat-connector' );
	}
	return problems;
}

export function validateToken( token ) {
	const trimmed = ( token || '' ).trim();
	if ( trimmed.length < 20 ) {
		return { token: __( 'A Rackbeat API token has at least 20 characters. Copy it from Rackbeat → Settings → API.', 'rackbeat-connector' ) };
	}
	return {};
}

export function validateAlerts( { email } ) {
	const trimmed = ( email || '' ).trim();
	if ( trimmed !== '' && ! isValidEmail( trimmed ) ) {
		return { email: __( "Enter a valid e-mail address, or leave it empty to use the site's admin address.", 'rackbeat-connector' ) };
	}
	return {};
}

/**
 * Field problems the bridge listed (`details: [{path, message}]`), keyed like the local ones,
 * with the group prefix ("orders.") removed.
 */
export function problemsFromDetails( details, group ) {
	const problems = {};
	( details || [] ).forEach( ( detail ) => {
		if ( ! detail || typeof detail.path !== 'string' ) {
			return;
		}
		const path = group && detail.path.startsWith( group + '.' ) ? detail.path.slice( group.length + 1 ) : detail.path;
		problems[ path ] = detail.message;
	} );
	return problems;
}
