import type { Router } from "express";
import type { BridgeContext } from "../../context.js";
import { route } from "../errors.js";

export function healthRoutes(router: Router, ctx: BridgeContext): void {
  router.get(
    "/healthz",
    route(async (_req, res) => {
      let storeOk = true;
      let storeError: string | undefined;
      try {
        await ctx.store.ping();
      } catch (error) {
        storeOk = false;
        storeError = (error as Error).message;
      }
      const stats = storeOk ? await ctx.queue.stats() : undefined;
      const now = ctx.now();
      res.status(storeOk ? 200 : 503).json({
        status: storeOk ? "ok" : "degraded",
        version: ctx.version,
        process: {
          pid: process.pid,
          uptime_s: Math.round(process.uptime()),
          rss_mb: Math.round(process.memoryUsage().rss / 1024 / 1024),
          node: process.version,
        },
        store: { ok: storeOk, engine: ctx.store.dialect, ...(storeError ? { error: storeError } : {}) },
        queue: stats
          ? {
              depth: stats.waiting,
              running: stats.running,
              parked: stats.parked,
              oldest_waiting_age_s:
                stats.oldestWaitingRunAt === null ? null : Math.max(0, Math.round((now - stats.oldestWaitingRunAt) / 1000)),
            }
          : null,
      });
    }),
  );

  router.get(
    "/metrics",
    route(async (_req, res) => {
      const stats = await ctx.queue.stats();
      ctx.metrics.queueDepth.set(stats.waiting);
      ctx.metrics.parkedJobs.set(stats.parked);
      ctx.metrics.oldestWaitingSeconds.set(
        stats.oldestWaitingRunAt === null ? 0 : Math.max(0, (ctx.now() - stats.oldestWaitingRunAt) / 1000),
      );
      res.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
    }),
  );
}
