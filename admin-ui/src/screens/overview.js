/**
 * Overview: is everything connected, how much is waiting, what happened last, what went wrong.
 */
import { Button } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { shopPath } from '../api/client';
import { ErrorNotice, formatDateTime, Loading } from '../components/feedback';
import { Section } from '../components/section';
import { isConnected, useConnection } from '../data/connection';
import { useResource } from '../data/use-resource';

/** A check: true (good), false (bad) or null (the bridge does not report it). */
export function Check( { ok, label, detail } ) {
	let verdict = __( 'Not reported by this bridge', 'rackbeat-connector' );
	let className = 'rbc-check-unknown';
	if ( ok === true ) {
		verdict = __( 'OK', 'rackbeat-connector' );
		className = 'rbc-check-ok';
	} else if ( ok === false ) {
		verdict = __( 'Problem', 'rackbeat-connector' );
		className = 'rbc-check-bad';
	}
	return (
		<tr className={ className }>
			<th scope="row">{ label }</th>
			<td>
				<span className={ `rbc-badge ${ className }` }>{ verdict }</span>
				{ detail && <span className="description"> { detail }</span> }
			</td>
		</tr>
	);
}

/** Pulls the facts the page shows out of the status document, whichever features report them. */
export function summariseStatus( status ) {
	const rackbeat = status.rackbeat || {};
	const stock = status.stock || {};
	const orders = status.orders || {};
	const woo = status.woocommerce || status.shop_keys || {};
	const pick = ( ...values ) => values.find( ( v ) => v !== undefined && v !== null );
	return {
		tokenValid: rackbeat.valid === undefined ? null : rackbeat.valid,
		accountName: rackbeat.account_name || null,
		tokenReason: rackbeat.reason || null,
		webhooks: pick( stock.webhooks_registered, stock.webhooks && stock.webhooks.registered, status.webhooks && status.webhooks.registered ) ?? null,
		wooKeys: pick( woo.keys_valid, woo.valid, status.woocommerce_keys_valid ) ?? null,
		waiting: status.queue ? status.queue.waiting : null,
		parked: status.queue ? status.queue.parked : null,
		oldestWaitingAt: status.queue ? status.queue.oldest_waiting_at : null,
		lastOrderAt: pick( orders.last_transferred_at, orders.last_order_at, status.last_order_at ) ?? null,
		lastStockAt: pick( stock.last_update_at, stock.last_stock_update_at, status.last_stock_update_at ) ?? null,
		errors24h: status.errors_24h ?? null,
	};
}

export function OverviewScreen() {
	const connection = useConnection();
	const connected = isConnected( connection );
	const status = useResource( connected ? shopPath( 'status' ) : null, { poll: true, pollMs: 15000 } );
	const errors = useResource( connected ? shopPath( 'activity' ) : null, { query: { state: 'parked', limit: 10 } } );
	if ( ! connection.data ) {
		return connection.error ? <ErrorNotice error={ connection.error } onRetry={ connection.reload } /> : <Loading />;
	}
	const local = connection.data;
	const facts = status.data ? summariseStatus( status.data ) : null;
	const openActivity = () => {
		window.location.hash = 'tab=activity';
	};
	return (
		<div className="rbc-screen rbc-overview">
			<Section title={ __( 'Connection state', 'rackbeat-connector' ) }>
				<table className="widefat striped rbc-facts">
					<tbody>
						<Check
							ok={ connected ? ( status.error ? false : status.data ? true : null ) : false }
							label={ __( 'Bridge reachable', 'rackbeat-connector' ) }
							detail={ ! connected ? __( 'Not connected yet.', 'rackbeat-connector' ) : status.error ? status.error.message : local.connection.bridge_url }
						/>
						<Check
							ok={ facts ? facts.tokenValid : null }
							label={ __( 'Rackbeat API token', 'rackbeat-connector' ) }
							detail={ facts && ( facts.accountName || facts.tokenReason ) }
						/>
						<Check ok={ facts ? facts.webhooks : null } label={ __( 'Rackbeat webhooks registered', 'rackbeat-connector' ) } />
						<Check ok={ facts ? facts.wooKeys : null } label={ __( 'WooCommerce REST keys', 'rackbeat-connector' ) } />
						<Check
							ok={ local.staging && local.staging.paused ? false : connected ? true : null }
							label={ __( 'Delivery from this site', 'rackbeat-connector' ) }
							detail={ local.staging && local.staging.paused ? __( 'Paused: this looks like a copy of the shop.', 'rackbeat-connector' ) : '' }
						/>
					</tbody>
				</table>
				{ status.loading && ! status.data && connected && <Loading /> }
			</Section>
			<Section title={ __( 'Queue', 'rackbeat-connector' ) }>
				<table className="widefat striped rbc-facts">
					<tbody>
						<tr>
							<th scope="row">{ __( 'Waiting in the shop (not yet at the bridge)', 'rackbeat-connector' ) }</th>
							<td>{ local.backlog ? local.backlog.pending : '—' }</td>
						</tr>
						<tr>
							<th scope="row">{ __( 'Waiting in the bridge', 'rackbeat-connector' ) }</th>
							<td>{ facts && facts.waiting !== null ? facts.waiting : '—' }</td>
						</tr>
						<tr>
							<th scope="row">{ __( 'Oldest waiting item', 'rackbeat-connector' ) }</th>
							<td>{ formatDateTime( ( facts && facts.oldestWaitingAt ) || ( local.backlog && local.backlog.oldest_at ) ) }</td>
						</tr>
						<tr>
							<th scope="row">{ __( 'Last order transferred', 'rackbeat-connector' ) }</th>
							<td>{ formatDateTime( facts && facts.lastOrderAt ) }</td>
						</tr>
						<tr>
							<th scope="row">{ __( 'Last stock update', 'rackbeat-connector' ) }</th>
							<td>{ formatDateTime( facts && facts.lastStockAt ) }</td>
						</tr>
					</tbody>
				</table>
			</Section>
			{ connected && (
				<Section title={ __( 'Errors in the last 24 hours', 'rackbeat-connector' ) }>
					<p>
						{ facts && facts.errors24h !== null
							? sprintf(
									/* translators: %d: number of records */
									__( '%d record(s) parked in the last 24 hours.', 'rackbeat-connector' ),
									facts.errors24h
							  )
							: '—' }
					</p>
					<ErrorNotice error={ errors.error } what={ __( 'the activity log', 'rackbeat-connector' ) } />
					<ul className="rbc-error-list">
						{ ( ( errors.data && errors.data.records ) || [] ).map( ( record ) => (
							<li key={ record.id }>
								<Button variant="link" onClick={ openActivity }>
									{ `${ record.subjectType ?? record.subject_type } ${ record.subjectId ?? record.subject_id }` }
								</Button>
								{ record.reason ? ` — ${ record.reason }` : '' }
							</li>
						) ) }
					</ul>
				</Section>
			) }
		</div>
	);
}
