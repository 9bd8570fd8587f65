/**
 * Global set-up of the opt-in real-WooCommerce suite: refuses to run (loudly) without
 * WOOCOMMERCE_DIR and WORDPRESS_DIR, then brings up WordPress + WooCommerce with wp-up.sh.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

const HERE = resolve(import.meta.dirname, "..");
const WORK = resolve(HERE, "../../.wp-ci/real-wc");

function runScript(script: string): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn("bash", [join(HERE, script)], { env: { ...process.env, WORK }, stdio: ["ignore", "inherit", "inherit"] });
    child.on("close", (code) => (code === 0 ? done() : fail(new Error(`${script} exited with ${code}`))));
  });
}

export async function setup(): Promise<void> {
  const wordpress = process.env.WORDPRESS_DIR;
  const woocommerce = process.env.WOOCOMMERCE_DIR;
  const problems: string[] = [];
  if (!wordpress || !existsSync(join(wordpress, "wp-settings.php"))) problems.push(`WORDPRESS_DIR must point at a WordPress core tree, 6.7 or newer (got ${JSON.stringify(wordpress ?? "")})`);
  if (!woocommerce || !existsSync(join(woocommerce, "woocommerce.php"))) problems.push(`WOOCOMMERCE_DIR must point at an unpacked WooCommerce plugin (got ${JSON.stringify(woocommerce ?? "")})`);
  if (problems.length) {
    throw new Error(`npm run test:woocommerce runs only against a real WooCommerce:\n  - ${problems.join("\n  - ")}\nSee test/wordpress/README.md ("Opt-in: real WooCommerce").`);
  }
  await runScript("wp-up.sh");
}

export async function teardown(): Promise<void> {
  if (process.env.WP_KEEP_RUNNING === "1") return;
  await runScript("wp-down.sh");
}
