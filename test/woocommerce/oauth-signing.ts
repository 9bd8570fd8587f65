/**
 * An independent OAuth 1.0a signer for tests (RFC 5849, one-legged as WooCommerce uses it): lets a
 * test choose the timestamp, nonce, method and host, which the REST library does not expose.
 * Parameters go in the query string in the order given, oauth_* last.
 */
import { createHmac, randomBytes } from "node:crypto";

export interface OAuthSignInput {
  method: string;
  /** The site URL the signature is computed for (WooCommerce checks it against its home URL). */
  siteUrl: string;
  path: string;
  query?: [string, string][];
  consumerKey: string;
  consumerSecret: string;
  algorithm?: "HMAC-SHA1" | "HMAC-SHA256";
  timestamp?: number;
  nonce?: string;
  /** Sign for this URL but send to siteUrl (to prove the host is part of the signature). */
  signForSiteUrl?: string;
}

/** RFC 3986 percent-encoding (PHP rawurlencode). */
export function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function oauthSignedUrl(input: OAuthSignInput): string {
  const oauth: [string, string][] = [
    ["oauth_consumer_key", input.consumerKey],
    ["oauth_nonce", input.nonce ?? randomBytes(16).toString("hex")],
    ["oauth_signature_method", input.algorithm ?? "HMAC-SHA256"],
    ["oauth_timestamp", String(input.timestamp ?? Math.floor(Date.now() / 1000))],
  ];
  const params = [...(input.query ?? []), ...oauth];
  const normalized = params
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  const base = `${input.method.toUpperCase()}&${rfc3986(`${input.signForSiteUrl ?? input.siteUrl}${input.path}`)}&${rfc3986(normalized)}`;
  const algorithm = (input.algorithm ?? "HMAC-SHA256") === "HMAC-SHA1" ? "sha1" : "sha256";
  const signature = createHmac(algorithm, `${input.consumerSecret}&`).update(base).digest("base64");
  const query = [...params, ["oauth_signature", signature] as [string, string]].map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).join("&");
  return `${input.siteUrl}${input.path}?${query}`;
}
