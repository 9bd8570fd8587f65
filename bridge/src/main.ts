import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Activity } from "./activity/activity.js";
import { type BridgeConfig, loadConfig } from "./config.js";
import type { BridgeContext, Feature } from "./context.js";
import { coreFeature } from "./core-feature.js";
import { createApp } from "./http/app.js";
import type { WooKeyCheck } from "./http/routes/pairing.js";
import { outboxPullFeature } from "./intake/outbox-pull.js";
import { JobQueue } from "./jobs/queue.js";
import { type JobHandler, JobRunner } from "./jobs/runner.js";
import { errorMessage } from "./lib/errors.js";
import { type Logger, createLogger } from "./observability/logger.js";
import { Metrics } from "./observability/metrics.js";
import { AccountSettings } from "./shops/account.js";
import { PairingCodes } from "./shops/pairing.js";
import { Shops } from "./shops/shops.js";
import { checkWooKeysOverRest } from "./shops/woo-key-check.js";
import { withLease } from "./store/leases.js";
import { openStore } from "./store/store.js";
import { useDatabaseRateGates } from "./rackbeat/postgres-rate-gate.js";
import { BRIDGE_VERSION } from "./version.js";
import { defaultShopSettings } from "./settings/shop-settings.js";
import { rackbeatAccountFeature } from "./account/rackbeat-account.js";
import { wooConnectionFeature } from "./woocommerce/woo-connection-feature.js";

export interface StartOptions {
  /** Environment-style overrides (tests pass DATA_DIR, PORT=0 …); merged over process.env when `env` is absent. */
  env?: Record<string, string | undefined>;
  config?: BridgeConfig;
  logger?: Logger;
  features?: Feature[];
  /** Replace the WooCommerce key check at pairing (tests of the pairing rules). */
  checkWooKeys?: WooKeyCheck;
  /** Start the job runner and periodic tasks (default true). */
  runWorkers?: boolean;
  now?: () => number;
}

export interface RunningBridge {
  url: string;
  port: number;
  ctx: BridgeContext;
  runner: JobRunner;
  server: Server;
  /** Runs a named periodic task now (tests and the CLI). */
  runTask(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function startBridge(options: StartOptions = {}): Promise<RunningBridge> {
  const config = options.config ?? loadConfig(options.env ?? process.env);
  const log = options.logger ?? createLogger({ level: config.LOG_LEVEL });
  const now = options.now ?? Date.now;
  const store = await openStore({ dataDir: config.DATA_DIR, databaseUrl: config.DATABASE_URL, secretKey: config.SECRET_KEY });
  // On PostgreSQL several bridge processes may share the store: Rackbeat's limit per token is then
  // counted in the database, so together they never exceed it.
  const stopDatabaseRateGates = store.pg ? useDatabaseRateGates(store.pg) : undefined;
  const activity = new Activity(store.db, now);
  const queue = new JobQueue(store, activity, {
    maxAttempts: config.JOB_MAX_ATTEMPTS,
    backoff: { baseMs: config.JOB_BACKOFF_BASE_MS, maxMs: config.JOB_BACKOFF_MAX_MS },
    leaseMs: config.JOB_LEASE_MS,
    now,
  });
  const metrics = new Metrics();
  const ctx: BridgeContext = {
    config,
    version: BRIDGE_VERSION,
    store,
    queue,
    activity,
    shops: new Shops(store.db, store.secrets, now),
    account: new AccountSettings(store.db, store.secrets, now),
    pairing: new PairingCodes(store.db, now),
    log,
    metrics,
    now,
  };
  const features = [coreFeature, outboxPullFeature, rackbeatAccountFeature, wooConnectionFeature, ...(options.features ?? (await defaultFeatures()))];

  const handlers = new Map<string, JobHandler>();
  for (const feature of features) for (const [kind, handler] of feature.handlers?.(ctx) ?? []) handlers.set(kind, handler);
  const runner = new JobRunner({
    queue,
    activity,
    handlers,
    concurrency: config.WORKER_CONCURRENCY,
    timeoutMs: config.JOB_TIMEOUT_MS,
    leaseMs: config.JOB_LEASE_MS,
    log,
    metrics,
  });

  const app = createApp(ctx, {
    features,
    checkWooKeys: options.checkWooKeys ?? ((input) => checkWooKeysOverRest(input, config.WOOCOMMERCE_TIMEOUT_MS)),
    defaultSettings: () => defaultShopSettings({ pairedOn: new Date(now()).toISOString().slice(0, 10) }),
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.PORT, config.HOST, () => resolve(s));
    s.once("error", reject);
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.HOST.includes(":") ? `[${config.HOST}]` : config.HOST;
  const url = `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}`;

  const tasks = features.flatMap((f) => f.tasks?.(ctx) ?? []);
  const timers: NodeJS.Timeout[] = [];
  const busy = new Set<string>();
  const runTask = async (name: string) => {
    const task = tasks.find((t) => t.name === name);
    if (!task) throw new Error(`no task named ${name}`);
    if (busy.has(name)) return;
    busy.add(name);
    try {
      // One process at a time runs a task, whichever bridge process gets its lease (reconcilers,
      // stock poll/sweep, retention); the others skip this round.
      const outcome = await withLease(store, `task:${name}`, () => task.run());
      if (!outcome.ran) log.debug({ task: name }, "periodic task skipped: another bridge process is running it");
    } catch (error) {
      log.error({ task: name, err: errorMessage(error) }, "periodic task failed");
    } finally {
      busy.delete(name);
    }
  };
  if (options.runWorkers !== false) {
    runner.start();
    for (const task of tasks) {
      const timer = setInterval(() => void runTask(task.name), task.everyMs);
      timer.unref();
      timers.push(timer);
      if (task.atStart) void runTask(task.name);
    }
  }
  log.info({ url, store: store.location, version: BRIDGE_VERSION, public_url: config.PUBLIC_URL ?? null }, "bridge listening");

  let closed = false;
  return {
    url,
    port,
    ctx,
    runner,
    server,
    runTask,
    async close() {
      if (closed) return;
      closed = true;
      for (const timer of timers) clearInterval(timer);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await runner.stop();
      stopDatabaseRateGates?.();
      await store.close();
    },
  };
}

/** The sync features; loaded lazily so the core starts even while a feature is being built. */
async function defaultFeatures(): Promise<Feature[]> {
  const { features } = await import("./features.js");
  return features;
}
