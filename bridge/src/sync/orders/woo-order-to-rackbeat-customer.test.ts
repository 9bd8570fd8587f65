import { describe, it, expect } from "vitest";
import { defaultShopSettings } from "../../settings/shop-settings.js";
import type { OrderSettings } from "../../settings/order-settings.js";
import { fixtureOrder } from "../../../../test/orders-money/fixture-orders.js";
import { wooOrderJson } from "../../../../test/orders-money/woo-order-builder.js";
import { parseWooOrder } from "./woo-order.js";
import { wooOrderToRackbeatCustomer } from "./woo-order-to-rackbeat-customer.js";

function settings(patch: Partial<OrderSettings> = {}): OrderSettings {
  return { ...defaultShopSettings().orders, ...patch };
}
const customerOf = (json: Record<string, unknown>, patch: Partial<OrderSettings> = {}) =>
  wooOrderToRackbeatCustomer(parseWooOrder(json), settings(patch));

describe("wooOrderToRackbeatCustomer", () => {
  it("maps a domestic private guest, matched by e-mail", () => {
    const c = customerOf(fixtureOrder("c1", "rest-A"));
    expect(c.isGuest).toBe(true);
    expect(c.isCompany).toBe(false);
    expect(c.vatZone).toBe("domestic");
    expect(c.reverseCharge).toBe(false);
    expect(c.contactPerson).toBeNull();
    expect(c.match).toEqual({ by: "email", value: c.create.contact_email?.toLowerCase() });
    expect(c.create).toMatchObject({ currency: "DKK", vat_zone: "domestic", address_country: "DK" });
    expect(c.create.name).toBe(c.create.company_name);
    expect(c.create.company_vat).toBeUndefined();
  });

  it("maps an EU business with a VAT number to the EU zone with reverse charge, and warns that WooCommerce charged VAT", () => {
    const c = customerOf(fixtureOrder("c1", "rest-C")); // guest SE company "Göta Design AB", _billing_vat_number
    expect(c.create).toMatchObject({
      name: "Göta Design AB",
      company_vat: "SE559900112201",
      contact_email: "erik@gota-design.example",
      contact_phone: "+46 31 700 00 00",
      address_street: "Kungsgatan 10",
      address_street2: "Plan 3",
      address_city: "Göteborg",
      address_zipcode: "411 19",
      address_country: "SE",
      vat_zone: "eu",
    });
    expect(c.reverseCharge).toBe(true);
    expect(c.isCompany).toBe(true);
    expect(c.contactPerson).toEqual({ name: "Erik Svensson", contact_email: "erik@gota-design.example", contact_phone: "+46 31 700 00 00" });
    expect(c.warnings.join(" ")).toMatch(/reverse charge.*charged VAT/);
  });

  it("finds the VAT number in a Store API additional checkout field", () => {
    const c = customerOf(fixtureOrder("c5", "store-api-C"));
    expect(c.create.company_vat).toBe("SE559900112201");
    expect(c.vatZone).toBe("eu");
  });

  it("keeps a domestic company domestic, with the delivery address apart", () => {
    const c = customerOf(fixtureOrder("c1", "rest-E")); // customer 2, Nordisk Handel ApS, DK12345678
    expect(c.isGuest).toBe(false);
    expect(c.vatZone).toBe("domestic");
    expect(c.reverseCharge).toBe(false);
    expect(c.create.company_vat).toBe("DK12345678");
    expect(c.deliveryAddress).toMatchObject({ street: "Industrivej 7", street2: "Port 3", zipcode: "8200", city: "Aarhus N" });
  });

  it("puts a customer outside the EU abroad", () => {
    const c = customerOf(fixtureOrder("c1", "rest-D")); // NO private guest
    expect(c.vatZone).toBe("abroad");
    expect(c.reverseCharge).toBe(false);
    expect(c.deliveryAddress).toBeNull();
  });

  it("treats an EU consumer per the setting", () => {
    const json = wooOrderJson({ billing: { ...wooOrderJson().billing, country: "DE" } as never });
    expect(customerOf(json).vatZone).toBe("domestic");
    expect(customerOf(json, { customerDefaults: { ...settings().customerDefaults, euConsumerVatZone: "eu" } }).vatZone).toBe("eu");
    // Another domestic country makes DK an EU country.
    const se = { ...settings().customerDefaults, domesticCountry: "SE" };
    expect(customerOf(wooOrderJson(), { customerDefaults: se }).vatZone).toBe("domestic"); // DK consumer
  });

  it("matches by VAT number (any spelling), by e-mail as a fallback, or not at all", () => {
    const c = customerOf(fixtureOrder("c1", "rest-E"), { customerMatching: "vat" });
    expect(c.match).toEqual({ by: "vat", value: "DK12345678", spellings: ["DK12345678", "12345678"] });
    const privateCustomer = customerOf(wooOrderJson(), { customerMatching: "vat" });
    expect(privateCustomer.match).toEqual({ by: "email", value: "jens@example.test" });
    expect(customerOf(wooOrderJson(), { customerMatching: "always_new" }).match.by).toBe("none");
    const noEmail = wooOrderJson({ billing: { ...wooOrderJson().billing, email: "" } as never });
    expect(customerOf(noEmail).match).toMatchObject({ by: "none" });
  });

  it("takes defaults and payment terms per gateway, and leaves them out of the update", () => {
    const c = customerOf(wooOrderJson(), {
      paymentMethods: { bacs: { paymentTermsId: 14, noteText: "" } },
      customerDefaults: { ...settings().customerDefaults, paymentTermsId: 1, customerGroupId: 2, layoutId: 3 },
    });
    expect(c.create).toMatchObject({ payment_terms_id: 14, customer_group_id: 2, layout_id: 3 });
    expect(c.update).not.toHaveProperty("payment_terms_id");
    expect(c.update).not.toHaveProperty("customer_group_id");
    expect(c.update).not.toHaveProperty("layout_id");
    expect(c.update).toMatchObject({ name: "Jens Hansen", contact_email: "Jens@Example.test" });
  });

  it("sets the locale from the order's language", () => {
    const withLang = (value: string) => wooOrderJson({ meta_data: [{ key: "wpml_language", value }] });
    expect(customerOf(withLang("sv")).create.locale).toBe("sv-SE");
    expect(customerOf(withLang("en_US")).create.locale).toBe("en-US");
    expect(customerOf(withLang("pt")).create.locale).toBe("pt-DK");
    expect(customerOf(wooOrderJson()).create.locale).toBeUndefined();
    expect(customerOf(wooOrderJson(), { customerDefaults: { ...settings().customerDefaults, fallbackLocale: "da-DK" } }).create.locale).toBe("da-DK");
  });
});
