import * as wooRestApiModule from "@woocommerce/woocommerce-rest-api";
import { type BackoffPolicy, backoffDelayMs, parseRetryAfter, sleep as defaultSleep } from "../lib/backoff.js";
import type { Logger } from "../observability/logger.js";
import type { Metrics } from "../observability/metrics.js";
import { WooAuthFailed, WooNotFound, WooRateLimited, WooRejected, WooTimeout, WooUnavailable } from "./woo-errors.js";
import { wooErrorBodySchema } from "./woo-schemas.js";

/**
 * One HTTP exchange with a shop's REST API, through `@woocommerce/woocommerce-rest-api` (axios):
 * it signs OAuth 1.0a itself for `http://` shop URLs (the only key auth WooCommerce accepts over
 * plain HTTP) and uses Basic auth — or query-string keys — over `https://`. Around it: a timeout,
 * retries with backoff on 429/5xx/timeouts, named errors, and metrics. Keys never reach a log.
 */

export interface WooConnection {
  /** The shop's home URL exactly as WordPress knows it (OAuth signatures are checked against it). */
  url: string;
  consumerKey: string;
  consumerSecret: string;
  /** Over HTTPS: send the keys as query parameters instead of Basic auth (servers that strip Authorization). */
  queryStringAuth?: boolean;
}

export interface WooRetryOptions {
  /** Tries per request, including the first (default 4). */
  attempts?: number;
  /** Backoff for 5xx/timeouts (default 250 ms doubling, at most 8 s, full jitter). */
  baseMs?: number;
  maxMs?: number;
  /** A Retry-After longer than this is not waited for in-process: the error goes to the job runner (default 30 s). */
  maxRetryAfterMs?: number;
}

export interface WooHttpOptions extends WooConnection {
  /** Per-request timeout (default 15 000 ms). */
  timeoutMs?: number;
  retries?: WooRetryOptions;
  metrics?: Pick<Metrics, "recordUpstreamCall">;
  logger?: Pick<Logger, "warn">;
  /** Injected in tests. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export type WooHttpMethod = "get" | "post" | "put" | "delete";

export interface WooRequest {
  method: WooHttpMethod;
  /** Path under /wp-json/wc/v3/, e.g. "products/32/variations/batch". */
  endpoint: string;
  params?: Record<string, unknown>;
  data?: unknown;
  /**
   * Whether sending it twice is harmless (reads, updates, deletes). Non-idempotent requests (creates,
   * order notes) are retried only when the shop certainly did not process them (429, refused).
   */
  idempotent: boolean;
  signal?: AbortSignal;
}

export interface WooResponse {
  status: number;
  data: unknown;
  /** Lower-case header names. */
  headers: Record<string, string>;
}

interface AxiosLikeResponse {
  status: number;
  data: unknown;
  headers: unknown;
}

interface WooApi {
  get(endpoint: string, params?: Record<string, unknown>): Promise<AxiosLikeResponse>;
  post(endpoint: string, data: unknown, params?: Record<string, unknown>): Promise<AxiosLikeResponse>;
  put(endpoint: string, data: unknown, params?: Record<string, unknown>): Promise<AxiosLikeResponse>;
  delete(endpoint: string, params?: Record<string, unknown>): Promise<AxiosLikeResponse>;
}

type WooApiConstructor = new (options: Record<string, unknown>) => WooApi;

/** The library ships CommonJS with `exports.default`; ESM import and bundlers expose it differently. */
function apiConstructor(): WooApiConstructor {
  let candidate: unknown = (wooRestApiModule as unknown as { default?: unknown }).default ?? wooRestApiModule;
  for (let i = 0; i < 2 && candidate && typeof candidate === "object" && "default" in candidate; i += 1) {
    candidate = (candidate as { default: unknown }).default;
  }
  if (typeof candidate !== "function") throw new Error("@woocommerce/woocommerce-rest-api did not export a constructor");
  return candidate as WooApiConstructor;
}

const TIMEOUT_CODES = new Set(["ECONNABORTED", "ETIMEDOUT"]);
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]);

export class WooHttp {
  private readonly Api = apiConstructor();
  private readonly timeoutMs: number;
  private readonly attempts: number;
  private readonly backoff: BackoffPolicy;
  private readonly maxRetryAfterMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly options: WooHttpOptions) {
    if (!/^https?:\/\//i.test(options.url)) throw new Error(`WooCommerce shop URL must start with http:// or https:// (got ${JSON.stringify(options.url)})`);
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.attempts = Math.max(1, options.retries?.attempts ?? 4);
    this.backoff = { baseMs: options.retries?.baseMs ?? 250, maxMs: options.retries?.maxMs ?? 8_000 };
    this.maxRetryAfterMs = options.retries?.maxRetryAfterMs ?? 30_000;
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
  }

  /** The shop URL without a trailing slash. */
  get url(): string {
    return this.options.url.replace(/\/+$/, "");
  }

  async send(request: WooRequest): Promise<WooResponse> {
    for (let attempt = 1; ; attempt += 1) {
      const started = performance.now();
      try {
        const response = await this.once(request);
        this.options.metrics?.recordUpstreamCall("woocommerce", response.status, (performance.now() - started) / 1000);
        return response;
      } catch (raw) {
        if (request.signal?.aborted) throw request.signal.reason ?? new Error("aborted");
        const error = toWooError(raw, request);
        this.options.metrics?.recordUpstreamCall("woocommerce", statusOf(raw), (performance.now() - started) / 1000);
        const retry = attempt < this.attempts && this.mayRetry(error, raw, request);
        if (!retry) throw error;
        const delay = error.retryAfterMs ?? backoffDelayMs(attempt, this.backoff, this.random);
        if (delay > this.maxRetryAfterMs) throw error;
        this.options.logger?.warn(
          { upstream: "woocommerce", endpoint: request.endpoint, method: request.method, attempt, delayMs: delay, error: error.name, status: statusOf(raw) },
          "WooCommerce call failed; retrying",
        );
        await this.sleep(delay);
      }
    }
  }

  private mayRetry(error: Error, raw: unknown, request: WooRequest): boolean {
    if (error instanceof WooRateLimited) return true;
    const code = (raw as { code?: string }).code;
    if (code && NOT_SENT_CODES.has(code)) return true;
    if (!request.idempotent) return false;
    return error instanceof WooUnavailable || error instanceof WooTimeout;
  }

  private async once(request: WooRequest): Promise<WooResponse> {
    const axiosConfig: Record<string, unknown> = {};
    if (request.signal) axiosConfig.signal = request.signal;
    const api = new this.Api({
      url: this.options.url,
      consumerKey: this.options.consumerKey,
      consumerSecret: this.options.consumerSecret,
      version: "wc/v3",
      queryStringAuth: this.options.queryStringAuth ?? false,
      timeout: this.timeoutMs,
      axiosConfig,
    });
    const params = request.params ?? {};
    let response: AxiosLikeResponse;
    switch (request.method) {
      case "get":
        response = await api.get(request.endpoint, params);
        break;
      case "post":
        response = await api.post(request.endpoint, request.data ?? {}, params);
        break;
      case "put":
        response = await api.put(request.endpoint, request.data ?? {}, params);
        break;
      case "delete":
        response = await api.delete(request.endpoint, params);
        break;
    }
    return { status: response.status, data: response.data, headers: plainHeaders(response.headers) };
  }
}

function plainHeaders(headers: unknown): Record<string, string> {
  const source =
    headers && typeof (headers as { toJSON?: unknown }).toJSON === "function"
      ? ((headers as { toJSON: () => Record<string, unknown> }).toJSON() as Record<string, unknown>)
      : ((headers ?? {}) as Record<string, unknown>);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(source)) if (v !== undefined && v !== null) out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : String(v);
  return out;
}

/**
 * The cause attached to our errors: message and code only. The axios error itself carries the
 * request config — Basic credentials or OAuth parameters — and must never reach a log.
 */
function sanitizedCause(raw: unknown): Error {
  const cause = new Error(raw instanceof Error ? raw.message : String(raw));
  cause.name = raw instanceof Error ? raw.name : "Error";
  const code = (raw as { code?: unknown }).code;
  if (typeof code === "string") (cause as Error & { code?: string }).code = code;
  return cause;
}

function statusOf(raw: unknown): number | undefined {
  return (raw as { response?: { status?: number } }).response?.status;
}

/** Maps an axios failure to the client's named errors. */
export function toWooError(raw: unknown, request: Pick<WooRequest, "method" | "endpoint">): WooRateLimited | WooUnavailable | WooTimeout | WooAuthFailed | WooNotFound | WooRejected {
  const what = `${request.method.toUpperCase()} ${request.endpoint}`;
  const response = (raw as { response?: { status: number; data: unknown; headers: unknown } }).response;
  if (!response) {
    const code = (raw as { code?: string }).code ?? "";
    const message = raw instanceof Error ? raw.message : String(raw);
    if (TIMEOUT_CODES.has(code) || /timeout/i.test(message)) return new WooTimeout(`${what}: no answer in time (${message})`, { cause: sanitizedCause(raw) });
    return new WooUnavailable(`${what}: shop unreachable (${code || message})`, { cause: sanitizedCause(raw) });
  }
  const status = response.status;
  const headers = plainHeaders(response.headers);
  const parsed = wooErrorBodySchema.safeParse(response.data);
  const body = parsed.success ? parsed.data : undefined;
  const said = body ? `: ${body.code} — ${body.message}` : "";
  const code = body?.code;
  const retryAfterMs = parseRetryAfter(headers["retry-after"]);
  const detail = { status, cause: sanitizedCause(raw), ...(code !== undefined ? { code } : {}), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  if (status === 429) return new WooRateLimited(`${what}: rate limited (429)${said}`, detail);
  if (status >= 500) return new WooUnavailable(`${what}: shop error ${status}${said}`, detail);
  if (status === 401 || status === 403) return new WooAuthFailed(`${what}: refused credentials (${status})${said}`, detail);
  if (status === 404) return new WooNotFound(`${what}: not found${said}`, detail);
  const data = (body?.data ?? {}) as Record<string, unknown>;
  const params = (data.params ?? {}) as Record<string, string>;
  const fieldErrors = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, [String(v)]]));
  return new WooRejected(`${what}: rejected (${status})${said}`, { ...detail, data, fieldErrors });
}
