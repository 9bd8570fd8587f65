/**
 * Secrets and personal data never reach the bridge's log, and secrets never reach an HTTP answer.
 * Runs representative flows over the Rackbeat and WooCommerce sandboxes with the bridge logging at
 * debug: pairing (real /v1/pair with the shop's WooCommerce keys), setting and testing the Rackbeat
 * token, events, an order export carrying the fixture customer's name, e-mail, phone and street
 * addresses, status/activity reads; then greps every log line and every answer.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OrdersKit, startOrdersKit } from "../orders/orders-kit.js";
import { type RawResponse, rawRequest, signed } from "./security-kit.js";

let kit: OrdersKit;
const answers: { what: string; response: RawResponse }[] = [];
const signatures: string[] = [];
let personal: string[] = [];

async function call(method: string, path: string, body?: unknown) {
  const raw = body === undefined ? "" : JSON.stringify(body);
  const headers = signed(kit.shopId, kit.shopSecret, method, path, raw);
  signatures.push(headers["x-rbc-signature"].slice(3));
  const response = await rawRequest(kit.bridge.url, method, path, { ...headers, ...(raw ? { "content-type": "application/json" } : {}) }, raw || undefined);
  answers.push({ what: `${method} ${path}`, response });
  if (response.status >= 400 && process.env.DEBUG_SEC) console.log(method, path, response.status, response.text);
  return response;
}

beforeAll(async () => {
  kit = await startOrdersKit({ shopName: "Log check shop" });
}, 120_000);
afterAll(async () => kit?.close());

describe("representative flows at debug level", () => {
  it("token set and test, events, an order export with personal data, reads", { timeout: 60_000 }, async () => {
    const token = await call("PUT", "/v1/account/rackbeat-token", { token: kit.rackbeat.token });
    expect(token.status).toBe(200);
    expect((await call("POST", "/v1/account/test")).status).toBe(200);
    // A wrong token too: its refusal is logged and answered, the token itself must be in neither.
    expect((await call("PUT", "/v1/account/rackbeat-token", { token: "wrong-token-0123456789abcdefghij" })).status).toBe(200);
    expect((await call("PUT", "/v1/account/rackbeat-token", { token: kit.rackbeat.token })).status).toBe(200);

    const placed = kit.place("B");
    for (const part of ["billing", "shipping"] as const) {
      const address = placed[part] as Record<string, string>;
      personal.push(...["first_name", "last_name", "email", "phone", "address_1", "address_2"].map((k) => address[k] ?? ""));
    }
    personal = [...new Set(personal.filter((v) => v.length >= 4))];
    expect(personal.length).toBeGreaterThanOrEqual(5);

    const event = { event_id: randomUUID(), seq: 1, topic: "order.created", resource_id: placed.id, occurred_at: new Date().toISOString() };
    expect((await call("POST", `/v1/shops/${kit.shopId}/events`, { events: [event] })).status).toBe(202);
    await kit.waitForIdle();
    expect(kit.rackbeatOrdersFor(placed.number as string)).toHaveLength(1);
    // An edit and a manual resend as well.
    const edit = { ...event, event_id: randomUUID(), seq: 2, topic: "order.updated" };
    expect((await call("POST", `/v1/shops/${kit.shopId}/events`, { events: [edit] })).status).toBe(202);
    expect((await call("POST", `/v1/shops/${kit.shopId}/orders/${placed.id}/send`)).status).toBeLessThan(300);
    await kit.waitForIdle();

    expect((await call("GET", `/v1/shops/${kit.shopId}/status`)).status).toBe(200);
    expect((await call("GET", `/v1/shops/${kit.shopId}/settings`)).status).toBe(200);
    const activity = await call("GET", `/v1/shops/${kit.shopId}/activity`);
    for (const record of (activity.json as { records: { id: number }[] }).records) await call("GET", `/v1/shops/${kit.shopId}/activity/${record.id}`);
    expect((await call("GET", `/v1/shops/${kit.shopId}/orders/preview`)).status).toBe(200);
    // A refused request's answer and log line too.
    await call("PUT", `/v1/shops/${kit.shopId}/settings`, { orders: { exportMode: kit.shopSecret } });
  });

  it("no log line carries a secret", () => {
    const log = kit.bridge.logText();
    expect(log.split("\n").length).toBeGreaterThan(20);
    expect(log).toMatch(/"level":"debug"/); // debug lines are there
    const woo = kit.bridge.ctx.shops.credentials(kit.shopId);
    return woo.then((credentials) => {
      const secrets = {
        shopSecret: kit.shopSecret,
        wcConsumerKey: credentials?.wcConsumerKey ?? "",
        wcConsumerSecret: credentials?.wcConsumerSecret ?? "",
        rackbeatToken: kit.rackbeat.token,
        wrongToken: "wrong-token-0123456789abcdefghij",
      };
      for (const [name, value] of Object.entries(secrets)) {
        expect(value.length, name).toBeGreaterThan(10);
        expect(log.includes(value), `${name} is in the log`).toBe(false);
      }
      // The keys' distinctive parts (a log that cut the ck_/cs_ prefix would still leak them).
      expect(log.includes(secrets.wcConsumerKey.slice(3))).toBe(false);
      expect(log.includes(secrets.wcConsumerSecret.slice(3))).toBe(false);
      for (const signature of signatures) expect(log.includes(signature), "a request signature is in the log").toBe(false);
      expect(log).not.toMatch(/oauth_signature=|oauth_consumer_key=|authorization/i);
    });
  });

  it("no log line carries the customer's name, e-mail, phone or street address", () => {
    const log = kit.bridge.logText();
    for (const value of personal) expect(log.includes(value), `personal data "${value}" is in the log`).toBe(false);
    expect(log).not.toMatch(/[\w.+-]+@[\w-]+\.[a-z]{2,}/i);
  });

  it("no HTTP answer carries a secret", async () => {
    const credentials = await kit.bridge.ctx.shops.credentials(kit.shopId);
    const secrets = [kit.shopSecret, credentials?.wcConsumerKey ?? "x", credentials?.wcConsumerSecret ?? "x", kit.rackbeat.token, ...signatures];
    expect(answers.length).toBeGreaterThan(8);
    for (const { what, response } of answers) for (const secret of secrets) expect(response.text.includes(secret), `${what} answers a secret`).toBe(false);
  });
});
