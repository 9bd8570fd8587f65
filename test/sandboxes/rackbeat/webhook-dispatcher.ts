/**
 * Webhook deliveries as Rackbeat makes them [doc §4.8, DEV webhook-events, monitoring-security]:
 * POST to the webhook's URL with `Rackbeat-Webhook-Token`, `Rackbeat-Webhook-Event`,
 * `Rackbeat-Account-Id` and `User-Agent: Rackbeat Webhook`; JSON body `{key_name, key}` with the
 * key as a string (observed in production, MSKU) — or, switched to "full", the documented
 * `{key, key_name, event, data}` (+ `old_key`, `new_key`, `changed` for *.updated) [doc default].
 * A delivery fails on a non-2xx answer, a connection error or no answer within the response
 * timeout (15 s, DEV); failures count in `failures_since_last_success` and are retried with
 * exponential backoff (Rackbeat: over ~24 h; here `retry.baseMs · 2^(attempt−1)`, up to
 * `retry.maxAttempts`).
 *
 * [sandbox-only] faults: `duplicates` sends each event that many extra times after the first
 * attempt; `reorderWindowMs` holds deliveries for that long and then sends them newest first.
 */
import type { SandboxEvent, WebhookRecord } from "./sandbox-state.js";

export type WebhookBodyVariant = "minimal" | "full";

export interface WebhookDispatcherOptions {
  accountId: number;
  body: WebhookBodyVariant;
  retry: { baseMs: number; maxAttempts: number };
  responseTimeoutMs: number;
}

export interface WebhookFaults {
  duplicates: number;
  reorderWindowMs: number;
}

export interface WebhookDeliveryLog {
  id: number;
  webhook_id: number;
  event: string;
  url: string;
  attempt: number;
  duplicate: boolean;
  body: Record<string, unknown>;
  status: number | null;
  error: string | null;
  started_at: string;
  finished_at: string | null;
}

interface Job {
  webhook: WebhookRecord;
  event: string;
  body: Record<string, unknown>;
  attempt: number;
  duplicate: boolean;
}

export class WebhookDispatcher {
  readonly log: WebhookDeliveryLog[] = [];
  faults: WebhookFaults = { duplicates: 0, reorderWindowMs: 0 };
  private nextLogId = 1;
  private pending = 0;
  private readonly idleWaiters: (() => void)[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly abort = new AbortController();
  private held: Job[] = [];
  private heldTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(public options: WebhookDispatcherOptions) {}

  /** Queues deliveries of `event` to every active webhook registered for it. */
  dispatch(event: SandboxEvent, webhooks: Iterable<WebhookRecord>): void {
    if (this.closed) return;
    const targets = [...webhooks].filter((w) => w.is_active && w.event === event.event);
    if (targets.length === 0) return;
    const body = this.bodyFor(event);
    for (const webhook of targets) {
      const job: Job = { webhook, event: event.event, body, attempt: 1, duplicate: false };
      if (this.faults.reorderWindowMs > 0) this.hold(job);
      else this.start(job);
    }
  }

  private bodyFor(event: SandboxEvent): Record<string, unknown> {
    const minimal = { key_name: event.key_name, key: String(event.key) };
    if (this.options.body === "minimal") return minimal;
    const full: Record<string, unknown> = { key: String(event.key), key_name: event.key_name, event: event.event, data: event.data() };
    if (event.event.endsWith(".updated")) {
      full.old_key = String(event.old_key ?? event.key);
      full.new_key = String(event.key);
      full.changed = event.changed ?? [];
    }
    return full;
  }

  private hold(job: Job): void {
    this.pending++;
    this.held.push(job);
    if (this.heldTimer) return;
    this.heldTimer = setTimeout(() => {
      this.heldTimer = null;
      const batch = this.held.reverse();
      this.held = [];
      for (const j of batch) {
        this.pending--;
        this.start(j);
      }
      this.settleIdle();
    }, this.faults.reorderWindowMs);
  }

  private start(job: Job): void {
    this.pending++;
    void this.deliver(job).finally(() => {
      if (this.closed) return;
      this.pending--;
      this.settleIdle();
    });
  }

  private async deliver(job: Job): Promise<void> {
    if (this.closed) return;
    const entry: WebhookDeliveryLog = {
      id: this.nextLogId++,
      webhook_id: job.webhook.id,
      event: job.event,
      url: job.webhook.url,
      attempt: job.attempt,
      duplicate: job.duplicate,
      body: job.body,
      status: null,
      error: null,
      started_at: new Date().toISOString(),
      finished_at: null,
    };
    this.log.push(entry);
    let ok = false;
    try {
      const response = await fetch(job.webhook.url, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "User-Agent": "Rackbeat Webhook",
          "Rackbeat-Webhook-Token": job.webhook.token,
          "Rackbeat-Webhook-Event": job.event,
          "Rackbeat-Account-Id": String(this.options.accountId),
        },
        body: JSON.stringify(job.body),
        signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.options.responseTimeoutMs)]),
      });
      entry.status = response.status;
      await response.arrayBuffer().catch(() => undefined);
      ok = response.status >= 200 && response.status < 300;
      if (!ok) entry.error = `HTTP ${response.status}`;
    } catch (error) {
      entry.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    entry.finished_at = new Date().toISOString();
    if (this.closed) return;

    if (!job.duplicate) {
      if (ok) job.webhook.failures_since_last_success = 0;
      else {
        job.webhook.failures_since_last_success++;
        if (job.attempt < this.options.retry.maxAttempts) {
          this.later(this.options.retry.baseMs * 2 ** (job.attempt - 1), () => this.start({ ...job, attempt: job.attempt + 1 }));
        }
      }
      if (job.attempt === 1) for (let i = 0; i < this.faults.duplicates; i++) this.start({ ...job, duplicate: true });
    }
  }

  private later(ms: number, fn: () => void): void {
    this.pending++;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.pending--;
      fn();
      this.settleIdle();
    }, ms);
    this.timers.add(timer);
  }

  private settleIdle(): void {
    if (this.pending !== 0) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /** Resolves when no delivery is in flight, held or waiting for a retry. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    this.abort.abort();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.heldTimer) clearTimeout(this.heldTimer);
    this.held = [];
    this.pending = 0;
    this.settleIdle();
  }
}
