import type { Router } from "express";
import { z } from "zod";
import type { BridgeContext, Feature } from "../../context.js";
import { eventBatchSchema, storeEvents } from "../../intake/events.js";
import { HttpError, badRequest, route } from "../errors.js";

const activityQuerySchema = z.object({
  state: z.enum(["waiting", "done", "parked", "skipped", "flagged"]).optional(),
  type: z.string().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: z.coerce.number().int().positive().optional(),
});

const idParam = z.coerce.number().int().positive();

/** Shop-scoped signed routes of the core: events intake, activity, retry, status. */
export function shopRoutes(router: Router, ctx: BridgeContext, features: Feature[]): void {
  router.post(
    "/v1/shops/:shop/events",
    route(async (req, res) => {
      const parsed = eventBatchSchema.safeParse(req.json);
      if (!parsed.success) throw badRequest(parsed.error, "event batch");
      const shopId = String(req.params.shop);
      const result = await storeEvents(ctx.queue, shopId, parsed.data.events);
      const maxSeq = Math.max(0, ...parsed.data.events.map((e) => e.seq ?? 0));
      if (maxSeq > 0) await ctx.shops.advanceOutboxSeq(shopId, maxSeq);
      ctx.log.info({ shop: shopId, accepted: result.accepted.length, duplicates: result.duplicates.length }, "events stored");
      res.status(202).json(result);
    }),
  );

  router.get(
    "/v1/shops/:shop/activity",
    route(async (req, res) => {
      const parsed = activityQuerySchema.safeParse(req.query);
      if (!parsed.success) throw badRequest(parsed.error, "query");
      const records = await ctx.activity.list(String(req.params.shop), parsed.data);
      res.json({ records, next_before: records.length === parsed.data.limit ? records.at(-1)?.id ?? null : null });
    }),
  );

  router.get(
    "/v1/shops/:shop/activity/:record",
    route(async (req, res) => {
      const id = idParam.safeParse(req.params.record);
      if (!id.success) throw badRequest(id.error, "record id");
      const found = await ctx.activity.get(String(req.params.shop), id.data);
      if (!found) throw new HttpError(404, "not_found", "No such activity record for this shop.");
      const jobs = await ctx.store.db
        .selectFrom("jobs")
        .select(["id", "kind", "state", "attempts", "max_attempts", "last_error", "run_at", "updated_at"])
        .where("record_id", "=", id.data)
        .orderBy("id")
        .execute();
      res.json({
        ...found,
        jobs: jobs.map((j) => ({
          id: Number(j.id),
          kind: j.kind,
          state: j.state,
          attempts: Number(j.attempts),
          max_attempts: Number(j.max_attempts),
          last_error: j.last_error,
          run_at: new Date(Number(j.run_at)).toISOString(),
          updated_at: new Date(Number(j.updated_at)).toISOString(),
        })),
      });
    }),
  );

  router.post(
    "/v1/shops/:shop/jobs/retry-parked",
    route(async (req, res) => {
      const count = await ctx.queue.retryAllParked(String(req.params.shop));
      res.json({ retried: count });
    }),
  );

  router.post(
    "/v1/shops/:shop/jobs/:id/retry",
    route(async (req, res) => {
      const id = idParam.safeParse(req.params.id);
      if (!id.success) throw badRequest(id.error, "job id");
      const job = await ctx.queue.retry(id.data, String(req.params.shop));
      if (!job) {
        const existing = await ctx.queue.get(id.data);
        if (existing && existing.shopId === req.params.shop) {
          throw new HttpError(409, "not_retryable", `Job ${id.data} is ${existing.state}; only parked or skipped jobs can be retried.`);
        }
        throw new HttpError(404, "not_found", "No such job for this shop.");
      }
      res.json({ job: { id: job.id, kind: job.kind, state: job.state } });
    }),
  );

  router.get(
    "/v1/shops/:shop/status",
    route(async (req, res) => {
      const shopId = String(req.params.shop);
      const shop = await ctx.shops.get(shopId);
      const stats = await ctx.queue.stats(shopId);
      const dayAgo = ctx.now() - 24 * 3600 * 1000;
      const parts: Record<string, unknown> = {};
      for (const feature of features) {
        if (!feature.status) continue;
        try {
          parts[feature.name] = await feature.status(shopId, ctx);
        } catch (error) {
          parts[feature.name] = { error: (error as Error).message };
        }
      }
      res.json({
        bridge: { version: ctx.version, uptime_s: Math.round(process.uptime()), public_url: ctx.config.PUBLIC_URL ?? null },
        store: { ok: true, engine: ctx.store.dialect },
        shop: shop
          ? { id: shop.id, name: shop.name, url: shop.url, role: shop.role, paired_at: new Date(shop.pairedAt).toISOString() }
          : null,
        queue: {
          waiting: stats.waiting,
          running: stats.running,
          parked: stats.parked,
          oldest_waiting_at: stats.oldestWaitingRunAt === null ? null : new Date(stats.oldestWaitingRunAt).toISOString(),
        },
        errors_24h: await ctx.activity.countSince(shopId, "parked", dayAgo),
        ...parts,
      });
    }),
  );
}
