/**
 * Orders: how and when orders go to Rackbeat (design.md §3, orders group).
 */
import { __ } from '@wordpress/i18n';
import { ErrorNotice, Loading } from '../components/feedback';
import { Section } from '../components/section';
import { SettingsForm } from '../components/settings-form';
import { checkArticleNumbers } from '../settings/article-check';
import {
	ArticleNumbersGroup,
	CustomerGroup,
	ExportGroup,
	ExtraFieldsGroup,
	LinesGroup,
	MessagesGroup,
	PaymentMethodsGroup,
	StatusWriteBackGroup,
} from '../settings/order-groups';
import { validateOrderSettings } from '../validation/rules';

export function OrdersForm( { orders, onSave, checkNumbers = checkArticleNumbers } ) {
	return (
		<SettingsForm group="orders" value={ orders } validate={ validateOrderSettings } onSave={ onSave } beforeSave={ checkNumbers }>
			{ ( props ) => (
				<>
					<Section title={ __( 'Export', 'rackbeat-connector' ) }>
						<ExportGroup { ...props } />
					</Section>
					<Section title={ __( 'Customers', 'rackbeat-connector' ) }>
						<CustomerGroup { ...props } />
					</Section>
					<Section
						title={ __( 'Article numbers', 'rackbeat-connector' ) }
						description={ __( 'Shipping, fees, discounts and gift cards become lines with these Rackbeat products. Each number must exist in Rackbeat; it is checked when you save.', 'rackbeat-connector' ) }
					>
						<ArticleNumbersGroup { ...props } />
					</Section>
					<Section title={ __( 'Payment methods', 'rackbeat-connector' ) }>
						<PaymentMethodsGroup { ...props } />
					</Section>
					<Section title={ __( 'Order lines', 'rackbeat-connector' ) }>
						<LinesGroup { ...props } />
					</Section>
					<Section title={ __( 'Extra fields', 'rackbeat-connector' ) }>
						<ExtraFieldsGroup { ...props } />
					</Section>
					<Section title={ __( 'Status write-back', 'rackbeat-connector' ) }>
						<StatusWriteBackGroup { ...props } />
					</Section>
					<Section title={ __( 'E-mail and reference', 'rackbeat-connector' ) }>
						<MessagesGroup { ...props } />
					</Section>
				</>
			) }
		</SettingsForm>
	);
}

export function OrdersScreen( { shopSettings } ) {
	if ( shopSettings.loading && ! shopSettings.settings ) {
		return <Loading />;
	}
	if ( ! shopSettings.settings ) {
		return <ErrorNotice error={ shopSettings.error } what={ __( 'shop settings', 'rackbeat-connector' ) } onRetry={ shopSettings.reload } />;
	}
	return (
		<div className="rbc-screen rbc-orders">
			<OrdersForm orders={ shopSettings.settings.orders || {} } onSave={ shopSettings.saveGroup } />
		</div>
	);
}
