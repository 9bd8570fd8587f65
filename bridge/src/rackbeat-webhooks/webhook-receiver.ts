import { randomUUID } from "node:crypto";
import type { Router } from "express";
import { z } from "zod";
import type { BridgeContext } from "../context.js";
import { HttpError, badRequest, route } from "../http/errors.js";
import { type RackbeatWebhookJob, jobKindsFor } from "./webhook-kinds.js";
import { WEBHOOK_PATH, type WebhookTokens } from "./webhook-registration.js";

/** Rackbeat's body: observed `{key_name, key}` (key a string), documented also `event`, `data` (rackbeat-api.md §4.8). */
const deliverySchema = z.looseObject({
  key: z.union([z.string().min(1).max(200), z.number()]).transform(String),
  key_name: z.enum(["number", "id"]).default("number"),
  event: z.string().max(100).optional(),
});

/** Deliveries seen (for status and tests), kept in memory only. */
export interface ReceiverStats {
  accepted: number;
  coalesced: number;
  refused: number;
  lastDeliveryAt: number | null;
}

/**
 * `POST /v1/rackbeat/webhooks`: checks the token (401 otherwise), stores the delivery as a job and
 * answers 202 at once — the job fetches the item. Deliveries for an item that already has a job
 * waiting to run are folded into it (the job reads the item's state when it runs, which includes
 * every change announced before), so duplicates and bursts cost one read.
 */
export function rackbeatWebhookRoute(router: Router, ctx: BridgeContext, tokens: WebhookTokens, stats: ReceiverStats): void {
  router.post(
    WEBHOOK_PATH,
    route(async (req, res) => {
      const token = req.header("rackbeat-webhook-token") ?? "";
      const headerEvent = req.header("rackbeat-webhook-event") ?? "";
      const parsed = deliverySchema.safeParse(req.json ?? {});
      const event = headerEvent || (parsed.success ? (parsed.data.event ?? "") : "");
      if (!token || !event || !(await tokens.verify(event, token))) {
        stats.refused++;
        throw new HttpError(401, "invalid_webhook_token", "The Rackbeat-Webhook-Token header does not match the webhook registered for this event.");
      }
      if (!parsed.success) throw badRequest(parsed.error, "webhook body");
      const kinds = jobKindsFor(event);
      stats.lastDeliveryAt = ctx.now();
      if (kinds.length === 0) {
        res.status(202).json({ accepted: false, reason: `the bridge does not use ${event}` });
        return;
      }
      const payload: RackbeatWebhookJob = { event, key: parsed.data.key, key_name: parsed.data.key_name, received_at: ctx.now() };
      let stored = 0;
      for (const kind of kinds) {
        const prefix = `${kind}:${payload.key_name}:${payload.key}:`;
        if (await hasWaitingJob(ctx, prefix)) {
          stats.coalesced++;
          continue;
        }
        await ctx.queue.enqueue({ kind, idempotencyKey: prefix + randomUUID(), payload });
        stored++;
      }
      stats.accepted++;
      res.status(202).json({ accepted: true, jobs: stored });
    }),
  );
}

async function hasWaitingJob(ctx: BridgeContext, prefix: string): Promise<boolean> {
  // A range on the unique key index instead of LIKE (which SQLite will not use the index for).
  const row = await ctx.store.db
    .selectFrom("jobs")
    .select("id")
    .where("idempotency_key", ">=", prefix)
    .where("idempotency_key", "<", `${prefix}\uffff`)
    .where("state", "=", "waiting")
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
