import { type ChildProcess, fork } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pairBenchShops, type BenchShop } from "../../bench/lib-orders-run.js";
import { RACKBEAT_TOKEN_KEY } from "../../bridge/src/account/rackbeat-account.js";
import { signedHeaders } from "../../bridge/src/http/signing.js";
import { Money } from "../../bridge/src/lib/money.js";
import { AccountSettings } from "../../bridge/src/shops/account.js";
import { PairingCodes } from "../../bridge/src/shops/pairing.js";
import { Shops } from "../../bridge/src/shops/shops.js";
import type { Store } from "../../bridge/src/store/store.js";
import { type RackbeatSandbox, startRackbeatSandbox } from "../sandboxes/rackbeat/index.js";
import { FIXTURE_PRODUCTS, type FixtureScenarioKey, fixtureCheckout } from "../sandboxes/woocommerce/fixture-shop.js";
import { type WooSandbox, startWooSandbox } from "../sandboxes/woocommerce/index.js";
import { type FreshStore, postgresStores } from "./test-databases.js";

/**
 * Issue #11: three real bridge processes (orders and stock features, test/postgres/sync-child.ts)
 * on one fresh PostgreSQL database, sharing the Rackbeat sandbox's scaled limit (LIMIT per WINDOW_MS)
 * through the database rate gate, with three WooCommerce sandboxes. An order burst — each order's
 * event sent to the processes in turn, as a load balancer would — while Rackbeat's stock changes
 * for the SKUs the shops sell (Rackbeat's webhooks go to PUBLIC_URL, process 0, and become jobs any
 * process runs). One process (not the webhook receiver) is killed with SIGKILL mid-burst while it
 * runs jobs, and not restarted: the other two take its jobs over once their lease (JOB_LEASE_MS)
 * expires, and from then on events go to them only.
 *
 * The outcome: every order in Rackbeat exactly once with the shop's total, no job lost or parked,
 * every shop's stock equal to Rackbeat's available figure for every SKU, and Rackbeat never
 * refusing a request (0 429s, the busiest window within the limit).
 *
 * Stock changes go on after the kill and reach every SKU at least once more: figures the killed
 * process still held in its fan-out's memory (gathered for its coalescing window, not written yet)
 * are otherwise written only by the next stock sweep of a surviving process (every minute).
 * Rackbeat stock is set to a new thousand on each change, so a shop's own decrement at checkout can
 * never coincide with a figure the bridge last wrote (that drift is the reconciler's, hourly).
 */
const LIMIT = 40;
const WINDOW_MS = 1_000;
const ORDERS = 60;
const ORDER_RATE_PER_S = 10;
const KILL_AFTER_ORDERS = 20;
const JOB_LEASE_MS = 3_000;
const SCENARIOS: FixtureScenarioKey[] = ["A", "B", "E", "H", "G"];
const FEE_ITEMS = ["SHIPPING", "FEE", "PAYMENT-FEE", "DISCOUNT", "GIFT-CARD", "ROUNDING"];
/** Every product or variation the fixture shops sell with a SKU (all of them hold stock once the bridge writes it). */
const STOCK_ITEMS = FIXTURE_PRODUCTS.filter((p) => p.type !== "variable" && p.sku).map((p) => ({ sku: p.sku as string, id: p.id as number }));

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const waitFor = async (check: () => boolean | Promise<boolean>, what: string, ms: number) => {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for: ${what}`);
    await sleep(25);
  }
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface BridgeProcess {
  child: ChildProcess;
  url: string;
  pid: number;
  alive: boolean;
}

const children: ChildProcess[] = [];
function startProcess(env: Record<string, string>): Promise<BridgeProcess> {
  const child = fork(join(import.meta.dirname, "sync-child.ts"), [], { env: { ...process.env, ...env }, execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once("message", (m: { url: string; pid: number }) => resolve({ child, url: m.url, pid: m.pid, alive: true }));
    child.once("exit", (code) => reject(new Error(`bridge process exited early with ${code}`)));
  });
}

describe("three bridge processes on one PostgreSQL database: orders and stock", () => {
  let fresh: FreshStore;
  let store: Store;
  let rackbeat: RackbeatSandbox;
  const woos: WooSandbox[] = [];
  beforeAll(async () => {
    fresh = await postgresStores.create();
  });
  afterAll(async () => {
    await Promise.all(
      children.map(async (c) => {
        if (c.exitCode !== null || c.signalCode !== null) return;
        const exited = new Promise((r) => c.once("exit", r));
        c.kill("SIGTERM");
        await Promise.race([exited, sleep(5_000).then(() => c.kill("SIGKILL"))]);
      }),
    );
    await store?.close();
    await rackbeat?.close();
    for (const w of woos) await w.close();
    await fresh.cleanup();
  });

  it("an order burst and stock changes: every order once, every shop's stock equal to Rackbeat's, the limit held, kill -9 of one process included", async () => {
    const t0 = Date.now();
    const secretKey = randomBytes(32).toString("base64");
    // Migrated once here, before the processes start (and the test's view of the shared store).
    store = await fresh.open({ secretKey });
    rackbeat = await startRackbeatSandbox({ rateLimit: { limit: LIMIT, windowMs: WINDOW_MS }, latencyMs: 10 });
    rackbeat.seedProducts([...STOCK_ITEMS.map((i) => ({ number: i.sku, stock: 500 })), ...FEE_ITEMS.map((number) => ({ number, stock: 1_000_000 }))]);
    await new AccountSettings(store.db, store.secrets).setSecret(RACKBEAT_TOKEN_KEY, rackbeat.token);
    const credentials = [];
    for (let i = 0; i < 3; i++) {
      const woo = await startWooSandbox({ fixture: "c1-dkk-excl-lineround" });
      woos.push(woo);
      const key = woo.createKey({ permissions: "read_write" });
      credentials.push({ url: woo.url, consumerKey: key.consumerKey, consumerSecret: key.consumerSecret });
    }

    // Rackbeat's webhooks go to process 0 (PUBLIC_URL, as to a load balancer); process 2 is killed.
    const port0 = await freePort();
    const env = {
      ...fresh.env,
      SECRET_KEY: secretKey,
      PUBLIC_URL: `http://127.0.0.1:${port0}`,
      RACKBEAT_BASE_URL: rackbeat.baseUrl,
      RB_TOKEN: rackbeat.token,
      RB_LIMIT: String(LIMIT),
      RB_WINDOW_MS: String(WINDOW_MS),
      RB_MAX_CONCURRENT: "4",
      STOCK_COALESCE_MS: "50",
      JOB_LEASE_MS: String(JOB_LEASE_MS),
      WORKER_CONCURRENCY: "8",
      JOB_BACKOFF_BASE_MS: "100",
      JOB_BACKOFF_MAX_MS: "2000",
    };
    const processes = await Promise.all([startProcess({ ...env, PORT: String(port0) }), startProcess(env), startProcess(env)]);
    const [receiver, , victim] = processes as [BridgeProcess, BridgeProcess, BridgeProcess];
    const started = Date.now();

    const shops: BenchShop[] = await pairBenchShops(processes[1]!.url, { pairing: new PairingCodes(store.db), shops: new Shops(store.db, store.secrets) }, credentials);
    const signed = (proc: BridgeProcess, shop: BenchShop, method: string, path: string, body?: unknown) => {
      const text = body === undefined ? "" : JSON.stringify(body);
      return fetch(`${proc.url}${path}`, { method, headers: { ...signedHeaders(shop.shopId, shop.secret, method, path, text), "content-type": "application/json" }, ...(body === undefined ? {} : { body: text }) });
    };
    // Rackbeat's webhooks registered (to PUBLIC_URL) through another process than the receiver.
    const hooks = await signed(processes[1]!, shops[0]!, "POST", "/v1/account/rackbeat-webhooks");
    expect(hooks.status).toBe(200);
    expect(((await hooks.json()) as { mode: string }).mode).toBe("webhooks");
    // Each shop's SKUs linked and its stock written once (the reconciler's "fix"), by the processes in turn.
    for (const [i, shop] of shops.entries()) expect((await signed(processes[i]!, shop, "POST", `/v1/shops/${shop.shopId}/reconcile/stock/fix`, {})).status).toBe(200);

    const rackbeatFigure = (sku: string) => {
      const p = rackbeat.getProduct(sku) as { available_quantity: number };
      return Math.max(0, Math.floor(Number(p.available_quantity)));
    };
    const stockMismatches = () => {
      const wrong: string[] = [];
      for (const [s, woo] of woos.entries()) {
        for (const item of STOCK_ITEMS) {
          const product = woo.getProduct(item.id) as { manage_stock: boolean; stock_quantity: number | null };
          const want = rackbeatFigure(item.sku);
          if (product.manage_stock !== true || product.stock_quantity !== want) wrong.push(`shop ${s + 1} ${item.sku}: ${product.manage_stock ? product.stock_quantity : "unmanaged"} ≠ Rackbeat ${want}`);
        }
      }
      return wrong;
    };
    await waitFor(() => stockMismatches().length === 0, "every shop's stock written once before the burst", 15_000);
    // Settings saved by this test reach every process's shop cache (1 s).
    await sleep(1_100);
    const setUpMs = Date.now() - started;

    // ── The burst, with stock changes alongside ──
    const placed: { shop: BenchShop; id: number; reference: string; total: string; eventId: string }[] = [];
    const live = () => processes.filter((p) => p.alive);
    let rr = 0;
    let refusedSends = 0;
    const sendEvent = async (order: (typeof placed)[number]) => {
      const path = `/v1/shops/${order.shop.shopId}/events`;
      const body = JSON.stringify({ events: [{ event_id: order.eventId, topic: "order.created", resource_id: order.id, occurred_at: new Date().toISOString() }] });
      // As a load balancer in front of the processes: the next live one; a send that fails goes again (same event id).
      for (let attempt = 0; attempt < 20; attempt++) {
        const targets = live();
        const target = targets[rr++ % targets.length]!;
        try {
          const response = await fetch(`${target.url}${path}`, { method: "POST", headers: { ...signedHeaders(order.shop.shopId, order.shop.secret, "POST", path, body), "content-type": "application/json" }, body });
          if (response.status === 202) return;
          refusedSends++;
        } catch {
          refusedSends++;
        }
        await sleep(100);
      }
      throw new Error(`order ${order.reference}: its event was never accepted`);
    };

    let killedAt: number | undefined;
    let heldAtKill: { id: number; kind: string }[] = [];
    let changesAfterKill = new Set<string>();
    let sending = true;
    const changed = new Map<string, number>();
    let stockChanges = 0;
    const stockStream = (async () => {
      for (let n = 0; sending || changesAfterKill.size < STOCK_ITEMS.length; n++) {
        const { sku } = STOCK_ITEMS[n % STOCK_ITEMS.length]!;
        const k = (changed.get(sku) ?? 0) + 1;
        changed.set(sku, k);
        rackbeat.setStock(sku, 1_000 * k + ((n * 37) % 100));
        stockChanges++;
        if (killedAt !== undefined) changesAfterKill.add(sku);
        await sleep(60);
      }
    })();

    const burstStart = Date.now();
    const sends: Promise<void>[] = [];
    for (let n = 0; n < ORDERS; n++) {
      const due = burstStart + (n * 1000) / ORDER_RATE_PER_S - Date.now();
      if (due > 0) await sleep(due);
      if (n === KILL_AFTER_ORDERS) {
        // Mid-burst, while the victim runs jobs: SIGKILL, no restart.
        const owner = `worker-${victim.pid}-%`;
        const held = async () =>
          (heldAtKill = (await store.db.selectFrom("jobs").select(["id", "kind"]).where("state", "=", "running").where("lease_owner", "like", owner).execute()).map((j) => ({ id: Number(j.id), kind: j.kind })));
        await waitFor(async () => (await held()).length > 0, "the victim running a job", 10_000);
        victim.child.kill("SIGKILL");
        victim.alive = false;
        await new Promise((r) => victim.child.once("exit", r));
        killedAt = Date.now();
        changesAfterKill = new Set();
      }
      const shopIndex = n % shops.length;
      const shop = shops[shopIndex]!;
      const checkout = { ...fixtureCheckout(SCENARIOS[n % SCENARIOS.length]!, "rest-api"), thenStatus: [] as never[] };
      delete checkout.status;
      delete checkout.setPaid;
      const made = woos[shopIndex]!.placeOrder(checkout) as { id: number; number: string };
      const order = woos[shopIndex]!.setOrderStatus(made.id, "processing") as { total: string };
      const entry = { shop, id: made.id, reference: `${shop.prefix}${made.number}`, total: order.total, eventId: randomUUID() };
      placed.push(entry);
      sends.push(sendEvent(entry));
    }
    await Promise.all(sends);
    sending = false;
    await stockStream;
    const burstMs = Date.now() - burstStart;

    // ── The outcome ──
    const rackbeatOrders = () => rackbeat.listOrders() as { other_reference: unknown; total_total: number }[];
    await waitFor(() => {
      const refs = new Set(rackbeatOrders().map((o) => String(o.other_reference)));
      return placed.every((o) => refs.has(o.reference));
    }, "every order in Rackbeat", 30_000);
    const jobStates = async () =>
      Object.fromEntries((await store.db.selectFrom("jobs").select((eb) => ["state", eb.fn.countAll().as("n")]).groupBy("state").execute()).map((r) => [r.state, Number(r.n)]));
    await waitFor(async () => {
      const states = await jobStates();
      return !states.waiting && !states.running;
    }, "the queue drained (the victim's jobs taken over)", 30_000);
    await rackbeat.webhooksIdle();
    await waitFor(() => stockMismatches().length === 0, "every shop's stock equal to Rackbeat's", 20_000).catch(async (error: unknown) => {
      // What the bridge holds: orders still counted in flight, and what it last wrote.
      const open = await store.db.selectFrom("stock_reservations").select(["shop_id", "woo_order_id", "sku", "quantity", "rackbeat_order_number"]).where("state", "=", "open").execute();
      const wrong = stockMismatches();
      const skus = [...new Set(wrong.map((w) => w.split(" ")[2]!.replace(/:$/, "")))];
      const links = skus.length === 0 ? [] : await store.db.selectFrom("stock_links").select(["shop_id", "sku", "last_written"]).where("sku", "in", skus).execute();
      throw new Error(`${(error as Error).message}\n${wrong.slice(0, 20).join("\n")}\nopen reservations: ${JSON.stringify(open)}\nlast written: ${JSON.stringify(links)}`);
    });

    // Every order once, with the shop's total to the cent; nothing else in Rackbeat.
    const byReference = new Map<string, { total_total: number }[]>();
    for (const o of rackbeatOrders()) byReference.set(String(o.other_reference), [...(byReference.get(String(o.other_reference)) ?? []), o]);
    const duplicates = placed.filter((o) => (byReference.get(o.reference)?.length ?? 0) > 1).map((o) => o.reference);
    const missing = placed.filter((o) => !byReference.has(o.reference)).map((o) => o.reference);
    const wrongTotals = placed
      .filter((o) => byReference.has(o.reference))
      .filter((o) => Money.fromNumber(byReference.get(o.reference)![0]!.total_total).toFixed(2) !== Money.parse(o.total).round(2).toFixed(2))
      .map((o) => o.reference);
    const stats = rackbeat.stats();
    const states = await jobStates();
    console.log(
      `[three-processes-sync] orders=${ORDERS} in_rackbeat=${ORDERS - missing.length} duplicates=${duplicates.length} wrong_totals=${wrongTotals.length} ` +
        `stock_changes=${stockChanges} stock_mismatches=${stockMismatches().length} rackbeat_requests=${stats.requests} sandbox_429s=${stats.sent429} peak_in_window=${stats.peakInWindow}/${LIMIT} ` +
        `held_by_victim_at_kill=${heldAtKill.map((j) => j.kind).join(",")} resent_events=${refusedSends} jobs=${JSON.stringify(states)} ` +
        `set_up_ms=${setUpMs} burst_ms=${burstMs} settled_after_kill_ms=${Date.now() - killedAt!} total_ms=${Date.now() - t0}`,
    );
    expect(missing).toEqual([]);
    expect(duplicates).toEqual([]);
    expect(wrongTotals).toEqual([]);
    expect(rackbeatOrders()).toHaveLength(ORDERS);

    // No job lost or given up: every job ended done or skipped (an echo, a duplicate delivery …),
    // the ones the victim held among them, finished by the others.
    expect(Object.keys(states).filter((s) => s !== "done" && s !== "skipped")).toEqual([]);
    expect(heldAtKill.length).toBeGreaterThan(0);
    const taken = await store.db.selectFrom("jobs").select(["id", "state"]).where("id", "in", heldAtKill.map((j) => j.id)).execute();
    expect(taken.map((j) => j.state).filter((s) => s !== "done" && s !== "skipped")).toEqual([]);
    expect(await store.db.selectFrom("jobs").select("id").where("kind", "=", "event:order.created").where("state", "=", "done").execute()).toHaveLength(ORDERS);

    // Every shop's stock equals Rackbeat's figure, and stays so (nothing older lands late); no
    // order is still counted in flight (each was settled, the victim's ones too).
    await sleep(500);
    expect(stockMismatches()).toEqual([]);
    expect(await store.db.selectFrom("stock_reservations").select(["woo_order_id", "sku"]).where("state", "=", "open").execute()).toEqual([]);
    expect(receiver.alive).toBe(true);

    // The shared limit held: Rackbeat never refused a request.
    expect(stats.sent429).toBe(0);
    expect(stats.peakInWindow).toBeLessThanOrEqual(LIMIT);
  }, 120_000);
});
