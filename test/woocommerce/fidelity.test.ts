/**
 * Fidelity: for every recorded WooCommerce 10 order (6 tax configurations × 14 orders), the
 * sandbox given the same settings, products, quantities, coupons, fees and shipping produces the
 * same lines, taxes, tax lines and totals — to the stored precision, not just to the cent.
 * REST orders are checked twice: through the control API and by replaying the recorded request
 * bodies over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckoutInput } from "../sandboxes/woocommerce/checkout.js";
import {
  FIXTURE_ADDRESSES,
  FIXTURE_CONFIGS,
  FIXTURE_PRODUCTS,
  FIXTURE_SCENARIOS,
  type FixtureConfigName,
  fixtureCheckout,
  fixtureOrderRefs,
} from "../sandboxes/woocommerce/fixture-shop.js";
import { type WooSandbox, startWooSandbox } from "../sandboxes/woocommerce/index.js";
import { type OrderFixture, orderView, readFixture } from "./fixture-files.js";

const configs = Object.keys(FIXTURE_CONFIGS) as FixtureConfigName[];
const refs = fixtureOrderRefs();

function productIdOf(sku: string): { product_id: number; variation_id?: number } {
  const p = FIXTURE_PRODUCTS.find((x) => x.sku === sku);
  if (!p?.id) throw new Error(`no fixture product ${sku}`);
  return p.type === "variation" && p.parentId ? { product_id: p.parentId, variation_id: p.id } : { product_id: p.id };
}

describe("the fixture inputs are the recorded ones", () => {
  it("covers all 84 recorded orders", () => {
    expect(refs).toHaveLength(84);
    expect(new Set(refs.map((r) => `${r.config}/${r.file}`)).size).toBe(84);
  });

  it.each(refs.filter((r) => r.config === "c1-dkk-excl-lineround"))("$file: basket, coupons, fees, address and flow", (ref) => {
    const fixture = readFixture<OrderFixture>(`orders/${ref.config}/${ref.file}`);
    const input = fixtureCheckout(ref.scenario, ref.via);
    const scenario = FIXTURE_SCENARIOS[ref.scenario];
    expect(fixture.scenario).toBe(scenario.name);
    if (ref.via === "rest-api") {
      const body = fixture.steps[0]?.request.body as Record<string, unknown>;
      expect(body.line_items).toEqual(input.lines.map((l) => ({ ...productIdOf(l.sku ?? ""), quantity: l.quantity })));
      expect((body.coupon_lines as { code: string }[] | undefined)?.map((c) => c.code) ?? []).toEqual(input.coupons);
      expect(
        ((body.fee_lines as { name: string; total: string; tax_status: string }[] | undefined) ?? []).map((f) => ({ name: f.name, total: f.total, taxable: f.tax_status === "taxable" })),
      ).toEqual(input.fees?.map((f) => ({ name: f.name, total: f.total, taxable: f.taxable })));
      const shippingLines = (body.shipping_lines as { instance_id: string; total: string }[] | undefined) ?? [];
      expect(shippingLines.length > 0).toBe(input.shippingMethod === "zone");
      expect(body.billing).toEqual(input.billing);
      expect(body.shipping).toEqual(input.shipping);
      expect(body.customer_id ?? 0).toBe(input.customerId ?? 0);
      expect(body.payment_method).toBe(input.paymentMethod);
      expect(body.customer_note ?? "").toBe(input.customerNote ?? "");
      expect(body.meta_data ?? []).toEqual(input.metaData);
      expect(body.status).toBe(input.status);
      expect(body.set_paid).toBe(input.setPaid);
      expect(fixture.steps.slice(1).map((s) => (s.request.body as { status: string }).status)).toEqual(input.thenStatus);
    } else {
      const adds = fixture.steps.filter((s) => s.request.url.endsWith("/cart/add-item")).map((s) => s.request.body);
      expect(adds).toEqual(input.lines.map((l) => ({ id: productIdOf(l.sku ?? "").variation_id ?? productIdOf(l.sku ?? "").product_id, quantity: l.quantity })));
      const coupons = fixture.steps.filter((s) => s.request.url.endsWith("/cart/apply-coupon")).map((s) => (s.request.body as { code: string }).code);
      expect(coupons).toEqual(input.coupons);
      const fees = fixture.steps.find((s) => s.request.url.endsWith("/cart/extensions"))?.request.body as { data: { fees: { name: string; amount: string; taxable: boolean }[] } } | undefined;
      expect(fees?.data.fees.map((f) => ({ name: f.name, total: f.amount, taxable: f.taxable })) ?? []).toEqual(input.fees?.map((f) => ({ name: f.name, total: f.total, taxable: f.taxable })));
      const checkout = fixture.steps.find((s) => s.request.method === "POST" && s.request.url.endsWith("/checkout"))?.request.body as Record<string, Record<string, string>>;
      const strip = (a: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(a).filter(([k]) => k !== "fixtures/vat-number"));
      expect(strip(checkout.billing_address ?? {})).toEqual(FIXTURE_ADDRESSES[scenario.who].billing);
      expect(strip(checkout.shipping_address ?? {})).toEqual(FIXTURE_ADDRESSES[scenario.who].shipping);
      expect(checkout.payment_method).toBe(input.paymentMethod);
      expect(fixture.steps.filter((s) => s.request.method === "PUT").map((s) => (s.request.body as { status: string }).status)).toEqual(input.thenStatus);
    }
  });
});

describe.each(configs)("%s", (config) => {
  let woo: WooSandbox;
  let auth: string;

  beforeAll(async () => {
    // The recorded REST calls went over HTTPS with Basic auth; the sandbox is told it is behind TLS.
    woo = await startWooSandbox({ fixture: config, https: "assume" });
    const key = woo.createKey();
    auth = `Basic ${Buffer.from(`${key.consumerKey}:${key.consumerSecret}`).toString("base64")}`;
  });
  afterAll(() => woo.close());

  const mine = refs.filter((r) => r.config === config);

  it.each(mine)("$file: the checkout reproduces the recorded order", (ref) => {
    const recorded = readFixture<OrderFixture>(`orders/${ref.config}/${ref.file}`).order.body as Record<string, unknown>;
    const placed = woo.placeOrder(fixtureCheckout(ref.scenario, ref.via));
    expect(orderView(placed)).toEqual(orderView(recorded));
  });

  it.each(mine.filter((r) => r.via === "rest-api"))("$file: replaying the recorded REST calls over HTTP gives the same order", async (ref) => {
    const fixture = readFixture<OrderFixture>(`orders/${ref.config}/${ref.file}`);
    let orderId = 0;
    for (const step of fixture.steps) {
      const path = new URL(step.request.url).pathname.replace(/\/\d+$/, orderId ? `/${orderId}` : "");
      const res = await fetch(`${woo.url}${path}`, {
        method: step.request.method,
        headers: { Authorization: auth, "Content-Type": "application/json" },
        body: JSON.stringify(step.request.body),
      });
      expect(res.status).toBe(step.status);
      const body = (await res.json()) as { id: number };
      orderId ||= body.id;
    }
    const res = await fetch(`${woo.url}/wp-json/wc/v3/orders/${orderId}`, { headers: { Authorization: auth } });
    expect(res.status).toBe(200);
    expect(orderView((await res.json()) as Record<string, unknown>)).toEqual(orderView(fixture.order.body as Record<string, unknown>));
  });
});

describe("stored precision (GET ?dp=6) and the current decimals", () => {
  const dp6 = [
    ["c1-dkk-excl-lineround", "B", "rest-api", "c1-dkk-excl-lineround--02-rest-B-mixed-classes-pct15-shipping--dp6.json"],
    ["c2-dkk-excl-subtotalround", "B", "rest-api", "c2-dkk-excl-subtotalround--02-rest-B-mixed-classes-pct15-shipping--dp6.json"],
    ["c2-dkk-excl-subtotalround", "C", "rest-api", "c2-dkk-excl-subtotalround--04-rest-C-fixcart33-fees-variations-se--dp6.json"],
    ["c2-dkk-excl-subtotalround", "C", "store-api", "c2-dkk-excl-subtotalround--05-store-api-C-fixcart33-fees-variations-se--dp6.json"],
    ["c3-dkk-incl-lineround", "B", "rest-api", "c3-dkk-incl-lineround--02-rest-B-mixed-classes-pct15-shipping--dp6.json"],
    ["c4-dkk-incl-subtotalround", "B", "rest-api", "c4-dkk-incl-subtotalround--02-rest-B-mixed-classes-pct15-shipping--dp6.json"],
    ["c4-dkk-incl-subtotalround", "D", "store-api", "c4-dkk-incl-subtotalround--07-store-api-D-fixprod5-qty50-no-cancelled--dp6.json"],
    ["c6-sek-excl-subtotalround-3dp", "B", "rest-api", "c6-sek-excl-subtotalround-3dp--02-rest-B-mixed-classes-pct15-shipping--dp6.json"],
  ] as const;

  it.each(dp6)("%s %s %s: every stored amount equals the recording", async (config, scenario, via, file) => {
    const recorded = readFixture<{ body: Record<string, unknown> }>(`api/order-dp-6/${file}`).body;
    // [recorded] the dp-6 reads were taken at the end of the capture, with the shop in c6 (3
    // decimals, rounding at subtotal): tax totals are re-derived with the current settings on load.
    const woo = await startWooSandbox({ fixture: config as FixtureConfigName, https: "assume" });
    try {
      const key = woo.createKey();
      const order = woo.placeOrder(fixtureCheckout(scenario, via as CheckoutInput["via"]));
      woo.configure(FIXTURE_CONFIGS["c6-sek-excl-subtotalround-3dp"]);
      const res = await fetch(`${woo.url}/wp-json/wc/v3/orders/${order.id as number}?dp=6`, {
        headers: { Authorization: `Basic ${Buffer.from(`${key.consumerKey}:${key.consumerSecret}`).toString("base64")}` },
      });
      expect(orderView((await res.json()) as Record<string, unknown>)).toEqual(orderView(recorded));
    } finally {
      await woo.close();
    }
  });

  it("an order read while the shop shows 3 decimals renders its stored values with 3 (api/order-42-…)", async () => {
    const recorded = readFixture<{ exchange: { body: Record<string, unknown> } }>("api/order-42-c1-B-rest-read-again-while-store-has-3-decimals.json").exchange.body;
    const woo = await startWooSandbox({ fixture: "c1-dkk-excl-lineround" });
    try {
      const order = woo.placeOrder(fixtureCheckout("B", "rest-api"));
      // Read at 12:35:18, after the last c6 order: the shop was still in c6.
      woo.configure(FIXTURE_CONFIGS["c6-sek-excl-subtotalround-3dp"]);
      const again = woo.getOrder(order.id as number) ?? {};
      const view = orderView(again);
      const want = orderView(recorded);
      for (const k of ["total", "total_tax", "cart_tax", "discount_total", "discount_tax", "shipping_total", "shipping_tax", "line_items", "tax_lines", "shipping_lines", "coupon_lines"]) {
        expect(view[k], k).toEqual(want[k]);
      }
    } finally {
      await woo.close();
    }
  });
});
