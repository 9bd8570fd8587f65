/**
 * The Rackbeat rate gate shared by every bridge process on one PostgreSQL database, so N processes
 * together never exceed the token's limit. Same guarantee and interface as SlidingWindowRateGate
 * (rate-gate.ts), with the sliding log kept in the table `rate_gate_slots` instead of memory:
 *
 * - a slot is a row, counted from when a request is let through until `windowMs + safetyMs` after
 *   its response arrived (release() sets `free_at`);
 * - taking slots happens in a transaction under an advisory lock per gate, so two processes never
 *   both see the last free slot; times are the database's clock, so machines need not agree;
 * - a slot taken by a process that died before releasing it is counted until `inflightTimeoutMs`
 *   after it was taken (over-counting, never under-counting);
 * - a 429's Retry-After pauses every process (`rate_gate_pauses`).
 *
 * Within a process, waiters queue locally, live before bulk, and at most `maxConcurrent` requests
 * are in flight. A process that finds the gate full sleeps until the oldest released slot leaves the
 * window, or polls (`pollMs`) while every slot is in flight elsewhere.
 *
 * Why not rate-limiter-flexible's PostgreSQL store: it counts fixed windows (up to twice the limit
 * across a boundary against a server that counts a sliding window) and knows nothing of in-flight
 * requests or priorities; the reasoning of rate-gate.ts holds here too.
 */
import { createHash } from "node:crypto";
import type pg from "pg";
import { type AcquireOptions, PriorityWaiters, type RateGate, type RateGrant, type SlidingWindowRateGateOptions, sharedRateGateFor } from "./rate-gate.js";

export interface PostgresRateGateOptions extends Omit<SlidingWindowRateGateOptions, "now"> {
  /** An in-flight slot whose holder never released it is freed this long after it was taken. Default 2 windows, at least 2 min. */
  inflightTimeoutMs?: number;
  /** How often a waiting process looks again while every slot is in flight. Default 25 ms. */
  pollMs?: number;
  /** Who holds the slots (for diagnostics). Default the process id. */
  owner?: string;
}

const NOW_MS = "(extract(epoch from clock_timestamp()) * 1000)::bigint";

export class PostgresRateGate implements RateGate {
  readonly limit: number;
  readonly windowMs: number;
  readonly maxConcurrent: number;
  readonly safetyMs: number;
  private readonly inflightTimeoutMs: number;
  private readonly pollMs: number;
  private readonly owner: string;
  private inFlight = 0;
  private readonly waiters = new PriorityWaiters();
  private pumping = false;
  private again = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly pool: pg.Pool,
    /** The gate's name in the table: a hash of the token, never the token. */
    private readonly gate: string,
    options: PostgresRateGateOptions = {},
  ) {
    this.limit = options.limit ?? 480;
    this.windowMs = options.windowMs ?? 60_000;
    this.maxConcurrent = options.maxConcurrent ?? 16;
    this.safetyMs = options.safetyMs ?? Math.max(2, Math.ceil(this.windowMs / 100));
    this.inflightTimeoutMs = options.inflightTimeoutMs ?? Math.max(2 * this.windowMs, 120_000);
    this.pollMs = options.pollMs ?? 25;
    this.owner = options.owner ?? `pid-${process.pid}`;
    if (!(this.limit >= 1) || !(this.windowMs > 0) || !(this.maxConcurrent >= 1)) {
      throw new RangeError("PostgresRateGate needs limit ≥ 1, windowMs > 0 and maxConcurrent ≥ 1");
    }
  }

  acquire(options: AcquireOptions = {}): Promise<RateGrant> {
    const granted = this.waiters.add(options);
    this.pump();
    return granted;
  }

  pauseFor(ms: number): void {
    if (!(ms > 0)) return;
    this.pool
      .query(
        `INSERT INTO rate_gate_pauses (gate, paused_until) VALUES ($1, ${NOW_MS} + $2)
         ON CONFLICT (gate) DO UPDATE SET paused_until = greatest(rate_gate_pauses.paused_until, excluded.paused_until)`,
        [this.gate, Math.ceil(ms)],
      )
      .catch(() => undefined);
  }

  /** Slots counted right now across every process (in flight plus released within the window). */
  async used(): Promise<number> {
    const r = await this.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM rate_gate_slots WHERE gate = $1 AND free_at > ${NOW_MS}`, [
      this.gate,
    ]);
    return Number(r.rows[0]?.n ?? 0);
  }

  waiting(): number {
    return this.waiters.size;
  }

  private pump(): void {
    if (this.pumping) {
      this.again = true;
      return;
    }
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.pumping = true;
    void this.take()
      .then(
        (waitMs) => {
          this.pumping = false;
          if (this.again) {
            this.again = false;
            this.pump();
          } else if (waitMs !== null) {
            this.timer = setTimeout(() => {
              this.timer = null;
              this.pump();
            }, waitMs);
          }
        },
        () => {
          // The database is unreachable for now: try again shortly; waiters keep waiting.
          this.pumping = false;
          this.again = false;
          this.timer = setTimeout(() => {
            this.timer = null;
            this.pump();
          }, 250);
        },
      );
  }

  /** Takes as many slots as there are local waiters and room; returns how long to wait before trying again (null: nothing waits). */
  private async take(): Promise<number | null> {
    const wanted = Math.min(this.waiting(), this.maxConcurrent - this.inFlight);
    if (wanted <= 0) return null; // nothing waits, or a release() pumps again
    const client = await this.pool.connect();
    let ids: number[] = [];
    let waitMs = this.pollMs;
    try {
      await client.query("BEGIN");
      await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [`rbc:rate:${this.gate}`]);
      await client.query(`DELETE FROM rate_gate_slots WHERE gate = $1 AND free_at <= ${NOW_MS}`, [this.gate]);
      const state = await client.query<{ used: number; next_free: number | null; paused_ms: number | null; now_ms: number }>(
        `SELECT (SELECT count(*)::int FROM rate_gate_slots WHERE gate = $1) AS used,
                (SELECT min(free_at) FROM rate_gate_slots WHERE gate = $1 AND released = 1) AS next_free,
                (SELECT paused_until - ${NOW_MS} FROM rate_gate_pauses WHERE gate = $1) AS paused_ms,
                ${NOW_MS} AS now_ms`,
        [this.gate],
      );
      const { used, next_free, paused_ms, now_ms } = state.rows[0]!;
      if (paused_ms !== null && Number(paused_ms) > 0) {
        waitMs = Number(paused_ms);
      } else {
        const room = Math.min(wanted, this.limit - Number(used));
        if (room > 0) {
          const inserted = await client.query<{ id: number }>(
            `INSERT INTO rate_gate_slots (gate, owner, free_at, released)
             SELECT $1, $2, ${NOW_MS} + $3, 0 FROM generate_series(1, $4) RETURNING id`,
            [this.gate, this.owner, this.inflightTimeoutMs, room],
          );
          ids = inserted.rows.map((r) => Number(r.id));
        }
        if (next_free !== null) waitMs = Math.max(1, Math.min(this.pollMs * 4, Number(next_free) - Number(now_ms)));
      }
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    for (const id of ids) {
      const given = this.waiters.give(() => {
        this.inFlight++;
        return this.grant(id);
      });
      if (!given) {
        // The waiter gave up meanwhile: hand the slot back at once (it was never used).
        void this.pool.query("DELETE FROM rate_gate_slots WHERE id = $1", [id]).catch(() => undefined);
      }
    }
    return this.waiting() > 0 && this.inFlight < this.maxConcurrent ? waitMs : null;
  }

  private grant(id: number): RateGrant {
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.pool
          .query(`UPDATE rate_gate_slots SET released = 1, free_at = ${NOW_MS} + $2 WHERE id = $1`, [id, this.windowMs + this.safetyMs])
          .catch(() => undefined)
          .finally(() => {
            this.inFlight--;
            this.pump();
          });
      },
    };
  }
}

/**
 * Which gate a Rackbeat client gets for its token: the process's in-memory gate (SQLite, one
 * process), or — once `useDatabaseRateGates(pool)` was called, as the bridge does on PostgreSQL —
 * one PostgresRateGate per token shared with every process on that database.
 */
let databaseGates: { pool: pg.Pool; gates: Map<string, PostgresRateGate> } | undefined;

export function rateGateFor(token: string, options: SlidingWindowRateGateOptions = {}): RateGate {
  if (!databaseGates) return sharedRateGateFor(token, options);
  const key = createHash("sha256").update(token).digest("hex");
  let gate = databaseGates.gates.get(key);
  if (!gate) {
    const { now: _clock, ...rest } = options;
    gate = new PostgresRateGate(databaseGates.pool, key, rest);
    databaseGates.gates.set(key, gate);
  }
  return gate;
}

/** From now on, clients made in this process share their token's limit through `pool`'s database. Returns the undo. */
export function useDatabaseRateGates(pool: pg.Pool): () => void {
  const mine = { pool, gates: new Map<string, PostgresRateGate>() };
  databaseGates = mine;
  return () => {
    if (databaseGates === mine) databaseGates = undefined;
  };
}
