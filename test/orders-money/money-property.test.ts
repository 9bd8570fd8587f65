/**
 * Money property test: generated orders — VAT 25 / 12 / 6 / 0 %, prices incl. and excl. tax, tax
 * rounded per line and at subtotal, 2 and 3 decimals, percent / fixed-cart / fixed-product coupons,
 * fees (also negative, taxed or not), shipping with tax, quantities up to 999, 3-decimal prices —
 * map to Rackbeat orders whose total and VAT per rate, by the Rackbeat sandbox's arithmetic under
 * both rounding models, equal the WooCommerce order's to the cent.
 *
 * The orders come from `simulateCheckout` (woo-order-builder.ts), a WooCommerce-like model of the
 * checkout arithmetic, not from WooCommerce itself; the 84 real orders in fixtures.test.ts cover
 * WooCommerce's own figures, and money-property-woo-sandbox.test.ts runs 1,000 orders per discount mode
 * through the WooCommerce sandbox's checkout.
 */
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { defaultShopSettings } from "../../bridge/src/settings/shop-settings.js";
import { parseWooOrder } from "../../bridge/src/sync/orders/woo-order.js";
import { wooOrderToRackbeatOrder } from "../../bridge/src/sync/orders/woo-order-to-rackbeat-order.js";
import { simulateCheckout, type CartInput } from "./woo-order-builder.js";
import { MODELS, moneyMismatches } from "./rackbeat-totals.js";

const RUNS = Number(process.env.MONEY_PROPERTY_RUNS ?? 500);

const rate = fc.constantFrom(25 as const, 12 as const, 6 as const, 0 as const);
const price = (decimals: 2 | 3) =>
  fc.oneof(
    fc.integer({ min: 1, max: 2_000_000 }).map((minor) => (minor / 10 ** decimals).toFixed(decimals)),
    fc.integer({ min: 1, max: 999 }).map((minor) => (minor / 10 ** decimals).toFixed(decimals)), // tiny prices
  );
const quantity = fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 999 }));

const cart: fc.Arbitrary<CartInput> = fc
  .record({ decimals: fc.constantFrom(2 as const, 3 as const), pricesIncludeTax: fc.boolean(), roundAtSubtotal: fc.boolean() })
  .chain(({ decimals, pricesIncludeTax, roundAtSubtotal }) =>
    fc.record({
      decimals: fc.constant(decimals),
      pricesIncludeTax: fc.constant(pricesIncludeTax),
      roundAtSubtotal: fc.constant(roundAtSubtotal),
      items: fc.array(
        fc.record({ sku: fc.stringMatching(/^[A-Z]{2,6}-\d{1,4}$/), price: price(decimals), quantity, rate }),
        { minLength: 1, maxLength: 8 },
      ),
      percentCoupon: fc.option(fc.constantFrom("5", "10", "12.5", "15", "33.33", "50", "100"), { nil: null }),
      fixedCartCoupon: fc.option(fc.constantFrom("1", "33.33", "100", "250.5", "0.07"), { nil: null }),
      fixedProductCoupon: fc.option(fc.constantFrom("0.5", "5", "19.99"), { nil: null }),
      fees: fc.array(
        fc.record({
          name: fc.constantFrom("Ekspeditionsgebyr", "Miljøbidrag", "Goodwill", "Mængderabat"),
          amount: fc.integer({ min: -50_000, max: 50_000 }).filter((c) => c !== 0).map((c) => (c / 100).toFixed(2)),
          taxable: fc.boolean(),
          rate,
        }),
        { maxLength: 3 },
      ),
      shipping: fc.option(fc.constantFrom("0.00", "39.95", "59.00", "149.00", "19.996"), { nil: null }),
    }),
  );

describe("money property (generated WooCommerce-like orders)", () => {
  for (const discountRepresentation of ["line_percentage", "negative_lines"] as const) {
    it(`Rackbeat equals WooCommerce to the cent under both rounding models (discounts as ${discountRepresentation}, ${RUNS} orders)`, () => {
      const settings = { ...defaultShopSettings().orders, discountRepresentation };
      let roundingLines = 0;
      let orders = 0;
      fc.assert(
        fc.property(cart, (input) => {
          const json = simulateCheckout(input);
          const order = parseWooOrder(json);
          const result = wooOrderToRackbeatOrder(order, settings, { orderNumber: 1, customerNumber: 1 });
          for (const model of MODELS) {
            expect(moneyMismatches(result.payload.lines, json as never, model)).toEqual([]);
          }
          for (const line of result.payload.lines) {
            expect(line.discount_percentage).toBeGreaterThanOrEqual(0);
            expect(line.discount_percentage).toBeLessThanOrEqual(100);
          }
          orders += 1;
          roundingLines += result.money.roundingLines.length;
        }),
        { numRuns: RUNS },
      );
      // Rounding lines are the exception, not the rule: fewer than two per order on average.
      expect(roundingLines / orders).toBeLessThan(2);
    });
  }
});
