import type { Router } from "express";
import type { Activity } from "./activity/activity.js";
import type { BridgeConfig } from "./config.js";
import type { JobHandler } from "./jobs/runner.js";
import type { JobQueue } from "./jobs/queue.js";
import type { Logger } from "./observability/logger.js";
import type { Metrics } from "./observability/metrics.js";
import type { AccountSettings } from "./shops/account.js";
import type { PairingCodes } from "./shops/pairing.js";
import type { Shops } from "./shops/shops.js";
import type { Store } from "./store/store.js";

/** Everything a feature (orders, stock, products…) may use. Built once in main.ts. */
export interface BridgeContext {
  config: BridgeConfig;
  version: string;
  store: Store;
  queue: JobQueue;
  activity: Activity;
  shops: Shops;
  account: AccountSettings;
  pairing: PairingCodes;
  log: Logger;
  metrics: Metrics;
  now: () => number;
}

/**
 * A feature plugs into the bridge: job handlers by kind, signed routes, a part of the status
 * answer, and periodic tasks. The core knows nothing about orders or stock.
 */
export interface Feature {
  name: string;
  handlers?: (ctx: BridgeContext) => Map<string, JobHandler>;
  /** Routes mounted behind the signature check. `/v1/shops/:shop/…` routes are shop-scoped. */
  signedRoutes?: (router: Router, ctx: BridgeContext) => void;
  /** Routes with their own authentication (e.g. Rackbeat webhooks with a token). */
  publicRoutes?: (router: Router, ctx: BridgeContext) => void;
  status?: (shopId: string, ctx: BridgeContext) => Promise<Record<string, unknown>>;
  /**
   * Periodic work, run by the scheduler every `everyMs`; with `atStart`, also once right after the
   * bridge starts (to pick up work a process that died — kill -9 — held only in memory).
   */
  tasks?: (ctx: BridgeContext) => { name: string; everyMs: number; atStart?: boolean; run: () => Promise<void> }[];
}
