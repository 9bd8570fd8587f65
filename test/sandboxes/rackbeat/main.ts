/**
 * Runs the Rackbeat sandbox as its own process (for `npm run demo`, benchmarks and manual poking):
 *
 *   npx tsx test/sandboxes/rackbeat/main.ts --port 8091 [--token T]... [--rate-limit 480/60000 | off]
 *       [--rounding line|total] [--no-reference-search] [--webhook-body minimal|full]
 *       [--latency MS] [--seed-demo]
 *
 * Prints a line for people, then one JSON line `{"base_url", "control_url", "token", "account_id"}`
 * for scripts. Stops on SIGINT / SIGTERM.
 */
import { parseArgs } from "node:util";
import { startRackbeatSandbox, type RackbeatSandboxOptions } from "./index.js";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    token: { type: "string", multiple: true },
    "rate-limit": { type: "string" },
    rounding: { type: "string" },
    "no-reference-search": { type: "boolean", default: false },
    "webhook-body": { type: "string" },
    latency: { type: "string" },
    "seed-demo": { type: "boolean", default: false },
  },
  strict: true,
});

function fail(message: string): never {
  console.error(`rackbeat sandbox: ${message}`);
  process.exit(2);
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be 0–65535, got ${values.port}`);

let rateLimit: RackbeatSandboxOptions["rateLimit"];
if (values["rate-limit"] === "off") rateLimit = false;
else if (values["rate-limit"]) {
  const m = /^(\d+)\/(\d+)$/.exec(values["rate-limit"]);
  if (!m) fail(`--rate-limit must look like 480/60000 (requests/ms) or "off"`);
  rateLimit = { limit: Number(m[1]), windowMs: Number(m[2]) };
}
const rounding = values.rounding;
if (rounding !== undefined && rounding !== "line" && rounding !== "total") fail(`--rounding must be line or total`);
const webhookBody = values["webhook-body"];
if (webhookBody !== undefined && webhookBody !== "minimal" && webhookBody !== "full") fail(`--webhook-body must be minimal or full`);

const sandbox = await startRackbeatSandbox({
  port,
  tokens: values.token,
  rateLimit,
  roundingModel: rounding,
  referenceSearch: !values["no-reference-search"],
  webhookBody,
  latencyMs: values.latency ? Number(values.latency) : undefined,
});

if (values["seed-demo"]) {
  sandbox.seedProductGroups([{ number: 2, name: "Shipping and fees", vat_domestic: 25, has_inventory: false }]);
  sandbox.seedLocations([{ number: 2, name: "Shop floor" }]);
  sandbox.seedProducts([
    { number: "MUG-BLUE", name: "Mug, blue", sales_price: 79.2, stock: 25 },
    { number: "MUG-RED", name: "Mug, red", sales_price: 79.2, stock: { 1: 10, 2: 2 } },
    { number: "TEE/M#1", name: "T-shirt M (edition #1)", sales_price: 159.2, stock: 8 },
    { number: "SHIPPING", name: "Shipping", sales_price: 0, group: 2 },
    { number: "FEE", name: "Fee", sales_price: 0, group: 2 },
  ]);
  sandbox.seedCustomers([{ name: "Demo Kunde ApS", contact_email: "kunde@example.invalid", company_vat: "DK12345678" }]);
}

console.log(`Rackbeat sandbox listening on ${sandbox.baseUrl} (control API ${sandbox.controlUrl}); token ${sandbox.token}`);
console.log(JSON.stringify({ base_url: sandbox.baseUrl, control_url: sandbox.controlUrl, token: sandbox.token, account_id: sandbox.accountId }));

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void sandbox.close().then(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
