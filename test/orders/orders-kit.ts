/**
 * A real bridge with the orders feature, the Rackbeat sandbox and the WooCommerce sandbox, over real
 * HTTP, and the helpers the orders tests share: place an order in the shop, send the signed event
 * the plugin would, wait for the Rackbeat order.
 */
import { randomUUID } from "node:crypto";
import { ordersFeature, ordersRuntime } from "../../bridge/src/sync/orders/orders-feature.js";
import { registerOrderStockHooks, type OrderStockHooks } from "../../bridge/src/sync/orders/order-hooks.js";
import type { ShopSettingsInput } from "../../bridge/src/settings/shop-settings.js";
import { startTestBridge, type TestBridge } from "../helpers/bridge.js";
import { startRackbeatSandbox, type RackbeatSandbox, type RackbeatSandboxOptions } from "../sandboxes/rackbeat/index.js";
import { startWooSandbox, type CheckoutInput, type WooSandbox } from "../sandboxes/woocommerce/index.js";
import { fixtureCheckout, FIXTURE_PRODUCTS, type FixtureScenarioKey } from "../sandboxes/woocommerce/fixture-shop.js";
import { pairWooShop } from "../helpers/pair-shop.js";

export const SERVICE_ITEMS = ["SHIPPING", "FEE", "PAYMENT-FEE", "DISCOUNT", "GIFT-CARD", "ROUNDING"];

export interface OrdersKit {
  bridge: TestBridge;
  rackbeat: RackbeatSandbox;
  woo: WooSandbox;
  shopId: string;
  shopSecret: string;
  /** Calls the stock hooks saw (the kit registers recording hooks, so stock fan-out stays out of these tests). */
  stockCalls: { op: string; order: number; state?: string }[];
  setSettings(settings: ShopSettingsInput): Promise<void>;
  place(input: CheckoutInput | FixtureScenarioKey, status?: "processing" | "completed" | "on-hold" | "pending"): Record<string, unknown> & { id: number };
  sendEvent(orderId: number, topic?: string, extra?: Record<string, unknown>): Promise<Response>;
  waitForIdle(timeoutMs?: number): Promise<void>;
  rackbeatOrdersFor(wooNumber: string | number): Record<string, unknown>[];
  close(): Promise<void>;
}

export async function startOrdersKit(options: { rackbeat?: RackbeatSandboxOptions; skus?: string[]; shopName?: string } = {}): Promise<OrdersKit> {
  const rackbeat = await startRackbeatSandbox({ rateLimit: false, ...options.rackbeat });
  const skus = options.skus ?? FIXTURE_PRODUCTS.filter((p) => p.type !== "variable").map((p) => p.sku as string);
  rackbeat.seedProducts([...skus, ...SERVICE_ITEMS].map((number) => ({ number, stock: 1000 })));
  const woo = await startWooSandbox({ fixture: "c1-dkk-excl-lineround" });
  const key = woo.createKey({ permissions: "read_write" });
  const bridge = await startTestBridge({ env: {
      RACKBEAT_BASE_URL: rackbeat.baseUrl,
      WORKER_CONCURRENCY: "4",
      JOB_BACKOFF_BASE_MS: "50",
      JOB_BACKOFF_MAX_MS: "400",
      RACKBEAT_TIMEOUT_MS: "1500",
    }, features: [ordersFeature] });
  await bridge.ctx.account.setSecret("rackbeat.token", rackbeat.token);
  const stockCalls: OrdersKit["stockCalls"] = [];
  const hooks: OrderStockHooks = {
    async start(_s, order) {
      stockCalls.push({ op: "start", order });
    },
    async settle(_s, order, outcome) {
      stockCalls.push({ op: "settle", order, state: outcome.state });
    },
    async release(_s, order) {
      stockCalls.push({ op: "release", order });
    },
  };
  registerOrderStockHooks(bridge.ctx, hooks);

  const { shopId, shopSecret } = await pairWooShop({ url: bridge.url, pairing: bridge.ctx.pairing }, woo, options.shopName ?? "Orders test shop", key);
  await bridge.ctx.shops.saveSettings(shopId, { orders: { transferOrdersCreatedFrom: null } });

  const kit: OrdersKit = {
    bridge,
    rackbeat,
    woo,
    shopId,
    shopSecret,
    stockCalls,
    async setSettings(settings) {
      await bridge.ctx.shops.saveSettings(shopId, settings);
    },
    place(input, status = "processing") {
      const checkout: CheckoutInput = typeof input === "string" ? { ...fixtureCheckout(input, "rest-api"), thenStatus: [] } : input;
      if (typeof input === "string") {
        delete checkout.status;
        delete checkout.setPaid;
      }
      const placed = woo.placeOrder(checkout) as Record<string, unknown> & { id: number };
      return status === "pending" ? placed : (woo.setOrderStatus(placed.id, status) as Record<string, unknown> & { id: number });
    },
    sendEvent(orderId, topic = "order.created", extra = {}) {
      const event = { event_id: randomUUID(), topic, resource_id: orderId, occurred_at: new Date().toISOString(), ...extra };
      return bridge.signedFetch(shopId, shopSecret, "POST", `/v1/shops/${shopId}/events`, { events: [event] });
    },
    async waitForIdle(timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const stats = await bridge.ctx.queue.stats();
        const due = await bridge.ctx.store.db
          .selectFrom("jobs")
          .select("id")
          .where("state", "in", ["waiting", "running"])
          .where("run_at", "<=", Date.now() + 60_000)
          .limit(1)
          .executeTakeFirst();
        if (stats.running === 0 && !due) return;
        if (Date.now() > until) throw new Error(`queue not idle after ${timeoutMs} ms: ${JSON.stringify(stats)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    rackbeatOrdersFor(wooNumber) {
      return rackbeat.listOrders().filter((o) => o.other_reference === String(wooNumber));
    },
    async close() {
      await bridge.close();
      await woo.close();
      await rackbeat.close();
    },
  };
  return kit;
}

export { ordersRuntime };
