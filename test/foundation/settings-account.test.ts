import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RackbeatSandbox, startRackbeatSandbox } from "../sandboxes/rackbeat/index.js";
import { type TestBridge, startTestBridge } from "../helpers/bridge.js";
import { defaultStoreKind } from "../postgres/test-databases.js";

let rackbeat: RackbeatSandbox;
let bridge: TestBridge;
let shop: { shopId: string; shopSecret: string };
const TOKEN = "rb-test-token-0123456789abcdefghijklmnop";

// Settings and the account on this run's engine (one per vitest project), each bridge on a fresh store.
describe.each([defaultStoreKind])("settings and account on $name", (kind) => {
  beforeAll(async () => {
    rackbeat = await startRackbeatSandbox({ tokens: [TOKEN], account: { id: 4711, companyName: "Nordic Gear ApS" } });
    bridge = await startTestBridge({ runWorkers: false, store: kind, env: { RACKBEAT_BASE_URL: rackbeat.baseUrl } });
    shop = await bridge.pairShop();
  });
  afterAll(async () => {
    await bridge.close();
    await rackbeat.close();
  });

  describe("shop settings (GET/PUT /v1/shops/{shop}/settings)", () => {
    it("a new shop has the defaults of design.md §3, transferring orders from the pairing date", async () => {
      const response = await bridge.signedFetch(shop.shopId, shop.shopSecret, "GET", `/v1/shops/${shop.shopId}/settings`);
      const { settings } = (await response.json()) as { settings: Record<string, any> };
      expect(settings.orders.exportMode).toBe("automatic");
      expect(settings.orders.transferOnStatuses).toEqual(["processing", "completed"]);
      expect(settings.orders.transferOrdersCreatedFrom).toBe(new Date().toISOString().slice(0, 10));
      expect(settings.products.master).toBe("off");
      expect(settings.stock.buffer).toBe(0);
    });

    it("saves a valid change and refuses an invalid one with paths, keeping the old settings", async () => {
      const path = `/v1/shops/${shop.shopId}/settings`;
      const current = ((await (await bridge.signedFetch(shop.shopId, shop.shopSecret, "GET", path)).json()) as { settings: any }).settings;
      const changed = { ...current, orders: { ...current.orders, rackbeatOrderState: "draft" }, stock: { ...current.stock, buffer: 2 } };
      const saved = await bridge.signedFetch(shop.shopId, shop.shopSecret, "PUT", path, changed);
      expect(saved.status).toBe(200);
      const bad = await bridge.signedFetch(shop.shopId, shop.shopSecret, "PUT", path, {
        ...changed,
        orders: { ...changed.orders, exportMode: "sometimes" },
        stock: { ...changed.stock, buffer: -1 },
      });
      expect(bad.status).toBe(400);
      const body = (await bad.json()) as { error: string; message: string; details: { path: string }[] };
      expect(body.error).toBe("invalid_settings");
      expect(body.details.map((d) => d.path).sort()).toEqual(["orders.exportMode", "stock.buffer"]);
      expect(body.message).toContain("exportMode");
      const after = ((await (await bridge.signedFetch(shop.shopId, shop.shopSecret, "GET", path)).json()) as { settings: any }).settings;
      expect(after.orders.rackbeatOrderState).toBe("draft");
      expect(after.stock.buffer).toBe(2);
    });
  });

  describe("Rackbeat token (PUT /v1/account/rackbeat-token, POST /v1/account/test)", () => {
    it("test without a token says so", async () => {
      const response = await bridge.signedFetch(shop.shopId, shop.shopSecret, "POST", "/v1/account/test");
      expect(response.status).toBe(409);
      expect(((await response.json()) as { error: string }).error).toBe("token_missing");
    });

    it("a wrong token is saved but reported invalid; the right one names the account; the token is never returned or logged", async () => {
      const wrong = await bridge.signedFetch(shop.shopId, shop.shopSecret, "PUT", "/v1/account/rackbeat-token", {
        token: "wrong-token-0123456789abcdefghij",
      });
      expect(await wrong.json()).toMatchObject({ saved: true, valid: false, reason: expect.stringContaining("refused the token") });
      const right = await bridge.signedFetch(shop.shopId, shop.shopSecret, "PUT", "/v1/account/rackbeat-token", { token: TOKEN });
      const body = await right.text();
      expect(JSON.parse(body)).toMatchObject({ saved: true, valid: true, account_id: 4711, account_name: "Nordic Gear ApS" });
      expect(body).not.toContain(TOKEN);
      const test = await bridge.signedFetch(shop.shopId, shop.shopSecret, "POST", "/v1/account/test");
      expect(await test.json()).toMatchObject({ valid: true, account_name: "Nordic Gear ApS" });
      const status = await bridge.signedFetch(shop.shopId, shop.shopSecret, "GET", `/v1/shops/${shop.shopId}/status`);
      const statusText = await status.text();
      expect(JSON.parse(statusText).rackbeat).toMatchObject({ token_set: true, valid: true, account_name: "Nordic Gear ApS" });
      expect(statusText).not.toContain(TOKEN);
      expect(bridge.logText()).not.toContain(TOKEN);
      // Sealed at rest: the plain token is not in the database file.
      const row = await bridge.ctx.store.db.selectFrom("account").select("value").where("key", "=", "rackbeat.token").executeTakeFirst();
      expect(row?.value).not.toContain(TOKEN);
    });

    it("refuses a token that is obviously not one", async () => {
      const response = await bridge.signedFetch(shop.shopId, shop.shopSecret, "PUT", "/v1/account/rackbeat-token", { token: "x" });
      expect(response.status).toBe(400);
    });
  });
});
