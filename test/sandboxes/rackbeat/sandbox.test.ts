import { afterEach, describe, expect, it } from "vitest";
import { startRackbeatSandbox, type RackbeatSandbox } from "./index.js";

/** The sandbox's own contract, over raw HTTP (no client): envelopes, filters, control API. */
describe("Rackbeat sandbox", () => {
  let sandbox: RackbeatSandbox | undefined;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  async function api(path: string, init: RequestInit = {}) {
    const response = await fetch(`${sandbox!.baseUrl}${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${sandbox!.token}`, "Content-Type": "application/json", ...(init.headers as Record<string, string>) },
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
  }

  async function control(path: string, body?: unknown, method = body === undefined ? "GET" : "POST") {
    const response = await fetch(`${sandbox!.controlUrl}${path}`, {
      method,
      headers: { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  }

  it("requires a bearer token, with Laravel's 401 body", async () => {
    sandbox = await startRackbeatSandbox({ tokens: ["secret-1", "secret-2"] });
    const none = await fetch(`${sandbox.baseUrl}/self`);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ message: "Unauthenticated." });
    const second = await fetch(`${sandbox.baseUrl}/self`, { headers: { Authorization: "Bearer secret-2" } });
    expect(second.status).toBe(200);
  });

  it("lists with 206, the collection key first, then total/pages/limit/page", async () => {
    sandbox = await startRackbeatSandbox();
    sandbox.seedProducts(Array.from({ length: 45 }, (_, i) => ({ number: `N${i}`, sales_price: i })));
    const r = await api("/products?page=3");
    expect(r.status).toBe(206);
    expect(Object.keys(r.json!)).toEqual(["products", "total", "pages", "limit", "page"]);
    expect(r.text.startsWith('{"products":[')).toBe(true);
    expect(r.json).toMatchObject({ total: 45, pages: 3, limit: 20, page: 3 });
    expect((r.json!.products as unknown[]).length).toBe(5);
    const single = await api("/products/N1");
    expect(single.status).toBe(200);
    expect(Object.keys(single.json!)).toEqual(["product"]);
  });

  it("filters, searches, sorts and trims fields", async () => {
    sandbox = await startRackbeatSandbox();
    sandbox.seedProducts([
      { number: "A1", name: "Apple", sales_price: 3 },
      { number: "B1", name: "Banana", sales_price: 1, is_barred: true },
      { number: "C1", name: "Cherry", sales_price: 2 },
    ]);
    const sorted = await api("/products?order_by=sales_price&order_direction=ASC&fields=number,sales_price");
    expect(sorted.json!.products).toEqual([
      { number: "B1", sales_price: 1 },
      { number: "C1", sales_price: 2 },
      { number: "A1", sales_price: 3 },
    ]);
    const notBarred = await api("/products?is_barred=false&fields=number");
    expect(notBarred.json!.products).toEqual([{ number: "A1" }, { number: "C1" }]);
    const searched = await api("/products?search=err&fields=number");
    expect(searched.json!.products).toEqual([{ number: "C1" }]);
    const unknown = await api("/products?colour=red");
    expect(unknown.json!.total).toBe(3); // unknown filters are ignored
  });

  it("refuses simple_filter on order attributes that are not filterable", async () => {
    sandbox = await startRackbeatSandbox();
    const bad = await api("/orders?simple_filter[is_booked]=1");
    expect(bad.status).toBe(422);
    expect(bad.json).toMatchObject({ errors: { "simple_filter.is_booked": ["Property 'is_booked' is not filterable"] } });
    expect((await api("/orders?simple_filter[number]=5")).status).toBe(206);
  });

  it("answers 400 to malformed JSON and 404 to unknown paths", async () => {
    sandbox = await startRackbeatSandbox();
    const bad = await api("/products", { method: "POST", body: "{not json" });
    expect(bad.status).toBe(400);
    const unknown = await api("/no-such-thing");
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({ message: "Not found." });
  });

  it("honours suppress_webhooks in the body too, and can announce reservations when asked", async () => {
    sandbox = await startRackbeatSandbox({ inventoryChangedOnReservation: true });
    sandbox.seedProducts([{ number: "A", stock: 5 }]);
    const [customer] = sandbox.seedCustomers([{ name: "K" }]);
    const received: string[] = [];
    const { createServer } = await import("node:http");
    const server = createServer((req, res) => {
      received.push(String(req.headers["rackbeat-webhook-event"]));
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    try {
      for (const event of ["inventory.changed", "order.created", "order.booked"]) await api("/webhooks", { method: "POST", body: JSON.stringify({ event, url }) });
      await api("/orders", { method: "POST", body: JSON.stringify({ customer_id: customer, lines: [{ item_id: "A", quantity: 1 }], suppress_webhooks: true }) });
      await sandbox.webhooksIdle();
      expect(received).toEqual([]);
      await api("/orders", { method: "POST", body: JSON.stringify({ customer_id: customer, lines: [{ item_id: "A", quantity: 1 }] }) });
      await sandbox.webhooksIdle();
      expect(received.sort()).toEqual(["inventory.changed", "order.booked", "order.created"]);
      const logs = await api(`/webhooks/${(sandbox.listWebhooks()[0] as { id: number }).id}/logs`);
      expect(logs.status).toBe(206);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("loses the response but keeps the change (connection destroyed)", async () => {
    sandbox = await startRackbeatSandbox();
    sandbox.injectFault({ kind: "lose-response", mode: "destroy", method: "POST", path: "/products" });
    const lost = await api("/products", { method: "POST", body: JSON.stringify({ number: "L1", name: "L", sales_price: 1, group: 1 }) }).catch((e: unknown) => e);
    expect(lost).toBeInstanceOf(TypeError); // fetch failed: socket closed
    expect(sandbox.getProduct("L1")).toBeDefined();
    expect(sandbox.stats().lostResponses).toBe(1);
  });

  it("drives everything through the control API over HTTP", async () => {
    sandbox = await startRackbeatSandbox();
    const info = await control("");
    expect(info.json).toMatchObject({ base_url: sandbox.baseUrl, account_id: sandbox.accountId, tokens: [sandbox.token] });

    const seeded = await control("/seed", {
      product_groups: [{ number: 5, name: "Five", vat_domestic: 25 }],
      locations: [{ number: 3, name: "Back room" }],
      products: [{ number: "CTRL-1", group: 5, stock: 4 }],
      customers: [{ name: "Ctrl Kunde" }],
    });
    expect(seeded.status).toBe(201);
    const customer = (seeded.json.customers as number[])[0]!;

    const stock = await control("/stock", { number: "CTRL-1", quantity: 9, location: 3 });
    expect(stock.json).toMatchObject({ product: { stock_quantity: 13 } });

    const order = await api("/orders", { method: "POST", body: JSON.stringify({ customer_id: customer, lines: [{ item_id: "CTRL-1", quantity: 2 }] }) });
    const number = (order.json!.order as { number: number }).number;
    const shipped = await control(`/orders/${number}/ship`, {});
    expect(shipped.json).toMatchObject({ order_shipment: { is_shipped: true } });
    expect(((await control("/orders")).json.orders as { is_shipped: boolean }[])[0]?.is_shipped).toBe(true);
    expect((await control("/products/CTRL-1")).json).toMatchObject({ product: { stock_quantity: 11, in_order_quantity: 0 } });

    const fault = await control("/faults", { kind: "status", status: 502, path: "/self", times: 2 });
    expect(fault.status).toBe(201);
    expect((await api("/self")).status).toBe(502);
    expect((await control("/faults", undefined, "DELETE")).status).toBe(200);
    expect((await api("/self")).status).toBe(200);

    const config = await control("/config", { rate_limit: { limit: 1, window_ms: 60_000 }, rounding_model: "total", webhook_body: "full" });
    expect(config.json).toMatchObject({ rate_limit: { limit: 1, windowMs: 60_000 }, rounding_model: "total", webhook_body: "full" });
    expect((await api("/self")).status).toBe(200);
    expect((await api("/self")).status).toBe(429);
    const stats = await control("/stats");
    expect(stats.json).toMatchObject({ rateLimited: 1, sent429: 1 });
    expect((await control("/config", { rounding_model: "sideways" })).status).toBe(400);
    expect((await control("/webhooks/idle", {})).status).toBe(200);
  });
});
