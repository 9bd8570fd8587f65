/**
 * The page: one tab per screen. The open tab is kept in the address (#tab=…), so a reload or a
 * link opens the same screen.
 */
import { Notice, TabPanel } from '@wordpress/components';
import { useEffect, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';
import { ConnectionContext, isConnected, useConnectionResource, useShopSettings } from './data/connection';
import { ActivityScreen } from './screens/activity';
import { AlertsScreen } from './screens/alerts';
import { ConnectionScreen } from './screens/connection';
import { InitialSyncScreen } from './screens/initial-sync';
import { OrdersScreen } from './screens/orders';
import { OverviewScreen } from './screens/overview';
import { ProductsScreen } from './screens/products';
import { ReconciliationScreen } from './screens/reconciliation';
import { ShopsScreen } from './screens/shops';
import { StockScreen } from './screens/stock';

export function tabs() {
	return [
		{ name: 'overview', title: __( 'Overview', 'rackbeat-connector' ) },
		{ name: 'connection', title: __( 'Connection', 'rackbeat-connector' ) },
		{ name: 'orders', title: __( 'Orders', 'rackbeat-connector' ), needsPairing: true },
		{ name: 'products', title: __( 'Products', 'rackbeat-connector' ), needsPairing: true },
		{ name: 'stock', title: __( 'Stock', 'rackbeat-connector' ), needsPairing: true },
		{ name: 'alerts', title: __( 'Alerts', 'rackbeat-connector' ) },
		{ name: 'shops', title: __( 'Shops', 'rackbeat-connector' ), needsPairing: true },
		{ name: 'initial-sync', title: __( 'Initial sync', 'rackbeat-connector' ), needsPairing: true },
		{ name: 'activity', title: __( 'Activity', 'rackbeat-connector' ), needsPairing: true },
		{ name: 'reconciliation', title: __( 'Reconciliation', 'rackbeat-connector' ), needsPairing: true },
	];
}

function tabFromHash() {
	const match = /(?:^#|&)tab=([a-z-]+)/.exec( window.location.hash || '' );
	return match ? match[ 1 ] : 'overview';
}

function Screen( { name, shopSettings } ) {
	switch ( name ) {
		case 'connection':
			return <ConnectionScreen />;
		case 'orders':
			return <OrdersScreen shopSettings={ shopSettings } />;
		case 'products':
			return <ProductsScreen shopSettings={ shopSettings } />;
		case 'stock':
			return <StockScreen shopSettings={ shopSettings } />;
		case 'alerts':
			return <AlertsScreen />;
		case 'shops':
			return <ShopsScreen shopSettings={ shopSettings } />;
		case 'initial-sync':
			return <InitialSyncScreen />;
		case 'activity':
			return <ActivityScreen />;
		case 'reconciliation':
			return <ReconciliationScreen />;
		default:
			return <OverviewScreen />;
	}
}

export function App() {
	const connection = useConnectionResource();
	const connected = isConnected( connection );
	const shopSettings = useShopSettings( connected );
	const [ key, setKey ] = useState( tabFromHash );

	useEffect( () => {
		const onHash = () => {
			// TabPanel keeps its own state; a changed hash (back button, a link) remounts it.
			setKey( tabFromHash() );
		};
		window.addEventListener( 'hashchange', onHash );
		return () => window.removeEventListener( 'hashchange', onHash );
	}, [] );

	return (
		<ConnectionContext.Provider value={ connection }>
			<div className="rbc-app">
				<h1 className="wp-heading-inline rbc-title">{ __( 'Rackbeat Connector', 'rackbeat-connector' ) }</h1>
				{ connection.data && ! connected && (
					<Notice status="warning" isDismissible={ false }>
						{ __( 'This shop is not connected to a bridge yet. Open the Connection tab to pair it.', 'rackbeat-connector' ) }
					</Notice>
				) }
				<TabPanel
					key={ key }
					className="rbc-tabs"
					activeClass="is-active"
					initialTabName={ key }
					onSelect={ ( name ) => {
						if ( tabFromHash() !== name ) {
							window.history.replaceState( null, '', `#tab=${ name }` );
						}
					} }
					tabs={ tabs().map( ( tab ) => ( { name: tab.name, title: tab.title, className: `rbc-tab-${ tab.name }` } ) ) }
				>
					{ ( tab ) =>
						tabs().find( ( t ) => t.name === tab.name ).needsPairing && connection.data && ! connected ? (
							<Notice status="info" isDismissible={ false }>
								{ __( 'Connect the shop to a bridge first (Connection tab).', 'rackbeat-connector' ) }
							</Notice>
						) : (
							<Screen name={ tab.name } shopSettings={ shopSettings } />
						)
					}
				</TabPanel>
			</div>
		</ConnectionContext.Provider>
	);
}
