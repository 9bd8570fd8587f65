/**
 * Article numbers must exist in Rackbeat: checked before saving
 * (GET /v1/account/article-numbers/check?numbers=…, through the plugin).
 */
import { __, sprintf } from '@wordpress/i18n';
import { accountPath, isRouteMissing, request } from '../api/client';
import { articleNumberProblems } from '../data/bridge-answers';

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
	let found;
	try {
		found = articleNumberProblems( answer );
	} catch ( error ) {
		return { articleNumbers: sprintf( /* translators: %s: error message */ __( 'Could not check the article numbers in Rackbeat: %s', 'rackbeat-connector' ), error.message ) };
	}
	const problems = {};
	found.forEach( ( { number, problem } ) => {
		( uses.get( number ) || [] ).forEach( ( path ) => {
			problems[ path ] =
				problem === 'barred'
					? sprintf(
							/* translators: %s: article number */
							__( 'The product %s is barred in Rackbeat, so orders cannot use it. Lift the bar in Rackbeat or choose another.', 'rackbeat-connector' ),
							number
					  )
					: sprintf(
							/* translators: %s: article number */
							__( 'Rackbeat has no product with the number %s. Create it in Rackbeat or choose another.', 'rackbeat-connector' ),
							number
					  );
		} );
	} );
	return problems;
}
