import type { OrderSettings } from "../../settings/order-settings.js";
import {
  compactVatNumber,
  deliveryAddressOf,
  flatAddress,
  orderLocale,
  orderVatNumber,
  orderVatZone,
  personName,
  sameAddress,
  vatNumberSpellings,
  type FlatAddress,
  type VatZone,
} from "./order-party.js";
import type { WooOrder } from "./woo-order.js";

/**
 * WooCommerce order → Rackbeat customer (rackbeat-api.md §4.3; design.md §4 "customer first").
 * Pure: the exporter looks the customer up by `match`, then creates it with `create` or updates the
 * one it found with `update`, and adds `contactPerson` / `deliveryAddress` through the customer's
 * contacts and addresses sub-resources.
 */

export interface RackbeatCustomerPayload {
  /** Rackbeat reads `name`; older clients write `company_name`: both are sent, with the same value. */
  name: string;
  company_name: string;
  company_vat?: string;
  contact_email?: string;
  contact_phone?: string;
  address_street?: string;
  address_street2?: string;
  address_city?: string;
  address_zipcode?: string;
  address_country?: string;
  locale?: string;
  currency: string;
  vat_zone: VatZone;
  payment_terms_id?: number;
  customer_group_id?: number;
  layout_id?: number;
}

/**
 * How to find an existing Rackbeat customer: by e-mail (lower case), by VAT number (any of the
 * spellings, `value` first), or not at all (always a new customer).
 */
export type CustomerMatchKey =
  | { by: "email"; value: string }
  | { by: "vat"; value: string; spellings: string[] }
  | { by: "none"; reason: string };

export interface RackbeatContactPayload {
  name: string;
  contact_email?: string;
  contact_phone?: string;
}

export interface RackbeatCustomerResult {
  match: CustomerMatchKey;
  /** Body for `POST /customers`. */
  create: RackbeatCustomerPayload;
  /**
   * Body for `PUT /customers/{number}` when a customer was found: who and where (name, VAT number,
   * e-mail, phone, address, locale, VAT zone), never the payment terms, group or layout a person
   * may have set in Rackbeat.
   */
  update: Omit<RackbeatCustomerPayload, "payment_terms_id" | "customer_group_id" | "layout_id" | "currency">;
  /** For a company: the person who ordered, as a customer contact. */
  contactPerson: RackbeatContactPayload | null;
  /** The delivery address when it differs from the billing address. */
  deliveryAddress: FlatAddress | null;
  vatZone: VatZone;
  reverseCharge: boolean;
  isCompany: boolean;
  /** WooCommerce guest checkout (no customer account). */
  isGuest: boolean;
  warnings: string[];
}

/** Rackbeat's length limits for customer fields (rackbeat-api.md §4.3; the sandbox enforces the same). */
const MAX_LENGTH: Record<string, number> = { company_vat: 50, contact_phone: 50, address_zipcode: 30, address_country: 100, locale: 10 };

function put<T extends object, K extends keyof T & string>(target: T, key: K, value: T[K] | null | undefined | ""): void {
  if (value === null || value === undefined || value === "") return;
  const max = MAX_LENGTH[key] ?? 255;
  target[key] = (typeof value === "string" ? Array.from(value).slice(0, max).join("") : value) as T[K];
}

export function wooOrderToRackbeatCustomer(order: WooOrder, settings: OrderSettings): RackbeatCustomerResult {
  const warnings: string[] = [];
  const billing = order.billing;
  const company = billing.company.trim();
  const person = personName(billing);
  const email = billing.email.trim();
  const phone = (billing.phone || order.shipping.phone).trim();
  const vatNumber = orderVatNumber(order, settings);
  const { zone, reverseCharge, country } = orderVatZone(order, settings);
  const isCompany = company !== "" || vatNumber !== null;
  const name = Array.from(company || person || email || `WooCommerce order ${order.number}`).slice(0, 255).join("");

  if (country === "") warnings.push("the order has no billing country; the customer is treated as domestic");
  if (reverseCharge && order.total_tax.isPositive()) {
    warnings.push(
      `EU business with VAT number ${vatNumber}: the customer is in the EU VAT zone (reverse charge), but WooCommerce charged VAT on this order; the order keeps WooCommerce's VAT`,
    );
  }

  const identity: RackbeatCustomerResult["update"] = { name, company_name: name, vat_zone: zone };
  put(identity, "company_vat", vatNumber === null ? null : compactVatNumber(vatNumber));
  put(identity, "contact_email", email);
  put(identity, "contact_phone", phone);
  put(identity, "address_street", billing.address_1.trim());
  put(identity, "address_street2", billing.address_2.trim());
  put(identity, "address_city", billing.city.trim());
  put(identity, "address_zipcode", billing.postcode.trim());
  put(identity, "address_country", country);
  put(identity, "locale", orderLocale(order, settings));

  const defaults = settings.customerDefaults;
  const paymentTerms = settings.paymentMethods[order.payment_method]?.paymentTermsId ?? defaults.paymentTermsId;
  const create: RackbeatCustomerPayload = { ...identity, currency: order.currency };
  put(create, "payment_terms_id", paymentTerms);
  put(create, "customer_group_id", defaults.customerGroupId);
  put(create, "layout_id", defaults.layoutId);

  let match: CustomerMatchKey;
  if (settings.customerMatching === "always_new") match = { by: "none", reason: "customer matching is set to always create a new customer" };
  else if (settings.customerMatching === "vat" && vatNumber !== null) {
    const spellings = vatNumberSpellings(vatNumber, country);
    match = { by: "vat", value: spellings[0] as string, spellings };
  } else if (email !== "") match = { by: "email", value: email.toLowerCase() };
  else match = { by: "none", reason: "the order has no e-mail address" + (settings.customerMatching === "vat" ? " and no VAT number" : "") };

  const contactPerson: RackbeatContactPayload | null = isCompany && person !== "" ? { name: person } : null;
  if (contactPerson) {
    put(contactPerson, "contact_email", email);
    put(contactPerson, "contact_phone", phone);
  }

  const billingFlat = flatAddress(billing, false);
  const deliveryFlat = flatAddress(deliveryAddressOf(order), false);
  const deliveryAddress = sameAddress(billingFlat, deliveryFlat) ? null : deliveryFlat;

  return {
    match,
    create,
    update: identity,
    contactPerson,
    deliveryAddress,
    vatZone: zone,
    reverseCharge,
    isCompany,
    isGuest: order.customer_id === 0,
    warnings,
  };
}
