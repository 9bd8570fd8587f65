import { Counter, Gauge, Histogram, Registry } from "prom-client";

/**
 * Prometheus metrics for the bridge. One registry per bridge instance (tests start several in one
 * process, so nothing is registered globally).
 */
export class Metrics {
  readonly registry = new Registry();

  readonly jobsFinished = new Counter({
    name: "rbc_jobs_finished_total",
    help: "Jobs that ended, by kind and outcome (done, failed = retry scheduled, parked, skipped).",
    labelNames: ["kind", "outcome"] as const,
    registers: [this.registry],
  });

  readonly jobDuration = new Histogram({
    name: "rbc_job_duration_seconds",
    help: "Time a job's handler ran, by kind.",
    labelNames: ["kind"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly upstreamCalls = new Counter({
    name: "rbc_upstream_http_requests_total",
    help: "HTTP calls to Rackbeat and WooCommerce, by upstream and status (or 'error' without one).",
    labelNames: ["upstream", "status"] as const,
    registers: [this.registry],
  });

  readonly upstreamDuration = new Histogram({
    name: "rbc_upstream_http_duration_seconds",
    help: "Latency of HTTP calls to Rackbeat and WooCommerce.",
    labelNames: ["upstream"] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly httpRequests = new Counter({
    name: "rbc_http_requests_total",
    help: "Requests the bridge answered, by route and status.",
    labelNames: ["route", "status"] as const,
    registers: [this.registry],
  });

  readonly queueDepth = new Gauge({
    name: "rbc_queue_depth",
    help: "Jobs waiting to run.",
    registers: [this.registry],
  });

  readonly oldestWaitingSeconds = new Gauge({
    name: "rbc_queue_oldest_waiting_seconds",
    help: "Age of the oldest job waiting to run.",
    registers: [this.registry],
  });

  readonly parkedJobs = new Gauge({
    name: "rbc_jobs_parked",
    help: "Jobs parked after too many attempts, waiting for a person.",
    registers: [this.registry],
  });

  /** Records one upstream HTTP call. `status` is the HTTP status, or undefined when none came back. */
  recordUpstreamCall(upstream: "rackbeat" | "woocommerce", status: number | undefined, seconds: number): void {
    this.upstreamCalls.inc({ upstream, status: status === undefined ? "error" : String(status) });
    this.upstreamDuration.observe({ upstream }, seconds);
  }
}
