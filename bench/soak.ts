/**
 * Soak (issue 10): SOAK_MINUTES (default 30) of mixed traffic through one real bridge process, with
 * faults injected on a schedule, then a check that nothing was lost, doubled or left behind, and
 * that the bridge's memory did not grow.
 *
 * The bridge runs as production runs it: compiled (into .tmp/soak-bridge, so bridge/dist is left
 * alone), started with `rackbeat-bridge start` and npm start's V8 flags, every feature (products,
 * stock, orders) with their periodic tasks, Rackbeat's real limit (480 requests a minute; the
 * sandbox enforces it, the bridge paces itself with its default gate), webhooks at PUBLIC_URL.
 * It is configured over its own API: five shops paired with one-time codes from
 * `rackbeat-bridge pair`, the token and settings sent signed as the plugin sends them.
 * The sandboxes — Rackbeat (50 ms latency) and five WooCommerce shops (20 ms latency) with
 * SOAK_SKUS (200) products in common — run in a child process (lib-orders-sandboxes.ts with
 * lib-soak-sandboxes.ts), and this process only drives and measures, so neither counts in the
 * bridge's memory.
 *
 * Traffic (per minute, all while faults come and go):
 *   SOAK_ORDERS_PER_MIN (30) orders of 1–3 soak products, placed in the shops in turn; each order's
 *     order.created event goes into the shop's plugin outbox (the sandbox's double of the plugin's)
 *     and is pushed signed to the bridge at once, one in ten followed by an order.updated 2 s later;
 *     the bridge also pulls the outboxes every 30 s, as in production;
 *   SOAK_STOCK_PER_MIN (60) stock changes in Rackbeat (inventory.changed webhooks);
 *   SOAK_EDITS_PER_MIN (6) product edits in Rackbeat, the product master (product.updated webhooks);
 *   half of the booked orders shipped in Rackbeat 30 s after they appear (status write-back).
 * Faults, one at a time in turn from the end of the warm-up until 85 % of the run: Rackbeat 429
 * bursts, 503s, requests that hang until the client times out, order creations whose answer is
 * lost after Rackbeat saved them; a shop unreachable (connections reset) for up to a minute; a shop
 * answering 503 and 429; webhook deliveries duplicated and reordered; the shops unable to reach the
 * bridge for up to a minute (their pushes fail; the bridge's outbox pull has to fetch the events).
 *
 * At the end the faults are cleared and the run waits for quiescence (every order in Rackbeat, every
 * outbox acknowledged, the bridge's queue empty, every timed stock change landed — or nothing moved
 * for two minutes; at most SOAK_QUIESCE_MINUTES, default 10), then checks:
 *   losses / duplicates   placed orders missing from Rackbeat / extra Rackbeat orders with the
 *                         same reference;
 *   stock_mismatches      shop × SKU pairs whose stock differs from Rackbeat's available figure;
 *   product_mismatches    shop × SKU pairs whose name differs from Rackbeat's;
 *   order latency         event recorded in the shop's outbox → the order created in Rackbeat;
 *   stock latency         Rackbeat change → the last of the five shops written (p50, p99; changes on
 *                         SKUs an order touched within 30 s are left out, their writes may be the
 *                         order's); both include the faults, so p99 shows recovery time;
 *   rss_start_mb          the bridge process's RSS at the end of the warm-up (minute 1, or a quarter
 *                         of a shorter run), rss_end_mb when the traffic stops, rss_growth_pct.
 * Targets: losses 0, duplicates 0, stock_mismatches 0, rss_growth_pct ≤ 20 (bench/targets.ts).
 * The bridge's log (warn and above) is kept in bench/results/soak-bridge.log.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { signedHeaders } from "../bridge/src/http/signing.js";
import { percentile, startOrdersSandboxes } from "./lib-orders-run.js";
// @ts-expect-error plain .mjs module without types
import { BRIDGE_NODE_FLAGS } from "../scripts/lib/node-flags.mjs";

const MINUTES = Number(process.env.SOAK_MINUTES ?? 30);
const SHOPS = 5;
const SKUS = Number(process.env.SOAK_SKUS ?? 200);
const ORDERS_PER_MIN = Number(process.env.SOAK_ORDERS_PER_MIN ?? 30);
const STOCK_PER_MIN = Number(process.env.SOAK_STOCK_PER_MIN ?? 60);
const EDITS_PER_MIN = Number(process.env.SOAK_EDITS_PER_MIN ?? 6);
const QUIESCE_MS = Number(process.env.SOAK_QUIESCE_MINUTES ?? 10) * 60_000;
const RUN_MS = MINUTES * 60_000;
const WARMUP_MS = Math.min(60_000, RUN_MS / 4);

const root = fileURLToPath(new URL("..", import.meta.url));
const log = (msg: string) => console.log(`[soak] ${msg}`);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

// ───────────── the sandboxes (child process) ─────────────

log(`starting the Rackbeat sandbox and ${SHOPS} shop sandboxes with ${SKUS} products each (child process)`);
const sandboxes = await startOrdersSandboxes({
  shops: SHOPS,
  limit: { limit: 480, windowMs: 60_000 },
  latencyMs: 50,
  env: { SOAK_SKUS: String(SKUS), WOO_LATENCY_MS: "20" },
});
/** When each order appeared in Rackbeat, by reference (pushed by the child as it happens). */
const createdAt = sandboxes.createdAt;
const call = <T = unknown>(op: string, args?: unknown) => sandboxes.call<T>(op, args);

// ───────────── the bridge (its own process, as npm start runs it) ─────────────

const distDir = join(root, ".tmp", "soak-bridge");
log("compiling the bridge into .tmp/soak-bridge…");
execFileSync(process.execPath, [createRequire(import.meta.url).resolve("typescript/bin/tsc"), "-p", "bridge/tsconfig.build.json", "--outDir", distDir], { cwd: root, stdio: "inherit" });
const cli = join(distDir, "cli.js");
const dataDir = mkdtempSync(join(tmpdir(), "rbc-soak-"));
const port = await new Promise<number>((resolve) => {
  const s = createServer().listen(0, "127.0.0.1", () => {
    const p = (s.address() as { port: number }).port;
    s.close(() => resolve(p));
  });
});
// Only what the bridge is told here (no .env, no DATABASE_URL from the caller's shell).
const bridgeEnv = {
  PATH: process.env.PATH ?? "",
  HOME: process.env.HOME ?? dataDir,
  DATA_DIR: dataDir,
  HOST: "127.0.0.1",
  PORT: String(port),
  PUBLIC_URL: `http://127.0.0.1:${port}`,
  RACKBEAT_BASE_URL: sandboxes.rackbeat.baseUrl,
  LOG_LEVEL: "warn",
};
const pairingCodes = Array.from({ length: SHOPS }, (_, i) => {
  const out = execFileSync(process.execPath, [cli, "pair", "--name", `Soak shop ${i + 1}`], { cwd: dataDir, env: bridgeEnv, encoding: "utf8" });
  const code = /^\s{4}(\S+)\s*$/m.exec(out)?.[1];
  if (!code) throw new Error(`no pairing code in: ${out}`);
  return code;
});

mkdirSync(join(root, "bench", "results"), { recursive: true });
const bridgeLogPath = join(root, "bench", "results", "soak-bridge.log");
const bridgeLog = createWriteStream(bridgeLogPath);
const bridge: ChildProcess = spawn(process.execPath, [...BRIDGE_NODE_FLAGS, cli, "start"], { cwd: dataDir, env: bridgeEnv, stdio: ["ignore", "pipe", "pipe"] });
// Never leave the bridge running behind a failed run.
process.on("exit", () => bridge.kill("SIGKILL"));
/** Warnings and errors the bridge logged, by message (pino writes the level as a label or a number). */
const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };
const logged = new Map<string, { level: number; count: number; example: string }>();
const bridgeUrl = await new Promise<string>((resolve, reject) => {
  const onLine = (line: string) => {
    bridgeLog.write(`${line}\n`);
    const listening = /listening on (\S+)/.exec(line);
    if (listening) resolve(listening[1]!);
    if (!line.startsWith("{")) return;
    try {
      const entry = JSON.parse(line) as { level: number | string; msg?: string };
      const level = typeof entry.level === "number" ? entry.level : (LEVELS[entry.level] ?? 30);
      if (level < 40) return;
      const key = entry.msg ?? "(no message)";
      const seen = logged.get(key) ?? { level, count: 0, example: line.slice(0, 400) };
      seen.count++;
      logged.set(key, seen);
    } catch {
      // not a log line
    }
  };
  createInterface({ input: bridge.stdout! }).on("line", onLine);
  createInterface({ input: bridge.stderr! }).on("line", onLine);
  bridge.once("exit", (code, signal) => reject(new Error(`the bridge exited with ${code ?? signal} before listening; see ${bridgeLogPath}`)));
});
let bridgeExited: string | undefined;
let stopping = false;
bridge.once("exit", (code, signal) => {
  if (stopping) return;
  bridgeExited = `the bridge process exited with ${code ?? signal} during the run`;
  log(bridgeExited);
});
log(`bridge pid ${bridge.pid} at ${bridgeUrl}`);

function rssMb(): number | null {
  try {
    if (process.platform === "linux") {
      const kb = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${bridge.pid}/status`, "utf8"))?.[1];
      return kb ? Math.round((Number(kb) / 1024) * 10) / 10 : null;
    }
    return Math.round((Number(execFileSync("ps", ["-o", "rss=", "-p", String(bridge.pid)], { encoding: "utf8" }).trim()) / 1024) * 10) / 10;
  } catch {
    return null;
  }
}

async function signed(shop: { shopId: string; secret: string }, method: string, path: string, body?: unknown): Promise<Response> {
  const raw = body === undefined ? "" : JSON.stringify(body);
  return fetch(`${bridgeUrl}${path}`, {
    method,
    headers: { ...signedHeaders(shop.shopId, shop.secret, method, path, raw), ...(raw ? { "content-type": "application/json" } : {}) },
    ...(raw ? { body: raw } : {}),
  });
}
async function expectOk(response: Response, what: string): Promise<any> {
  const text = await response.text();
  if (!response.ok) throw new Error(`${what}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

// Pairing, token, settings, webhooks and stock links: as the plugin and the owner would set them up.
interface SoakShop {
  shopId: string;
  secret: string;
  prefix: string;
}
const shops: SoakShop[] = [];
for (const [i, woo] of sandboxes.shops.entries()) {
  const response = await fetch(`${bridgeUrl}/v1/pair`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ code: pairingCodes[i], shop_url: woo.url, shop_name: `Soak shop ${i + 1}`, wc_consumer_key: woo.consumerKey, wc_consumer_secret: woo.consumerSecret, plugin_version: "0.1.0", protocol_version: 1 }),
  });
  const paired = (await expectOk(response, "pairing")) as { shop_id: string; shop_secret: string };
  shops.push({ shopId: paired.shop_id, secret: paired.shop_secret, prefix: `S${i + 1}-` });
  await call("connect", { shop: i, shopId: paired.shop_id, secret: paired.shop_secret, bridgeUrl });
}
const token = (await expectOk(await signed(shops[0]!, "PUT", "/v1/account/rackbeat-token", { token: sandboxes.rackbeat.token }), "token")) as { valid: boolean };
if (!token.valid) throw new Error("the bridge did not accept the Rackbeat token");
for (const shop of shops) {
  const { settings } = (await expectOk(await signed(shop, "GET", `/v1/shops/${shop.shopId}/settings`), "settings")) as { settings: any };
  settings.orders.orderReferencePrefix = shop.prefix;
  settings.orders.transferOrdersCreatedFrom = null;
  settings.products.master = "rackbeat_to_woo";
  await expectOk(await signed(shop, "PUT", `/v1/shops/${shop.shopId}/settings`, settings), "settings");
}
const hooks = (await expectOk(await signed(shops[0]!, "POST", "/v1/account/rackbeat-webhooks"), "webhooks")) as { mode: string; reason: string };
log(`stock mode: ${hooks.mode} (${hooks.reason})`);
for (const shop of shops) {
  const report = (await expectOk(await signed(shop, "POST", `/v1/shops/${shop.shopId}/reconcile/stock/fix`, { all: true }), "stock links")) as { linked: number; drift: number };
  log(`${shop.prefix} ${report.linked} SKUs linked, ${report.drift} drifting`);
}

// ───────────── traffic ─────────────

interface PlacedOrder {
  shop: SoakShop;
  id: number;
  reference: string;
  /** When its event went into the shop's outbox (the sandboxes' clock, as Rackbeat's creation time). */
  sentAt: number;
}
const placed: PlacedOrder[] = [];
let stockChanges = 0;
let productEdits = 0;
let shippedOrders = 0;
const faultsInjected: string[] = [];
const rssSamples: { at: number; mb: number }[] = [];
let rssStart: number | null = null;
let rssEnd: number | null = null;

const started = performance.now();
const stopAt = started + RUN_MS;
const running = () => performance.now() < stopAt && !bridgeExited;

/** Runs `tick` on a fixed schedule, every `everyMs` from the start, until the traffic stops. */
async function every(everyMs: number, tick: (i: number) => Promise<unknown>): Promise<void> {
  for (let i = 0; running(); i++) {
    await sleep(started + i * everyMs - performance.now());
    if (!running()) break;
    try {
      await tick(i);
    } catch (error) {
      log(`traffic error: ${String(error)}`);
    }
  }
}

const traffic = [
  every(60_000 / ORDERS_PER_MIN, async (n) => {
    const shop = shops[n % SHOPS]!;
    const o = await call<{ id: number; reference: string; at: number }>("placeSoak", { n, prefix: shop.prefix });
    placed.push({ shop, id: o.id, reference: o.reference, sentAt: o.at });
  }),
  every(60_000 / STOCK_PER_MIN, async () => {
    if (await call("adjustStock")) stockChanges++;
  }),
  every(60_000 / EDITS_PER_MIN, async () => {
    await call("editProduct");
    productEdits++;
  }),
  every(10_000, async () => {
    shippedOrders += await call<number>("shipSome", { olderThanMs: 30_000, share: 0.5 });
  }),
  every(5_000, async () => {
    const mb = rssMb();
    if (mb === null) return;
    rssSamples.push({ at: performance.now() - started, mb });
    if (rssStart === null && performance.now() - started >= WARMUP_MS) {
      rssStart = mb;
      log(`warm-up over: bridge RSS ${mb} MB`);
    }
  }),
  every(30_000, async (i) => {
    const sandboxRss = (await call<{ rss_mb: number }>("trim")).rss_mb;
    if (i === 0) return;
    const health = (await (await fetch(`${bridgeUrl}/healthz`)).json()) as { queue: { depth: number; running: number; parked: number } };
    const inRackbeat = placed.filter((o) => createdAt.has(o.reference)).length;
    const warnings = [...logged.values()].reduce((n, l) => n + l.count, 0);
    log(
      `${((performance.now() - started) / 60_000).toFixed(1)} min: ${placed.length} orders (${inRackbeat} in Rackbeat), ${stockChanges} stock changes, ${productEdits} edits, ${shippedOrders} shipped; ` +
        `queue ${health.queue.depth} waiting, ${health.queue.running} running, ${health.queue.parked} parked; bridge RSS ${rssSamples.at(-1)?.mb ?? "?"} MB; ${warnings} warnings; sandboxes ${sandboxRss} MB`,
    );
  }),
  faultSchedule(),
];

/** One fault at a time, each kind in turn, from the end of the warm-up until 85 % of the run. */
async function faultSchedule(): Promise<void> {
  let shopTurn = 0;
  const kinds: { name: string; start: (durationMs: number) => Promise<() => Promise<unknown>> }[] = [
    {
      name: "Rackbeat 429 burst (40 answers, Retry-After 2 s)",
      start: async () => {
        await call("rackbeatFault", { rule: { kind: "rate-limit", retryAfterSeconds: 2, times: 40 } });
        return () => call("clearRackbeatFaults");
      },
    },
    {
      name: "Rackbeat 503 (15 answers)",
      start: async () => {
        await call("rackbeatFault", { rule: { kind: "status", status: 503, times: 15 } });
        return () => call("clearRackbeatFaults");
      },
    },
    {
      name: "Rackbeat requests hang until the client times out (3)",
      start: async () => {
        await call("rackbeatFault", { rule: { kind: "hang", times: 3 } });
        return () => call("clearRackbeatFaults");
      },
    },
    {
      name: "Rackbeat saves 3 orders but the answers are lost",
      start: async () => {
        await call("rackbeatFault", { rule: { kind: "lose-response", mode: "destroy", method: "POST", path: "/orders", times: 3 } });
        return () => call("clearRackbeatFaults");
      },
    },
    {
      name: "a shop unreachable (connections reset)",
      start: async (durationMs) => {
        const shop = shopTurn++ % SHOPS;
        await call("wooFault", { shop, fault: { kind: "reset", times: 1e9 } });
        log(`  shop ${shop + 1} unreachable for ${Math.round(durationMs / 1000)} s`);
        return () => call("clearWooFaults", { shop });
      },
    },
    {
      name: "a shop answers 503 (10) and 429 (5)",
      start: async () => {
        const shop = shopTurn++ % SHOPS;
        await call("wooFault", { shop, fault: { kind: "status", status: 503, times: 10 } });
        await call("wooFault", { shop, fault: { kind: "status", status: 429, retryAfter: "2", times: 5 } });
        return () => call("clearWooFaults", { shop });
      },
    },
    {
      name: "the shops cannot reach the bridge (pushes refused; the bridge's outbox pull fetches the events)",
      start: async () => {
        await call("shopsCut", { cut: true });
        return () => call("shopsCut", { cut: false });
      },
    },
    {
      name: "Rackbeat webhooks delivered twice and reordered (3 s window)",
      start: async () => {
        await call("webhookFaults", { duplicates: 1, reorderWindowMs: 3000 });
        return () => call("webhookFaults", { duplicates: 0, reorderWindowMs: 0 });
      },
    },
  ];
  const from = WARMUP_MS;
  const until = RUN_MS * 0.85;
  const cycles = Math.max(1, Math.floor((until - from) / (kinds.length * 100_000)));
  const slotMs = (until - from) / (kinds.length * cycles);
  const faultMs = Math.min(60_000, slotMs * 0.6);
  for (let slot = 0; slot < kinds.length * cycles; slot++) {
    await sleep(started + from + slot * slotMs - performance.now());
    if (!running()) return;
    const kind = kinds[slot % kinds.length]!;
    log(`fault: ${kind.name}`);
    faultsInjected.push(kind.name);
    const end = await kind.start(faultMs);
    await sleep(faultMs);
    await end();
  }
}

await Promise.all(traffic);
rssEnd = rssMb() ?? rssSamples.at(-1)?.mb ?? null;
log(`traffic over after ${MINUTES} min: ${placed.length} orders, ${stockChanges} stock changes, ${productEdits} edits; bridge RSS ${rssEnd} MB (start ${rssStart} MB)`);

// ───────────── quiescence and checks ─────────────

await call("clearRackbeatFaults");
await call("shopsCut", { cut: false });
for (let shop = 0; shop < SHOPS; shop++) await call("clearWooFaults", { shop });
const quiesceStart = performance.now();
await Promise.race([call("webhooksIdle"), sleep(120_000)]);
let quiet = 0;
let round = 0;
let idleSince: number | undefined;
let health: { queue: { depth: number; running: number; parked: number } } = { queue: { depth: -1, running: -1, parked: -1 } };
type Outbox = { pending: number; push_failures: number; pulls: number }[];
while (!bridgeExited && performance.now() - quiesceStart < QUIESCE_MS) {
  health = (await (await fetch(`${bridgeUrl}/healthz`)).json()) as typeof health;
  const missing = placed.filter((o) => !createdAt.has(o.reference)).length;
  const unacked = (await call<Outbox>("outbox")).reduce((n, o) => n + o.pending, 0);
  const open = (await call<{ open: string[] }>("stockLatencies")).open;
  const idle = health.queue.depth + health.queue.running === 0 && missing === 0 && unacked === 0;
  idleSince = idle ? (idleSince ?? performance.now()) : undefined;
  // A stock change that never reached a shop does not hold the run for ever: the check below counts it.
  if (idle && (open.length === 0 || performance.now() - idleSince! > 120_000)) {
    if (++quiet >= 3) break;
  } else quiet = 0;
  if (round++ % 15 === 0) {
    log(`  quiescing: ${missing} orders not in Rackbeat, ${unacked} events not acknowledged, ${open.length} stock changes not in every shop${open.length > 0 ? ` (${open.slice(0, 5).join(", ")})` : ""}, queue ${health.queue.depth} waiting / ${health.queue.running} running`);
  }
  await sleep(2000);
}
const outbox = await call<Outbox>("outbox");
// Stock writes are gathered in the bridge's memory before they go out (and retried there): give
// a failed write its retry before counting it as a mismatch.
type Verify = {
  stock: { shop: number; sku: string; shop_stock: number | null; rackbeat: number }[];
  names: { shop: number; sku: string; shop_name: string; rackbeat: string }[];
  notedAsEdited: number[];
};
let verified = await call<Verify>("verify");
for (let i = 0; i < 18 && (verified.stock.length > 0 || verified.names.length > 0) && !bridgeExited; i++) {
  await sleep(5000);
  verified = await call<Verify>("verify");
}
const quiesceS = Math.round((performance.now() - quiesceStart) / 1000);

const byReference = new Map<string, number>();
for (const o of await call<{ other_reference: unknown }[]>("orders")) byReference.set(String(o.other_reference), (byReference.get(String(o.other_reference)) ?? 0) + 1);
const inRackbeat = placed.filter((o) => byReference.has(o.reference)).length;
const duplicates = placed.reduce((n, o) => n + Math.max(0, (byReference.get(o.reference) ?? 0) - 1), 0);
const orderLatencies = placed
  .filter((o) => createdAt.has(o.reference))
  .map((o) => createdAt.get(o.reference)! - o.sentAt)
  .sort((a, b) => a - b);
const stock = await call<{ latencies: number[]; excluded: number; open: string[] }>("stockLatencies");
const stockLatencies = [...stock.latencies].sort((a, b) => a - b);
const lost = placed.filter((o) => !byReference.has(o.reference));
if (lost.length > 0) log(`orders not in Rackbeat: ${lost.slice(0, 20).map((o) => o.reference).join(", ")}${lost.length > 20 ? " …" : ""}`);
if (verified.stock.length > 0) log(`stock mismatches (first 10): ${JSON.stringify(verified.stock.slice(0, 10))}`);
if (verified.notedAsEdited.length > 0) log(`Rackbeat orders noted "changed after this order was booked" though none was: ${verified.notedAsEdited.join(", ")}`);
if (verified.names.length > 0) log(`name mismatches (first 10): ${JSON.stringify(verified.names.slice(0, 10))}`);
const warnings = [...logged.entries()].sort((a, b) => b[1].count - a[1].count);
for (const [msg, l] of warnings.slice(0, 12)) log(`bridge ${l.level >= 50 ? "error" : "warning"} ×${l.count}: ${msg} — e.g. ${l.example}`);
log(`bridge RSS every 5 s (MB): ${rssSamples.filter((_, i) => i % 6 === 0).map((s) => s.mb).join(" ")}`);

stopping = true;
bridge.kill("SIGTERM");
await Promise.race([new Promise((resolve) => (bridge.exitCode !== null ? resolve(null) : bridge.once("exit", resolve))), sleep(30_000)]);
if (bridge.exitCode === null && bridge.signalCode === null) bridge.kill("SIGKILL");
await Promise.race([call("close").catch(() => undefined), sleep(10_000)]);
bridgeLog.end();
rmSync(dataDir, { recursive: true, force: true });
if (existsSync(distDir) && process.env.SOAK_KEEP_BUILD !== "1") rmSync(distDir, { recursive: true, force: true });

const growth = rssStart !== null && rssEnd !== null ? Math.round(((rssEnd - rssStart) / rssStart) * 1000) / 10 : null;
console.log(
  JSON.stringify({
    minutes: MINUTES,
    orders: placed.length,
    in_rackbeat: inRackbeat,
    losses: placed.length - inRackbeat,
    duplicates,
    stock_mismatches: verified.stock.length,
    order_p50_ms: percentile(orderLatencies, 50),
    order_p99_ms: percentile(orderLatencies, 99),
    stock_p50_ms: percentile(stockLatencies, 50),
    stock_p99_ms: percentile(stockLatencies, 99),
    rss_start_mb: rssStart,
    rss_end_mb: rssEnd,
    rss_growth_pct: growth,
    rss_peak_mb: rssSamples.length > 0 ? Math.max(...rssSamples.map((s) => s.mb)) : null,
    stock_changes: stockChanges,
    stock_measured: stockLatencies.length,
    stock_not_landed: stock.open.length,
    stock_excluded: stock.excluded,
    product_edits: productEdits,
    product_mismatches: verified.names.length,
    orders_noted_as_edited: verified.notedAsEdited.length,
    shipped: shippedOrders,
    events_unacknowledged: outbox.reduce((n, o) => n + o.pending, 0),
    push_failures: outbox.reduce((n, o) => n + o.push_failures, 0),
    outbox_pulls: outbox.reduce((n, o) => n + o.pulls, 0),
    faults: faultsInjected.length,
    parked_jobs: health.queue.parked,
    bridge_warnings: warnings.filter(([, l]) => l.level < 50).reduce((n, [, l]) => n + l.count, 0),
    bridge_errors: warnings.filter(([, l]) => l.level >= 50).reduce((n, [, l]) => n + l.count, 0),
    quiesce_s: quiesceS,
    ...(bridgeExited ? { crashed: bridgeExited } : {}),
  }),
);
process.exit(0);
