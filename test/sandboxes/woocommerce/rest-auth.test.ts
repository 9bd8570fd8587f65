import OAuth from "oauth-1.0a";
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parsePhpQuery, rawurlencode } from "./php-query.js";
import { oauthSignedUrl } from "../../woocommerce/oauth-signing.js";
import { type ApiKey, authenticate, wcApiHash } from "./rest-auth.js";

const HOME = "http://127.0.0.1:8080";
const CK = "ck_0123456789abcdef";
const CS = "cs_fedcba9876543210";

function key(): ApiKey {
  return { keyId: 1, userId: 1, description: "", permissions: "read_write", consumerKeyHash: wcApiHash(CK), consumerSecret: CS, truncatedKey: CK.slice(-7), nonces: new Map(), lastAccess: null };
}

/** Signed by the `oauth-1.0a` library, as @woocommerce/woocommerce-rest-api does. */
function signed(url: string): string {
  const oauth = new OAuth({ consumer: { key: CK, secret: CS }, signature_method: "HMAC-SHA256", hash_function: (base, k) => createHmac("sha256", k).update(base).digest("base64") });
  const data = oauth.authorize({ url, method: "GET" });
  const extra = Object.entries(data)
    .filter(([k]) => k.startsWith("oauth_"))
    .map(([k, v]) => `${rawurlencode(k)}=${rawurlencode(String(v))}`)
    .join("&");
  return `${url}${url.includes("?") ? "&" : "?"}${extra}`;
}

function check(url: string, k: ApiKey, now = Math.floor(Date.now() / 1000)): ReturnType<typeof authenticate> {
  const u = new URL(url);
  return authenticate(
    { method: "GET", path: u.pathname, query: parsePhpQuery(u.search.slice(1)), post: new Map(), authorization: undefined, https: false },
    { keyByConsumerKey: (ck) => (wcApiHash(ck) === k.consumerKeyHash ? k : undefined), homeUrl: HOME, nowSeconds: () => now },
  );
}

describe("OAuth 1.0a as WooCommerce checks it", () => {
  it("accepts what the oauth-1.0a library signs, including bracketed array parameters", () => {
    const k = key();
    const url = signed(`${HOME}/wp-json/wc/v3/orders?per_page=5&status[0]=processing&status[1]=completed&modified_after=2026-11-25T12%3A29%3A56`);
    expect(check(url, k)).toMatchObject({ key: { keyId: 1 }, error: null, method: "oauth1" });
  });

  it("remembers one nonce per timestamp second (a later nonce in the same second replaces it)", () => {
    const k = key();
    const now = 1_795_600_000;
    const at = (nonce: string, path: string): string =>
      oauthSignedUrl({ method: "GET", siteUrl: HOME, path, consumerKey: CK, consumerSecret: CS, timestamp: now, nonce });
    expect(check(at("nonce-a", "/wp-json/wc/v3/products"), k, now).error).toBeNull();
    expect(check(at("nonce-a", "/wp-json/wc/v3/products"), k, now).error?.message).toBe("Invalid nonce - nonce has already been used.");
    expect(check(at("nonce-b", "/wp-json/wc/v3/products/16"), k, now).error).toBeNull();
    // [source] used_nonces[ $timestamp ] = $nonce: nonce-a is forgotten once nonce-b used the same second.
    expect(check(at("nonce-a", "/wp-json/wc/v3/products"), k, now).error).toBeNull();
    expect(check(at("nonce-c", "/wp-json/wc/v3/products"), k, now + 16 * 60).error?.message).toBe("Invalid timestamp.");
  });
});
