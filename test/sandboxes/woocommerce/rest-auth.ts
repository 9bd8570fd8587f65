/**
 * WooCommerce REST key authentication (WC_REST_Authentication, WooCommerce 10).
 * [source] plugins/woocommerce/includes/class-wc-rest-authentication.php:
 * - over HTTPS (is_ssl) consumer_key/consumer_secret query parameters, then HTTP Basic, are tried;
 *   an unknown key is silently ignored (the endpoint then answers woocommerce_rest_cannot_view),
 *   a wrong secret is an error "Consumer secret is invalid.";
 * - then (HTTP, or HTTPS without Basic) one-legged OAuth 1.0a: HMAC-SHA1 or HMAC-SHA256 over
 *   METHOD & rawurlencode(home URL + path) & the sorted, RFC 3986-encoded parameters, key =
 *   consumer secret + "&"; the timestamp must be within 15 minutes; a nonce is refused if it is
 *   among the nonces remembered for the key — remembered one per timestamp second (the list is
 *   keyed by timestamp, so a later nonce in the same second replaces the earlier one).
 * [recorded] api/401-*.json: codes and messages; api/200-oauth1-orders-page2-link-header-http.json.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { type PhpArray, type PhpValue, rawurldecode, rawurlencode, strcmp } from "./php-query.js";
import { RestError } from "./rest-error.js";

export type KeyPermissions = "read" | "write" | "read_write";

export interface ApiKey {
  keyId: number;
  userId: number;
  description: string;
  permissions: KeyPermissions;
  /** wc_api_hash( consumer key ): only the hash is stored, as WooCommerce does. */
  consumerKeyHash: string;
  consumerSecret: string;
  truncatedKey: string;
  /** timestamp (seconds) → nonce */
  nonces: Map<number, string>;
  lastAccess: number | null;
}

/** wc_api_hash(): HMAC-SHA256 of the key with the string "wc-api" as the HMAC key. */
export function wcApiHash(consumerKey: string): string {
  return createHmac("sha256", "wc-api").update(consumerKey).digest("hex");
}

export interface AuthRequest {
  method: string;
  /** Path of the request URL, e.g. /wp-json/wc/v3/products */
  path: string;
  /** $_GET */
  query: PhpArray;
  /** $_POST (form bodies only) */
  post: PhpArray;
  authorization: string | undefined;
  /** is_ssl() */
  https: boolean;
}

export interface AuthResult {
  key: ApiKey | null;
  error: RestError | null;
  method: "basic_auth" | "oauth1" | "";
}

export interface AuthDeps {
  keyByConsumerKey: (consumerKey: string) => ApiKey | undefined;
  /** Home URL, e.g. http://127.0.0.1:8080 — the signature is checked against it, not the Host header. */
  homeUrl: string;
  nowSeconds: () => number;
}

const authError = (message: string): RestError => new RestError(401, "woocommerce_rest_authentication_error", message);

export function authenticate(req: AuthRequest, deps: AuthDeps): AuthResult {
  const result: AuthResult = { key: null, error: null, method: "" };
  if (req.https) {
    result.method = "basic_auth";
    const basic = basicCredentials(req);
    if (basic) {
      const key = deps.keyByConsumerKey(basic.key);
      if (key) {
        if (safeEqual(key.consumerSecret, basic.secret)) {
          result.key = key;
          return result;
        }
        result.error = authError("Consumer secret is invalid.");
      }
    }
  }
  // perform_oauth_authentication()
  result.method = "oauth1";
  const params = oauthParameters(req, result);
  if (!params) return result;
  const key = deps.keyByConsumerKey(stringParam(params, "oauth_consumer_key"));
  if (!key) {
    result.error = authError("Consumer key is invalid.");
    return result;
  }
  const signatureError = checkSignature(req, key, params, deps);
  if (signatureError) {
    result.error = signatureError;
    return result;
  }
  const timestamp = Number(stringParam(params, "oauth_timestamp"));
  const nonce = stringParam(params, "oauth_nonce");
  const now = deps.nowSeconds();
  const window = 15 * 60;
  if (!(timestamp >= now - window) || !(timestamp <= now + window)) {
    result.error = authError("Invalid timestamp.");
    return result;
  }
  if ([...key.nonces.values()].includes(nonce)) {
    result.error = authError("Invalid nonce - nonce has already been used.");
    return result;
  }
  key.nonces.set(Math.trunc(timestamp), nonce);
  for (const ts of [...key.nonces.keys()]) if (ts < now - window) key.nonces.delete(ts);
  // A Basic-auth failure earlier in the request stays reported (set_error is never cleared).
  result.key = key;
  return result;
}

function basicCredentials(req: AuthRequest): { key: string; secret: string } | null {
  const qk = req.query.get("consumer_key");
  const qs = req.query.get("consumer_secret");
  if (typeof qk === "string" && qk !== "" && typeof qs === "string" && qs !== "") return { key: qk, secret: qs };
  const header = req.authorization ?? "";
  if (/^basic /i.test(header)) {
    const decoded = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    const key = colon === -1 ? decoded : decoded.slice(0, colon);
    const secret = colon === -1 ? "" : decoded.slice(colon + 1);
    if (key && secret) return { key, secret };
  }
  return null;
}

const OAUTH_PARAMS = ["oauth_consumer_key", "oauth_timestamp", "oauth_nonce", "oauth_signature", "oauth_signature_method"];

function oauthParameters(req: AuthRequest, result: AuthResult): PhpArray | null {
  const params: PhpArray = new Map([...req.query, ...req.post]);
  const header = (req.authorization ?? "").trim();
  if (header.startsWith("OAuth ")) {
    const re = /(oauth_[a-z_-]*)=(:?"([^"]*)"|([^,]*))/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(header)) !== null) {
      const name = m[1] ?? "";
      const raw = m[3] ? m[3] : (m[4] ?? "");
      params.set(name, decodeURIComponent(raw.replace(/\+/g, " ")));
    }
  }
  const missing = OAUTH_PARAMS.filter((name) => {
    const v = params.get(name);
    return typeof v !== "string" || v === "" || v === "0";
  });
  if (missing.length === OAUTH_PARAMS.length) return null;
  if (missing.length > 0) {
    const label = missing.length === 1 ? "Missing OAuth parameter" : "Missing OAuth parameters";
    result.error = new RestError(401, "woocommerce_rest_authentication_missing_parameter", `${label} ${missing.join(", ")}`);
    return null;
  }
  return params;
}

function stringParam(params: PhpArray, name: string): string {
  const v = params.get(name);
  return typeof v === "string" ? v : "";
}

/** check_oauth_signature() */
function checkSignature(req: AuthRequest, key: ApiKey, params: PhpArray, deps: AuthDeps): RestError | null {
  const home = new URL(deps.homeUrl);
  const homePath = home.pathname.endsWith("/") ? home.pathname : `${home.pathname}/`;
  let requestPath = req.path;
  if (requestPath.startsWith(homePath)) requestPath = requestPath.slice(homePath.length);
  // get_home_url( null, $path, is_ssl() ? 'https' : 'http' ): the home host, the request's scheme.
  const base = `${req.https ? "https" : "http"}://${home.host}${homePath}${requestPath.replace(/^\/+/, "")}`;
  const baseRequestUri = rawurlencode(base);
  const consumerSignature = rawurldecode(stringParam(params, "oauth_signature").replace(/ /g, "+"));
  const rest: PhpArray = new Map(params);
  rest.delete("oauth_signature");
  const sorted = [...rest].sort(([a], [b]) => strcmp(a, b));
  // normalize_parameters(): keys and values rawurlencode( rawurldecode( x ) ) — values recursively.
  const normalized: [string, PhpValue][] = sorted.map(([k, v]) => [normalize(k), normalizeValue(v)]);
  const pairs = joinWithEquals(normalized, "");
  const stringToSign = `${req.method.toUpperCase()}&${baseRequestUri}&${pairs.join("%26")}`;
  const method = stringParam(params, "oauth_signature_method");
  if (method !== "HMAC-SHA1" && method !== "HMAC-SHA256") return authError("Invalid signature - signature method is invalid.");
  const algorithm = method === "HMAC-SHA1" ? "sha1" : "sha256";
  const expected = createHmac(algorithm, `${key.consumerSecret}&`).update(stringToSign).digest("base64");
  if (!safeEqual(expected, consumerSignature)) return authError("Invalid signature - provided signature does not match.");
  return null;
}

function normalize(text: string): string {
  return rawurlencode(rawurldecode(text));
}

function normalizeValue(v: PhpValue): PhpValue {
  if (typeof v === "string") return normalize(v);
  return new Map([...v].map(([k, inner]) => [k, normalizeValue(inner)]));
}

/** join_with_equals_sign(): nested arrays become key%5Bsub%5D=value; each pair rawurlencoded. */
function joinWithEquals(params: [string, PhpValue][], prefix: string): string[] {
  const out: string[] = [];
  for (const [k, v] of params) {
    const key = prefix ? `${prefix}%5B${k}%5D` : k;
    if (typeof v === "string") out.push(rawurlencode(`${key}=${v}`));
    else out.push(...joinWithEquals([...v], key));
  }
  return out;
}

function safeEqual(a: string, b: string): boolean {
  const ha = createHash("sha256").update(a).digest();
  const hb = createHash("sha256").update(b).digest();
  return timingSafeEqual(ha, hb) && a === b;
}

/** check_permissions(): read keys may GET/HEAD, write keys POST/PUT/PATCH/DELETE. */
export function checkKeyPermissions(key: ApiKey, method: string): RestError | null {
  switch (method.toUpperCase()) {
    case "HEAD":
    case "GET":
      return key.permissions === "read" || key.permissions === "read_write" ? null : authError("The API key provided does not have read permissions.");
    case "POST":
    case "PUT":
    case "PATCH":
    case "DELETE":
      return key.permissions === "write" || key.permissions === "read_write" ? null : authError("The API key provided does not have write permissions.");
    case "OPTIONS":
      return null;
    default:
      return authError("Unknown request method.");
  }
}
