export interface BackoffPolicy {
  /** Delay before the first retry, in ms. */
  baseMs: number;
  /** No delay is longer than this, in ms. */
  maxMs: number;
}

/**
 * Exponential backoff with "full jitter": a random delay between 0 and base·2^(attempt−1), capped.
 * Jitter spreads retries of many jobs that failed together (an outage) so they do not return together.
 * `attempt` counts from 1 (the first retry).
 */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  // Keep at least half the ceiling so a retry is never immediate after a failure.
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Parses an HTTP Retry-After header (seconds or HTTP date) into ms from `now`. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
