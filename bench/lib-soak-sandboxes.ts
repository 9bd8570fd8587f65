/**
 * The soak's part of the sandboxes' process (bench/soak.ts forks lib-orders-sandboxes.ts with
 * SOAK_SKUS set, which adds these operations to its own). Runs beside the orders benchmark's
 * Rackbeat sandbox and shops:
 *
 *   - SOAK_SKUS products (SOAK-0000 …) in Rackbeat and in every shop: same stock, names and prices,
 *     stock managed; WOO_LATENCY_MS on every shop call;
 *   connect { shop, shopId, secret, bridgeUrl } → pairs the shop's plugin outbox double
 *   placeSoak { n, prefix } → an order of 1–3 soak SKUs in shop n % shops, status processing; its
 *                 order.created event recorded in the shop's outbox and pushed as the plugin
 *                 pushes (one in ten followed by an order.updated 2 s later); { id, reference, at }
 *   shopsCut { cut } → the shops' pushes fail while cut (the bridge's outbox pull must fetch them)
 *   outbox → per shop: events not acknowledged, push failures, pulls served
 *   adjustStock → a stock change in Rackbeat on a soak SKU that no measurement or recent order
 *                 holds, timed until every shop got a stock write for it ({ sku } or null)
 *   editProduct → a product edit in Rackbeat (name and sales price; product.updated fires)
 *   shipSome { olderThanMs, share } → ships that share of the booked orders older than that
 *   rackbeatFault { rule } / clearRackbeatFaults, webhookFaults { duplicates, reorderWindowMs },
 *   wooFault { shop, fault } / clearWooFaults { shop } → the sandboxes' own fault controls
 *   webhooksIdle, stockLatencies, trim (drops the request and write logs the sandboxes keep)
 *   verify → every shop's stock and name per soak SKU against Rackbeat's (available figure), and
 *            the Rackbeat orders noted as edited after booking (none is: each would be a false alarm)
 */
import type { RackbeatSandbox } from "../test/sandboxes/rackbeat/index.js";
import type { FaultRule } from "../test/sandboxes/rackbeat/sandbox-faults.js";
import type { FaultSpec } from "../test/sandboxes/woocommerce/faults.js";
import { FIXTURE_ADDRESSES } from "../test/sandboxes/woocommerce/fixture-shop.js";
import type { WooSandbox } from "../test/sandboxes/woocommerce/index.js";

/** Changes on a SKU an order touched this recently are not timed: the writes may be the order's. */
const ORDER_QUIET_MS = 30_000;
const WHO = ["dkGuest", "dkCompany"] as const;
const now = () => performance.timeOrigin + performance.now();

export function soakOps(rackbeat: RackbeatSandbox, woos: WooSandbox[]): Record<string, (args: any) => unknown> {
  const skuCount = Number(process.env.SOAK_SKUS ?? 200);
  const wooLatencyMs = Number(process.env.WOO_LATENCY_MS ?? 0);
  let seed = Number(process.env.SOAK_SEED ?? 11);
  const random = () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

  const skus = Array.from({ length: skuCount }, (_, i) => `SOAK-${String(i).padStart(4, "0")}`);
  const catalogue = skus.map((number, i) => ({ number, name: `Soak product ${i}`, sales_price: 20 + Math.floor(random() * 400), stock: 800 + Math.floor(random() * 800) }));
  rackbeat.seedProducts(catalogue);
  for (const woo of woos) {
    for (const p of catalogue) woo.seedProduct({ sku: p.number, name: p.name, regularPrice: p.sales_price.toFixed(2), taxClass: "", manageStock: true, stockQuantity: p.stock });
    if (wooLatencyMs > 0) woo.injectFault({ kind: "latency", ms: wooLatencyMs, times: Infinity });
  }

  // Rackbeat orders not shipped yet, oldest first.
  const unshipped: { number: number; at: number }[] = [];
  const state = rackbeat.state as unknown as { createOrder: (...args: unknown[]) => { number: number } };
  const createOrder = state.createOrder;
  state.createOrder = (...args: unknown[]) => {
    const order = createOrder(...args);
    unshipped.push({ number: order.number, at: now() });
    return order;
  };

  // Stock changes being timed: SKU → when Rackbeat changed it and the shops not written since.
  const measuring = new Map<string, { at: number; pending: Set<number> }>();
  const orderTouched = new Map<string, number>();
  const latencies: number[] = [];
  let excluded = 0;
  for (const [i, woo] of woos.entries()) {
    const shop = woo.shop;
    const setStock = shop.setStock.bind(shop);
    shop.setStock = (product, quantity, cause, orderId) => {
      setStock(product, quantity, cause, orderId);
      if (cause !== "rest") return;
      const m = measuring.get(product.sku);
      if (!m) return;
      m.pending.delete(i);
      if (m.pending.size > 0) return;
      measuring.delete(product.sku);
      latencies.push(now() - m.at);
    };
  }
  let edits = 0;

  // The plugin's delivery runner: one push at a time per shop, again when events came meanwhile.
  const bridgeUrls = new Map<number, string>();
  const pushing = new Map<number, Promise<void>>();
  const pushAgain = new Set<number>();
  const push = (shop: number): void => {
    if (pushing.has(shop)) {
      pushAgain.add(shop);
      return;
    }
    const run = (async () => {
      do {
        pushAgain.delete(shop);
        await woos[shop]!.plugin.push();
      } while (pushAgain.has(shop));
    })().finally(() => pushing.delete(shop));
    pushing.set(shop, run);
  };
  const record = (shop: number, topic: string, id: number) => {
    woos[shop]!.plugin.record({ topic, resource_id: id });
    push(shop);
  };

  return {
    connect({ shop, shopId, secret, bridgeUrl }: { shop: number; shopId: string; secret: string; bridgeUrl: string }) {
      bridgeUrls.set(shop, bridgeUrl);
      woos[shop]!.plugin.connect({ shopId, secret, bridgeUrl });
    },

    shopsCut({ cut }: { cut: boolean }) {
      // A port nothing listens on: the plugin's POSTs are refused and its rows stay in the outbox.
      for (const [shop, url] of bridgeUrls) woos[shop]!.plugin.setBridgeUrl(cut ? "http://127.0.0.1:9" : url);
      if (!cut) for (const shop of bridgeUrls.keys()) push(shop);
    },

    outbox: () => woos.map((woo) => ({ pending: woo.plugin.pending(), push_failures: woo.plugin.stats.pushFailures, pulls: woo.plugin.stats.pulls })),

    placeSoak({ n, prefix }: { n: number; prefix: string }) {
      const shop = n % woos.length;
      const lines = new Map<string, number>();
      const count = 1 + Math.floor(random() * 3);
      while (lines.size < count) lines.set(pick(skus), 1 + Math.floor(random() * 3));
      const address = FIXTURE_ADDRESSES[WHO[n % WHO.length]!];
      // 50 returning customers: the first order of each creates it in Rackbeat, later ones match it.
      const placed = woos[shop]!.placeOrder({
        via: "rest-api",
        lines: [...lines].map(([sku, quantity]) => ({ sku, quantity })),
        coupons: n % 5 === 0 ? ["pct15"] : [],
        billing: { ...address.billing, email: `kunde${n % 50}@soak.example` },
        shipping: { ...address.shipping },
        shippingMethod: "zone",
        paymentMethod: "cod",
        paymentMethodTitle: "Cash on delivery",
      }) as { id: number; number: string };
      woos[shop]!.setOrderStatus(placed.id, "processing");
      const at = now();
      record(shop, "order.created", placed.id);
      if (n % 10 === 3) setTimeout(() => record(shop, "order.updated", placed.id), 2000);
      for (const sku of lines.keys()) {
        orderTouched.set(sku, now());
        // The order moves the figure too (it may even cancel the change out): no clean measurement.
        if (measuring.delete(sku)) excluded++;
      }
      return { shop, id: placed.id, reference: `${prefix}${placed.number}`, at };
    },

    adjustStock() {
      const quiet = skus.filter((sku) => !measuring.has(sku) && (orderTouched.get(sku) ?? 0) < now() - ORDER_QUIET_MS);
      if (quiet.length === 0) return null;
      const sku = pick(quiet);
      const current = (rackbeat.getProduct(sku) as { stock_quantity: number }).stock_quantity;
      const step = 1 + Math.floor(random() * 5);
      // Never a change that nets out (a zero change fires nothing): down only while stock allows.
      const next = random() < 0.5 && current >= step ? current - step : current + step;
      measuring.set(sku, { at: now(), pending: new Set(woos.map((_, i) => i)) });
      rackbeat.setStock(sku, next);
      return { sku };
    },

    editProduct() {
      const sku = pick(skus);
      edits++;
      rackbeat.state.updateProduct(rackbeat.state.productOr404(sku), { name: `Soak product ${Number(sku.slice(5))} rev ${edits}`, sales_price: 20 + Math.floor(random() * 400) }, { suppressWebhooks: false });
      return { sku };
    },

    shipSome({ olderThanMs, share }: { olderThanMs: number; share: number }) {
      let shipped = 0;
      while (unshipped.length > 0 && unshipped[0]!.at < now() - olderThanMs) {
        const { number } = unshipped.shift()!;
        if (random() >= share) continue;
        const order = rackbeat.getOrder(number) as { is_booked?: boolean; is_shipped?: boolean } | undefined;
        if (!order?.is_booked || order.is_shipped) continue;
        rackbeat.shipOrder(number);
        shipped++;
      }
      return shipped;
    },

    rackbeatFault: ({ rule }: { rule: FaultRule }) => rackbeat.injectFault(rule),
    clearRackbeatFaults: () => rackbeat.clearFaults(),
    webhookFaults: (faults: { duplicates: number; reorderWindowMs: number }) => rackbeat.configure({ webhookFaults: faults }),
    wooFault: ({ shop, fault }: { shop: number; fault: FaultSpec }) => woos[shop]!.injectFault(fault),
    clearWooFaults({ shop }: { shop: number }) {
      woos[shop]!.clearFaults();
      if (wooLatencyMs > 0) woos[shop]!.injectFault({ kind: "latency", ms: wooLatencyMs, times: Infinity });
    },
    webhooksIdle: () => rackbeat.webhooksIdle(),
    stockLatencies: () => ({ latencies, excluded, open: [...measuring.keys()] }),
    trim() {
      // Logs the sandboxes keep for tests; over a long run they would only grow.
      for (const woo of woos) {
        woo.clearRequests();
        woo.resetWriteCounts();
        woo.shop.stockEvents.length = 0;
      }
      rackbeat.dispatcher.log.length = 0;
      return { rss_mb: Math.round(process.memoryUsage().rss / 1048576) };
    },

    verify() {
      const stock: { shop: number; sku: string; shop_stock: number | null; rackbeat: number }[] = [];
      const names: { shop: number; sku: string; shop_name: string; rackbeat: string }[] = [];
      for (const sku of skus) {
        const product = rackbeat.getProduct(sku) as { available_quantity: number; name: string };
        const expected = Math.max(0, Math.floor(product.available_quantity));
        for (const [i, woo] of woos.entries()) {
          const item = woo.shop.productBySku(sku);
          if (!item || item.stockQuantity !== expected) stock.push({ shop: i, sku, shop_stock: item?.stockQuantity ?? null, rackbeat: expected });
          if (!item || item.name !== product.name) names.push({ shop: i, sku, shop_name: item?.name ?? "(missing)", rackbeat: product.name });
        }
      }
      // Nothing in the soak edits an order after it is placed: a note saying so is a false alarm.
      const notedAsEdited = [...rackbeat.state.orders.values()].filter((o) => o.notes.some((n) => /changed after this order was booked/.test(n.note))).map((o) => o.number);
      return { stock, names, notedAsEdited };
    },
  };
}
