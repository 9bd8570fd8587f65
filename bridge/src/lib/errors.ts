/**
 * Errors the job runner understands. The runner decides retry / park / skip by type, never by
 * parsing messages: adapters throw subclasses of these (RackbeatRateLimited extends RateLimited, …).
 */
export abstract class BridgeError extends Error {
  /** Whether running the same job again later may succeed. */
  abstract readonly retryable: boolean;
  /** Set when the far side told us when to come back (Retry-After). */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options?: { cause?: unknown; retryAfterMs?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retryAfterMs = options?.retryAfterMs;
  }
}

/** The far side asked us to slow down (HTTP 429). Retried after `retryAfterMs`. */
export class RateLimited extends BridgeError {
  readonly retryable = true;
}

/** The far side failed or could not be reached (5xx, connection refused, reset). Retried with backoff. */
export class UpstreamUnavailable extends BridgeError {
  readonly retryable = true;
}

/** The far side did not answer in time. Retried with backoff. */
export class UpstreamTimeout extends BridgeError {
  readonly retryable = true;
}

/** Our credentials were refused (401/403). Retrying the same job will not help until a person acts. */
export class UpstreamAuthFailed extends BridgeError {
  readonly retryable = false;
}

/** The far side does not have the resource (404). */
export class UpstreamNotFound extends BridgeError {
  readonly retryable = false;
}

/** The far side refused the data (422 / 400), with its field errors. */
export class UpstreamRejected extends BridgeError {
  readonly retryable = false;
  constructor(
    message: string,
    readonly fieldErrors: Record<string, string[]> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * A job that should not run and never will: the order does not qualify, the SKU breaks a rule, …
 * The job ends as "skipped" with this reason instead of being parked.
 */
export class Skip extends BridgeError {
  readonly retryable = false;
}

export function isRetryable(error: unknown): boolean {
  if (error instanceof BridgeError) return error.retryable;
  // Unknown errors (bugs, unexpected shapes) are retried a few times, then parked with their message.
  return true;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
