import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sign, stringToSign, verifySignature } from "./signing.js";

interface Vector {
  secret: string;
  timestamp: string;
  method: string;
  path_with_query: string;
  body: string;
  string_to_sign: string;
  signature_header: string;
}

const vectors = (
  JSON.parse(readFileSync(new URL("../../../../shared/fixtures/protocol/signing-vectors.json", import.meta.url), "utf8")) as {
    vectors: Vector[];
  }
).vectors;

describe("protocol.md §2 signing", () => {
  it("has vectors to check", () => {
    expect(vectors.length).toBeGreaterThan(2);
  });

  it.each(vectors.map((v, i) => [i, v] as const))("vector %i: string to sign and signature match", (_i, v) => {
    expect(stringToSign(v.timestamp, v.method, v.path_with_query, v.body)).toBe(v.string_to_sign);
    expect(sign(v.secret, v.timestamp, v.method, v.path_with_query, v.body)).toBe(v.signature_header);
    expect(sign(v.secret, v.timestamp, v.method, v.path_with_query, Buffer.from(v.body, "utf8"))).toBe(v.signature_header);
  });

  it.each(vectors.map((v, i) => [i, v] as const))("vector %i verifies at its own time and not when altered", (_i, v) => {
    const base = {
      secret: v.secret,
      timestamp: v.timestamp,
      signature: v.signature_header,
      method: v.method,
      pathWithQuery: v.path_with_query,
      body: Buffer.from(v.body, "utf8"),
      now: Number(v.timestamp) * 1000,
    };
    expect(verifySignature(base)).toEqual({ ok: true });
    expect(verifySignature({ ...base, secret: `${v.secret}x` }).ok).toBe(false);
    expect(verifySignature({ ...base, body: Buffer.from(`${v.body} `) }).ok).toBe(false);
    expect(verifySignature({ ...base, pathWithQuery: `${v.path_with_query}&x=1` }).ok).toBe(false);
    expect(verifySignature({ ...base, method: v.method === "GET" ? "POST" : "GET" }).ok).toBe(false);
    const stale = verifySignature({ ...base, now: (Number(v.timestamp) + 301) * 1000 });
    expect(stale).toEqual({ ok: false, reason: expect.stringContaining("301 s away") });
    expect(verifySignature({ ...base, now: (Number(v.timestamp) - 300) * 1000 }).ok).toBe(true);
  });
});
