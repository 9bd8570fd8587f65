/**
 * "Which of the last 20 orders would have been sent with these statuses?"
 * (GET /v1/shops/{shop}/orders/preview?statuses=…, through the plugin).
 */
import { Button } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { request, shopPath } from '../api/client';
import { ErrorNotice, formatDateTime } from '../components/feedback';
import { previewAnswer } from '../data/bridge-answers';
import { useAction } from '../data/use-resource';

const fetchPreview = async ( statuses ) => previewAnswer( await request( shopPath( 'orders/preview' ), { query: { statuses } } ) );

export function OrderPreview( { statuses } ) {
	const preview = useAction( fetchPreview );
	const rows = preview.result ? preview.result.rows : null;
	const exportMode = preview.result ? preview.result.exportMode : '';
	return (
		<div className="rbc-preview">
			<Button variant="secondary" onClick={ () => preview.run( statuses ) } isBusy={ preview.pending } disabled={ preview.pending }>
				{ __( 'Preview: which of the last 20 orders would be sent', 'rackbeat-connector' ) }
			</Button>
			<ErrorNotice error={ preview.error } what={ __( 'the order preview', 'rackbeat-connector' ) } />
			{ rows && exportMode !== '' && exportMode !== 'automatic' && (
				<p className="description">
					{ exportMode === 'off'
						? __( 'Order export is off: nothing is sent now. The preview shows what would be sent if export were automatic.', 'rackbeat-connector' )
						: __( 'Order export is manual: nothing is sent by itself. The preview shows what would be sent if export were automatic.', 'rackbeat-connector' ) }
				</p>
			) }
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
									{ row.rackbeatOrderNumber !== null && (
										<span className="description">
											{ ' ' }
											{ sprintf(
												/* translators: %s: Rackbeat order number */
												__( '(Rackbeat order %s)', 'rackbeat-connector' ),
												String( row.rackbeatOrderNumber )
											) }
										</span>
									) }
								</td>
							</tr>
						) ) }
					</tbody>
				</table>
			) }
		</div>
	);
}
