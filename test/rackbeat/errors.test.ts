import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UpstreamRejected } from "../../bridge/src/lib/errors.js";
import { RackbeatRejected } from "../../bridge/src/rackbeat/index.js";
import { startKit, type Kit } from "./rackbeat-test-kit.js";

describe("422 mapping with Rackbeat's dotted field paths", () => {
  let kit: Kit;
  let customer: number;
  beforeAll(async () => {
    kit = await startKit();
    kit.sandbox.seedProducts([{ number: "OK-1", stock: 5 }, { number: "BARRED-1", is_barred: true }]);
    [customer] = kit.sandbox.seedCustomers([{ name: "Kunde A/S" }]) as [number];
  });
  afterAll(() => kit.close());

  async function rejection(promise: Promise<unknown>): Promise<RackbeatRejected> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RackbeatRejected);
    expect(error).toBeInstanceOf(UpstreamRejected);
    return error as RackbeatRejected;
  }

  it("names each bad line and the unknown customer", async () => {
    const error = await rejection(
      kit.client.createOrder({
        customer_id: 424242,
        lines: [
          { item_id: "OK-1", quantity: 1 },
          { item_id: "MISSING", quantity: 1 },
          { item_id: "BARRED-1", quantity: 1 },
          { quantity: 2 } as never,
        ],
      }),
    );
    expect(error.call.status).toBe(422);
    expect(error.retryable).toBe(false);
    expect(error.fieldErrors).toEqual({
      customer_id: ["The selected Customer is invalid."],
      "lines.1.item_id": ["The selected item is invalid."],
      "lines.2.item_id": ["Product 'BARRED-1' is barred."],
      "lines.3.item_id": ["Product needed"],
    });
    expect(error.message).toContain("The selected Customer is invalid.");
    expect(kit.sandbox.listOrders()).toHaveLength(0);
  });

  it("refuses a zero inventory adjustment", async () => {
    const error = await rejection(kit.client.createInventoryAdjustment({ itemNumber: "OK-1", quantity: 0 }));
    expect(Object.keys(error.fieldErrors)).toEqual(["quantity"]);
    expect(kit.sandbox.getProduct("OK-1")?.stock_quantity).toBe(5);
  });

  it("refuses line edits on a booked order but not on a draft", async () => {
    const booked = await kit.client.createOrder({ customer_id: customer, lines: [{ item_id: "OK-1", quantity: 1 }] });
    const error = await rejection(kit.client.updateOrder(booked.number, { lines: [{ item_id: "OK-1", quantity: 3 }] }));
    expect(error.fieldErrors.lines).toBeDefined();
    const headingOnly = await kit.client.updateOrder(booked.number, { heading: "Still editable" });
    expect(headingOnly.heading).toBe("Still editable");

    const draft = await kit.client.createOrder({ customer_id: customer, lines: [{ item_id: "OK-1", quantity: 1 }] }, { state: "draft" });
    const edited = await kit.client.updateOrder(draft.number, { lines: [{ item_id: "OK-1", quantity: 3 }] });
    expect(edited.lines.map((l) => l.quantity)).toEqual([3]);
  });

  it("refuses to book twice", async () => {
    const draft = await kit.client.createOrder({ customer_id: customer, lines: [{ item_id: "OK-1", quantity: 1 }] }, { state: "draft" });
    expect((await kit.client.bookOrder(draft.number)).is_booked).toBe(true);
    await rejection(kit.client.bookOrder(draft.number));
  });

  it("validates product numbers: at most 25 characters, unique", async () => {
    const long = await rejection(kit.client.createProduct({ number: "X".repeat(26), name: "Too long", sales_price: 1, group: 1 }));
    expect(Object.keys(long.fieldErrors)).toEqual(["number"]);
    const dup = await rejection(kit.client.createProduct({ number: "OK-1", name: "Again", sales_price: 1, group: 1 }));
    expect(dup.fieldErrors.number?.[0]).toMatch(/taken/);
    const group = await rejection(kit.client.createProduct({ number: "NEW-1", name: "Bad group", sales_price: 1, group: 99 }));
    expect(Object.keys(group.fieldErrors)).toEqual(["group"]);
  });

  it("validates webhooks", async () => {
    const error = await rejection(kit.client.upsertWebhook({ event: "no.such.event", url: "not a url" }));
    expect(Object.keys(error.fieldErrors).sort()).toEqual(["event", "url"]);
  });
});
