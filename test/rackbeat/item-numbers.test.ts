import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKit, type Kit } from "./rackbeat-test-kit.js";

// Rackbeat item numbers are strings that may hold `/`, `#`, spaces and more; they go into paths
// percent-encoded once (rackbeat-api.md §1.5).
const AWKWARD = ["ABC/123", "#123", "A B C", "50%-OFF", "Q?x=1&y", "ÆØÅ-æøå", "a/b#c d", "X".repeat(25)];

describe("item numbers with /, # and friends", () => {
  let kit: Kit;
  let customer: number;
  beforeAll(async () => {
    kit = await startKit();
    [customer] = kit.sandbox.seedCustomers([{ name: "Kunde" }]) as [number];
  });
  afterAll(() => kit.close());

  it.each(AWKWARD)("creates, reads, updates and stocks %j", async (number) => {
    const created = await kit.client.createProduct({ number, name: `Item ${number}`, sales_price: 10, group: 1, stock_quantity: 4 });
    expect(created.number).toBe(number);
    expect((await kit.client.getProduct(number)).number).toBe(number);
    expect((await kit.client.getItem(number)).available_quantity).toBe(4);
    const updated = await kit.client.updateProduct(number, { name: "Renamed" });
    expect(updated.name).toBe("Renamed");
    const rows = await kit.client.getProductStockByLocation(number);
    expect(rows.map((r) => [r.number, r.stock_quantity])).toEqual([[1, 4]]);
    const order = await kit.client.createOrder({ customer_id: customer, lines: [{ item_id: number, quantity: 1 }] });
    expect(order.lines[0]?.child_id).toBe(number);
    expect((await kit.client.getProduct(number)).in_order_quantity).toBe(1);
  });

  it("does not confuse an encoded slash with a path separator, or # with a fragment", async () => {
    kit.sandbox.seedProducts([{ number: "X" }, { number: "X/1" }, { number: "X#1" }]);
    expect((await kit.client.getProduct("X/1")).number).toBe("X/1");
    expect((await kit.client.getProduct("X#1")).number).toBe("X#1");
    expect(await kit.client.findProduct("X/2")).toBeUndefined();
  });

  it("sandbox: also accepts a double-encoded number and urlfriendly_number", async () => {
    kit.sandbox.seedProducts([{ number: "DBL/9#" }]);
    const auth = { Authorization: `Bearer ${kit.sandbox.token}` };
    const double = await fetch(`${kit.sandbox.baseUrl}/products/${encodeURIComponent(encodeURIComponent("DBL/9#"))}`, { headers: auth });
    expect(((await double.json()) as { product: { number: string } }).product.number).toBe("DBL/9#");
    const friendly = await fetch(`${kit.sandbox.baseUrl}/products/DBL-9-`, { headers: auth });
    expect(((await friendly.json()) as { product: { urlfriendly_number: string } }).product.urlfriendly_number).toBe("DBL-9-");
    const raw = await fetch(`${kit.sandbox.baseUrl}/products/DBL/9`, { headers: auth });
    expect(raw.status).toBe(404);
  });
});
