import { defineConfig } from "vitest/config";

/**
 * One vitest run, several projects:
 * - bridge: unit tests beside the bridge's files and the integration/contract tests under test/
 *   (sandboxes over real HTTP, a real SQLite file).
 * Projects that need a real WordPress (test/wordpress, test/e2e) bring their own global set-up.
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
          include: ["bridge/src/**/*.test.ts", "test/**/*.test.ts"],
          exclude: ["**/node_modules/**", "test/wordpress/**", "test/e2e/**", "test/woocommerce-real/**"],
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
