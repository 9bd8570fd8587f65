/**
 * Every benchmark's targets in one place (README "Benchmarks" and each benchmark's header say how
 * the figures are measured). `npm run bench` compares each benchmark's last JSON line with these
 * and writes bench/report.md.
 *
 * A bound is a number, or a multiple of another figure of the same run (`{ times: 1.15, of:
 * "burst_bound_s" }`: the burst may take at most 1.15 × the time the rate limit allows).
 */
export type Comparison = "<=" | "<" | ">=" | "=";

export type Bound = number | { times: number; of: string };

export interface Target {
  figure: string;
  op: Comparison;
  bound: Bound;
  unit?: string;
}

const t = (figure: string, op: Comparison, bound: Bound, unit?: string): Target => ({ figure, op, bound, ...(unit ? { unit } : {}) });

export const TARGETS: Record<string, Target[]> = {
  queue: [t("jobs_per_s", ">=", 5000), t("p99_claim_ms_1m", "<=", 5, "ms"), t("rss_mb", "<", 150, "MB")],
  orders: [
    t("duplicates", "=", 0),
    t("cent_mismatches", "=", 0),
    t("p50_ms", "<=", 500, "ms"),
    t("p99_ms", "<=", 2000, "ms"),
    t("calls_per_order", "<=", 5),
    t("burst_drain_s", "<=", { times: 1.15, of: "burst_bound_s" }, "s"),
  ],
  "initial-sync": [
    t("ratio", "<=", 1.15),
    t("calls", "<=", { times: 1.05, of: "min_calls" }),
    t("sandbox_429s", "=", 0),
    t("rss_mb", "<=", 200, "MB"),
  ],
  "rackbeat-client": [t("ratio", "<=", 1.1), t("sandbox_429s", "=", 0)],
  stock: [t("p99_ms", "<=", 1000, "ms"), t("api_calls_to_woo", "<=", { times: 1.1, of: "min_calls_to_woo" })],
  "checkout-overhead": [t("p50_ms", "<=", 2, "ms"), t("db_queries_added", "<=", 3), t("network_calls", "=", 0)],
  "scale-out": [t("speedup", ">=", 2.5), t("sandbox_429s", "=", 0), t("duplicates", "=", 0)],
  soak: [t("losses", "=", 0), t("duplicates", "=", 0), t("stock_mismatches", "=", 0), t("rss_growth_pct", "<=", 20, "%")],
};

const SYMBOL: Record<Comparison, string> = { "<=": "≤", "<": "<", ">=": "≥", "=": "=" };

/** The target as people read it: "≤ 2 ms", "≤ 1.15 × burst_bound_s (1.25)". */
export function describeTarget(target: Target, figures?: Record<string, unknown>): string {
  const unit = target.unit ? ` ${target.unit}` : "";
  if (typeof target.bound === "number") return `${SYMBOL[target.op]} ${formatNumber(target.bound)}${unit}`;
  const of = figures?.[target.bound.of];
  return `${SYMBOL[target.op]} ${target.bound.times} × ${target.bound.of}${typeof of === "number" ? ` (${formatNumber(of)})` : ""}`;
}

export interface Verdict {
  pass: boolean;
  /** Why it failed when the figure could not be compared at all. */
  reason?: string;
}

/** Compares one figure of a run with its target. A missing or non-numeric figure fails. */
export function evaluate(target: Target, figures: Record<string, unknown>): Verdict {
  const measured = figures[target.figure];
  if (measured === undefined) return { pass: false, reason: "figure missing" };
  if (typeof measured !== "number" || !Number.isFinite(measured)) return { pass: false, reason: `not a number (${JSON.stringify(measured)})` };
  let bound: number;
  if (typeof target.bound === "number") bound = target.bound;
  else {
    const of = figures[target.bound.of];
    if (typeof of !== "number" || !Number.isFinite(of)) return { pass: false, reason: `${target.bound.of} missing` };
    bound = target.bound.times * of;
  }
  switch (target.op) {
    case "<=":
      return { pass: measured <= bound };
    case "<":
      return { pass: measured < bound };
    case ">=":
      return { pass: measured >= bound };
    case "=":
      return { pass: measured === bound };
  }
}

export function formatNumber(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString("en-US") : String(n);
}
