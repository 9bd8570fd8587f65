/**
 * Shops on this Rackbeat account: role, last contact, and which one is the product master.
 */
import { __ } from '@wordpress/i18n';
import { accountPath } from '../api/client';
import { ErrorNotice, formatDateTime, Loading } from '../components/feedback';
import { Section } from '../components/section';
import { useConnection } from '../data/connection';
import { useResource } from '../data/use-resource';

export function ShopsScreen() {
	const connection = useConnection();
	const shops = useResource( accountPath( 'shops' ) );
	const ownId = connection.data && connection.data.connection.shop_id;
	const list = ( shops.data && ( shops.data.shops || shops.data ) ) || [];
	return (
		<div className="rbc-screen rbc-shops">
			<Section title={ __( 'Shops on this Rackbeat account', 'rackbeat-connector' ) }>
				{ shops.loading && ! shops.data && <Loading /> }
				<ErrorNotice error={ shops.error } what={ __( 'the list of shops', 'rackbeat-connector' ) } onRetry={ shops.reload } />
				{ shops.data && (
					<table className="widefat striped rbc-table">
						<thead>
							<tr>
								<th scope="col">{ __( 'Shop', 'rackbeat-connector' ) }</th>
								<th scope="col">{ __( 'Address', 'rackbeat-connector' ) }</th>
								<th scope="col">{ __( 'Role', 'rackbeat-connector' ) }</th>
								<th scope="col">{ __( 'Last contact', 'rackbeat-connector' ) }</th>
							</tr>
						</thead>
						<tbody>
							{ Array.isArray( list ) &&
								list.map( ( shop ) => (
									<tr key={ shop.id }>
										<td>
											{ shop.name } { shop.id === ownId && <em>({ __( 'this shop', 'rackbeat-connector' ) })</em> }
										</td>
										<td>{ shop.url }</td>
										<td>
											{ shop.product_master || shop.role === 'master' || shop.role === 'product_master'
												? __( 'Product master', 'rackbeat-connector' )
												: __( 'Receives stock', 'rackbeat-connector' ) }
										</td>
										<td>{ formatDateTime( shop.last_contact_at || shop.lastContactAt ) }</td>
									</tr>
								) ) }
						</tbody>
					</table>
				) }
			</Section>
		</div>
	);
}
