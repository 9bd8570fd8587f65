/**
 * Reconciliation: orders in WooCommerce that are not in Rackbeat (Send), stock drift per SKU
 * (Fix / Fix all).
 */
import { Button } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { request, shopPath } from '../api/client';
import { ErrorNotice, formatDateTime, Loading, SuccessNotice } from '../components/feedback';
import { Section } from '../components/section';
import { useAction, useResource } from '../data/use-resource';

function MissingOrders() {
	const orders = useResource( shopPath( 'reconcile/orders' ) );
	const send = useAction( ( ids ) => request( shopPath( 'reconcile/orders/send' ), { method: 'POST', data: { order_ids: ids } } ) );
	const list = ( orders.data && orders.data.orders ) || [];
	const sendIds = async ( ids ) => ( await send.run( ids ) ) && orders.reload( true );
	return (
		<Section title={ __( 'Orders missing in Rackbeat', 'rackbeat-connector' ) }>
			{ orders.loading && ! orders.data && <Loading /> }
			<ErrorNotice error={ orders.error } what={ __( 'order reconciliation', 'rackbeat-connector' ) } onRetry={ orders.reload } />
			<ErrorNotice error={ send.error } />
			{ send.result && <SuccessNotice onRemove={ send.reset }>{ __( 'Queued for sending.', 'rackbeat-connector' ) }</SuccessNotice> }
			{ orders.data && list.length === 0 && <p>{ __( 'Every order that should be in Rackbeat is there.', 'rackbeat-connector' ) }</p> }
			{ list.length > 0 && (
				<>
					<table className="widefat striped rbc-table">
						<thead>
							<tr>
								<th scope="col">{ __( 'Order', 'rackbeat-connector' ) }</th>
								<th scope="col">{ __( 'Created', 'rackbeat-connector' ) }</th>
								<th scope="col">{ __( 'Status', 'rackbeat-connector' ) }</th>
								<th scope="col">
									<span className="screen-reader-text">{ __( 'Actions', 'rackbeat-connector' ) }</span>
								</th>
							</tr>
						</thead>
						<tbody>
							{ list.map( ( order ) => (
								<tr key={ order.id }>
									<td>#{ order.number || order.id }</td>
									<td>{ formatDateTime( order.date_created || order.created_at ) }</td>
									<td>{ order.status }</td>
									<td>
										<Button variant="secondary" onClick={ () => sendIds( [ order.id ] ) } disabled={ send.pending }>
											{ __( 'Send', 'rackbeat-connector' ) }
										</Button>
									</td>
								</tr>
							) ) }
						</tbody>
					</table>
					<p>
						<Button variant="primary" onClick={ () => sendIds( list.map( ( o ) => o.id ) ) } isBusy={ send.pending } disabled={ send.pending }>
							{ __( 'Send all', 'rackbeat-connector' ) }
						</Button>
					</p>
				</>
			) }
		</Section>
	);
}

function StockDrift() {
	const drift = useResource( shopPath( 'reconcile/stock' ) );
	const fix = useAction( ( skus ) => request( shopPath( 'reconcile/stock/fix' ), { method: 'POST', data: skus ? { skus } : { all: true } } ) );
	const list = ( drift.data && ( drift.data.drift || drift.data.items ) ) || [];
	const run = async ( skus ) => ( await fix.run( skus ) ) && drift.reload( true );
	return (
		<Section title={ __( 'Stock drift per SKU', 'rackbeat-connector' ) }>
			{ drift.loading && ! drift.data && <Loading /> }
			<ErrorNotice error={ drift.error } what={ __( 'stock reconciliation', 'rackbeat-connector' ) } onRetry={ drift.reload } />
			<ErrorNotice error={ fix.error } />
			{ fix.result && <SuccessNotice onRemove={ fix.reset }>{ __( 'Stock corrections queued.', 'rackbeat-connector' ) }</SuccessNotice> }
			{ drift.data && list.length === 0 && <p>{ __( 'The shop\'s stock matches Rackbeat.', 'rackbeat-connector' ) }</p> }
			{ list.length > 0 && (
				<>
					<table className="widefat striped rbc-table">
						<thead>
							<tr>
								<th scope="col">{ __( 'SKU', 'rackbeat-connector' ) }</th>
								<th scope="col">{ __( 'In the shop', 'rackbeat-connector' ) }</th>
								<th scope="col">{ __( 'Should be (from Rackbeat)', 'rackbeat-connector' ) }</th>
								<th scope="col">
									<span className="screen-reader-text">{ __( 'Actions', 'rackbeat-connector' ) }</span>
								</th>
							</tr>
						</thead>
						<tbody>
							{ list.map( ( row ) => (
								<tr key={ row.sku }>
									<td>
										<code>{ row.sku }</code>
									</td>
									<td>{ row.woo ?? row.shop ?? row.woocommerce }</td>
									<td>{ row.expected ?? row.rackbeat }</td>
									<td>
										<Button variant="secondary" onClick={ () => run( [ row.sku ] ) } disabled={ fix.pending }>
											{ __( 'Fix', 'rackbeat-connector' ) }
										</Button>
									</td>
								</tr>
							) ) }
						</tbody>
					</table>
					<p>
						<Button variant="primary" onClick={ () => run( null ) } isBusy={ fix.pending } disabled={ fix.pending }>
							{ sprintf( /* translators: %d: number of SKUs */ __( 'Fix all (%d)', 'rackbeat-connector' ), list.length ) }
						</Button>
					</p>
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
