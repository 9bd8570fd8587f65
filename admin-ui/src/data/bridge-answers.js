/**
 * Readers of the bridge's answers, kept apart from display. Each reads the shape the bridge's route
 * handler really sends (the handler named above each reader) and turns it into rows for a screen.
 * An answer without the expected list is a bridge the page does not understand: the reader throws
 * an UnexpectedAnswer, which the screens show as an error instead of an empty (and wrong) table.
 */
import { __, sprintf } from '@wordpress/i18n';

export class UnexpectedAnswer extends Error {
	/** @param {string} what The field the page looked for. */
	constructor( what ) {
		super(
			sprintf(
				/* translators: %s: name of a field in the bridge's answer */
				__( 'The bridge answered without "%s"; the page and the bridge may be different versions.', 'rackbeat-connector' ),
				what
			)
		);
		this.name = 'UnexpectedAnswer';
	}
}

function listOf( answer, field ) {
	if ( ! answer || ! Array.isArray( answer[ field ] ) ) {
		throw new UnexpectedAnswer( field );
	}
	return answer[ field ];
}

const text = ( value ) => ( value === undefined || value === null ? '' : String( value ) );
const intOrNull = ( value ) => ( typeof value === 'number' && Number.isFinite( value ) ? value : null );

/**
 * GET /v1/account/shops (bridge/src/sync/stock/stock-feature.ts):
 * `{ shops: [{ id, name, url, role, connected, paired_at, last_contact_at, stock: {sync, figure, buffer} | null }] }`.
 */
export function shopRows( answer ) {
	return listOf( answer, 'shops' ).map( ( shop ) => ( {
		id: text( shop.id ),
		name: text( shop.name ),
		url: text( shop.url ),
		role: text( shop.role ),
		connected: shop.connected !== false,
		pairedAt: shop.paired_at || null,
		lastContactAt: shop.last_contact_at || null,
		stock: shop.stock
			? { sync: !! shop.stock.sync, figure: text( shop.stock.figure ), buffer: intOrNull( shop.stock.buffer ) ?? 0 }
			: null,
		productMaster: shop.product_master === 'woo_to_rackbeat' || shop.product_master === 'rackbeat_to_woo' ? shop.product_master : null,
	} ) );
}

/**
 * GET /v1/shops/{shop}/reconcile/orders (bridge/src/sync/orders/orders-feature.ts, rows from
 * order-reconciler.ts): `{ missing: [{ id, number, status, date_created, total, currency }] }`.
 */
export function missingOrderRows( answer ) {
	return listOf( answer, 'missing' ).map( ( order ) => ( {
		id: Number( order.id ),
		number: text( order.number ) || text( order.id ),
		status: text( order.status ),
		date: order.date_created || null,
		total: text( order.total ),
		currency: text( order.currency ),
	} ) );
}

/**
 * POST /v1/shops/{shop}/reconcile/orders/send with `{ ids }`: `{ queued: [id], not_missing: [id] }`.
 */
export function sentOrders( answer ) {
	return { queued: listOf( answer, 'queued' ).map( Number ), notMissing: ( ( answer && answer.not_missing ) || [] ).map( Number ) };
}

/**
 * GET /v1/shops/{shop}/reconcile/stock[?refresh=1] and POST …/reconcile/stock/fix
 * (bridge/src/sync/stock/stock-feature.ts): `{ shop_id, items: [{ sku, kind, rackbeat, shop,
 * last_write, last_write_at, found_at, fixed_at }] }`, plus the run's report (`checked_at` in ms,
 * `linked`, `in_step`, `drift`, `fixed`, `unknown_in_rackbeat`, `not_in_shop`) when the bridge
 * just checked. `kind` is "drift" (both sides have the SKU, the figures differ; `shop` null when
 * the shop does not manage the product's stock), "unknown_in_rackbeat" or "not_in_shop".
 */
export function driftReport( answer ) {
	const items = listOf( answer, 'items' ).map( ( item ) => ( {
		sku: text( item.sku ),
		kind: text( item.kind ),
		rackbeat: intOrNull( item.rackbeat ),
		shop: intOrNull( item.shop ),
		lastWrite: intOrNull( item.last_write ),
		foundAt: item.found_at || null,
		fixedAt: item.fixed_at || null,
	} ) );
	const open = ( kind ) => items.filter( ( item ) => item.kind === kind && ! item.fixedAt );
	return {
		drift: open( 'drift' ),
		unknownInRackbeat: open( 'unknown_in_rackbeat' ),
		notInShop: open( 'not_in_shop' ),
		fixed: items.filter( ( item ) => item.fixedAt ),
		checkedAt: typeof answer.checked_at === 'number' ? new Date( answer.checked_at ).toISOString() : null,
		inStep: intOrNull( answer.in_step ),
		linked: intOrNull( answer.linked ),
	};
}

/**
 * GET /v1/shops/{shop}/orders/preview?statuses= (bridge/src/sync/orders/orders-feature.ts):
 * `{ statuses, export_mode, orders: [{ id, number, status, date_created, total, currency,
 * would_send, reason, rackbeat_order_number }] }`; an order the bridge cannot read comes as
 * `{ id, would_send: false, reason }`.
 */
export function previewAnswer( answer ) {
	const rows = listOf( answer, 'orders' ).map( ( order ) => ( {
		id: text( order.id ),
		number: text( order.number ) || text( order.id ),
		status: text( order.status ),
		date: order.date_created || null,
		total: text( order.total ),
		currency: text( order.currency ),
		wouldSend: order.would_send === true,
		reason: text( order.reason ),
		rackbeatOrderNumber: order.rackbeat_order_number ?? null,
	} ) );
	return { rows, exportMode: text( answer.export_mode ), statuses: Array.isArray( answer.statuses ) ? answer.statuses.map( String ) : [] };
}

/**
 * GET /v1/account/article-numbers/check?numbers= (bridge/src/sync/orders/orders-feature.ts):
 * `{ numbers: [{ number, exists, name, is_barred }] }`. Returns the numbers that cannot be used:
 * `[{ number, problem: 'missing' | 'barred' }]`.
 */
export function articleNumberProblems( answer ) {
	return listOf( answer, 'numbers' )
		.map( ( entry ) => {
			const number = text( entry.number );
			if ( entry.exists === false ) {
				return { number, problem: 'missing' };
			}
			if ( entry.exists === true && entry.is_barred === true ) {
				return { number, problem: 'barred' };
			}
			return null;
		} )
		.filter( Boolean );
}

/**
 * Reads a loaded answer with one of the readers above: `{ value }` when it reads, `{ error }` (an
 * UnexpectedAnswer) when it does not, `{}` while nothing has loaded.
 */
export function readAnswer( reader, data ) {
	if ( data === null || data === undefined ) {
		return {};
	}
	try {
		return { value: reader( data ) };
	} catch ( error ) {
		return { error };
	}
}
