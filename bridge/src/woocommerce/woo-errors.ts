import {
  BridgeError,
  RateLimited,
  UpstreamAuthFailed,
  UpstreamNotFound,
  UpstreamRejected,
  UpstreamTimeout,
  UpstreamUnavailable,
} from "../lib/errors.js";

/**
 * Errors of the WooCommerce client, one per way a call can fail, so the job runner decides retry /
 * park by type (lib/errors.ts). Each carries WooCommerce's error `code` when the shop sent one.
 */

interface WooDetail {
  status?: number;
  code?: string;
  retryAfterMs?: number;
  cause?: unknown;
}

function options(detail: WooDetail): { cause?: unknown; retryAfterMs?: number } {
  const o: { cause?: unknown; retryAfterMs?: number } = {};
  if (detail.cause !== undefined) o.cause = detail.cause;
  if (detail.retryAfterMs !== undefined) o.retryAfterMs = detail.retryAfterMs;
  return o;
}

/** 429 from the shop (or its host/WAF). */
export class WooRateLimited extends RateLimited {
  readonly status = 429;
  readonly code: string | undefined;
  constructor(message: string, detail: WooDetail = {}) {
    super(message, options(detail));
    this.code = detail.code;
  }
}

/** 5xx, connection refused or reset: the shop is down or broke. */
export class WooUnavailable extends UpstreamUnavailable {
  readonly status: number | undefined;
  readonly code: string | undefined;
  constructor(message: string, detail: WooDetail = {}) {
    super(message, options(detail));
    this.status = detail.status;
    this.code = detail.code;
  }
}

/** No answer within the client's timeout. */
export class WooTimeout extends UpstreamTimeout {}

/**
 * 401/403: keys unknown, wrong secret, wrong OAuth signature (e.g. the shop URL differs from the
 * one WooCommerce signs for), read-only key used for a write.
 */
export class WooAuthFailed extends UpstreamAuthFailed {
  readonly status: number;
  readonly code: string | undefined;
  constructor(message: string, detail: WooDetail & { status: number }) {
    super(message, options(detail));
    this.status = detail.status;
    this.code = detail.code;
  }
}

/** 404: no such product, variation, order, customer or route. */
export class WooNotFound extends UpstreamNotFound {
  readonly status = 404;
  readonly code: string | undefined;
  constructor(message: string, detail: WooDetail = {}) {
    super(message, options(detail));
    this.code = detail.code;
  }
}

/** 400/409/413/422: WooCommerce refused the request (invalid parameter, duplicate SKU, too many batch items). */
export class WooRejected extends UpstreamRejected {
  readonly status: number;
  readonly code: string | undefined;
  readonly data: Record<string, unknown>;
  constructor(message: string, detail: WooDetail & { status: number; data?: Record<string, unknown>; fieldErrors?: Record<string, string[]> }) {
    super(message, detail.fieldErrors ?? {}, detail.cause === undefined ? undefined : { cause: detail.cause });
    this.status = detail.status;
    this.code = detail.code;
    this.data = detail.data ?? {};
  }
}

/** A 2xx answer that does not have the shape WooCommerce REST v3 documents. Not retried. */
export class WooResponseInvalid extends BridgeError {
  readonly retryable = false;
  constructor(
    message: string,
    readonly issues: string[],
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
  }
}

/** The shop is not paired with this bridge (any more), or its WooCommerce REST keys are gone. */
export class WooShopNotConnected extends UpstreamAuthFailed {
  constructor(readonly shopId: string) {
    super(`shop ${shopId} is not connected to this bridge (no WooCommerce REST keys)`);
  }
}
