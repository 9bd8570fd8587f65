/**
 * Initial sync: a preflight report first (counts, problems per rule, CSV), then Start, with a
 * progress bar that reads the bridge's progress, so it survives a reload and resumes.
 */
import { Button } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { request, shopPath } from '../api/client';
import { ErrorNotice, formatDateTime, Loading } from '../components/feedback';
import { Section } from '../components/section';
import { useAction, useResource } from '../data/use-resource';

/** Progress in the page's terms, from the bridge's answer. */
export function readProgress( answer, now = Date.now() ) {
	const sync = ( answer && ( answer.sync || answer.progress || answer ) ) || {};
	const total = Number( sync.total ?? 0 );
	const done = Number( sync.done ?? sync.processed ?? 0 );
	const errors = Number( sync.errors ?? sync.failed ?? 0 );
	const state = sync.state || sync.status || ( total > 0 && done >= total ? 'done' : 'idle' );
	let etaSeconds = sync.eta_seconds ?? sync.eta_s ?? null;
	const startedAt = sync.started_at || sync.startedAt || null;
	if ( etaSeconds === null && state === 'running' && startedAt && done > 0 && total > done ) {
		const elapsed = ( now - new Date( startedAt ).getTime() ) / 1000;
		etaSeconds = Math.round( ( elapsed / done ) * ( total - done ) );
	}
	const percent = total > 0 ? Math.min( 100, Math.floor( ( done / total ) * 100 ) ) : state === 'done' ? 100 : 0;
	return { state, total, done, errors, percent, etaSeconds, startedAt, finishedAt: sync.finished_at || null };
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
					: progress.state }
			</p>
		</div>
	);
}

function Preflight( { onReport } ) {
	const run = useAction( () => request( shopPath( 'initial-sync/preflight' ), { method: 'POST' } ) );
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
	const report = run.result && ( run.result.report || run.result );
	const problems = ( report && ( report.problems || report.rules ) ) || [];
	const counts = ( report && report.counts ) || {};
	return (
		<Section
			title={ __( '1. Preflight', 'rackbeat-connector' ) }
			description={ __( 'Checks every product and SKU before anything is written, and lists what would be skipped and why.', 'rackbeat-connector' ) }
		>
			<Button variant="secondary" onClick={ async () => onReport( await run.run() ) } isBusy={ run.pending } disabled={ run.pending }>
				{ __( 'Run preflight', 'rackbeat-connector' ) }
			</Button>
			<ErrorNotice error={ run.error } what={ __( 'the initial sync', 'rackbeat-connector' ) } />
			{ report && (
				<div className="rbc-preflight-report">
					<table className="widefat striped rbc-facts">
						<caption>{ __( 'Counts', 'rackbeat-connector' ) }</caption>
						<tbody>
							{ Object.entries( counts ).map( ( [ key, value ] ) => (
								<tr key={ key }>
									<th scope="row">{ key.replace( /_/g, ' ' ) }</th>
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
							{ problems.map( ( problem, index ) => (
								<tr key={ problem.rule || index }>
									<td>{ problem.message || problem.rule }</td>
									<td>{ problem.count ?? ( problem.items || [] ).length }</td>
								</tr>
							) ) }
						</tbody>
					</table>
					{ report.id && (
						<Button variant="link" onClick={ () => download.run( report.id ) } isBusy={ download.pending }>
							{ __( 'Download the report as CSV', 'rackbeat-connector' ) }
						</Button>
					) }
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
	const running = progress && progress.state === 'running';
	const resumable = progress && ( progress.state === 'paused' || progress.state === 'interrupted' || progress.state === 'failed' );

	return (
		<div className="rbc-screen rbc-initial-sync">
			<Preflight onReport={ () => undefined } />
			<Section
				title={ __( '2. Sync', 'rackbeat-connector' ) }
				description={ __( 'Links every product by SKU and copies what the product master owns. It runs in the bridge: you can close this page and come back.', 'rackbeat-connector' ) }
			>
				{ progressResource.loading && ! progressResource.data && <Loading /> }
				<ErrorNotice error={ progressResource.error } what={ __( 'the initial sync', 'rackbeat-connector' ) } />
				{ progress && progress.state !== 'idle' && <ProgressBar progress={ progress } /> }
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
