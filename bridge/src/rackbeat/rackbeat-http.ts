/**
 * The one HTTP wrapper for Rackbeat: pacing through the token's RateGate, timeouts, retries with
 * backoff, status → named error, response validation with zod, metrics and logs.
 *
 * Retry rules:
 * - 429: always retried (the server did not act on the request) after the Retry-After it sent,
 *   which also pauses the shared gate; up to `rateLimitRetries` times.
 * - 5xx, timeouts and connection failures: retried with backoff only for requests that are safe
 *   to repeat (GET, PUT, DELETE and idempotent POSTs such as the webhook upsert). A POST that
 *   creates something is not repeated when the outcome is unknown — Rackbeat may have created it
 *   and lost the answer; the caller decides (e.g. by its own order number, which Rackbeat refuses
 *   twice). A connection that was refused outright is retried for every method: nothing was sent.
 */
import type { Logger } from "pino";
import type { z } from "zod";
import { backoffDelayMs, parseRetryAfter, sleep, type BackoffPolicy } from "../lib/backoff.js";
import type { Metrics } from "../observability/metrics.js";
import {
  RackbeatAuthFailed,
  RackbeatNotFound,
  RackbeatRateLimited,
  RackbeatRejected,
  RackbeatResponseInvalid,
  RackbeatTimeout,
  RackbeatUnavailable,
  type RackbeatCallInfo,
} from "./rackbeat-errors.js";
import { errorBodySchema } from "./rackbeat-schemas.js";
import type { RateGate, RatePriority } from "./rate-gate.js";

export interface UserAgentInfo {
  /** e.g. "rackbeat-connector-woocommerce" */
  product: string;
  /** e.g. "0.1.0" */
  version: string;
  /** An e-mail (or URL) Rackbeat can reach the operator at; its SDK refuses to run without one. */
  contact: string;
}

export interface RackbeatHttpOptions {
  /** Ends in `/api`, e.g. https://app.rackbeat.com/api. */
  baseUrl: string;
  token: string;
  userAgent: UserAgentInfo;
  gate: RateGate;
  /** Per attempt, in ms. Default 30,000 (Rackbeat's SDK allows 90 s in total). */
  timeoutMs?: number;
  /** Attempts for retryable failures (5xx, timeouts, connection errors). Default 4. */
  maxAttempts?: number;
  /** Extra attempts after 429s. Default 5. */
  rateLimitRetries?: number;
  /** Default 500 ms doubling up to 15 s. */
  backoff?: BackoffPolicy;
  /** Used when a 429 names no Retry-After. Default 1,000 ms. */
  defaultRetryAfterMs?: number;
  /**
   * A 429 asking for a longer pause than this is not waited out inside the call: it throws
   * RackbeatRateLimited at once (the gate still pauses) so the job runner can reschedule.
   * Default 65,000 ms (a bit over Rackbeat's one-minute window).
   */
  maxRetryAfterMs?: number;
  metrics?: Metrics;
  logger?: Logger;
  fetch?: typeof fetch;
}

export interface CallOptions {
  /** "live" (default) or "bulk" (initial sync, reconciliation): live requests go first. */
  priority?: RatePriority;
  signal?: AbortSignal;
}

export interface WriteOptions extends CallOptions {
  /** Ask Rackbeat not to fire webhooks for this change (`?suppress_webhooks=true`). */
  suppressWebhooks?: boolean;
}

export type QueryValue = string | number | boolean | undefined | null;

export interface RackbeatRequest<T extends z.ZodType> {
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** Whether repeating the request after an unknown outcome is harmless. */
  idempotent: boolean;
  schema: T;
  options?: WriteOptions;
}

const RETRYABLE_STATUS = (status: number) => status >= 500 && status <= 599;

function isConnectionRefused(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; depth < 4 && e; depth++) {
    if ((e as { code?: unknown }).code === "ECONNREFUSED") return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

export class RackbeatHttp {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly rateLimitRetries: number;
  private readonly backoff: BackoffPolicy;
  private readonly defaultRetryAfterMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly headers: Record<string, string>;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: RackbeatHttpOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxAttempts = options.maxAttempts ?? 4;
    this.rateLimitRetries = options.rateLimitRetries ?? 5;
    this.backoff = options.backoff ?? { baseMs: 500, maxMs: 15_000 };
    this.defaultRetryAfterMs = options.defaultRetryAfterMs ?? 1000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 65_000;
    this.fetchImpl = options.fetch ?? fetch;
    const ua = options.userAgent;
    if (!ua.contact.trim()) throw new TypeError("Rackbeat client: userAgent.contact is required (Rackbeat asks API consumers for a contact)");
    this.headers = {
      Authorization: `Bearer ${options.token}`,
      Accept: "application/json",
      // Rackbeat's SDK sends `<name> (<contact>)` plus these two headers [doc §1.4, LC src/API.php].
      "User-Agent": `${ua.product}/${ua.version} (${ua.contact})`,
      "Consumer-Name": ua.product,
      "Consumer-Contact": ua.contact,
    };
  }

  async request<T extends z.ZodType>(req: RackbeatRequest<T>): Promise<z.output<T>> {
    const { status, body, call } = await this.send(req);
    const parsed = req.schema.safeParse(body);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 10).map((i) => ({ path: i.path.join("."), message: i.message }));
      this.options.logger?.error({ upstream: "rackbeat", method: call.method, path: call.path, status, issues }, "rackbeat response did not match the schema");
      throw new RackbeatResponseInvalid(`Rackbeat ${call.method} ${call.path} answered ${status} with an unexpected body`, call, issues);
    }
    return parsed.data;
  }

  private url(path: string, query: Record<string, QueryValue> | undefined, suppressWebhooks: boolean): { url: string; shown: string } {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null) params.set(k, String(v));
    // [doc §4.8, DEV monitoring-security] query form works for every method, including bodiless ones.
    if (suppressWebhooks) params.set("suppress_webhooks", "true");
    const qs = params.toString();
    const shown = qs ? `${path}?${qs}` : path;
    return { url: `${this.baseUrl}${shown}`, shown };
  }

  private async send(req: RackbeatRequest<z.ZodType>): Promise<{ status: number; body: unknown; call: RackbeatCallInfo }> {
    const opts = req.options ?? {};
    const { url, shown } = this.url(req.path, req.query, opts.suppressWebhooks ?? false);
    const call: RackbeatCallInfo = { method: req.method, path: shown };
    const log = this.options.logger;
    const headers: Record<string, string> = { ...this.headers };
    let payload: string | undefined;
    if (req.body !== undefined) {
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(req.body);
    }

    let attempt = 0; // counts attempts that failed in a retryable way (5xx, timeout, network)
    let rateLimited = 0;
    for (;;) {
      const grant = await this.options.gate.acquire({ priority: opts.priority ?? "live", signal: opts.signal });
      const timeout = AbortSignal.timeout(this.timeoutMs);
      const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
      const started = performance.now();
      let response: Response;
      let text: string;
      try {
        // redirect "error" (and no window): a JSON API answering with a redirect is a fault (following one would turn a
        // POST into a GET). It also spares fetch a copy of every request: with "follow" undici clones
        // the request and tees its body into a stream written in pieces (profiled: ~20 % of the
        // bridge's CPU in the initial-sync benchmark went to writev and stream set-up).
        response = await this.fetchImpl(url, { method: req.method, headers, body: payload, signal, redirect: "error", window: null });
        text = await response.text();
      } catch (error) {
        grant.release();
        const seconds = (performance.now() - started) / 1000;
        this.options.metrics?.recordUpstreamCall("rackbeat", undefined, seconds);
        if (opts.signal?.aborted) throw opts.signal.reason;
        attempt++;
        const timedOut = timeout.aborted;
        const mayRetry = req.idempotent || (!timedOut && isConnectionRefused(error));
        const failure = timedOut
          ? new RackbeatTimeout(`Rackbeat ${req.method} ${shown} did not answer within ${this.timeoutMs} ms`, call, { cause: error })
          : new RackbeatUnavailable(`Rackbeat ${req.method} ${shown} failed: ${describe(error)}`, call, { cause: error });
        if (!mayRetry || attempt >= this.maxAttempts) throw failure;
        const delay = backoffDelayMs(attempt, this.backoff);
        log?.warn({ upstream: "rackbeat", method: req.method, path: shown, attempt, delayMs: delay, error: failure.name }, "rackbeat call failed, retrying");
        await sleep(delay);
        continue;
      }
      grant.release();
      const seconds = (performance.now() - started) / 1000;
      const status = response.status;
      this.options.metrics?.recordUpstreamCall("rackbeat", status, seconds);
      log?.debug({ upstream: "rackbeat", method: req.method, path: shown, status, ms: Math.round(seconds * 1000) }, "rackbeat call");
      const body = parseBody(text);

      if (status >= 200 && status < 300) return { status, body, call: { ...call, status } };

      const answered: RackbeatCallInfo = { ...call, status };
      const errorBody = errorBodySchema.safeParse(body);
      const serverMessage = errorBody.success ? errorBody.data.message : undefined;

      if (status === 429) {
        const retryAfterMs = parseRetryAfter(response.headers.get("retry-after")) ?? this.defaultRetryAfterMs;
        // Everyone on this token waits, not just this request.
        this.options.gate.pauseFor(retryAfterMs);
        rateLimited++;
        if (rateLimited > this.rateLimitRetries || retryAfterMs > this.maxRetryAfterMs) {
          throw new RackbeatRateLimited(`Rackbeat ${req.method} ${shown} was rate limited ${rateLimited} times`, answered, { retryAfterMs });
        }
        log?.warn({ upstream: "rackbeat", method: req.method, path: shown, retryAfterMs }, "rackbeat rate limit hit, waiting");
        continue; // the gate holds this request until the pause is over
      }
      if (RETRYABLE_STATUS(status)) {
        attempt++;
        const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
        const failure = new RackbeatUnavailable(`Rackbeat ${req.method} ${shown} answered ${status}`, answered, { retryAfterMs });
        if (!req.idempotent || attempt >= this.maxAttempts) throw failure;
        const delay = Math.max(retryAfterMs ?? 0, backoffDelayMs(attempt, this.backoff));
        log?.warn({ upstream: "rackbeat", method: req.method, path: shown, status, attempt, delayMs: delay }, "rackbeat server error, retrying");
        await sleep(delay);
        continue;
      }
      if (status === 401 || status === 403) {
        throw new RackbeatAuthFailed(`Rackbeat refused the API token (${status}) on ${req.method} ${shown}`, answered);
      }
      if (status === 404) throw new RackbeatNotFound(`Rackbeat has no ${shown} (${req.method} → 404)`, answered);
      const fieldErrors = errorBody.success ? (errorBody.data.errors ?? {}) : {};
      throw new RackbeatRejected(`Rackbeat refused ${req.method} ${shown} (${status}): ${serverMessage ?? "no message"}`, fieldErrors, answered);
    }
  }
}

function parseBody(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  const code = (cause as { code?: unknown } | undefined)?.code;
  return code ? `${error.message} (${String(code)})` : error.message;
}
