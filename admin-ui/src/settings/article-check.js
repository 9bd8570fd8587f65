/**
 * Article numbers must exist in Rackbeat: checked before saving
 * (GET /v1/account/article-numbers/check?numbers=…, through the plugin).
 */
import { __, sprintf } from '@wordpress/i18n';
import { accountPath, isRouteMissing, request } from '../api/client';

const FIELDS = [ 'shippingDefault', 'fee', 'paymentFee', 'fixedDiscount', 'giftCard', 'rounding' ];

/** Every article number the orders settings use, with the field paths that use it. */
export function articleNumbersInUse( orders ) {
	const numbers = orders.articleNumbers || {};
	const uses = new Map();
	const add = ( number, path ) => {
		if ( ! number ) {
			return;
		}
		uses.set( number, [ ...( uses.get( number ) || [] ), path ] );
	};
	FIELDS.forEach( ( field ) => add( numbers[ field ], `articleNumbers.${ field }` ) );
	Object.entries( numbers.shippingMethods || {} ).forEach( ( [ method, number ] ) => add( number, `articleNumbers.shippingMethods.${ method }` ) );
	return uses;
}

/** The numbers the bridge says are missing, whichever of the two answer shapes it uses. */
export function missingFromAnswer( answer, asked ) {
	if ( answer && Array.isArray( answer.missing ) ) {
		return answer.missing.map( String );
	}
	const map = answer && ( answer.exists || answer.numbers || answer.results );
	if ( map && typeof map === 'object' && ! Array.isArray( map ) ) {
		return asked.filter( ( n ) => map[ n ] === false || ( map[ n ] && map[ n ].exists === false ) );
	}
	if ( map && Array.isArray( map ) ) {
		return map.filter( ( entry ) => entry && entry.exists === false ).map( ( entry ) => String( entry.number ) );
	}
	return [];
}

/**
 * @return {Promise<Object>} problems keyed by field path; a bridge without the check route
 *   gives no problems (the save goes ahead and the bridge checks when it sends).
 */
export async function checkArticleNumbers( orders, fetcher = request ) {
	const uses = articleNumbersInUse( orders );
	const asked = [ ...uses.keys() ];
	if ( asked.length === 0 ) {
		return {};
	}
	let answer;
	try {
		answer = await fetcher( accountPath( 'article-numbers/check' ), { query: { numbers: asked } } );
	} catch ( error ) {
		if ( isRouteMissing( error ) ) {
			return {};
		}
		return { articleNumbers: sprintf( /* translators: %s: error message */ __( 'Could not check the article numbers in Rackbeat: %s', 'rackbeat-connector' ), error.message ) };
	}
	const problems = {};
	missingFromAnswer( answer, asked ).forEach( ( number ) => {
		( uses.get( number ) || [] ).forEach( ( path ) => {
			problems[ path ] = sprintf(
				/* translators: %s: article number */
				__( 'Rackbeat has no product with the number %s. Create it in Rackbeat or choose another.', 'rackbeat-connector' ),
				number
			);
		} );
	} );
	return problems;
}
