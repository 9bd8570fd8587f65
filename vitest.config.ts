import { defineConfig } from "vitest/config";

const bridgeInclude = ["bridge/src/**/*.test.ts", "test/**/*.test.ts"];
const bridgeExclude = ["**/node_modules/**", "test/wordpress/**", "test/e2e/**", "test/woocommerce-real/**"];

/**
 * Left out of `bridge-postgres` (they run in `bridge` only), because they would run twice for
 * nothing. Every other bridge test runs on both engines — a new test file does too by default.
 */
const notOnPostgresAgain = [
  // Pinned to their engines already: they open the engines they are about, whatever the project.
  "test/postgres/copy-store.test.ts", // SQLite → PostgreSQL → SQLite
  "test/postgres/three-processes.test.ts", // PostgreSQL
  "test/postgres/three-processes-sync.test.ts", // PostgreSQL
  "bridge/src/rackbeat/postgres-rate-gate.test.ts", // PostgreSQL
  "test/drills/full-disk.test.ts", // SQLite (its disk filling up)
  // Pure unit and contract tests that open no store and start no bridge (functions, clients
  // against the sandboxes, the sandboxes themselves).
  "bridge/src/config.test.ts",
  "bridge/src/http/signing.test.ts",
  "bridge/src/lib/money.test.ts",
  "bridge/src/rackbeat/rackbeat-schemas.test.ts",
  "bridge/src/rackbeat/rate-gate.test.ts",
  "bridge/src/store/store-full.test.ts",
  "bridge/src/settings/shop-settings.test.ts",
  "bridge/src/sync/orders/line-representation.test.ts",
  "bridge/src/sync/orders/money-matching.test.ts",
  "bridge/src/sync/orders/order-lines.test.ts",
  "bridge/src/sync/orders/order-qualifies.test.ts",
  "bridge/src/sync/orders/status-write-back.test.ts",
  "bridge/src/sync/orders/tax-rates.test.ts",
  "bridge/src/sync/orders/woo-order-to-rackbeat-customer.test.ts",
  "bridge/src/sync/orders/woo-order-to-rackbeat-order.test.ts",
  "bridge/src/sync/products/sku-rules.test.ts",
  "bridge/src/sync/stock/stock-figure.test.ts",
  "bridge/src/sync/stock/woo-stock-port.test.ts",
  "bridge/src/woocommerce/shop-woo-client.test.ts",
  "bridge/src/woocommerce/woo-batch.test.ts",
  "bridge/src/woocommerce/woo-http.test.ts",
  "test/bench/report-runner.test.ts",
  "test/orders-money/fixtures.test.ts",
  "test/orders-money/money-property-woo-sandbox.test.ts",
  "test/orders-money/money-property.test.ts",
  "test/orders-money/rounding-model.test.ts",
  "test/rackbeat/client-basics.test.ts",
  "test/rackbeat/errors.test.ts",
  "test/rackbeat/item-numbers.test.ts",
  "test/rackbeat/pagination.test.ts",
  "test/rackbeat/rate-limit.test.ts",
  "test/rackbeat/retries.test.ts",
  "test/rackbeat/stock-and-orders.test.ts",
  "test/rackbeat/webhooks.test.ts",
  "test/sandboxes/rackbeat/order-arithmetic.test.ts",
  "test/sandboxes/rackbeat/sandbox.test.ts",
  "test/sandboxes/woocommerce/discounts.test.ts",
  "test/sandboxes/woocommerce/php-math.test.ts",
  "test/sandboxes/woocommerce/rest-auth.test.ts",
  "test/woocommerce/checkout-properties.test.ts",
  "test/woocommerce/client-contract.test.ts",
  "test/woocommerce/error-shapes.test.ts",
  "test/woocommerce/fidelity.test.ts",
  "test/woocommerce/schemas.test.ts",
  "test/woocommerce/sku-index.test.ts",
  "test/woocommerce/stock-effects.test.ts",
];

/**
 * One vitest run, several projects:
 * - bridge: unit tests beside the bridge's files and the integration/contract tests under test/
 *   (sandboxes over real HTTP, stores on SQLite files in temp directories);
 * - bridge-postgres: the same suite with RBC_TEST_STORE=postgres, so every test that opens a store
 *   or starts a bridge runs on PostgreSQL (127.0.0.1:5432, each store its own fresh database; see
 *   test/postgres/test-databases.ts), less the tests listed in `notOnPostgresAgain`.
 * Projects that need a real WordPress (test/wordpress, test/e2e) bring their own global set-up.
 *
 * Workers: vitest's default (cores − 1), shared by the projects; on the 2-core CI one test file at a
 * time, so `bridge` and `bridge-postgres` run one after the other and never compete for the CPU.
 * Measured on 2 cores: `bridge` 4 min 11 s, both 8 min 45 s; with two workers both took 5 min 33 s,
 * but the oversell test (timing-based, test/stock/oversell.test.ts) then failed on both engines.
 */
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 180_000,
    projects: [
      {
        extends: true,
        test: {
          name: "bridge",
          include: bridgeInclude,
          exclude: bridgeExclude,
          pool: "forks",
        },
      },
      {
        extends: true,
        test: {
          name: "bridge-postgres",
          include: bridgeInclude,
          exclude: [...bridgeExclude, ...notOnPostgresAgain],
          env: { RBC_TEST_STORE: "postgres" },
          pool: "forks",
        },
      },
      {
        extends: true,
        test: {
          name: "wordpress",
          include: ["test/wordpress/**/*.test.ts"],
          globalSetup: ["test/wordpress/harness/global-setup.ts"],
          fileParallelism: false,
          pool: "forks",
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          globalSetup: ["test/e2e/global-setup.ts"],
          env: { WORK: `${import.meta.dirname}/.wp-ci-e2e` },
          fileParallelism: false,
          pool: "forks",
          testTimeout: 60_000,
        },
      },
    ],
  },
});
