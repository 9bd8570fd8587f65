import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import apiFetch from '@wordpress/api-fetch';
import { ApiError } from '../api/client';
import { ErrorNotice } from '../components/feedback';
import { PairingForm, TokenForm } from '../screens/connection';
import { OrdersForm } from '../screens/orders';
import { AlertsForm } from '../screens/alerts';
import { checkArticleNumbers } from '../settings/article-check';

jest.mock( '@wordpress/api-fetch', () => jest.fn() );

/** What api-fetch rejects with when called with parse: false: the Response itself. */
function failedResponse( status, body ) {
	return { status, json: async () => body };
}
function okResponse( body, status = 200 ) {
	return { status, json: async () => body, text: async () => JSON.stringify( body ) };
}

const defaultOrders = () => ( {
	exportMode: 'automatic',
	transferOnStatuses: [ 'processing', 'completed' ],
	transferOrdersCreatedFrom: null,
	rackbeatOrderState: 'booked',
	customerMatching: 'email',
	articleNumbers: { shippingMethods: {}, shippingDefault: 'SHIPPING', fee: 'FEE', paymentFee: 'PAYMENT-FEE', fixedDiscount: 'DISCOUNT', giftCard: 'GIFT-CARD', rounding: 'ROUNDING' },
	feeNames: { paymentFee: [], giftCard: [] },
	paymentMethods: {},
	discountRepresentation: 'line_percentage',
	customerDefaults: { paymentTermsId: null, customerGroupId: null, layoutId: null, domesticCountry: 'DK', euConsumerVatZone: 'domestic' },
	extraFieldMetaKeys: [],
	companyNameInAddressLine1: false,
	confirmationEmail: 'shop',
	zeroAmountLines: 'include',
	statusWriteBack: { enabled: true, booked: null, shipped: 'completed', invoiced: null },
	orderReferencePrefix: '',
} );

beforeEach( () => apiFetch.mockReset() );

describe( 'Orders form', () => {
	it( 'does not save an invalid article number and says why next to the field', async () => {
		const onSave = jest.fn();
		const checkNumbers = jest.fn( async () => ( {} ) );
		render( <OrdersForm orders={ defaultOrders() } onSave={ onSave } checkNumbers={ checkNumbers } /> );
		const fee = screen.getByLabelText( 'Fees' );
		await userEvent.clear( fee );
		await userEvent.type( fee, 'FEE LINE' );
		await userEvent.click( screen.getByRole( 'button', { name: 'Save changes' } ) );
		expect( ( await screen.findAllByText( 'An article number cannot contain spaces.' ) ).length ).toBeGreaterThan( 0 );
		expect( onSave ).not.toHaveBeenCalled();
		expect( checkNumbers ).not.toHaveBeenCalled();
		expect( fee ).toHaveAttribute( 'aria-invalid', 'true' );
		expect( screen.getAllByText( /Nothing was saved/ ).some( ( el ) => el.getAttribute( 'role' ) === 'alert' ) ).toBe( true );
	} );

	it( 'flags an article number Rackbeat does not have before saving', async () => {
		const onSave = jest.fn();
		render( <OrdersForm orders={ defaultOrders() } onSave={ onSave } checkNumbers={ async () => ( { 'articleNumbers.giftCard': 'Rackbeat has no product with the number GIFT-CARD.' } ) } /> );
		await userEvent.click( screen.getByRole( 'button', { name: 'Save changes' } ) );
		await screen.findAllByText( 'Rackbeat has no product with the number GIFT-CARD.' );
		expect( onSave ).not.toHaveBeenCalled();
	} );

	it( 'saves the edited group and shows the bridge refusal in words', async () => {
		const onSave = jest
			.fn()
			.mockRejectedValueOnce( new ApiError( 400, 'invalid_settings', 'The settings are not valid: orders.orderReferencePrefix: too long.', [ { path: 'orders.orderReferencePrefix', message: 'too long' } ] ) )
			.mockResolvedValueOnce( {} );
		render( <OrdersForm orders={ defaultOrders() } onSave={ onSave } checkNumbers={ async () => ( {} ) } /> );
		await userEvent.click( screen.getByLabelText( 'Draft (a person books them in Rackbeat)' ) );
		await userEvent.type( screen.getByLabelText( 'Order reference prefix' ), 'WEB-' );
		await userEvent.click( screen.getByRole( 'button', { name: 'Save changes' } ) );
		await screen.findAllByText( 'The settings are not valid: orders.orderReferencePrefix: too long.' );
		expect( onSave ).toHaveBeenCalledWith( 'orders', expect.objectContaining( { rackbeatOrderState: 'draft', orderReferencePrefix: 'WEB-' } ) );
		expect( screen.getAllByText( 'too long' ).length ).toBeGreaterThan( 0 );
		await userEvent.click( screen.getByRole( 'button', { name: 'Save changes' } ) );
		await screen.findAllByText( 'Settings saved in the bridge.' );
	} );

	it( 'adds a shipping method row and validates it', async () => {
		const onSave = jest.fn( async () => ( {} ) );
		render( <OrdersForm orders={ defaultOrders() } onSave={ onSave } checkNumbers={ async () => ( {} ) } /> );
		await userEvent.click( screen.getByRole( 'button', { name: 'Add shipping method' } ) );
		await userEvent.type( screen.getByLabelText( 'Shipping method, row 1' ), 'flat_rate:2' );
		await userEvent.type( screen.getByLabelText( 'Article number, row 1' ), 'FRAGT' );
		await userEvent.click( screen.getByRole( 'button', { name: 'Save changes' } ) );
		await waitFor( () => expect( onSave ).toHaveBeenCalled() );
		expect( onSave.mock.calls[ 0 ][ 1 ].articleNumbers.shippingMethods ).toEqual( { 'flat_rate:2': 'FRAGT' } );
	} );
} );

describe( 'article number check', () => {
	it( 'asks the bridge once for every number in use and maps missing ones to their fields', async () => {
		// The bridge's answer (orders-feature.ts, GET /v1/account/article-numbers/check).
		const fetcher = jest.fn( async ( path, { query } ) => ( {
			numbers: query.numbers.map( ( number ) => ( { number, exists: number !== 'FEE', name: number === 'FEE' ? null : number, is_barred: number === 'FEE' ? null : false } ) ),
		} ) );
		const orders = defaultOrders();
		orders.articleNumbers.shippingMethods = { flat_rate: 'FEE' };
		const problems = await checkArticleNumbers( orders, fetcher );
		expect( fetcher.mock.calls[ 0 ][ 1 ].query.numbers.sort() ).toEqual( [ 'DISCOUNT', 'FEE', 'GIFT-CARD', 'PAYMENT-FEE', 'ROUNDING', 'SHIPPING' ] );
		expect( Object.keys( problems ).sort() ).toEqual( [ 'articleNumbers.fee', 'articleNumbers.shippingMethods.flat_rate' ] );
	} );

	it( 'lets the save go ahead when the bridge has no check route yet', async () => {
		const fetcher = async () => {
			throw new ApiError( 404, 'not_found', 'No route GET /v1/account/article-numbers/check.' );
		};
		expect( await checkArticleNumbers( defaultOrders(), fetcher ) ).toEqual( {} );
	} );

	it( 'flags a barred article and says so', async () => {
		const fetcher = async () => ( { numbers: [ { number: 'ROUNDING', exists: true, name: 'Øreafrunding', is_barred: true } ] } );
		const problems = await checkArticleNumbers( defaultOrders(), fetcher );
		expect( Object.keys( problems ) ).toEqual( [ 'articleNumbers.rounding' ] );
		expect( problems[ 'articleNumbers.rounding' ] ).toMatch( /barred/ );
	} );

	it( 'does not wave a save through when the answer has an unknown shape', async () => {
		const problems = await checkArticleNumbers( defaultOrders(), async () => ( { missing: [ 'FEE' ] } ) );
		expect( problems.articleNumbers ).toMatch( /Could not check the article numbers/ );
	} );
} );

describe( 'Pairing form', () => {
	it( 'checks the fields before calling the plugin', async () => {
		render( <PairingForm onPaired={ jest.fn() } /> );
		await userEvent.type( screen.getByLabelText( 'Bridge address' ), 'bridge.example.com' );
		await userEvent.click( screen.getByRole( 'button', { name: 'Connect' } ) );
		expect( ( await screen.findAllByText( /Enter the bridge address/ ) ).length ).toBeGreaterThan( 0 );
		expect( apiFetch ).not.toHaveBeenCalled();
	} );

	it( "sends the address and code and shows the plugin's refusal", async () => {
		apiFetch.mockRejectedValueOnce( failedResponse( 400, { code: 'rackbeat_connector_code_refused', message: 'The bridge refused the pairing code (wrong, used or expired).' } ) );
		const onPaired = jest.fn();
		render( <PairingForm onPaired={ onPaired } /> );
		await userEvent.type( screen.getByLabelText( 'Bridge address' ), 'http://127.0.0.1:9999' );
		await userEvent.type( screen.getByLabelText( 'Pairing code' ), 'ABCD-EFGH-IJKL' );
		await userEvent.click( screen.getByRole( 'button', { name: 'Connect' } ) );
		await screen.findAllByText( 'The bridge refused the pairing code (wrong, used or expired).' );
		expect( apiFetch ).toHaveBeenCalledWith( expect.objectContaining( { path: '/rackbeat-connector/v1/pair', method: 'POST', data: { bridge_url: 'http://127.0.0.1:9999', code: 'ABCD-EFGH-IJKL' } } ) );
		expect( onPaired ).not.toHaveBeenCalled();
	} );

	it( 'reports success to the screen', async () => {
		apiFetch.mockResolvedValueOnce( okResponse( { connection: { connected: true } }, 201 ) );
		const onPaired = jest.fn();
		render( <PairingForm onPaired={ onPaired } /> );
		await userEvent.type( screen.getByLabelText( 'Bridge address' ), 'http://127.0.0.1:9999' );
		await userEvent.type( screen.getByLabelText( 'Pairing code' ), 'ABCD-EFGH-IJKL' );
		await userEvent.click( screen.getByRole( 'button', { name: 'Connect' } ) );
		await waitFor( () => expect( onPaired ).toHaveBeenCalled() );
	} );
} );

describe( 'Rackbeat token', () => {
	it( 'is write-only: a saved token shows masked, and a short one is refused locally', async () => {
		render( <TokenForm rackbeat={ { token_set: true } } onChanged={ jest.fn() } /> );
		expect( screen.getByText( '••••••••••••' ) ).toBeTruthy();
		const input = screen.getByLabelText( 'Replace the Rackbeat API token' );
		expect( input ).toHaveAttribute( 'type', 'password' );
		expect( input ).toHaveValue( '' );
		await userEvent.type( input, 'abc' );
		await userEvent.click( screen.getByRole( 'button', { name: 'Save token' } ) );
		await screen.findAllByText( /at least 20 characters/ );
		expect( apiFetch ).not.toHaveBeenCalled();
	} );

	it( 'gives a clear verdict from Test connection', async () => {
		apiFetch.mockResolvedValueOnce( okResponse( { valid: false, reason: 'Rackbeat refused the token (401).' } ) );
		render( <TokenForm rackbeat={ { token_set: true } } onChanged={ jest.fn() } /> );
		await userEvent.click( screen.getByRole( 'button', { name: 'Test connection' } ) );
		await screen.findAllByText( /Rackbeat refused the token \(401\)\./ );
		expect( apiFetch ).toHaveBeenCalledWith( expect.objectContaining( { path: '/rackbeat-connector/v1/bridge/account/test', method: 'POST' } ) );
	} );
} );

describe( 'Alerts form', () => {
	it( 'refuses a bad address and saves a good one', async () => {
		apiFetch.mockResolvedValueOnce( okResponse( { alerts: { enabled: true, email: 'ops@example.com' } } ) );
		render( <AlertsForm alerts={ { enabled: true, email: '' } } adminEmail="admin@example.com" /> );
		const email = screen.getByLabelText( 'Send the digest to' );
		await userEvent.type( email, 'nope' );
		await userEvent.click( screen.getByRole( 'button', { name: 'Save changes' } ) );
		await screen.findAllByText( /Enter a valid e-mail address/ );
		expect( apiFetch ).not.toHaveBeenCalled();
		await userEvent.clear( email );
		await userEvent.type( email, 'ops@example.com' );
		await userEvent.click( screen.getByRole( 'button', { name: 'Save changes' } ) );
		await screen.findAllByText( 'Alert settings saved.' );
		expect( apiFetch ).toHaveBeenCalledWith( expect.objectContaining( { path: '/rackbeat-connector/v1/alerts', method: 'PUT', data: { enabled: true, email: 'ops@example.com' } } ) );
	} );
} );

describe( 'a bridge without a route', () => {
	it( 'shows a notice, not an error', () => {
		render( <ErrorNotice error={ new ApiError( 404, 'not_found', 'No route GET /v1/shops/x/reconcile/stock.' ) } what="stock reconciliation" /> );
		expect( screen.getAllByText( /Your bridge does not offer stock reconciliation yet/ ).length ).toBeGreaterThan( 0 );
		expect( document.querySelector( '.components-notice.is-info' ) ).not.toBeNull();
		expect( document.querySelector( '.components-notice.is-error' ) ).toBeNull();
	} );
} );
