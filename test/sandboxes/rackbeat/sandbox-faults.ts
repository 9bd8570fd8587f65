/**
 * [sandbox-only] Fault injection for `/api` requests. A rule matches by method and path (the
 * part after `/api`, as sent, i.e. still percent-encoded) and fires `times` times (default 1;
 * Infinity for "until cleared").
 *
 * - latency:       wait `ms`, then handle the request normally.
 * - status:        answer `status` (e.g. 500, 502, 503) without running the handler.
 * - hang:          never answer (the client's timeout has to fire).
 * - rate-limit:    answer 429 with `Retry-After: retryAfterSeconds` (a "429 storm" with times > 1).
 * - lose-response: run the handler — the change is applied — then lose the answer: destroy the
 *                  connection (mode "destroy") or answer `status` (mode "status", default 500).
 * - slow-response: run the handler — the change is applied — then hold the answer back `ms`
 *                  (a caller that dies meanwhile never learns that its request took effect).
 */
export type FaultEffect =
  | { kind: "latency"; ms: number }
  | { kind: "status"; status: number; body?: unknown }
  | { kind: "hang" }
  | { kind: "rate-limit"; retryAfterSeconds: number }
  | { kind: "lose-response"; mode: "destroy" | "status"; status?: number }
  | { kind: "slow-response"; ms: number };

export type FaultRule = FaultEffect & {
  method?: string;
  /** Matches when the request path (after `/api`) starts with this. */
  path?: string;
  /** Matches when the request path (after `/api`) matches this (in-process callers only). */
  pathPattern?: RegExp;
  times?: number;
};

export interface ActiveFault {
  id: number;
  rule: FaultRule;
  remaining: number;
  fired: number;
}

export class FaultBook {
  private nextId = 1;
  readonly active: ActiveFault[] = [];

  add(rule: FaultRule): number {
    const id = this.nextId++;
    this.active.push({ id, rule, remaining: rule.times ?? 1, fired: 0 });
    return id;
  }

  remove(id: number): boolean {
    const i = this.active.findIndex((f) => f.id === id);
    if (i < 0) return false;
    this.active.splice(i, 1);
    return true;
  }

  clear(): void {
    this.active.length = 0;
  }

  /** Takes every matching rule whose turn it is (at most one of each kind), consuming one use of each. */
  take(method: string, path: string): FaultEffect[] {
    const effects: FaultEffect[] = [];
    const kinds = new Set<string>();
    for (const fault of this.active) {
      const r = fault.rule;
      if (fault.remaining <= 0 || kinds.has(r.kind)) continue;
      if (r.method && r.method.toUpperCase() !== method.toUpperCase()) continue;
      if (r.path !== undefined && !path.startsWith(r.path)) continue;
      if (r.pathPattern && !r.pathPattern.test(path)) continue;
      fault.remaining--;
      fault.fired++;
      kinds.add(r.kind);
      effects.push(r);
    }
    for (let i = this.active.length - 1; i >= 0; i--) if (this.active[i]!.remaining <= 0) this.active.splice(i, 1);
    return effects;
  }
}
