/**
 * The readers of the bridge's answers and the screens that show them. The answers below have the
 * shapes the bridge's route handlers send (named above each), so a reader that guesses fails here.
 */
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import apiFetch from '@wordpress/api-fetch';
import { ConnectionContext } from '../data/connection';
import { articleNumberProblems, driftReport, missingOrderRows, previewAnswer, sentOrders, shopRows, UnexpectedAnswer } from '../data/bridge-answers';
import { MissingOrders, StockDrift } from '../screens/reconciliation';
import { ShopsScreen } from '../screens/shops';
import { OrderPreview } from '../settings/order-preview';

jest.mock( '@wordpress/api-fetch', () => jest.fn() );

function okResponse( body, status = 200 ) {
	return { status, json: async () => body, text: async () => JSON.stringify( body ) };
}
function failedResponse( status, body ) {
	return { status, json: async () => body };
}

/** Routes api-fetch calls by method and path (below rackbeat-connector/v1) to handlers. */
function routeApi( routes ) {
	apiFetch.mockImplementation( async ( { path, method = 'GET', data } ) => {
		const [ bare, qs ] = path.replace( '/rackbeat-connector/v1', '' ).split( '?' );
		const handler = routes[ `${ method } ${ bare }` ];
		if ( ! handler ) {
			throw failedResponse( 404, { code: 'rest_no_route', message: `no route ${ method } ${ bare }` } );
		}
		const answer = await handler( { query: new URLSearchParams( qs || '' ), data } );
		if ( answer && answer.failStatus ) {
			throw failedResponse( answer.failStatus, answer.body );
		}
		return okResponse( answer );
	} );
}

beforeEach( () => apiFetch.mockReset() );

// GET /v1/account/shops (stock-feature.ts)
const shopsAnswer = {
	shops: [
		{
			id: 'shop_a',
			name: 'Main shop',
			url: 'https://a.example',
			role: 'shop',
			connected: true,
			paired_at: '2026-01-02T10:00:00.000Z',
			last_contact_at: '2026-03-04T05:06:07.000Z',
			stock: { sync: true, figure: 'on_hand', buffer: 3 },
			product_master: 'woo_to_rackbeat',
		},
		{ id: 'shop_b', name: 'Outlet', url: 'https://b.example', role: 'shop', connected: false, paired_at: '2026-01-02T10:00:00.000Z', last_contact_at: null, stock: null, product_master: null },
	],
};

// GET /v1/shops/{shop}/reconcile/stock (stock-feature.ts driftItems)
const driftItem = ( sku, kind, rackbeat, shop, extra = {} ) => ( {
	sku,
	kind,
	rackbeat,
	shop,
	last_write: null,
	last_write_at: null,
	found_at: '2026-03-04T05:00:00.000Z',
	fixed_at: null,
	...extra,
} );

describe( 'readers of the bridge answers', () => {
	it( 'reads the shop list', () => {
		const rows = shopRows( shopsAnswer );
		expect( rows[ 0 ] ).toEqual( {
			id: 'shop_a',
			name: 'Main shop',
			url: 'https://a.example',
			role: 'shop',
			connected: true,
			pairedAt: '2026-01-02T10:00:00.000Z',
			lastContactAt: '2026-03-04T05:06:07.000Z',
			stock: { sync: true, figure: 'on_hand', buffer: 3 },
			productMaster: 'woo_to_rackbeat',
		} );
		expect( rows[ 1 ] ).toMatchObject( { connected: false, lastContactAt: null, stock: null, productMaster: null } );
	} );

	it( 'refuses an answer without the list it needs instead of showing nothing', () => {
		expect( () => shopRows( [ { id: 'x' } ] ) ).toThrow( UnexpectedAnswer );
		expect( () => missingOrderRows( { orders: [] } ) ).toThrow( /"missing"/ );
		expect( () => driftReport( { drift: [] } ) ).toThrow( /"items"/ );
		expect( () => previewAnswer( { preview: [] } ) ).toThrow( /"orders"/ );
		expect( () => articleNumberProblems( { missing: [ 'A' ] } ) ).toThrow( /"numbers"/ );
		expect( () => sentOrders( { order_ids: [] } ) ).toThrow( /"queued"/ );
	} );

	it( 'reads missing orders and what was sent', () => {
		const rows = missingOrderRows( { missing: [ { id: 41, number: '41', status: 'processing', date_created: '2026-03-01T09:00:00', total: '250.00', currency: 'DKK' } ] } );
		expect( rows ).toEqual( [ { id: 41, number: '41', status: 'processing', date: '2026-03-01T09:00:00', total: '250.00', currency: 'DKK' } ] );
		expect( sentOrders( { queued: [ 41 ], not_missing: [ 7 ] } ) ).toEqual( { queued: [ 41 ], notMissing: [ 7 ] } );
	} );

	it( 'sorts the drift report into open drift, fixed rows and SKUs only one side has', () => {
		const report = driftReport( {
			shop_id: 'shop_a',
			checked_at: Date.parse( '2026-03-04T06:00:00Z' ),
			linked: 4,
			in_step: 1,
			items: [
				driftItem( 'MUG', 'drift', 7, 999 ),
				driftItem( 'TEE', 'drift', 2, null ),
				driftItem( 'CAP', 'drift', 0, 5, { fixed_at: '2026-03-04T05:30:00.000Z', last_write: 0 } ),
				driftItem( 'OLD', 'unknown_in_rackbeat', null, 4 ),
				driftItem( 'SHIPPING', 'not_in_shop', null, null ),
			],
		} );
		expect( report.drift.map( ( r ) => [ r.sku, r.shop, r.rackbeat ] ) ).toEqual( [
			[ 'MUG', 999, 7 ],
			[ 'TEE', null, 2 ],
		] );
		expect( report.fixed.map( ( r ) => r.sku ) ).toEqual( [ 'CAP' ] );
		expect( report.unknownInRackbeat.map( ( r ) => r.sku ) ).toEqual( [ 'OLD' ] );
		expect( report.notInShop.map( ( r ) => r.sku ) ).toEqual( [ 'SHIPPING' ] );
		expect( report.checkedAt ).toBe( '2026-03-04T06:00:00.000Z' );
		expect( report.inStep ).toBe( 1 );
		// The stored report (no refresh) has no run figures.
		expect( driftReport( { shop_id: 'shop_a', items: [] } ).checkedAt ).toBeNull();
	} );

	it( 'reads the order preview, including an order the bridge could not read', () => {
		const { rows, exportMode } = previewAnswer( {
			statuses: [ 'processing' ],
			export_mode: 'manual',
			orders: [
				{ id: 10, number: '10', status: 'processing', date_created: '2026-03-01T09:00:00', total: '99.00', currency: 'DKK', would_send: true, reason: null, rackbeat_order_number: null },
				{ id: 9, number: '9', status: 'completed', date_created: null, total: '10.00', currency: 'DKK', would_send: false, reason: 'already in Rackbeat', rackbeat_order_number: 5003 },
				{ id: 8, would_send: false, reason: 'WooOrderInvalid: no line items' },
			],
		} );
		expect( exportMode ).toBe( 'manual' );
		expect( rows.map( ( r ) => [ r.number, r.wouldSend, r.reason, r.rackbeatOrderNumber ] ) ).toEqual( [
			[ '10', true, '', null ],
			[ '9', false, 'already in Rackbeat', 5003 ],
			[ '8', false, 'WooOrderInvalid: no line items', null ],
		] );
	} );

	it( 'reads the article number check: missing and barred numbers', () => {
		expect(
			articleNumberProblems( {
				numbers: [
					{ number: 'A', exists: true, name: 'A', is_barred: false },
					{ number: 'B', exists: false, name: null, is_barred: null },
					{ number: 'C', exists: true, name: 'C', is_barred: true },
				],
			} )
		).toEqual( [
			{ number: 'B', problem: 'missing' },
			{ number: 'C', problem: 'barred' },
		] );
	} );
} );

describe( 'Shops screen', () => {
	it( 'lists the shops with role, stock and last contact, marking this shop and its product master setting', async () => {
		routeApi( { 'GET /bridge/account/shops': () => shopsAnswer } );
		const connection = { data: { connection: { connected: true, shop_id: 'shop_a' } } };
		render(
			<ConnectionContext.Provider value={ connection }>
				<ShopsScreen shopSettings={ { settings: { products: { master: 'woo_to_rackbeat' } } } } />
			</ConnectionContext.Provider>
		);
		const main = ( await screen.findByText( 'Main shop' ) ).closest( 'tr' );
		expect( within( main ).getByText( '(this shop)' ) ).toBeInTheDocument();
		expect( within( main ).getByText( 'Shop' ) ).toBeInTheDocument();
		expect( within( main ).getByText( 'Product master (WooCommerce → Rackbeat)' ) ).toBeInTheDocument();
		expect( within( main ).getByText( 'Receives stock (on hand, buffer 3)' ) ).toBeInTheDocument();
		expect( within( main ).getByText( new Date( '2026-03-04T05:06:07.000Z' ).toLocaleString() ) ).toBeInTheDocument();
		const outlet = screen.getByText( 'Outlet' ).closest( 'tr' );
		expect( within( outlet ).getByText( 'Disconnected' ) ).toBeInTheDocument();
		expect( within( outlet ).getByText( 'Never' ) ).toBeInTheDocument();
		expect( within( outlet ).queryByText( /Product master/ ) ).toBeNull();
	} );

	it( 'shows which shop masters products when it is another shop', async () => {
		routeApi( { 'GET /bridge/account/shops': () => shopsAnswer } );
		render(
			<ConnectionContext.Provider value={ { data: { connection: { connected: true, shop_id: 'shop_b' } } } }>
				<ShopsScreen shopSettings={ { settings: { products: { master: 'off' } } } } />
			</ConnectionContext.Provider>
		);
		const main = ( await screen.findByText( 'Main shop' ) ).closest( 'tr' );
		expect( within( main ).getByText( 'Product master (WooCommerce → Rackbeat)' ) ).toBeInTheDocument();
		const outlet = screen.getByText( 'Outlet' ).closest( 'tr' );
		expect( within( outlet ).getByText( 'Products not synced' ) ).toBeInTheDocument();
	} );

	it( 'says so when the bridge answers in a shape the page does not know', async () => {
		routeApi( { 'GET /bridge/account/shops': () => [ { id: 'shop_a' } ] } );
		render(
			<ConnectionContext.Provider value={ { data: null } }>
				<ShopsScreen />
			</ConnectionContext.Provider>
		);
		expect( await screen.findByRole( 'alert' ) ).toHaveTextContent( 'The bridge answered without "shops"' );
		expect( screen.queryByRole( 'table' ) ).toBeNull();
	} );
} );

describe( 'Reconciliation: missing orders', () => {
	it( 'lists a missing order and sends it with the ids the bridge expects', async () => {
		const sent = [];
		routeApi( {
			'GET /bridge/shop/reconcile/orders': () => ( { missing: [ { id: 41, number: '41', status: 'processing', date_created: '2026-03-01T09:00:00', total: '250.00', currency: 'DKK' } ] } ),
			'POST /bridge/shop/reconcile/orders/send': ( { data } ) => {
				sent.push( data );
				return { queued: data.ids, not_missing: [] };
			},
		} );
		render( <MissingOrders /> );
		const row = ( await screen.findByText( '#41' ) ).closest( 'tr' );
		expect( within( row ).getByText( '250.00 DKK' ) ).toBeInTheDocument();
		await userEvent.click( within( row ).getByRole( 'button', { name: 'Send order 41 to Rackbeat' } ) );
		expect( ( await screen.findAllByText( /1 order queued for Rackbeat/ ) ).some( ( el ) => el.getAttribute( 'role' ) === 'status' ) ).toBe( true );
		expect( sent ).toEqual( [ { ids: [ 41 ] } ] );
		expect( within( row ).getByText( 'Queued' ) ).toBeInTheDocument();
	} );

	it( 'shows the bridge\'s words when sending fails', async () => {
		routeApi( {
			'GET /bridge/shop/reconcile/orders': () => ( { missing: [ { id: 41, number: '41', status: 'processing', date_created: null, total: '1.00', currency: 'DKK' } ] } ),
			'POST /bridge/shop/reconcile/orders/send': () => ( { failStatus: 400, body: { error: 'bad_request', message: 'ids: expected array' } } ),
		} );
		render( <MissingOrders /> );
		await userEvent.click( await screen.findByRole( 'button', { name: 'Send all' } ) );
		expect( await screen.findByRole( 'alert' ) ).toHaveTextContent( 'ids: expected array' );
	} );

	it( 'says when nothing is missing', async () => {
		routeApi( { 'GET /bridge/shop/reconcile/orders': () => ( { missing: [] } ) } );
		render( <MissingOrders /> );
		expect( await screen.findByText( 'Every order that should be in Rackbeat is there.' ) ).toBeInTheDocument();
	} );
} );

describe( 'Reconciliation: stock drift', () => {
	it( 'checks now, shows the drift, fixes it and shows it fixed', async () => {
		const calls = [];
		routeApi( {
			'GET /bridge/shop/reconcile/stock': ( { query } ) => {
				calls.push( `GET refresh=${ query.get( 'refresh' ) }` );
				return query.get( 'refresh' )
					? { shop_id: 's', checked_at: Date.now(), linked: 3, in_step: 2, drift: 1, fixed: 0, unknown_in_rackbeat: 0, not_in_shop: 1, items: [ driftItem( 'MUG', 'drift', 7, 999 ), driftItem( 'SHIPPING', 'not_in_shop', null, null ) ] }
					: { shop_id: 's', items: [] };
			},
			'POST /bridge/shop/reconcile/stock/fix': ( { data } ) => {
				calls.push( `POST ${ JSON.stringify( data ) }` );
				return { shop_id: 's', checked_at: Date.now(), linked: 3, in_step: 2, drift: 1, fixed: 1, items: [ driftItem( 'MUG', 'drift', 7, 999, { fixed_at: new Date().toISOString(), last_write: 7 } ) ] };
			},
		} );
		render( <StockDrift /> );
		expect( await screen.findByText( 'No drift: the shop\'s stock matches Rackbeat.' ) ).toBeInTheDocument();
		await userEvent.click( screen.getByRole( 'button', { name: 'Check now' } ) );
		const row = ( await screen.findByText( 'MUG' ) ).closest( 'tr' );
		expect( within( row ).getByText( '999' ) ).toBeInTheDocument();
		expect( within( row ).getByText( '7' ) ).toBeInTheDocument();
		expect( screen.getByText( 'In Rackbeat, not sold in this shop (1)' ) ).toBeInTheDocument();
		await userEvent.click( screen.getByRole( 'button', { name: 'Fix 1 SKU' } ) );
		expect( ( await screen.findAllByText( /Stock corrected/ ) ).some( ( el ) => el.getAttribute( 'role' ) === 'status' ) ).toBe( true );
		const fixed = within( screen.getByRole( 'table', { name: 'Fixed' } ) );
		expect( fixed.getByText( 'MUG' ) ).toBeInTheDocument();
		expect( screen.queryByRole( 'button', { name: /^Fix/ } ) ).toBeNull();
		expect( calls ).toEqual( [ 'GET refresh=null', 'GET refresh=1', 'POST {"all":true}' ] );
	} );

	it( 'fixes one SKU from its row', async () => {
		const calls = [];
		const report = ( fixedMug ) => ( {
			shop_id: 's',
			checked_at: Date.now(),
			linked: 3,
			in_step: 1,
			drift: fixedMug ? 1 : 2,
			fixed: fixedMug ? 1 : 0,
			items: [
				fixedMug ? driftItem( 'MUG', 'drift', 7, 999, { fixed_at: new Date().toISOString(), last_write: 7 } ) : driftItem( 'MUG', 'drift', 7, 999 ),
				driftItem( 'CAP', 'drift', 3, 1 ),
			],
		} );
		routeApi( {
			'GET /bridge/shop/reconcile/stock': () => report( false ),
			'POST /bridge/shop/reconcile/stock/fix': ( { data } ) => {
				calls.push( JSON.stringify( data ) );
				return report( true );
			},
		} );
		render( <StockDrift /> );
		await userEvent.click( await screen.findByRole( 'button', { name: 'Fix MUG' } ) );
		const fixed = within( await screen.findByRole( 'table', { name: 'Fixed' } ) );
		expect( fixed.getByText( 'MUG' ) ).toBeInTheDocument();
		expect( screen.getByRole( 'button', { name: 'Fix CAP' } ) ).toBeInTheDocument();
		expect( calls ).toEqual( [ '{"skus":["MUG"]}' ] );
	} );

	it( 'shows a product whose stock the shop does not manage, and the bridge\'s refusal to fix', async () => {
		routeApi( {
			'GET /bridge/shop/reconcile/stock': () => ( { shop_id: 's', items: [ driftItem( 'TEE', 'drift', 2, null ) ] } ),
			'POST /bridge/shop/reconcile/stock/fix': () => ( { failStatus: 409, body: { error: 'stock_sync_off', message: 'Stock sync is off for this shop.' } } ),
		} );
		render( <StockDrift /> );
		const row = ( await screen.findByText( 'TEE' ) ).closest( 'tr' );
		expect( within( row ).getByText( 'stock not managed' ) ).toBeInTheDocument();
		await userEvent.click( screen.getByRole( 'button', { name: 'Fix 1 SKU' } ) );
		expect( await screen.findByRole( 'alert' ) ).toHaveTextContent( 'Stock sync is off for this shop.' );
	} );
} );

describe( 'Order preview', () => {
	it( 'asks with the chosen statuses and shows which orders would be sent and why not', async () => {
		let asked = null;
		routeApi( {
			'GET /bridge/shop/orders/preview': ( { query } ) => {
				asked = query.get( 'statuses' );
				return {
					statuses: asked.split( ',' ),
					export_mode: 'automatic',
					orders: [
						{ id: 10, number: '10', status: 'processing', date_created: null, total: '99.00', currency: 'DKK', would_send: true, reason: null, rackbeat_order_number: null },
						{ id: 9, number: '9', status: 'pending', date_created: null, total: '1.00', currency: 'DKK', would_send: false, reason: 'status pending is not one of processing, completed', rackbeat_order_number: null },
					],
				};
			},
		} );
		render( <OrderPreview statuses={ [ 'processing', 'completed' ] } /> );
		await userEvent.click( screen.getByRole( 'button', { name: /Preview/ } ) );
		const yes = ( await screen.findByText( '#10' ) ).closest( 'tr' );
		expect( within( yes ).getByText( 'Yes' ) ).toBeInTheDocument();
		const no = screen.getByText( '#9' ).closest( 'tr' );
		expect( within( no ).getByText( /No/ ) ).toBeInTheDocument();
		expect( within( no ).getByText( /status pending is not one of/ ) ).toBeInTheDocument();
		expect( asked ).toBe( 'processing,completed' );
		await waitFor( () => expect( screen.queryByText( /Order export is manual/ ) ).toBeNull() );
	} );
} );
