import { z } from "zod";

/**
 * Rackbeat webhook deliveries become jobs. Which events the bridge registers at Rackbeat, and which
 * job kinds each delivery becomes, is declared here by the features that consume them:
 *
 *   wantRackbeatWebhook("product.updated", RACKBEAT_PRODUCT_UPDATED)   // products feature
 *
 * A feature then registers a handler for the kind. Stock wants inventory.changed (and re-reads the
 * item on product.created, whose initial stock Rackbeat does not announce as a movement).
 */
export const rackbeatJobKind = (event: string): string => `rackbeat:${event}`;

export const RACKBEAT_INVENTORY_CHANGED = rackbeatJobKind("inventory.changed");
export const RACKBEAT_PRODUCT_CREATED = rackbeatJobKind("product.created");
export const RACKBEAT_PRODUCT_UPDATED = rackbeatJobKind("product.updated");

/** The payload of every `rackbeat:*` job: the delivery's event and key (the body carries no more). */
export const rackbeatWebhookJobSchema = z.object({
  event: z.string(),
  key: z.string(),
  key_name: z.enum(["number", "id"]),
  received_at: z.number(),
});
export type RackbeatWebhookJob = z.infer<typeof rackbeatWebhookJobSchema>;

const wanted = new Map<string, Set<string>>();

/** Declares that deliveries of `event` should become jobs of `jobKind` (and so be registered). */
export function wantRackbeatWebhook(event: string, jobKind: string): void {
  let kinds = wanted.get(event);
  if (!kinds) wanted.set(event, (kinds = new Set()));
  kinds.add(jobKind);
}

/** The events to register at Rackbeat. */
export function wantedRackbeatEvents(): string[] {
  return [...wanted.keys()].sort();
}

export function jobKindsFor(event: string): string[] {
  return [...(wanted.get(event) ?? [])];
}

wantRackbeatWebhook("inventory.changed", RACKBEAT_INVENTORY_CHANGED);
wantRackbeatWebhook("product.created", RACKBEAT_INVENTORY_CHANGED);
