import { z } from "zod";
import type { BridgeContext, Feature } from "../context.js";
import { signedHeaders } from "../http/signing.js";
import { errorMessage } from "../lib/errors.js";
import { shopEventSchema, storeEvents } from "./events.js";

const outboxPageSchema = z.object({
  events: z.array(z.unknown()),
  next_seq: z.number().int().nonnegative().nullable().optional(),
});

export interface PullResult {
  stored: number;
  duplicates: number;
  rejected: { seq: number | undefined; reason: string }[];
  upToSeq: number;
}

/**
 * protocol.md §4, the safety net: reads the shop's outbox after the last sequence number the bridge
 * stored, stores the events as jobs (duplicates of pushed events collapse), then acknowledges.
 * An event that fails validation is acknowledged too — it can never become valid — but logged with
 * its reason, so nothing is dropped silently.
 */
export async function pullOutbox(ctx: BridgeContext, shopId: string, fetchImpl: typeof fetch = fetch): Promise<PullResult> {
  const shop = await ctx.shops.get(shopId);
  const credentials = await ctx.shops.credentials(shopId);
  if (!shop || !credentials) throw new Error(`shop ${shopId} is not connected`);
  const result: PullResult = { stored: 0, duplicates: 0, rejected: [], upToSeq: shop.outboxSeq };
  for (let page = 0; page < 50; page += 1) {
    const url = new URL(`${shop.url}/wp-json/rackbeat-connector/v1/outbox`);
    url.searchParams.set("after", String(result.upToSeq));
    url.searchParams.set("limit", "100");
    const pathWithQuery = url.pathname + url.search;
    const response = await fetchImpl(url, {
      headers: { ...signedHeaders(shopId, credentials.shopSecret, "GET", pathWithQuery, ""), accept: "application/json" },
      signal: AbortSignal.timeout(ctx.config.WOOCOMMERCE_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`outbox pull answered HTTP ${response.status}`);
    const body = outboxPageSchema.parse(await response.json());
    if (body.events.length === 0) break;
    const valid = [];
    let highest = result.upToSeq;
    for (const raw of body.events) {
      const seq = typeof (raw as { seq?: unknown })?.seq === "number" ? ((raw as { seq: number }).seq) : undefined;
      if (seq !== undefined) highest = Math.max(highest, seq);
      const parsed = shopEventSchema.safeParse(raw);
      if (parsed.success) valid.push(parsed.data);
      else {
        const reason = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
        result.rejected.push({ seq, reason });
        ctx.log.error({ shop: shopId, seq, reason }, "outbox event rejected");
      }
    }
    if (valid.length > 0) {
      const stored = await storeEvents(ctx.queue, shopId, valid);
      result.stored += stored.accepted.length;
      result.duplicates += stored.duplicates.length;
    }
    const upTo = Math.max(highest, body.next_seq ? body.next_seq - 1 : 0);
    await acknowledge(ctx, shopId, shop.url, credentials.shopSecret, upTo, fetchImpl);
    await ctx.shops.advanceOutboxSeq(shopId, upTo);
    result.upToSeq = upTo;
    if (body.events.length < 100) break;
  }
  return result;
}

async function acknowledge(
  ctx: BridgeContext,
  shopId: string,
  shopUrl: string,
  secret: string,
  upToSeq: number,
  fetchImpl: typeof fetch,
): Promise<void> {
  const url = new URL(`${shopUrl}/wp-json/rackbeat-connector/v1/outbox/ack`);
  const body = JSON.stringify({ up_to_seq: upToSeq });
  const response = await fetchImpl(url, {
    method: "POST",
    headers: {
      ...signedHeaders(shopId, secret, "POST", url.pathname + url.search, body),
      "content-type": "application/json",
    },
    body,
    signal: AbortSignal.timeout(ctx.config.WOOCOMMERCE_TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`outbox ack answered HTTP ${response.status}`);
}

/** Pulls every connected shop's outbox on a short schedule. */
export const outboxPullFeature: Feature = {
  name: "outbox_pull",
  tasks: (ctx) => [
    {
      name: "outbox-pull",
      everyMs: ctx.config.OUTBOX_PULL_INTERVAL_MS,
      run: async () => {
        for (const shop of await ctx.shops.list()) {
          try {
            const result = await pullOutbox(ctx, shop.id);
            if (result.stored > 0) ctx.log.info({ shop: shop.id, ...result }, "outbox pull stored missed events");
          } catch (error) {
            ctx.log.warn({ shop: shop.id, err: errorMessage(error) }, "outbox pull failed; will try again");
          }
        }
      },
    },
  ],
};
