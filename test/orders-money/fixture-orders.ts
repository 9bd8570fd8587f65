/** Reads the recorded WooCommerce orders (../shared/fixtures/woocommerce/orders). */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

export const FIXTURE_ORDERS_DIR = process.env.WOO_FIXTURES_DIR ?? join(import.meta.dirname, "../../../shared/fixtures/woocommerce/orders");

/** The order body of `<config prefix>/<file containing fragment>`, e.g. ("c1", "rest-C"). */
export function fixtureOrder(configPrefix: string, fileFragment: string): Record<string, unknown> {
  const config = readdirSync(FIXTURE_ORDERS_DIR).find((c) => c.startsWith(configPrefix));
  if (!config) throw new Error(`no fixture configuration ${configPrefix}`);
  const file = readdirSync(join(FIXTURE_ORDERS_DIR, config)).find((f) => f.includes(fileFragment));
  if (!file) throw new Error(`no fixture ${fileFragment} in ${config}`);
  return (JSON.parse(readFileSync(join(FIXTURE_ORDERS_DIR, config, file), "utf8")) as { order: { body: Record<string, unknown> } }).order.body;
}
