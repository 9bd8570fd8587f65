/**
 * Property-based fuzzing (fast-check) of the plugin's REST routes (rackbeat-connector/v1) on the real
 * WordPress, route list read from WordPress's own REST index. Fewer runs than the bridge's fuzzing
 * (PHP is slower). For every route and hostile request (bad JSON, wrong content types, huge and
 * unicode strings, prototype-pollution keys, deep nesting, path traversal in the proxy path, bad
 * query values) under each kind of caller (nobody, a subscriber, a logged-in cookie without nonce,
 * the admin, and for the signed outbox routes: no/wrong/stale/valid signature):
 *   - never a 5xx, and no PHP fatal/uncaught error in the debug or server log;
 *   - capability, nonce and signature refusals (401/403);
 *   - a refused request changes nothing (the plugin's options, its outbox table, the REST keys).
 */
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRequest, signed } from "../security/security-kit.js";
import { FakeBridge } from "./harness/fake-bridge.js";
import { WORK, adminAuth, createUser, login, pairThroughPlugin, php, placeOrder, resetWp, wp, wpState } from "./harness/wp.js";

const NS = "/wp-json/rackbeat-connector/v1";
const bridge = new FakeBridge();
let shop: { id: string; secret: string };
let subscriberAuth = "";
let cookie = "";
let routes: { method: string; path: string; signed: boolean }[] = [];
const logFiles = [join(WORK, "log/wp-debug.log"), join(WORK, "log/php-server.log")];
const logOffsets = new Map<string, number>();

/** Everything of the plugin's own state a request could change. */
async function pluginState(): Promise<unknown> {
  return php(`
    global $wpdb;
    $options = $wpdb->get_results("SELECT option_name, option_value FROM {$wpdb->options} WHERE option_name LIKE 'rackbeat%' OR option_name LIKE '%rackbeat_connector%' ORDER BY option_name", ARRAY_A);
    $options = array_values(array_filter($options, fn($o) => strpos($o['option_name'], '_transient') === false));
    $tables = $wpdb->get_col("SHOW TABLES LIKE '{$wpdb->prefix}rackbeat%'");
    $rows = [];
    foreach ($tables as $t) { $rows[$t] = $wpdb->get_results("SELECT * FROM $t ORDER BY 1", ARRAY_A); }
    $keys = $wpdb->get_results("SELECT key_id, description, permissions, truncated_key FROM {$wpdb->prefix}woocommerce_api_keys ORDER BY key_id", ARRAY_A);
    return ['options' => $options, 'tables' => $rows, 'keys' => $keys];
  `);
}

function newLogText(): string {
  let out = "";
  for (const file of logFiles) {
    if (!existsSync(file)) continue;
    const text = readFileSync(file, "utf8");
    out += text.slice(logOffsets.get(file) ?? 0);
    logOffsets.set(file, text.length);
  }
  return out;
}

beforeAll(async () => {
  await resetWp();
  await bridge.start();
  const paired = await pairThroughPlugin(bridge.url, bridge.issueCode());
  expect(paired.status, paired.text).toBe(201);
  const [id, entry] = [...bridge.shops.entries()][0]!;
  shop = { id, secret: entry.secret };
  await placeOrder({ flow: "classic", payment: "card" });
  subscriberAuth = (await createUser("fuzz-subscriber", "subscriber")).auth;
  const { ADMIN_USER, ADMIN_PASS } = wpState();
  cookie = (await login(ADMIN_USER, ADMIN_PASS)).cookie;
  // The REST index lists each route of the namespace with its methods.
  const index = await wp<{ routes: Record<string, { methods: string[] }> }>("GET", NS);
  expect(index.status).toBe(200);
  for (const [pattern, info] of Object.entries(index.json.routes)) {
    if (pattern === "/rackbeat-connector/v1") continue;
    const path = pattern.replace(/^\/rackbeat-connector\/v1/, "");
    for (const method of new Set(info.methods)) {
      routes.push({ method, path, signed: /^\/outbox(\/ack)?$/.test(path) });
    }
  }
  newLogText();
}, 180_000);
afterAll(async () => {
  await bridge.stop();
});

const HOSTILE = ["__proto__", "constructor", "../../../../wp-config.php", "%2e%2e%2f", "\u0000", "😀", "' OR 1=1 --", "<script>x</script>", "1e309", "-1", "9".repeat(60), "http://127.0.0.1:9/", "javascript:alert(1)"];
const hostileString = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 30 }), fc.integer({ min: 1000, max: 40_000 }).map((n) => "x".repeat(n)));
const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof({ depthSize: "small" }, hostileString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(tie("v"), { maxLength: 3 }), fc.dictionary(fc.constantFrom("__proto__", "constructor", "enabled", "bridge_url", "code", "up_to_seq", "x"), tie("v"), { maxKeys: 4 })),
})).v;

interface Body {
  text?: string;
  contentType?: string;
}
const bodyArb: fc.Arbitrary<Body> = fc.oneof(
  fc.constant({}),
  hostileValue.map((v) => ({ text: JSON.stringify(v) ?? "null", contentType: "application/json" })),
  fc.constantFrom('{"__proto__":{"x":1},"constructor":{"prototype":{"x":1}}}', '{"up_to_seq":"1 OR 1=1"}', '{"enabled":"yes"}', '{"bridge_url":"file:///etc/passwd","code":"x"}').map((text) => ({ text, contentType: "application/json" })),
  fc.string({ maxLength: 40 }).map((s) => ({ text: `{${s}`, contentType: "application/json" })),
  fc.integer({ min: 500, max: 20_000 }).map((n) => ({ text: "[".repeat(n) + "]".repeat(n), contentType: "application/json" })),
  fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "application/xml").map((contentType) => ({ text: '{"enabled":false}', contentType })),
);
const queryArb = fc.oneof(
  fc.constant(""),
  fc.constantFrom("?after=-1", "?after=abc&limit=1000000", "?limit=0", "?after[]=1", "?after=1e99", "?_method=DELETE", "?rest_route=/wp/v2/users", "?after=%00"),
  fc.tuple(fc.constantFrom("after", "limit", "x", "__proto__"), hostileString).map(([k, v]) => `?${k}=${encodeURIComponent(v.slice(0, 500).replace(/[\ud800-\udfff]/g, ""))}`),
);
const proxyPathArb = fc.oneof(
  fc.constantFrom("/bridge/shop/status", "/bridge/shop/settings", "/bridge/account/shops", "/bridge/shop/activity", "/bridge/shop/../../v1/pair", "/bridge/shop/%2e%2e/%2e%2e/v1/pair", "/bridge/shop/activity/..%2F..%2Fsettings", "/bridge/account/..", "/bridge/shop//status", "/bridge/shop/status%00"),
  hostileString.map((s) => `/bridge/shop/${encodeURIComponent(s.slice(0, 200).replace(/[\ud800-\udfff]/g, ""))}`),
);

type Caller = "nobody" | "subscriber" | "cookie-no-nonce" | "admin" | "sig-none" | "sig-wrong" | "sig-stale" | "sig-valid";

function concretePath(pattern: string, proxy: string): string | undefined {
  if (pattern.includes("(?P<path>")) return proxy;
  if (pattern.includes("(?P<")) return undefined;
  return pattern;
}

describe("fuzzing the plugin's REST routes on real WordPress", () => {
  it("the REST index lists the admin, proxy and signed outbox routes", () => {
    const names = routes.map((r) => `${r.method} ${r.path}`);
    for (const expected of ["GET /connection", "POST /pair", "GET /outbox", "POST /outbox/ack", "PUT /alerts"]) expect(names).toContain(expected);
    expect(routes.some((r) => r.path.includes("(?P<path>"))).toBe(true);
  });

  it("hostile requests: no 5xx, no PHP fatal, refusals for the wrong caller, no state change on refusal", { timeout: 400_000 }, async () => {
    for (const [index, route] of routes.entries()) {
      // Pairing and disconnecting as the admin change the connection by design; they get refused callers only.
      const adminChanges = /^\/(pair|disconnect|staging\/confirm)$/.test(route.path);
      const callers: Caller[] = route.signed
        ? ["sig-none", "sig-wrong", "sig-stale", "sig-valid", "sig-valid"]
        : adminChanges
          ? ["nobody", "subscriber", "cookie-no-nonce"]
          : ["nobody", "subscriber", "cookie-no-nonce", "admin", "admin"];
      await fc.assert(
        fc.asyncProperty(bodyArb, queryArb, proxyPathArb, fc.constantFrom(...callers), async (body, query, proxy, caller) => {
          const base = concretePath(route.path, proxy);
          if (!base) return;
          const path = `${NS}${base}${route.method === "GET" || route.method === "DELETE" ? query : ""}`;
          const raw = route.method === "GET" ? undefined : body.text;
          const headers: Record<string, string> = { ...(raw !== undefined && body.contentType ? { "content-type": body.contentType } : {}) };
          if (caller === "subscriber") headers.authorization = subscriberAuth;
          if (caller === "admin") headers.authorization = adminAuth();
          if (caller === "cookie-no-nonce") headers.cookie = cookie;
          if (caller === "sig-wrong") Object.assign(headers, signed(shop.id, "wrong-secret-wrong-secret-wrong-secret", route.method, path, raw ?? ""));
          if (caller === "sig-stale") Object.assign(headers, signed(shop.id, shop.secret, route.method, path, raw ?? "", Date.now() - 400_000));
          if (caller === "sig-valid") Object.assign(headers, signed(shop.id, shop.secret, route.method, path, raw ?? ""));
          const before = await pluginState();
          const r = await rawRequest(wpState().WP_URL, route.method, path, headers, raw);
          const context = `${caller} ${route.method} ${path.slice(0, 160)} [${(raw ?? "").slice(0, 60)}] → ${r.status} ${r.text.slice(0, 300)}`;
          expect(r.status, context).toBeLessThan(500);
          if (!["admin", "sig-valid"].includes(caller)) expect([400, 401, 403, 404], context).toContain(r.status);
          if (r.status >= 400) {
            expect(await pluginState(), `state changed: ${context}`).toEqual(before);
            // WordPress's {code, message}; the proxy passes the bridge's own {error, message} through.
            const json = r.json as { code?: unknown; error?: unknown; message?: unknown } | undefined;
            expect((typeof json?.code === "string" || typeof json?.error === "string") && typeof json?.message === "string", context).toBe(true);
          }
          expect(newLogText(), context).not.toMatch(/PHP Fatal|Fatal error|Uncaught|PHP Parse error/);
        }),
        { numRuns: route.signed || route.path.includes("(?P<path>") ? 12 : 8, seed: 0x77 + index, endOnFailure: true },
      );
    }
  });
});
