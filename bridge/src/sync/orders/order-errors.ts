import { BridgeError } from "../../lib/errors.js";

/**
 * Why an order cannot be turned into a Rackbeat order as it stands. None of these heal by retrying
 * the same job: a person has to act (fix the product, the settings or the order), so the runner
 * parks the job with the message, which says what to do.
 */
export abstract class OrderNotTransferable extends BridgeError {
  readonly retryable = false;
}

/** The WooCommerce order body does not have the shape the transformer needs. */
export class WooOrderInvalid extends OrderNotTransferable {
  constructor(readonly issues: string[]) {
    super(`the WooCommerce order is not readable: ${issues.join("; ")}`);
  }
}

/** An order line has no SKU, so there is no Rackbeat item number to put on the line. */
export class OrderLineWithoutSku extends OrderNotTransferable {
  constructor(readonly lineName: string, readonly productId: number) {
    super(`line "${lineName}" (product ${productId}) has no SKU; give the product a SKU that exists in Rackbeat and send the order again`);
  }
}

/** Taxes Rackbeat's one-VAT-rate-per-line model cannot express (compound or stacked rates on one line). */
export class UnsupportedTaxSetup extends OrderNotTransferable {}

/**
 * The order's own figures do not add up to its total (a line type the bridge does not know, e.g. a
 * plugin's surcharge outside `fee_lines`): sending it would need a rounding line far larger than
 * rounding, so it is refused instead of being papered over.
 */
export class OrderTotalsDoNotAdd extends OrderNotTransferable {
  constructor(readonly wooTotal: string, readonly linesTotal: string, readonly tolerance: string) {
    super(
      `WooCommerce's total ${wooTotal} differs from its lines and taxes (${linesTotal}) by more than rounding (${tolerance}); ` +
        "the order holds something the bridge cannot map",
    );
  }
}

/** No set of rounding lines made Rackbeat's VAT equal WooCommerce's (should not happen; a bug if it does). */
export class MoneyMatchingFailed extends OrderNotTransferable {}
