/**
 * Loads the recorded shop (fixture-shop.ts) into a sandbox shop for one tax configuration.
 */
import {
  FIXTURE_CONFIGS,
  FIXTURE_COUPONS,
  FIXTURE_CUSTOMERS,
  FIXTURE_PRODUCTS,
  FIXTURE_SHIPPING_ZONES,
  FIXTURE_TAX_CLASSES,
  FIXTURE_TAX_RATES,
  type FixtureConfigName,
} from "./fixture-shop.js";
import type { WooShop } from "./shop-state.js";

export function loadFixtureShop(shop: WooShop, config: FixtureConfigName = "c1-dkk-excl-lineround"): void {
  shop.configure(FIXTURE_CONFIGS[config]);
  shop.setTaxClasses(FIXTURE_TAX_CLASSES);
  shop.setTaxRates(FIXTURE_TAX_RATES);
  shop.setShippingZones(FIXTURE_SHIPPING_ZONES);
  for (const coupon of FIXTURE_COUPONS) shop.upsertCoupon(coupon);
  for (const c of FIXTURE_CUSTOMERS) shop.upsertCustomer(c);
  for (const product of FIXTURE_PRODUCTS) {
    if (!shop.products.has(product.id ?? -1)) shop.seedProduct(product);
  }
}
