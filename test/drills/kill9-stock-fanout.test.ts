/**
 * Drill: kill -9 of the bridge during stock fan-out. Rackbeat changes the stock of every SKU; its
 * webhooks reach the bridge, which fans the figures out to three shops (slow batch writes, so the
 * kill lands with some shops written and others not). The bridge restarts on the same store:
 * Rackbeat retries the webhooks the dead bridge never answered, and every shop must converge to
 * Rackbeat's figure without any other figure being written.
 */
import { afterAll, describe, expect, it } from "vitest";
import { AccountSettings } from "../../bridge/src/shops/account.js";
import { PairingCodes } from "../../bridge/src/shops/pairing.js";
import type { Store } from "../../bridge/src/store/store.js";
import { defaultStoreKind, type FreshStore } from "../postgres/test-databases.js";
import { type RackbeatSandbox, startRackbeatSandbox } from "../sandboxes/rackbeat/index.js";
import { type WooSandbox, startWooSandbox } from "../sandboxes/woocommerce/index.js";
import { RACKBEAT_TOKEN_KEY } from "../../bridge/src/account/rackbeat-account.js";
import {
  type BridgeAccess,
  type StockShop,
  forkBridge,
  freePort,
  jobCount,
  killChildren,
  killHard,
  pairOverHttp,
  reportDrill,
  signedFetch,
  stockTally,
  waitFor,
} from "./drill-kit.js";

const SKUS = Array.from({ length: 150 }, (_, i) => `S-${String(i).padStart(3, "0")}`);
const SHOPS = 3;
const START = 40;

describe(`drill: kill -9 during stock fan-out (${defaultStoreKind.name})`, () => {
  let fresh: FreshStore | undefined;
  let store: Store | undefined;
  let rackbeat: RackbeatSandbox | undefined;
  const woos: WooSandbox[] = [];
  afterAll(async () => {
    await killChildren();
    await store?.close();
    await rackbeat?.close();
    for (const w of woos) await w.close();
    await fresh?.cleanup();
  });

  it("every shop converges to Rackbeat's figures and no other figure is written", async () => {
    fresh = await defaultStoreKind.create();
    // Rackbeat retries a webhook the bridge did not answer (here 250 ms doubling, 8 tries ≈ 30 s).
    rackbeat = await startRackbeatSandbox({ rateLimit: false, webhookRetry: { baseMs: 250, maxAttempts: 8 } });
    rackbeat.seedProducts(SKUS.map((number) => ({ number, stock: START })));
    const port = await freePort();
    const env = {
      ...fresh.env,
      DRILL_MODE: "stock",
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      RACKBEAT_BASE_URL: rackbeat.baseUrl,
      RACKBEAT_TOKEN: rackbeat.token,
      WORKER_CONCURRENCY: "8",
      JOB_LEASE_MS: "1500",
      JOB_BACKOFF_BASE_MS: "50",
      JOB_BACKOFF_MAX_MS: "500",
    };
    const first = await forkBridge(env);
    store = await fresh.open();
    const bridge: BridgeAccess = { url: first.url, db: store.db, pairing: new PairingCodes(store.db), account: new AccountSettings(store.db, store.secrets) };
    await bridge.account.setSecret(RACKBEAT_TOKEN_KEY, rackbeat.token);

    const shops: (StockShop & { shopId: string; shopSecret: string })[] = [];
    for (let i = 0; i < SHOPS; i++) {
      const woo = await startWooSandbox();
      woos.push(woo);
      const ids = new Map(SKUS.map((sku) => [sku, Number(woo.seedProduct({ sku, name: `Product ${sku}`, regularPrice: "10.00", manageStock: true, stockQuantity: 0 }).id)]));
      shops.push({ woo, ids, ...(await pairOverHttp(bridge, woo, `Shop ${i + 1}`)) });
    }
    const webhooks = await signedFetch(bridge.url, shops[0]!, "POST", "/v1/account/rackbeat-webhooks");
    expect(((await webhooks.json()) as { mode: string }).mode).toBe("webhooks");
    // The first reconciliation links every SKU and writes Rackbeat's figure.
    for (const shop of shops) expect((await signedFetch(bridge.url, shop, "POST", `/v1/shops/${shop.shopId}/reconcile/stock/fix`, {})).status).toBe(200);
    const at = (shop: StockShop, sku: string) => shop.woo.getProduct(shop.ids.get(sku)!)?.stock_quantity;
    await waitFor(() => shops.every((s) => SKUS.every((sku) => at(s, sku) === START)), "every shop at the starting figure");

    // Batch writes take WooCommerce 250 ms: a fan-out round spans the kill.
    for (const s of shops) s.woo.injectFault({ kind: "latency", ms: 250, times: Infinity, method: "POST", path: "/batch" });
    const since = Date.now();
    const expected = new Map(SKUS.map((sku, i) => [sku, START - 1 - (i % 30)]));
    for (const [sku, figure] of expected) rackbeat.setStock(sku, figure);
    const converged = (s: StockShop) => [...expected].filter(([sku, want]) => at(s, sku) === want).length;
    // Kill once some figures are out and others are not.
    await waitFor(() => {
      const done = shops.reduce((n, s) => n + converged(s), 0);
      return done > 0 && done < SHOPS * SKUS.length;
    }, "fan-out under way", 30_000);
    await killHard(first);
    const atKill = shops.reduce((n, s) => n + converged(s), 0);
    const runningAtKill = await jobCount(store.db, "running");

    await forkBridge(env);
    await waitFor(() => shops.every((s) => converged(s) === SKUS.length), "every shop at Rackbeat's figure", 30_000);
    await rackbeat.webhooksIdle();

    reportDrill("kill9-stock-fanout", stockTally(shops, expected, since), { converged_at_kill: atKill, jobs_running_at_kill: runningAtKill });
    expect(await jobCount(store.db, "parked")).toBe(0);
  }, 120_000);
});
