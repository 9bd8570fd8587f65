/**
 * Rackbeat's failures as the bridge's named errors (bridge/src/lib/errors.ts), so the job runner
 * decides retry / park by type. Messages name the method, path and status — never the token.
 */
import {
  BridgeError,
  RateLimited,
  UpstreamAuthFailed,
  UpstreamNotFound,
  UpstreamRejected,
  UpstreamTimeout,
  UpstreamUnavailable,
} from "../lib/errors.js";

export interface RackbeatCallInfo {
  method: string;
  /** Path below the base URL, with query, e.g. "/products/ABC%2F1". */
  path: string;
  /** HTTP status, when one came back. */
  status?: number;
}

/** 429 after the client's own retries ran out; `retryAfterMs` carries the server's Retry-After. */
export class RackbeatRateLimited extends RateLimited {
  constructor(
    message: string,
    readonly call: RackbeatCallInfo,
    options?: { retryAfterMs?: number; cause?: unknown },
  ) {
    super(message, options);
  }
}

/** 5xx, or the connection failed. */
export class RackbeatUnavailable extends UpstreamUnavailable {
  constructor(
    message: string,
    readonly call: RackbeatCallInfo,
    options?: { retryAfterMs?: number; cause?: unknown },
  ) {
    super(message, options);
  }
}

/** No answer within the configured timeout. */
export class RackbeatTimeout extends UpstreamTimeout {
  constructor(
    message: string,
    readonly call: RackbeatCallInfo,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** 401/403: the token is missing, wrong or revoked. */
export class RackbeatAuthFailed extends UpstreamAuthFailed {
  constructor(
    message: string,
    readonly call: RackbeatCallInfo,
  ) {
    super(message);
  }
}

/** 404. */
export class RackbeatNotFound extends UpstreamNotFound {
  constructor(
    message: string,
    readonly call: RackbeatCallInfo,
  ) {
    super(message);
  }
}

/**
 * 422 (or 400): Rackbeat refused the data. `fieldErrors` holds Rackbeat's `errors` object with its
 * dotted paths, e.g. `{"lines.0.item_id": ["Product needed"]}`.
 */
export class RackbeatRejected extends UpstreamRejected {
  constructor(
    message: string,
    fieldErrors: Record<string, string[]>,
    readonly call: RackbeatCallInfo,
  ) {
    super(message, fieldErrors);
  }
}

/**
 * Creating an order with an own `number` that Rackbeat already has: 422 on `number`. The order
 * exporter relies on this for exactly-once — the order exists, read it instead of creating it.
 */
export class RackbeatOrderNumberTaken extends RackbeatRejected {
  constructor(
    readonly orderNumber: number,
    message: string,
    fieldErrors: Record<string, string[]>,
    call: RackbeatCallInfo,
  ) {
    super(message, fieldErrors, call);
  }
}

/** Rackbeat answered with something the client's schema does not accept (an API change or a bug). */
export class RackbeatResponseInvalid extends BridgeError {
  readonly retryable = false;
  constructor(
    message: string,
    readonly call: RackbeatCallInfo,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}
