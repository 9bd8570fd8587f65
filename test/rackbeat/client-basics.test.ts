import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../bridge/src/observability/logger.js";
import { Metrics } from "../../bridge/src/observability/metrics.js";
import { createRackbeatClient, RackbeatAuthFailed, RackbeatNotFound, SlidingWindowRateGate } from "../../bridge/src/rackbeat/index.js";
import { startKit, USER_AGENT, type Kit } from "./rackbeat-test-kit.js";

describe("Rackbeat client against the sandbox: account, auth, headers, logs", () => {
  let kit: Kit;
  beforeAll(async () => {
    kit = await startKit({ account: { id: 9001, companyName: "Lager ApS" } });
  });
  afterAll(() => kit.close());

  it("reads /self", async () => {
    const me = await kit.client.self();
    expect(me.user_account.id).toBe(9001);
    expect(me.user_account.company_name).toBe("Lager ApS");
  });

  it("maps a wrong token to RackbeatAuthFailed without retrying", async () => {
    const client = createRackbeatClient({
      baseUrl: kit.sandbox.baseUrl,
      token: "not-the-token",
      userAgent: USER_AGENT,
      rateGate: new SlidingWindowRateGate(),
    });
    const before = kit.sandbox.stats().requests;
    const error = await client.self().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RackbeatAuthFailed);
    expect((error as RackbeatAuthFailed).retryable).toBe(false);
    expect((error as RackbeatAuthFailed).call.status).toBe(401);
    expect(kit.sandbox.stats().requests - before).toBe(1);
  });

  it("maps 404 to RackbeatNotFound, and find* to undefined", async () => {
    await expect(kit.client.getProduct("NOPE")).rejects.toBeInstanceOf(RackbeatNotFound);
    await expect(kit.client.findProduct("NOPE")).resolves.toBeUndefined();
    await expect(kit.client.findOrder(999_999)).resolves.toBeUndefined();
  });

  it("sends User-Agent, Consumer-* and bearer headers", async () => {
    const seen: Headers[] = [];
    const client = createRackbeatClient({
      baseUrl: kit.sandbox.baseUrl,
      token: kit.sandbox.token,
      userAgent: USER_AGENT,
      rateGate: new SlidingWindowRateGate(),
      fetch: (input, init) => {
        seen.push(new Headers(init?.headers));
        return fetch(input, init);
      },
    });
    await client.self();
    expect(seen[0]?.get("user-agent")).toBe("rackbeat-connector-woocommerce/0.1.0-test (dev@example.invalid)");
    expect(seen[0]?.get("consumer-contact")).toBe("dev@example.invalid");
    expect(seen[0]?.get("authorization")).toBe(`Bearer ${kit.sandbox.token}`);
    expect(seen[0]?.get("accept")).toBe("application/json");
  });

  it("accepts a list answered with 200 as well as 206", async () => {
    kit.sandbox.seedProducts([{ number: "LIST-200" }]);
    const client = createRackbeatClient({
      baseUrl: kit.sandbox.baseUrl,
      token: kit.sandbox.token,
      userAgent: USER_AGENT,
      rateGate: new SlidingWindowRateGate(),
      fetch: async (input, init) => {
        const real = await fetch(input, init);
        expect(real.status).toBe(206);
        return new Response(await real.text(), { status: 200, headers: real.headers });
      },
    });
    const page = await client.listProducts({ search: "LIST-200" });
    expect(page.items.map((p) => p.number)).toEqual(["LIST-200"]);
  });

  it("refuses to start without a contact", () => {
    expect(() =>
      createRackbeatClient({ token: "t", userAgent: { product: "x", version: "1", contact: " " }, rateGate: new SlidingWindowRateGate() }),
    ).toThrow(/contact/);
  });

  it("records metrics and never logs the token, even on failures and retries", async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString("utf8"));
        done();
      },
    });
    const metrics = new Metrics();
    const client = createRackbeatClient({
      baseUrl: kit.sandbox.baseUrl,
      token: kit.sandbox.token,
      userAgent: USER_AGENT,
      rateGate: new SlidingWindowRateGate(),
      backoff: { baseMs: 5, maxMs: 10 },
      logger: createLogger({ level: "debug", destination }),
      metrics,
    });
    kit.sandbox.injectFault({ kind: "status", status: 503, method: "GET", path: "/self", times: 1 });
    await client.self();
    await client.findProduct("NOPE");
    const text = lines.join("");
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(text).toContain("retrying");
    expect(text).not.toContain(kit.sandbox.token);
    const counted = await metrics.registry.getSingleMetricAsString("rbc_upstream_http_requests_total");
    expect(counted).toMatch(/upstream="rackbeat",status="503"} 1/);
    expect(counted).toMatch(/upstream="rackbeat",status="200"} 1/);
    expect(counted).toMatch(/upstream="rackbeat",status="404"} 1/);
  });
});
