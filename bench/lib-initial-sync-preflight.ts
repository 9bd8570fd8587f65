/**
 * Child process of bench/initial-sync.ts: runs the preflight over a generated catalogue of
 * PREFLIGHT_PRODUCTS products against the Rackbeat sandbox at RACKBEAT_BASE_URL, in a bridge store
 * of its own, and reports its peak RSS. The catalogue is computed from ids, so the figure is the
 * bridge's own memory.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRackbeatClient } from "../bridge/src/rackbeat/index.js";
import { openStore } from "../bridge/src/store/store.js";
import { createPreflight, runPreflight } from "../bridge/src/sync/initial/preflight.js";
import { parseShopSettings } from "../bridge/src/settings/shop-settings.js";
import { GeneratedCatalog } from "../test/products/generated-catalog.js";

const products = Number(process.env.PREFLIGHT_PRODUCTS ?? "100000");
const dir = mkdtempSync(join(tmpdir(), "rbc-preflight-bench-"));
const store = await openStore({ dataDir: dir });
const rackbeat = createRackbeatClient({
  token: process.env.RACKBEAT_TOKEN!,
  baseUrl: process.env.RACKBEAT_BASE_URL!,
  userAgent: { product: "bench", version: "0", contact: "bench@example.invalid" },
  rateLimit: { limit: 480, windowMs: 600 },
});
const settings = parseShopSettings({ products: { master: "woo_to_rackbeat", productGroups: { default: 1 } } }).products;
const started = performance.now();
const id = await createPreflight(store.db, "shop_bench");
const report = await runPreflight({ db: store.db, catalog: new GeneratedCatalog({ products }), rackbeat, settings }, id);
const seconds = (performance.now() - started) / 1000;
await store.close();
rmSync(dir, { recursive: true, force: true });
process.send?.({ rss_mb: Math.round(process.resourceUsage().maxRSS / 1024), seconds, items: report.rackbeat_products, in_rackbeat: report.in_rackbeat });
