/**
 * The sandbox's server-side rate limit: a sliding window per token [doc §3.1 simulator default:
 * 480 requests per minute per token, sliding window]. A request is admitted when fewer than
 * `limit` admitted requests arrived within the last `windowMs`; refused requests do not count
 * (Laravel's throttle middleware refuses before it records a hit) [inferred].
 */
export interface RateLimitSettings {
  limit: number;
  windowMs: number;
}

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** When refused: ms until the oldest counted request leaves the window. */
  retryAfterMs: number;
}

export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();
  /** Most requests ever counted inside one window, per key (tests compare it with the limit). */
  private peak = 0;

  constructor(
    public settings: RateLimitSettings | null,
    private readonly now: () => number = () => performance.now(),
  ) {}

  hit(key: string): RateDecision {
    const settings = this.settings;
    if (!settings) return { allowed: true, limit: Number.POSITIVE_INFINITY, remaining: Number.POSITIVE_INFINITY, retryAfterMs: 0 };
    const now = this.now();
    const times = this.hits.get(key) ?? [];
    // Keep only hits strictly inside (now − window, now].
    let drop = 0;
    while (drop < times.length && times[drop]! <= now - settings.windowMs) drop++;
    if (drop > 0) times.splice(0, drop);
    if (times.length >= settings.limit) {
      this.hits.set(key, times);
      const oldest = times[times.length - settings.limit]!;
      return { allowed: false, limit: settings.limit, remaining: 0, retryAfterMs: Math.max(0, oldest + settings.windowMs - now) };
    }
    times.push(now);
    this.hits.set(key, times);
    if (times.length > this.peak) this.peak = times.length;
    return { allowed: true, limit: settings.limit, remaining: settings.limit - times.length, retryAfterMs: 0 };
  }

  peakInWindow(): number {
    return this.peak;
  }

  reset(): void {
    this.hits.clear();
    this.peak = 0;
  }
}
