/**
 * checkout-overhead: what the plugin adds to placing an order, on a real WordPress 6.1 + MariaDB
 * (test/wordpress/wp-up.sh) with the WooCommerce double.
 *
 * Each order goes through the classic checkout path (create, read back, payment_complete: the
 * hooks woocommerce_new_order, woocommerce_order_status_changed and woocommerce_payment_complete
 * all fire). Every callback the plugin hooked on those order hooks is wrapped to measure the
 * wall time and database queries spent inside it; per order they are summed. Outgoing HTTP calls
 * are counted at pre_http_request while the plugin is paired with a bridge URL.
 *
 * Targets: p50 ≤ 2 ms, db_queries_added ≤ 3, no network call.
 * Last line: {"p50_ms", "p99_ms", "db_queries_added", ...}.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { HERE, WORK, resetWp, upWp, wpState } from "../test/wordpress/harness/wp.js";

const ORDERS = Number(process.env.ORDERS ?? 400);
const WARMUP = 40;

const phpBench = `
global $wpdb, $wp_filter;
RackbeatConnector\\Settings::store_shop_secret('bench-secret');
RackbeatConnector\\Settings::update_state(['connected' => true, 'shop_id' => 'shop_bench', 'bridge_url' => 'http://127.0.0.1:9', 'paired_site_url' => home_url()]);

$network = 0;
add_filter('pre_http_request', function ($pre) use (&$network) { $network++; return $pre; }, 1);

// Wrap the plugin's callbacks on the order hooks: time and queries inside them.
$spent = 0.0; $queries = 0; $wrapped = [];
foreach (['woocommerce_new_order', 'woocommerce_order_status_changed', 'woocommerce_payment_complete', 'woocommerce_update_order', 'woocommerce_process_shop_order_meta', 'woocommerce_rest_insert_shop_order_object'] as $hook) {
  if (empty($wp_filter[$hook])) continue;
  foreach ($wp_filter[$hook]->callbacks as $priority => $callbacks) {
    foreach ($callbacks as $id => $cb) {
      $fn = $cb['function'];
      if (!is_array($fn) || !is_object($fn[0]) || strpos(get_class($fn[0]), 'RackbeatConnector\\\\') !== 0) continue;
      $wp_filter[$hook]->callbacks[$priority][$id]['function'] = function (...$args) use ($fn, &$spent, &$queries, $wpdb) {
        $q = $wpdb->num_queries; $t = hrtime(true);
        $result = $fn(...$args);
        $spent += (hrtime(true) - $t) / 1e6; $queries += $wpdb->num_queries - $q;
        return $result;
      };
      $wrapped[] = $hook . ':' . get_class($fn[0]) . '::' . $fn[1];
    }
  }
}

$samples = []; $query_counts = []; $flow = [];
for ($i = 0; $i < ${WARMUP} + ${ORDERS}; $i++) {
  $spent = 0.0; $queries = 0;
  $t = hrtime(true);
  $order = new WC_Order(); $order->set_created_via('checkout'); $order->save();
  $order = wc_get_order($order->get_id());
  $order->payment_complete('txn-' . $i);
  $flow_ms = (hrtime(true) - $t) / 1e6;
  if ($i >= ${WARMUP}) { $samples[] = $spent; $query_counts[] = $queries; $flow[] = $flow_ms; }
}
$rows = (int) $wpdb->get_var('SELECT COUNT(*) FROM ' . $wpdb->prefix . 'rackbeat_outbox');
return ['samples' => $samples, 'queries' => $query_counts, 'flow' => $flow, 'network' => $network, 'wrapped' => $wrapped, 'rows' => $rows];
`;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

const round = (n: number) => Math.round(n * 1000) / 1000;

async function wordpressRunning(): Promise<boolean> {
  try {
    await fetch(`${wpState().WP_URL}/wp-login.php`, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}

const wasRunning = await wordpressRunning();
console.log("checkout-overhead: bringing WordPress up (test/wordpress/wp-up.sh)…");
await upWp();
await resetWp();
const state = wpState();
console.log(`WordPress at ${state.WP_URL}; placing ${WARMUP} warm-up + ${ORDERS} orders through the classic checkout path…`);

const child = spawn("php", ["-d", "display_errors=stderr", join(HERE, "php/wp-run.php")], { env: { ...process.env, WP_DOCROOT: state.DOCROOT, WP_URL: state.WP_URL } });
let out = "";
let err = "";
child.stdout.on("data", (d: Buffer) => (out += d.toString()));
child.stderr.on("data", (d: Buffer) => (err += d.toString()));
child.stdin.end(phpBench);
const code: number = await new Promise((done) => child.on("close", (c) => done(c ?? 1)));
if (code !== 0) {
  console.error(err || out);
  process.exit(1);
}
const result = JSON.parse(out.trimEnd().split("\n").at(-1) ?? "{}") as {
  samples: number[];
  queries: number[];
  flow: number[];
  network: number;
  wrapped: string[];
  rows: number;
};
await resetWp();
if (!wasRunning) execFileSync("bash", [join(HERE, "wp-down.sh")], { env: { ...process.env, WORK }, stdio: "inherit" });

console.log(`plugin callbacks measured: ${result.wrapped.join(", ")}`);
const samples = [...result.samples].sort((a, b) => a - b);
const flow = [...result.flow].sort((a, b) => a - b);
const queries = [...result.queries].sort((a, b) => a - b);
const figures = {
  p50_ms: round(percentile(samples, 50)),
  p99_ms: round(percentile(samples, 99)),
  db_queries_added: percentile(queries, 50),
  db_queries_max: queries.at(-1) ?? 0,
  network_calls: result.network,
  orders: samples.length,
  outbox_rows: result.rows,
  order_flow_p50_ms: round(percentile(flow, 50)),
  targets_met: percentile(samples, 50) <= 2 && percentile(queries, 50) <= 3 && result.network === 0,
};
console.log(`per order: shim p50 ${figures.p50_ms} ms, p99 ${figures.p99_ms} ms, ${figures.db_queries_added} queries (max ${figures.db_queries_max}); whole order flow p50 ${figures.order_flow_p50_ms} ms; network calls ${figures.network_calls}`);
console.log(JSON.stringify(figures));
