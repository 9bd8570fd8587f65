import { type ChildProcess, fork } from "node:child_process";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { InitialSyncProgress } from "../../bridge/src/sync/initial/initial-sync-run.js";
import { type FreshStore, defaultStoreKind } from "../postgres/test-databases.js";
import { GeneratedCatalog } from "../products/generated-catalog.js";
import { type RackbeatSandbox, startRackbeatSandbox } from "../sandboxes/rackbeat/index.js";

const children: ChildProcess[] = [];
let sandbox: RackbeatSandbox | undefined;
let fresh: FreshStore | undefined;
afterEach(async () => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  await Promise.all(children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once("exit", r)) : undefined)));
  await sandbox?.close();
  await fresh?.cleanup();
  fresh = undefined;
});

function startChild(env: Record<string, string>, onProgress: (p: InitialSyncProgress | undefined) => void): ChildProcess {
  const child = fork(join(import.meta.dirname, "initial-sync-child.ts"), [], { env: { ...process.env, ...env }, execArgv: ["--import", "tsx"], stdio: "inherit" });
  child.on("message", (m) => onProgress((m as { progress?: InitialSyncProgress }).progress));
  children.push(child);
  return child;
}

const waitFor = async (check: () => boolean, ms = 60_000) => {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe("initial sync killed with kill -9", () => {
  it("resumes where it stopped, creates nothing twice and ends with Rackbeat equal to the shop", async () => {
    const PRODUCTS = 200;
    const catalog = new GeneratedCatalog({ products: PRODUCTS });
    const expected = [...catalog.expected()];
    // Slow enough that the kill lands mid-run: 300 requests per second.
    const limit = { limit: 150, windowMs: 500 };
    sandbox = await startRackbeatSandbox({ rateLimit: limit });
    // Both processes on one store of this run's engine (SQLite file or PostgreSQL database).
    fresh = await defaultStoreKind.create();
    const env = {
      ...fresh.env,
      RACKBEAT_BASE_URL: sandbox.baseUrl,
      RACKBEAT_TOKEN: sandbox.token,
      RB_LIMIT: String(limit.limit),
      RB_WINDOW_MS: String(limit.windowMs),
      PRODUCTS: String(PRODUCTS),
    };

    const first = startChild({ ...env, START: "1" }, () => undefined);
    await waitFor(() => sandbox!.state.products.size >= expected.length / 3);
    first.kill("SIGKILL");
    await new Promise((r) => first.once("exit", r));
    const atKill = sandbox.state.products.size;
    expect(atKill).toBeLessThan(expected.length);

    let progress: InitialSyncProgress | undefined;
    startChild({ ...env, START: "0" }, (p) => (progress = p));
    await waitFor(() => progress?.state === "done");
    expect(progress).toMatchObject({ total: PRODUCTS, done: PRODUCTS, errors: 0, skipped: 0 });

    // Rackbeat equals the shop: every SKU once, with the shop's stock.
    expect(sandbox.state.products.size).toBe(expected.length);
    for (const e of expected) expect(sandbox.getProduct(e.sku)?.stock_quantity, e.sku).toBe(e.stock);
    // Nothing twice: one create per product, one stock adjustment per product with stock.
    const routes = sandbox.stats().byRoute;
    expect(routes["POST /products"]).toBe(expected.length);
    expect(routes["POST /inventory-adjustments"]).toBe(expected.filter((e) => e.stock !== 0).length);
  }, 120_000);
});
