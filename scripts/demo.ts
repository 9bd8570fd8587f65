/**
 * `npm run demo`: the whole connector on this machine, with the project's sandboxes standing in for
 * Rackbeat and a WooCommerce shop. Starts both sandboxes and a bridge (data in .tmp/demo), stores the
 * sandbox's Rackbeat token, pairs the sandbox shop, places one order through the shop's checkout and
 * sends the plugin's event for it, then prints where everything is and what happened.
 * Ctrl+C stops it all.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { signedHeaders } from "../bridge/src/http/signing.js";
import { startBridge } from "../bridge/src/main.js";
import { startRackbeatSandbox } from "../test/sandboxes/rackbeat/index.js";
import { startWooSandbox } from "../test/sandboxes/woocommerce/index.js";

const dataDir = join(process.cwd(), ".tmp", "demo");
rmSync(dataDir, { recursive: true, force: true });

const rackbeat = await startRackbeatSandbox({ port: Number(process.env.DEMO_RACKBEAT_PORT ?? 0) });
const woo = await startWooSandbox({ port: Number(process.env.DEMO_WOO_PORT ?? 0) });
const skus = ["DEMO-MUG", "DEMO-TEE", "DEMO-CAP"];
rackbeat.seedProducts(skus.map((sku, i) => ({ number: sku, name: `Demo ${sku.slice(5).toLowerCase()}`, sales_price: 80 + i * 40, stock: 25 })));
skus.forEach((sku, i) =>
  woo.seedProduct({ sku, name: `Demo ${sku.slice(5).toLowerCase()}`, regularPrice: String(100 + i * 50), manageStock: true, stockQuantity: 25 }),
);
const key = woo.createKey({ permissions: "read_write", description: "Rackbeat bridge (demo)" });

const bridge = await startBridge({
  env: { ...process.env, DATA_DIR: dataDir, PORT: process.env.PORT ?? "8787", RACKBEAT_BASE_URL: rackbeat.baseUrl, OUTBOX_PULL_INTERVAL_MS: "3600000" },
});
await bridge.ctx.account.setSecret("rackbeat.token", rackbeat.tokens[0]!);
const { code } = await bridge.ctx.pairing.create("Demo shop");
const paired = await fetch(`${bridge.url}/v1/pair`, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({
    code,
    shop_url: woo.siteUrl,
    shop_name: "Demo shop",
    wc_consumer_key: key.consumerKey,
    wc_consumer_secret: key.consumerSecret,
    plugin_version: "demo",
    protocol_version: 1,
  }),
});
if (paired.status !== 201) throw new Error(`pairing failed: ${paired.status} ${await paired.text()}`);
const { shop_id: shopId, shop_secret: shopSecret } = (await paired.json()) as { shop_id: string; shop_secret: string };

const order = woo.placeOrder({
  via: "store-api",
  lines: [{ sku: "DEMO-MUG", quantity: 2 }, { sku: "DEMO-TEE", quantity: 1 }],
  billing: { first_name: "Demo", last_name: "Customer", email: "demo@example.com", country: "DK", city: "Aarhus", postcode: "8000", address_1: "Demovej 1" },
  paymentMethod: "bacs",
  thenStatus: ["processing"],
}) as { id: number; total: string };
const path = `/v1/shops/${shopId}/events`;
const body = JSON.stringify({
  events: [{ event_id: crypto.randomUUID(), seq: 1, topic: "order.created", resource_id: order.id, occurred_at: new Date().toISOString() }],
});
const sent = await fetch(`${bridge.url}${path}`, {
  method: "POST",
  headers: { ...signedHeaders(shopId, shopSecret, "POST", path, body), "content-type": "application/json" },
  body,
});

let rackbeatOrder: unknown;
for (let i = 0; i < 100 && !rackbeatOrder; i += 1) {
  await new Promise((r) => setTimeout(r, 100));
  rackbeatOrder = (await bridge.ctx.activity.findBySubject({ shopId, type: "order", id: String(order.id) }))?.summary;
}

console.log(`
Rackbeat connector demo
  bridge              ${bridge.url}   (health: ${bridge.url}/healthz, metrics: ${bridge.url}/metrics)
  Rackbeat sandbox    ${rackbeat.baseUrl}   (token: stored in the bridge, sealed)
  WooCommerce sandbox ${woo.siteUrl}/wp-json/wc/v3
  shop                ${shopId} (paired with the sandbox shop's REST keys)
  order               WooCommerce #${order.id}, total ${order.total} → event answered HTTP ${sent.status}
  activity record     ${JSON.stringify(rackbeatOrder ?? "still waiting")}
  data                ${dataDir}
Ctrl+C stops the demo.`);

const stop = async () => {
  await bridge.close();
  await woo.close();
  await rackbeat.close();
  process.exit(0);
};
process.once("SIGINT", () => void stop());
process.once("SIGTERM", () => void stop());
if (process.env.DEMO_EXIT === "1") await stop();
