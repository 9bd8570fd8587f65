/**
 * A settings screen for one group of the shop's settings: keeps a draft, validates it locally,
 * saves through the bridge, and shows the bridge's refusal in words next to the fields.
 */
import { Button } from '@wordpress/components';
import { useEffect, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';
import { problemsFromDetails } from '../validation/rules';
import { ErrorNotice, ProblemList, SuccessNotice } from './feedback';

/**
 * @param {Object}   props
 * @param {string}   props.group     "orders" | "products" | "stock"
 * @param {Object}   props.value     Saved value of the group.
 * @param {Function} props.validate  draft → problems
 * @param {Function} props.onSave    (group, draft) → Promise
 * @param {Function} [props.beforeSave] draft → Promise<problems> (extra checks such as Rackbeat article numbers)
 * @param {Function} props.children  ({draft, update, problems}) → fields
 */
export function SettingsForm( { group, value, validate, onSave, beforeSave, children } ) {
	const [ draft, setDraft ] = useState( value );
	const [ problems, setProblems ] = useState( {} );
	const [ saving, setSaving ] = useState( false );
	const [ error, setError ] = useState( null );
	const [ saved, setSaved ] = useState( false );

	useEffect( () => setDraft( value ), [ value ] );

	const update = ( patch ) => {
		setSaved( false );
		setDraft( ( current ) => ( typeof patch === 'function' ? patch( current ) : { ...current, ...patch } ) );
	};

	const submit = async ( event ) => {
		event.preventDefault();
		setSaved( false );
		setError( null );
		let found = validate( draft );
		if ( Object.keys( found ).length === 0 && beforeSave ) {
			setSaving( true );
			found = await beforeSave( draft );
			setSaving( false );
		}
		setProblems( found );
		if ( Object.keys( found ).length > 0 ) {
			return;
		}
		setSaving( true );
		try {
			await onSave( group, draft );
			setSaved( true );
		} catch ( failure ) {
			setError( failure );
			setProblems( problemsFromDetails( failure && failure.details, group ) );
		}
		setSaving( false );
	};

	return (
		<form className={ `rbc-settings rbc-settings-${ group }` } onSubmit={ submit } noValidate>
			{ children( { draft, update, problems } ) }
			<ProblemList problems={ problems } />
			<ErrorNotice error={ error } />
			{ saved && <SuccessNotice>{ __( 'Settings saved in the bridge.', 'rackbeat-connector' ) }</SuccessNotice> }
			<p className="submit">
				<Button variant="primary" type="submit" isBusy={ saving } disabled={ saving }>
					{ saving ? __( 'Saving…', 'rackbeat-connector' ) : __( 'Save changes', 'rackbeat-connector' ) }
				</Button>
			</p>
		</form>
	);
}

/** Props that tie a control to its problem message for screen readers. */
export function fieldProps( problems, path ) {
	const message = problems[ path ];
	if ( ! message ) {
		return {};
	}
	return { help: message, className: 'rbc-has-error', 'aria-invalid': true };
}
