/**
 * Products: which system is the product master, which fields follow it, and what never syncs.
 */
import { CheckboxControl, RadioControl, TextControl } from '@wordpress/components';
import { __ } from '@wordpress/i18n';
import { ErrorNotice, Loading } from '../components/feedback';
import { Section } from '../components/section';
import { fieldProps, SettingsForm } from '../components/settings-form';
import { numberOrNull, numberText } from '../settings/fields';
import { validateProductSettings } from '../validation/rules';

function fieldLabels() {
	return {
		sku: __( 'SKU (Rackbeat number)', 'rackbeat-connector' ),
		name: __( 'Name', 'rackbeat-connector' ),
		description: __( 'Description', 'rackbeat-connector' ),
		salesPrice: __( 'Sales price', 'rackbeat-connector' ),
		costPrice: __( 'Cost price', 'rackbeat-connector' ),
		weight: __( 'Weight', 'rackbeat-connector' ),
		ean: __( 'EAN / barcode', 'rackbeat-connector' ),
	};
}

export function MasterGroup( { draft, update } ) {
	const owner =
		draft.master === 'rackbeat_to_woo'
			? __( 'Rackbeat', 'rackbeat-connector' )
			: draft.master === 'woo_to_rackbeat'
			? __( 'WooCommerce', 'rackbeat-connector' )
			: null;
	return (
		<>
			<RadioControl
				label={ __( 'Product master', 'rackbeat-connector' ) }
				selected={ draft.master }
				options={ [
					{ value: 'rackbeat_to_woo', label: __( 'Rackbeat → WooCommerce: products are created and edited in Rackbeat; the shop follows.', 'rackbeat-connector' ) },
					{ value: 'woo_to_rackbeat', label: __( 'WooCommerce → Rackbeat: products are created and edited in the shop; Rackbeat follows.', 'rackbeat-connector' ) },
					{ value: 'off', label: __( 'Off: products are not synced (stock can still be).', 'rackbeat-connector' ) },
				] }
				onChange={ ( master ) => update( { master } ) }
			/>
			<p className="description">
				{ __( 'Never synced, in either direction: categories, tags, images, minimum stock, supplier item numbers, dimensions, units, custom fields and price lists.', 'rackbeat-connector' ) }
			</p>
			<table className="widefat striped rbc-table rbc-ownership">
				<caption>{ __( 'Which system owns each field', 'rackbeat-connector' ) }</caption>
				<thead>
					<tr>
						<th scope="col">{ __( 'Field', 'rackbeat-connector' ) }</th>
						<th scope="col">{ __( 'Synced', 'rackbeat-connector' ) }</th>
						<th scope="col">{ __( 'Owner', 'rackbeat-connector' ) }</th>
					</tr>
				</thead>
				<tbody>
					{ Object.entries( fieldLabels() ).map( ( [ field, label ] ) => {
						const on = !! ( draft.fields || {} )[ field ];
						return (
							<tr key={ field }>
								<td>
									<CheckboxControl
										label={ label }
										checked={ on }
										onChange={ ( checked ) => update( { fields: { ...draft.fields, [ field ]: checked } } ) }
									/>
								</td>
								<td>{ on && owner ? __( 'Yes', 'rackbeat-connector' ) : __( 'No', 'rackbeat-connector' ) }</td>
								<td>{ on && owner ? owner : __( 'Each system keeps its own', 'rackbeat-connector' ) }</td>
							</tr>
						);
					} ) }
				</tbody>
			</table>
		</>
	);
}

export function NewProductsGroup( { draft, update } ) {
	return (
		<>
			<RadioControl
				label={ __( 'New products from Rackbeat are created as', 'rackbeat-connector' ) }
				selected={ draft.newProductsFromRackbeat }
				options={ [
					{ value: 'draft', label: __( 'Drafts', 'rackbeat-connector' ) },
					{ value: 'publish', label: __( 'Published', 'rackbeat-connector' ) },
				] }
				onChange={ ( newProductsFromRackbeat ) => update( { newProductsFromRackbeat } ) }
			/>
			<RadioControl
				label={ __( 'A product barred in Rackbeat becomes', 'rackbeat-connector' ) }
				selected={ draft.barredInRackbeat }
				options={ [
					{ value: 'private', label: __( 'Private (not purchasable)', 'rackbeat-connector' ) },
					{ value: 'draft', label: __( 'Draft', 'rackbeat-connector' ) },
				] }
				onChange={ ( barredInRackbeat ) => update( { barredInRackbeat } ) }
				help={ __( 'Products are never deleted.', 'rackbeat-connector' ) }
			/>
		</>
	);
}

export function ProductGroupsGroup( { draft, update, problems } ) {
	const groups = draft.productGroups || { byTaxClass: {}, default: null };
	const classes = Object.keys( groups.byTaxClass || {} );
	if ( ! classes.includes( '' ) ) {
		classes.unshift( '' );
	}
	const set = ( taxClass, text ) => {
		const byTaxClass = { ...groups.byTaxClass };
		const value = numberOrNull( text );
		if ( value === null ) {
			delete byTaxClass[ taxClass ];
		} else {
			byTaxClass[ taxClass ] = value;
		}
		update( { productGroups: { ...groups, byTaxClass } } );
	};
	return (
		<>
			{ classes.map( ( taxClass ) => (
				<TextControl
					key={ taxClass || 'standard' }
					label={ taxClass === '' ? __( 'Product group for the standard tax class', 'rackbeat-connector' ) : `${ __( 'Product group for tax class', 'rackbeat-connector' ) } "${ taxClass }"` }
					inputMode="numeric"
					value={ numberText( ( groups.byTaxClass || {} )[ taxClass ] ) }
					onChange={ ( text ) => set( taxClass, text ) }
					{ ...fieldProps( problems, `productGroups.byTaxClass.${ taxClass }` ) }
				/>
			) ) }
			<TextControl
				label={ __( 'Default product group', 'rackbeat-connector' ) }
				inputMode="numeric"
				value={ numberText( groups.default ) }
				onChange={ ( text ) => update( { productGroups: { ...groups, default: numberOrNull( text ) } } ) }
				{ ...fieldProps( problems, 'productGroups.default' ) }
				help={ problems[ 'productGroups.default' ] || __( 'Rackbeat takes the VAT rate from the product group.', 'rackbeat-connector' ) }
			/>
		</>
	);
}

export function ProductsScreen( { shopSettings } ) {
	if ( shopSettings.loading && ! shopSettings.settings ) {
		return <Loading />;
	}
	if ( ! shopSettings.settings ) {
		return <ErrorNotice error={ shopSettings.error } what={ __( 'shop settings', 'rackbeat-connector' ) } onRetry={ shopSettings.reload } />;
	}
	return (
		<div className="rbc-screen rbc-products">
			<SettingsForm group="products" value={ shopSettings.settings.products || {} } validate={ validateProductSettings } onSave={ shopSettings.saveGroup }>
				{ ( props ) => (
					<>
						<Section title={ __( 'Direction', 'rackbeat-connector' ) }>
							<MasterGroup { ...props } />
						</Section>
						<Section title={ __( 'New and barred products', 'rackbeat-connector' ) }>
							<NewProductsGroup { ...props } />
						</Section>
						<Section title={ __( 'Product groups', 'rackbeat-connector' ) }>
							<ProductGroupsGroup { ...props } />
						</Section>
					</>
				) }
			</SettingsForm>
		</div>
	);
}
