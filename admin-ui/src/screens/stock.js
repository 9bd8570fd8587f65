/**
 * Stock: on/off, which figure, which locations, the buffer, and how updates arrive.
 */
import { RadioControl, TextControl, ToggleControl } from '@wordpress/components';
import { __ } from '@wordpress/i18n';
import { shopPath } from '../api/client';
import { ErrorNotice, Loading } from '../components/feedback';
import { Section } from '../components/section';
import { fieldProps, SettingsForm } from '../components/settings-form';
import { useResource } from '../data/use-resource';
import { listFromText } from '../settings/fields';
import { validateStockSettings } from '../validation/rules';

export function StockGroup( { draft, update, problems } ) {
	const all = draft.locations === 'all';
	return (
		<>
			<ToggleControl
				label={ __( 'Write Rackbeat stock to this shop', 'rackbeat-connector' ) }
				checked={ !! draft.sync }
				onChange={ ( sync ) => update( { sync } ) }
				help={ __( 'The bridge turns on "Manage stock" for every product it writes stock to.', 'rackbeat-connector' ) }
			/>
			<RadioControl
				label={ __( 'Stock figure', 'rackbeat-connector' ) }
				selected={ draft.figure }
				options={ [
					{ value: 'available', label: __( 'Available (on hand minus reserved for orders)', 'rackbeat-connector' ) },
					{ value: 'on_hand', label: __( 'On hand', 'rackbeat-connector' ) },
				] }
				onChange={ ( figure ) => update( { figure } ) }
			/>
			<RadioControl
				label={ __( 'Locations', 'rackbeat-connector' ) }
				selected={ all ? 'all' : 'chosen' }
				options={ [
					{ value: 'all', label: __( 'All locations', 'rackbeat-connector' ) },
					{ value: 'chosen', label: __( 'Only these locations', 'rackbeat-connector' ) },
				] }
				onChange={ ( choice ) => update( { locations: choice === 'all' ? 'all' : [] } ) }
			/>
			{ ! all && (
				<TextControl
					label={ __( 'Rackbeat location numbers (comma separated)', 'rackbeat-connector' ) }
					value={ ( draft.locations || [] ).join( ', ' ) }
					onChange={ ( text ) => update( { locations: listFromText( text ).map( ( n ) => ( /^\d+$/.test( n ) ? Number( n ) : n ) ) } ) }
					{ ...fieldProps( problems, 'locations' ) }
				/>
			) }
			<TextControl
				label={ __( 'Buffer (units held back in this shop)', 'rackbeat-connector' ) }
				type="number"
				min={ 0 }
				step={ 1 }
				value={ String( draft.buffer ?? 0 ) }
				onChange={ ( text ) => update( { buffer: text === '' ? 0 : Number( text ) } ) }
				{ ...fieldProps( problems, 'buffer' ) }
			/>
		</>
	);
}

function UpdateMode() {
	const status = useResource( shopPath( 'status' ) );
	if ( status.loading && ! status.data ) {
		return <Loading />;
	}
	const stock = ( status.data && status.data.stock ) || null;
	if ( ! stock || ! stock.mode ) {
		return <p>{ __( 'This bridge does not report how stock updates arrive yet.', 'rackbeat-connector' ) }</p>;
	}
	return (
		<p>
			{ stock.mode === 'webhooks'
				? __( 'Rackbeat tells the bridge about stock changes (webhooks).', 'rackbeat-connector' )
				: __( 'The bridge asks Rackbeat for stock changes on a schedule (polling).', 'rackbeat-connector' ) }{ ' ' }
			{ stock.mode_reason || stock.reason || '' }
		</p>
	);
}

export function StockScreen( { shopSettings } ) {
	if ( shopSettings.loading && ! shopSettings.settings ) {
		return <Loading />;
	}
	if ( ! shopSettings.settings ) {
		return <ErrorNotice error={ shopSettings.error } what={ __( 'shop settings', 'rackbeat-connector' ) } onRetry={ shopSettings.reload } />;
	}
	return (
		<div className="rbc-screen rbc-stock">
			<SettingsForm group="stock" value={ shopSettings.settings.stock || {} } validate={ validateStockSettings } onSave={ shopSettings.saveGroup }>
				{ ( props ) => (
					<Section title={ __( 'Stock', 'rackbeat-connector' ) }>
						<StockGroup { ...props } />
					</Section>
				) }
			</SettingsForm>
			<Section title={ __( 'How updates arrive', 'rackbeat-connector' ) }>
				<UpdateMode />
			</Section>
		</div>
	);
}
