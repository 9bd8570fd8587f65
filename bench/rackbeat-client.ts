/**
 * `npm run bench -- rackbeat-client`: how close the Rackbeat client gets to the rate limit
 * without going over it.
 *
 * The Rackbeat sandbox runs in its own process (as Rackbeat would be a remote server, it does not
 * share this process's event loop) with Rackbeat's 480-requests-per-minute limit scaled in time:
 * 480 requests per 600 ms sliding window. The client, with its default pacing settings for that
 * limit, reads 4,000 products — more than 8 windows' worth — all queued at once.
 *
 * bound_s is the least time the limit allows for N calls under a sliding window of L requests
 * per W seconds: the first L may go at once, and call k (0-based) cannot start before
 * floor(k / L) · W, so the last call starts no earlier than floor((N − 1) / L) · W.
 * For N = 4,000, L = 480, W = 0.6 s: floor(3,999 / 480) · 0.6 = 8 · 0.6 = 4.8 s.
 * ratio = wall_s / bound_s. Targets: ratio ≤ 1.10 and sandbox_429s = 0.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { createRackbeatClient, SlidingWindowRateGate } from "../bridge/src/rackbeat/index.js";

const CALLS = 4000;
const LIMIT = 480;
const WINDOW_MS = 600;
const PRODUCTS = 500;

const sandboxMain = fileURLToPath(new URL("../test/sandboxes/rackbeat/main.ts", import.meta.url));
const child = spawn(process.execPath, ["--import", "tsx", sandboxMain, "--port", "0", "--rate-limit", `${LIMIT}/${WINDOW_MS}`], {
  stdio: ["ignore", "pipe", "inherit"],
});

try {
  const lines = createInterface({ input: child.stdout! });
  let info: { base_url: string; control_url: string; token: string } | undefined;
  for await (const line of lines) {
    if (line.startsWith("{")) {
      info = JSON.parse(line) as typeof info;
      break;
    }
  }
  if (!info) throw new Error("the sandbox process ended before it printed its address");
  const control = async (path: string, body?: unknown) => {
    const response = await fetch(`${info!.control_url}${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`control ${path}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<Record<string, unknown>>;
  };

  const numbers = Array.from({ length: PRODUCTS }, (_, i) => `BENCH-${String(i + 1).padStart(4, "0")}/${i % 3 === 0 ? "#" : "x"}`);
  await control("/seed", { products: numbers.map((number, i) => ({ number, name: `Bench product ${i + 1}`, sales_price: 10 + (i % 90), stock: i % 50 })) });

  const makeClient = () =>
    createRackbeatClient({
      baseUrl: info!.base_url,
      token: info!.token,
      userAgent: { product: "rackbeat-connector-woocommerce", version: "bench", contact: "bench@example.invalid" },
      rateGate: new SlidingWindowRateGate({ limit: LIMIT, windowMs: WINDOW_MS }),
    });

  // Warm up (connections, JIT) with a throw-away client, then start from an empty window.
  const warm = makeClient();
  await Promise.all(numbers.slice(0, 40).map((n) => warm.getProduct(n)));
  await new Promise((r) => setTimeout(r, WINDOW_MS * 1.2));
  await control("/stats/reset", {});

  const client = makeClient();
  console.log(`reading ${CALLS} products through the client; sandbox limit ${LIMIT} per ${WINDOW_MS} ms (separate process)`);
  let done = 0;
  const progress = setInterval(() => console.log(`  ${done}/${CALLS} done`), 1000);
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: CALLS }, async (_, i) => {
        const product = await client.getProduct(numbers[i % PRODUCTS]!);
        if (product.number !== numbers[i % PRODUCTS]) throw new Error(`wrong product: ${product.number}`);
        done++;
      }),
    );
  } finally {
    clearInterval(progress);
  }
  const wallS = (performance.now() - started) / 1000;

  const stats = (await control("/stats")) as { requests: number; sent429: number; peakInWindow: number };
  const boundS = (Math.floor((CALLS - 1) / LIMIT) * WINDOW_MS) / 1000;
  console.log(`sandbox saw ${stats.requests} requests, at most ${stats.peakInWindow} in one window, ${stats.sent429} answered 429`);
  console.log(
    JSON.stringify({
      calls: CALLS,
      wall_s: Number(wallS.toFixed(3)),
      bound_s: boundS,
      ratio: Number((wallS / boundS).toFixed(3)),
      sandbox_429s: stats.sent429,
    }),
  );
} finally {
  if (child.exitCode === null) {
    child.kill("SIGTERM");
    await once(child, "exit");
  }
}
