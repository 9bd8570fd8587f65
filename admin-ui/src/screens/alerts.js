/**
 * Alerts: the daily digest of problems, by e-mail (stored by the plugin: PUT /alerts).
 */
import { Button, TextControl, ToggleControl } from '@wordpress/components';
import { useEffect, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';
import { request } from '../api/client';
import { ErrorNotice, Loading, ProblemList, SuccessNotice } from '../components/feedback';
import { Section } from '../components/section';
import { fieldProps } from '../components/settings-form';
import { useConnection } from '../data/connection';
import { useAction } from '../data/use-resource';
import { validateAlerts } from '../validation/rules';

export function AlertsForm( { alerts, adminEmail, onSaved } ) {
	const [ draft, setDraft ] = useState( alerts );
	const [ problems, setProblems ] = useState( {} );
	const save = useAction( ( data ) => request( '/alerts', { method: 'PUT', data } ) );
	useEffect( () => setDraft( alerts ), [ alerts ] );
	const submit = async ( event ) => {
		event.preventDefault();
		const found = validateAlerts( draft );
		setProblems( found );
		if ( Object.keys( found ).length ) {
			return;
		}
		const result = await save.run( { enabled: !! draft.enabled, email: ( draft.email || '' ).trim() } );
		if ( result && onSaved ) {
			onSaved( result );
		}
	};
	return (
		<form onSubmit={ submit } noValidate>
			<ToggleControl
				label={ __( 'E-mail a daily digest when something needs attention', 'rackbeat-connector' ) }
				checked={ !! draft.enabled }
				onChange={ ( enabled ) => setDraft( { ...draft, enabled } ) }
			/>
			<TextControl
				label={ __( 'Send the digest to', 'rackbeat-connector' ) }
				type="email"
				value={ draft.email || '' }
				placeholder={ adminEmail || '' }
				onChange={ ( email ) => setDraft( { ...draft, email } ) }
				{ ...fieldProps( problems, 'email' ) }
				help={ problems.email || __( 'Empty: the site\'s admin address.', 'rackbeat-connector' ) }
			/>
			<ProblemList problems={ problems } />
			<ErrorNotice error={ save.error } />
			{ save.result && <SuccessNotice>{ __( 'Alert settings saved.', 'rackbeat-connector' ) }</SuccessNotice> }
			<Button variant="primary" type="submit" isBusy={ save.pending } disabled={ save.pending }>
				{ __( 'Save changes', 'rackbeat-connector' ) }
			</Button>
		</form>
	);
}

export function AlertsScreen() {
	const connection = useConnection();
	if ( ! connection.data ) {
		return connection.error ? <ErrorNotice error={ connection.error } /> : <Loading />;
	}
	const settings = window.rackbeatConnector || {};
	return (
		<div className="rbc-screen rbc-alerts">
			<Section title={ __( 'Alerts', 'rackbeat-connector' ) }>
				<AlertsForm alerts={ connection.data.alerts || { enabled: true, email: '' } } adminEmail={ settings.adminEmail } onSaved={ () => connection.reload( true ) } />
			</Section>
		</div>
	);
}
