/**
 * Small helpers shared by the setting groups.
 */
import { __ } from '@wordpress/i18n';

/** WooCommerce's own order statuses (slugs without "wc-"), with their admin labels. */
export function wooStatuses() {
	return [
		{ value: 'pending', label: __( 'Pending payment', 'rackbeat-connector' ) },
		{ value: 'processing', label: __( 'Processing', 'rackbeat-connector' ) },
		{ value: 'on-hold', label: __( 'On hold', 'rackbeat-connector' ) },
		{ value: 'completed', label: __( 'Completed', 'rackbeat-connector' ) },
		{ value: 'cancelled', label: __( 'Cancelled', 'rackbeat-connector' ) },
		{ value: 'refunded', label: __( 'Refunded', 'rackbeat-connector' ) },
		{ value: 'failed', label: __( 'Failed', 'rackbeat-connector' ) },
	];
}

/** "" → null; digits → a number; anything else stays text so validation can name it. */
export function numberOrNull( text ) {
	const trimmed = String( text ).trim();
	if ( trimmed === '' ) {
		return null;
	}
	return /^\d+$/.test( trimmed ) ? Number( trimmed ) : trimmed;
}

export function numberText( value ) {
	return value === null || value === undefined ? '' : String( value );
}

/** One entry per line (or comma), blanks dropped. */
export function listFromText( text ) {
	return String( text )
		.split( /[\n,]/ )
		.map( ( s ) => s.trim() )
		.filter( Boolean );
}
