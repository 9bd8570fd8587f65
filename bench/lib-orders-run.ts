/**
 * What the orders benchmarks share: bench/orders.ts (one bridge in process) and the orders part of
 * bench/scale-out.ts (3 bridge processes on one PostgreSQL database).
 *
 * - startOrdersSandboxes: the Rackbeat sandbox and the WooCommerce sandboxes in their own process
 *   (lib-orders-sandboxes.ts), its IPC calls, and when each order appeared in Rackbeat (pushed by
 *   that process as it happens, by reference);
 * - pairBenchShops: pairs one bench shop per WooCommerce sandbox through a bridge's /v1/pair, with
 *   the order reference prefix S<n>- and no "orders created from" date;
 * - placeOrders / sendEvents / sendSteadily: orders placed in the shops, their signed order events
 *   sent by the shops' process (to one bridge URL, or to one per order, as a load balancer would);
 * - waitForOrders, latenciesMs, percentile: event sent → Rackbeat created the order;
 * - tallyRackbeat: every Rackbeat order counted by reference at the end (in Rackbeat, duplicates,
 *   cent mismatches).
 */
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { BridgeContext } from "../bridge/src/context.js";
import { Money } from "../bridge/src/lib/money.js";

export interface WooCredentials {
  url: string;
  consumerKey: string;
  consumerSecret: string;
}

export interface OrdersSandboxes {
  rackbeat: { baseUrl: string; token: string };
  shops: WooCredentials[];
  /** When each order appeared in Rackbeat, by reference (performance.timeOrigin + performance.now() of the sandboxes' process). */
  createdAt: Map<string, number>;
  child: ChildProcess;
  /** One operation of lib-orders-sandboxes.ts (place, send, stats, resetStats, orders, …). */
  call<T>(op: string, args?: unknown): Promise<T>;
  /** Closes the sandboxes and waits for their process to end. */
  close(): Promise<void>;
}

export interface SandboxOptions {
  shops: number;
  limit: { limit: number; windowMs: number };
  latencyMs: number;
  /** More environment for the sandboxes' process. */
  env?: Record<string, string>;
}

/** Forks lib-orders-sandboxes.ts and resolves once its sandboxes listen. */
export async function startOrdersSandboxes(options: SandboxOptions): Promise<OrdersSandboxes> {
  const child = fork(fileURLToPath(new URL("./lib-orders-sandboxes.ts", import.meta.url)), [], {
    execArgv: ["--import", "tsx"],
    env: {
      ...process.env,
      SHOPS: String(options.shops),
      RB_LIMIT: String(options.limit.limit),
      RB_WINDOW_MS: String(options.limit.windowMs),
      RB_LATENCY_MS: String(options.latencyMs),
      ...options.env,
    },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const createdAt = new Map<string, number>();
  const pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const ready = new Promise<{ rackbeat: { baseUrl: string; token: string }; shops: WooCredentials[] }>((resolve, reject) => {
    child.on("message", (m: any) => {
      if (m.type === "created") createdAt.set(m.reference, m.at);
      else if (m.type === "ready") resolve(m);
      else if (typeof m.id === "number") {
        const p = pending.get(m.id);
        pending.delete(m.id);
        if (m.error !== undefined) p?.reject(new Error(m.error));
        else p?.resolve(m.result);
      }
    });
    child.once("exit", (code) => {
      const error = new Error(`sandboxes exited with ${code}`);
      reject(error);
      for (const p of pending.values()) p.reject(error);
      pending.clear();
    });
  });
  const call = <T>(op: string, args?: unknown) =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ id, op, args });
    });
  const { rackbeat, shops } = await ready;
  return {
    rackbeat,
    shops,
    createdAt,
    child,
    call,
    async close() {
      if (child.exitCode === null && child.signalCode === null) await call("close").catch(() => undefined);
      await exited;
    },
  };
}

export interface BenchShop {
  shopId: string;
  secret: string;
  prefix: string;
}

/**
 * Pairs one shop per WooCommerce sandbox through `bridgeUrl` (codes from `ctx.pairing`, which may be
 * another process's view of the same store) and saves its order settings: reference prefix S<n>-,
 * every order transferred whenever it was created.
 */
export async function pairBenchShops(bridgeUrl: string, ctx: Pick<BridgeContext, "pairing" | "shops">, woos: WooCredentials[]): Promise<BenchShop[]> {
  const shops: BenchShop[] = [];
  for (const [i, woo] of woos.entries()) {
    const { code } = await ctx.pairing.create(`Bench shop ${i + 1}`);
    const response = await fetch(`${bridgeUrl}/v1/pair`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ code, shop_url: woo.url, shop_name: `Bench shop ${i + 1}`, wc_consumer_key: woo.consumerKey, wc_consumer_secret: woo.consumerSecret, plugin_version: "0.1.0", protocol_version: 1 }),
    });
    if (response.status !== 201) throw new Error(`pairing bench shop ${i + 1} failed: ${response.status} ${await response.text()}`);
    const { shop_id: shopId, shop_secret: secret } = (await response.json()) as { shop_id: string; shop_secret: string };
    const prefix = `S${i + 1}-`;
    await ctx.shops.saveSettings(shopId, { orders: { transferOrdersCreatedFrom: null, orderReferencePrefix: prefix } });
    shops.push({ shopId, secret, prefix });
  }
  return shops;
}

export interface PlacedOrder {
  shop: BenchShop;
  id: number;
  reference: string;
  total: string;
  /** When its event was sent (same clock as OrdersSandboxes.createdAt). */
  sentAt?: number;
}

/** Places orders offset … offset+count-1 of the benchmark, order n in shop n % shops (processing, so they qualify). */
export async function placeOrders(sandboxes: OrdersSandboxes, shops: BenchShop[], count: number, offset: number): Promise<PlacedOrder[]> {
  const placed = await sandboxes.call<{ shop: number; id: number; reference: string; total: string }[]>("place", { count, offset, prefixes: shops.map((s) => s.prefix) });
  return placed.map((p) => ({ shop: shops[p.shop]!, id: p.id, reference: p.reference, total: p.total }));
}

/** The shops (in the sandboxes' process) send these orders' events to `bridgeUrl`, all at once (≤100 open requests); sets sentAt. */
export async function sendEvents(sandboxes: OrdersSandboxes, bridgeUrl: string, orders: PlacedOrder[]): Promise<void> {
  const sentAt = await sandboxes.call<number[]>("send", { bridgeUrl, events: orders.map((o) => ({ shopId: o.shop.shopId, secret: o.shop.secret, orderId: o.id })) });
  orders.forEach((o, i) => (o.sentAt = sentAt[i]));
}

/**
 * One event per order at `rate` orders/s (order i due at i/rate s after the start, whatever the
 * previous sends take), order i to `bridgeUrlFor(i)`; resolves when every event was answered 202.
 */
export async function sendSteadily(
  sandboxes: OrdersSandboxes,
  orders: PlacedOrder[],
  rate: number,
  bridgeUrlFor: (i: number) => string,
  log?: (msg: string) => void,
): Promise<void> {
  const start = performance.now();
  const sends: Promise<void>[] = [];
  for (let i = 0; i < orders.length; i++) {
    const wait = start + (i * 1000) / rate - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    sends.push(sendEvents(sandboxes, bridgeUrlFor(i), [orders[i]!]));
    if (log && i > 0 && i % 100 === 0) log(`${i} sent, ${sandboxes.createdAt.size} in Rackbeat`);
  }
  await Promise.all(sends);
}

/** Waits until every order is in Rackbeat or `timeoutMs` passed (then logs how many are missing); true when all arrived. */
export async function waitForOrders(sandboxes: OrdersSandboxes, orders: PlacedOrder[], timeoutMs: number, log?: (msg: string) => void): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (orders.some((o) => !sandboxes.createdAt.has(o.reference))) {
    if (Date.now() > until) {
      log?.(`timeout: ${orders.filter((o) => !sandboxes.createdAt.has(o.reference)).length} orders not in Rackbeat`);
      return false;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

/** Event sent → Rackbeat created the order, for the orders that arrived, ascending. */
export function latenciesMs(sandboxes: OrdersSandboxes, orders: PlacedOrder[]): number[] {
  return orders
    .filter((o) => o.sentAt !== undefined && sandboxes.createdAt.has(o.reference))
    .map((o) => sandboxes.createdAt.get(o.reference)! - o.sentAt!)
    .sort((a, b) => a - b);
}

/** The p-th percentile of ascending values (nearest rank below), rounded; null when there are none. */
export function percentile(sorted: number[], p: number): number | null {
  return sorted.length === 0 ? null : Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!);
}

/** Every Rackbeat order by reference: how many of `orders` are there, extra orders for one reference, totals off by a cent. */
export async function tallyRackbeat(sandboxes: OrdersSandboxes, orders: PlacedOrder[]): Promise<{ inRackbeat: number; duplicates: number; centMismatches: number }> {
  const byReference = new Map<string, { total_total: number }[]>();
  for (const o of await sandboxes.call<{ other_reference: unknown; total_total: number }[]>("orders")) {
    const ref = String(o.other_reference);
    byReference.set(ref, [...(byReference.get(ref) ?? []), o]);
  }
  let inRackbeat = 0;
  let duplicates = 0;
  let centMismatches = 0;
  for (const order of orders) {
    const found = byReference.get(order.reference) ?? [];
    if (found.length > 0) inRackbeat++;
    if (found.length > 1) duplicates += found.length - 1;
    const first = found[0];
    if (first && Money.fromNumber(first.total_total).toFixed(2) !== Money.parse(order.total).round(2).toFixed(2)) centMismatches++;
  }
  return { inRackbeat, duplicates, centMismatches };
}
