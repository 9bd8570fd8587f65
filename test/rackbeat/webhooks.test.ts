import { afterEach, describe, expect, it } from "vitest";
import { startKit, startReceiver, type Kit } from "./rackbeat-test-kit.js";

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

describe("webhooks: upsert and deliveries", () => {
  let kit: Kit | undefined;
  let receiver: Receiver | undefined;
  afterEach(async () => {
    await kit?.close();
    await receiver?.close();
    kit = undefined;
    receiver = undefined;
  });

  it("upserts on (event, url): the token only on creation, one webhook in the list", async () => {
    kit = await startKit();
    const first = await kit.client.upsertWebhook({ event: "inventory.changed", url: "https://bridge.example/hooks/rackbeat" });
    expect(first.created).toBe(true);
    expect(first.webhook.token).toMatch(/^[A-Za-z0-9]{32}$/);
    const again = await kit.client.upsertWebhook({ event: "inventory.changed", url: "https://bridge.example/hooks/rackbeat", isActive: false });
    expect(again.created).toBe(false);
    expect(again.webhook.token).toBeUndefined();
    expect(again.webhook.id).toBe(first.webhook.id);
    expect(again.webhook.is_active).toBe(false);
    await kit.client.upsertWebhook({ event: "product.updated", url: "https://bridge.example/hooks/rackbeat" });
    expect((await kit.client.listWebhooks()).map((w) => w.event).sort()).toEqual(["inventory.changed", "product.updated"]);
    expect((await kit.client.listWebhooks("product.updated")).length).toBe(1);
    expect(await kit.client.deleteWebhook(first.webhook.id)).toBe(true);
    expect(await kit.client.deleteWebhook(first.webhook.id)).toBe(false);
    expect((await kit.client.listWebhooks()).map((w) => w.event)).toEqual(["product.updated"]);
  });

  it("delivers inventory.changed with Rackbeat's headers and the minimal body, key as a string", async () => {
    kit = await startKit({ account: { id: 5150 } });
    receiver = await startReceiver();
    kit.sandbox.seedProducts([{ number: "SKU/1", stock: 5 }]);
    const { webhook } = await kit.client.upsertWebhook({ event: "inventory.changed", url: receiver.url });
    await kit.client.createInventoryAdjustment({ itemNumber: "SKU/1", quantity: -2, reason: "count" });
    await kit.sandbox.webhooksIdle();
    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    expect(delivery!.headers["rackbeat-webhook-token"]).toBe(webhook.token);
    expect(delivery!.headers["rackbeat-webhook-event"]).toBe("inventory.changed");
    expect(delivery!.headers["rackbeat-account-id"]).toBe("5150");
    expect(delivery!.headers["user-agent"]).toBe("Rackbeat Webhook");
    expect(delivery!.body).toEqual({ key_name: "number", key: "SKU/1" });
  });

  it("sends event and data in the full body variant; order keys are numbers-as-strings", async () => {
    kit = await startKit({ webhookBody: "full" });
    receiver = await startReceiver();
    kit.sandbox.seedProducts([{ number: "A", stock: 5 }]);
    const [customer] = kit.sandbox.seedCustomers([{ name: "Kunde" }]) as [number];
    await kit.client.upsertWebhook({ event: "order.created", url: receiver.url });
    await kit.client.upsertWebhook({ event: "product.updated", url: receiver.url });
    const order = await kit.client.createOrder({ customer_id: customer, lines: [{ item_id: "A", quantity: 1 }] });
    await kit.client.updateProduct("A", { name: "New name" });
    await kit.sandbox.webhooksIdle();
    const byEvent = Object.fromEntries(receiver.received.map((d) => [d.headers["rackbeat-webhook-event"], d.body as Record<string, unknown>]));
    expect(byEvent["order.created"]).toMatchObject({ key: String(order.number), key_name: "number", event: "order.created", data: { number: order.number } });
    expect(byEvent["product.updated"]).toMatchObject({ key: "A", old_key: "A", new_key: "A", changed: ["name"], data: { name: "New name" } });
  });

  it("fires product.created and honours suppress_webhooks", async () => {
    kit = await startKit();
    receiver = await startReceiver();
    await kit.client.upsertWebhook({ event: "product.created", url: receiver.url });
    await kit.client.upsertWebhook({ event: "inventory.changed", url: receiver.url });
    await kit.client.createProduct({ number: "QUIET", name: "Quiet", sales_price: 1, group: 1, stock_quantity: 3 }, { suppressWebhooks: true });
    await kit.client.createInventoryAdjustment({ itemNumber: "QUIET", quantity: 1 }, { suppressWebhooks: true });
    await kit.client.createProduct({ number: "LOUD", name: "Loud", sales_price: 1, group: 1 });
    await kit.sandbox.webhooksIdle();
    expect(receiver.received.map((d) => [d.headers["rackbeat-webhook-event"], (d.body as { key: string }).key])).toEqual([["product.created", "LOUD"]]);
  });

  it("retries failed deliveries with backoff and counts failures_since_last_success", async () => {
    kit = await startKit({ webhookRetry: { baseMs: 30, maxAttempts: 5 } });
    receiver = await startReceiver((n) => (n <= 2 ? 500 : 200));
    kit.sandbox.seedProducts([{ number: "A", stock: 1 }]);
    const { webhook } = await kit.client.upsertWebhook({ event: "inventory.changed", url: receiver.url });
    kit.sandbox.setStock("A", 9);
    await new Promise((r) => setTimeout(r, 10));
    await kit.sandbox.webhooksIdle();
    expect(receiver.received).toHaveLength(3);
    const gaps = [receiver.received[1]!.at - receiver.received[0]!.at, receiver.received[2]!.at - receiver.received[1]!.at];
    expect(gaps[0]).toBeGreaterThanOrEqual(28);
    expect(gaps[1]).toBeGreaterThanOrEqual(58); // doubled
    const attempts = kit.sandbox.webhookDeliveries().map((d) => [d.attempt, d.status]);
    expect(attempts).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
    expect((await kit.client.listWebhooks()).find((w) => w.id === webhook.id)?.failures_since_last_success).toBe(0);

    // A receiver that stays down: the counter climbs and deliveries stop after maxAttempts.
    receiver.received.length = 0;
    await receiver.close();
    kit.sandbox.setStock("A", 8);
    await kit.sandbox.webhooksIdle();
    expect((await kit.client.listWebhooks())[0]?.failures_since_last_success).toBe(5);
  });

  it("can deliver each event more than once (duplicates) and out of order", async () => {
    kit = await startKit();
    receiver = await startReceiver();
    kit.sandbox.seedProducts([{ number: "A" }, { number: "B" }, { number: "C" }]);
    await kit.client.upsertWebhook({ event: "inventory.changed", url: receiver.url });

    kit.sandbox.configure({ webhookFaults: { duplicates: 2 } });
    await kit.client.createInventoryAdjustment({ itemNumber: "A", quantity: 1 });
    await kit.sandbox.webhooksIdle();
    expect(receiver.received.map((d) => (d.body as { key: string }).key)).toEqual(["A", "A", "A"]);
    expect(new Set(receiver.received.map((d) => d.headers["rackbeat-webhook-token"])).size).toBe(1);

    receiver.received.length = 0;
    kit.sandbox.configure({ webhookFaults: { duplicates: 0, reorderWindowMs: 50 } });
    for (const n of ["A", "B", "C"]) await kit.client.createInventoryAdjustment({ itemNumber: n, quantity: 1 });
    await kit.sandbox.webhooksIdle();
    expect(receiver.received.map((d) => (d.body as { key: string }).key)).toEqual(["C", "B", "A"]);
  });
});
