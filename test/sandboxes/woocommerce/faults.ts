/**
 * Fault injection for the REST routes: latency, error statuses (5xx, 429 with Retry-After),
 * requests that never answer (timeouts) and dropped connections.
 * [inference] WooCommerce itself does not rate-limit REST v3; 429s come from hosting/WAF layers,
 * 5xx from PHP fatals or proxies — the bodies below are plausible, not recorded.
 */
export type FaultKind = "latency" | "status" | "timeout" | "reset";

export interface FaultSpec {
  kind: FaultKind;
  /** latency: delay before handling; timeout: how long to hold before dropping (default: until the client gives up). */
  ms?: number;
  /** status: the HTTP status to answer (e.g. 500, 502, 503, 429). */
  status?: number;
  /** status: a Retry-After header value (seconds or HTTP date). */
  retryAfter?: string;
  /** status: a custom JSON body. */
  body?: unknown;
  /** How many matching requests this fault affects (default 1; Infinity = until cleared). */
  times?: number;
  /** Only requests with this method. */
  method?: string;
  /** Only requests whose path (after /wp-json) contains this / matches this. */
  path?: string | RegExp;
}

export interface ActiveFault extends FaultSpec {
  id: number;
  remaining: number;
}

export class FaultBook {
  private faults: ActiveFault[] = [];
  private nextId = 1;

  add(spec: FaultSpec): number {
    const id = this.nextId++;
    this.faults.push({ ...spec, id, remaining: spec.times ?? 1 });
    return id;
  }

  clear(id?: number): void {
    this.faults = id === undefined ? [] : this.faults.filter((f) => f.id !== id);
  }

  list(): ActiveFault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  /** The faults that apply to this request (each consumed once). */
  take(method: string, route: string): ActiveFault[] {
    const hits: ActiveFault[] = [];
    for (const f of this.faults) {
      if (f.remaining <= 0) continue;
      if (f.method && f.method.toUpperCase() !== method.toUpperCase()) continue;
      if (f.path !== undefined && !(typeof f.path === "string" ? route.includes(f.path) : f.path.test(route))) continue;
      f.remaining -= 1;
      hits.push(f);
    }
    this.faults = this.faults.filter((f) => f.remaining > 0);
    return hits;
  }
}

export function faultBody(status: number): unknown {
  if (status === 429) return { code: "too_many_requests", message: "Too many requests.", data: { status } };
  return {
    code: "internal_server_error",
    message: "<p>There has been a critical error on this website.</p>",
    data: { status },
    additional_errors: [],
  };
}
