/**
 * Error bodies and headers, field for field against the recorded WooCommerce 10 exchanges
 * (api/*.json): the recorded request is replayed against the sandbox, with the recorded auth
 * (Basic over HTTPS, OAuth 1.0a over plain HTTP, none), and the answer's status, JSON body and
 * WordPress headers must equal the recording — transport headers (nginx, PHP) aside, site URL
 * swapped for the sandbox's.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureCheckout } from "../sandboxes/woocommerce/fixture-shop.js";
import { type CreatedKey, type WooSandbox, startWooSandbox } from "../sandboxes/woocommerce/index.js";
import { type Exchange, TRANSPORT_HEADERS, readFixture, wordpressHeaders } from "./fixture-files.js";
import { oauthSignedUrl } from "./oauth-signing.js";

const RECORDED_SITE = "http://127.0.0.1:8080";

let https: WooSandbox;
let http: WooSandbox;
let httpsKey: CreatedKey;
let httpKey: CreatedKey;

beforeAll(async () => {
  // The recorded shop: HTTPS via a TLS proxy on :8443 and plain HTTP on :8080.
  https = await startWooSandbox({ fixture: "c1-dkk-excl-lineround", https: "assume" });
  http = await startWooSandbox({ fixture: "c1-dkk-excl-lineround" });
  httpsKey = https.createKey();
  httpKey = http.createKey();
});
afterAll(async () => {
  await https.close();
  await http.close();
});

function basic(key: string, secret: string): string {
  return `Basic ${Buffer.from(`${key}:${secret}`).toString("base64")}`;
}

interface Replay {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

async function replay(sandbox: WooSandbox, exchange: Exchange, authorization?: string, pathAndQuery?: string): Promise<Replay> {
  const recorded = new URL(exchange.request.url);
  const target = pathAndQuery ?? `${recorded.pathname}${recorded.search}`;
  const headers: Record<string, string> = {};
  if (authorization) headers.Authorization = authorization;
  let body: string | undefined;
  if (exchange.request.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = typeof exchange.request.body === "string" ? exchange.request.body : JSON.stringify(exchange.request.body);
  }
  const res = await fetch(`${sandbox.url}${target}`, { method: exchange.request.method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  const out: Record<string, string> = {};
  for (const [k, v] of res.headers) if (!TRANSPORT_HEADERS.has(k)) out[k] = v;
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: out };
}

function expectSameAnswer(got: Replay, exchange: Exchange, sandbox: WooSandbox): void {
  expect(got.status).toBe(exchange.status);
  expect(got.body).toEqual(JSON.parse(JSON.stringify(exchange.body).replaceAll(RECORDED_SITE, sandbox.siteUrl)));
  const want = wordpressHeaders(exchange.headers, sandbox.siteUrl);
  if (want.location) want.location = want.location.replace("https://127.0.0.1:8443", `https://${new URL(sandbox.url).host}`);
  expect(got.headers).toEqual(want);
}

describe("authentication failures (api/401-*.json)", () => {
  it("no credentials over HTTPS → woocommerce_rest_cannot_view", async () => {
    const ex = readFixture<Exchange>("api/401-no-credentials.json");
    expectSameAnswer(await replay(https, ex), ex, https);
  });

  it("an unknown consumer key over Basic is ignored → the same cannot_view answer", async () => {
    const ex = readFixture<Exchange>("api/401-bad-consumer-key-basic-https.json");
    expectSameAnswer(await replay(https, ex, basic(`ck_${"0".repeat(40)}`, httpsKey.consumerSecret)), ex, https);
  });

  it("the real key with a wrong secret over Basic → Consumer secret is invalid.", async () => {
    const ex = readFixture<Exchange>("api/401-wrong-consumer-secret-basic-https.json");
    expectSameAnswer(await replay(https, ex, basic(httpsKey.consumerKey, "cs_wrong")), ex, https);
  });

  it("valid Basic credentials over plain HTTP are ignored", async () => {
    const ex = readFixture<Exchange>("api/401-basic-auth-over-plain-http.json");
    expectSameAnswer(await replay(http, ex, basic(httpKey.consumerKey, httpKey.consumerSecret)), ex, http);
  });

  it("OAuth 1.0a signed with a wrong secret over HTTP → Invalid signature", async () => {
    const ex = readFixture<Exchange>("api/401-oauth1-invalid-signature-http.json");
    const url = oauthSignedUrl({ method: "GET", siteUrl: http.siteUrl, path: "/wp-json/wc/v3/products", consumerKey: httpKey.consumerKey, consumerSecret: "cs_wrong" });
    expectSameAnswer(await replay(http, ex, undefined, url.slice(http.siteUrl.length)), ex, http);
  });
});

describe("not found (api/404-*.json)", () => {
  it.each(["404-product-missing.json", "404-order-missing.json", "404-order-delete-missing.json", "404-variation-missing.json", "404-customer-missing.json", "404-no-route.json"])(
    "%s",
    async (file) => {
      const ex = readFixture<Exchange>(`api/${file}`);
      expectSameAnswer(await replay(https, ex, basic(httpsKey.consumerKey, httpsKey.consumerSecret)), ex, https);
    },
  );
});

describe("invalid requests (api/400-*.json)", () => {
  it.each([
    "400-orders-invalid-status-param.json",
    "400-products-per_page-too-large.json",
    "400-orders-invalid-date-after.json",
    "400-order-create-invalid-status.json",
    "400-product-create-invalid-type.json",
    "400-invalid-json-body.json",
    "400-product-create-duplicate-sku.json",
  ])("%s", async (file) => {
    const ex = readFixture<Exchange>(`api/${file}`);
    expectSameAnswer(await replay(https, ex, basic(httpsKey.consumerKey, httpsKey.consumerSecret)), ex, https);
  });

  it("400-order-create-unknown-coupon.json: the half-created order stays as a draft and is named", async () => {
    const ex = readFixture<Exchange>("api/400-order-create-unknown-coupon.json");
    const got = await replay(https, ex, basic(httpsKey.consumerKey, httpsKey.consumerSecret));
    const draftId = (got.body as { data: { new_draft_order_id: number } }).data.new_draft_order_id;
    expect(https.getOrder(draftId)?.status).toBe("checkout-draft");
    const recordedBody = ex.body as { data: Record<string, unknown> };
    expectSameAnswer(got, { ...ex, body: { ...recordedBody, data: { ...recordedBody.data, new_draft_order_id: draftId } } }, https);
  });

  it("more than 100 items in one batch → 413 woocommerce_rest_request_entity_too_large", async () => {
    const res = await fetch(`${https.url}/wp-json/wc/v3/products/batch`, {
      method: "POST",
      headers: { Authorization: basic(httpsKey.consumerKey, httpsKey.consumerSecret), "Content-Type": "application/json" },
      body: JSON.stringify({ update: Array.from({ length: 60 }, (_, i) => ({ id: 16 + (i % 10) })), delete: Array.from({ length: 41 }, () => 999) }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({
      code: "woocommerce_rest_request_entity_too_large",
      message: "Unable to accept more than 100 items for this request.",
      data: { status: 413 },
    });
  });
});

describe("batches answer 200 with per-item errors (api/batch-*.json)", () => {
  it("products/batch: new SKU, existing SKU, duplicate within the request, missing ids, duplicate update", async () => {
    const ex = readFixture<Exchange>("api/batch-products-mixed-results.json");
    const got = await replay(https, ex, basic(httpsKey.consumerKey, httpsKey.consumerSecret));
    expect(got.status).toBe(200);
    const want = ex.body as Record<string, Record<string, unknown>[]>;
    const mine = got.body as Record<string, Record<string, unknown>[]>;
    const firstCreated = mine.create?.[2]?.id;
    for (const op of ["create", "update", "delete"]) {
      expect(mine[op]?.length).toBe(want[op]?.length);
      (want[op] ?? []).forEach((item, i) => {
        const ours = mine[op]?.[i] ?? {};
        if ("error" in item) {
          const error = JSON.parse(JSON.stringify(item.error).replace('"resource_id":119', `"resource_id":${String(firstCreated)}`));
          expect(ours).toEqual({ id: item.id, error });
        } else {
          for (const k of ["sku", "name", "type", "regular_price", "price", "manage_stock", "stock_quantity", "stock_status"]) expect(ours[k], `${op}[${i}].${k}`).toEqual(item[k]);
        }
      });
    }
    expect(got.headers).toEqual(wordpressHeaders(ex.headers, https.siteUrl));
  });

  it("products/{id}/variations/batch: a missing variation is 404, a duplicate SKU 400", async () => {
    const ex = readFixture<Exchange>("api/batch-variations-mixed-results.json");
    const got = await replay(https, ex, basic(httpsKey.consumerKey, httpsKey.consumerSecret));
    const want = (ex.body as { update: Record<string, unknown>[] }).update;
    const mine = (got.body as { update: Record<string, unknown>[] }).update;
    expect(mine[0]).toMatchObject({ id: 33, sku: "TSHIRT-S", stock_quantity: 2999 });
    expect(mine.slice(1)).toEqual(want.slice(1));
    expect(got.headers).toEqual(wordpressHeaders(ex.headers, https.siteUrl));
  });

  it("orders/batch: a missing order on update is 400", async () => {
    const ex = readFixture<Exchange>("api/batch-orders-update-missing-id.json");
    expectSameAnswer(await replay(https, ex, basic(httpsKey.consumerKey, httpsKey.consumerSecret)), ex, https);
  });
});

describe("pagination headers (api/orders-list-*.json, products-list-*.json)", () => {
  let shop: WooSandbox;
  let auth: string;

  beforeAll(async () => {
    shop = await startWooSandbox({ fixture: "c1-dkk-excl-lineround", https: "assume" });
    const key = shop.createKey();
    auth = basic(key.consumerKey, key.consumerSecret);
    // The recorded shop had 77 orders, 43 of them processing or completed, and 20 products; it
    // showed 3 decimals when the lists were read.
    for (let i = 0; i < 43; i += 1) shop.placeOrder({ ...fixtureCheckout("A", "rest-api"), status: "processing" });
    for (let i = 0; i < 34; i += 1) shop.placeOrder(fixtureCheckout("A", "rest-api"));
    shop.seedProduct({ sku: "BATCH-NEW-1", name: "Batch ny vare", regularPrice: "12.50", manageStock: true, stockQuantity: 7 });
    shop.seedProduct({ sku: "BATCH-DUP-IN-REQ", name: "Batch dublet A", regularPrice: "2.00" });
    shop.configure({ priceDecimals: 3 });
  });
  afterAll(() => shop.close());

  it.each([
    "orders-list-per_page-5-page-1.json",
    "orders-list-per_page-5-page-2.json",
    "orders-list-per_page-5-page-16-last.json",
    "orders-list-_fields-status-filter.json",
    "200-orders-page-beyond-last-empty.json",
    "products-list-default-page-1.json",
    "products-list-default-page-2.json",
  ])("%s: X-WP-Total, X-WP-TotalPages and Link", async (file) => {
    const ex = readFixture<Exchange>(`api/${file}`);
    const got = await replay(shop, ex, auth);
    expect(got.status).toBe(ex.status);
    const want = wordpressHeaders(ex.headers, shop.siteUrl);
    expect(got.headers).toEqual(want);
    expect((got.body as unknown[]).length).toBe((ex.body as unknown[]).length);
  });

  it("200-oauth1-orders-page2-link-header-http.json: the Link header repeats every oauth_* parameter", async () => {
    const ex = readFixture<Exchange>("api/200-oauth1-orders-page2-link-header-http.json");
    const plain = await startWooSandbox({ fixture: "c1-dkk-excl-lineround" });
    try {
      const key = plain.createKey();
      for (let i = 0; i < 75; i += 1) plain.placeOrder(fixtureCheckout("A", "rest-api"));
      plain.configure({ priceDecimals: 3 });
      const url = oauthSignedUrl({ method: "GET", siteUrl: plain.siteUrl, path: "/wp-json/wc/v3/orders", query: [["per_page", "2"], ["page", "2"], ["_fields", "id,status,total"]], consumerKey: key.consumerKey, consumerSecret: key.consumerSecret });
      const got = await replay(plain, ex, undefined, url.slice(plain.siteUrl.length));
      const redact = (h: Record<string, string>): Record<string, string> =>
        Object.fromEntries(Object.entries(h).map(([k, v]) => [k, v.replace(/(oauth_(?:consumer_key|nonce|signature|timestamp))=[^&>]+/g, "$1=X")]));
      expect(got.status).toBe(200);
      expect(redact(got.headers)).toEqual(redact(wordpressHeaders(ex.headers, plain.siteUrl)));
      expect(got.body).toHaveLength(2);
    } finally {
      await plain.close();
    }
  });
});
