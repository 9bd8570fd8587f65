import { afterEach, describe, expect, it } from "vitest";
import { RateLimited } from "../../bridge/src/lib/errors.js";
import { createRackbeatClient, RackbeatRateLimited, SlidingWindowRateGate } from "../../bridge/src/rackbeat/index.js";
import { productNumbers, startKit, USER_AGENT, type Kit } from "./rackbeat-test-kit.js";

describe("rate limit", () => {
  let kit: Kit | undefined;
  afterEach(async () => {
    await kit?.close();
    kit = undefined;
  });

  it("paces a burst of 2,000 calls below the limit: no 429 from the sandbox", async () => {
    // Rackbeat's 480/min scaled in time: 200 requests per 150 ms sliding window.
    kit = await startKit({ rateLimit: { limit: 200, windowMs: 150 } });
    const numbers = productNumbers(50);
    kit.sandbox.seedProducts(numbers.map((number) => ({ number })));
    kit.sandbox.resetStats();
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 2000 }, (_, i) => kit!.client.getProduct(numbers[i % 50]!)));
    const elapsed = performance.now() - started;
    expect(results).toHaveLength(2000);
    const stats = kit.sandbox.stats();
    expect(stats.requests).toBe(2000);
    expect(stats.sent429).toBe(0);
    expect(stats.peakInWindow).toBeLessThanOrEqual(200);
    // 2,000 calls need at least 9 full windows after the first burst.
    expect(elapsed).toBeGreaterThanOrEqual(9 * 150);
  });

  it("obeys Retry-After on a 429, and pauses every request on the token meanwhile", async () => {
    kit = await startKit();
    kit.sandbox.seedProducts([{ number: "A" }, { number: "B" }]);
    kit.sandbox.injectFault({ kind: "rate-limit", retryAfterSeconds: 1, method: "GET", path: "/products/A", times: 1 });
    const t0 = performance.now();
    const a = kit.client.getProduct("A").then(() => performance.now() - t0);
    await new Promise((r) => setTimeout(r, 100)); // the 429 has come back by now
    const b = kit.client.getProduct("B").then(() => performance.now() - t0);
    const [aMs, bMs] = await Promise.all([a, b]);
    expect(aMs).toBeGreaterThanOrEqual(990);
    expect(bMs).toBeGreaterThanOrEqual(990); // B waited for the pause A was told about
    const stats = kit.sandbox.stats();
    expect(stats.injected429).toBe(1);
    expect(stats.byRoute["GET /products/:number"]).toBe(2);
  });

  it("gives up after its 429 retries with RackbeatRateLimited carrying Retry-After", async () => {
    kit = await startKit({}, { rateLimitRetries: 2 });
    kit.sandbox.injectFault({ kind: "rate-limit", retryAfterSeconds: 0, path: "/self", times: 10 });
    const error = await kit.client.self().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RackbeatRateLimited);
    expect(error).toBeInstanceOf(RateLimited);
    expect((error as RackbeatRateLimited).retryAfterMs).toBe(0);
    expect((error as RackbeatRateLimited).retryable).toBe(true);
    expect(kit.sandbox.stats().injected429).toBe(3);
  });

  it("does not wait out a Retry-After longer than maxRetryAfterMs inside the call", async () => {
    kit = await startKit({}, { maxRetryAfterMs: 5000 });
    kit.sandbox.injectFault({ kind: "rate-limit", retryAfterSeconds: 60, path: "/self", times: 1 });
    const t0 = performance.now();
    const error = await kit.client.self().catch((e: unknown) => e);
    expect(performance.now() - t0).toBeLessThan(10_000); // did not sit out the 60 s
    expect(error).toBeInstanceOf(RackbeatRateLimited);
    expect((error as RackbeatRateLimited).retryAfterMs).toBe(60_000);
    // The gate holds everyone else on the token back for that long.
    expect(kit.gate.waiting()).toBe(0);
    const pending = kit.client.self({ signal: AbortSignal.timeout(200) }).catch((e: unknown) => e);
    expect(await pending).toBeInstanceOf(DOMException);
  });

  it("recovers when another process on the same token exhausts the limit (real 429s)", async () => {
    kit = await startKit({ rateLimit: { limit: 30, windowMs: 400 } });
    kit.sandbox.seedProducts([{ number: "A" }]);
    // Two clients with separate gates on one token: each paces itself to the full limit, so
    // together they overrun it, as two processes without a shared gate would.
    const other = createRackbeatClient({
      baseUrl: kit.sandbox.baseUrl,
      token: kit.sandbox.token,
      userAgent: USER_AGENT,
      rateGate: new SlidingWindowRateGate({ limit: 30, windowMs: 400 }),
    });
    const calls = [...Array.from({ length: 40 }, () => kit!.client.getProduct("A")), ...Array.from({ length: 40 }, () => other.getProduct("A"))];
    const results = await Promise.all(calls);
    expect(results).toHaveLength(80);
    const stats = kit.sandbox.stats();
    expect(stats.rateLimited).toBeGreaterThan(0); // the server did refuse some …
    expect(stats.byStatus["200"]).toBe(80); // … and every call still succeeded
  });

  it("checks the sandbox's headers: X-RateLimit-* on answers, Retry-After on 429", async () => {
    kit = await startKit({ rateLimit: { limit: 2, windowMs: 5000 } });
    const get = () => fetch(`${kit!.sandbox.baseUrl}/self`, { headers: { Authorization: `Bearer ${kit!.sandbox.token}` } });
    const first = await get();
    expect(first.headers.get("x-ratelimit-limit")).toBe("2");
    expect(first.headers.get("x-ratelimit-remaining")).toBe("1");
    await get();
    const third = await get();
    expect(third.status).toBe(429);
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThanOrEqual(4);
    expect(await third.json()).toEqual({ message: "Too Many Attempts." });
  });
});
