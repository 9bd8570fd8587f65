/**
 * Data loading, kept apart from display: a screen asks for a resource and gets its state.
 */
import { useCallback, useEffect, useRef, useState } from '@wordpress/element';
import { isRouteMissing, request } from '../api/client';

/**
 * @param {string|null} path      Plugin REST path, or null to load nothing yet.
 * @param {Object}      [options]
 * @param {Object}      [options.query]
 * @param {number}      [options.pollMs]  Reload every pollMs while `poll` is true.
 * @param {boolean}     [options.poll]
 * @return {{data: any, error: any, loading: boolean, missing: boolean, reload: Function, setData: Function}}
 */
export function useResource( path, { query, pollMs = 0, poll = false } = {} ) {
	const [ state, setState ] = useState( { data: null, error: null, loading: !! path } );
	const queryKey = JSON.stringify( query || {} );
	const mounted = useRef( true );
	useEffect( () => () => ( mounted.current = false ), [] );

	const load = useCallback(
		( quiet = false ) => {
			if ( ! path ) {
				return Promise.resolve();
			}
			if ( ! quiet ) {
				setState( ( s ) => ( { ...s, loading: true } ) );
			}
			return request( path, { query: JSON.parse( queryKey ) } ).then(
				( data ) => mounted.current && setState( { data, error: null, loading: false } ),
				( error ) => mounted.current && setState( { data: null, error, loading: false } )
			);
		},
		[ path, queryKey ]
	);

	useEffect( () => {
		load();
	}, [ load ] );

	useEffect( () => {
		if ( ! poll || ! pollMs ) {
			return undefined;
		}
		const timer = setInterval( () => load( true ), pollMs );
		return () => clearInterval( timer );
	}, [ poll, pollMs, load ] );

	const setData = useCallback( ( data ) => setState( { data, error: null, loading: false } ), [] );

	return {
		data: state.data,
		error: state.error,
		loading: state.loading,
		missing: isRouteMissing( state.error ),
		reload: load,
		setData,
	};
}

/**
 * An action (save, retry, start): its pending flag, its error and its last result.
 *
 * @param {Function} fn async function doing the request.
 */
export function useAction( fn ) {
	const [ state, setState ] = useState( { pending: false, error: null, result: null } );
	const run = useCallback(
		async ( ...args ) => {
			setState( { pending: true, error: null, result: null } );
			try {
				const result = await fn( ...args );
				setState( { pending: false, error: null, result } );
				return result;
			} catch ( error ) {
				setState( { pending: false, error, result: null } );
				return undefined;
			}
		},
		[ fn ]
	);
	const reset = useCallback( () => setState( { pending: false, error: null, result: null } ), [] );
	return { ...state, run, reset };
}
