/**
 * Connection: pair with the bridge (protocol.md §1), disconnect, the Rackbeat API token
 * (write-only), "Test connection", and the staging-clone notice.
 */
import { Button, Notice, TextControl } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import { accountPath, request, shopPath } from '../api/client';
import { ErrorNotice, formatDateTime, Loading, ProblemList, SuccessNotice } from '../components/feedback';
import { Section } from '../components/section';
import { fieldProps } from '../components/settings-form';
import { isConnected, useConnection } from '../data/connection';
import { useAction, useResource } from '../data/use-resource';
import { validatePairing, validateToken } from '../validation/rules';

export function PairingForm( { onPaired } ) {
	const [ bridgeUrl, setBridgeUrl ] = useState( '' );
	const [ code, setCode ] = useState( '' );
	const [ problems, setProblems ] = useState( {} );
	const pair = useAction( ( data ) => request( '/pair', { method: 'POST', data } ) );

	const submit = async ( event ) => {
		event.preventDefault();
		const found = validatePairing( { bridgeUrl, code } );
		setProblems( found );
		if ( Object.keys( found ).length > 0 ) {
			return;
		}
		const result = await pair.run( { bridge_url: bridgeUrl.trim(), code: code.trim() } );
		if ( result ) {
			onPaired( result );
		}
	};

	return (
		<form onSubmit={ submit } noValidate className="rbc-pairing">
			<p>
				{ __( 'On the bridge host, run "rackbeat-bridge pair". It prints a one-time pairing code, valid for 30 minutes. Enter the bridge\'s address and that code here.', 'rackbeat-connector' ) }
			</p>
			<TextControl
				label={ __( 'Bridge address', 'rackbeat-connector' ) }
				type="url"
				value={ bridgeUrl }
				onChange={ setBridgeUrl }
				placeholder="https://bridge.example.com"
				autoComplete="url"
				{ ...fieldProps( problems, 'bridgeUrl' ) }
			/>
			<TextControl
				label={ __( 'Pairing code', 'rackbeat-connector' ) }
				value={ code }
				onChange={ setCode }
				autoComplete="off"
				spellCheck={ false }
				{ ...fieldProps( problems, 'code' ) }
			/>
			<ProblemList problems={ problems } />
			<ErrorNotice error={ pair.error } />
			<Button variant="primary" type="submit" isBusy={ pair.pending } disabled={ pair.pending }>
				{ pair.pending ? __( 'Connecting…', 'rackbeat-connector' ) : __( 'Connect', 'rackbeat-connector' ) }
			</Button>
		</form>
	);
}

function PairedFacts( { connection, onDisconnected } ) {
	const [ confirming, setConfirming ] = useState( false );
	const disconnect = useAction( () => request( '/disconnect', { method: 'POST' } ) );
	const facts = connection.connection;
	return (
		<div className="rbc-paired">
			<table className="widefat striped rbc-facts">
				<tbody>
					<tr>
						<th scope="row">{ __( 'State', 'rackbeat-connector' ) }</th>
						<td>
							<strong className="rbc-connected">{ __( 'Connected', 'rackbeat-connector' ) }</strong>
						</td>
					</tr>
					<tr>
						<th scope="row">{ __( 'Bridge address', 'rackbeat-connector' ) }</th>
						<td>
							<code>{ facts.bridge_url }</code>
						</td>
					</tr>
					<tr>
						<th scope="row">{ __( 'Shop id in the bridge', 'rackbeat-connector' ) }</th>
						<td>
							<code>{ facts.shop_id }</code>
						</td>
					</tr>
					<tr>
						<th scope="row">{ __( 'Paired', 'rackbeat-connector' ) }</th>
						<td>{ formatDateTime( facts.paired_at ) }</td>
					</tr>
					<tr>
						<th scope="row">{ __( 'Bridge version', 'rackbeat-connector' ) }</th>
						<td>{ facts.bridge_version || '—' }</td>
					</tr>
				</tbody>
			</table>
			<ErrorNotice error={ disconnect.error } />
			{ ! confirming && (
				<p>
					<Button variant="secondary" isDestructive onClick={ () => setConfirming( true ) }>
						{ __( 'Disconnect', 'rackbeat-connector' ) }
					</Button>
				</p>
			) }
			{ confirming && (
				<Notice status="warning" isDismissible={ false }>
					<p>{ __( 'Disconnect this shop? The bridge forgets its keys and nothing more is sent to Rackbeat until you pair again.', 'rackbeat-connector' ) }</p>
					<Button
						variant="primary"
						isDestructive
						isBusy={ disconnect.pending }
						onClick={ async () => {
							const result = await disconnect.run();
							if ( result ) {
								setConfirming( false );
								onDisconnected( result );
							}
						} }
					>
						{ __( 'Yes, disconnect', 'rackbeat-connector' ) }
					</Button>{ ' ' }
					<Button variant="tertiary" onClick={ () => setConfirming( false ) }>
						{ __( 'Cancel', 'rackbeat-connector' ) }
					</Button>
				</Notice>
			) }
		</div>
	);
}

export function TokenForm( { rackbeat, onChanged } ) {
	const [ token, setToken ] = useState( '' );
	const [ problems, setProblems ] = useState( {} );
	const save = useAction( ( value ) => request( accountPath( 'rackbeat-token' ), { method: 'PUT', data: { token: value } } ) );
	const test = useAction( () => request( accountPath( 'test' ), { method: 'POST' } ) );
	const tokenSet = !! ( rackbeat && rackbeat.token_set ) || !! save.result;

	const submit = async ( event ) => {
		event.preventDefault();
		const found = validateToken( token );
		setProblems( found );
		if ( Object.keys( found ).length > 0 ) {
			return;
		}
		const result = await save.run( token.trim() );
		if ( result ) {
			setToken( '' );
			onChanged();
		}
	};

	const verdict = test.result || save.result;
	return (
		<form onSubmit={ submit } noValidate className="rbc-token">
			<p className="rbc-token-state">
				{ tokenSet ? (
					<>
						{ __( 'Saved token:', 'rackbeat-connector' ) } <code aria-label={ __( 'hidden', 'rackbeat-connector' ) }>••••••••••••</code>
					</>
				) : (
					__( 'No Rackbeat API token is saved yet.', 'rackbeat-connector' )
				) }
			</p>
			<TextControl
				label={ tokenSet ? __( 'Replace the Rackbeat API token', 'rackbeat-connector' ) : __( 'Rackbeat API token', 'rackbeat-connector' ) }
				type="password"
				value={ token }
				onChange={ setToken }
				autoComplete="new-password"
				help={ problems.token || __( 'The token is stored in the bridge only and never shown again.', 'rackbeat-connector' ) }
				className={ problems.token ? 'rbc-has-error' : '' }
				aria-invalid={ !! problems.token }
			/>
			<ErrorNotice error={ save.error || test.error } />
			{ verdict && <TokenVerdict verdict={ verdict } /> }
			<p>
				<Button variant="primary" type="submit" isBusy={ save.pending } disabled={ save.pending }>
					{ __( 'Save token', 'rackbeat-connector' ) }
				</Button>{ ' ' }
				<Button variant="secondary" onClick={ () => test.run() } isBusy={ test.pending } disabled={ test.pending || ! tokenSet }>
					{ __( 'Test connection', 'rackbeat-connector' ) }
				</Button>
			</p>
		</form>
	);
}

export function TokenVerdict( { verdict } ) {
	if ( verdict.valid ) {
		return (
			<SuccessNotice>
				{ verdict.account_name
					? sprintf(
							/* translators: %s: the Rackbeat account's company name */
							__( 'Rackbeat accepted the token: account "%s".', 'rackbeat-connector' ),
							verdict.account_name
					  )
					: __( 'Rackbeat accepted the token.', 'rackbeat-connector' ) }
			</SuccessNotice>
		);
	}
	return (
		<Notice status="error" isDismissible={ false }>
			<span role="alert">
				{ __( 'The connection to Rackbeat does not work:', 'rackbeat-connector' ) } { verdict.reason || '' }
			</span>
		</Notice>
	);
}

function StagingNotice( { staging, onConfirmed } ) {
	const confirm = useAction( () => request( '/staging/confirm', { method: 'POST' } ) );
	if ( ! staging || ! staging.paused ) {
		return null;
	}
	return (
		<Notice status="warning" isDismissible={ false } className="rbc-staging">
			<p>
				<strong>{ __( 'This looks like a copy of the shop (staging or a local clone).', 'rackbeat-connector' ) }</strong>{ ' ' }
				{ sprintf(
					/* translators: 1: this site's address, 2: the address that was paired */
					__( 'This site is at %1$s but was paired at %2$s, so nothing is sent to Rackbeat from here.', 'rackbeat-connector' ),
					staging.site_url,
					staging.paired_site_url
				) }
			</p>
			<ErrorNotice error={ confirm.error } />
			<Button
				variant="secondary"
				isBusy={ confirm.pending }
				onClick={ async () => ( await confirm.run() ) && onConfirmed() }
			>
				{ __( 'This is the same shop: resume delivery', 'rackbeat-connector' ) }
			</Button>
		</Notice>
	);
}

export function ConnectionScreen() {
	const connection = useConnection();
	const connected = isConnected( connection );
	const status = useResource( connected ? shopPath( 'status' ) : null );
	if ( connection.loading && ! connection.data ) {
		return <Loading />;
	}
	if ( connection.error ) {
		return <ErrorNotice error={ connection.error } onRetry={ connection.reload } />;
	}
	const data = connection.data;
	return (
		<div className="rbc-screen rbc-connection">
			<StagingNotice staging={ data.staging } onConfirmed={ connection.reload } />
			<Section title={ __( 'Bridge', 'rackbeat-connector' ) }>
				{ connected ? (
					<PairedFacts connection={ data } onDisconnected={ connection.reload } />
				) : (
					<PairingForm onPaired={ connection.reload } />
				) }
			</Section>
			{ connected && (
				<Section
					title={ __( 'Rackbeat API token', 'rackbeat-connector' ) }
					description={ __( 'One token for the whole Rackbeat account. The bridge uses it for every shop paired with it.', 'rackbeat-connector' ) }
				>
					{ status.loading && ! status.data ? (
						<Loading />
					) : (
						<>
							<ErrorNotice error={ status.error } what={ __( 'the status report', 'rackbeat-connector' ) } />
							<TokenForm rackbeat={ status.data && status.data.rackbeat } onChanged={ () => status.reload( true ) } />
						</>
					) }
				</Section>
			) }
		</div>
	);
}
