/**
 * Shops on this Rackbeat account: role, last contact, stock, and which one is the product master
 * (GET /v1/account/shops reports each shop's `product_master`; for this shop, its settings as loaded
 * on the page are shown).
 */
import { __, sprintf } from '@wordpress/i18n';
import { accountPath } from '../api/client';
import { ErrorNotice, formatDateTime, Loading } from '../components/feedback';
import { Section } from '../components/section';
import { readAnswer, shopRows } from '../data/bridge-answers';
import { useConnection } from '../data/connection';
import { useResource } from '../data/use-resource';

function roleLabel( role ) {
	if ( role === 'shop' ) {
		return __( 'Shop', 'rackbeat-connector' );
	}
	return role || '—';
}

function stockLabel( stock ) {
	if ( ! stock ) {
		return __( 'No stock settings yet', 'rackbeat-connector' );
	}
	if ( ! stock.sync ) {
		return __( 'Stock sync off', 'rackbeat-connector' );
	}
	const figure = stock.figure === 'on_hand' ? __( 'on hand', 'rackbeat-connector' ) : __( 'available', 'rackbeat-connector' );
	return sprintf(
		/* translators: 1: "available" or "on hand", 2: units held back */
		__( 'Receives stock (%1$s, buffer %2$d)', 'rackbeat-connector' ),
		figure,
		stock.buffer
	);
}

function productMasterNote( master ) {
	if ( master === 'woo_to_rackbeat' ) {
		return __( 'Product master (WooCommerce → Rackbeat)', 'rackbeat-connector' );
	}
	if ( master === 'rackbeat_to_woo' ) {
		return __( 'Follows Rackbeat\'s products', 'rackbeat-connector' );
	}
	if ( master === 'off' ) {
		return __( 'Products not synced', 'rackbeat-connector' );
	}
	return null;
}

/**
 * @param {Object} props
 * @param {Object} [props.shopSettings] This shop's settings resource (useShopSettings).
 */
export function ShopsScreen( { shopSettings } ) {
	const connection = useConnection();
	const shops = useResource( accountPath( 'shops' ) );
	const ownId = connection && connection.data && connection.data.connection ? connection.data.connection.shop_id : null;
	const { value: rows, error: readError } = readAnswer( shopRows, shops.data );
	const ownMaster = shopSettings && shopSettings.settings && shopSettings.settings.products ? shopSettings.settings.products.master : null;
	return (
		<div className="rbc-screen rbc-shops">
			<Section title={ __( 'Shops on this Rackbeat account', 'rackbeat-connector' ) }>
				{ shops.loading && ! shops.data && <Loading /> }
				<ErrorNotice error={ shops.error || readError } what={ __( 'the list of shops', 'rackbeat-connector' ) } onRetry={ shops.reload } />
				{ rows && rows.length === 0 && <p>{ __( 'No shops are paired with this bridge.', 'rackbeat-connector' ) }</p> }
				{ rows && rows.length > 0 && (
					<table className="widefat striped rbc-table rbc-shops-table">
						<thead>
							<tr>
								<th scope="col">{ __( 'Shop', 'rackbeat-connector' ) }</th>
								<th scope="col">{ __( 'Address', 'rackbeat-connector' ) }</th>
								<th scope="col">{ __( 'Role', 'rackbeat-connector' ) }</th>
								<th scope="col">{ __( 'Stock', 'rackbeat-connector' ) }</th>
								<th scope="col">{ __( 'Last contact', 'rackbeat-connector' ) }</th>
							</tr>
						</thead>
						<tbody>
							{ rows.map( ( shop ) => {
								const own = shop.id === ownId;
								// The bridge says which shop masters products; this shop's own unsaved view wins for itself.
								const note = productMasterNote( own && ownMaster ? ownMaster : shop.productMaster );
								return (
									<tr key={ shop.id } className={ own ? 'rbc-own-shop' : undefined }>
										<td>
											{ shop.name } { own && <em>({ __( 'this shop', 'rackbeat-connector' ) })</em> }
											{ ! shop.connected && (
												<>
													{ ' ' }
													<span className="rbc-badge rbc-badge-parked">{ __( 'Disconnected', 'rackbeat-connector' ) }</span>
												</>
											) }
										</td>
										<td>{ shop.url }</td>
										<td>
											<span className="rbc-role">{ roleLabel( shop.role ) }</span>
											{ note && (
												<>
													<br />
													<span className="description">{ note }</span>
												</>
											) }
										</td>
										<td>{ stockLabel( shop.stock ) }</td>
										<td>{ shop.lastContactAt ? formatDateTime( shop.lastContactAt ) : __( 'Never', 'rackbeat-connector' ) }</td>
									</tr>
								);
							} ) }
						</tbody>
					</table>
				) }
			</Section>
		</div>
	);
}
