import { createHmac, timingSafeEqual } from "node:crypto";

/** protocol.md §2: the clock skew a signed request may have, in seconds. */
export const MAX_SKEW_SECONDS = 300;

export function stringToSign(timestamp: string, method: string, pathWithQuery: string, body: string | Buffer): string {
  const raw = typeof body === "string" ? body : body.toString("utf8");
  return `${timestamp}.${method.toUpperCase()}.${pathWithQuery}.${raw}`;
}

/** The `X-RBC-Signature` header value: `v1=<lowercase hex HMAC-SHA256>`. */
export function sign(secret: string, timestamp: string, method: string, pathWithQuery: string, body: string | Buffer): string {
  const hmac = createHmac("sha256", Buffer.from(secret, "utf8"));
  hmac.update(`${timestamp}.${method.toUpperCase()}.${pathWithQuery}.`, "utf8");
  hmac.update(typeof body === "string" ? Buffer.from(body, "utf8") : body);
  return `v1=${hmac.digest("hex")}`;
}

export function signedHeaders(
  shopId: string,
  secret: string,
  method: string,
  pathWithQuery: string,
  body: string | Buffer,
  now: number = Date.now(),
): Record<string, string> {
  const timestamp = String(Math.floor(now / 1000));
  return {
    "X-RBC-Shop": shopId,
    "X-RBC-Timestamp": timestamp,
    "X-RBC-Signature": sign(secret, timestamp, method, pathWithQuery, body),
  };
}

export type VerifyResult = { ok: true } | { ok: false; reason: string };

/** Checks a request's timestamp and signature (constant-time comparison). */
export function verifySignature(input: {
  secret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  method: string;
  pathWithQuery: string;
  body: Buffer;
  now?: number;
}): VerifyResult {
  if (!input.timestamp || !/^\d{1,12}$/.test(input.timestamp)) {
    return { ok: false, reason: "X-RBC-Timestamp is missing or not unix seconds" };
  }
  if (!input.signature || !/^v1=[0-9a-f]{64}$/.test(input.signature)) {
    return { ok: false, reason: "X-RBC-Signature is missing or not of the form v1=<64 hex digits>" };
  }
  const skew = Math.abs(Math.floor((input.now ?? Date.now()) / 1000) - Number(input.timestamp));
  if (skew > MAX_SKEW_SECONDS) {
    return { ok: false, reason: `X-RBC-Timestamp is ${skew} s away from the bridge's clock (at most ${MAX_SKEW_SECONDS} s allowed)` };
  }
  const expected = Buffer.from(sign(input.secret, input.timestamp, input.method, input.pathWithQuery, input.body));
  const given = Buffer.from(input.signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: "signature does not match the request" };
  }
  return { ok: true };
}
