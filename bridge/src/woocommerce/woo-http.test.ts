import { describe, expect, it } from "vitest";
import { WooAuthFailed, WooNotFound, WooRateLimited, WooRejected, WooTimeout, WooUnavailable } from "./woo-errors.js";
import { toWooError } from "./woo-http.js";

const req = { method: "get" as const, endpoint: "products/16" };

function answer(status: number, data: unknown, headers: Record<string, string> = {}): unknown {
  return Object.assign(new Error(`Request failed with status code ${status}`), { response: { status, data, headers } });
}

describe("toWooError", () => {
  it("names each kind of failure and keeps WooCommerce's code", () => {
    expect(toWooError(answer(429, { code: "too_many_requests", message: "slow", data: { status: 429 } }, { "retry-after": "7" }), req)).toMatchObject({
      constructor: WooRateLimited,
      retryAfterMs: 7000,
      code: "too_many_requests",
    });
    expect(toWooError(answer(503, "<html>"), req)).toBeInstanceOf(WooUnavailable);
    expect(toWooError(answer(401, { code: "woocommerce_rest_authentication_error", message: "Invalid timestamp.", data: { status: 401 } }), req)).toMatchObject({
      constructor: WooAuthFailed,
      status: 401,
      code: "woocommerce_rest_authentication_error",
      retryable: false,
    });
    expect(toWooError(answer(404, { code: "woocommerce_rest_product_invalid_id", message: "Invalid ID.", data: { status: 404 } }), req)).toBeInstanceOf(WooNotFound);
    const rejected = toWooError(
      answer(400, { code: "rest_invalid_param", message: "Invalid parameter(s): status", data: { status: 400, params: { status: "status is not one of …" } } }),
      req,
    );
    expect(rejected).toBeInstanceOf(WooRejected);
    expect((rejected as WooRejected).fieldErrors).toEqual({ status: ["status is not one of …"] });
  });

  it("tells a timeout from an unreachable shop", () => {
    expect(toWooError(Object.assign(new Error("timeout of 150ms exceeded"), { code: "ECONNABORTED" }), req)).toBeInstanceOf(WooTimeout);
    expect(toWooError(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }), req)).toBeInstanceOf(WooUnavailable);
  });

  it("never puts credentials in the message", () => {
    const error = toWooError(
      Object.assign(new Error("Request failed"), { response: { status: 401, data: {}, headers: {} }, config: { url: "http://shop/wp-json/wc/v3/products?oauth_consumer_key=ck_secret&oauth_signature=s" } }),
      req,
    );
    expect(error.message).not.toContain("ck_secret");
    expect(JSON.stringify(error.cause, Object.getOwnPropertyNames(error.cause ?? {}))).not.toContain("ck_secret");
    expect((error.cause as { config?: unknown }).config).toBeUndefined();
  });
});
