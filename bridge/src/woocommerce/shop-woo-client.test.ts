import { describe, expect, it } from "vitest";
import { WooShopNotConnected } from "./woo-errors.js";
import { type WooClientContext, wooClientFor } from "./shop-woo-client.js";

function fakeContext(shops: Record<string, { url: string; key: string; secret: string } | undefined>): WooClientContext {
  return {
    shops: {
      get: async (id: string) => (shops[id] ? { id, url: shops[id].url } : undefined),
      credentials: async (id: string) => (shops[id] ? { shopSecret: "s", wcConsumerKey: shops[id].key, wcConsumerSecret: shops[id].secret } : undefined),
    },
    config: { WOOCOMMERCE_TIMEOUT_MS: 1_000 },
    metrics: { recordUpstreamCall: () => undefined },
    log: { warn: () => undefined },
  } as unknown as WooClientContext;
}

describe("wooClientFor", () => {
  it("gives one client per shop and credentials, a new one after re-pairing or a URL change", async () => {
    const shops: Record<string, { url: string; key: string; secret: string } | undefined> = {
      a: { url: "http://shop-a.test", key: "ck_a", secret: "cs_a" },
      b: { url: "http://shop-b.test", key: "ck_b", secret: "cs_b" },
    };
    const ctx = fakeContext(shops);
    const first = await wooClientFor(ctx, "a");
    expect(await wooClientFor(ctx, "a")).toBe(first);
    expect(first.url).toBe("http://shop-a.test");
    expect(await wooClientFor(ctx, "b")).not.toBe(first);

    shops.a = { url: "http://shop-a.test", key: "ck_a", secret: "cs_new" };
    const repaired = await wooClientFor(ctx, "a");
    expect(repaired).not.toBe(first);
    shops.a = { url: "http://shop-a.test/store", key: "ck_a", secret: "cs_new" };
    const moved = await wooClientFor(ctx, "a");
    expect(moved).not.toBe(repaired);
    expect(moved.url).toBe("http://shop-a.test/store");

    // Another bridge context does not share clients.
    expect(await wooClientFor(fakeContext(shops), "a")).not.toBe(moved);
  });

  it("refuses unknown or disconnected shops with WooShopNotConnected", async () => {
    const ctx = fakeContext({ gone: undefined });
    await expect(wooClientFor(ctx, "gone")).rejects.toBeInstanceOf(WooShopNotConnected);
  });
});
