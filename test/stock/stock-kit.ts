/**
 * A real bridge with the stock feature, one Rackbeat sandbox and N WooCommerce sandboxes, all over
 * real HTTP on 127.0.0.1. Shops are paired through `POST /v1/pair` with real REST keys of their
 * sandbox; Rackbeat is reached with the account's token through the bridge's own client. The shops
 * are plain http:// (no HTTPS assumed), so the bridge's REST keys work only as OAuth 1.0a signatures.
 */
import { createServer } from "node:net";
import { createRackbeatClient, type RackbeatClient } from "../../bridge/src/rackbeat/index.js";
import { rateGateFor } from "../../bridge/src/rackbeat/postgres-rate-gate.js";
import { RACKBEAT_TOKEN_KEY } from "../../bridge/src/account/rackbeat-account.js";
import { parseShopSettings, type ShopSettingsInput } from "../../bridge/src/settings/shop-settings.js";
import { createStockFeature, stockService, type StockOptions, type StockService } from "../../bridge/src/sync/stock/index.js";
import { type TestBridge, startTestBridge } from "../helpers/bridge.js";
import { type RackbeatSandbox, type RackbeatSandboxOptions, startRackbeatSandbox } from "../sandboxes/rackbeat/index.js";
import { type WooSandbox, startWooSandbox } from "../sandboxes/woocommerce/index.js";
import { pairWooShop } from "../helpers/pair-shop.js";

export interface KitShop {
  shopId: string;
  shopSecret: string;
  woo: WooSandbox;
  /** SKU → WooCommerce product or variation id. */
  ids: Map<string, number>;
}

export interface StockKit {
  bridge: TestBridge;
  rackbeat: RackbeatSandbox;
  /** A client for the test itself (what the orders exporter would do), on its own rate gate. */
  client: RackbeatClient;
  shops: KitShop[];
  stock: StockService;
  customer: number;
  shopValue(shop: KitShop, sku: string): number | null;
  signed(shop: KitShop, method: string, path: string, body?: unknown): Promise<Response>;
  close(): Promise<void>;
}

export interface KitOptions {
  shops?: number;
  /** Rackbeat products: number → on-hand stock. */
  products: Record<string, number>;
  /** SKUs sold in each shop as variations of one variable product (default none). */
  variationSkus?: string[];
  /** Extra shop products with SKUs Rackbeat does not know. */
  unknownSkus?: string[];
  /** Per-shop settings (index → input). */
  settings?: Record<number, ShopSettingsInput>;
  publicUrl?: boolean;
  stock?: StockOptions;
  rackbeat?: RackbeatSandboxOptions;
}

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

export async function startStockKit(options: KitOptions): Promise<StockKit> {
  const rackbeat = await startRackbeatSandbox({ rateLimit: false, ...options.rackbeat });
  rackbeat.seedProducts(Object.entries(options.products).map(([number, stock]) => ({ number, stock })));
  const [customer] = rackbeat.seedCustomers([{ name: "Webshop customer" }]) as [number];

  const port = await freePort();
  const env: Record<string, string> = { PORT: String(port), RACKBEAT_BASE_URL: rackbeat.baseUrl, LOG_LEVEL: "info", WORKER_CONCURRENCY: "8" };
  if (options.publicUrl !== false) env.PUBLIC_URL = `http://127.0.0.1:${port}`;
  const feature = createStockFeature({ coalesceMs: 30, ...options.stock });
  const bridge = await startTestBridge({ env, features: [feature] });
  // The bridge's clients share one gate per token — in memory on SQLite, in the database on
  // PostgreSQL (once the bridge started): make it roomy for tests before the bridge first uses it.
  rateGateFor(rackbeat.token, { limit: 100_000, windowMs: 1_000, maxConcurrent: 16 });
  await bridge.ctx.account.setSecret(RACKBEAT_TOKEN_KEY, rackbeat.token);
  const stock = stockService(bridge.ctx);

  const shops: KitShop[] = [];
  for (let i = 0; i < (options.shops ?? 3); i++) {
    // Plain HTTP, as most shops behind a proxy look to PHP: WooCommerce then accepts only OAuth 1.0a.
    const woo = await startWooSandbox();
    const ids = new Map<string, number>();
    const skus = Object.keys(options.products).filter((s) => !(options.variationSkus ?? []).includes(s));
    for (const sku of skus) ids.set(sku, Number(woo.seedProduct({ sku, name: `Product ${sku}`, regularPrice: "100.00", manageStock: i % 2 === 0, stockQuantity: i % 2 === 0 ? 0 : null }).id));
    if (options.variationSkus && options.variationSkus.length > 0) {
      const parent = Number(woo.seedProduct({ type: "variable", name: "Variable", sku: `VAR-PARENT-${i}` }).id);
      for (const sku of options.variationSkus) {
        ids.set(sku, Number(woo.seedProduct({ type: "variation", parentId: parent, sku, regularPrice: "50.00", manageStock: false }).id));
      }
    }
    for (const sku of options.unknownSkus ?? []) ids.set(sku, Number(woo.seedProduct({ sku, name: `Unknown ${sku}`, regularPrice: "1.00", manageStock: true, stockQuantity: 4 }).id));
    const paired = await pairWooShop({ url: bridge.url, pairing: bridge.ctx.pairing }, woo, `Shop ${i + 1}`, woo.createKey());
    const input = options.settings?.[i];
    if (input) await bridge.ctx.shops.saveSettings(paired.shopId, parseShopSettings(input));
    woo.resetWriteCounts();
    shops.push({ ...paired, woo, ids });
  }

  const client = createRackbeatClient({
    token: rackbeat.token,
    baseUrl: rackbeat.baseUrl,
    userAgent: { product: "stock-test", version: "0", contact: "test@example.invalid" },
    rateGate: { acquire: async () => ({ release: () => undefined }), pauseFor: () => undefined },
  });

  return {
    bridge,
    rackbeat,
    client,
    shops,
    stock,
    customer,
    shopValue(shop, sku) {
      const id = shop.ids.get(sku);
      const product = id === undefined ? undefined : shop.woo.getProduct(id);
      if (!product || product.manage_stock !== true) return null;
      return product.stock_quantity as number | null;
    },
    signed: (shop, method, path, body) => bridge.signedFetch(shop.shopId, shop.shopSecret, method, path, body),
    async close() {
      stock.close();
      await bridge.close();
      await rackbeat.close();
      for (const s of shops) await s.woo.close();
    },
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits until `check` holds (polling every 10 ms) or fails with `what` after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await sleep(10);
  }
  throw new Error(`timed out waiting for: ${what}`);
}
