/**
 * Notices shared by every screen: loading, a failed request in words, a bridge that lacks a route.
 */
import { Notice, Spinner } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { isNotPaired, isRouteMissing } from '../api/client';

export function Loading( { label } ) {
	return (
		<p className="rbc-loading" role="status" aria-live="polite">
			<Spinner />
			{ label || __( 'Loading…', 'rackbeat-connector' ) }
		</p>
	);
}

/**
 * @param {Object} props
 * @param {any}    props.error   An ApiError (or anything thrown).
 * @param {string} [props.what]  What this screen part needs, for the "not available" wording.
 * @param {Function} [props.onRetry]
 */
export function ErrorNotice( { error, what, onRetry } ) {
	if ( ! error ) {
		return null;
	}
	const actions = onRetry ? [ { label: __( 'Try again', 'rackbeat-connector' ), onClick: () => onRetry() } ] : [];
	if ( isRouteMissing( error ) ) {
		return (
			<Notice status="info" isDismissible={ false } className="rbc-route-missing">
				{ sprintf(
					/* translators: %s: a feature such as "the order preview" */
					__( 'Your bridge does not offer %s yet. Update the bridge (or enable its feature) to use this part of the page.', 'rackbeat-connector' ),
					what || __( 'this feature', 'rackbeat-connector' )
				) }
			</Notice>
		);
	}
	if ( isNotPaired( error ) ) {
		return (
			<Notice status="warning" isDismissible={ false }>
				{ __( 'This shop is not connected to a bridge yet. Connect it on the Connection tab first.', 'rackbeat-connector' ) }
			</Notice>
		);
	}
	return (
		<Notice status="error" isDismissible={ false } actions={ actions }>
			<span role="alert">{ error.message || String( error ) }</span>
		</Notice>
	);
}

/** A short confirmation after a save or an action. */
export function SuccessNotice( { children, onRemove } ) {
	return (
		<Notice status="success" onRemove={ onRemove } isDismissible={ !! onRemove }>
			<span role="status">{ children }</span>
		</Notice>
	);
}

/** Field problems listed above the Save button, so a screen-reader user hears them all. */
export function ProblemList( { problems } ) {
	const entries = Object.entries( problems || {} );
	if ( entries.length === 0 ) {
		return null;
	}
	return (
		<Notice status="error" isDismissible={ false } className="rbc-problems">
			<p role="alert">
				{ sprintf(
					/* translators: %d: number of problems */
					__( 'Nothing was saved. Please correct %d problem(s):', 'rackbeat-connector' ),
					entries.length
				) }
			</p>
			<ul>
				{ entries.map( ( [ path, message ] ) => (
					<li key={ path }>
						<code>{ path }</code>: { message }
					</li>
				) ) }
			</ul>
		</Notice>
	);
}

/** The message under a field, tied to it with aria-describedby by the caller. */
export function FieldError( { id, message } ) {
	if ( ! message ) {
		return null;
	}
	return (
		<p id={ id } className="rbc-field-error">
			{ message }
		</p>
	);
}

export function formatDateTime( iso ) {
	if ( ! iso ) {
		return '—';
	}
	const date = new Date( iso );
	if ( Number.isNaN( date.getTime() ) ) {
		return String( iso );
	}
	return date.toLocaleString();
}
