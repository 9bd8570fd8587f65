/**
 * Property-based fuzzing (fast-check) of every HTTP entry point of the bridge, read from the express
 * app's own route table. For each route, hostile requests — wrong types, missing and extra fields,
 * huge strings, unicode, prototype-pollution keys, deep nesting, wrong content types, bad JSON,
 * oversized bodies, bad/absent/other-shop signatures, path traversal in ids — must get:
 *   - never a 5xx, and the bridge keeps answering;
 *   - a 4xx answer is `{error, message}` with no stack trace;
 *   - a refused request changes nothing in the store (every table compared before/after);
 *   - a request without a valid signature on a signed route is a 401/403.
 * Run counts are bounded (seeded per route) so the file stays well under a minute.
 */
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { features } from "../../bridge/src/features.js";
import { type TestBridge, startTestBridge } from "../helpers/bridge.js";
import { PUBLIC_ROUTES, type RouteEntry, errorShapeProblem, rawRequest, routeTable, signed, snapshotStore } from "./security-kit.js";

let bridge: TestBridge;
let shopA: { shopId: string; shopSecret: string };
let shopB: { shopId: string; shopSecret: string };
let routes: RouteEntry[];
/** Ids of shop A's records, used as path parameters (valid, not hostile). */
const knownIds: string[] = [];

beforeAll(async () => {
  bridge = await startTestBridge({
    runWorkers: false,
    features,
    // Nothing upstream is reachable: a request that gets past validation must still not be a 5xx.
    env: { RACKBEAT_BASE_URL: "http://127.0.0.1:9/api", RACKBEAT_TIMEOUT_MS: "500", WOOCOMMERCE_TIMEOUT_MS: "500" },
  });
  shopA = await bridge.pairShop({ name: "Fuzz shop A" });
  shopB = await bridge.pairShop({ name: "Fuzz shop B" });
  const events = { events: [{ event_id: randomUUID(), seq: 1, topic: "order.created", resource_id: 7, occurred_at: "2026-11-25T12:00:00Z" }] };
  const stored = await bridge.signedFetch(shopA.shopId, shopA.shopSecret, "POST", `/v1/shops/${shopA.shopId}/events`, events);
  expect(stored.status).toBe(202);
  const job = await bridge.ctx.store.db.selectFrom("jobs").select(["id", "record_id"]).where("shop_id", "=", shopA.shopId).executeTakeFirstOrThrow();
  knownIds.push(String(job.id), String(job.record_id));
  routes = routeTable(bridge.server);
});
afterAll(async () => bridge?.close());

// ---- hostile values ----------------------------------------------------------------------------

const HOSTILE_KEYS = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf", "", " ", "a.b", "$where", "0", "-1"];
const HOSTILE_STRINGS = [
  "../../../../etc/passwd",
  "..%2F..%2F",
  "%00",
  "\u0000",
  "\u202e\u0645\u0631\u062d\u0628\u0627",
  "😀👩‍👩‍👧‍👦",
  "' OR 1=1 --",
  "\"; DROP TABLE jobs; --",
  "<script>alert(1)</script>",
  "${jndi:ldap://x}",
  "NaN",
  "Infinity",
  "1e309",
  "-0",
  "9".repeat(400),
  "0x1f",
  "\\u0000",
  "\ud800",
];

const hostileString = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS, ...HOSTILE_KEYS),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.integer({ min: 1_000, max: 60_000 }).map((n) => "x".repeat(n)),
);

const hostileScalar = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -1, 2 ** 53, -(2 ** 63), 1e308, true, false, null),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map((n) => ({ __raw: n.toString() })),
);

/** JSON text of a value tree whose keys include prototype-pollution names (written as raw JSON keys). */
const hostileJsonText: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    hostileScalar.map(scalarText),
    fc.array(tie("node"), { maxLength: 4 }).map((items) => `[${items.join(",")}]`),
    fc
      .array(fc.tuple(fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string({ maxLength: 12 })), tie("node")), { maxLength: 5 })
      .map((pairs) => `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",")}}`),
  ),
})).node;

/** Percent-encodes the UTF-8 bytes (lone surrogates become U+FFFD, as a client would send them). */
function pct(value: string): string {
  return [...Buffer.from(value, "utf8")].map((b) => (/[A-Za-z0-9._~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, "0")}`)).join("");
}

function scalarText(value: unknown): string {
  if (value && typeof value === "object" && "__raw" in value) return String((value as { __raw: string }).__raw);
  const text = JSON.stringify(value);
  return text === undefined ? "null" : text;
}

/** A body meant to get past the first checks of a route, with one part made hostile. */
const TEMPLATES: Record<string, () => Record<string, unknown>> = {
  "POST /v1/pair": () => ({
    code: "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE",
    shop_url: "http://shop.test",
    shop_name: "x",
    wc_consumer_key: `ck_${"a".repeat(40)}`,
    wc_consumer_secret: `cs_${"b".repeat(40)}`,
    protocol_version: 1,
  }),
  "POST /v1/shops/:shop/events": () => ({
    events: [{ event_id: randomUUID(), seq: 2, topic: "order.created", resource_id: 8, occurred_at: "2026-11-25T12:00:00Z" }],
  }),
  "PUT /v1/shops/:shop/settings": () => ({ orders: { exportMode: "automatic" }, stock: { buffer: 0 } }),
  "PUT /v1/account/rackbeat-token": () => ({ token: "t".repeat(40) }),
  "PUT /v1/account/orders/number-range": () => ({ from: 1000, to: 2000 }),
  "POST /v1/shops/:shop/reconcile/orders/send": () => ({ ids: [1, 2] }),
  "POST /v1/shops/:shop/reconcile/stock/fix": () => ({ all: true }),
  "POST /v1/rackbeat/webhooks": () => ({ key: "SKU-1", key_name: "number", event: "inventory.changed" }),
};

/** Replace, delete or add one field somewhere in a template (one level deep into arrays/objects). */
const mutatedTemplate = (template: Record<string, unknown>): fc.Arbitrary<string> => {
  const keys = Object.keys(template);
  return fc
    .record({
      op: fc.constantFrom("replace", "delete", "add", "proto", "nested-replace"),
      key: fc.constantFrom(...keys),
      extraKey: fc.constantFrom(...HOSTILE_KEYS, "extra", "zzz"),
      value: hostileJsonText,
    })
    .map(({ op, key, extraKey, value }) => {
      const entries = Object.entries(template).map(([k, v]) => [k, JSON.stringify(v)] as [string, string]);
      const text = (pairs: [string, string][]) => `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",")}}`;
      switch (op) {
        case "replace":
          return text(entries.map(([k, v]) => [k, k === key ? value : v]));
        case "delete":
          return text(entries.filter(([k]) => k !== key));
        case "add":
          return text([...entries, [extraKey, value]]);
        case "proto":
          return text([...entries, ["__proto__", `{"polluted":${value}}`], ["constructor", `{"prototype":{"polluted":1}}`]]);
        default: {
          const inner = template[key];
          const nested = Array.isArray(inner) && inner[0] && typeof inner[0] === "object" ? (inner[0] as Record<string, unknown>) : undefined;
          if (!nested) return text(entries.map(([k, v]) => [k, k === key ? value : v]));
          const innerKeys = Object.keys(nested);
          const victim = innerKeys[value.length % innerKeys.length];
          const innerText = `{${Object.entries(nested)
            .map(([k, v]) => `${JSON.stringify(k)}:${k === victim ? value : JSON.stringify(v)}`)
            .join(",")}}`;
          return text(entries.map(([k, v]) => [k, k === key ? `[${innerText}]` : v]));
        }
      }
    });
};

interface Body {
  text?: string | Buffer;
  contentType?: string;
  kind: string;
}

const bodyArb = (route: RouteEntry): fc.Arbitrary<Body> => {
  const template = TEMPLATES[`${route.method} ${route.path}`];
  const options: fc.Arbitrary<Body>[] = [
    fc.constant({ kind: "empty" }),
    hostileJsonText.map((text) => ({ kind: "json", text, contentType: "application/json" })),
    fc.string({ maxLength: 60 }).map((text) => ({ kind: "bad-json", text: `{${text}`, contentType: "application/json" })),
    fc.integer({ min: 1_000, max: 150_000 }).map((n) => ({ kind: "deep-array", text: "[".repeat(n) + "]".repeat(n), contentType: "application/json" })),
    fc.integer({ min: 1_000, max: 100_000 }).map((n) => ({ kind: "deep-object", text: '{"a":'.repeat(n) + "1" + "}".repeat(n), contentType: "application/json" })),
    fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml").map((contentType) => ({
      kind: "content-type",
      text: JSON.stringify(template?.() ?? {}),
      contentType,
    })),
    fc.constant({ kind: "oversized", text: `{"pad":"${"x".repeat(1_100_000)}"}`, contentType: "application/json" }),
    fc.constant({ kind: "utf8-garbage", text: Buffer.from([0x7b, 0xff, 0xfe, 0xc0, 0x80, 0x7d]), contentType: "application/json" }),
  ];
  if (template) {
    options.push(mutatedTemplate(template()).map((text) => ({ kind: "template", text, contentType: "application/json" })));
    options.push(mutatedTemplate(template()).map((text) => ({ kind: "template", text, contentType: "application/json" })));
  }
  return fc.oneof(...options);
};

const paramArb = fc.oneof(
  fc.constantFrom(...["1", "0", "-1", "1.5", "1e3", "abc", "..", "%2e%2e", "..%2F..%2Fsettings", "%00", "%2F", "%25", "%F0%9F%98%80", "9".repeat(40), " 1", "0x10", "__proto__", "constructor", "x.csv", "..%2F..%2F..%2Fetc%2Fpasswd.csv"]),
  hostileString.map((s) => pct(s.slice(0, 300))),
  fc.constant("__known__"),
);

const queryArb = fc.oneof(
  fc.constant(""),
  fc
    .array(fc.tuple(fc.oneof(fc.constantFrom("limit", "state", "type", "before", "statuses", "numbers", "refresh", ...HOSTILE_KEYS), fc.string({ maxLength: 8 })), hostileString), {
      minLength: 1,
      maxLength: 4,
    })
    .map((pairs) => `?${pairs.map(([k, v]) => `${pct(k)}=${pct(v.slice(0, 2000))}`).join("&")}`),
  fc.constantFrom("?limit=1&limit=2", "?__proto__[x]=1", "?constructor[prototype][x]=1", "?state[]=done", "?limit=-5", "?before=1e400", "?statuses=%00"),
);

type SignatureMode = "valid" | "none" | "wrong-secret" | "other-shop" | "stale" | "future" | "garbage" | "unknown-shop" | "duplicate-headers";
const signatureArb = fc.constantFrom<SignatureMode>("valid", "valid", "valid", "valid", "none", "wrong-secret", "other-shop", "stale", "future", "garbage", "unknown-shop", "duplicate-headers");

function fillPath(path: string, shopId: string, param: string): string {
  return path.replace(/:shop\b/, shopId).replace(/:[a-z]+\b/g, () => (param === "__known__" ? (knownIds[param.length % knownIds.length] ?? "1") : param));
}

function headersFor(mode: SignatureMode, method: string, pathWithQuery: string, body: string | Buffer): Record<string, string | string[]> {
  const a = shopA;
  switch (mode) {
    case "valid":
      return signed(a.shopId, a.shopSecret, method, pathWithQuery, body);
    case "none":
      return {};
    case "wrong-secret":
      return signed(a.shopId, "not-the-secret-0123456789abcdef", method, pathWithQuery, body);
    case "other-shop":
      return signed(shopB.shopId, shopB.shopSecret, method, pathWithQuery, body);
    case "stale":
      return signed(a.shopId, a.shopSecret, method, pathWithQuery, body, Date.now() - 301_000);
    case "future":
      return signed(a.shopId, a.shopSecret, method, pathWithQuery, body, Date.now() + 400_000);
    case "unknown-shop":
      return signed("shop_doesnotexist", a.shopSecret, method, pathWithQuery, body);
    case "duplicate-headers": {
      const h = signed(a.shopId, a.shopSecret, method, pathWithQuery, body);
      return { ...h, "x-rbc-signature": ["v1=" + "0".repeat(64), h["x-rbc-signature"]] };
    }
    default:
      return { "x-rbc-shop": a.shopId, "x-rbc-timestamp": "-1e3", "x-rbc-signature": "v1=ZZZ" };
  }
}

describe("fuzzing every bridge route", () => {
  it("the route table holds the routes of protocol.md and the features", () => {
    const names = routes.map((r) => `${r.method} ${r.path}`);
    for (const expected of ["POST /v1/pair", "POST /v1/shops/:shop/events", "PUT /v1/shops/:shop/settings", "POST /v1/rackbeat/webhooks", "GET /v1/account/shops", "PUT /v1/account/rackbeat-token"]) {
      expect(names).toContain(expected);
    }
    expect(routes.length).toBeGreaterThan(20);
  });

  it("every non-public route refuses an unsigned request with 401", async () => {
    for (const route of routes) {
      if (PUBLIC_ROUTES.has(`${route.method} ${route.path}`)) continue;
      const path = fillPath(route.path, shopA.shopId, "1");
      const r = await rawRequest(bridge.url, route.method, path);
      expect(r.status, `${route.method} ${route.path} is answered without a signature`).toBe(401);
      expect(errorShapeProblem(r)).toBeUndefined();
    }
  });

  it("hostile requests to each route: never 5xx, refusals are {error, message} and change nothing", { timeout: 120_000 }, async () => {
    const seen = new Map<string, Set<number>>();
    for (const [index, route] of routes.entries()) {
      const key = `${route.method} ${route.path}`;
      const isPublic = PUBLIC_ROUTES.has(key);
      // Deleting shop A with a valid signature would end the run: that route only gets refused signatures.
      const modes = key === "DELETE /v1/shops/:shop" ? signatureArb.filter((m) => m !== "valid") : signatureArb;
      const statuses = new Set<number>();
      seen.set(key, statuses);
      await fc.assert(
        fc.asyncProperty(bodyArb(route), paramArb, queryArb, modes, async (body, param, query, drawn) => {
          // Any paired shop may use the account routes: there, another shop's signature is a valid one.
          const mode: SignatureMode = drawn === "other-shop" && route.path.startsWith("/v1/account") ? "valid" : drawn;
          const pathWithQuery = fillPath(route.path, shopA.shopId, param) + (route.method === "GET" || body.kind === "empty" ? query : "");
          const raw = body.text ?? "";
          const headers: Record<string, string | string[]> = {
            ...(isPublic && key !== "POST /v1/rackbeat/webhooks" ? {} : headersFor(mode, route.method, pathWithQuery, raw)),
            ...(key === "POST /v1/rackbeat/webhooks" ? { "rackbeat-webhook-token": "wrong-token", "rackbeat-webhook-event": "inventory.changed" } : {}),
            ...(body.contentType ? { "content-type": body.contentType } : {}),
          };
          // Refused pairing attempts are counted on purpose (the throttle), so that table is left out there.
          const ignore = key === "POST /v1/pair" ? ["pairing_failures"] : [];
          const before = await snapshotStore(bridge.ctx, { ignore });
          const response = await rawRequest(bridge.url, route.method, pathWithQuery, headers, body.text);
          statuses.add(response.status);
          const context = `${route.method} ${pathWithQuery.slice(0, 200)} [${body.kind}, signature ${mode}] → ${response.status} ${response.text.slice(0, 300)}`;
          expect(response.status, context).toBeGreaterThanOrEqual(200);
          // Nothing upstream answers here: a route that needs Rackbeat or WooCommerce may say so
          // (502/503/504 with an upstream_* code); a 500 — the bridge itself failing — never.
          const upstreamDown = [502, 503, 504].includes(response.status) && String((response.json as { error?: unknown })?.error).startsWith("upstream_");
          if (!upstreamDown) expect(response.status, context).toBeLessThan(500);
          if (!isPublic && mode !== "valid") expect([401, 403, 404, 413, 400, 415], context).toContain(response.status);
          if (!isPublic && mode !== "valid" && response.status === 200) throw new Error(`accepted without a valid signature: ${context}`);
          if (response.status >= 400) {
            expect(errorShapeProblem(response), context).toBeUndefined();
            expect(await snapshotStore(bridge.ctx, { ignore }), `state changed after a refusal: ${context}`).toEqual(before);
          }
          expect(({} as Record<string, unknown>).polluted, "Object.prototype was polluted").toBeUndefined();
        }),
        { numRuns: 25, seed: 0x5ec0 + index, endOnFailure: true },
      );
    }
    if (process.env.FUZZ_REPORT) console.log([...seen].map(([k, v]) => `${k}: ${[...v].sort().join(",")}`).join("\n"));
    const health = await rawRequest(bridge.url, "GET", "/healthz");
    expect(health.status).toBe(200);
  });
});
