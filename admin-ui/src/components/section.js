/**
 * A card per setting group: heading, optional description, content.
 */
import { Card, CardBody, CardHeader } from '@wordpress/components';

export function Section( { title, description, children, className = '' } ) {
	const headingId = 'rbc-h-' + String( title ).toLowerCase().replace( /[^a-z0-9]+/g, '-' );
	return (
		<section className={ `rbc-section ${ className }` } aria-labelledby={ headingId }>
			<Card>
				<CardHeader>
					<h2 id={ headingId } className="rbc-section-title">
						{ title }
					</h2>
				</CardHeader>
				<CardBody>
					{ description && <p className="description">{ description }</p> }
					{ children }
				</CardBody>
			</Card>
		</section>
	);
}
