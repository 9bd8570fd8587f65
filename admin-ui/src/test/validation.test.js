import { articleNumberProblem, isValidDate, problemsFromDetails, validateAlerts, validateOrderSettings, validatePairing, validateStockSettings, validateToken } from '../validation/rules';

const validOrders = () => ( {
	exportMode: 'automatic',
	transferOnStatuses: [ 'processing', 'completed' ],
	transferOrdersCreatedFrom: null,
	articleNumbers: { shippingMethods: {}, shippingDefault: 'SHIPPING', fee: 'FEE', paymentFee: 'PAYMENT-FEE', fixedDiscount: 'DISCOUNT', giftCard: 'GIFT-CARD', rounding: 'ROUNDING' },
	paymentMethods: {},
	customerDefaults: { paymentTermsId: null, customerGroupId: null, layoutId: null, domesticCountry: 'DK' },
	extraFieldMetaKeys: [],
	orderReferencePrefix: '',
	statusWriteBack: { enabled: true, booked: null, shipped: 'completed', invoiced: null },
} );

describe( 'order settings validation', () => {
	it( 'accepts the defaults', () => {
		expect( validateOrderSettings( validOrders() ) ).toEqual( {} );
	} );

	it( 'names each bad article number by its field', () => {
		const orders = validOrders();
		orders.articleNumbers.fee = 'HAS SPACE';
		orders.articleNumbers.giftCard = '';
		orders.articleNumbers.shippingMethods = { flat_rate: 'X'.repeat( 26 ), 'bad key': 'OK' };
		const problems = validateOrderSettings( orders );
		expect( Object.keys( problems ).sort() ).toEqual( [
			'articleNumbers.fee',
			'articleNumbers.giftCard',
			'articleNumbers.shippingMethods.bad key',
			'articleNumbers.shippingMethods.flat_rate',
		] );
		expect( problems[ 'articleNumbers.fee' ] ).toMatch( /spaces/ );
		expect( problems[ 'articleNumbers.shippingMethods.flat_rate' ] ).toMatch( /25/ );
	} );

	it( 'refuses no statuses unless export is off, and draft statuses always', () => {
		const orders = { ...validOrders(), transferOnStatuses: [] };
		expect( validateOrderSettings( orders ).transferOnStatuses ).toBeDefined();
		expect( validateOrderSettings( { ...orders, exportMode: 'off' } ).transferOnStatuses ).toBeUndefined();
		expect( validateOrderSettings( { ...validOrders(), transferOnStatuses: [ 'checkout-draft' ] } ).transferOnStatuses ).toMatch( /checkout-draft/ );
	} );

	it( 'checks dates, countries, numbers and lengths', () => {
		const orders = validOrders();
		orders.transferOrdersCreatedFrom = '2026-02-30';
		orders.customerDefaults = { ...orders.customerDefaults, domesticCountry: 'Denmark', layoutId: 'abc' };
		orders.orderReferencePrefix = 'x'.repeat( 21 );
		orders.paymentMethods = { bacs: { paymentTermsId: 1.5, noteText: '' } };
		const problems = validateOrderSettings( orders );
		expect( Object.keys( problems ).sort() ).toEqual( [
			'customerDefaults.domesticCountry',
			'customerDefaults.layoutId',
			'orderReferencePrefix',
			'paymentMethods.bacs',
			'transferOrdersCreatedFrom',
		] );
	} );

	it( 'knows real dates', () => {
		expect( isValidDate( '2024-02-29' ) ).toBe( true );
		expect( isValidDate( '2025-02-29' ) ).toBe( false );
		expect( isValidDate( '25/11/2026' ) ).toBe( false );
		expect( articleNumberProblem( 'OK-1' ) ).toBeNull();
	} );
} );

describe( 'other forms', () => {
	it( 'stock: buffer and locations', () => {
		expect( validateStockSettings( { buffer: 0, locations: 'all' } ) ).toEqual( {} );
		expect( Object.keys( validateStockSettings( { buffer: -1, locations: [] } ) ).sort() ).toEqual( [ 'buffer', 'locations' ] );
		expect( validateStockSettings( { buffer: 2.5, locations: [ 1, 'x' ] } ).locations ).toBeDefined();
	} );

	it( 'pairing: address and code', () => {
		expect( validatePairing( { bridgeUrl: 'https://bridge.example.com:8443', code: 'ABCD-EFGH-1234' } ) ).toEqual( {} );
		expect( Object.keys( validatePairing( { bridgeUrl: 'ftp://x', code: 'short' } ) ).sort() ).toEqual( [ 'bridgeUrl', 'code' ] );
		expect( validatePairing( { bridgeUrl: 'https://x?y=1', code: '12345678' } ).bridgeUrl ).toBeDefined();
	} );

	it( 'token and alert e-mail', () => {
		expect( validateToken( 'short' ).token ).toBeDefined();
		expect( validateToken( 'x'.repeat( 40 ) ) ).toEqual( {} );
		expect( validateAlerts( { email: '' } ) ).toEqual( {} );
		expect( validateAlerts( { email: 'not an address' } ).email ).toBeDefined();
	} );

	it( "maps the bridge's field details onto the group's fields", () => {
		expect( problemsFromDetails( [ { path: 'orders.articleNumbers.fee', message: 'nope' }, { path: 'stock.buffer', message: 'x' } ], 'orders' ) ).toEqual( {
			'articleNumbers.fee': 'nope',
			'stock.buffer': 'x',
		} );
	} );
} );
