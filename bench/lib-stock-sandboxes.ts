/**
 * The stock benchmark's sandboxes, in their own process so their work (webhook deliveries, batch
 * answers for 20 shops) does not share the bridge's thread: one Rackbeat sandbox and N WooCommerce
 * sandboxes seeded with the same SKUs and stock. Prints one JSON line with their addresses and
 * keys, then runs until its stdin closes. Stock is changed through the Rackbeat control API.
 */
import { startRackbeatSandbox } from "../test/sandboxes/rackbeat/index.js";
import { startWooSandbox } from "../test/sandboxes/woocommerce/index.js";

const SHOPS = Number(process.env.SHOPS ?? 20);
const SKUS = Number(process.env.SKUS ?? 10_000);
const LATENCY_MS = Number(process.env.LATENCY_MS ?? 20);
const stocks = JSON.parse(process.env.STOCKS ?? "[]") as number[];
const sku = (i: number) => `SKU-${String(i).padStart(5, "0")}`;

const rackbeat = await startRackbeatSandbox({ rateLimit: { limit: 480, windowMs: 600 }, latencyMs: LATENCY_MS });
rackbeat.seedProducts(Array.from({ length: SKUS }, (_, i) => ({ number: sku(i), stock: stocks[i] ?? 10 })));
const [customer] = rackbeat.seedCustomers([{ name: "Webshop customer" }]);
const shops: { url: string; consumerKey: string; consumerSecret: string }[] = [];
const woos: Awaited<ReturnType<typeof startWooSandbox>>[] = [];
for (let s = 0; s < SHOPS; s++) {
  // Plain HTTP: the bridge signs OAuth 1.0a, the only key auth WooCommerce accepts there.
  const woo = await startWooSandbox();
  for (let i = 0; i < SKUS; i++) woo.seedProduct({ sku: sku(i), name: sku(i), regularPrice: "10.00", manageStock: true, stockQuantity: stocks[i] ?? 10 });
  woo.injectFault({ kind: "latency", ms: LATENCY_MS, times: Infinity });
  const key = woo.createKey();
  shops.push({ url: woo.url, consumerKey: key.consumerKey, consumerSecret: key.consumerSecret });
  woos.push(woo);
}
console.log(JSON.stringify({ rackbeat: { baseUrl: rackbeat.baseUrl, controlUrl: rackbeat.controlUrl, token: rackbeat.token, customer }, shops, rss_mb: Math.round(process.memoryUsage().rss / 1048576) }));
process.stdin.resume();
process.stdin.on("end", async () => {
  await rackbeat.close();
  for (const w of woos) await w.close();
  process.exit(0);
});
