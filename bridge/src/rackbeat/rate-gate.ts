/**
 * Client-side pacing for Rackbeat's rate limit (480 requests per minute per token is the
 * practical figure, rackbeat-api.md §3.1). The client waits at the gate instead of bouncing off
 * the limit; a 429 that still comes (another process on the same token, a stricter server) pauses
 * the gate for the Retry-After the server named.
 *
 * `RateGate` is the seam: the in-memory gate below serves one process; a PostgreSQL-backed gate
 * shared by several bridge processes can implement the same interface later.
 *
 * Why not rate-limiter-flexible: its memory limiter counts fixed windows that start at the first
 * hit and its queue is FIFO only. Against a server that counts a sliding window, fixed windows
 * allow up to twice the limit across a window boundary (a full window's worth at the end of one
 * window and again at the start of the next), and there is no way to let live traffic overtake
 * bulk work. This gate keeps a sliding log instead and orders waiters by priority.
 *
 * The guarantee: a slot is counted from when the request is let through until `windowMs` after
 * its response arrived (`release()`), plus a small safety margin. The server saw the request
 * before we saw its response, so any `limit` consecutive requests reach the server more than
 * `windowMs` apart, whatever the network latency — never more than `limit` in any window.
 */
import { createHash } from "node:crypto";

export type RatePriority = "live" | "bulk";

export interface RateGrant {
  /** Call once the response arrived or the request failed; the slot counts from then. */
  release(): void;
}

export interface AcquireOptions {
  /** "live" (default) goes before every waiting "bulk" request (initial sync, reconciliation). */
  priority?: RatePriority;
  signal?: AbortSignal;
}

export interface RateGate {
  acquire(options?: AcquireOptions): Promise<RateGrant>;
  /** The far side asked for a pause (429 Retry-After): nobody is let through for `ms`. */
  pauseFor(ms: number): void;
}

export interface SlidingWindowRateGateOptions {
  /** Requests allowed per window. Default 480. */
  limit?: number;
  /** Window length in ms. Default 60,000. */
  windowMs?: number;
  /**
   * Requests in flight at once. Default 16. It only matters in bursts (at 480 per minute and
   * ~200 ms per call, two or three are in flight on average); it bounds how hard a burst hits the
   * server while leaving enough parallelism to use a fresh window quickly.
   */
  maxConcurrent?: number;
  /** Extra ms a slot stays counted after the window. Default 1 % of the window, at least 2 ms. */
  safetyMs?: number;
  /** Monotonic clock in ms (tests). Default performance.now. */
  now?: () => number;
}

interface Waiter {
  resolve: (grant: RateGrant) => void;
  reject: (error: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/**
 * Callers waiting for a slot, in two lines: live before bulk, first come first served within each.
 * A caller whose signal aborts leaves its line. Shared by every RateGate implementation.
 */
export class PriorityWaiters {
  private readonly live: Waiter[] = [];
  private readonly bulk: Waiter[] = [];

  /** Queues a caller; settles when `give` hands it a grant, or rejects when its signal aborts. */
  add(options: AcquireOptions = {}): Promise<RateGrant> {
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<RateGrant>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal, onAbort: undefined };
      const queue = options.priority === "bulk" ? this.bulk : this.live;
      if (signal) {
        waiter.onAbort = () => {
          const i = queue.indexOf(waiter);
          if (i >= 0) queue.splice(i, 1);
          reject(signal.reason);
        };
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      queue.push(waiter);
    });
  }

  get size(): number {
    return this.live.length + this.bulk.length;
  }

  /** Hands a grant made by `make` to the first waiter; false (and `make` not called) when nobody waits. */
  give(make: () => RateGrant): boolean {
    const next = this.live.shift() ?? this.bulk.shift();
    if (!next) return false;
    if (next.signal && next.onAbort) next.signal.removeEventListener("abort", next.onAbort);
    next.resolve(make());
    return true;
  }
}

export class SlidingWindowRateGate implements RateGate {
  readonly limit: number;
  readonly windowMs: number;
  readonly maxConcurrent: number;
  readonly safetyMs: number;
  private readonly now: () => number;
  private inFlight = 0;
  /** When each released slot becomes free again, ascending (releases happen in time order). */
  private readonly freeAt: number[] = [];
  private pausedUntil = 0;
  private readonly waiters = new PriorityWaiters();
  private timer: NodeJS.Timeout | null = null;
  private timerDue = 0;

  constructor(options: SlidingWindowRateGateOptions = {}) {
    this.limit = options.limit ?? 480;
    this.windowMs = options.windowMs ?? 60_000;
    this.maxConcurrent = options.maxConcurrent ?? 16;
    this.safetyMs = options.safetyMs ?? Math.max(2, Math.ceil(this.windowMs / 100));
    this.now = options.now ?? (() => performance.now());
    if (!(this.limit >= 1) || !(this.windowMs > 0) || !(this.maxConcurrent >= 1)) {
      throw new RangeError("SlidingWindowRateGate needs limit ≥ 1, windowMs > 0 and maxConcurrent ≥ 1");
    }
  }

  acquire(options: AcquireOptions = {}): Promise<RateGrant> {
    const granted = this.waiters.add(options);
    this.pump();
    return granted;
  }

  pauseFor(ms: number): void {
    if (!(ms > 0)) return;
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
    this.pump();
  }

  /** Slots counted right now (in flight plus released within the window). For tests and metrics. */
  used(): number {
    this.prune(this.now());
    return this.inFlight + this.freeAt.length;
  }

  waiting(): number {
    return this.waiters.size;
  }

  private prune(now: number): void {
    let drop = 0;
    while (drop < this.freeAt.length && this.freeAt[drop]! <= now) drop++;
    if (drop > 0) this.freeAt.splice(0, drop);
  }

  private pump(): void {
    for (;;) {
      if (this.waiters.size === 0) return;
      const now = this.now();
      if (now < this.pausedUntil) return this.wakeAt(this.pausedUntil);
      if (this.inFlight >= this.maxConcurrent) return; // a release() pumps again
      this.prune(now);
      if (this.inFlight + this.freeAt.length >= this.limit) {
        // Full: the next slot frees when the oldest released one leaves the window. If every slot
        // is in flight, a release() pumps again.
        const first = this.freeAt[0];
        if (first !== undefined) this.wakeAt(first);
        return;
      }
      this.waiters.give(() => {
        this.inFlight++;
        return this.grant();
      });
    }
  }

  private grant(): RateGrant {
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.inFlight--;
        this.freeAt.push(this.now() + this.windowMs + this.safetyMs);
        this.pump();
      },
    };
  }

  private wakeAt(due: number): void {
    if (this.timer && this.timerDue <= due) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDue = due;
    // Timers may fire a little early against performance.now(); pump() re-checks and re-arms.
    const delay = Math.max(0, Math.ceil(due - this.now()));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.pump();
    }, delay);
  }
}

/**
 * One gate per Rackbeat token in this process, so every client built for the same token
 * (sync workers, admin routes, the initial sync) shares one budget. Keyed by a hash, so the
 * token itself is not kept as a map key.
 */
const sharedGates = new Map<string, SlidingWindowRateGate>();

export function sharedRateGateFor(token: string, options: SlidingWindowRateGateOptions = {}): SlidingWindowRateGate {
  const key = createHash("sha256").update(token).digest("hex");
  let gate = sharedGates.get(key);
  if (!gate) {
    gate = new SlidingWindowRateGate(options);
    sharedGates.set(key, gate);
  }
  return gate;
}
