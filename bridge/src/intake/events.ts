import { z } from "zod";
import type { EnqueueInput, JobQueue } from "../jobs/queue.js";

/** protocol.md §3: the topics a plugin sends. */
export const EVENT_TOPICS = [
  "order.created",
  "order.status_changed",
  "order.updated",
  "order.deleted",
  "product.changed",
  "product.deleted",
  "stock.changed",
  "shop.heartbeat",
] as const;

export type EventTopic = (typeof EVENT_TOPICS)[number];

export const shopEventSchema = z
  .object({
    event_id: z.uuid({ message: "must be a UUID" }),
    seq: z.number().int().nonnegative().optional(),
    topic: z.enum(EVENT_TOPICS, { message: `must be one of ${EVENT_TOPICS.join(", ")}` }),
    resource_id: z.number().int().nonnegative(),
    parent_id: z.number().int().positive().optional(),
    occurred_at: z.iso.datetime({ offset: true, message: "must be an RFC 3339 time" }),
    from: z.string().max(64).optional(),
    to: z.string().max(64).optional(),
  })
  .strict()
  .superRefine((event, ctx) => {
    if (event.topic === "order.status_changed" && (event.to === undefined || event.to === "")) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "is required for order.status_changed" });
    }
    if (event.topic !== "shop.heartbeat" && event.resource_id === 0) {
      ctx.addIssue({ code: "custom", path: ["resource_id"], message: "must be a WooCommerce id above 0" });
    }
  });

export type ShopEvent = z.infer<typeof shopEventSchema>;

export const eventBatchSchema = z
  .object({
    events: z.array(shopEventSchema).min(1, "must hold 1 to 100 events").max(100, "must hold 1 to 100 events"),
  })
  .strict();

/** The job a shop's event becomes. Payload: the event itself (ids only, no personal data). */
export interface EventJobPayload {
  shopId: string;
  event: ShopEvent;
}

/** Job kind for an event topic: "event:order.created" etc. Sync modules register handlers by kind. */
export const eventJobKind = (topic: EventTopic): string => `event:${topic}`;

export function eventToJob(shopId: string, event: ShopEvent): EnqueueInput {
  const subject = event.topic.startsWith("order.")
    ? { type: "order", id: String(event.resource_id) }
    : event.topic === "shop.heartbeat"
      ? undefined
      : { type: "product", id: String(event.resource_id) };
  const payload: EventJobPayload = { shopId, event };
  return {
    kind: eventJobKind(event.topic),
    shopId,
    idempotencyKey: `event:${shopId}:${event.event_id}`,
    payload,
    ...(subject ? { subject } : {}),
  };
}

/**
 * Stores a batch of events as jobs in one transaction (all or nothing) and says which were new and
 * which were redeliveries of events already stored.
 */
export async function storeEvents(
  queue: Pick<JobQueue, "enqueueMany">,
  shopId: string,
  events: ShopEvent[],
): Promise<{ accepted: string[]; duplicates: string[] }> {
  // The same event twice in one batch counts once.
  const unique = [...new Map(events.map((e) => [e.event_id, e])).values()];
  const results = await queue.enqueueMany(unique.map((e) => eventToJob(shopId, e)));
  const accepted: string[] = [];
  const duplicates: string[] = [];
  results.forEach((result, i) => (result.created ? accepted : duplicates).push(unique[i]!.event_id));
  // An event repeated inside one batch is a duplicate too.
  const seen = new Set<string>();
  for (const e of events) {
    if (seen.has(e.event_id)) duplicates.push(e.event_id);
    seen.add(e.event_id);
  }
  return { accepted, duplicates };
}
