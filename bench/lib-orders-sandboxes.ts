/**
 * The orders benchmark's sandboxes, in their own process (started with `fork`, IPC channel): the
 * Rackbeat sandbox (50 ms latency, limit scaled in time) and N WooCommerce sandboxes with OAuth.
 * In reality Rackbeat and the shops run on other machines; here their CPU (OAuth checks, order
 * maths, HTTP answers) would otherwise share the bridge's one JavaScript thread and the benchmark
 * would measure the sandboxes, not the bridge.
 *
 * Messages from the parent: { id, op, args } → answer { id, result } or { id, error }.
 *   place { count, offset } → placed orders { shop, id, reference, total }
 *   resetStats / stats → the Rackbeat sandbox's counters
 *   orders → every Rackbeat order's { other_reference, total_total }
 *   send { bridgeUrl, events: [{ shopId, secret, orderId }] } → sent-at times: each order's signed
 *     `order.created` event POSTed to the bridge as its shop would (all at once), after every 202
 *   close
 * Pushed without asking: { type: "created", reference, at } when the Rackbeat sandbox created an
 * order (at = performance.timeOrigin + performance.now(), comparable across processes).
 * With SOAK_SKUS set it serves the soak (bench/soak.ts) too: lib-soak-sandboxes.ts adds its operations.
 */
import { randomUUID } from "node:crypto";
import { signedHeaders } from "../bridge/src/http/signing.js";
import { startRackbeatSandbox } from "../test/sandboxes/rackbeat/index.js";
import { fixtureCheckout, FIXTURE_PRODUCTS, type FixtureScenarioKey } from "../test/sandboxes/woocommerce/fixture-shop.js";
import { startWooSandbox, type WooSandbox } from "../test/sandboxes/woocommerce/index.js";

const SHOPS = Number(process.env.SHOPS ?? 3);
const LIMIT = { limit: Number(process.env.RB_LIMIT ?? 480), windowMs: Number(process.env.RB_WINDOW_MS ?? 600) };
const SEND_CONCURRENCY = 100;
const LATENCY_MS = Number(process.env.RB_LATENCY_MS ?? 50);
const SCENARIOS: FixtureScenarioKey[] = ["A", "B", "E", "H", "G"];
const send = (message: unknown) => process.send!(message);
const now = () => performance.timeOrigin + performance.now();

const rackbeat = await startRackbeatSandbox({ rateLimit: LIMIT, latencyMs: LATENCY_MS });
const skus = FIXTURE_PRODUCTS.filter((p) => p.type !== "variable").map((p) => p.sku as string);
rackbeat.seedProducts([...skus, "SHIPPING", "FEE", "PAYMENT-FEE", "DISCOUNT", "GIFT-CARD", "ROUNDING"].map((number) => ({ number, stock: 1_000_000 })));

// When each order appeared in Rackbeat, by reference: pushed to the parent as it happens.
const seen = new Set<string>();
const state = rackbeat.state as unknown as { createOrder: (...args: unknown[]) => { other_reference?: string | null } };
const originalCreate = state.createOrder.bind(rackbeat.state);
state.createOrder = (...args: unknown[]) => {
  const order = originalCreate(...args);
  const reference = order.other_reference;
  if (reference && !seen.has(reference)) {
    seen.add(reference);
    send({ type: "created", reference, at: now() });
  }
  return order;
};

const woos: WooSandbox[] = [];
const shops: { url: string; consumerKey: string; consumerSecret: string }[] = [];
for (let i = 0; i < SHOPS; i++) {
  const woo = await startWooSandbox({ fixture: "c1-dkk-excl-lineround" });
  const key = woo.createKey({ permissions: "read_write" });
  woos.push(woo);
  shops.push({ url: woo.url, consumerKey: key.consumerKey, consumerSecret: key.consumerSecret });
}

/** Places order n of the benchmark in shop n % SHOPS (processing, so it qualifies). */
function place(n: number, prefixes: string[]) {
  const shop = n % SHOPS;
  const checkout = { ...fixtureCheckout(SCENARIOS[n % SCENARIOS.length]!, "rest-api"), thenStatus: [] as never[] };
  delete checkout.status;
  delete checkout.setPaid;
  const placed = woos[shop]!.placeOrder(checkout) as { id: number; number: string };
  const order = woos[shop]!.setOrderStatus(placed.id, "processing") as { total: string };
  return { shop, id: placed.id, reference: `${prefixes[shop]}${placed.number}`, total: order.total };
}

/** One signed order.created event, as the shop's plugin sends it; resolves with when it was sent. */
async function sendEvent(bridgeUrl: string, e: { shopId: string; secret: string; orderId: number }): Promise<number> {
  const path = `/v1/shops/${e.shopId}/events`;
  const body = JSON.stringify({ events: [{ event_id: randomUUID(), topic: "order.created", resource_id: e.orderId, occurred_at: new Date().toISOString() }] });
  const at = now();
  const response = await fetch(`${bridgeUrl}${path}`, { method: "POST", headers: { ...signedHeaders(e.shopId, e.secret, "POST", path, body), "content-type": "application/json" }, body });
  if (response.status !== 202) throw new Error(`event refused: ${response.status} ${await response.text()}`);
  return at;
}

let cpuSince = process.cpuUsage();
const ops: Record<string, (args: any) => unknown> = {
  // At most SEND_CONCURRENCY requests open at once (the shops' web servers are many, but a burst of
  // 1,000 simultaneous connections overflows any listen backlog; the plugin would retry later).
  send: async ({ bridgeUrl, events }: { bridgeUrl: string; events: { shopId: string; secret: string; orderId: number }[] }) => {
    const sentAt: number[] = new Array(events.length);
    let next = 0;
    const lane = async () => {
      while (next < events.length) {
        const i = next++;
        sentAt[i] = await sendEvent(bridgeUrl, events[i]!);
      }
    };
    await Promise.all(Array.from({ length: Math.min(SEND_CONCURRENCY, events.length) }, lane));
    return sentAt;
  },
  place: ({ count, offset, prefixes }: { count: number; offset: number; prefixes: string[] }) => Array.from({ length: count }, (_, i) => place(offset + i, prefixes)),
  resetStats: () => {
    cpuSince = process.cpuUsage();
    return rackbeat.resetStats();
  },
  // The Rackbeat sandbox's counters, and this process's CPU seconds since resetStats.
  stats: () => {
    const cpu = process.cpuUsage(cpuSince);
    return { ...rackbeat.stats(), cpu_s: (cpu.user + cpu.system) / 1e6 };
  },
  orders: () => rackbeat.listOrders().map((o) => ({ other_reference: o.other_reference, total_total: o.total_total })),
  close: async () => {
    await rackbeat.close();
    for (const w of woos) await w.close();
    setImmediate(() => process.exit(0));
  },
};

// The soak's catalogue, traffic and faults (lib-soak-sandboxes.ts), only when SOAK_SKUS is set.
if (Number(process.env.SOAK_SKUS ?? 0) > 0) Object.assign(ops, (await import("./lib-soak-sandboxes.js")).soakOps(rackbeat, woos));

process.on("message", async (message: { id: number; op: string; args?: unknown }) => {
  try {
    send({ id: message.id, result: await ops[message.op]!(message.args) });
  } catch (error) {
    send({ id: message.id, error: String(error) });
  }
});
process.on("disconnect", () => process.exit(0));
send({ type: "ready", rackbeat: { baseUrl: rackbeat.baseUrl, token: rackbeat.token }, shops, rss_mb: Math.round(process.memoryUsage().rss / 1048576) });
