/**
 * Contract tests of the bridge's WooCommerce client against the sandbox over real HTTP, signing
 * OAuth 1.0a itself over plain HTTP as `@woocommerce/woocommerce-rest-api` does.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  WooAuthFailed,
  WooNotFound,
  WooRateLimited,
  WooRejected,
  WooResponseInvalid,
  WooTimeout,
  WooUnavailable,
  type WooClient,
  type WooClientOptions,
  type WooStockUpdate,
  WooHttp,
  createWooClient,
} from "../../bridge/src/woocommerce/index.js";
import { fixtureCheckout } from "../sandboxes/woocommerce/fixture-shop.js";
import { type CreatedKey, type WooSandbox, startWooSandbox } from "../sandboxes/woocommerce/index.js";
import { oauthSignedUrl } from "./oauth-signing.js";

let woo: WooSandbox;
let key: CreatedKey;
let client: WooClient;
const calls: { status: number | undefined }[] = [];

function clientFor(sandbox: WooSandbox, k: CreatedKey, extra: Partial<WooClientOptions> = {}): WooClient {
  return createWooClient({
    url: sandbox.url,
    consumerKey: k.consumerKey,
    consumerSecret: k.consumerSecret,
    timeoutMs: 2_000,
    retries: { baseMs: 1, maxMs: 4 },
    metrics: { recordUpstreamCall: (_u, status) => void calls.push({ status }) },
    ...extra,
  });
}

beforeAll(async () => {
  woo = await startWooSandbox({ fixture: "c1-dkk-excl-lineround" });
  key = woo.createKey();
  client = clientFor(woo, key);
});
afterAll(() => woo.close());
beforeEach(() => {
  woo.clearRequests();
  woo.clearFaults();
  calls.length = 0;
});

describe("OAuth 1.0a over plain HTTP (what the library signs)", () => {
  it("reads, writes and batches with query parameters the signature covers", async () => {
    const page = await client.listProducts({ perPage: 3 });
    expect(page.items.map((p) => p.sku)).toEqual(["MUG-001", "GUM/MINT-10", "CHAIR-ERGO-1249"]);
    const product = await client.updateProduct(26, { name: "Vareprøve (ÆØÅ)" });
    expect(product.name).toBe("Vareprøve (ÆØÅ)");
    const match = await client.findBySku("GUM/MINT-10");
    expect(match?.productId).toBe(17);
    expect(woo.requests().every((r) => r.auth === "oauth1" && !r.https)).toBe(true);
  });

  it("signs array and date parameters (statuses, modified_after with ':')", async () => {
    const a = woo.placeOrder({ ...fixtureCheckout("H", "rest-api") });
    const list = await client.listOrders({ statuses: ["processing", "completed"], modifiedAfter: new Date(Date.now() - 3_600_000) });
    expect(list.items.map((o) => o.id)).toContain(a.id);
  });

  it("HMAC-SHA1 is accepted too", async () => {
    const url = oauthSignedUrl({ method: "GET", siteUrl: woo.siteUrl, path: "/wp-json/wc/v3/products/16", consumerKey: key.consumerKey, consumerSecret: key.consumerSecret, algorithm: "HMAC-SHA1" });
    expect((await fetch(url)).status).toBe(200);
  });
});

describe("authentication failures", () => {
  async function answer(url: string, init?: RequestInit): Promise<{ status: number; body: { code: string; message: string } }> {
    const res = await fetch(url, init);
    return { status: res.status, body: (await res.json()) as { code: string; message: string } };
  }

  it("a wrong secret is a WooAuthFailed with WooCommerce's code", async () => {
    const bad = clientFor(woo, { ...key, consumerSecret: "cs_wrong" });
    const error = await bad.getProduct(16).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WooAuthFailed);
    expect(error).toMatchObject({ status: 401, code: "woocommerce_rest_authentication_error", retryable: false });
    expect(woo.requests()).toHaveLength(1);
  });

  it("a signature for another host than the shop's home URL is refused", async () => {
    const url = oauthSignedUrl({
      method: "GET",
      siteUrl: woo.siteUrl,
      signForSiteUrl: woo.siteUrl.replace("127.0.0.1", "localhost"),
      path: "/wp-json/wc/v3/products",
      consumerKey: key.consumerKey,
      consumerSecret: key.consumerSecret,
    });
    expect(await answer(url)).toEqual({ status: 401, body: { code: "woocommerce_rest_authentication_error", message: "Invalid signature - provided signature does not match.", data: { status: 401 } } });
  });

  it("a timestamp older than 15 minutes is refused", async () => {
    const url = oauthSignedUrl({ method: "GET", siteUrl: woo.siteUrl, path: "/wp-json/wc/v3/products", consumerKey: key.consumerKey, consumerSecret: key.consumerSecret, timestamp: Math.floor(Date.now() / 1000) - 16 * 60 });
    expect((await answer(url)).body.message).toBe("Invalid timestamp.");
  });

  it("a replayed nonce is refused", async () => {
    const url = oauthSignedUrl({ method: "GET", siteUrl: woo.siteUrl, path: "/wp-json/wc/v3/products/16", consumerKey: key.consumerKey, consumerSecret: key.consumerSecret });
    expect((await answer(url)).status).toBe(200);
    expect(await answer(url)).toMatchObject({ status: 401, body: { code: "woocommerce_rest_authentication_error", message: "Invalid nonce - nonce has already been used." } });
  });

  it("an unknown consumer key and missing OAuth parameters", async () => {
    const unknown = oauthSignedUrl({ method: "GET", siteUrl: woo.siteUrl, path: "/wp-json/wc/v3/products", consumerKey: "ck_unknown", consumerSecret: "cs_x" });
    expect((await answer(unknown)).body.message).toBe("Consumer key is invalid.");
    const partial = await answer(`${woo.url}/wp-json/wc/v3/products?oauth_consumer_key=${key.consumerKey}`);
    expect(partial).toMatchObject({
      status: 401,
      body: { code: "woocommerce_rest_authentication_missing_parameter", message: "Missing OAuth parameters oauth_timestamp, oauth_nonce, oauth_signature, oauth_signature_method" },
    });
  });

  it("Basic auth and query-string keys are refused over plain HTTP", async () => {
    const basic = `Basic ${Buffer.from(`${key.consumerKey}:${key.consumerSecret}`).toString("base64")}`;
    expect(await answer(`${woo.url}/wp-json/wc/v3/products`, { headers: { Authorization: basic } })).toMatchObject({ status: 401, body: { code: "woocommerce_rest_cannot_view" } });
    expect(await answer(`${woo.url}/wp-json/wc/v3/products?consumer_key=${key.consumerKey}&consumer_secret=${key.consumerSecret}`)).toMatchObject({
      status: 401,
      body: { code: "woocommerce_rest_cannot_view" },
    });
  });

  it("behind HTTPS, Basic auth and query-string keys work (the client uses them for https:// URLs)", async () => {
    const tls = await startWooSandbox({ fixture: "c1-dkk-excl-lineround", https: "forwarded-proto" });
    try {
      const k = tls.createKey();
      const basic = `Basic ${Buffer.from(`${k.consumerKey}:${k.consumerSecret}`).toString("base64")}`;
      expect((await fetch(`${tls.url}/wp-json/wc/v3/products/16`, { headers: { Authorization: basic, "X-Forwarded-Proto": "https" } })).status).toBe(200);
      expect((await fetch(`${tls.url}/wp-json/wc/v3/products/16?consumer_key=${k.consumerKey}&consumer_secret=${k.consumerSecret}`, { headers: { "X-Forwarded-Proto": "https" } })).status).toBe(200);
      // Without the forwarded proto the same request is plain HTTP again.
      expect((await fetch(`${tls.url}/wp-json/wc/v3/products/16`, { headers: { Authorization: basic } })).status).toBe(401);
    } finally {
      await tls.close();
    }
  });

  it("a read-only key cannot write", async () => {
    const readOnly = clientFor(woo, woo.createKey({ permissions: "read" }));
    expect((await readOnly.getProduct(16)).sku).toBe("MUG-001");
    const error = await readOnly.updateProduct(16, { name: "x" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WooAuthFailed);
    expect((error as Error).message).toContain("The API key provided does not have write permissions.");
  });
});

describe("pagination", () => {
  it("iterates every product in id order, 5 per call, reading X-WP-TotalPages", async () => {
    const ids: number[] = [];
    for await (const p of client.iterateProducts({ perPage: 5 })) ids.push(p.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(ids).toHaveLength(woo.shop.listedProducts().length);
    expect(woo.requests().filter((r) => r.route === "/wc/v3/products")).toHaveLength(Math.ceil(ids.length / 5));
  });

  it("surfaces X-WP-Total / X-WP-TotalPages; orders past the last page report 0", async () => {
    const first = await client.listProducts({ perPage: 5 });
    expect(first.total).toBe(woo.shop.listedProducts().length);
    expect(first.totalPages).toBe(Math.ceil(first.total / 5));
    woo.placeOrder(fixtureCheckout("A", "rest-api"));
    const beyond = await client.listOrders({ perPage: 50, page: 999 });
    expect(beyond).toMatchObject({ items: [], total: 0, totalPages: 0 });
  });

  it("iterates variations of a variable product", async () => {
    const skus: string[] = [];
    for await (const v of client.iterateVariations(32, { perPage: 2 })) skus.push(v.sku);
    expect(skus).toEqual(["TSHIRT-S", "TSHIRT-M", "TSHIRT-L", "TSHIRT-XL"]);
  });

  it("per_page above 100 is refused by WooCommerce", async () => {
    const error = await client.listProducts({ perPage: 101 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WooRejected);
    expect(error).toMatchObject({ status: 400, code: "rest_invalid_param", fieldErrors: { per_page: ["per_page must be between 1 (inclusive) and 100 (inclusive)"] } });
  });
});

describe("modified_after windows and status filters", () => {
  it("is exclusive to the second, in GMT", async () => {
    const shop = await startWooSandbox({ fixture: "c1-dkk-excl-lineround" });
    try {
      const c = clientFor(shop, shop.createKey());
      const first = shop.placeOrder(fixtureCheckout("A", "rest-api"));
      shop.advanceClock(5_000);
      const second = shop.placeOrder(fixtureCheckout("H", "rest-api"));
      const t1 = Date.parse(`${String(first.date_modified_gmt)}Z`);
      const t2 = Date.parse(`${String(second.date_modified_gmt)}Z`);
      expect(t2 - t1).toBeGreaterThanOrEqual(5_000);
      const after = (ms: number): Promise<number[]> => c.listOrders({ modifiedAfter: new Date(ms) }).then((p) => p.items.map((o) => o.id));
      expect(await after(t2 - 1_000)).toEqual([second.id]);
      expect(await after(t2)).toEqual([]);
      expect(await after(t1 - 1_000)).toEqual([first.id, second.id]);
      expect((await c.listOrders({ modifiedAfter: new Date(t1 - 1_000), modifiedBefore: new Date(t2) })).items.map((o) => o.id)).toEqual([first.id]);
      expect((await c.listOrders({ statuses: ["processing"] })).items.map((o) => o.id)).toEqual([second.id]);
      expect((await c.listOrders({ statuses: ["pending"] })).items.map((o) => o.id)).toEqual([first.id]);
      const all: number[] = [];
      for await (const o of c.iterateOrders({ modifiedAfter: new Date(t1 - 1_000), perPage: 1 })) all.push(o.id);
      expect(all).toEqual([first.id, second.id]);
    } finally {
      await shop.close();
    }
  });
});

describe("orders: read, status, meta and notes", () => {
  it("reads an order with the real shape and writes the Rackbeat number back as meta and note", async () => {
    const placed = woo.placeOrder(fixtureCheckout("C", "rest-api"));
    const order = await client.getOrder(placed.id as number);
    expect(order).toMatchObject({ total: "847.07", total_tax: "136.64", prices_include_tax: false });
    expect(order.fee_lines.map((f) => f.total)).toEqual(["19.95", "-25.00", "5.00", "-10.00"]);
    const withMeta = await client.addOrderMeta(order.id, [{ key: "_rackbeat_order_number", value: "1001" }]);
    expect(withMeta.meta_data.filter((m) => m.key === "_rackbeat_order_number").map((m) => m.value)).toEqual(["1001"]);
    const again = await client.addOrderMeta(order.id, [{ key: "_rackbeat_order_number", value: "1002" }]);
    expect(again.meta_data.filter((m) => m.key === "_rackbeat_order_number").map((m) => m.value)).toEqual(["1002"]);
    const note = await client.addOrderNote(order.id, "Sent to Rackbeat as order 1002.");
    expect(note).toMatchObject({ note: "Sent to Rackbeat as order 1002.", customer_note: false, author: "WooCommerce" });
    expect((await client.listOrderNotes(order.id)).map((n) => n.note)).toContain("Sent to Rackbeat as order 1002.");
    const completed = await client.updateOrderStatus(order.id, "completed");
    expect(completed.status).toBe("completed");
    expect(completed.total).toBe("847.07");
  });

  it("a missing order is WooNotFound", async () => {
    await expect(client.getOrder(999_999)).rejects.toBeInstanceOf(WooNotFound);
  });

  it("an order in processing has reduced stock once; cancelling restores it", async () => {
    const before = (await client.getProduct(31)).stock_quantity ?? 0;
    const placed = woo.placeOrder({ via: "rest-api", lines: [{ sku: "STOCK-PROBE", quantity: 3 }], billing: { country: "DK" }, status: "processing" });
    expect((await client.getProduct(31)).stock_quantity).toBe(before - 3);
    await client.updateOrderStatus(placed.id as number, "completed");
    expect((await client.getProduct(31)).stock_quantity).toBe(before - 3);
    await client.updateOrderStatus(placed.id as number, "cancelled");
    expect((await client.getProduct(31)).stock_quantity).toBe(before);
  });
});

describe("settings", () => {
  it("reads currency, decimals and tax settings", async () => {
    const shop = await startWooSandbox({ fixture: "c5-sek-incl-lineround-3dp" });
    try {
      const c = clientFor(shop, shop.createKey());
      expect(await c.getStoreSettings()).toEqual({
        currency: "SEK",
        priceDecimals: 3,
        calcTaxes: true,
        thousandSeparator: "",
        decimalSeparator: ",",
        pricesIncludeTax: true,
        taxRoundAtSubtotal: false,
        taxBasedOn: "shipping",
        shippingTaxClass: "inherit",
      });
      const status = await c.getSystemStatus();
      expect(status.settings).toMatchObject({ currency: "SEK", number_of_decimals: 3 });
      expect(status.environment.home_url).toBe(shop.siteUrl);
    } finally {
      await shop.close();
    }
  });
});

describe("products and variations", () => {
  it("finds SKUs of products and variations, exactly", async () => {
    expect(await client.findBySku("BEANS-500G")).toMatchObject({ productId: 37, variationId: 39 });
    expect(await client.findBySku("ABCDEFGHIJ-0123456789-XYZ")).toMatchObject({ productId: 21, variationId: null });
    expect(await client.findBySku("MUG-00")).toBeUndefined();
    const many = await client.findBySkus(["MUG-001", "TSHIRT-XL", "NO-SUCH"]);
    expect(many.map((m) => [m.sku, m.productId, m.variationId])).toEqual(
      expect.arrayContaining([
        ["MUG-001", 16, null],
        ["TSHIRT-XL", 32, 36],
      ]),
    );
    expect(many).toHaveLength(2);
  });

  it("creates products and variations; a duplicate SKU is rejected with its owner", async () => {
    const created = await client.createProduct({ name: "Ny vare", sku: "NEW-1", regular_price: "10.00", manage_stock: true, stock_quantity: 4 });
    expect(created).toMatchObject({ sku: "NEW-1", stock_quantity: 4, manage_stock: true });
    const parent = await client.createProduct({ name: "Hue", type: "variable", sku: "HAT" });
    const variation = await client.createVariation(parent.id, { sku: "HAT-RED", regular_price: "50", attributes: [{ name: "Farve", option: "Rød" }] });
    expect(variation).toMatchObject({ sku: "HAT-RED", parent_id: parent.id });
    const error = await client.createProduct({ name: "Dup", sku: "MUG-001" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WooRejected);
    expect(error).toMatchObject({ status: 400, code: "product_invalid_sku", data: { resource_id: 16, unique_sku: "MUG-001-1" } });
  });

  it("stock_quantity only sticks with manage_stock: true (WooCommerce ignores it otherwise)", async () => {
    const p = await client.createProduct({ name: "Ustyret", sku: "UNMANAGED-1" });
    expect((await client.updateProduct(p.id, { stock_quantity: 9 })).stock_quantity).toBeNull();
    expect((await client.updateProduct(p.id, { manage_stock: true, stock_quantity: 9 })).stock_quantity).toBe(9);
  });
});

describe("batches", () => {
  it("splits 250 stock writes into calls of ≤ 100 and sends variations to their parent's endpoint", async () => {
    const simple = Array.from({ length: 16 }, (_, i) => 16 + i);
    const updates: WooStockUpdate[] = Array.from({ length: 230 }, (_, i) => ({ id: simple[i % simple.length] ?? 16, parentId: null, stockQuantity: 100 + i }));
    updates.push(...[33, 34, 35, 36].flatMap((id) => Array.from({ length: 5 }, (_, i) => ({ id, parentId: 32, stockQuantity: 10 + i }))));
    woo.resetWriteCounts();
    const outcome = await client.setStock(updates);
    expect(outcome.failed).toEqual([]);
    expect(outcome.written).toHaveLength(250);
    const batchCalls = woo.requests().filter((r) => r.route.endsWith("/batch"));
    expect(batchCalls.map((r) => r.route)).toEqual(["/wc/v3/products/batch", "/wc/v3/products/batch", "/wc/v3/products/batch", "/wc/v3/products/32/variations/batch"]);
    expect(woo.writeCount(33)).toBe(5);
    expect(woo.writeCount(32)).toBe(0);
    expect((await client.getVariation(32, 33)).stock_quantity).toBe(14);
    expect(woo.writeLog().filter((w) => w.productId === 33).every((w) => w.endpoint === "variation")).toBe(true);
  });

  it("reports per-item errors with their position, code and status", async () => {
    const outcome = await client.batchProducts({
      create: [{ name: "Batch A", sku: "BATCH-A" }, { name: "Batch dup", sku: "MUG-001" }],
      update: [{ id: 23, stock_quantity: 5, manage_stock: true }, { id: 999_999, regular_price: "1" }],
      delete: [999_998],
    });
    expect(outcome.created.map((c) => [c.index, c.item.sku])).toEqual([[0, "BATCH-A"]]);
    expect(outcome.updated.map((u) => [u.index, u.item.id])).toEqual([[0, 23]]);
    expect(outcome.failures).toEqual([
      { operation: "create", index: 1, id: 0, code: "product_invalid_sku", message: "Invalid or duplicated SKU.", status: 400, data: { status: 400, resource_id: 16, unique_sku: "MUG-001-1" } },
      { operation: "update", index: 1, id: 999_999, code: "woocommerce_rest_product_invalid_id", message: "Invalid ID.", status: 400, data: { status: 400 } },
      { operation: "delete", index: 0, id: 999_998, code: "woocommerce_rest_product_invalid_id", message: "Invalid ID.", status: 404, data: { status: 404 } },
    ]);
    const stock = await client.setStock([{ id: 33, parentId: 32, stockQuantity: 1 }, { id: 999, parentId: 32, stockQuantity: 1 }]);
    expect(stock.failed.map((f) => [f.update.id, f.code, f.status])).toEqual([[999, "woocommerce_rest_product_variation_invalid_id", 404]]);
  });

  it("WooCommerce itself refuses more than 100 items in one call (413)", async () => {
    const http = new WooHttp({ url: woo.url, consumerKey: key.consumerKey, consumerSecret: key.consumerSecret });
    const error = await http
      .send({ method: "post", endpoint: "products/batch", data: { update: Array.from({ length: 101 }, () => ({ id: 16 })) }, idempotent: true })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WooRejected);
    expect(error).toMatchObject({ status: 413, code: "woocommerce_rest_request_entity_too_large" });
  });
});

describe("retries, timeouts and named errors", () => {
  afterEach(() => woo.clearFaults());

  it("retries a 503 and succeeds; every attempt is measured", async () => {
    woo.injectFault({ kind: "status", status: 503, path: "/wc/v3/products/16" });
    expect((await client.getProduct(16)).sku).toBe("MUG-001");
    expect(woo.requests().map((r) => r.status)).toEqual([503, 200]);
    expect(calls.map((c) => c.status)).toEqual([503, 200]);
  });

  it("waits for Retry-After on 429 when it is short", async () => {
    woo.injectFault({ kind: "status", status: 429, retryAfter: "0", path: "/wc/v3/products/16" });
    expect((await client.getProduct(16)).id).toBe(16);
    expect(woo.requests()).toHaveLength(2);
  });

  it("hands a long Retry-After to the job runner as WooRateLimited", async () => {
    woo.injectFault({ kind: "status", status: 429, retryAfter: "120", path: "/wc/v3/products/16" });
    const error = await client.getProduct(16).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WooRateLimited);
    expect(error).toMatchObject({ retryAfterMs: 120_000, retryable: true });
    expect(woo.requests()).toHaveLength(1);
  });

  it("gives up after the configured attempts with WooUnavailable", async () => {
    woo.injectFault({ kind: "status", status: 500, times: Infinity, path: "/wc/v3/products/16" });
    const error = await client.getProduct(16).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WooUnavailable);
    expect(error).toMatchObject({ status: 500, retryable: true });
    expect(woo.requests()).toHaveLength(4);
  });

  it("retries a read that timed out", async () => {
    const quick = clientFor(woo, key, { timeoutMs: 150 });
    woo.injectFault({ kind: "timeout", path: "/wc/v3/products/16" });
    expect((await quick.getProduct(16)).id).toBe(16);
    expect(woo.requests()).toHaveLength(2);
  });

  it("does not resend an order note after a timeout (it may have been written)", async () => {
    const placed = woo.placeOrder(fixtureCheckout("A", "rest-api"));
    const quick = clientFor(woo, key, { timeoutMs: 150 });
    woo.injectFault({ kind: "timeout", method: "POST", path: "/notes" });
    const error = await quick.addOrderNote(placed.id as number, "once").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WooTimeout);
    expect(woo.requests().filter((r) => r.method === "POST")).toHaveLength(1);
  });

  it("retries a dropped connection on a read", async () => {
    woo.injectFault({ kind: "reset", path: "/wc/v3/products/16" });
    expect((await client.getProduct(16)).id).toBe(16);
  });

  it("latency is just latency", async () => {
    woo.injectFault({ kind: "latency", ms: 120, path: "/wc/v3/products/16" });
    const started = Date.now();
    await client.getProduct(16);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });

  it("an answer of the wrong shape is WooResponseInvalid, not retried", async () => {
    woo.injectFault({ kind: "status", status: 200, body: { id: "not-a-product" }, path: "/wc/v3/products/16" });
    const error = await client.getProduct(16).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WooResponseInvalid);
    expect((error as WooResponseInvalid).issues.length).toBeGreaterThan(0);
    expect(woo.requests()).toHaveLength(1);
  });

  it("an unreachable shop is WooUnavailable", async () => {
    const gone = await startWooSandbox();
    const url = gone.url;
    await gone.close();
    const c = createWooClient({ url, consumerKey: "ck_x", consumerSecret: "cs_x", retries: { attempts: 2, baseMs: 1, maxMs: 2 } });
    await expect(c.getProduct(1)).rejects.toBeInstanceOf(WooUnavailable);
  });
});

describe("writes are counted per product (echo-loop proofs)", () => {
  it("counts REST writes only; stock changed behind the bridge's back is not a write", async () => {
    woo.resetWriteCounts();
    woo.setStock(16, 500);
    expect(woo.writeCount(16)).toBe(0);
    await client.setStock([{ id: 16, parentId: null, stockQuantity: 501 }]);
    await client.updateProduct(16, { manage_stock: true, stock_quantity: 502 });
    expect(woo.writeCount(16)).toBe(2);
    expect(woo.writeLog().map((w) => [w.productId, w.endpoint, w.operation])).toEqual([
      [16, "product", "update"],
      [16, "product", "update"],
    ]);
  });
});
