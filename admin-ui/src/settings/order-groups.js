/**
 * The orders settings, one component per group (design.md §3). Each gets the orders draft,
 * `update(patch)` and the current problems.
 */
import { Button, CheckboxControl, RadioControl, SelectControl, TextareaControl, TextControl, ToggleControl } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { fieldProps } from '../components/settings-form';
import { listFromText, numberOrNull, numberText, wooStatuses } from './fields';
import { OrderPreview } from './order-preview';

export function ExportGroup( { draft, update, problems } ) {
	const statuses = wooStatuses();
	const known = statuses.map( ( s ) => s.value );
	const extra = ( draft.transferOnStatuses || [] ).filter( ( s ) => ! known.includes( s ) ).map( ( s ) => ( { value: s, label: s } ) );
	const selected = draft.transferOnStatuses || [];
	const toggle = ( status, on ) =>
		update( { transferOnStatuses: on ? [ ...selected, status ] : selected.filter( ( s ) => s !== status ) } );
	return (
		<>
			<RadioControl
				label={ __( 'Export orders to Rackbeat', 'rackbeat-connector' ) }
				selected={ draft.exportMode }
				options={ [
					{ value: 'automatic', label: __( 'Automatically, when an order reaches one of the statuses below', 'rackbeat-connector' ) },
					{ value: 'manual', label: __( 'Only by hand ("Send to Rackbeat" on the order screen)', 'rackbeat-connector' ) },
					{ value: 'off', label: __( 'Off', 'rackbeat-connector' ) },
				] }
				onChange={ ( exportMode ) => update( { exportMode } ) }
			/>
			<fieldset className="rbc-fieldset" aria-describedby={ problems.transferOnStatuses ? 'rbc-statuses-error' : undefined }>
				<legend>{ __( 'Transfer on these statuses', 'rackbeat-connector' ) }</legend>
				{ [ ...statuses, ...extra ].map( ( status ) => (
					<CheckboxControl
						key={ status.value }
						label={ status.label }
						checked={ selected.includes( status.value ) }
						onChange={ ( on ) => toggle( status.value, on ) }
					/>
				) ) }
				{ problems.transferOnStatuses && (
					<p id="rbc-statuses-error" className="rbc-field-error">
						{ problems.transferOnStatuses }
					</p>
				) }
			</fieldset>
			<OrderPreview statuses={ selected } />
			<TextControl
				label={ __( 'Transfer orders created from', 'rackbeat-connector' ) }
				type="date"
				value={ draft.transferOrdersCreatedFrom || '' }
				onChange={ ( value ) => update( { transferOrdersCreatedFrom: value || null } ) }
				{ ...fieldProps( problems, 'transferOrdersCreatedFrom' ) }
				help={ problems.transferOrdersCreatedFrom || __( 'Older orders are never sent. Empty: no limit.', 'rackbeat-connector' ) }
			/>
			<RadioControl
				label={ __( 'Create orders in Rackbeat as', 'rackbeat-connector' ) }
				selected={ draft.rackbeatOrderState }
				options={ [
					{ value: 'booked', label: __( 'Booked', 'rackbeat-connector' ) },
					{ value: 'draft', label: __( 'Draft (a person books them in Rackbeat)', 'rackbeat-connector' ) },
				] }
				onChange={ ( rackbeatOrderState ) => update( { rackbeatOrderState } ) }
			/>
		</>
	);
}

export function CustomerGroup( { draft, update, problems } ) {
	const defaults = draft.customerDefaults || {};
	const setDefault = ( patch ) => update( { customerDefaults: { ...defaults, ...patch } } );
	return (
		<>
			<SelectControl
				label={ __( 'Find the Rackbeat customer', 'rackbeat-connector' ) }
				value={ draft.customerMatching }
				options={ [
					{ value: 'email', label: __( 'By e-mail address', 'rackbeat-connector' ) },
					{ value: 'vat', label: __( 'By VAT/CVR number', 'rackbeat-connector' ) },
					{ value: 'always_new', label: __( 'Always create a new customer', 'rackbeat-connector' ) },
				] }
				onChange={ ( customerMatching ) => update( { customerMatching } ) }
				help={ __( 'Guest orders are included.', 'rackbeat-connector' ) }
			/>
			{ [
				[ 'paymentTermsId', __( 'Default payment terms (Rackbeat number)', 'rackbeat-connector' ) ],
				[ 'customerGroupId', __( 'Customer group for new customers (Rackbeat number)', 'rackbeat-connector' ) ],
				[ 'layoutId', __( 'Layout (Rackbeat number)', 'rackbeat-connector' ) ],
			].map( ( [ field, label ] ) => (
				<TextControl
					key={ field }
					label={ label }
					inputMode="numeric"
					value={ numberText( defaults[ field ] ) }
					onChange={ ( text ) => setDefault( { [ field ]: numberOrNull( text ) } ) }
					{ ...fieldProps( problems, `customerDefaults.${ field }` ) }
				/>
			) ) }
			<TextControl
				label={ __( 'Domestic country (two letters)', 'rackbeat-connector' ) }
				value={ defaults.domesticCountry || '' }
				maxLength={ 2 }
				onChange={ ( text ) => setDefault( { domesticCountry: text.toUpperCase() } ) }
				{ ...fieldProps( problems, 'customerDefaults.domesticCountry' ) }
			/>
			<RadioControl
				label={ __( 'EU consumers without a VAT number are billed', 'rackbeat-connector' ) }
				selected={ defaults.euConsumerVatZone || 'domestic' }
				options={ [
					{ value: 'domestic', label: __( 'Like domestic customers (with VAT)', 'rackbeat-connector' ) },
					{ value: 'eu', label: __( 'In the EU VAT zone', 'rackbeat-connector' ) },
				] }
				onChange={ ( euConsumerVatZone ) => setDefault( { euConsumerVatZone } ) }
			/>
		</>
	);
}

const ARTICLE_LABELS = () => ( {
	shippingDefault: __( 'Shipping (any other method)', 'rackbeat-connector' ),
	fee: __( 'Fees', 'rackbeat-connector' ),
	paymentFee: __( 'Payment fees', 'rackbeat-connector' ),
	fixedDiscount: __( 'Fixed discounts', 'rackbeat-connector' ),
	giftCard: __( 'Gift cards', 'rackbeat-connector' ),
	rounding: __( 'Rounding', 'rackbeat-connector' ),
} );

export function ArticleNumbersGroup( { draft, update, problems } ) {
	const numbers = draft.articleNumbers || {};
	const methods = Object.entries( numbers.shippingMethods || {} );
	const setNumbers = ( patch ) => update( { articleNumbers: { ...numbers, ...patch } } );
	const setMethods = ( entries ) => setNumbers( { shippingMethods: Object.fromEntries( entries ) } );
	return (
		<>
			<table className="widefat striped rbc-table rbc-shipping-table">
				<caption>{ __( 'Shipping method → article number', 'rackbeat-connector' ) }</caption>
				<thead>
					<tr>
						<th scope="col">{ __( 'Shipping method id', 'rackbeat-connector' ) }</th>
						<th scope="col">{ __( 'Article number', 'rackbeat-connector' ) }</th>
						<th scope="col">
							<span className="screen-reader-text">{ __( 'Actions', 'rackbeat-connector' ) }</span>
						</th>
					</tr>
				</thead>
				<tbody>
					{ methods.length === 0 && (
						<tr>
							<td colSpan="3">{ __( 'No method listed: every shipping line uses the default below.', 'rackbeat-connector' ) }</td>
						</tr>
					) }
					{ methods.map( ( [ method, number ], index ) => (
						<tr key={ index }>
							<td>
								<TextControl
									label={ sprintf( /* translators: %d: row number */ __( 'Shipping method, row %d', 'rackbeat-connector' ), index + 1 ) }
									hideLabelFromVision
									value={ method }
									onChange={ ( value ) => setMethods( methods.map( ( entry, i ) => ( i === index ? [ value, entry[ 1 ] ] : entry ) ) ) }
								/>
							</td>
							<td>
								<TextControl
									label={ sprintf( /* translators: %d: row number */ __( 'Article number, row %d', 'rackbeat-connector' ), index + 1 ) }
									hideLabelFromVision
									value={ number }
									onChange={ ( value ) => setMethods( methods.map( ( entry, i ) => ( i === index ? [ entry[ 0 ], value ] : entry ) ) ) }
									{ ...fieldProps( problems, `articleNumbers.shippingMethods.${ method }` ) }
								/>
							</td>
							<td>
								<Button variant="link" isDestructive onClick={ () => setMethods( methods.filter( ( _, i ) => i !== index ) ) }>
									{ __( 'Remove', 'rackbeat-connector' ) }
								</Button>
							</td>
						</tr>
					) ) }
				</tbody>
			</table>
			<p>
				<Button variant="secondary" onClick={ () => setMethods( [ ...methods, [ '', '' ] ] ) }>
					{ __( 'Add shipping method', 'rackbeat-connector' ) }
				</Button>
			</p>
			{ Object.entries( ARTICLE_LABELS() ).map( ( [ field, label ] ) => (
				<TextControl
					key={ field }
					label={ label }
					value={ numbers[ field ] || '' }
					onChange={ ( value ) => setNumbers( { [ field ]: value } ) }
					{ ...fieldProps( problems, `articleNumbers.${ field }` ) }
				/>
			) ) }
		</>
	);
}

export function PaymentMethodsGroup( { draft, update, problems } ) {
	const entries = Object.entries( draft.paymentMethods || {} );
	const setEntries = ( next ) => update( { paymentMethods: Object.fromEntries( next ) } );
	return (
		<>
			<table className="widefat striped rbc-table">
				<caption>{ __( 'Payment method → Rackbeat payment terms and note', 'rackbeat-connector' ) }</caption>
				<thead>
					<tr>
						<th scope="col">{ __( 'Gateway id', 'rackbeat-connector' ) }</th>
						<th scope="col">{ __( 'Payment terms (Rackbeat number)', 'rackbeat-connector' ) }</th>
						<th scope="col">{ __( 'Text in the order note', 'rackbeat-connector' ) }</th>
						<th scope="col">
							<span className="screen-reader-text">{ __( 'Actions', 'rackbeat-connector' ) }</span>
						</th>
					</tr>
				</thead>
				<tbody>
					{ entries.length === 0 && (
						<tr>
							<td colSpan="4">{ __( 'None listed: orders use the default payment terms and the gateway\'s title.', 'rackbeat-connector' ) }</td>
						</tr>
					) }
					{ entries.map( ( [ gateway, entry ], index ) => {
						const setRow = ( key, value ) =>
							setEntries( entries.map( ( row, i ) => ( i === index ? ( key === null ? [ value, row[ 1 ] ] : [ row[ 0 ], { ...row[ 1 ], [ key ]: value } ] ) : row ) ) );
						return (
							<tr key={ index }>
								<td>
									<TextControl
										label={ sprintf( /* translators: %d: row number */ __( 'Gateway id, row %d', 'rackbeat-connector' ), index + 1 ) }
										hideLabelFromVision
										value={ gateway }
										onChange={ ( value ) => setRow( null, value ) }
										{ ...fieldProps( problems, `paymentMethods.${ gateway }` ) }
									/>
								</td>
								<td>
									<TextControl
										label={ sprintf( /* translators: %d: row number */ __( 'Payment terms, row %d', 'rackbeat-connector' ), index + 1 ) }
										hideLabelFromVision
										inputMode="numeric"
										value={ numberText( entry.paymentTermsId ) }
										onChange={ ( value ) => setRow( 'paymentTermsId', numberOrNull( value ) ) }
									/>
								</td>
								<td>
									<TextControl
										label={ sprintf( /* translators: %d: row number */ __( 'Note text, row %d', 'rackbeat-connector' ), index + 1 ) }
										hideLabelFromVision
										value={ entry.noteText || '' }
										onChange={ ( value ) => setRow( 'noteText', value ) }
									/>
								</td>
								<td>
									<Button variant="link" isDestructive onClick={ () => setEntries( entries.filter( ( _, i ) => i !== index ) ) }>
										{ __( 'Remove', 'rackbeat-connector' ) }
									</Button>
								</td>
							</tr>
						);
					} ) }
				</tbody>
			</table>
			<p>
				<Button variant="secondary" onClick={ () => setEntries( [ ...entries, [ '', { paymentTermsId: null, noteText: '' } ] ] ) }>
					{ __( 'Add payment method', 'rackbeat-connector' ) }
				</Button>
			</p>
		</>
	);
}

export function LinesGroup( { draft, update } ) {
	return (
		<>
			<RadioControl
				label={ __( 'Discounts', 'rackbeat-connector' ) }
				selected={ draft.discountRepresentation }
				options={ [
					{ value: 'line_percentage', label: __( 'As a percentage on each line', 'rackbeat-connector' ) },
					{ value: 'negative_lines', label: __( 'As separate negative lines', 'rackbeat-connector' ) },
				] }
				onChange={ ( discountRepresentation ) => update( { discountRepresentation } ) }
			/>
			<RadioControl
				label={ __( 'Shipping and fee lines of 0.00', 'rackbeat-connector' ) }
				selected={ draft.zeroAmountLines }
				options={ [
					{ value: 'include', label: __( 'Include them', 'rackbeat-connector' ) },
					{ value: 'skip', label: __( 'Leave them out', 'rackbeat-connector' ) },
				] }
				onChange={ ( zeroAmountLines ) => update( { zeroAmountLines } ) }
			/>
		</>
	);
}

export function ExtraFieldsGroup( { draft, update, problems } ) {
	return (
		<>
			<TextareaControl
				label={ __( 'Order meta keys copied into the order note (one per line)', 'rackbeat-connector' ) }
				value={ ( draft.extraFieldMetaKeys || [] ).join( '\n' ) }
				onChange={ ( text ) => update( { extraFieldMetaKeys: listFromText( text ) } ) }
				{ ...fieldProps( problems, 'extraFieldMetaKeys' ) }
			/>
			<ToggleControl
				label={ __( 'Put the company name on address line 1', 'rackbeat-connector' ) }
				checked={ !! draft.companyNameInAddressLine1 }
				onChange={ ( companyNameInAddressLine1 ) => update( { companyNameInAddressLine1 } ) }
			/>
		</>
	);
}

export function StatusWriteBackGroup( { draft, update, problems } ) {
	const writeBack = draft.statusWriteBack || {};
	const set = ( patch ) => update( { statusWriteBack: { ...writeBack, ...patch } } );
	const options = [ { value: '', label: __( 'Leave the order as it is', 'rackbeat-connector' ) }, ...wooStatuses() ];
	return (
		<>
			<ToggleControl
				label={ __( 'Update the WooCommerce order when Rackbeat moves it on', 'rackbeat-connector' ) }
				checked={ !! writeBack.enabled }
				onChange={ ( enabled ) => set( { enabled } ) }
			/>
			{ writeBack.enabled &&
				[
					[ 'booked', __( 'When booked in Rackbeat, set the order to', 'rackbeat-connector' ) ],
					[ 'shipped', __( 'When shipped in Rackbeat, set the order to', 'rackbeat-connector' ) ],
					[ 'invoiced', __( 'When invoiced in Rackbeat, set the order to', 'rackbeat-connector' ) ],
				].map( ( [ field, label ] ) => (
					<SelectControl
						key={ field }
						label={ label }
						value={ writeBack[ field ] || '' }
						options={ options }
						onChange={ ( value ) => set( { [ field ]: value || null } ) }
						{ ...fieldProps( problems, `statusWriteBack.${ field }` ) }
					/>
				) ) }
			{ writeBack.enabled && writeBack.shipped === 'completed' && (
				<p className="description">{ __( 'Completed makes WooCommerce e-mail the customer.', 'rackbeat-connector' ) }</p>
			) }
		</>
	);
}

export function MessagesGroup( { draft, update, problems } ) {
	return (
		<>
			<RadioControl
				label={ __( 'Order confirmation e-mail', 'rackbeat-connector' ) }
				selected={ draft.confirmationEmail }
				options={ [
					{ value: 'shop', label: __( 'Sent by the shop (WooCommerce)', 'rackbeat-connector' ) },
					{ value: 'rackbeat', label: __( 'Sent by Rackbeat when booking', 'rackbeat-connector' ) },
				] }
				onChange={ ( confirmationEmail ) => update( { confirmationEmail } ) }
			/>
			<TextControl
				label={ __( 'Order reference prefix', 'rackbeat-connector' ) }
				value={ draft.orderReferencePrefix || '' }
				onChange={ ( orderReferencePrefix ) => update( { orderReferencePrefix } ) }
				{ ...fieldProps( problems, 'orderReferencePrefix' ) }
				help={ problems.orderReferencePrefix || __( 'Put before the WooCommerce order number in Rackbeat, e.g. "WEB-" gives WEB-1042.', 'rackbeat-connector' ) }
			/>
		</>
	);
}
