/**
 * Drill: two of three shops unreachable while Rackbeat's stock changes — one drops every connection
 * (WordPress host down), one answers 503 to everything (PHP fatal, maintenance page). The reachable
 * shop gets the figures at once; the others get them when they are back, without any other figure
 * being written on the way.
 */
import { afterAll, describe, expect, it } from "vitest";
import { defaultStoreKind } from "../postgres/test-databases.js";
import { type StockKit, startStockKit } from "../stock/stock-kit.js";
import { reportDrill, sleep, stockTally, waitFor } from "./drill-kit.js";

const SKUS = Array.from({ length: 100 }, (_, i) => `W-${String(i).padStart(3, "0")}`);
const START = 40;

describe(`drill: WooCommerce unreachable while stock changes (${defaultStoreKind.name})`, () => {
  let kit: StockKit | undefined;
  afterAll(async () => {
    await kit?.close();
  });

  it("every shop converges to Rackbeat's figures once it is reachable again", async () => {
    kit = await startStockKit({ products: Object.fromEntries(SKUS.map((sku) => [sku, START])), shops: 3 });
    const k = kit;
    const webhooks = await k.signed(k.shops[0]!, "POST", "/v1/account/rackbeat-webhooks");
    expect(((await webhooks.json()) as { mode: string }).mode).toBe("webhooks");
    for (const shop of k.shops) expect((await k.signed(shop, "POST", `/v1/shops/${shop.shopId}/reconcile/stock/fix`, {})).status).toBe(200);
    await k.stock.fanout.idle();
    expect(k.shops.every((s) => SKUS.every((sku) => k.shopValue(s, sku) === START))).toBe(true);

    const [up, dropped, failing] = k.shops as [StockKit["shops"][0], StockKit["shops"][0], StockKit["shops"][0]];
    dropped.woo.injectFault({ kind: "reset", times: Infinity });
    failing.woo.injectFault({ kind: "status", status: 503, times: Infinity });
    const failedBefore = k.stock.fanout.stats.failedCalls;
    const since = Date.now();
    const expected = new Map(SKUS.map((sku, i) => [sku, START - 1 - (i % 25)]));
    for (const [sku, figure] of expected) k.rackbeat.setStock(sku, figure);
    const converged = (shop: StockKit["shops"][0]) => [...expected].filter(([sku, want]) => k.shopValue(shop, sku) === want).length;

    await waitFor(() => converged(up) === SKUS.length, "the reachable shop at Rackbeat's figures");
    // The others stay unreachable a while longer: the fan-out keeps failing and retrying.
    await waitFor(() => k.stock.fanout.stats.failedCalls - failedBefore >= 4, "failed writes to the unreachable shops");
    await sleep(1_500);
    const whileDown = converged(dropped) + converged(failing);
    const failedCalls = k.stock.fanout.stats.failedCalls - failedBefore;
    dropped.woo.clearFaults();
    failing.woo.clearFaults();

    await waitFor(() => k.shops.every((s) => converged(s) === SKUS.length), "every shop at Rackbeat's figures", 30_000);
    await k.stock.fanout.idle();
    reportDrill("woo-unreachable-stock", stockTally(k.shops, expected, since), { converged_while_down: whileDown, failed_calls: failedCalls });
    expect(whileDown).toBe(0);
  }, 90_000);
});
