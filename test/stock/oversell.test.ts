/**
 * Three shops, one Rackbeat account: 200 concurrent orders for low-stock SKUs spread over the shops
 * while Rackbeat also receives stock adjustments, with plugin → bridge delivery delays of 0, 5 and
 * 60 seconds.
 *
 * Time is scaled 1:100 so the suite stays fast: a delay of 5 s is 50 ms here, 60 s is 600 ms, and
 * the exporter's own time between hearing of an order and Rackbeat booking it (a minute for
 * Rackbeat's own integration) is 1–2 s. The test plays the plugin and the orders exporter:
 * a shop sells only what it shows (WooCommerce decrements its own stock at checkout), the order
 * event reaches the bridge after the delay (`reservations.start`, as the exporter will call it),
 * the order is booked in Rackbeat through its API, then `reservations.settle`.
 *
 * Sampled every few ms: no shop may show more than Rackbeat's available minus the orders in flight
 * (those the bridge has heard of and Rackbeat does not include yet) minus the shop's buffer — taking
 * the highest such bound over the last ALLOWANCE_MS, the time a change needs to travel (webhook,
 * read, write). An order in flight lasts longer than that allowance, so a figure that ignored one
 * would be caught.
 */
import { afterEach, describe, expect, it } from "vitest";
import { defaultStoreKind } from "../postgres/test-databases.js";
import { type KitShop, type StockKit, eventually, sleep, startStockKit } from "./stock-kit.js";

const SCALE = 0.01;
/**
 * On SQLite a reservation and a fan-out are a few statements in the process (microseconds); on
 * PostgreSQL each is several network round trips on the bridge's pool of 10 connections. 200
 * orders within 0.4 s (500 a second, all at once: the test calls the reservations directly, without
 * the exporter's worker limit) queue there for about the allowance itself. So on PostgreSQL the
 * orders arrive over 2 s (still about 150 in flight at once) and a change may take 1 s (100 s of
 * real time at this scale) to reach the shops; an order stays in flight twice that or longer, so a
 * figure that ignored one is still caught.
 */
const ON_POSTGRES = defaultStoreKind.name === "postgres";
const ALLOWANCE_MS = Number(process.env.STOCK_ALLOWANCE ?? (ON_POSTGRES ? 1_000 : 500));
const ORDERS_OVER_MS = ON_POSTGRES ? 2_000 : 400;
/** The exporter's time from hearing of an order to Rackbeat booking it: longer than the allowance. */
const EXPORT_MS = 2 * ALLOWANCE_MS;
const SKUS = ["LOW-1", "LOW-2", "LOW-3", "LOW-4", "LOW-5", "LOW-6"];
const BUFFERS = [0, 1, 0];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe("stock: concurrent orders over three shops never oversell", () => {
  let kit: StockKit | undefined;
  afterEach(async () => {
    await kit?.close();
    kit = undefined;
  });

  for (const delaySeconds of [0, 5, 60]) {
    it(`converges with a plugin → bridge delay of ${delaySeconds} s (scaled ${delaySeconds * 1000 * SCALE} ms)`, async () => {
      const random = rng(42 + delaySeconds);
      kit = await startStockKit({
        products: Object.fromEntries(SKUS.map((s) => [s, 14])),
        settings: { 1: { stock: { buffer: BUFFERS[1] } } },
      });
      const k = kit;
      await k.signed(k.shops[0]!, "POST", "/v1/account/rackbeat-webhooks");
      for (const shop of k.shops) await k.signed(shop, "POST", `/v1/shops/${shop.shopId}/reconcile/stock/fix`, {});
      await k.stock.fanout.idle();

      // Orders in flight as the exporter sees them: heard of by the bridge, not booked in Rackbeat.
      const inFlight = new Map<string, number>(SKUS.map((s) => [s, 0]));
      const history = new Map<string, { at: number; value: number }[]>(SKUS.map((s) => [s, []]));
      const available = (sku: string) => Number(k.rackbeat.getProduct(sku)!.available_quantity);
      const recordBound = (sku: string) => history.get(sku)!.push({ at: performance.now(), value: available(sku) - inFlight.get(sku)! });
      SKUS.forEach(recordBound);

      const violations: string[] = [];
      let samples = 0;
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          const now = performance.now();
          for (const sku of SKUS) {
            recordBound(sku);
            const recent = history.get(sku)!.filter((h) => h.at >= now - ALLOWANCE_MS);
            const bound = Math.max(...recent.map((h) => h.value));
            for (const [i, shop] of k.shops.entries()) {
              const shown = k.shopValue(shop, sku) ?? 0;
              const limit = Math.max(0, Math.floor(bound - BUFFERS[i]!));
              if (shown > limit) violations.push(`${shop.shopId} ${sku}: shows ${shown}, bound ${limit}`);
            }
          }
          samples++;
          await sleep(3);
        }
      })();

      let nextOrderId = 1000;
      let placed = 0;
      let soldOut = 0;
      const order = async (shop: KitShop, sku: string, quantity: number, startAfterMs: number) => {
        await sleep(startAfterMs);
        const id = shop.ids.get(sku)!;
        const shown = k.shopValue(shop, sku) ?? 0;
        if (shown < quantity) {
          soldOut++;
          return;
        }
        // WooCommerce's own decrement at checkout (atomic in WooCommerce).
        shop.woo.setStock(id, shown - quantity);
        placed++;
        const wooOrderId = nextOrderId++;
        const occurredAt = Date.now();
        await sleep(delaySeconds * 1000 * SCALE * (0.8 + 0.4 * random()));
        inFlight.set(sku, inFlight.get(sku)! + quantity);
        recordBound(sku);
        await k.stock.reservations.start(shop.shopId, wooOrderId, [{ sku, quantity }], { occurredAt });
        await sleep(EXPORT_MS + EXPORT_MS * random());
        const created = await k.client.createOrder({ customer_id: k.customer, lines: [{ item_id: sku, quantity }] });
        await k.stock.reservations.settle(shop.shopId, wooOrderId, { rackbeatOrderNumber: created.number, state: "booked" });
        inFlight.set(sku, inFlight.get(sku)! - quantity);
        recordBound(sku);
      };

      const adjustments = (async () => {
        for (let i = 0; i < 20; i++) {
          await sleep(40);
          const sku = SKUS[Math.floor(random() * SKUS.length)]!;
          const onHand = Number(k.rackbeat.getProduct(sku)!.stock_quantity);
          const next = Math.max(0, onHand + Math.floor(random() * 7) - 3);
          if (next !== onHand) {
            k.rackbeat.setStock(sku, next);
            recordBound(sku);
          }
        }
      })();

      const orders: Promise<void>[] = [];
      for (let i = 0; i < 200; i++) {
        const shop = k.shops[Math.floor(random() * k.shops.length)]!;
        const sku = SKUS[Math.floor(random() * SKUS.length)]!;
        orders.push(order(shop, sku, 1 + Math.floor(random() * 2), random() * ORDERS_OVER_MS));
      }
      await Promise.all([...orders, adjustments]);
      await k.rackbeat.webhooksIdle();
      await eventually(async () => (await k.bridge.ctx.queue.stats()).waiting === 0 && k.bridge.runner.activeJobs === 0, "webhook jobs done");
      await k.stock.fanout.idle();
      await sleep(ALLOWANCE_MS);
      sampling = false;
      await sampler;

      expect(placed).toBeGreaterThan(40);
      expect(soldOut).toBeGreaterThan(0); // the SKUs really ran low
      expect(samples).toBeGreaterThan(50);
      if (process.env.STOCK_DEBUG) console.log(k.bridge.logLines.filter((l) => Number(l.level) >= 40).slice(0, 10), k.stock.fanout.stats, violations.length);
      expect(violations.slice(0, 5)).toEqual([]);
      for (const [i, shop] of k.shops.entries()) {
        for (const sku of SKUS) {
          const expected = Math.max(0, Math.floor(available(sku) - BUFFERS[i]!));
          expect({ shop: i, sku, shows: k.shopValue(shop, sku) }).toEqual({ shop: i, sku, shows: expected });
        }
      }
      expect(await k.stock.store.openReservationCount()).toBe(0);
    }, 60_000);
  }
});
