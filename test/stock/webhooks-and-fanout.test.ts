import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { type StockKit, eventually, sleep, startStockKit } from "./stock-kit.js";

const rbWrites = (kit: StockKit) =>
  Object.entries(kit.rackbeat.stats().byRoute)
    .filter(([route]) => /^(POST|PUT|DELETE) /.test(route) && !route.includes("/webhooks"))
    .reduce((n, [, c]) => n + c, 0);

/** No job waits or runs (read from the store, so a job just claimed counts as running). */
const jobsSettled = async (kit: StockKit) => {
  const stats = await kit.bridge.ctx.queue.stats();
  return stats.waiting === 0 && stats.running === 0;
};

describe("stock: Rackbeat webhooks → every shop", () => {
  let kit: StockKit | undefined;
  afterEach(async () => {
    await kit?.close();
    kit = undefined;
  });

  async function registered(k: StockKit) {
    const response = await k.signed(k.shops[0]!, "POST", "/v1/account/rackbeat-webhooks");
    expect(response.status).toBe(200);
    return (await response.json()) as { mode: string; hooks: { event: string }[] };
  }

  it("registers idempotently, fans a change out to every shop (variations too, manage_stock on) and refuses wrong tokens", async () => {
    kit = await startStockKit({ products: { A: 10, B: 3, V1: 7 }, variationSkus: ["V1"], settings: { 1: { stock: { buffer: 2 } } } });
    const first = await registered(kit);
    expect(first.mode).toBe("webhooks");
    expect(first.hooks.map((h) => h.event).sort()).toEqual(["inventory.changed", "product.created"]);
    const again = await registered(kit);
    expect(again.hooks).toEqual(first.hooks);
    expect(kit.rackbeat.listWebhooks()).toHaveLength(2);

    // The first reconcile links SKUs to products and writes every figure.
    for (const shop of kit.shops) expect((await kit.signed(shop, "POST", `/v1/shops/${shop.shopId}/reconcile/stock/fix`, {})).status).toBe(200);
    await kit.stock.fanout.idle();
    for (const [i, shop] of kit.shops.entries()) {
      const buffer = i === 1 ? 2 : 0;
      expect(kit.shopValue(shop, "A")).toBe(10 - buffer);
      expect(kit.shopValue(shop, "B")).toBe(3 - buffer);
      expect(kit.shopValue(shop, "V1")).toBe(7 - buffer);
    }

    kit.rackbeat.setStock("A", 4);
    kit.rackbeat.setStock("V1", 1);
    await eventually(() => kit!.shops.every((s, i) => kit!.shopValue(s, "A") === 4 - (i === 1 ? 2 : 0) && kit!.shopValue(s, "V1") === Math.max(0, 1 - (i === 1 ? 2 : 0))), "A and V1 fanned out");
    const variationCalls = kit.shops[0]!.woo.requests().filter((r) => r.method === "POST" && /variations\/batch$/.test(r.route));
    expect(variationCalls.length).toBeGreaterThan(0);
    // Every REST call the bridge made to the plain-HTTP shops was OAuth-signed and accepted (Basic auth is refused there).
    for (const shop of kit.shops) {
      const calls = shop.woo.requests().filter((r) => r.route.startsWith("/wc/v3/"));
      expect(calls.length).toBeGreaterThan(0);
      expect(calls.filter((r) => r.https || r.auth !== "oauth1" || r.status >= 400)).toEqual([]);
    }

    // A wrong token is refused and stores nothing.
    const jobsBefore = await kit.bridge.ctx.store.db.selectFrom("jobs").select("id").execute();
    for (const token of ["x".repeat(32), "", "short"]) {
      const response = await fetch(`${kit.bridge.url}/v1/rackbeat/webhooks`, {
        method: "POST",
        headers: { "content-type": "application/json", "Rackbeat-Webhook-Token": token, "Rackbeat-Webhook-Event": "inventory.changed" },
        body: JSON.stringify({ key_name: "number", key: "A" }),
      });
      expect(response.status).toBe(401);
    }
    expect(await kit.bridge.ctx.store.db.selectFrom("jobs").select("id").execute()).toHaveLength(jobsBefore.length);
  });

  it("duplicate and out-of-order deliveries change nothing; the bridge's writes do not echo", async () => {
    kit = await startStockKit({ products: { A: 10, B: 5 }, shops: 2 });
    await registered(kit);
    for (const shop of kit.shops) await kit.signed(shop, "POST", `/v1/shops/${shop.shopId}/reconcile/stock/fix`, {});
    await kit.stock.fanout.idle();
    kit.rackbeat.configure({ webhookFaults: { duplicates: 3, reorderWindowMs: 40 } });

    // Several changes in a row, delivered newest first and four times each.
    for (const q of [9, 8, 7, 6]) kit.rackbeat.setStock("A", q);
    await kit.rackbeat.webhooksIdle();
    await eventually(async () => jobsSettled(kit!), "jobs done");
    await kit.stock.fanout.idle();
    for (const shop of kit.shops) expect(kit.shopValue(shop, "A")).toBe(6);
    const writesAfter = kit.shops.map((s) => s.woo.writeCount(s.ids.get("A")!));

    // The same deliveries again, late: nothing changes, nothing is written.
    for (let i = 0; i < 3; i++) kit.rackbeat.emitWebhookEvent("inventory.changed", "A");
    await kit.rackbeat.webhooksIdle();
    await eventually(async () => jobsSettled(kit!), "jobs done");
    await sleep(100);
    await kit.stock.fanout.idle();
    expect(kit.shops.map((s) => s.woo.writeCount(s.ids.get("A")!))).toEqual(writesAfter);
    expect(kit.shops.map((s) => kit!.shopValue(s, "A"))).toEqual([6, 6]);

    // The plugin reports the bridge's own write back as a stock event: no Rackbeat write, no shop write.
    const rackbeatWritesBefore = rbWrites(kit);
    const shop = kit.shops[0]!;
    const events = { events: [{ event_id: randomUUID(), topic: "stock.changed", resource_id: shop.ids.get("A")!, occurred_at: new Date().toISOString() }] };
    expect((await kit.signed(shop, "POST", `/v1/shops/${shop.shopId}/events`, events)).status).toBe(202);
    await eventually(async () => jobsSettled(kit!), "event handled");
    await sleep(100);
    const job = await kit.bridge.ctx.store.db.selectFrom("jobs").select(["state", "last_error"]).where("kind", "=", "event:stock.changed").executeTakeFirstOrThrow();
    expect(job.state).toBe("skipped");
    expect(job.last_error).toMatch(/echo/);
    expect(rbWrites(kit)).toBe(rackbeatWritesBefore);
    expect(kit.shops.map((s) => s.woo.writeCount(s.ids.get("A")!))).toEqual(writesAfter);
  });

  it("polling mode converges without PUBLIC_URL, and the status says why", async () => {
    kit = await startStockKit({ products: { A: 10, B: 5 }, shops: 2, publicUrl: false, stock: { pollEveryMs: 50 } });
    for (const shop of kit.shops) await kit.signed(shop, "POST", `/v1/shops/${shop.shopId}/reconcile/stock/fix`, {});
    const status = (await (await kit.signed(kit.shops[0]!, "GET", `/v1/shops/${kit.shops[0]!.shopId}/status`)).json()) as { stock: { mode: string; reason: string; linked_skus: number } };
    const part = status.stock;
    expect(part.linked_skus).toBe(2);
    expect(part.mode).toBe("polling");
    expect(part.reason).toMatch(/PUBLIC_URL/);

    await kit.bridge.runTask("stock-poll");
    kit.rackbeat.setStock("A", 2);
    kit.rackbeat.setStock("B", 11);
    await sleep(1_100); // Rackbeat's updated_at has whole seconds
    await eventually(async () => {
      await kit!.bridge.runTask("stock-poll");
      await kit!.stock.fanout.idle();
      return kit!.shops.every((s) => kit!.shopValue(s, "A") === 2 && kit!.shopValue(s, "B") === 11);
    }, "polled figures reach every shop");
    expect(kit.rackbeat.webhookDeliveries()).toHaveLength(0);
  });

  it("re-registers a webhook whose deliveries keep failing, and polls meanwhile", async () => {
    kit = await startStockKit({ products: { A: 10 }, shops: 1, rackbeat: { webhookRetry: { baseMs: 5, maxAttempts: 1 } } });
    await registered(kit);
    const hook = kit.rackbeat.state.webhooks.values().next().value!;
    hook.failures_since_last_success = 5;
    const health = await registered(kit);
    expect(health.mode).toBe("polling");
    expect((health as unknown as { reregistered: string[] }).reregistered.length).toBeGreaterThan(0);
    expect(kit.rackbeat.listWebhooks().every((w) => w.failures_since_last_success === 0)).toBe(true);
    const healthy = await registered(kit);
    expect(healthy.mode).toBe("webhooks");
  });

  it("registers the webhooks by itself soon after pairing (the polling task), then stops polling", async () => {
    kit = await startStockKit({ products: { A: 3 }, shops: 1 });
    expect(kit.rackbeat.listWebhooks()).toHaveLength(0);
    expect((await kit.stock.mode()).mode).toBe("polling");
    await kit.bridge.runTask("stock-poll");
    expect(kit.rackbeat.listWebhooks().map((w) => w.event).sort()).toEqual(["inventory.changed", "product.created"]);
    expect((await kit.stock.mode()).mode).toBe("webhooks");
  });

  it("lists the account's shops with role and last contact, nothing personal", async () => {
    kit = await startStockKit({ products: { A: 1 }, shops: 2 });
    // The first shop masters products; the other receives stock.
    const first = kit.shops[0]!;
    const settingsPath = `/v1/shops/${first.shopId}/settings`;
    const current = ((await (await kit.signed(first, "GET", settingsPath)).json()) as { settings: Record<string, any> }).settings;
    const saved = await kit.signed(first, "PUT", settingsPath, { ...current, products: { ...current.products, master: "woo_to_rackbeat" } });
    expect(saved.status).toBe(200);
    const response = await kit.signed(kit.shops[1]!, "GET", "/v1/account/shops");
    expect(response.status).toBe(200);
    const body = (await response.json()) as { shops: Record<string, unknown>[] };
    expect(body.shops.map((s) => s.id)).toEqual(kit.shops.map((s) => s.shopId));
    for (const s of body.shops) {
      expect(Object.keys(s).sort()).toEqual(["connected", "id", "last_contact_at", "name", "paired_at", "product_master", "role", "stock", "url"]);
      expect(JSON.stringify(s)).not.toMatch(/ck_|cs_|secret/);
    }
    expect(body.shops.map((s) => s.product_master)).toEqual(["woo_to_rackbeat", null]);
  });
});
