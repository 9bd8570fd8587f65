import { resolve } from "node:path";
import { defineConfig } from "vitest/config";

/**
 * `npm run test:woocommerce`: the plugin against REAL WooCommerce (opt-in, never part of `npm test`).
 * Needs WOOCOMMERCE_DIR (an unpacked WooCommerce plugin) and WORDPRESS_DIR (a WordPress core new
 * enough for it); see test/wordpress/README.md. Fails loudly without them.
 */
const repo = resolve(import.meta.dirname, "../../..");
export default defineConfig({
  root: repo,
  test: {
    include: ["test/wordpress/real-woocommerce/**/*.woo.ts"],
    globalSetup: ["test/wordpress/real-woocommerce/global-setup.ts"],
    env: { WORK: resolve(repo, ".wp-ci/real-wc") },
    fileParallelism: false,
    pool: "forks",
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
