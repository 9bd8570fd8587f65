import { render, screen } from '@testing-library/react';
import { ProgressBar, readPreflight, readProgress } from '../screens/initial-sync';
import { normaliseRecord, retryableJobs } from '../screens/activity';
import { summariseStatus } from '../screens/overview';

describe( 'initial sync progress', () => {
	it( "reads the bridge's progress answer (percent and ETA come from the bridge)", () => {
		const p = readProgress( { id: 'run-1', state: 'running', total: 400, done: 100, errors: 2, skipped: 1, percent: 25, eta_seconds: 300, started_at: '2026-01-01T00:00:00Z', finished_at: null, message: null, problems: [ { woo_id: 9, sku: 'A 1', outcome: 'skipped', reason: 'spaces' } ] } );
		expect( p ).toMatchObject( { state: 'running', percent: 25, errors: 2, skipped: 1, etaSeconds: 300 } );
		expect( p.problems ).toHaveLength( 1 );
	} );

	it( 'knows a shop that never ran it', () => {
		expect( readProgress( { state: 'never_run' } ) ).toMatchObject( { state: 'never_run', total: 0, percent: 0 } );
	} );

	it( 'shows 100 % when done, in a native progress element', () => {
		render( <ProgressBar progress={ readProgress( { state: 'done', total: 7, done: 7, errors: 0, percent: 100, eta_seconds: 0 } ) } /> );
		const bar = screen.getByRole( 'progressbar' );
		expect( bar.tagName ).toBe( 'PROGRESS' );
		expect( bar ).toHaveAttribute( 'value', '7' );
		expect( bar ).toHaveAttribute( 'max', '7' );
		expect( screen.getByText( '7 of 7 (100 %)' ) ).toBeTruthy();
	} );

	it( "turns the preflight report into counts and problems per rule", () => {
		const { counts, problems } = readPreflight( {
			products: 5, simple_products: 3, variable_products: 1, variations: 2, not_sent: 1, rackbeat_products: 5,
			sku: { missing: 1, too_long: 0, has_spaces: 2, duplicate: 0, duplicate_skus: 0, max_length: 64 },
			no_product_group: 0, skipped: 3, in_rackbeat: 1, new_in_rackbeat: 4, with_stock: 2,
			prices: { shop_enters_prices: 'incl_vat', rackbeat_gets: 'excl_vat', vat_removed: 5 }, examples: [],
		} );
		expect( counts.find( ( [ label ] ) => label === 'Products in the shop' ) ).toEqual( [ 'Products in the shop', 5 ] );
		expect( problems ).toEqual( [
			{ rule: 'sku_missing', message: 'No SKU', count: 1 },
			{ rule: 'sku_spaces', message: 'SKU contains spaces', count: 2 },
		] );
	} );
} );

describe( 'activity and status helpers', () => {
	it( 'reads the bridge records and the jobs that can be retried', () => {
		expect( normaliseRecord( { id: 3, subjectType: 'order', subjectId: '42', state: 'parked', reason: 'x', updatedAt: 't' } ) ).toMatchObject( { type: 'order', subject: '42' } );
		expect( retryableJobs( { jobs: [ { id: 1, state: 'done' }, { id: 2, state: 'parked' }, { id: 3, state: 'skipped' } ] } ).map( ( j ) => j.id ) ).toEqual( [ 2, 3 ] );
	} );

	it( 'says "not reported" (null) for what the bridge does not report', () => {
		const facts = summariseStatus( { queue: { waiting: 2, parked: 1, oldest_waiting_at: null }, errors_24h: 1, rackbeat: { token_set: true, valid: true, account_name: 'Acme' } } );
		expect( facts ).toMatchObject( { tokenValid: true, accountName: 'Acme', waiting: 2, webhooks: null, wooKeys: null, errors24h: 1 } );
	} );
} );
