/**
 * "Which of the last 20 orders would have been sent with these statuses?"
 * (GET /v1/shops/{shop}/orders/preview?statuses=…, through the plugin).
 */
import { Button } from '@wordpress/components';
import { __ } from '@wordpress/i18n';
import { request, shopPath } from '../api/client';
import { ErrorNotice, formatDateTime } from '../components/feedback';
import { useAction } from '../data/use-resource';

const fetchPreview = ( statuses ) => request( shopPath( 'orders/preview' ), { query: { statuses } } );

export function previewRows( answer ) {
	const list = ( answer && ( answer.orders || answer.preview || answer.records ) ) || [];
	return list.map( ( order ) => ( {
		id: order.id ?? order.order_id,
		number: order.number ?? order.id ?? order.order_id,
		status: order.status || '',
		date: order.date_created || order.created_at || null,
		wouldSend: !! ( order.would_send ?? order.wouldSend ?? order.send ?? order.qualifies ),
		reason: order.reason || '',
	} ) );
}

export function OrderPreview( { statuses } ) {
	const preview = useAction( fetchPreview );
	const rows = preview.result ? previewRows( preview.result ) : null;
	return (
		<div className="rbc-preview">
			<Button variant="secondary" onClick={ () => preview.run( statuses ) } isBusy={ preview.pending } disabled={ preview.pending }>
				{ __( 'Preview: which of the last 20 orders would be sent', 'rackbeat-connector' ) }
			</Button>
			<ErrorNotice error={ preview.error } what={ __( 'the order preview', 'rackbeat-connector' ) } />
			{ rows && (
				<table className="widefat striped rbc-table" aria-live="polite">
					<caption className="screen-reader-text">{ __( 'Order preview', 'rackbeat-connector' ) }</caption>
					<thead>
						<tr>
							<th scope="col">{ __( 'Order', 'rackbeat-connector' ) }</th>
							<th scope="col">{ __( 'Status', 'rackbeat-connector' ) }</th>
							<th scope="col">{ __( 'Created', 'rackbeat-connector' ) }</th>
							<th scope="col">{ __( 'Would be sent', 'rackbeat-connector' ) }</th>
						</tr>
					</thead>
					<tbody>
						{ rows.length === 0 && (
							<tr>
								<td colSpan="4">{ __( 'The shop has no recent orders.', 'rackbeat-connector' ) }</td>
							</tr>
						) }
						{ rows.map( ( row ) => (
							<tr key={ row.id }>
								<td>#{ row.number }</td>
								<td>{ row.status }</td>
								<td>{ formatDateTime( row.date ) }</td>
								<td>
									{ row.wouldSend ? __( 'Yes', 'rackbeat-connector' ) : __( 'No', 'rackbeat-connector' ) }
									{ row.reason && <span className="description"> — { row.reason }</span> }
								</td>
							</tr>
						) ) }
					</tbody>
				</table>
			) }
		</div>
	);
}
