/**
 * Initial sync: a preflight report first (counts, problems per rule, CSV), then Start, with a
 * progress bar that reads the bridge's progress, so it survives a reload and resumes.
 */
import { Button, Notice } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { request, shopPath } from '../api/client';
import { ErrorNotice, formatDateTime, Loading } from '../components/feedback';
import { Section } from '../components/section';
import { useAction, useResource } from '../data/use-resource';

/**
 * Progress in the page's terms, from the bridge's answer to GET /initial-sync:
 * `{state: "never_run"}` or `{id, state: queued|running|done|failed, total, done, errors, skipped,
 * percent, eta_seconds, started_at, finished_at, message, problems[]}` (bridge/src/sync/initial/).
 */
export function readProgress( answer ) {
	const sync = answer || {};
	const total = Number( sync.total ?? 0 );
	const done = Number( sync.done ?? 0 );
	const state = sync.state || 'never_run';
	const percent = typeof sync.percent === 'number' ? Math.floor( sync.percent ) : total > 0 ? Math.min( 100, Math.floor( ( done / total ) * 100 ) ) : state === 'done' ? 100 : 0;
	return {
		state,
		total,
		done,
		errors: Number( sync.errors ?? 0 ),
		skipped: Number( sync.skipped ?? 0 ),
		percent,
		etaSeconds: sync.eta_seconds ?? null,
		startedAt: sync.started_at || null,
		finishedAt: sync.finished_at || null,
		message: sync.message || null,
		problems: Array.isArray( sync.problems ) ? sync.problems : [],
	};
}

export function formatDuration( seconds ) {
	if ( seconds === null || seconds === undefined || ! Number.isFinite( seconds ) ) {
		return '—';
	}
	if ( seconds < 60 ) {
		return sprintf( /* translators: %d: seconds */ __( '%d s', 'rackbeat-connector' ), seconds );
	}
	const minutes = Math.round( seconds / 60 );
	return sprintf( /* translators: %d: minutes */ __( '%d min', 'rackbeat-connector' ), minutes );
}

export function ProgressBar( { progress } ) {
	return (
		<div className="rbc-progress">
			<label htmlFor="rbc-sync-progress" className="rbc-progress-label">
				{ sprintf(
					/* translators: 1: items done, 2: total items, 3: percent */
					__( '%1$d of %2$d (%3$d %%)', 'rackbeat-connector' ),
					progress.done,
					progress.total,
					progress.percent
				) }
			</label>
			<progress id="rbc-sync-progress" max={ Math.max( progress.total, 1 ) } value={ progress.total ? progress.done : progress.state === 'done' ? 1 : 0 }>
				{ progress.percent } %
			</progress>
			<p className="rbc-progress-facts" aria-live="polite">
				{ sprintf( /* translators: %d: number of errors */ __( 'Errors: %d', 'rackbeat-connector' ), progress.errors ) }
				{ ' · ' }
				{ progress.state === 'running'
					? sprintf( /* translators: %s: time left */ __( 'Time left: about %s', 'rackbeat-connector' ), formatDuration( progress.etaSeconds ) )
					: progress.state === 'done'
					? __( 'Finished.', 'rackbeat-connector' )
					: progress.state === 'queued'
					? __( 'Waiting to start.', 'rackbeat-connector' )
					: progress.state === 'failed'
					? __( 'Stopped with an error.', 'rackbeat-connector' )
					: progress.state }
			</p>
		</div>
	);
}

const wait = ( ms ) => new Promise( ( resolve ) => setTimeout( resolve, ms ) );

/** The preflight runs as a job in the bridge: start it, then read it until it is no longer running. */
async function runPreflight( pollMs = 1000 ) {
	let answer = await request( shopPath( 'initial-sync/preflight' ), { method: 'POST' } );
	const id = answer.id;
	while ( answer.state === 'running' ) {
		await wait( pollMs );
		answer = await request( shopPath( `initial-sync/preflight/${ encodeURIComponent( id ) }` ) );
	}
	return { ...answer, id };
}

/** The report's counts and problems per rule, in the page's words (bridge/src/sync/initial/preflight.ts). */
export function readPreflight( report ) {
	if ( ! report || typeof report !== 'object' ) {
		return { counts: [], problems: [], examples: [] };
	}
	const sku = report.sku || {};
	const counts = [
		[ __( 'Products in the shop', 'rackbeat-connector' ), report.products ],
		[ __( 'Simple products', 'rackbeat-connector' ), report.simple_products ],
		[ __( 'Variable products', 'rackbeat-connector' ), report.variable_products ],
		[ __( 'Variations', 'rackbeat-connector' ), report.variations ],
		[ __( 'Not sent (grouped or external)', 'rackbeat-connector' ), report.not_sent ],
		[ __( 'Rackbeat products the sync would write', 'rackbeat-connector' ), report.rackbeat_products ],
		[ __( 'Already in Rackbeat', 'rackbeat-connector' ), report.in_rackbeat ],
		[ __( 'New in Rackbeat', 'rackbeat-connector' ), report.new_in_rackbeat ],
		[ __( 'With stock', 'rackbeat-connector' ), report.with_stock ],
		[ __( 'Would be skipped', 'rackbeat-connector' ), report.skipped ],
	].filter( ( [ , value ] ) => typeof value === 'number' );
	const problems = [
		[ 'sku_missing', __( 'No SKU', 'rackbeat-connector' ), sku.missing ],
		[ 'sku_too_long', sprintf( /* translators: %d: longest SKU Rackbeat accepts */ __( 'SKU longer than %d characters', 'rackbeat-connector' ), sku.max_length || 0 ), sku.too_long ],
		[ 'sku_spaces', __( 'SKU contains spaces', 'rackbeat-connector' ), sku.has_spaces ],
		[ 'sku_duplicate', __( 'SKU used by more than one product', 'rackbeat-connector' ), sku.duplicate ],
		[ 'no_product_group', __( 'No Rackbeat product group for the tax class', 'rackbeat-connector' ), report.no_product_group ],
	]
		.filter( ( [ , , count ] ) => typeof count === 'number' && count > 0 )
		.map( ( [ rule, message, count ] ) => ( { rule, message, count } ) );
	return { counts, problems, examples: Array.isArray( report.examples ) ? report.examples : [] };
}

function Preflight() {
	const run = useAction( () => runPreflight() );
	const download = useAction( async ( id ) => {
		const csv = await request( shopPath( `initial-sync/preflight/${ encodeURIComponent( id ) }.csv` ), { text: true } );
		const url = URL.createObjectURL( new Blob( [ csv ], { type: 'text/csv' } ) );
		const link = document.createElement( 'a' );
		link.href = url;
		link.download = `rackbeat-preflight-${ id }.csv`;
		document.body.appendChild( link );
		link.click();
		link.remove();
		URL.revokeObjectURL( url );
		return true;
	} );
	const answer = run.result;
	const failed = answer && answer.state === 'failed';
	const { counts, problems, examples } = readPreflight( answer && ! failed ? answer.report : null );
	return (
		<Section
			title={ __( '1. Preflight', 'rackbeat-connector' ) }
			description={ __( 'Checks every product and SKU before anything is written, and lists what would be skipped and why.', 'rackbeat-connector' ) }
		>
			<Button variant="secondary" onClick={ () => run.run() } isBusy={ run.pending } disabled={ run.pending }>
				{ run.pending ? __( 'Checking the catalogue…', 'rackbeat-connector' ) : __( 'Run preflight', 'rackbeat-connector' ) }
			</Button>
			<ErrorNotice error={ run.error } what={ __( 'the initial sync', 'rackbeat-connector' ) } />
			{ failed && (
				<Notice status="error" isDismissible={ false }>
					{ sprintf( /* translators: %s: the bridge's reason */ __( 'The preflight stopped: %s', 'rackbeat-connector' ), ( answer.report && answer.report.error ) || '' ) }
				</Notice>
			) }
			{ answer && answer.state === 'done' && (
				<div className="rbc-preflight-report">
					<table className="widefat striped rbc-facts">
						<caption>{ __( 'Counts', 'rackbeat-connector' ) }</caption>
						<tbody>
							{ counts.map( ( [ label, value ] ) => (
								<tr key={ label }>
									<th scope="row">{ label }</th>
									<td>{ String( value ) }</td>
								</tr>
							) ) }
						</tbody>
					</table>
					<table className="widefat striped rbc-table">
						<caption>{ __( 'Problems per rule', 'rackbeat-connector' ) }</caption>
						<thead>
							<tr>
								<th scope="col">{ __( 'Rule', 'rackbeat-connector' ) }</th>
								<th scope="col">{ __( 'Products', 'rackbeat-connector' ) }</th>
							</tr>
						</thead>
						<tbody>
							{ problems.length === 0 && (
								<tr>
									<td colSpan="2">{ __( 'No problems found.', 'rackbeat-connector' ) }</td>
								</tr>
							) }
							{ problems.map( ( problem ) => (
								<tr key={ problem.rule }>
									<td>{ problem.message }</td>
									<td>{ problem.count }</td>
								</tr>
							) ) }
						</tbody>
					</table>
					{ examples.length > 0 && (
						<ul className="rbc-preflight-examples">
							{ examples.slice( 0, 10 ).map( ( example ) => (
								<li key={ `${ example.woo_id }-${ example.rule }` }>
									<code>{ example.sku || `#${ example.woo_id }` }</code> { example.message }
								</li>
							) ) }
						</ul>
					) }
					<Button variant="link" onClick={ () => download.run( answer.id ) } isBusy={ download.pending }>
						{ __( 'Download the report as CSV', 'rackbeat-connector' ) }
					</Button>
					<ErrorNotice error={ download.error } />
				</div>
			) }
		</Section>
	);
}

export function InitialSyncScreen() {
	const progressResource = useResource( shopPath( 'initial-sync' ), { poll: true, pollMs: 2000 } );
	const start = useAction( () => request( shopPath( 'initial-sync' ), { method: 'POST' } ) );
	const progress = progressResource.data ? readProgress( progressResource.data ) : null;
	const running = progress && ( progress.state === 'running' || progress.state === 'queued' );
	const resumable = progress && progress.state === 'failed';

	return (
		<div className="rbc-screen rbc-initial-sync">
			<Preflight />
			<Section
				title={ __( '2. Sync', 'rackbeat-connector' ) }
				description={ __( 'Links every product by SKU and copies what the product master owns. It runs in the bridge: you can close this page and come back.', 'rackbeat-connector' ) }
			>
				{ progressResource.loading && ! progressResource.data && <Loading /> }
				<ErrorNotice error={ progressResource.error } what={ __( 'the initial sync', 'rackbeat-connector' ) } />
				{ progress && progress.state === 'never_run' && <p>{ __( 'The initial sync has not run for this shop yet.', 'rackbeat-connector' ) }</p> }
				{ progress && progress.state !== 'never_run' && <ProgressBar progress={ progress } /> }
				{ progress && progress.message && <p className="description">{ progress.message }</p> }
				{ progress && progress.problems.length > 0 && (
					<table className="widefat striped rbc-table">
						<caption>{ __( 'Skipped or failed products', 'rackbeat-connector' ) }</caption>
						<thead>
							<tr>
								<th scope="col">{ __( 'SKU', 'rackbeat-connector' ) }</th>
								<th scope="col">{ __( 'Outcome', 'rackbeat-connector' ) }</th>
								<th scope="col">{ __( 'Reason', 'rackbeat-connector' ) }</th>
							</tr>
						</thead>
						<tbody>
							{ progress.problems.map( ( problem ) => (
								<tr key={ `${ problem.woo_id }-${ problem.outcome }` }>
									<td>{ problem.sku || `#${ problem.woo_id }` }</td>
									<td>{ problem.outcome === 'error' ? __( 'Failed', 'rackbeat-connector' ) : __( 'Skipped', 'rackbeat-connector' ) }</td>
									<td>{ problem.reason }</td>
								</tr>
							) ) }
						</tbody>
					</table>
				) }
				{ progress && progress.startedAt && (
					<p className="description">
						{ sprintf( /* translators: %s: date and time */ __( 'Started %s', 'rackbeat-connector' ), formatDateTime( progress.startedAt ) ) }
					</p>
				) }
				<ErrorNotice error={ start.error } />
				{ ! progressResource.missing && (
					<Button
						variant="primary"
						disabled={ running || start.pending || ! progressResource.data }
						isBusy={ start.pending }
						onClick={ async () => ( await start.run() ) && progressResource.reload( true ) }
					>
						{ resumable ? __( 'Resume', 'rackbeat-connector' ) : progress && progress.state === 'done' ? __( 'Run again', 'rackbeat-connector' ) : __( 'Start', 'rackbeat-connector' ) }
					</Button>
				) }
			</Section>
		</div>
	);
}
