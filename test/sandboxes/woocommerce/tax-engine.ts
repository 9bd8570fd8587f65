/**
 * WC_Tax as far as the sandbox needs it: rate matching, inclusive/exclusive calculation (each
 * tax rounded to 6 decimals, WC_Tax::round), rate codes and labels.
 * [source] plugins/woocommerce/includes/class-wc-tax.php (calc_inclusive_tax, calc_exclusive_tax,
 * find_rates, get_rate_code); rate codes as recorded in every order's tax_lines ("SE-MOMS 25%-1").
 */
import { Dec, type PrecisionSettings, ZERO, taxPrecisionRound } from "./php-math.js";
import type { ShopSettings, TaxClass, TaxMap, TaxRate } from "./shop-model.js";

export interface TaxLocation {
  country: string;
  state: string;
  postcode: string;
  city: string;
}

export class TaxEngine {
  constructor(
    private readonly rates: () => readonly TaxRate[],
    private readonly classes: () => readonly TaxClass[],
    private readonly settings: () => ShopSettings,
  ) {}

  private get precision(): PrecisionSettings {
    return this.settings();
  }

  /** Tax class slugs in the order they were created (WC_Tax::get_tax_class_slugs). */
  classSlugs(): string[] {
    return this.classes().map((c) => c.slug);
  }

  /** WC_Tax::find_rates: rates for a location and class, one per priority, by priority then order. */
  findRates(location: TaxLocation, taxClass: string, forShipping = false): TaxRate[] {
    if (!this.settings().calcTaxes) return [];
    const cls = taxClass === "standard" ? "" : taxClass;
    if (forShipping) return this.findRates(location, cls).filter((r) => r.shipping);
    const country = location.country.toUpperCase();
    const state = location.state.toUpperCase();
    const postcode = location.postcode.toUpperCase().replace(/\s+/g, "");
    const city = location.city.toUpperCase();
    const matches = this.rates()
      .filter((r) => r.taxClass === cls)
      .filter((r) => r.country === "" || r.country.toUpperCase() === country)
      .filter((r) => r.state === "" || r.state.toUpperCase() === state)
      .filter((r) => r.postcode === "" || r.postcode.split(";").some((p) => matchesPostcode(p, postcode)))
      .filter((r) => r.city === "" || r.city.split(";").some((c) => c.trim().toUpperCase() === city))
      .sort((a, b) => a.priority - b.priority || a.order - b.order || a.id - b.id);
    const byPriority: TaxRate[] = [];
    const seen = new Set<number>();
    for (const rate of matches) {
      if (seen.has(rate.priority)) continue;
      seen.add(rate.priority);
      byPriority.push(rate);
    }
    return byPriority;
  }

  /** The shop base location (woocommerce_default_country + store address). */
  baseLocation(): TaxLocation {
    const s = this.settings();
    const [country = "", state = ""] = s.defaultCountry.split(":");
    return { country, state, postcode: s.storePostcode, city: s.storeCity };
  }

  /** WC_Tax::get_base_tax_rates( $tax_class ). */
  baseRates(taxClass: string): TaxRate[] {
    return this.findRates(this.baseLocation(), taxClass);
  }

  /** WC_Tax::calc_tax( $price, $rates, $price_includes_tax ). */
  calcTax(price: Dec, rates: readonly TaxRate[], priceIncludesTax: boolean): TaxMap {
    return priceIncludesTax ? this.calcInclusive(price, rates) : this.calcExclusive(price, rates);
  }

  private calcInclusive(price: Dec, rates: readonly TaxRate[]): TaxMap {
    const taxes: TaxMap = new Map();
    const compound: TaxRate[] = [];
    const regular: TaxRate[] = [];
    for (const rate of rates) {
      taxes.set(rate.id, ZERO);
      (rate.compound ? compound : regular).push(rate);
    }
    let nonCompoundPrice = price;
    for (const rate of [...compound].reverse()) {
      const amount = nonCompoundPrice.minus(nonCompoundPrice.div(new Dec(1).plus(new Dec(rate.rate).div(100))));
      taxes.set(rate.id, (taxes.get(rate.id) ?? ZERO).plus(amount));
      nonCompoundPrice = nonCompoundPrice.minus(amount);
    }
    const regularSum = regular.reduce((acc, r) => acc.plus(new Dec(r.rate)), ZERO);
    const regularTaxRate = new Dec(1).plus(regularSum.div(100));
    for (const rate of regular) {
      const theRate = new Dec(rate.rate).div(100).div(regularTaxRate);
      taxes.set(rate.id, (taxes.get(rate.id) ?? ZERO).plus(theRate.times(nonCompoundPrice)));
    }
    return this.roundAll(taxes);
  }

  private calcExclusive(price: Dec, rates: readonly TaxRate[]): TaxMap {
    const taxes: TaxMap = new Map();
    for (const rate of rates) {
      if (rate.compound) continue;
      taxes.set(rate.id, (taxes.get(rate.id) ?? ZERO).plus(price.times(new Dec(rate.rate).div(100))));
    }
    let preCompoundTotal = sumMap(taxes);
    for (const rate of rates) {
      if (!rate.compound) continue;
      const amount = price.plus(preCompoundTotal).times(new Dec(rate.rate).div(100));
      taxes.set(rate.id, (taxes.get(rate.id) ?? ZERO).plus(amount));
      preCompoundTotal = sumMap(taxes);
    }
    return this.roundAll(taxes);
  }

  private roundAll(taxes: TaxMap): TaxMap {
    const out: TaxMap = new Map();
    for (const [id, amount] of taxes) out.set(id, taxPrecisionRound(amount, this.precision));
    return out;
  }

  rateById(id: number): TaxRate | undefined {
    return this.rates().find((r) => r.id === id);
  }

  /** WC_Tax::get_rate_code: COUNTRY-STATE-NAME-PRIORITY, empty parts dropped, upper case. */
  rateCode(id: number): string {
    const rate = this.rateById(id);
    if (!rate) return "";
    const parts = [rate.country, rate.state, rate.name || "TAX", String(rate.priority)].filter((p) => p !== "" && p !== "0");
    return parts.join("-").toUpperCase();
  }

  rateLabel(id: number): string {
    const rate = this.rateById(id);
    return rate?.name ? rate.name : "Tax";
  }

  ratePercent(id: number): number {
    const rate = this.rateById(id);
    return rate ? Number(rate.rate) : 0;
  }

  isCompound(id: number): boolean {
    return this.rateById(id)?.compound ?? false;
  }
}

function matchesPostcode(pattern: string, postcode: string): boolean {
  const p = pattern.trim().toUpperCase().replace(/\s+/g, "");
  if (p.endsWith("*")) return postcode.startsWith(p.slice(0, -1));
  if (p.includes("...")) {
    const [from = "", to = ""] = p.split("...");
    return postcode >= from && postcode <= to;
  }
  return p === postcode;
}

export function sumMap(taxes: TaxMap): Dec {
  let total = ZERO;
  for (const v of taxes.values()) total = total.plus(v);
  return total;
}

/** wc_array_merge_recursive_numeric for tax maps: adds amounts per rate id, keeping first-seen order. */
export function mergeTaxes(a: TaxMap, b: TaxMap): TaxMap {
  const out: TaxMap = new Map(a);
  for (const [id, amount] of b) out.set(id, (out.get(id) ?? ZERO).plus(amount));
  return out;
}
