import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Money } from "../../bridge/src/lib/money.js";
import { META_ORDER_NUMBER } from "../../bridge/src/sync/orders/order-exporter.js";
import { fixtureCheckout } from "../sandboxes/woocommerce/fixture-shop.js";
import { startOrdersKit, type OrdersKit } from "./orders-kit.js";

/** WooCommerce's total and VAT per rate, from the order's REST JSON. */
function wooFigures(order: Record<string, unknown>) {
  const taxLines = order.tax_lines as { rate_percent: number; tax_total: string; shipping_tax_total: string }[];
  const vat = new Map<number, Money>();
  for (const t of taxLines) vat.set(t.rate_percent, (vat.get(t.rate_percent) ?? Money.ZERO).plus(Money.parse(t.tax_total)).plus(Money.parse(t.shipping_tax_total || "0")));
  return { total: Money.parse(String(order.total)).round(2), vat };
}

function expectEqualToTheCent(rackbeatOrder: Record<string, unknown>, wooOrder: Record<string, unknown>) {
  const want = wooFigures(wooOrder);
  expect(Money.fromNumber(rackbeatOrder.total_total as number).toFixed(2)).toBe(want.total.toFixed(2));
  const byRate = new Map((rackbeatOrder.vat_by_rate as { rate: number; vat: number }[]).map((r) => [r.rate, Money.fromNumber(r.vat).toFixed(2)]));
  for (const [rate, vat] of want.vat) expect(byRate.get(rate) ?? "0.00", `VAT at ${rate} %`).toBe(vat.round(2).toFixed(2));
}

describe("orders export, end to end over HTTP", () => {
  let kit: OrdersKit;
  beforeAll(async () => {
    kit = await startOrdersKit();
  }, 30_000);
  afterAll(async () => {
    await kit?.close();
  });

  it("a signed order event becomes one Rackbeat order equal to the cent, with the number written back", async () => {
    const placed = kit.place("B");
    const response = await kit.sendEvent(placed.id);
    expect(response.status).toBe(202);
    await kit.waitForIdle();

    const orders = kit.rackbeatOrdersFor(placed.number as string);
    expect(orders).toHaveLength(1);
    const rb = orders[0]!;
    expect(rb.is_booked).toBe(true);
    expect(rb.heading).toBe(String(placed.number));
    expect(rb.currency).toBe(placed.currency);
    expectEqualToTheCent(rb, placed);

    const after = kit.woo.getOrder(placed.id)!;
    const meta = (after.meta_data as { key: string; value: unknown }[]).find((m) => m.key === META_ORDER_NUMBER);
    expect(meta?.value).toBe(String(rb.number));
    const link = await kit.bridge.ctx.store.db.selectFrom("order_links").selectAll().where("woo_order_id", "=", placed.id).executeTakeFirstOrThrow();
    expect(Number(link.rackbeat_order_number)).toBe(rb.number);
    expect(link.state).toBe("exported");

    // The activity record holds every step, including the money report.
    const record = await kit.bridge.ctx.activity.findBySubject({ shopId: kit.shopId, type: "order", id: String(placed.id) });
    const detail = await kit.bridge.ctx.activity.get(kit.shopId, record!.id);
    const actions = detail!.steps.map((s) => s.action);
    expect(actions).toEqual(expect.arrayContaining(["read WooCommerce order", "qualify", "intent", "customer", "money", "create Rackbeat order", "write back to WooCommerce"]));
    expect(kit.stockCalls.filter((c) => c.order === placed.id).map((c) => c.op)).toEqual(["start", "settle"]);
  });

  it("the returning customer is matched, not created again", async () => {
    const before = kit.rackbeat.listCustomers().length;
    const placed = kit.place("B");
    await kit.sendEvent(placed.id);
    await kit.waitForIdle();
    expect(kit.rackbeatOrdersFor(placed.number as string)).toHaveLength(1);
    expect(kit.rackbeat.listCustomers().length).toBe(before);
  });

  it("a new customer's first two orders exported at the same time create the customer once", async () => {
    const base = fixtureCheckout("B", "rest-api");
    const email = `first.time.${Date.now()}@example.test`;
    const checkout = () => {
      const c = { ...base, billing: { ...base.billing, email }, thenStatus: [] as never[] };
      delete c.status;
      delete c.setPaid;
      return c;
    };
    const withEmail = () => kit.rackbeat.listCustomers().filter((c) => JSON.stringify(c).includes(email));
    expect(withEmail()).toHaveLength(0);
    const first = kit.place(checkout());
    const second = kit.place(checkout());
    const responses = await Promise.all([kit.sendEvent(first.id), kit.sendEvent(second.id)]);
    expect(responses.map((r) => r.status)).toEqual([202, 202]);
    await kit.waitForIdle();
    expect(kit.rackbeatOrdersFor(first.number as string)).toHaveLength(1);
    expect(kit.rackbeatOrdersFor(second.number as string)).toHaveLength(1);
    expect(withEmail()).toHaveLength(1);
    expect(kit.rackbeatOrdersFor(first.number as string)[0]!.customer_id).toBe(kit.rackbeatOrdersFor(second.number as string)[0]!.customer_id);
  });

  it("duplicate events (and the status change that follows) yield one Rackbeat order", async () => {
    const placed = kit.place("E");
    await Promise.all([kit.sendEvent(placed.id), kit.sendEvent(placed.id), kit.sendEvent(placed.id, "order.status_changed", { from: "pending", to: "processing" })]);
    await kit.waitForIdle();
    const orders = kit.rackbeatOrdersFor(placed.number as string);
    expect(orders).toHaveLength(1);
    expectEqualToTheCent(orders[0]!, placed);
  });

  it("an order whose SKU Rackbeat lacks is parked with the reason while the next order flows", async () => {
    kit.woo.seedProduct({ id: 300, type: "simple", sku: "NOT-IN-RB", name: "Unknown in Rackbeat", regularPrice: "10.00", taxClass: "", manageStock: true, stockQuantity: 5 });
    const bad = kit.place({ via: "rest-api", lines: [{ sku: "NOT-IN-RB", quantity: 1 }], billing: { email: "x@example.dk", country: "DK" } });
    const good = kit.place("A", "processing");
    await kit.sendEvent(bad.id);
    await kit.sendEvent(good.id);
    await kit.waitForIdle();
    expect(kit.rackbeatOrdersFor(good.number as string)).toHaveLength(1);
    expect(kit.rackbeatOrdersFor(bad.number as string)).toHaveLength(0);
    const jobs = await kit.bridge.ctx.queue.list({ shopId: kit.shopId, state: "parked" });
    const parked = jobs.find((j) => (j.payload as { event?: { resource_id?: number } }).event?.resource_id === bad.id);
    expect(parked?.lastError).toMatch(/NOT-IN-RB/);
  });
});
