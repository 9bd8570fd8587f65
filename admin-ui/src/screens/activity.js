/**
 * Activity: every order, product and stock record with its state, a per-record timeline, filters,
 * and Retry / Retry all (protocol.md §5 activity and jobs routes).
 */
import { Button, SelectControl } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import { request, shopPath } from '../api/client';
import { ErrorNotice, formatDateTime, Loading, SuccessNotice } from '../components/feedback';
import { Section } from '../components/section';
import { useAction, useResource } from '../data/use-resource';

export function stateLabel( state ) {
	const labels = {
		waiting: __( 'Waiting', 'rackbeat-connector' ),
		running: __( 'Running', 'rackbeat-connector' ),
		done: __( 'Done', 'rackbeat-connector' ),
		parked: __( 'Parked', 'rackbeat-connector' ),
		skipped: __( 'Skipped', 'rackbeat-connector' ),
		flagged: __( 'Needs attention', 'rackbeat-connector' ),
	};
	return labels[ state ] || state;
}

function subjectLabel( type ) {
	const labels = {
		order: __( 'Order', 'rackbeat-connector' ),
		product: __( 'Product', 'rackbeat-connector' ),
		stock: __( 'Stock', 'rackbeat-connector' ),
		shop: __( 'Shop', 'rackbeat-connector' ),
	};
	return labels[ type ] || type;
}

/** Records in the bridge's camelCase, tolerant of snake_case. */
export function normaliseRecord( record ) {
	return {
		id: record.id,
		type: record.subjectType ?? record.subject_type,
		subject: record.subjectId ?? record.subject_id,
		state: record.state,
		reason: record.reason,
		summary: record.summary,
		updatedAt: record.updatedAt ?? record.updated_at,
	};
}

export function retryableJobs( detail ) {
	return ( ( detail && detail.jobs ) || [] ).filter( ( job ) => job.state === 'parked' || job.state === 'skipped' );
}

function Timeline( { recordId, onRetried } ) {
	const detail = useResource( shopPath( `activity/${ recordId }` ) );
	const retry = useAction( async ( jobs ) => {
		for ( const job of jobs ) {
			await request( shopPath( `jobs/${ job.id }/retry` ), { method: 'POST' } );
		}
		return jobs.length;
	} );
	if ( detail.loading && ! detail.data ) {
		return <Loading />;
	}
	if ( detail.error ) {
		return <ErrorNotice error={ detail.error } what={ __( 'the record timeline', 'rackbeat-connector' ) } />;
	}
	const steps = detail.data.steps || [];
	const jobs = retryableJobs( detail.data );
	return (
		<div className="rbc-timeline">
			<ol className="rbc-steps">
				{ steps.length === 0 && <li>{ __( 'No steps recorded yet.', 'rackbeat-connector' ) }</li> }
				{ steps.map( ( step ) => (
					<li key={ step.id } className={ `rbc-step rbc-step-${ step.outcome }` }>
						<time dateTime={ step.at }>{ formatDateTime( step.at ) }</time> <strong>{ step.action }</strong> — { step.outcome }
						{ step.detail && typeof step.detail === 'object' && step.detail.message && <span className="description"> ({ step.detail.message })</span> }
						{ step.detail && typeof step.detail === 'string' && <span className="description"> ({ step.detail })</span> }
					</li>
				) ) }
			</ol>
			{ ( detail.data.jobs || [] )
				.filter( ( job ) => job.last_error )
				.map( ( job ) => (
					<p key={ job.id } className="rbc-job-error">
						{ sprintf(
							/* translators: 1: job id, 2: attempts, 3: error */
							__( 'Job %1$d after %2$d attempt(s): %3$s', 'rackbeat-connector' ),
							job.id,
							job.attempts,
							job.last_error
						) }
					</p>
				) ) }
			<ErrorNotice error={ retry.error } />
			{ jobs.length > 0 && (
				<Button
					variant="primary"
					isBusy={ retry.pending }
					disabled={ retry.pending }
					onClick={ async () => {
						if ( await retry.run( jobs ) ) {
							detail.reload( true );
							onRetried();
						}
					} }
				>
					{ __( 'Retry', 'rackbeat-connector' ) }
				</Button>
			) }
			{ retry.result > 0 && <SuccessNotice>{ __( 'Queued again.', 'rackbeat-connector' ) }</SuccessNotice> }
		</div>
	);
}

export function ActivityScreen() {
	const [ state, setState ] = useState( '' );
	const [ type, setType ] = useState( '' );
	const [ open, setOpen ] = useState( null );
	const list = useResource( shopPath( 'activity' ), { query: { state, type, limit: 50 }, poll: true, pollMs: 5000 } );
	const retryAll = useAction( () => request( shopPath( 'jobs/retry-parked' ), { method: 'POST' } ) );
	const records = ( ( list.data && list.data.records ) || [] ).map( normaliseRecord );

	return (
		<div className="rbc-screen rbc-activity">
			<Section title={ __( 'Activity', 'rackbeat-connector' ) }>
				<div className="rbc-filters">
					<SelectControl
						label={ __( 'State', 'rackbeat-connector' ) }
						value={ state }
						options={ [
							{ value: '', label: __( 'All states', 'rackbeat-connector' ) },
							...[ 'waiting', 'done', 'parked', 'skipped', 'flagged' ].map( ( value ) => ( { value, label: stateLabel( value ) } ) ),
						] }
						onChange={ setState }
					/>
					<SelectControl
						label={ __( 'Type', 'rackbeat-connector' ) }
						value={ type }
						options={ [
							{ value: '', label: __( 'All types', 'rackbeat-connector' ) },
							...[ 'order', 'product', 'stock', 'shop' ].map( ( value ) => ( { value, label: subjectLabel( value ) } ) ),
						] }
						onChange={ setType }
					/>
					<Button variant="secondary" onClick={ () => list.reload() }>
						{ __( 'Refresh', 'rackbeat-connector' ) }
					</Button>
					<Button
						variant="primary"
						isBusy={ retryAll.pending }
						disabled={ retryAll.pending }
						onClick={ async () => ( await retryAll.run() ) && list.reload( true ) }
					>
						{ __( 'Retry all parked', 'rackbeat-connector' ) }
					</Button>
				</div>
				<ErrorNotice error={ retryAll.error } />
				{ retryAll.result && (
					<SuccessNotice onRemove={ retryAll.reset }>
						{ sprintf(
							/* translators: %d: number of jobs */
							__( '%d parked job(s) queued again.', 'rackbeat-connector' ),
							retryAll.result.retried ?? 0
						) }
					</SuccessNotice>
				) }
				{ list.loading && ! list.data && <Loading /> }
				<ErrorNotice error={ list.error } what={ __( 'the activity log', 'rackbeat-connector' ) } onRetry={ list.reload } />
				{ list.data && (
					<table className="widefat striped rbc-table rbc-activity-table">
						<caption className="screen-reader-text">{ __( 'Activity records, newest first', 'rackbeat-connector' ) }</caption>
						<thead>
							<tr>
								<th scope="col">{ __( 'What', 'rackbeat-connector' ) }</th>
								<th scope="col">{ __( 'State', 'rackbeat-connector' ) }</th>
								<th scope="col">{ __( 'Why', 'rackbeat-connector' ) }</th>
								<th scope="col">{ __( 'Updated', 'rackbeat-connector' ) }</th>
								<th scope="col">
									<span className="screen-reader-text">{ __( 'Timeline', 'rackbeat-connector' ) }</span>
								</th>
							</tr>
						</thead>
						<tbody>
							{ records.length === 0 && (
								<tr>
									<td colSpan="5">{ __( 'Nothing here yet.', 'rackbeat-connector' ) }</td>
								</tr>
							) }
							{ records.map( ( record ) => (
								<RecordRow key={ record.id } record={ record } open={ open === record.id } onToggle={ () => setOpen( open === record.id ? null : record.id ) } onRetried={ () => list.reload( true ) } />
							) ) }
						</tbody>
					</table>
				) }
			</Section>
		</div>
	);
}

function RecordRow( { record, open, onToggle, onRetried } ) {
	const panelId = `rbc-record-${ record.id }`;
	return (
		<>
			<tr className={ `rbc-record rbc-state-${ record.state }` } data-record={ record.id }>
				<td>
					{ subjectLabel( record.type ) } <strong>{ record.subject }</strong>
				</td>
				<td>
					<span className={ `rbc-badge rbc-badge-${ record.state }` }>{ stateLabel( record.state ) }</span>
				</td>
				<td>{ record.reason || '—' }</td>
				<td>{ formatDateTime( record.updatedAt ) }</td>
				<td>
					<Button variant="link" aria-expanded={ open } aria-controls={ panelId } onClick={ onToggle }>
						{ open ? __( 'Hide timeline', 'rackbeat-connector' ) : __( 'Show timeline', 'rackbeat-connector' ) }
					</Button>
				</td>
			</tr>
			{ open && (
				<tr id={ panelId } className="rbc-record-detail">
					<td colSpan="5">
						<Timeline recordId={ record.id } onRetried={ onRetried } />
					</td>
				</tr>
			) }
		</>
	);
}

