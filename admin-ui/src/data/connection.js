/**
 * The plugin's own facts (GET /connection) and the shop's settings in the bridge
 * (GET/PUT /bridge/shop/settings), shared by the screens through React context.
 */
import { createContext, useCallback, useContext } from '@wordpress/element';
import { request, shopPath } from '../api/client';
import { useResource } from './use-resource';

export const ConnectionContext = createContext( null );

export function useConnectionResource() {
	return useResource( '/connection' );
}

/** @return {{data: any, error: any, loading: boolean, reload: Function}} */
export function useConnection() {
	return useContext( ConnectionContext );
}

export function isConnected( connection ) {
	return !! ( connection && connection.data && connection.data.connection && connection.data.connection.connected );
}

/**
 * The shop's whole settings document; `saveGroup(name, value)` PUTs it with one group replaced
 * and resolves to the bridge's saved copy.
 */
export function useShopSettings( enabled = true ) {
	const resource = useResource( enabled ? shopPath( 'settings' ) : null );
	const { data, setData } = resource;
	const saveGroup = useCallback(
		async ( group, value ) => {
			const current = ( data && data.settings ) || {};
			const saved = await request( shopPath( 'settings' ), { method: 'PUT', data: { ...current, [ group ]: value } } );
			setData( saved );
			return saved;
		},
		[ data, setData ]
	);
	return { ...resource, settings: data && data.settings ? data.settings : null, saveGroup };
}
