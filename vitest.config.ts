import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["bridge/src/**/*.test.ts", "test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "test/woocommerce-real/**"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ["default"],
  },
});
