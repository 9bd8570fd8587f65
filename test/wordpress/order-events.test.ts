/**
 * Order and product events on a real WordPress (WooCommerce through the double): every hook path
 * records once, duplicates collapse, drafts/refunds are ignored, bridge writes do not echo, and
 * the request that places an order makes no network call.
 */
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeBridge } from "./harness/fake-bridge.js";
import { createUser, httpLog, type OutboxRow, outboxRows, pairThroughPlugin, php, placeOrder, resetWp, runDelivery, wp } from "./harness/wp.js";

const summary = (rows: OutboxRow[], id?: number) =>
  rows
    .filter((r) => id === undefined || Number(r.resource_id) === id)
    .map((r) => [r.topic, Number(r.resource_id), r.status_from, r.status_to].filter((x) => x !== null).join(" "));

async function post(path: string, body: Record<string, unknown> = {}, options: { auth?: string; headers?: Record<string, string> } = {}) {
  const r = await wp("POST", `/wp-json/rbc-test/v1${path}`, { body, ...options });
  expect(r.status, r.text).toBe(200);
  return r.json;
}

beforeAll(async () => {
  await resetWp();
});

describe("order events: each WooCommerce flow records each fact once", () => {
  beforeEach(async () => {
    await resetWp();
  });

  it.each([
    ["classic checkout, card gateway (payment_complete)", { flow: "classic", payment: "card" }, ["order.created", "order.status_changed pending processing"]],
    ["classic checkout, cash on delivery (update_status)", { flow: "classic", payment: "cod" }, ["order.created", "order.status_changed pending processing"]],
    ["classic checkout, bank transfer (on-hold)", { flow: "classic", payment: "bacs" }, ["order.created", "order.status_changed pending on-hold"]],
    ["block checkout: drafts on page load, then place order", { flow: "block", payment: "card" }, ["order.created", "order.status_changed pending processing"]],
    ["admin-created order (auto-draft, then save as processing)", { flow: "admin", status: "processing" }, ["order.created", "order.status_changed pending processing"]],
    ["REST-created order straight into processing", { flow: "rest", status: "processing" }, ["order.created", "order.status_changed pending processing"]],
    ["REST-created pending order with set_paid", { flow: "rest", set_paid: true }, ["order.created", "order.status_changed pending processing"]],
  ])("%s", async (_name, input, expected) => {
    const id = await placeOrder(input);
    const rows = await outboxRows();
    expect(summary(rows)).toEqual(expected.map((e) => e.replace(/^(\S+)/, `$1 ${id}`).replace(/^(\S+ \d+) (\S+) (\S+)$/, "$1 $2 $3")));
    // One row per fact, each with its own event id and increasing seq.
    expect(new Set(rows.map((r) => r.event_id)).size).toBe(rows.length);
  });

  it("later requests: a second payment callback, a no-op status save and repeated edits collapse", async () => {
    const id = await placeOrder({ flow: "classic", payment: "card" });
    await post(`/orders/${id}/payment-complete`); // gateway IPN again: WooCommerce fires no second payment_complete
    await post(`/orders/${id}/status`, { status: "processing" }); // no change
    await post(`/orders/${id}/admin-save`); // an edit: order.updated
    await post(`/orders/${id}/admin-save`); // same edit again, not yet sent: collapses
    await php(`do_action('woocommerce_new_order', ${id}, wc_get_order(${id})); return true;`); // older WooCommerce re-fired new_order
    expect(summary(await outboxRows())).toEqual([`order.created ${id}`, `order.status_changed ${id} pending processing`, `order.updated ${id}`]);
  });

  it("a status change in the admin editor is one status event, not also an edit", async () => {
    const id = await placeOrder({ flow: "classic", payment: "card" });
    await post(`/orders/${id}/admin-save`, { status: "completed" });
    await post(`/orders/${id}/status`, { status: "cancelled" });
    expect(summary(await outboxRows(), id)).toEqual([
      `order.created ${id}`,
      `order.status_changed ${id} pending processing`,
      `order.status_changed ${id} processing completed`,
      `order.status_changed ${id} completed cancelled`,
    ]);
  });

  it("an edit after the earlier one was sent is a new event; order.created never repeats", async () => {
    const id = await placeOrder({ flow: "classic", payment: "card" });
    await post(`/orders/${id}/admin-save`);
    await php(`return RackbeatConnector\\Outbox::take_for_push(100);`); // marks everything sent
    await post(`/orders/${id}/admin-save`);
    await php(`do_action('woocommerce_new_order', ${id}, wc_get_order(${id})); return true;`);
    expect(summary(await outboxRows(), id)).toEqual([
      `order.created ${id}`,
      `order.status_changed ${id} pending processing`,
      `order.updated ${id}`,
      `order.updated ${id}`,
    ]);
  });

  it("drafts are ignored: checkout drafts, auto-drafts, and an abandoned draft being cleaned up", async () => {
    const ids = await php<number[]>(`
      $draft = new WC_Order(); $draft->set_status('checkout-draft'); $draft->save(); $draft->save();
      $auto = new WC_Order(); $auto->set_status('auto-draft'); $auto->save();
      $gone = wc_get_order($draft->get_id()); $gone->delete(true);
      return [$draft->get_id(), $auto->get_id()];
    `);
    expect(ids).toHaveLength(2);
    expect(await outboxRows()).toEqual([]);
  });

  it("refunds are never events of their own; the parent order gets one update", async () => {
    const id = await placeOrder({ flow: "classic", payment: "card" });
    const { refund_id } = (await post(`/orders/${id}/refund`)) as { refund_id: number };
    const rows = await outboxRows();
    expect(rows.some((r) => Number(r.resource_id) === refund_id)).toBe(false);
    expect(summary(rows, id)).toEqual([`order.created ${id}`, `order.status_changed ${id} pending processing`, `order.updated ${id}`]);
  });

  it("trash and delete record order.deleted (once while unsent)", async () => {
    const id = await placeOrder({ flow: "classic", payment: "cod" });
    await post(`/orders/${id}/delete`, { force: false });
    await post(`/orders/${id}/delete`, { force: true });
    expect(summary(await outboxRows(), id)).toEqual([`order.created ${id}`, `order.status_changed ${id} pending processing`, `order.deleted ${id}`]);
  });

  it("ignores writes the bridge makes with its own REST user; a marker header from anyone else changes nothing", async () => {
    const id = await placeOrder({ flow: "classic", payment: "card" });
    const bridgeUser = await createUser("rb-bridge-test", "shop_manager");
    await php(`RackbeatConnector\\Settings::update_state(['bridge_user_id' => ${bridgeUser.id}]); return true;`);
    const before = (await outboxRows()).length;
    await post(`/orders/${id}/rest-update`, { status: "completed", meta: { _rackbeat_order_number: "RB-1001" } }, { auth: bridgeUser.auth, headers: { "x-rbc-origin": "bridge" } });
    expect((await outboxRows()).length).toBe(before);
    await post(`/orders/${id}/rest-update`, { status: "on-hold" }, { headers: { "x-rbc-origin": "bridge" } });
    expect(summary(await outboxRows(), id).slice(before)).toEqual([`order.status_changed ${id} completed on-hold`]);
  });
});

describe("no network call on the request that places an order", () => {
  const bridge = new FakeBridge();

  beforeAll(async () => {
    await resetWp();
    await bridge.start();
    const pair = await pairThroughPlugin(bridge.url, bridge.issueCode());
    expect(pair.status, pair.text).toBe(201);
    return () => bridge.stop();
  });

  it("records the events, makes no HTTP call while placing, and delivers them afterwards off the request", async () => {
    const requestIds = ["place-classic", "place-block", "place-admin", "place-rest"];
    const flows = [{ flow: "classic" }, { flow: "block" }, { flow: "admin" }, { flow: "rest", set_paid: true }];
    const ids: number[] = [];
    for (const [i, flow] of flows.entries()) ids.push(await placeOrder(flow, requestIds[i]));

    const calls = httpLog().filter((e) => requestIds.includes(e.request));
    expect(calls).toEqual([]);
    expect(bridge.deliveries).toBe(0);
    expect((await outboxRows()).filter((r) => r.acked_at === null)).toHaveLength(8);

    await runDelivery();
    expect(bridge.deliveries).toBe(1);
    expect([...bridge.events.values()].map((e) => e.resource_id).sort()).toEqual(ids.flatMap((id) => [id, id]).sort());
    expect((await outboxRows()).filter((r) => r.acked_at === null)).toHaveLength(0);
  });

  it("under PHP-FPM the push runs at shutdown, only after fastcgi_finish_request() has sent the response", async () => {
    const deliveries = bridge.deliveries;
    // PHP's built-in server has no fastcgi_finish_request(); this CLI run provides one, as FPM does.
    const result = await php<{ during: number; calls: { url: string; after_finish: boolean }[]; order: number }>(`
      function fastcgi_finish_request() { $GLOBALS['rbc_response_finished'] = true; return true; }
      $calls = [];
      add_filter('pre_http_request', function ($pre, $args, $url) use (&$calls) { $calls[] = ['url' => $url, 'after_finish' => !empty($GLOBALS['rbc_response_finished'])]; return $pre; }, 1, 3);
      $o = new WC_Order(); $o->set_created_via('checkout'); $o->save(); $o = wc_get_order($o->get_id()); $o->payment_complete('txn');
      $during = count($calls);
      do_action('shutdown');
      return ['during' => $during, 'calls' => $calls, 'order' => $o->get_id()];`);
    expect(result.during).toBe(0);
    expect(result.calls).toEqual([{ url: `${bridge.url}/v1/shops/${bridge.onlyShop().id}/events`, after_finish: true }]);
    expect(bridge.deliveries).toBe(deliveries + 1);
    expect([...bridge.events.values()].filter((e) => e.resource_id === result.order).map((e) => e.topic)).toEqual(["order.created", "order.status_changed"]);
  });
});

describe("product events", () => {
  beforeEach(async () => {
    await resetWp();
  });

  it("records nothing while WooCommerce is not the product master", async () => {
    const { product_id } = (await post("/products", { sku: "A-1", stock: 5, variations: 1 })) as { product_id: number };
    await post(`/products/${product_id}/save`, { stock: 4 });
    await post(`/products/${product_id}/stock`, { stock: 3 });
    expect(await outboxRows()).toEqual([]);
  });

  it("as product master: one event per product and topic per request, variations carry their parent, deletes win", async () => {
    await php(`update_option('rackbeat_connector_product_master', 'woo_to_rackbeat'); return true;`);
    const created = (await post("/products", { sku: "B-1", stock: 5, variations: 2 })) as { product_id: number; variation_ids: number[] };
    const p = created.product_id;
    const [v1, v2] = created.variation_ids as [number, number];
    let rows = await outboxRows();
    expect(rows.map((r) => [r.topic, Number(r.resource_id), r.parent_id === null ? null : Number(r.parent_id)])).toEqual([
      ["product.changed", p, null],
      ["product.changed", v1, p],
      ["product.changed", v2, p],
    ]);

    await php(`return RackbeatConnector\\Outbox::take_for_push(100);`);
    await post(`/products/${p}/save`, { times: 2, stock: 7 }); // the classic editor saves twice; stock changed too
    await post(`/products/${v1}/stock`, { stock: 1 });
    rows = (await outboxRows()).slice(3);
    expect(rows.map((r) => [r.topic, Number(r.resource_id)])).toEqual([
      ["product.changed", p],
      ["stock.changed", p],
      ["product.changed", v1],
      ["stock.changed", v1],
    ]);

    await post(`/products/${v2}/delete`, { force: false });
    rows = (await outboxRows()).slice(7);
    expect(rows.map((r) => [r.topic, Number(r.resource_id), Number(r.parent_id)])).toEqual([["product.deleted", v2, p]]);
  });
});
