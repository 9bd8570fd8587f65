import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedHeaders } from "../../bridge/src/http/signing.js";
import { updateRestOrder } from "../sandboxes/woocommerce/rest-orders.js";
import { ordersRuntime, startOrdersKit, type OrdersKit } from "./orders-kit.js";

describe("orders: settings, status back, edits, cancellations, reconciler and routes", () => {
  let kit: OrdersKit;
  beforeAll(async () => {
    kit = await startOrdersKit();
  }, 30_000);
  afterAll(async () => {
    await kit?.close();
  });

  const linkOf = (id: number) => kit.bridge.ctx.store.db.selectFrom("order_links").selectAll().where("woo_order_id", "=", id).executeTakeFirst();
  const stepsOf = async (id: number) => {
    const record = await kit.bridge.ctx.activity.findBySubject({ shopId: kit.shopId, type: "order", id: String(id) });
    return { record, steps: record ? (await kit.bridge.ctx.activity.get(kit.shopId, record.id))!.steps : [] };
  };
  const get = (path: string) => kit.bridge.signedFetch(kit.shopId, kit.shopSecret, "GET", path);
  const post = (path: string, body?: unknown) => kit.bridge.signedFetch(kit.shopId, kit.shopSecret, "POST", path, body);

  it("draft vs booked follows the setting", async () => {
    await kit.setSettings({ orders: { rackbeatOrderState: "draft", transferOrdersCreatedFrom: null } });
    const placed = kit.place("A");
    await kit.sendEvent(placed.id);
    await kit.waitForIdle();
    const [rb] = kit.rackbeatOrdersFor(placed.number as string);
    expect(rb?.is_booked).toBe(false);
    expect((await linkOf(placed.id))?.rackbeat_stage).toBe("draft");
    await kit.setSettings({ orders: { transferOrdersCreatedFrom: null } });
  });

  it("statuses and the created-from date are honoured", async () => {
    await kit.setSettings({ orders: { transferOnStatuses: ["completed"], transferOrdersCreatedFrom: null } });
    const processing = kit.place("A", "processing");
    await kit.sendEvent(processing.id);
    await kit.waitForIdle();
    expect(kit.rackbeatOrdersFor(processing.number as string)).toHaveLength(0);
    expect((await stepsOf(processing.id)).record?.state).toBe("skipped");

    kit.woo.setOrderStatus(processing.id, "completed");
    await kit.sendEvent(processing.id, "order.status_changed", { from: "processing", to: "completed" });
    await kit.waitForIdle();
    expect(kit.rackbeatOrdersFor(processing.number as string)).toHaveLength(1);

    await kit.setSettings({ orders: { transferOrdersCreatedFrom: "2999-01-01" } });
    const tooOld = kit.place("A", "processing");
    await kit.sendEvent(tooOld.id);
    await kit.waitForIdle();
    expect(kit.rackbeatOrdersFor(tooOld.number as string)).toHaveLength(0);
    expect((await stepsOf(tooOld.id)).record?.reason).toMatch(/before 2999-01-01/);
    await kit.setSettings({ orders: { transferOrdersCreatedFrom: null } });
  });

  it("manual mode skips automatic export; Send to Rackbeat exports", async () => {
    await kit.setSettings({ orders: { exportMode: "manual", transferOrdersCreatedFrom: null } });
    const placed = kit.place("A");
    await kit.sendEvent(placed.id);
    await kit.waitForIdle();
    expect(kit.rackbeatOrdersFor(placed.number as string)).toHaveLength(0);

    const sent = await post(`/v1/shops/${kit.shopId}/orders/${placed.id}/send`);
    expect(sent.status).toBe(202);
    await kit.waitForIdle();
    expect(kit.rackbeatOrdersFor(placed.number as string)).toHaveLength(1);
    const again = await post(`/v1/shops/${kit.shopId}/orders/${placed.id}/send`);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { already_exported: boolean }).already_exported).toBe(true);
    await kit.setSettings({ orders: { transferOrdersCreatedFrom: null } });
  });

  it("status back: shipped in Rackbeat → completed in WooCommerce, once, however often it is checked", async () => {
    const placed = kit.place("A");
    await kit.sendEvent(placed.id);
    await kit.waitForIdle();
    const [rb] = kit.rackbeatOrdersFor(placed.number as string);
    const poller = ordersRuntime(kit.bridge.ctx).poller;
    await poller.checkOrder(kit.shopId, placed.id);
    expect(kit.woo.getOrder(placed.id)?.status).toBe("processing");
    kit.rackbeat.shipOrder(rb!.number as number);
    await poller.poll();
    await poller.checkOrder(kit.shopId, placed.id); // a duplicate delivery / second pass
    const after = kit.woo.getOrder(placed.id)!;
    expect(after.status).toBe("completed");
    expect((await linkOf(placed.id))?.rackbeat_stage).toBe("shipped");
    const notes = kit.woo.shop.orders.get(placed.id)!.notes.filter((n) => /status set to completed/.test(n.note));
    expect(notes).toHaveLength(1);
  });

  it("edited after export: a draft is updated; a booked order gets a note and a flagged record", async () => {
    await kit.setSettings({ orders: { rackbeatOrderState: "draft", transferOrdersCreatedFrom: null } });
    const draft = kit.place("A");
    await kit.sendEvent(draft.id);
    await kit.waitForIdle();
    updateRestOrder(kit.woo.shop, draft.id, { customer_note: "Ring venligst først" });
    await kit.sendEvent(draft.id, "order.updated");
    await kit.waitForIdle();
    const [rbDraft] = kit.rackbeatOrdersFor(draft.number as string);
    expect(String(rbDraft?.note)).toMatch(/Ring venligst først/);

    await kit.setSettings({ orders: { transferOrdersCreatedFrom: null } });
    const booked = kit.place("A");
    await kit.sendEvent(booked.id);
    await kit.waitForIdle();
    updateRestOrder(kit.woo.shop, booked.id, { customer_note: "Ændret efter booking" });
    await kit.sendEvent(booked.id, "order.updated");
    await kit.waitForIdle();
    const [rbBooked] = kit.rackbeatOrdersFor(booked.number as string);
    expect(kit.rackbeat.state.orders.get(rbBooked!.number as number)!.notes.some((n) => /changed after this order was booked/.test(n.note))).toBe(true);
    expect((await stepsOf(booked.id)).record?.state).toBe("flagged");
  });

  it("cancelled: never exported → never; draft → deleted; booked → note and flag", async () => {
    const never = kit.place("A", "pending");
    kit.woo.setOrderStatus(never.id, "cancelled");
    await kit.sendEvent(never.id, "order.status_changed", { from: "pending", to: "cancelled" });
    await kit.waitForIdle();
    expect(kit.rackbeatOrdersFor(never.number as string)).toHaveLength(0);

    await kit.setSettings({ orders: { rackbeatOrderState: "draft", transferOrdersCreatedFrom: null } });
    const draft = kit.place("A");
    await kit.sendEvent(draft.id);
    await kit.waitForIdle();
    expect(kit.rackbeatOrdersFor(draft.number as string)).toHaveLength(1);
    kit.woo.setOrderStatus(draft.id, "cancelled");
    await kit.sendEvent(draft.id, "order.status_changed", { from: "processing", to: "cancelled" });
    await kit.waitForIdle();
    expect(kit.rackbeatOrdersFor(draft.number as string)).toHaveLength(0);
    expect((await linkOf(draft.id))?.state).toBe("deleted");

    await kit.setSettings({ orders: { transferOrdersCreatedFrom: null } });
    const booked = kit.place("A");
    await kit.sendEvent(booked.id);
    await kit.waitForIdle();
    kit.woo.setOrderStatus(booked.id, "cancelled");
    await kit.sendEvent(booked.id, "order.status_changed", { from: "processing", to: "cancelled" });
    await kit.waitForIdle();
    const [rb] = kit.rackbeatOrdersFor(booked.number as string);
    expect(rb).toBeDefined();
    expect(kit.rackbeat.state.orders.get(rb!.number as number)!.notes.some((n) => /cancel or credit/.test(n.note))).toBe(true);
    expect((await stepsOf(booked.id)).record?.state).toBe("flagged");
  });

  it("the reconciler finds an order whose event never came and sends it", async () => {
    const missed = kit.place("G", "processing");
    const listed = await get(`/v1/shops/${kit.shopId}/reconcile/orders`);
    expect(listed.status).toBe(200);
    const { missing } = (await listed.json()) as { missing: { id: number }[] };
    expect(missing.map((m) => m.id)).toContain(missed.id);
    const sent = await post(`/v1/shops/${kit.shopId}/reconcile/orders/send`, { ids: [missed.id] });
    expect(sent.status).toBe(202);
    await kit.waitForIdle();
    expect(kit.rackbeatOrdersFor(missed.number as string)).toHaveLength(1);
    const relisted = (await (await get(`/v1/shops/${kit.shopId}/reconcile/orders`)).json()) as { missing: { id: number }[] };
    expect(relisted.missing.map((m) => m.id)).not.toContain(missed.id);
  });

  it("preview and article-number check answer; bad input is refused with reasons", async () => {
    const preview = await get(`/v1/shops/${kit.shopId}/orders/preview?statuses=completed`);
    expect(preview.status).toBe(200);
    const body = (await preview.json()) as { statuses: string[]; orders: { status: string; would_send: boolean }[] };
    expect(body.statuses).toEqual(["completed"]);
    expect(body.orders.length).toBeGreaterThan(0);
    for (const o of body.orders) if (o.status !== "completed") expect(o.would_send).toBe(false);

    const check = await kit.bridge.signedFetch(kit.shopId, kit.shopSecret, "GET", "/v1/account/article-numbers/check?numbers=MUG-001,NOPE-404");
    expect(check.status).toBe(200);
    expect(((await check.json()) as { numbers: { number: string; exists: boolean }[] }).numbers).toEqual([
      expect.objectContaining({ number: "MUG-001", exists: true }),
      expect.objectContaining({ number: "NOPE-404", exists: false }),
    ]);

    // Malformed
    expect((await get(`/v1/shops/${kit.shopId}/orders/preview?statuses=%20bad%20status!`)).status).toBe(400);
    expect((await post(`/v1/shops/${kit.shopId}/orders/abc/send`)).status).toBe(400);
    expect((await kit.bridge.signedFetch(kit.shopId, kit.shopSecret, "GET", "/v1/account/article-numbers/check?numbers=has%20space")).status).toBe(400);
    expect((await post(`/v1/shops/${kit.shopId}/reconcile/orders/send`, { ids: ["x"] })).status).toBe(400);
    // Unsigned
    expect((await fetch(`${kit.bridge.url}/v1/shops/${kit.shopId}/orders/preview`)).status).toBe(401);
    // Stale
    const path = `/v1/shops/${kit.shopId}/reconcile/orders`;
    const stale = await fetch(`${kit.bridge.url}${path}`, { headers: signedHeaders(kit.shopId, kit.shopSecret, "GET", path, "", Date.now() - 3_600_000) });
    expect(stale.status).toBe(401);
    // Foreign shop
    const other = await kit.bridge.pairShop({ name: "Other shop" });
    const foreign = await kit.bridge.signedFetch(other.shopId, other.shopSecret, "POST", `/v1/shops/${kit.shopId}/orders/1/send`);
    expect(foreign.status).toBe(403);
  });
});
