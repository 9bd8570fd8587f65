import { afterEach, describe, expect, it } from "vitest";
import { createRackbeatClient, RackbeatOrderNumberTaken, RackbeatTimeout, RackbeatUnavailable, SlidingWindowRateGate } from "../../bridge/src/rackbeat/index.js";
import { startKit, USER_AGENT, type Kit } from "./rackbeat-test-kit.js";

describe("5xx, timeouts and lost responses", () => {
  let kit: Kit | undefined;
  afterEach(async () => {
    await kit?.close();
    kit = undefined;
  });

  it("retries 5xx on reads until it gets through", async () => {
    kit = await startKit();
    kit.sandbox.seedProducts([{ number: "A", sales_price: 12.5 }]);
    kit.sandbox.injectFault({ kind: "status", status: 503, method: "GET", path: "/products/A", times: 2 });
    const product = await kit.client.getProduct("A");
    expect(product.sales_price).toBe(12.5);
    expect(kit.sandbox.stats().byStatus).toMatchObject({ "503": 2, "200": 1 });
  });

  it("gives up after maxAttempts with RackbeatUnavailable", async () => {
    kit = await startKit({}, { maxAttempts: 3 });
    kit.sandbox.injectFault({ kind: "status", status: 500, path: "/self", times: Number.POSITIVE_INFINITY });
    const error = await kit.client.self().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RackbeatUnavailable);
    expect((error as RackbeatUnavailable).retryable).toBe(true);
    expect(kit.sandbox.stats().byStatus["500"]).toBe(3);
  });

  it("does not repeat a create after a 5xx (the outcome is unknown)", async () => {
    kit = await startKit();
    kit.sandbox.injectFault({ kind: "status", status: 502, method: "POST", path: "/products", times: 1 });
    const error = await kit.client.createProduct({ number: "NEW", name: "New", sales_price: 1, group: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RackbeatUnavailable);
    expect(kit.sandbox.stats().requests).toBe(1);
  });

  it("times out a hanging request and retries it", async () => {
    kit = await startKit({}, { timeoutMs: 150 });
    kit.sandbox.seedProducts([{ number: "A" }]);
    kit.sandbox.injectFault({ kind: "hang", method: "GET", path: "/products/A", times: 1 });
    const t0 = performance.now();
    const product = await kit.client.getProduct("A");
    expect(product.number).toBe("A");
    expect(performance.now() - t0).toBeGreaterThanOrEqual(145);
    expect(kit.sandbox.stats().hung).toBe(1);
  });

  it("throws RackbeatTimeout when every attempt hangs", async () => {
    kit = await startKit({}, { timeoutMs: 80, maxAttempts: 2 });
    kit.sandbox.injectFault({ kind: "hang", path: "/self", times: Number.POSITIVE_INFINITY });
    const error = await kit.client.self().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RackbeatTimeout);
    expect(kit.sandbox.stats().hung).toBe(2);
  });

  it("retries latency spikes past the timeout, but lets slow-but-in-time answers through", async () => {
    kit = await startKit({ latencyMs: 40 }, { timeoutMs: 500 });
    const me = await kit.client.self();
    expect(me.user_account.id).toBeGreaterThan(0);
    expect(kit.sandbox.stats().requests).toBe(1);
  });

  it("order created but the answer lost: the retry with the same number is refused, the order is there once", async () => {
    kit = await startKit();
    kit.sandbox.seedProducts([{ number: "A", stock: 10 }]);
    const [customer] = kit.sandbox.seedCustomers([{ name: "Kunde" }]) as [number];
    const order = { number: 50_001, customer_id: customer, other_reference: "WOO-1", lines: [{ item_id: "A", quantity: 2, line_price: 10 }] };

    for (const mode of ["destroy", "status"] as const) {
      const number = mode === "destroy" ? 50_001 : 50_002;
      kit.sandbox.injectFault({ kind: "lose-response", mode, method: "POST", path: "/orders", times: 1 });
      const lost = await kit.client.createOrder({ ...order, number }).catch((e: unknown) => e);
      expect(lost).toBeInstanceOf(RackbeatUnavailable);
      const again = await kit.client.createOrder({ ...order, number }).catch((e: unknown) => e);
      expect(again).toBeInstanceOf(RackbeatOrderNumberTaken);
      expect((again as RackbeatOrderNumberTaken).orderNumber).toBe(number);
      expect((await kit.client.getOrder(number)).is_booked).toBe(true);
    }
    expect(kit.sandbox.listOrders().map((o) => o.number)).toEqual([50_001, 50_002]);
    expect(kit.sandbox.stats().lostResponses).toBe(2);
    // Stock was reserved once per order, not once per attempt.
    expect(kit.sandbox.getProduct("A")?.in_order_quantity).toBe(4);
  });

  it("retries a refused connection even for a create (nothing was sent)", async () => {
    kit = await startKit();
    const base = kit.sandbox.baseUrl;
    await kit.close();
    let attempts = 0;
    const client = createRackbeatClient({
      baseUrl: base,
      token: "t",
      userAgent: USER_AGENT,
      rateGate: new SlidingWindowRateGate(),
      maxAttempts: 3,
      backoff: { baseMs: 5, maxMs: 10 },
      fetch: (input, init) => {
        attempts++;
        return fetch(input, init);
      },
    });
    const error = await client.createProduct({ number: "X", name: "X", sales_price: 1, group: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RackbeatUnavailable);
    expect(attempts).toBe(3);
  });
});
