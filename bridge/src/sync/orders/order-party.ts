import type { OrderSettings } from "../../settings/order-settings.js";
import { metaString, type WooAddress, type WooOrder } from "./woo-order.js";

/**
 * Who bought and where it goes: names, VAT number, VAT zone, locale and addresses read from a
 * WooCommerce order, shared by the customer and the order transformers.
 */

export type VatZone = "domestic" | "eu" | "abroad";

export function personName(address: WooAddress): string {
  return [address.first_name, address.last_name].map((s) => s.trim()).filter(Boolean).join(" ");
}

/**
 * The customer's VAT/CVR number: the configured meta keys first, then any additional checkout field
 * WooCommerce stored as `_wc_billing/<namespace>/<field>` whose field name says VAT, CVR or tax id.
 */
export function orderVatNumber(order: WooOrder, settings: OrderSettings): string | null {
  const configured = metaString(order.meta_data, settings.customerDefaults.vatNumberMetaKeys);
  if (configured) return configured;
  const additional = order.meta_data
    .map((m) => m.key)
    .filter((key) => /^_wc_billing\/.+\/[^/]*(vat|cvr|tax[-_]?id|moms)[^/]*$/i.test(key));
  return metaString(order.meta_data, additional);
}

/** Upper case, no spaces, dots or dashes: "dk 12.34.56.78" → "DK12345678". */
export function compactVatNumber(vat: string): string {
  return vat.toUpperCase().replace(/[\s.\-_/]/g, "");
}

/** VAT prefixes that differ from the ISO country code. */
const VAT_PREFIX: Record<string, string> = { GR: "EL" };

/**
 * Spellings of a VAT number a Rackbeat customer may be stored under: as entered (compact), with the
 * country prefix, and without it — matching must find "12345678" and "DK12345678" alike.
 */
export function vatNumberSpellings(vat: string, country: string): string[] {
  const compact = compactVatNumber(vat);
  const prefix = VAT_PREFIX[country] ?? country;
  const spellings = [compact];
  if (/^[A-Z]{2}/.test(compact) && /^[A-Z]{2}$/.test(prefix) && compact.startsWith(prefix)) spellings.push(compact.slice(2));
  else if (/^[A-Z]{2}$/.test(prefix) && /^\d/.test(compact)) spellings.push(prefix + compact);
  return [...new Set(spellings.filter(Boolean))];
}

export function billingCountry(order: WooOrder): string {
  return (order.billing.country || order.shipping.country).trim().toUpperCase();
}

/**
 * VAT zone by billing country (design.md §3): the domestic country → domestic; an EU country →
 * "eu" for a business with a VAT number (reverse charge), else the configured consumer zone;
 * anything else → abroad. No country at all → domestic.
 */
export function orderVatZone(
  order: WooOrder,
  settings: OrderSettings,
): { zone: VatZone; reverseCharge: boolean; country: string } {
  const defaults = settings.customerDefaults;
  const country = billingCountry(order);
  if (country === "" || country === defaults.domesticCountry) return { zone: "domestic", reverseCharge: false, country };
  if (defaults.euCountries.includes(country)) {
    if (orderVatNumber(order, settings)) return { zone: "eu", reverseCharge: true, country };
    return { zone: defaults.euConsumerVatZone, reverseCharge: false, country };
  }
  return { zone: "abroad", reverseCharge: false, country };
}

/** Language → Rackbeat locale for the languages a Nordic shop meets; others become "<lang>-<country>". */
const LOCALE_BY_LANGUAGE: Record<string, string> = {
  da: "da-DK",
  sv: "sv-SE",
  nb: "nb-NO",
  no: "nb-NO",
  nn: "nn-NO",
  fi: "fi-FI",
  is: "is-IS",
  en: "en-GB",
  de: "de-DE",
  nl: "nl-NL",
  fr: "fr-FR",
  es: "es-ES",
  it: "it-IT",
  pl: "pl-PL",
};

/** The order's language from its meta ("da", "sv_SE", "en-US") as a locale, else the fallback. */
export function orderLocale(order: WooOrder, settings: OrderSettings): string | null {
  const raw = metaString(order.meta_data, settings.customerDefaults.languageMetaKeys);
  if (raw) {
    const m = /^([a-zA-Z]{2})(?:[-_]([a-zA-Z]{2}))?$/.exec(raw.trim());
    if (m) {
      const lang = (m[1] as string).toLowerCase();
      if (m[2]) return `${lang}-${m[2].toUpperCase()}`;
      const known = LOCALE_BY_LANGUAGE[lang];
      if (known) return known;
      const country = billingCountry(order);
      if (/^[A-Z]{2}$/.test(country)) return `${lang}-${country}`;
    }
  }
  return settings.customerDefaults.fallbackLocale;
}

export interface FlatAddress {
  name: string;
  street: string;
  street2: string;
  state: string;
  city: string;
  zipcode: string;
  country: string;
}

function hasAddress(a: WooAddress): boolean {
  return [a.address_1, a.city, a.postcode, a.company, a.first_name, a.last_name].some((s) => s.trim() !== "");
}

/**
 * An address as Rackbeat's flat fields. With "company name in address line 1" a company's name goes
 * on the first street line under the person's name, and the street moves to the second line.
 */
export function flatAddress(address: WooAddress, companyOnLine1: boolean): FlatAddress {
  const company = address.company.trim();
  const person = personName(address);
  const street = address.address_1.trim();
  const street2 = address.address_2.trim();
  const common = { state: address.state.trim(), city: address.city.trim(), zipcode: address.postcode.trim(), country: address.country.trim().toUpperCase() };
  if (companyOnLine1 && company) {
    return { name: person || company, street: company, street2: [street, street2].filter(Boolean).join(", "), ...common };
  }
  return { name: company || person, street, street2, ...common };
}

/** Where the goods go: the shipping address when the order has one (virtual orders do not), else billing. */
export function deliveryAddressOf(order: WooOrder): WooAddress {
  return hasAddress(order.shipping) ? order.shipping : order.billing;
}

export function sameAddress(a: FlatAddress, b: FlatAddress): boolean {
  return (Object.keys(a) as (keyof FlatAddress)[]).every((k) => a[k].toLowerCase() === b[k].toLowerCase());
}
