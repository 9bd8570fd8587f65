/**
 * Reconciliation: orders in WooCommerce that are not in Rackbeat (Send / Send all), and stock drift
 * per SKU (Check now, Fix on a row, Fix all). The bridge's fix route corrects the SKUs it is given
 * (`{skus}`) or every drifting SKU of the shop (`{all: true}`).
 */
import { Button } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, _n, sprintf } from '@wordpress/i18n';
import { request, shopPath } from '../api/client';
import { ErrorNotice, formatDateTime, Loading, SuccessNotice } from '../components/feedback';
import { Section } from '../components/section';
import { driftReport, missingOrderRows, readAnswer, sentOrders } from '../data/bridge-answers';
import { useAction, useResource } from '../data/use-resource';

const sendOrders = async ( ids ) => sentOrders( await request( shopPath( 'reconcile/orders/send' ), { method: 'POST', data: { ids } } ) );

export function MissingOrders() {
	const orders = useResource( shopPath( 'reconcile/orders' ) );
	const send = useAction( sendOrders );
	const [ queued, setQueued ] = useState( () => new Set() );
	const { value: list, error: readError } = readAnswer( missingOrderRows, orders.data );
	const sendIds = async ( ids ) => {
		const result = await send.run( ids );
		if ( result ) {
			setQueued( ( before ) => new Set( [ ...before, ...result.queued ] ) );
		}
	};
	const waiting = list ? list.filter( ( order ) => ! queued.has( order.id ) ) : [];
	return (
		<Section title={ __( 'Orders missing in Rackbeat', 'rackbeat-connector' ) }>
			{ orders.loading && ! orders.data && <Loading /> }
			<ErrorNotice error={ orders.error || readError } what={ __( 'order reconciliation', 'rackbeat-connector' ) } onRetry={ orders.reload } />
			<ErrorNotice error={ send.error } />
			{ send.result && (
				<SuccessNotice onRemove={ send.reset }>
					{ sprintf(
						/* translators: %d: number of orders */
						_n( '%d order queued for Rackbeat; it appears on the Activity tab.', '%d orders queued for Rackbeat; they appear on the Activity tab.', send.result.queued.length, 'rackbeat-connector' ),
						send.result.queued.length
					) }
					{ send.result.notMissing.length > 0 && ' ' + __( 'Some orders were no longer missing and were not sent again.', 'rackbeat-connector' ) }
				</SuccessNotice>
			) }
			{ list && list.length === 0 && <p>{ __( 'Every order that should be in Rackbeat is there.', 'rackbeat-connector' ) }</p> }
			{ list && list.length > 0 && (
				<>
					<table className="widefat striped rbc-table rbc-missing-orders">
						<thead>
							<tr>
								<th scope="col">{ __( 'Order', 'rackbeat-connector' ) }</th>
								<th scope="col">{ __( 'Created', 'rackbeat-connector' ) }</th>
								<th scope="col">{ __( 'Status', 'rackbeat-connector' ) }</th>
								<th scope="col">{ __( 'Total', 'rackbeat-connector' ) }</th>
								<th scope="col">
									<span className="screen-reader-text">{ __( 'Actions', 'rackbeat-connector' ) }</span>
								</th>
							</tr>
						</thead>
						<tbody>
							{ list.map( ( order ) => (
								<tr key={ order.id } className="rbc-missing-order">
									<td>#{ order.number }</td>
									<td>{ formatDateTime( order.date ) }</td>
									<td>{ order.status }</td>
									<td>{ order.total && `${ order.total } ${ order.currency }` }</td>
									<td>
										{ queued.has( order.id ) ? (
											<span className="rbc-badge rbc-badge-waiting">{ __( 'Queued', 'rackbeat-connector' ) }</span>
										) : (
											<Button
												variant="secondary"
												onClick={ () => sendIds( [ order.id ] ) }
												disabled={ send.pending }
												label={ sprintf( /* translators: %s: order number */ __( 'Send order %s to Rackbeat', 'rackbeat-connector' ), order.number ) }
												showTooltip={ false }
											>
												{ __( 'Send', 'rackbeat-connector' ) }
											</Button>
										) }
									</td>
								</tr>
							) ) }
						</tbody>
					</table>
					<p>
						<Button variant="primary" onClick={ () => sendIds( waiting.map( ( o ) => o.id ) ) } isBusy={ send.pending } disabled={ send.pending || waiting.length === 0 }>
							{ __( 'Send all', 'rackbeat-connector' ) }
						</Button>{ ' ' }
						<Button variant="tertiary" onClick={ () => orders.reload() } disabled={ orders.loading }>
							{ __( 'Refresh', 'rackbeat-connector' ) }
						</Button>
					</p>
				</>
			) }
		</Section>
	);
}

function shopFigure( row ) {
	return row.shop === null ? __( 'stock not managed', 'rackbeat-connector' ) : String( row.shop );
}

function SkuList( { title, rows, explain } ) {
	if ( rows.length === 0 ) {
		return null;
	}
	return (
		<details className="rbc-sku-list">
			<summary>{ sprintf( '%s (%d)', title, rows.length ) }</summary>
			<p className="description">{ explain }</p>
			<p>
				{ rows.map( ( row, i ) => (
					<span key={ row.sku }>
						{ i > 0 && ', ' }
						<code>{ row.sku }</code>
					</span>
				) ) }
			</p>
		</details>
	);
}

export function StockDrift() {
	const stored = useResource( shopPath( 'reconcile/stock' ) );
	// A check or a fix answers with the whole list too; the newest answer is shown.
	const [ latest, setLatest ] = useState( null );
	const check = useAction( () => request( shopPath( 'reconcile/stock' ), { query: { refresh: 1 } } ) );
	const fix = useAction( () => request( shopPath( 'reconcile/stock/fix' ), { method: 'POST', data: { all: true } } ) );
	const fixOne = useAction( ( sku ) => request( shopPath( 'reconcile/stock/fix' ), { method: 'POST', data: { skus: [ sku ] } } ) );
	const fixRow = async ( sku ) => {
		check.reset();
		fix.reset();
		const answer = await fixOne.run( sku );
		if ( answer ) {
			setLatest( answer );
		}
	};
	const run = async ( action, other ) => {
		other.reset();
		const answer = await action.run();
		if ( answer ) {
			setLatest( answer );
		}
	};
	const { value: report, error: readError } = readAnswer( driftReport, latest || stored.data );
	const busy = check.pending || fix.pending || fixOne.pending;
	return (
		<Section title={ __( 'Stock drift per SKU', 'rackbeat-connector' ) }>
			{ stored.loading && ! stored.data && <Loading /> }
			<ErrorNotice error={ stored.error || readError } what={ __( 'stock reconciliation', 'rackbeat-connector' ) } onRetry={ stored.reload } />
			<ErrorNotice error={ check.error } />
			<ErrorNotice error={ fix.error || fixOne.error } />
			{ ( fix.result || fixOne.result ) && report && (
				<SuccessNotice
					onRemove={ () => {
						fix.reset();
						fixOne.reset();
					} }
				>
					{ report.drift.length === 0
						? __( 'Stock corrected: the shop now shows Rackbeat\'s figures.', 'rackbeat-connector' )
						: __( 'Corrections sent; some SKUs still differ. Check again in a moment.', 'rackbeat-connector' ) }
				</SuccessNotice>
			) }
			<p>
				{ report && report.checkedAt
					? sprintf( /* translators: %s: date and time */ __( 'Checked %s.', 'rackbeat-connector' ), formatDateTime( report.checkedAt ) )
					: __( 'The bridge compares the shop\'s stock with Rackbeat every hour. Check now to compare at once.', 'rackbeat-connector' ) }{ ' ' }
				<Button variant="secondary" onClick={ () => run( check, fix ) } isBusy={ check.pending } disabled={ busy }>
					{ __( 'Check now', 'rackbeat-connector' ) }
				</Button>
			</p>
			{ report && report.drift.length === 0 && <p className="rbc-no-drift">{ __( 'No drift: the shop\'s stock matches Rackbeat.', 'rackbeat-connector' ) }</p> }
			{ report && report.drift.length > 0 && (
				<>
					<table className="widefat striped rbc-table rbc-drift">
						<thead>
							<tr>
								<th scope="col">{ __( 'SKU', 'rackbeat-connector' ) }</th>
								<th scope="col">{ __( 'In the shop', 'rackbeat-connector' ) }</th>
								<th scope="col">{ __( 'Should be (from Rackbeat)', 'rackbeat-connector' ) }</th>
								<th scope="col">{ __( 'Found', 'rackbeat-connector' ) }</th>
								<th scope="col">{ __( 'Actions', 'rackbeat-connector' ) }</th>
							</tr>
						</thead>
						<tbody>
							{ report.drift.map( ( row ) => (
								<tr key={ row.sku } className="rbc-drift-row">
									<td>
										<code>{ row.sku }</code>
									</td>
									<td>{ shopFigure( row ) }</td>
									<td>{ row.rackbeat ?? '—' }</td>
									<td>{ formatDateTime( row.foundAt ) }</td>
									<td>
										<Button variant="secondary" onClick={ () => fixRow( row.sku ) } disabled={ busy }>
											{ sprintf( /* translators: %s: a SKU */ __( 'Fix %s', 'rackbeat-connector' ), row.sku ) }
										</Button>
									</td>
								</tr>
							) ) }
						</tbody>
					</table>
					<p>
						<Button variant="primary" onClick={ () => run( fix, check ) } isBusy={ fix.pending } disabled={ busy }>
							{ sprintf(
								/* translators: %d: number of SKUs */
								_n( 'Fix %d SKU', 'Fix all %d SKUs', report.drift.length, 'rackbeat-connector' ),
								report.drift.length
							) }
						</Button>
					</p>
				</>
			) }
			{ report && report.fixed.length > 0 && (
				<table className="widefat striped rbc-table rbc-drift-fixed">
					<caption>{ __( 'Fixed', 'rackbeat-connector' ) }</caption>
					<thead>
						<tr>
							<th scope="col">{ __( 'SKU', 'rackbeat-connector' ) }</th>
							<th scope="col">{ __( 'Was in the shop', 'rackbeat-connector' ) }</th>
							<th scope="col">{ __( 'Written', 'rackbeat-connector' ) }</th>
							<th scope="col">{ __( 'Fixed', 'rackbeat-connector' ) }</th>
						</tr>
					</thead>
					<tbody>
						{ report.fixed.slice( 0, 20 ).map( ( row ) => (
							<tr key={ row.sku } className="rbc-fixed-row">
								<td>
									<code>{ row.sku }</code>
								</td>
								<td>{ shopFigure( row ) }</td>
								<td>{ row.rackbeat ?? '—' }</td>
								<td>{ formatDateTime( row.fixedAt ) }</td>
							</tr>
						) ) }
					</tbody>
				</table>
			) }
			{ report && (
				<>
					<SkuList
						title={ __( 'In the shop, not in Rackbeat', 'rackbeat-connector' ) }
						rows={ report.unknownInRackbeat }
						explain={ __( 'The bridge cannot set stock for these SKUs: create them in Rackbeat (or fix the SKU in the shop).', 'rackbeat-connector' ) }
					/>
					<SkuList
						title={ __( 'In Rackbeat, not sold in this shop', 'rackbeat-connector' ) }
						rows={ report.notInShop }
						explain={ __( 'Rackbeat items with no product of that SKU in this shop. Nothing to fix unless the shop should sell them.', 'rackbeat-connector' ) }
					/>
				</>
			) }
		</Section>
	);
}

export function ReconciliationScreen() {
	return (
		<div className="rbc-screen rbc-reconciliation">
			<MissingOrders />
			<StockDrift />
		</div>
	);
}
