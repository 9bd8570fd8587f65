import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SERVICE_ITEMS } from "../../../../test/orders/orders-kit.js";
import { defaultStoreKind, openTwoProcessStores } from "../../../../test/postgres/test-databases.js";
import { type RackbeatSandbox, startRackbeatSandbox } from "../../../../test/sandboxes/rackbeat/index.js";
import { FIXTURE_PRODUCTS, fixtureCheckout } from "../../../../test/sandboxes/woocommerce/fixture-shop.js";
import { type WooSandbox, startWooSandbox } from "../../../../test/sandboxes/woocommerce/index.js";
import { RateLimited } from "../../lib/errors.js";
import { createRackbeatClient } from "../../rackbeat/index.js";
import { withLease } from "../../store/leases.js";
import type { Store } from "../../store/store.js";
import { OrderExporter } from "./order-exporter.js";
import { OrderLinks } from "./order-links.js";

/**
 * A new customer's first two orders exported at the same moment by two bridge processes (on
 * PostgreSQL: two stores on one database, each exporter with its own in-process locks, as two
 * processes have) must make one Rackbeat customer. On SQLite, which serves one process, both
 * exporters share the store and the check is the same.
 */
describe(`orders: a new customer is created once across bridge processes (${defaultStoreKind.name})`, () => {
  let stores: Store[];
  let rackbeat: RackbeatSandbox;
  let woo: WooSandbox;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    const two = await openTwoProcessStores();
    stores = two.stores;
    // Slow enough that the two finds-or-creates overlap.
    rackbeat = await startRackbeatSandbox({ rateLimit: false, latencyMs: 60 });
    const skus = FIXTURE_PRODUCTS.filter((p) => p.type !== "variable").map((p) => p.sku as string);
    rackbeat.seedProducts([...skus, ...SERVICE_ITEMS].map((number) => ({ number, stock: 1000 })));
    woo = await startWooSandbox({ fixture: "c1-dkk-excl-lineround" });
    cleanup = async () => {
      await woo.close();
      await rackbeat.close();
      await two.cleanup();
    };
  });
  afterEach(async () => {
    await cleanup();
  });

  it("two first orders of one new customer, one per process: one Rackbeat customer, both orders on it", async () => {
    const email = `twice.${Date.now()}@example.test`;
    const place = () => {
      const base = fixtureCheckout("B", "rest-api");
      const checkout = { ...base, billing: { ...base.billing, email }, thenStatus: [] as never[] };
      delete checkout.status;
      delete checkout.setPaid;
      const placed = woo.placeOrder(checkout) as { id: number; number: string };
      woo.setOrderStatus(placed.id, "processing");
      return placed;
    };
    const orders = [place(), place()];
    const client = createRackbeatClient({
      token: rackbeat.token,
      baseUrl: rackbeat.baseUrl,
      userAgent: { product: "customer-once-test", version: "0", contact: "test@example.invalid" },
      rateGate: { acquire: async () => ({ release: () => undefined }), pauseFor: () => undefined },
    });
    const settings = { orders: { transferOrdersCreatedFrom: null } };
    let toldToWait = 0;
    const exporterFor = (store: Store) =>
      new OrderExporter({
        shops: { get: async (id: string) => ({ id, connected: true, settings }) as never },
        links: new OrderLinks(store.db),
        woo: {
          getOrder: async (_shop, id) => woo.getOrder(id),
          listOrders: async () => ({ orders: [], totalPages: 1 }),
          updateOrder: async () => ({}),
          addOrderNote: async () => undefined,
        },
        rackbeat: async () => client,
        // As orders-feature.ts wires it for several processes.
        customerLease: async (key, work) => {
          const outcome = await withLease(store, `order-customer:${key}`, work);
          if (!outcome.ran) {
            toldToWait++;
            throw new RateLimited("customer being matched elsewhere", { retryAfterMs: 50 });
          }
          return outcome.value;
        },
      });
    const exporters = stores.map(exporterFor);
    const noop = async () => undefined;
    // Each "process" exports its order; one told to wait tries again, as the job queue would.
    const exportOnce = async (i: number) => {
      for (let attempt = 0; attempt < 50; attempt++) {
        try {
          return await exporters[i]!.handle({ shopId: "shop-1", wooOrderId: orders[i]!.id, trigger: "automatic" }, { step: noop });
        } catch (error) {
          if (!(error instanceof RateLimited)) throw error;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      throw new Error("never got the customer lease");
    };
    const outcomes = await Promise.all([exportOnce(0), exportOnce(1)]);
    expect(outcomes.map((o) => o.action)).toEqual(["created", "created"]);

    const customers = rackbeat.listCustomers().filter((c) => JSON.stringify(c).includes(email));
    expect(customers).toHaveLength(1);
    const numbers = outcomes.map((o) => rackbeat.state.orders.get(o.rackbeatOrderNumber)!.customer_number);
    expect(numbers).toEqual([customers[0]!.number, customers[0]!.number]);
    // On PostgreSQL the second process met the first one's lease (it did not just run after it).
    if (defaultStoreKind.name === "postgres") expect(toldToWait).toBeGreaterThan(0);
  });
});
