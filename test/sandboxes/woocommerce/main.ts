/**
 * Runs the WooCommerce sandbox as a process (for `npm run demo`, manual poking, benchmarks that
 * want it out of process).
 *
 *   tsx test/sandboxes/woocommerce/main.ts [--port 0] [--host 127.0.0.1] [--fixture c1-dkk-excl-lineround | --empty]
 *                                          [--https none|assume|forwarded-proto] [--site-url URL] [--orders N]
 *
 * Prints one JSON line — {url, consumerKey, consumerSecret, fixture} — then serves until SIGINT
 * or SIGTERM. The control API is under <url>/_sandbox/ (see control-api.ts).
 */
import { parseArgs } from "node:util";
import { FIXTURE_CONFIGS, FIXTURE_SCENARIOS, type FixtureConfigName, type FixtureScenarioKey, fixtureCheckout } from "./fixture-shop.js";
import { type HttpsMode, startWooSandbox } from "./index.js";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    host: { type: "string", default: "127.0.0.1" },
    fixture: { type: "string", default: "c1-dkk-excl-lineround" },
    empty: { type: "boolean", default: false },
    https: { type: "string", default: "none" },
    "site-url": { type: "string" },
    orders: { type: "string", default: "0" },
  },
});

if (values.host === "0.0.0.0") {
  console.error("refusing to listen on 0.0.0.0: the sandbox is for loopback");
  process.exit(2);
}
const fixture = values.fixture as FixtureConfigName;
if (!values.empty && !(fixture in FIXTURE_CONFIGS)) {
  console.error(`unknown fixture ${fixture}; one of: ${Object.keys(FIXTURE_CONFIGS).join(", ")}`);
  process.exit(2);
}
const https = values.https as HttpsMode;
if (!["none", "assume", "forwarded-proto"].includes(https)) {
  console.error("--https must be none, assume or forwarded-proto");
  process.exit(2);
}

const woo = await startWooSandbox({
  port: Number(values.port),
  host: values.host,
  https,
  ...(values["site-url"] ? { siteUrl: values["site-url"] } : {}),
  ...(values.empty ? {} : { fixture }),
});
const key = woo.createKey({ description: "sandbox main" });

// A few orders through the shopper's path, cycling through the recorded scenarios.
const scenarios = Object.keys(FIXTURE_SCENARIOS) as FixtureScenarioKey[];
for (let i = 0; i < Number(values.orders) && !values.empty; i += 1) {
  const scenario = scenarios[i % scenarios.length] ?? "A";
  woo.placeOrder(fixtureCheckout(scenario, i % 2 === 0 ? "store-api" : "rest-api"));
}

console.log(JSON.stringify({ url: woo.url, consumerKey: key.consumerKey, consumerSecret: key.consumerSecret, fixture: values.empty ? null : fixture, https }));

let closing = false;
async function shutdown(): Promise<void> {
  if (closing) return;
  closing = true;
  await woo.close();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown());
process.on("SIGTERM", () => void shutdown());
