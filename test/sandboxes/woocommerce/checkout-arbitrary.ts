/**
 * Random-but-valid checkouts for property tests (fast-check): a tax configuration of the recorded
 * shop, a basket of its products, coupons, fees (negative too), an address and shipping — placed
 * through either WooCommerce code path. `runGeneratedCheckout` places one in a fresh in-process
 * shop and returns the order as the REST API shows it.
 */
import fc from "fast-check";
import { type CheckoutInput, placeOrder } from "./checkout.js";
import {
  FIXTURE_ADDRESSES,
  FIXTURE_CONFIGS,
  FIXTURE_COUPONS,
  FIXTURE_PRODUCTS,
  type FixtureConfigName,
} from "./fixture-shop.js";
import { loadFixtureShop } from "./fixture-setup.js";
import { orderJson } from "./rest-serializers.js";
import { WooShop } from "./shop-state.js";

export interface GeneratedCheckout {
  config: FixtureConfigName;
  input: CheckoutInput;
}

export interface CheckoutArbitraryOptions {
  configs?: FixtureConfigName[];
  via?: CheckoutInput["via"][];
  /** Most distinct products in the basket (default 6). */
  maxLines?: number;
  maxQuantity?: number;
  coupons?: boolean;
  fees?: boolean;
}

const SELLABLE = FIXTURE_PRODUCTS.filter((p) => p.type !== "variable" && p.sku && p.sku !== "STOCK-PROBE").map((p) => p.sku ?? "");

export function checkoutArbitrary(options: CheckoutArbitraryOptions = {}): fc.Arbitrary<GeneratedCheckout> {
  const configs = options.configs ?? (Object.keys(FIXTURE_CONFIGS) as FixtureConfigName[]);
  const decimalsOf = (c: FixtureConfigName): number => FIXTURE_CONFIGS[c].priceDecimals ?? 2;
  return fc
    .record({
      config: fc.constantFrom(...configs),
      via: fc.constantFrom(...(options.via ?? (["rest-api", "store-api"] as const))),
      lines: fc.uniqueArray(fc.record({ sku: fc.constantFrom(...SELLABLE), quantity: fc.integer({ min: 1, max: options.maxQuantity ?? 60 }) }), {
        minLength: 1,
        maxLength: options.maxLines ?? 6,
        selector: (l) => l.sku,
      }),
      coupons: options.coupons === false ? fc.constant<string[]>([]) : fc.uniqueArray(fc.constantFrom(...FIXTURE_COUPONS.map((c) => c.code.toUpperCase())), { maxLength: 2 }),
      fees:
        options.fees === false
          ? fc.constant<{ cents: number; taxable: boolean }[]>([])
          : fc.array(fc.record({ cents: fc.integer({ min: -50_000, max: 50_000 }).filter((c) => c !== 0), taxable: fc.boolean() }), { maxLength: 3 }),
      who: fc.constantFrom(...(Object.keys(FIXTURE_ADDRESSES) as (keyof typeof FIXTURE_ADDRESSES)[])),
      ship: fc.boolean(),
      paymentMethod: fc.constantFrom("bacs", "cod"),
    })
    .map(({ config, via, lines, coupons, fees, who, ship, paymentMethod }) => {
      const dp = decimalsOf(config);
      const address = FIXTURE_ADDRESSES[who];
      const input: CheckoutInput = {
        via,
        lines,
        coupons,
        // Fees in minor units of two decimals, written with the shop's decimals.
        fees: fees.map((f, i) => ({ name: `Fee ${i + 1}`, total: (f.cents / 100).toFixed(dp), taxable: f.taxable, taxClass: "" })),
        billing: { ...address.billing },
        shipping: { ...address.shipping },
        shippingMethod: ship ? "zone" : null,
        paymentMethod,
      };
      return { config, input };
    });
}

/** Places a generated checkout in a fresh in-process shop; returns the REST JSON of the order. */
export function runGeneratedCheckout(generated: GeneratedCheckout): Record<string, unknown> {
  const shop = new WooShop();
  loadFixtureShop(shop, generated.config);
  const order = placeOrder(shop, generated.input);
  return orderJson({ shop, siteUrl: "http://127.0.0.1", dp: shop.settings.priceDecimals, scheme: "http" }, order);
}
