/**
 * The recorded WooCommerce 10 shop (../shared/fixtures/woocommerce) as sandbox inputs: its tax
 * rates, shipping zones, coupons, customers, products, the six tax configurations and the eight
 * order scenarios. Derived by hand from setup/*, configs/* and each order file's scenario_input and
 * request bodies; test/woocommerce/fidelity.test.ts checks these inputs against the recordings.
 * Reused by property tests: `fixtureCheckout(config, scenario, via)` gives a sandbox checkout.
 */
import type { CheckoutInput } from "./checkout.js";
import type { Address, Coupon, ShippingZone, ShopSettings, TaxClass, TaxRate } from "./shop-model.js";
import type { SeedProduct } from "./seed.js";

export const FIXTURE_TAX_CLASSES: TaxClass[] = [
  { slug: "reduced-rate", name: "Reduced rate" },
  { slug: "zero-rate", name: "Zero rate" },
  { slug: "super-reduced-rate", name: "Super reduced rate" },
];

function rate(id: number, country: string, pct: string, taxClass: string): TaxRate {
  return {
    id,
    country,
    state: "",
    postcode: "",
    city: "",
    rate: `${pct}.0000`,
    name: `Moms ${pct}%`,
    priority: 1,
    compound: false,
    shipping: true,
    order: 0,
    taxClass,
  };
}

/** setup/04-taxes-batch-create.json; Norway has no rate. */
export const FIXTURE_TAX_RATES: TaxRate[] = [
  rate(1, "DK", "25", ""),
  rate(2, "DK", "12", "reduced-rate"),
  rate(3, "DK", "6", "super-reduced-rate"),
  rate(4, "DK", "0", "zero-rate"),
  rate(5, "SE", "25", ""),
  rate(6, "SE", "12", "reduced-rate"),
  rate(7, "SE", "6", "super-reduced-rate"),
  rate(8, "SE", "0", "zero-rate"),
];

/** setup/05-shipping-zone-*-method-create.json: one taxable flat rate per zone, cost net of tax. */
export const FIXTURE_SHIPPING_ZONES: ShippingZone[] = [
  { id: 1, name: "Danmark", countries: ["DK"], methods: [flat(1, "39.95")] },
  { id: 2, name: "Sverige", countries: ["SE"], methods: [flat(2, "59.00")] },
  { id: 3, name: "Norge", countries: ["NO"], methods: [flat(3, "149.00")] },
];

function flat(instanceId: number, cost: string): ShippingZone["methods"][number] {
  return { instanceId, methodId: "flat_rate", title: "Standard levering", cost, taxStatus: "taxable" };
}

function coupon(id: number, code: string, discountType: Coupon["discountType"], amount: string): Coupon {
  return { id, code, discountType, amount, productIds: [], excludedProductIds: [], limitUsageToXItems: null, usageCount: 0, freeShipping: false };
}

/** setup/09-coupon-create-*.json (codes are stored lower case). */
export const FIXTURE_COUPONS: Coupon[] = [
  coupon(11, "pct15", "percent", "15.00"),
  coupon(12, "pct12_5", "percent", "12.50"),
  coupon(13, "fix33", "fixed_cart", "33.33"),
  coupon(14, "fix100", "fixed_cart", "100.00"),
  coupon(15, "fixprod5", "fixed_product", "5.00"),
];

function addr(a: Omit<Address, "email" | "state" | "address_2"> & { email?: string; address_2?: string }): Address {
  return { state: "", address_2: "", ...a };
}

/** The addresses the scenarios used (request bodies of orders/*). */
export const FIXTURE_ADDRESSES = {
  dkGuest: {
    billing: addr({ first_name: "Jens", last_name: "Hansen", company: "", address_1: "Strøget 4", city: "København K", postcode: "1160", country: "DK", email: "jens.hansen@example.test", phone: "+45 20 30 40 50" }),
    shipping: addr({ first_name: "Jens", last_name: "Hansen", company: "", address_1: "Strøget 4", city: "København K", postcode: "1160", country: "DK", phone: "+45 20 30 40 50" }),
  },
  dkCompany: {
    billing: addr({ first_name: "Mette", last_name: "Kjær", company: "Nordisk Handel ApS", address_1: "Nørregade 12, 2. th.", city: "Aarhus C", postcode: "8000", country: "DK", email: "indkob@nordisk-handel.example", phone: "+45 12 34 56 78" }),
    shipping: addr({ first_name: "Mette", last_name: "Kjær", company: "Nordisk Handel ApS", address_1: "Industrivej 7", address_2: "Port 3", city: "Aarhus N", postcode: "8200", country: "DK", phone: "+45 12 34 56 78" }),
  },
  seGuestCompany: {
    billing: addr({ first_name: "Erik", last_name: "Svensson", company: "Göta Design AB", address_1: "Kungsgatan 10", address_2: "Plan 3", city: "Göteborg", postcode: "411 19", country: "SE", email: "erik@gota-design.example", phone: "+46 31 700 00 00" }),
    shipping: addr({ first_name: "Erik", last_name: "Svensson", company: "Göta Design AB", address_1: "Kungsgatan 10", address_2: "Plan 3", city: "Göteborg", postcode: "411 19", country: "SE", phone: "+46 31 700 00 00" }),
  },
  seCompany: {
    billing: addr({ first_name: "Åsa", last_name: "Lindström", company: "Svensk Import AB", address_1: "Storgatan 5", city: "Malmö", postcode: "211 34", country: "SE", email: "order@svensk-import.example", phone: "+46 40 123 45" }),
    shipping: addr({ first_name: "Åsa", last_name: "Lindström", company: "Svensk Import AB", address_1: "Lagervägen 2", city: "Malmö", postcode: "212 15", country: "SE", phone: "" }),
  },
  noGuest: {
    billing: addr({ first_name: "Kari", last_name: "Nordmann", company: "", address_1: "Bryggen 3", city: "Bergen", postcode: "5003", country: "NO", email: "kari@example.test", phone: "+47 55 00 00 00" }),
    shipping: addr({ first_name: "Kari", last_name: "Nordmann", company: "", address_1: "Bryggen 3", city: "Bergen", postcode: "5003", country: "NO", phone: "+47 55 00 00 00" }),
  },
} as const;

/** setup/08-customer-create-*.json */
export const FIXTURE_CUSTOMERS = [
  { id: 2, username: "mette.kjaer", email: "indkob@nordisk-handel.example", firstName: "Mette", lastName: "Kjær", ...FIXTURE_ADDRESSES.dkCompany },
  { id: 3, username: "asa.lindstrom", email: "order@svensk-import.example", firstName: "Åsa", lastName: "Lindström", ...FIXTURE_ADDRESSES.seCompany },
  {
    id: 4,
    username: "ola.nordmann",
    email: "ola.nordmann@example.test",
    firstName: "Ola",
    lastName: "Nordmann",
    billing: addr({ first_name: "Ola", last_name: "Nordmann", company: "", address_1: "Karl Johans gate 1", city: "Oslo", postcode: "0154", country: "NO", email: "ola.nordmann@example.test", phone: "" }),
    shipping: addr({ first_name: "Ola", last_name: "Nordmann", company: "", address_1: "Karl Johans gate 1", city: "Oslo", postcode: "0154", country: "NO", phone: "" }),
  },
];

function simple(id: number, sku: string, name: string, regularPrice: string, taxClass: string, stock: number | null, weight: string, extra: Partial<SeedProduct> = {}): SeedProduct {
  return {
    id,
    type: "simple",
    sku,
    name,
    regularPrice,
    taxClass,
    manageStock: stock !== null,
    stockQuantity: stock,
    weight,
    shortDescription: `<p>Fixture product ${sku}.</p>\n`,
    ...extra,
  };
}

function variation(id: number, parentId: number, sku: string, regularPrice: string, taxClass: string, attribute: [string, string, string], extra: Partial<SeedProduct> = {}): SeedProduct {
  const [name, slug, option] = attribute;
  return {
    id,
    type: "variation",
    parentId,
    sku,
    regularPrice,
    taxClass,
    manageStock: true,
    stockQuantity: 3000,
    variationAttributes: [{ id: 0, name, slug, option }],
    ...extra,
  };
}

/** configs/c1-…/products-per_page-100.json and products-{32,37}-variations-*.json (stock as at the start of c1). */
export const FIXTURE_PRODUCTS: SeedProduct[] = [
  simple(16, "MUG-001", "Kaffekop", "99.95", "", 1000, "0.35"),
  simple(17, "GUM/MINT-10", "Tyggegummi mint", "0.99", "reduced-rate", 9000, "0.02"),
  simple(18, "CHAIR-ERGO-1249", "Kontorstol Ergo", "1249.00", "", 500, "14.5"),
  simple(19, "BOOK-TAX-3333", "Bog: Moms for begyndere", "33.33", "super-reduced-rate", 2000, "0.4"),
  simple(20, "SCALE-19996", "Præcisionsvægt", "19.996", "", 2000, "0.8"),
  simple(21, "ABCDEFGHIJ-0123456789-XYZ", "Kabel USB-C 1 m", "7.77", "", 9000, "0.05"),
  simple(22, "FOOD-LUNCH-6499", "Madkasse", "64.99", "reduced-rate", 2000, "0.6"),
  simple(23, "MILK-1L", "Mælk 1 l", "12.49", "reduced-rate", 9000, "1.03"),
  simple(24, "ART-POSTER-A2", "Kunstplakat A2", "249.75", "", 1000, "0.3"),
  simple(25, "SODA-033", "Sodavand 33 cl", "8.33", "reduced-rate", 9000, "0.35"),
  simple(26, "SAMPLE-001", "Vareprøve", "0.01", "", 9000, "0.01"),
  simple(27, "PROMO-SALE-1", "Kampagnetaske", "199.00", "", 1000, "0.5", { salePrice: "149.99" }),
  simple(28, "NEWS-DIGITAL-1M", "Digitalt avisabonnement 1 md.", "49.50", "super-reduced-rate", null, "", { virtual: true }),
  simple(29, "EXPORT-ZERO-1", "Eksportvare (momsfri)", "500.00", "zero-rate", 500, "2"),
  simple(30, "HOTEL-NIGHT", "Hotelnat", "1000.00", "reduced-rate", 300, "", { virtual: true }),
  simple(31, "STOCK-PROBE", "Lagerprobe", "10.00", "", 20, "0.1"),
  {
    id: 32,
    type: "variable",
    sku: "TSHIRT",
    name: "T-shirt Basic",
    taxClass: "",
    weight: "0.2",
    attributes: [{ id: 0, name: "Størrelse", slug: "Størrelse", position: 0, visible: true, variation: true, options: ["S", "M", "L", "XL"] }],
  },
  variation(33, 32, "TSHIRT-S", "149.95", "parent", ["Størrelse", "storrelse", "S"], { weight: "0.2" }),
  variation(34, 32, "TSHIRT-M", "149.95", "parent", ["Størrelse", "storrelse", "M"], { weight: "0.2" }),
  variation(35, 32, "TSHIRT-L", "159.95", "parent", ["Størrelse", "storrelse", "L"], { weight: "0.2" }),
  variation(36, 32, "TSHIRT-XL", "169.95", "parent", ["Størrelse", "storrelse", "XL"], { weight: "0.2", salePrice: "127.46" }),
  {
    id: 37,
    type: "variable",
    sku: "BEANS",
    name: "Kaffebønner",
    taxClass: "reduced-rate",
    weight: "0.5",
    attributes: [{ id: 0, name: "Vægt", slug: "Vægt", position: 0, visible: true, variation: true, options: ["250 g", "500 g", "1 kg"] }],
  },
  variation(38, 37, "BEANS-250G", "59.95", "parent", ["Vægt", "vaegt", "250 g"], { weight: "0.5" }),
  variation(39, 37, "BEANS-500G", "109.00", "parent", ["Vægt", "vaegt", "500 g"], { weight: "0.5" }),
  variation(40, 37, "BEANS-1KG", "199.99", "", ["Vægt", "vaegt", "1 kg"], { weight: "0.5", salePrice: "179.99" }),
];

const DK_STORE = { storeAddress: "Vesterbrogade 1", storeCity: "København V", storePostcode: "1620", defaultCountry: "DK" };
const SE_STORE = { storeAddress: "Stortorget 1", storeCity: "Malmö", storePostcode: "211 20", defaultCountry: "SE" };

export type FixtureConfigName =
  | "c1-dkk-excl-lineround"
  | "c2-dkk-excl-subtotalround"
  | "c3-dkk-incl-lineround"
  | "c4-dkk-incl-subtotalround"
  | "c5-sek-incl-lineround-3dp"
  | "c6-sek-excl-subtotalround-3dp";

/** configs/<name>/settings-*.json (every pass: tax based on shipping, shipping class inherit, itemized). */
export const FIXTURE_CONFIGS: Record<FixtureConfigName, Partial<ShopSettings>> = {
  "c1-dkk-excl-lineround": { ...DK_STORE, currency: "DKK", currencySymbol: "kr.", priceDecimals: 2, pricesIncludeTax: false, taxRoundAtSubtotal: false, taxDisplayShop: "excl", taxDisplayCart: "excl", thousandSeparator: ".", decimalSeparator: "," },
  "c2-dkk-excl-subtotalround": { ...DK_STORE, currency: "DKK", currencySymbol: "kr.", priceDecimals: 2, pricesIncludeTax: false, taxRoundAtSubtotal: true, taxDisplayShop: "excl", taxDisplayCart: "excl", thousandSeparator: ".", decimalSeparator: "," },
  "c3-dkk-incl-lineround": { ...DK_STORE, currency: "DKK", currencySymbol: "kr.", priceDecimals: 2, pricesIncludeTax: true, taxRoundAtSubtotal: false, taxDisplayShop: "incl", taxDisplayCart: "incl", thousandSeparator: ".", decimalSeparator: "," },
  "c4-dkk-incl-subtotalround": { ...DK_STORE, currency: "DKK", currencySymbol: "kr.", priceDecimals: 2, pricesIncludeTax: true, taxRoundAtSubtotal: true, taxDisplayShop: "incl", taxDisplayCart: "incl", thousandSeparator: ".", decimalSeparator: "," },
  "c5-sek-incl-lineround-3dp": { ...SE_STORE, currency: "SEK", currencySymbol: "kr", priceDecimals: 3, pricesIncludeTax: true, taxRoundAtSubtotal: false, taxDisplayShop: "incl", taxDisplayCart: "incl", thousandSeparator: "", decimalSeparator: "," },
  "c6-sek-excl-subtotalround-3dp": { ...SE_STORE, currency: "SEK", currencySymbol: "kr", priceDecimals: 3, pricesIncludeTax: false, taxRoundAtSubtotal: true, taxDisplayShop: "excl", taxDisplayCart: "excl", thousandSeparator: "", decimalSeparator: "," },
};

export type FixtureScenarioKey = "A" | "B" | "C" | "D" | "E" | "F" | "G" | "H";

export interface FixtureScenario {
  key: FixtureScenarioKey;
  name: string;
  lines: [sku: string, quantity: number][];
  coupons: string[];
  fees: { name: string; total: string; taxable: boolean }[];
  who: keyof typeof FIXTURE_ADDRESSES;
  /** Registered customer for the REST path (the Store API path used guests, except E). */
  customerId: number;
  vatNumber: string | null;
  ship: boolean;
  paymentMethod: "bacs" | "cod";
  customerNote: string;
  rest: { status?: CheckoutInput["status"]; setPaid?: boolean; then: NonNullable<CheckoutInput["thenStatus"]> };
  /** null: no Store API twin was recorded. */
  store: { then: NonNullable<CheckoutInput["thenStatus"]>; loggedIn: boolean } | null;
}

const FEES_C = [
  { name: "Ekspeditionsgebyr", total: "19.95", taxable: true },
  { name: "Mængderabat", total: "-25.00", taxable: true },
  { name: "Miljøbidrag", total: "5.00", taxable: false },
  { name: "Goodwill", total: "-10.00", taxable: false },
];

/** README "Scenarios" table and each order file's scenario_input. */
export const FIXTURE_SCENARIOS: Record<FixtureScenarioKey, FixtureScenario> = {
  A: { key: "A", name: "A-single-line-guest", lines: [["MUG-001", 3]], coupons: [], fees: [], who: "dkGuest", customerId: 0, vatNumber: null, ship: false, paymentMethod: "bacs", customerNote: "", rest: { status: "pending", then: [] }, store: null },
  B: { key: "B", name: "B-mixed-classes-pct15-shipping", lines: [["MUG-001", 2], ["MILK-1L", 6], ["BOOK-TAX-3333", 1], ["SCALE-19996", 3]], coupons: ["PCT15"], fees: [], who: "dkCompany", customerId: 2, vatNumber: "DK12345678", ship: true, paymentMethod: "bacs", customerNote: "", rest: { setPaid: true, then: [] }, store: { then: [], loggedIn: false } },
  C: { key: "C", name: "C-fixcart33-fees-variations-se", lines: [["TSHIRT-L", 2], ["BEANS-500G", 3], ["GUM/MINT-10", 17], ["ABCDEFGHIJ-0123456789-XYZ", 4]], coupons: ["FIX33"], fees: FEES_C, who: "seGuestCompany", customerId: 0, vatNumber: "SE559900112201", ship: true, paymentMethod: "cod", customerNote: "Lämna paketet vid dörren.", rest: { status: "processing", then: ["completed"] }, store: { then: ["completed"], loggedIn: false } },
  D: { key: "D", name: "D-fixprod5-qty50-no-cancelled", lines: [["SODA-033", 50], ["MUG-001", 1], ["GUM/MINT-10", 10]], coupons: ["FIXPROD5"], fees: [], who: "noGuest", customerId: 0, vatNumber: null, ship: true, paymentMethod: "cod", customerNote: "", rest: { status: "pending", then: ["cancelled"] }, store: { then: ["cancelled"], loggedIn: false } },
  E: { key: "E", name: "E-six-lines-pct12_5-fix100-note", lines: [["MUG-001", 1], ["CHAIR-ERGO-1249", 1], ["ART-POSTER-A2", 2], ["PROMO-SALE-1", 3], ["BEANS-1KG", 2], ["EXPORT-ZERO-1", 1]], coupons: ["PCT12_5", "FIX100"], fees: [], who: "dkCompany", customerId: 2, vatNumber: "DK12345678", ship: true, paymentMethod: "bacs", customerNote: "Ring venligst før levering.", rest: { status: "processing", then: [] }, store: { then: ["processing"], loggedIn: true } },
  F: { key: "F", name: "F-awkward-prices-bigqty-se-registered", lines: [["SAMPLE-001", 50], ["SCALE-19996", 13], ["BOOK-TAX-3333", 7], ["ABCDEFGHIJ-0123456789-XYZ", 49], ["MILK-1L", 11], ["HOTEL-NIGHT", 1]], coupons: [], fees: [], who: "seCompany", customerId: 3, vatNumber: "SE556677889901", ship: true, paymentMethod: "cod", customerNote: "", rest: { status: "completed", setPaid: true, then: [] }, store: null },
  G: { key: "G", name: "G-virtual-only-no-shipping", lines: [["NEWS-DIGITAL-1M", 3], ["HOTEL-NIGHT", 2]], coupons: [], fees: [], who: "dkGuest", customerId: 0, vatNumber: null, ship: false, paymentMethod: "bacs", customerNote: "", rest: { setPaid: true, then: [] }, store: { then: [], loggedIn: false } },
  H: { key: "H", name: "H-reduced-classes-only-shipping-inherit", lines: [["MILK-1L", 4], ["BOOK-TAX-3333", 2], ["FOOD-LUNCH-6499", 1]], coupons: [], fees: [], who: "dkGuest", customerId: 0, vatNumber: null, ship: true, paymentMethod: "cod", customerNote: "", rest: { status: "processing", then: [] }, store: { then: [], loggedIn: false } },
};

const PAYMENT_TITLES = { bacs: "Direct bank transfer", cod: "Cash on delivery" } as const;

/**
 * The checkout the sandbox runs for a recorded order: the same basket, coupons, fees, address and
 * shipping; `via` picks WooCommerce's code path (REST order calculation or cart/Store API totals).
 */
export function fixtureCheckout(scenarioKey: FixtureScenarioKey, via: CheckoutInput["via"]): CheckoutInput {
  const s = FIXTURE_SCENARIOS[scenarioKey];
  const address = FIXTURE_ADDRESSES[s.who];
  const registered = via === "rest-api" ? s.customerId : s.store?.loggedIn ? s.customerId : 0;
  const input: CheckoutInput = {
    via,
    lines: s.lines.map(([sku, quantity]) => ({ sku, quantity })),
    coupons: s.coupons,
    fees: s.fees.map((f) => ({ name: f.name, total: f.total, taxable: f.taxable, taxClass: "" })),
    billing: { ...address.billing },
    shipping: { ...address.shipping },
    shippingMethod: s.ship ? "zone" : null,
    customerId: registered,
    paymentMethod: s.paymentMethod,
    paymentMethodTitle: PAYMENT_TITLES[s.paymentMethod],
    customerNote: s.customerNote,
    metaData: via === "rest-api" && s.vatNumber ? [{ key: "_billing_vat_number", value: s.vatNumber }] : [],
    thenStatus: via === "rest-api" ? s.rest.then : (s.store?.then ?? []),
  };
  if (via === "rest-api") {
    if (s.rest.status) input.status = s.rest.status;
    if (s.rest.setPaid) input.setPaid = true;
  } else if (s.vatNumber) {
    input.additionalFields = { "fixtures/vat-number": s.vatNumber };
  }
  return input;
}

/** The 84 recorded orders: file name → config, scenario and path. */
export interface FixtureOrderRef {
  config: FixtureConfigName;
  file: string;
  scenario: FixtureScenarioKey;
  via: CheckoutInput["via"];
}

export function fixtureOrderRefs(): FixtureOrderRef[] {
  const files: [string, FixtureScenarioKey, CheckoutInput["via"]][] = [
    ["01-rest-A-single-line-guest.json", "A", "rest-api"],
    ["02-rest-B-mixed-classes-pct15-shipping.json", "B", "rest-api"],
    ["03-store-api-B-mixed-classes-pct15-shipping.json", "B", "store-api"],
    ["04-rest-C-fixcart33-fees-variations-se.json", "C", "rest-api"],
    ["05-store-api-C-fixcart33-fees-variations-se.json", "C", "store-api"],
    ["06-rest-D-fixprod5-qty50-no-cancelled.json", "D", "rest-api"],
    ["07-store-api-D-fixprod5-qty50-no-cancelled.json", "D", "store-api"],
    ["08-rest-E-six-lines-pct12_5-fix100-note.json", "E", "rest-api"],
    ["09-store-api-E-six-lines-pct12_5-fix100-note.json", "E", "store-api"],
    ["10-rest-F-awkward-prices-bigqty-se-registered.json", "F", "rest-api"],
    ["11-rest-G-virtual-only-no-shipping.json", "G", "rest-api"],
    ["12-store-api-G-virtual-only-no-shipping.json", "G", "store-api"],
    ["13-rest-H-reduced-classes-only-shipping-inherit.json", "H", "rest-api"],
    ["14-store-api-H-reduced-classes-only-shipping-inherit.json", "H", "store-api"],
  ];
  const configs = Object.keys(FIXTURE_CONFIGS) as FixtureConfigName[];
  return configs.flatMap((config) => files.map(([file, scenario, via]) => ({ config, file, scenario, via })));
}
