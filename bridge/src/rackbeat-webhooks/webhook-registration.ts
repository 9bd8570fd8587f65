import { createHash, timingSafeEqual } from "node:crypto";
import type { BridgeContext } from "../context.js";
import { errorMessage } from "../lib/errors.js";
import type { RackbeatClient } from "../rackbeat/index.js";
import { wantedRackbeatEvents } from "./webhook-kinds.js";

export const WEBHOOK_PATH = "/v1/rackbeat/webhooks";
const REGISTRATION_KEY = "rackbeat.webhooks";
const HEALTH_KEY = "rackbeat.webhooks.health";

/** Re-register a webhook once Rackbeat counts this many failed deliveries since the last success. */
export const FAILURES_BEFORE_REREGISTER = 3;

interface StoredRegistration {
  url: string;
  hooks: Record<string, { id: number; token: string /* sealed */ }>;
  registered_at: number;
}

export interface WebhookHealth {
  checked_at: number;
  url: string | null;
  /** Per event: Rackbeat's failure count at the last check. */
  hooks: { event: string; id: number | null; active: boolean; failures: number }[];
  /** Set when deliveries cannot be trusted right now; the bridge polls instead. */
  problem: string | null;
  reregistered: string[];
}

export type WebhookClient = Pick<RackbeatClient, "listWebhooks" | "upsertWebhook" | "deleteWebhook">;

/** The URL Rackbeat should deliver to, or undefined without PUBLIC_URL. */
export function webhookUrl(ctx: Pick<BridgeContext, "config">): string | undefined {
  const base = ctx.config.PUBLIC_URL;
  if (!base) return undefined;
  return `${base.replace(/\/+$/, "")}${WEBHOOK_PATH}`;
}

/**
 * Delivery tokens, one per registered webhook (Rackbeat returns each only when it creates the
 * webhook). Verification compares SHA-256 digests with timingSafeEqual, so neither the length
 * nor the content of a wrong token leaks through timing.
 */
export class WebhookTokens {
  private cache: Map<string, Buffer> | undefined;

  constructor(private readonly ctx: Pick<BridgeContext, "account" | "store">) {}

  invalidate(): void {
    this.cache = undefined;
  }

  private async digests(): Promise<Map<string, Buffer>> {
    if (this.cache) return this.cache;
    const stored = await this.ctx.account.get<StoredRegistration>(REGISTRATION_KEY);
    const map = new Map<string, Buffer>();
    for (const [event, hook] of Object.entries(stored?.hooks ?? {})) {
      map.set(event, digest(this.ctx.store.secrets.open(hook.token)));
    }
    this.cache = map;
    return map;
  }

  /** True when `token` is the token of the webhook registered for `event`. */
  async verify(event: string, token: string): Promise<boolean> {
    const expected = (await this.digests()).get(event);
    const given = digest(token);
    // Compare even when the event is unknown, so timing does not tell registered events apart.
    return timingSafeEqual(expected ?? Buffer.alloc(32), given) && expected !== undefined;
  }

  async registration(): Promise<StoredRegistration | undefined> {
    return this.ctx.account.get<StoredRegistration>(REGISTRATION_KEY);
  }

  async save(registration: StoredRegistration): Promise<void> {
    await this.ctx.account.set(REGISTRATION_KEY, registration);
    this.invalidate();
  }
}

const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();

/**
 * Makes Rackbeat's webhooks match what the bridge wants, idempotently: registration upserts on
 * (event, url); a webhook whose token the bridge does not hold, that is inactive, or that keeps
 * failing (`failures_since_last_success` ≥ FAILURES_BEFORE_REREGISTER, `force`) is deleted and
 * created again, which also gives a fresh token. Webhooks of this bridge at an old URL are removed.
 */
export async function ensureWebhooks(
  ctx: Pick<BridgeContext, "config" | "account" | "store" | "log" | "now">,
  tokens: WebhookTokens,
  client: WebhookClient,
  options: { force?: boolean } = {},
): Promise<WebhookHealth> {
  const url = webhookUrl(ctx);
  const health: WebhookHealth = { checked_at: ctx.now(), url: url ?? null, hooks: [], problem: null, reregistered: [] };
  if (!url) {
    health.problem = "PUBLIC_URL is not set, so Rackbeat cannot reach this bridge: stock is polled instead.";
    await ctx.account.set(HEALTH_KEY, health);
    return health;
  }
  try {
    const stored = (await tokens.registration()) ?? { url, hooks: {}, registered_at: ctx.now() };
    const existing = await client.listWebhooks();
    const hooks: StoredRegistration["hooks"] = {};
    for (const event of wantedRackbeatEvents()) {
      const mine = existing.find((w) => w.event === event && w.url === url);
      const known = stored.url === url ? stored.hooks[event] : undefined;
      const failures = mine?.failures_since_last_success ?? 0;
      const healthy = mine !== undefined && mine.is_active && known !== undefined && known.id === mine.id && failures < FAILURES_BEFORE_REREGISTER;
      if (healthy && !options.force) {
        hooks[event] = known;
        health.hooks.push({ event, id: mine.id, active: true, failures });
        continue;
      }
      if (mine) await client.deleteWebhook(mine.id);
      const { webhook, created } = await client.upsertWebhook({ event, url });
      if (!created || !webhook.token) throw new Error(`Rackbeat did not return a token for the ${event} webhook`);
      hooks[event] = { id: webhook.id, token: ctx.store.secrets.seal(webhook.token) };
      health.hooks.push({ event, id: webhook.id, active: webhook.is_active, failures: 0 });
      if (mine) health.reregistered.push(event);
      ctx.log.info({ event, webhook: webhook.id, failures, reason: mine ? (failures >= FAILURES_BEFORE_REREGISTER ? "failing" : "token unknown or inactive") : "new" }, "Rackbeat webhook registered");
    }
    // Our webhooks at another URL (PUBLIC_URL changed) would deliver nowhere useful.
    for (const w of existing) {
      if (w.url !== url && w.url.endsWith(WEBHOOK_PATH) && stored.url === w.url) await client.deleteWebhook(w.id);
    }
    await tokens.save({ url, hooks, registered_at: ctx.now() });
    if (health.reregistered.length > 0) {
      health.problem = `deliveries were failing for ${health.reregistered.join(", ")}; re-registered, polling until the next check`;
    }
  } catch (error) {
    health.problem = `webhooks could not be checked or registered: ${errorMessage(error)}`;
    ctx.log.warn({ err: errorMessage(error) }, "Rackbeat webhook check failed; polling stock instead");
  }
  await ctx.account.set(HEALTH_KEY, health);
  return health;
}

export async function lastWebhookHealth(ctx: Pick<BridgeContext, "account">): Promise<WebhookHealth | undefined> {
  return ctx.account.get<WebhookHealth>(HEALTH_KEY);
}
