import { render, screen } from '@testing-library/react';
import { ProgressBar, readProgress } from '../screens/initial-sync';
import { normaliseRecord, retryableJobs } from '../screens/activity';
import { summariseStatus } from '../screens/overview';

describe( 'initial sync progress', () => {
	it( 'computes percent and an ETA from the elapsed time', () => {
		const now = Date.parse( '2026-01-01T00:01:40Z' );
		const p = readProgress( { state: 'running', total: 400, done: 100, errors: 2, started_at: '2026-01-01T00:00:00Z' }, now );
		expect( p ).toMatchObject( { state: 'running', percent: 25, errors: 2, etaSeconds: 300 } );
	} );

	it( 'shows 100 % when done, in a native progress element', () => {
		render( <ProgressBar progress={ readProgress( { sync: { state: 'done', total: 7, done: 7, errors: 0 } } ) } /> );
		const bar = screen.getByRole( 'progressbar' );
		expect( bar.tagName ).toBe( 'PROGRESS' );
		expect( bar ).toHaveAttribute( 'value', '7' );
		expect( bar ).toHaveAttribute( 'max', '7' );
		expect( screen.getByText( '7 of 7 (100 %)' ) ).toBeTruthy();
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
