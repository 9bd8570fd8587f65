import { afterEach, describe, expect, it } from "vitest";
import { RackbeatOrderNumberTaken } from "../../bridge/src/rackbeat/index.js";
import { startKit, startReceiver, type Kit } from "./rackbeat-test-kit.js";

describe("stock arithmetic: booking reserves, shipping moves", () => {
  let kit: Kit | undefined;
  afterEach(async () => {
    await kit?.close();
    kit = undefined;
  });

  const figures = async (number: string) => {
    const p = await kit!.client.getProduct(number);
    return [p.stock_quantity, p.in_order_quantity, p.available_quantity];
  };

  it("follows an order from draft to shipped", async () => {
    kit = await startKit();
    const receiver = await startReceiver();
    try {
      kit.sandbox.seedProductGroups([{ number: 2, name: "Fees", has_inventory: false }]);
      kit.sandbox.seedProducts([{ number: "A", stock: 10 }, { number: "B", stock: 3 }, { number: "SHIP", group: 2 }]);
      const [customer] = kit.sandbox.seedCustomers([{ name: "Kunde" }]) as [number];
      await kit.client.upsertWebhook({ event: "inventory.changed", url: receiver.url });

      const draft = await kit.client.createOrder(
        { customer_id: customer, lines: [{ item_id: "A", quantity: 4 }, { item_id: "B", quantity: 1.5 }, { item_id: "SHIP", quantity: 1, line_price: 49 }] },
        { state: "draft" },
      );
      expect(draft.is_booked).toBe(false);
      expect(await figures("A")).toEqual([10, 0, 10]); // a draft reserves nothing

      await kit.client.bookOrder(draft.number);
      expect(await figures("A")).toEqual([10, 4, 6]);
      expect(await figures("B")).toEqual([3, 1.5, 1.5]);
      await kit.sandbox.webhooksIdle();
      expect(receiver.received).toHaveLength(0); // booking is not a stock movement

      kit.sandbox.shipOrder(draft.number);
      expect(await figures("A")).toEqual([6, 0, 6]);
      expect(await figures("B")).toEqual([1.5, 0, 1.5]);
      const order = await kit.client.getOrder(draft.number);
      expect(order.is_shipped).toBe(true);
      const shipments = await kit.client.listOrderShipments(draft.number);
      expect(shipments).toHaveLength(1);
      expect(shipments[0]!.is_shipped).toBe(true);
      expect(shipments[0]!.lines.map((l) => [l.child_id, l.quantity])).toEqual([
        ["A", 4],
        ["B", 1.5],
        ["SHIP", 1],
      ]);
      await kit.sandbox.webhooksIdle();
      expect(receiver.received.map((d) => (d.body as { key: string }).key).sort()).toEqual(["A", "B"]);
    } finally {
      await receiver.close();
    }
  });

  it("keeps stock per location and reserves where the line picks", async () => {
    kit = await startKit();
    kit.sandbox.seedLocations([{ number: 2, name: "Shop" }]);
    kit.sandbox.seedProducts([{ number: "A", stock: { 1: 5, 2: 2 } }]);
    const [customer] = kit.sandbox.seedCustomers([{ name: "Kunde" }]) as [number];
    await kit.client.createOrder({ customer_id: customer, lines: [{ item_id: "A", quantity: 2, location_id: 2 }] });
    const rows = await kit.client.getProductStockByLocation("A");
    expect(rows.map((r) => [r.number, r.stock_quantity, r.in_order_quantity, r.available_quantity])).toEqual([
      [1, 5, 0, 5],
      [2, 2, 2, 0],
    ]);
    expect(await figures("A")).toEqual([7, 2, 5]);
    expect((await kit.client.getLocation(2)).name).toBe("Shop");
    expect((await collect(kit.client.iterateLocations())).map((l) => l.number)).toEqual([1, 2]);
  });

  it("releases the reservation when an unshipped order is deleted; adjustments move stock", async () => {
    kit = await startKit();
    kit.sandbox.seedProducts([{ number: "A", stock: 10 }]);
    const [customer] = kit.sandbox.seedCustomers([{ name: "Kunde" }]) as [number];
    const order = await kit.client.createOrder({ customer_id: customer, lines: [{ item_id: "A", quantity: 3 }] });
    expect(await figures("A")).toEqual([10, 3, 7]);
    expect(await kit.client.deleteOrder(order.number)).toBe(true);
    expect(await kit.client.deleteOrder(order.number)).toBe(false);
    expect(await figures("A")).toEqual([10, 0, 10]);
    const adjustment = await kit.client.createInventoryAdjustment({ itemNumber: "A", quantity: -0.25, locationNumber: 1 });
    expect(adjustment.quantity).toBe(-0.25);
    expect(await figures("A")).toEqual([9.75, 0, 9.75]);
  });
});

describe("orders: own numbers, references, totals, notes", () => {
  let kit: Kit | undefined;
  afterEach(async () => {
    await kit?.close();
    kit = undefined;
  });

  it("refuses an own order number the second time, booked or draft", async () => {
    kit = await startKit();
    kit.sandbox.seedProducts([{ number: "A", stock: 10 }]);
    const [customer] = kit.sandbox.seedCustomers([{ name: "Kunde" }]) as [number];
    const input = { number: 70_001, customer_id: customer, lines: [{ item_id: "A", quantity: 1 }] };
    expect((await kit.client.createOrder(input)).number).toBe(70_001);
    const error = await kit.client.createOrder(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RackbeatOrderNumberTaken);
    expect((error as RackbeatOrderNumberTaken).fieldErrors.number).toBeDefined();
    await expect(kit.client.createOrder(input, { state: "draft" })).rejects.toBeInstanceOf(RackbeatOrderNumberTaken);
    expect(kit.sandbox.listOrders()).toHaveLength(1);
    expect(await figures(kit, "A")).toEqual([10, 1, 9]);
    // Auto-numbered orders skip numbers already taken.
    const auto = await kit.client.createOrder({ customer_id: customer, lines: [{ item_id: "A", quantity: 1 }] });
    expect(auto.number).toBe(1001);
  });

  it("finds orders by reference, and finds nothing when reference search is off", async () => {
    kit = await startKit();
    kit.sandbox.seedProducts([{ number: "A", stock: 10 }]);
    const [customer] = kit.sandbox.seedCustomers([{ name: "Kunde" }]) as [number];
    await kit.client.createOrder({ customer_id: customer, other_reference: "SHOP1-1001", lines: [{ item_id: "A", quantity: 1 }] });
    await kit.client.createOrder({ customer_id: customer, other_reference: "SHOP1-10011", lines: [{ item_id: "A", quantity: 1 }] });
    expect((await kit.client.findOrdersByReference("SHOP1-1001")).map((o) => o.other_reference)).toEqual(["SHOP1-1001"]);
    kit.sandbox.configure({ referenceSearch: false });
    expect(await kit.client.findOrdersByReference("SHOP1-1001")).toEqual([]);
  });

  it("finds customers by e-mail and VAT number (exact), e-mail only while reference search is on", async () => {
    kit = await startKit();
    kit.sandbox.seedCustomers([
      { name: "Jane", contact_email: "Jane@Example.dk", company_vat: "DK12345678" },
      { name: "Janet", contact_email: "janet@example.dk" },
    ]);
    kit.sandbox.resetStats();
    expect((await kit.client.findCustomersByEmail("jane@example.dk")).map((c) => c.name)).toEqual(["Jane"]);
    expect(kit.sandbox.stats().requests).toBe(1); // the e-mail filter did the work
    expect((await kit.client.findCustomersByVat("dk 1234 5678")).map((c) => c.name)).toEqual(["Jane"]);
    kit.sandbox.configure({ referenceSearch: false });
    kit.sandbox.resetStats();
    expect(await kit.client.findCustomersByEmail("jane@example.dk")).toEqual([]);
    expect(kit.sandbox.stats().requests).toBe(2); // filter ignored (both came back), then search: nothing
    expect((await kit.client.findCustomersByVat("DK12345678")).map((c) => c.name)).toEqual(["Jane"]);
    const created = await kit.client.createCustomer({ name: "New ApS", contact_email: "new@example.dk", vat_zone: "eu", currency: "EUR" });
    expect(await kit.client.findCustomerByNumber(created.number)).toMatchObject({ name: "New ApS", vat_zone: "eu" });
    expect((await kit.client.updateCustomer(created.number, { contact_phone: "+45 1234" })).contact_phone).toBe("+45 1234");
    await kit.client.createCustomerContact(created.number, { name: "Per", contact_email: "per@example.dk" });
    expect((await kit.client.listCustomerContacts(created.number)).map((c) => c.name)).toEqual(["Per"]);
  });

  it("reports totals and VAT per rate under both rounding models", async () => {
    kit = await startKit();
    kit.sandbox.seedProductGroups([{ number: 2, name: "Books", vat_domestic: 12 }]);
    kit.sandbox.seedProducts([{ number: "A", stock: 100 }, { number: "BOOK", group: 2, stock: 100 }]);
    const [customer] = kit.sandbox.seedCustomers([{ name: "Kunde" }]) as [number];
    const lines = [
      { item_id: "A", quantity: 1, line_price: 0.333 },
      { item_id: "A", quantity: 1, line_price: 0.333 },
      { item_id: "A", quantity: 1, line_price: 0.333 },
      { item_id: "BOOK", quantity: 3, line_price: 9.9999, discount_percentage: 10 },
    ];
    const byLine = await kit.client.createOrder({ customer_id: customer, lines });
    // line: 0.33 ×3 → 0.99, VAT 0.08 ×3 → 0.24; book 26.99973 → 27.00, VAT 3.24.
    expect(byLine.vat_by_rate).toEqual([
      { rate: 25, base: 0.99, vat: 0.24 },
      { rate: 12, base: 27, vat: 3.24 },
    ]);
    expect([byLine.total_subtotal, byLine.total_vat, byLine.total_total]).toEqual([27.99, 3.48, 31.47]);
    expect(byLine.lines[3]?.vat_percentage).toBe(12); // from the product group

    kit.sandbox.configure({ roundingModel: "total" });
    const byTotal = await kit.client.getOrder(byLine.number);
    // total: 0.999 → 1.00, VAT 0.24975 → 0.25; book 26.99973 → 27.00, VAT 3.2399676 → 3.24.
    expect(byTotal.vat_by_rate).toEqual([
      { rate: 25, base: 1, vat: 0.25 },
      { rate: 12, base: 27, vat: 3.24 },
    ]);
    expect(byTotal.total_total).toBe(31.49);
  });

  it("keeps notes and references on the order", async () => {
    kit = await startKit();
    kit.sandbox.seedProducts([{ number: "A", stock: 1 }]);
    const [customer] = kit.sandbox.seedCustomers([{ name: "Kunde" }]) as [number];
    const order = await kit.client.createOrder({
      customer_id: customer,
      other_reference: "SHOP-9",
      heading: "Webshop order SHOP-9",
      note: "Leave at the door",
      lines: [{ item_id: "A", quantity: 1, name: "A, gift wrapped" }],
    });
    expect(order).toMatchObject({ other_reference: "SHOP-9", heading: "Webshop order SHOP-9", note: "Leave at the door" });
    expect(order.lines[0]?.name).toBe("A, gift wrapped");
    await kit.client.addOrderNote(order.number, "Paid with Klarna, ref K-1");
    expect((await kit.client.listOrderNotes(order.number)).map((n) => n.note)).toEqual(["Paid with Klarna, ref K-1"]);
    const page = await kit.client.listOrders({ filters: { is_booked: true } });
    expect(page.items.map((o) => o.number)).toEqual([order.number]);
  });
});

async function figures(kit: Kit, number: string) {
  const p = await kit.client.getProduct(number);
  return [p.stock_quantity, p.in_order_quantity, p.available_quantity];
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iterable) out.push(x);
  return out;
}
