import { randomUUID } from "node:crypto";
import type { Activity } from "../activity/activity.js";
import { UpstreamTimeout, errorMessage } from "../lib/errors.js";
import { isStoreFull } from "../store/store-full.js";
import type { Logger } from "../observability/logger.js";
import type { Metrics } from "../observability/metrics.js";
import type { Job, JobQueue } from "./queue.js";

export interface JobContext {
  job: Job;
  /** Aborted when the job runs past its timeout or the bridge shuts down. */
  signal: AbortSignal;
  log: Logger;
  /** Adds a step to the job's activity record (no-op for jobs without one). */
  step(action: string, outcome: string, detail?: unknown): Promise<void>;
  /** Merges keys into the activity record's summary. */
  summarize(summary: Record<string, unknown>): Promise<void>;
  /** Marks the record "flagged" for a person to act on, once the job ends. */
  flag(reason: string): void;
}

export interface JobHandler {
  run(payload: unknown, context: JobContext): Promise<void>;
  /** Per-kind timeout; defaults to the runner's. */
  timeoutMs?: number;
}

export interface RunnerOptions {
  queue: JobQueue;
  activity: Activity;
  handlers: Map<string, JobHandler>;
  concurrency: number;
  timeoutMs: number;
  leaseMs: number;
  log: Logger;
  metrics?: Metrics;
  /** How often to look for due jobs when nothing wakes the runner. */
  pollMs?: number;
  owner?: string;
}

/** Waits between tries while the store's disk is full: 250 ms doubling to 5 s. */
const STORE_FULL_WAIT_MS = { first: 250, max: 5_000 };

/**
 * Runs jobs from the queue with bounded concurrency. Never crashes on a handler's error: the error
 * goes to the queue (retry or park) and the loop goes on.
 *
 * A full disk under the store (store/store-full.ts) stops no worker: claiming pauses and says so
 * once; a job whose outcome cannot be recorded keeps its slot and records it as soon as space is
 * back, so work already done is not done again (if its lease runs out meanwhile, the queue's lease
 * rules decide, as after a crash).
 */
export class JobRunner {
  readonly owner: string;
  private readonly running = new Map<number, { job: Job; controller: AbortController; done: Promise<void> }>();
  private stopping = false;
  private started = false;
  private wake: (() => void) | undefined;
  private loopDone: Promise<void> | undefined;
  private unsubscribe: (() => void) | undefined;
  private lastReclaim = 0;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  /** Since when claiming has failed because the store's disk is full (undefined: it has not). */
  private storeFullSince: number | undefined;

  constructor(private readonly options: RunnerOptions) {
    this.owner = options.owner ?? `worker-${process.pid}-${randomUUID().slice(0, 8)}`;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.unsubscribe = this.options.queue.onEnqueue(() => this.wake?.());
    // One timer extends the leases of all running jobs, so long jobs keep them.
    this.heartbeatTimer = setInterval(() => {
      for (const { job } of this.running.values()) void this.options.queue.heartbeat(job, this.owner).catch(() => undefined);
    }, Math.max(1_000, this.options.leaseMs / 3));
    this.heartbeatTimer.unref();
    this.loopDone = this.loop();
  }

  /** Stops claiming; waits up to `graceMs` for running jobs, then aborts and releases the rest. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.started) return;
    this.stopping = true;
    this.unsubscribe?.();
    clearInterval(this.heartbeatTimer);
    this.wake?.();
    await this.loopDone;
    const pending = [...this.running.values()];
    const timedOut = await Promise.race([
      Promise.all(pending.map((r) => r.done)).then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(true), graceMs).unref()),
    ]);
    if (timedOut) {
      for (const r of this.running.values()) {
        r.controller.abort(new Error("bridge shutting down"));
        await this.options.queue.release(r.job, this.owner);
      }
    }
  }

  get activeJobs(): number {
    return this.running.size;
  }

  private async loop(): Promise<void> {
    const pollMs = this.options.pollMs ?? 250;
    while (!this.stopping) {
      try {
        if (Date.now() - this.lastReclaim > Math.min(this.options.leaseMs / 4, 5_000)) {
          this.lastReclaim = Date.now();
          await this.options.queue.reclaimExpired();
        }
        const free = this.options.concurrency - this.running.size;
        if (free > 0) {
          const jobs = await this.options.queue.claim(this.owner, free, [...this.options.handlers.keys()]);
          if (this.storeFullSince !== undefined) {
            this.options.log.info({ full_for_ms: Date.now() - this.storeFullSince }, "the store takes writes again; jobs resume");
            this.storeFullSince = undefined;
          }
          for (const job of jobs) this.launch(job);
          if (jobs.length === free) continue;
        }
      } catch (error) {
        if (!isStoreFull(error)) this.options.log.error({ err: errorMessage(error) }, "job loop error; retrying");
        else if (this.storeFullSince === undefined) {
          this.storeFullSince = Date.now();
          this.options.log.error({ err: errorMessage(error) }, "the store's disk is full: no job is started until space is freed");
        }
      }
      const waitMs = this.storeFullSince === undefined ? pollMs : Math.max(pollMs, STORE_FULL_WAIT_MS.max);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  private launch(job: Job): void {
    const controller = new AbortController();
    const done = this.execute(job, controller).finally(() => {
      this.running.delete(job.id);
      this.wake?.();
    });
    this.running.set(job.id, { job, controller, done });
  }

  /**
   * A write about `job` (its outcome), tried again while the store's disk is full, until the bridge
   * stops. Any other error is thrown at once.
   */
  private async whileStoreFull<T>(job: Job, write: () => Promise<T>): Promise<T> {
    let waitMs = STORE_FULL_WAIT_MS.first;
    let said = false;
    for (;;) {
      try {
        return await write();
      } catch (error) {
        if (!isStoreFull(error) || this.stopping) throw error;
        if (!said) {
          said = true;
          this.options.log.error({ job: job.id, kind: job.kind, err: errorMessage(error) }, "the store's disk is full: the job's outcome waits in memory until it can be recorded");
        }
        await new Promise((resolve) => setTimeout(resolve, waitMs));
        waitMs = Math.min(STORE_FULL_WAIT_MS.max, waitMs * 2);
      }
    }
  }

  private async execute(job: Job, controller: AbortController): Promise<void> {
    const { queue, activity, metrics } = this.options;
    const handler = this.options.handlers.get(job.kind);
    // A child logger per job costs more than a fast job itself: made on first use only.
    let childLog: Logger | undefined;
    const jobLog = () => (childLog ??= this.options.log.child({ job: job.id, kind: job.kind, shop: job.shopId ?? undefined }));
    const timeoutMs = handler?.timeoutMs ?? this.options.timeoutMs;
    let flagged: string | undefined;
    const record = job.recordId === null ? undefined : activity.buffer(job.recordId);
    const flushRecord = async () => {
      try {
        // On a full disk the steps wait in memory like the outcome (whileStoreFull) and are written after.
        if (record) await this.whileStoreFull(job, () => record.flush());
      } catch (error) {
        jobLog().warn({ err: errorMessage(error) }, "could not write the job's activity steps");
      }
    };
    const context: JobContext = {
      job,
      signal: controller.signal,
      get log() {
        return jobLog();
      },
      step: async (action, outcome, detail) => {
        await record?.step(action, outcome, detail);
      },
      summarize: async (summary) => {
        await record?.summarize(summary);
      },
      flag: (reason) => {
        flagged = reason;
      },
    };
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      if (!handler) throw new Error(`no handler for job kind "${job.kind}"`);
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const error = new UpstreamTimeout(`job ran longer than ${timeoutMs} ms`);
          controller.abort(error);
          reject(error);
        }, timeoutMs);
      });
      await Promise.race([handler.run(job.payload, context), timeout]);
      await flushRecord();
      clearTimeout(timer);
      // The work is done: its completion is recorded even if the disk is full right now.
      const finished = await this.whileStoreFull(job, () => queue.complete(job, this.owner));
      if (finished && flagged !== undefined && job.recordId !== null) {
        await activity.setState(job.recordId, "flagged", flagged);
      }
      metrics?.jobsFinished.inc({ kind: job.kind, outcome: finished ? "done" : "lost_lease" });
      if (!finished) jobLog().warn("job finished after its lease was lost; the other worker's run counts");
    } catch (error) {
      await flushRecord();
      if (this.stopping && controller.signal.aborted) {
        await queue.release(job, this.owner);
        return;
      }
      const outcome = await this.whileStoreFull(job, () => queue.fail(job, this.owner, error)).catch((e: unknown) => {
        jobLog().error({ err: errorMessage(e) }, "could not record job failure");
        return undefined;
      });
      const label = outcome === undefined ? "skipped" : outcome.state === "parked" ? "parked" : "failed";
      metrics?.jobsFinished.inc({ kind: job.kind, outcome: label });
      const level = label === "parked" ? "error" : label === "skipped" ? "info" : "warn";
      jobLog()[level]({ err: errorMessage(error), attempts: job.attempts }, `job ${label}`);
    } finally {
      clearTimeout(timer);
      metrics?.jobDuration.observe({ kind: job.kind }, (performance.now() - started) / 1000);
    }
  }
}
