/**
 * What the fault drills share: the tally line every drill prints and asserts, bridge child
 * processes to kill with SIGKILL (drill-bridge.ts), and the orders rig — the Rackbeat and WooCommerce
 * sandboxes, a shop paired over HTTP, and the plugin's outbox double (sandboxes/woocommerce/
 * plugin-outbox.ts) that delivers the shop's events the way the plugin does.
 */
import { type ChildProcess, fork } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { sql, type Kysely } from "kysely";
import { expect } from "vitest";
import { RACKBEAT_TOKEN_KEY } from "../../bridge/src/account/rackbeat-account.js";
import { signedHeaders } from "../../bridge/src/http/signing.js";
import { rateGateFor } from "../../bridge/src/rackbeat/postgres-rate-gate.js";
import type { Database } from "../../bridge/src/store/schema.js";
import { registerOrderStockHooks } from "../../bridge/src/sync/orders/order-hooks.js";
import { ordersFeature } from "../../bridge/src/sync/orders/orders-feature.js";
import { type TestBridge, startTestBridge } from "../helpers/bridge.js";
import type { FreshStore } from "../postgres/test-databases.js";
import { type RackbeatSandbox, type RackbeatSandboxOptions, startRackbeatSandbox } from "../sandboxes/rackbeat/index.js";
import { FIXTURE_PRODUCTS, type FixtureScenarioKey, fixtureCheckout } from "../sandboxes/woocommerce/fixture-shop.js";
import { type CheckoutInput, type WooSandbox, startWooSandbox } from "../sandboxes/woocommerce/index.js";
import { pairWooShop } from "../helpers/pair-shop.js";

// ───────────── the tally ─────────────

export interface Tally {
  /** Units the drill put in: orders placed, products in the shop, (shop, SKU) figures changed. */
  sent: number;
  /** Units that reached the far side (each counted once). */
  arrived: number;
  /** Extra copies on the far side (a unit that arrived twice counts once here). */
  duplicates: number;
  /** Units that never arrived. */
  losses: number;
}

/**
 * Prints the drill's one tally line (console.log, so vitest shows it) and asserts zero losses and
 * zero duplicates. Printed before asserting, so a failing drill still says what it counted.
 */
export function reportDrill(name: string, tally: Tally, extra: Record<string, number | string> = {}): void {
  const more = Object.entries(extra).map(([k, v]) => ` ${k}=${v}`).join("");
  console.log(`[drill ${name}] sent=${tally.sent} arrived=${tally.arrived} duplicates=${tally.duplicates} losses=${tally.losses}${more}`);
  expect(tally.sent, `${name}: the drill sent nothing`).toBeGreaterThan(0);
  expect(tally.losses, `${name}: losses`).toBe(0);
  expect(tally.duplicates, `${name}: duplicates`).toBe(0);
  expect(tally.arrived, `${name}: arrived`).toBe(tally.sent);
}

// ───────────── waiting, ports ─────────────

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits until `check` holds, polling every 25 ms; fails naming `what` after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await sleep(25);
  }
}

/** A free TCP port on loopback (a restarted bridge comes back on the same one). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Jobs that still have work to do soon: running ones, and waiting ones due within `horizonMs` (a
 * job parked or scheduled far ahead does not count: it is the tally's business).
 */
export async function openJobs(db: Kysely<Database>, horizonMs = 60_000): Promise<number> {
  const row = await db
    .selectFrom("jobs")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where((eb) => eb.or([eb("state", "=", "running"), eb.and([eb("state", "=", "waiting"), eb("run_at", "<=", Date.now() + horizonMs)])]))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function jobCount(db: Kysely<Database>, state: "running" | "parked" | "waiting"): Promise<number> {
  const row = await db.selectFrom("jobs").select((eb) => eb.fn.countAll<number>().as("n")).where("state", "=", state).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Most attempts any job has used so far (how hard the bridge had to retry). */
export async function maxAttempts(db: Kysely<Database>): Promise<number> {
  const row = await sql<{ n: number | null }>`select max(attempts) as n from jobs`.execute(db);
  return Number(row.rows[0]?.n ?? 0);
}

/** Orders whose create an earlier attempt had already done (answer lost, worker killed): healed by reading it back. */
export async function healedOrders(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom("activity_steps")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("outcome", "like", "%created by an earlier attempt%")
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// ───────────── bridge child processes ─────────────

export interface BridgeChild {
  process: ChildProcess;
  url: string;
}

const children = new Set<ChildProcess>();

/** Forks drill-bridge.ts with `env` (merged over this process's) and waits until it listens. */
export function forkBridge(env: Record<string, string>, onMessage?: (message: unknown) => void): Promise<BridgeChild> {
  const child = fork(join(import.meta.dirname, "drill-bridge.ts"), [], {
    env: { ...process.env, ...env },
    execArgv: ["--import", "tsx"],
    stdio: "inherit",
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  return new Promise((resolve, reject) => {
    child.on("message", (message) => {
      const m = message as { ready?: boolean; url?: string };
      if (m.ready && m.url) resolve({ process: child, url: m.url });
      else onMessage?.(message);
    });
    child.once("exit", (code, signal) => reject(new Error(`bridge process exited before it listened (${code ?? signal})`)));
  });
}

/** kill -9: no shutdown code runs, in-flight HTTP requests are cut off mid-way. */
export async function killHard(child: BridgeChild): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  const exited = new Promise((resolve) => child.process.once("exit", resolve));
  child.process.kill("SIGKILL");
  await exited;
}

/** For afterEach/afterAll: SIGKILL every bridge child still running. */
export async function killChildren(): Promise<void> {
  await Promise.all([...children].map((process) => killHard({ process, url: "" })));
}

// ───────────── stock ─────────────

export interface StockShop {
  woo: WooSandbox;
  /** SKU → WooCommerce product id. */
  ids: Map<string, number>;
}

/**
 * The stock drills' tally, over (shop, SKU) pairs whose Rackbeat figure changed once, to `expected`:
 * arrived = pairs showing that figure; losses = pairs that do not; duplicates = stock writes the
 * bridge made after `since` that set any other figure (an old change applied again, or twice). A
 * repeated write of the right figure changes nothing and is only counted (`rewrites`).
 */
export function stockTally(shops: StockShop[], expected: Map<string, number>, since: number): Tally & { rewrites: number } {
  let arrived = 0;
  let duplicates = 0;
  let rewrites = 0;
  for (const shop of shops) {
    for (const [sku, want] of expected) {
      const id = shop.ids.get(sku)!;
      if (shop.woo.getProduct(id)?.stock_quantity === want) arrived++;
      let seen = false;
      for (const e of shop.woo.shop.stockEvents) {
        if (e.productId !== id || e.cause !== "rest" || e.at < since) continue;
        if (e.to !== want) duplicates++;
        else if (seen) rewrites++;
        seen = true;
      }
    }
  }
  const sent = shops.length * expected.size;
  return { sent, arrived, duplicates, losses: sent - arrived, rewrites };
}

// ───────────── the orders rig ─────────────

/** What the rig needs of a bridge, in-process or in a child process (then over its store). */
export interface BridgeAccess {
  url: string;
  db: Kysely<Database>;
  pairing: { create(name?: string): Promise<{ code: string }> };
  account: { setSecret(key: string, value: string): Promise<void> };
}

export interface PlacedOrder {
  id: number;
  number: string;
}

/**
 * A bridge in this process with the orders feature (stock hooks no-ops, as in drill-bridge.ts) on
 * `fresh` — a store the caller owns, so the bridge can be closed and started again on it.
 */
export async function startOrdersBridge(fresh: Pick<FreshStore, "dataDir" | "env">, rackbeat: RackbeatSandbox, env: Record<string, string>): Promise<TestBridge> {
  const bridge = await startTestBridge({ dataDir: fresh.dataDir, env: { ...fresh.env, RACKBEAT_BASE_URL: rackbeat.baseUrl, ...env }, features: [ordersFeature] });
  // The token's rate gate (in memory on SQLite, in the database on PostgreSQL), roomy: the drills
  // test the sandbox's faults, not Rackbeat's limit. Set before any job can reach Rackbeat.
  rateGateFor(rackbeat.token, { limit: 100_000, windowMs: 1_000, maxConcurrent: 16 });
  const none = async () => undefined;
  registerOrderStockHooks(bridge.ctx, { start: none, settle: none, release: none });
  return bridge;
}

export const accessOf = (bridge: TestBridge): BridgeAccess => ({ url: bridge.url, db: bridge.ctx.store.db, pairing: bridge.ctx.pairing, account: bridge.ctx.account });

/** Pairs a WooCommerce sandbox with the bridge as the plugin does: `POST /v1/pair` with a real REST key of the shop. */
export async function pairOverHttp(bridge: BridgeAccess, woo: WooSandbox, name: string): Promise<{ shopId: string; shopSecret: string }> {
  return pairWooShop(bridge, woo, name, woo.createKey({ permissions: "read_write" }));
}

/** A request signed with a shop's secret, as the plugin's proxy sends it. */
export async function signedFetch(url: string, shop: { shopId: string; shopSecret: string }, method: string, path: string, body?: unknown): Promise<Response> {
  const raw = body === undefined ? "" : JSON.stringify(body);
  return fetch(`${url}${path}`, {
    method,
    headers: { ...signedHeaders(shop.shopId, shop.shopSecret, method, path, raw), ...(raw ? { "content-type": "application/json" } : {}) },
    ...(raw ? { body: raw } : {}),
  });
}

export const SERVICE_ITEMS = ["SHIPPING", "FEE", "PAYMENT-FEE", "DISCOUNT", "GIFT-CARD", "ROUNDING"];
/** Checkouts the rig cycles through: one line as a guest; a company with several VAT rates, a coupon and shipping; six lines. */
const SCENARIOS: FixtureScenarioKey[] = ["A", "B", "E"];

export interface OrdersRig {
  rackbeat: RackbeatSandbox;
  woo: WooSandbox;
  shopId: string;
  shopSecret: string;
  placed: PlacedOrder[];
  /** Pairs the shop with a bridge over HTTP (`POST /v1/pair` with a real WooCommerce key), sets the Rackbeat token. */
  connect(bridge: BridgeAccess): Promise<void>;
  /** Places an order as a checkout would and records the plugin's events for it (order.created, then pending → processing). */
  place(): PlacedOrder;
  /**
   * The plugin's delivery runner, every `everyMs` until stopped: pushes the outbox; a failed push
   * leaves the events in the outbox for the next run (or the bridge's pull).
   */
  startDelivery(everyMs?: number): { stop(): Promise<void> };
  /** Resolves when every placed order is in Rackbeat, the outbox is empty and the bridge has nothing left to do. */
  drained(db: Kysely<Database>, timeoutMs?: number): Promise<void>;
  /**
   * sent = orders placed (all, or `orders`); arrived = those in Rackbeat; duplicates = extra
   * Rackbeat orders for one of them, plus Rackbeat orders for no order placed in this shop.
   */
  tally(orders?: PlacedOrder[]): Tally & { writtenBack: number };
  close(): Promise<void>;
}

export async function startOrdersRig(options: { rackbeat?: RackbeatSandboxOptions } = {}): Promise<OrdersRig> {
  const rackbeat = await startRackbeatSandbox({ rateLimit: false, ...options.rackbeat });
  const skus = FIXTURE_PRODUCTS.filter((p) => p.type !== "variable").map((p) => p.sku as string);
  rackbeat.seedProducts([...skus, ...SERVICE_ITEMS].map((number) => ({ number, stock: 100_000 })));
  const woo = await startWooSandbox({ fixture: "c1-dkk-excl-lineround" });
  const placed: PlacedOrder[] = [];
  let shopId = "";
  let shopSecret = "";
  let n = 0;

  const rig: OrdersRig = {
    rackbeat,
    woo,
    placed,
    get shopId() {
      return shopId;
    },
    get shopSecret() {
      return shopSecret;
    },
    async connect(bridge) {
      await bridge.account.setSecret(RACKBEAT_TOKEN_KEY, rackbeat.token);
      ({ shopId, shopSecret } = await pairOverHttp(bridge, woo, "Drill shop"));
      // Orders from any date (the default is the pairing date; say so explicitly).
      const saved = await signedFetch(bridge.url, { shopId, shopSecret }, "PUT", `/v1/shops/${shopId}/settings`, { orders: { transferOrdersCreatedFrom: null } });
      if (saved.status !== 200) throw new Error(`settings refused: ${saved.status} ${await saved.text()}`);
      woo.plugin.connect({ shopId, secret: shopSecret, bridgeUrl: bridge.url });
    },
    place() {
      const checkout: CheckoutInput = { ...fixtureCheckout(SCENARIOS[n++ % SCENARIOS.length]!, "rest-api"), thenStatus: [] };
      delete checkout.status;
      delete checkout.setPaid;
      const order = woo.placeOrder(checkout) as { id: number; number: string };
      woo.plugin.record({ topic: "order.created", resource_id: order.id });
      woo.setOrderStatus(order.id, "processing");
      woo.plugin.record({ topic: "order.status_changed", resource_id: order.id, from: "pending", to: "processing" });
      const p = { id: order.id, number: String(order.number) };
      placed.push(p);
      return p;
    },
    startDelivery(everyMs = 50) {
      let stopped = false;
      const loop = (async () => {
        while (!stopped) {
          await woo.plugin.push();
          await sleep(everyMs);
        }
      })();
      return {
        async stop() {
          stopped = true;
          await loop;
        },
      };
    },
    async drained(db, timeoutMs = 60_000) {
      await waitFor(async () => {
        if (woo.plugin.pending() > 0) return false;
        const refs = new Set(rackbeat.listOrders().map((o) => String(o.other_reference)));
        if (!placed.every((p) => refs.has(p.number))) return false;
        return (await openJobs(db)) === 0;
      }, `${placed.length} orders in Rackbeat, the outbox empty and the bridge idle`, timeoutMs);
    },
    tally(orders = placed) {
      const byRef = new Map<string, number>();
      for (const o of rackbeat.listOrders()) byRef.set(String(o.other_reference), (byRef.get(String(o.other_reference)) ?? 0) + 1);
      const all = new Set(placed.map((p) => p.number));
      const these = new Set(orders.map((p) => p.number));
      let duplicates = 0;
      for (const [ref, count] of byRef) duplicates += these.has(ref) ? count - 1 : all.has(ref) ? 0 : count;
      const arrived = orders.filter((p) => (byRef.get(p.number) ?? 0) > 0).length;
      // The Rackbeat number shows on the WooCommerce order (meta written back by the bridge).
      const numbers = new Map(rackbeat.listOrders().map((o) => [String(o.other_reference), String(o.number)]));
      const writtenBack = orders.filter((p) => {
        const meta = (woo.getOrder(p.id)?.meta_data as { key: string; value: unknown }[] | undefined) ?? [];
        return meta.some((m) => m.key === "_rackbeat_order_number" && String(m.value) === numbers.get(p.number));
      }).length;
      return { sent: orders.length, arrived, duplicates, losses: orders.length - arrived, writtenBack };
    },
    async close() {
      await woo.close();
      await rackbeat.close();
    },
  };
  return rig;
}
