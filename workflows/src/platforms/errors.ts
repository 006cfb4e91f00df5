/**
 * How a failed platform call should be handled; the values match FailureCategory in
 * schema.prisma so workflows can store them as they are.
 * - TOKEN_EXPIRED: refresh the token and try again (once).
 * - RATE_LIMITED: wait (retryAfterMs when the platform said) and try again.
 * - REJECTED_BY_PLATFORM: the platform refused the request itself; retrying cannot help; show `reason`.
 * - TRANSIENT: the platform failed before doing anything; safe to retry.
 * - OUTCOME_UNKNOWN: a request that creates something may or may not have been carried out;
 *   look for what it may have made before trying again.
 */
export type FailureCategory =
  'TOKEN_EXPIRED' | 'RATE_LIMITED' | 'REJECTED_BY_PLATFORM' | 'TRANSIENT' | 'OUTCOME_UNKNOWN';

export interface PlatformErrorDetails {
  category: FailureCategory;
  platform: string;
  operation: string;
  /** The platform's own error code (`spam_risk_too_many_posts`, `190`...), when it gave one. */
  code?: string;
  status?: number;
  retryAfterMs?: number;
  /** The platform's request id (TikTok log_id, Meta fbtrace_id), for support tickets. */
  requestId?: string;
}

/** A classified failure. Its message never holds a token or a URL with credentials in it. */
export class PlatformError extends Error {
  override readonly name = 'PlatformError';
  readonly category: FailureCategory;
  readonly platform: string;
  readonly operation: string;
  readonly code?: string;
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly requestId?: string;

  constructor(message: string, details: PlatformErrorDetails) {
    super(`${details.platform} ${details.operation}: ${message}`);
    this.category = answeredCategory(details.status, details.category);
    this.platform = details.platform;
    this.operation = details.operation;
    this.code = details.code;
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
    this.requestId = details.requestId;
  }

  /** The platform's reason as it should be shown to a person or stored as failureReason. */
  get reason(): string {
    return this.code ? `${this.code}: ${this.message}` : this.message;
  }
}

export function isPlatformError(error: unknown, category?: FailureCategory): error is PlatformError {
  return error instanceof PlatformError && (category === undefined || error.category === category);
}

/**
 * The rule every client's classification ends in (PlatformError applies it): a platform that
 * answered with a 4xx refused the request and made nothing, whatever its body says, so the
 * outcome is known. Only 5xx answers, timeouts and lost answers may be OUTCOME_UNKNOWN.
 */
export function answeredCategory(status: number | undefined, category: FailureCategory): FailureCategory {
  if (category === 'OUTCOME_UNKNOWN' && status !== undefined && status >= 400 && status < 500) {
    return 'REJECTED_BY_PLATFORM';
  }
  return category;
}

/**
 * Category for an error the platform names as its own fault (TikTok `internal_error`, Graph
 * codes 1 and 2): a 5xx, unless the HTTP status is a 4xx, which stays a refusal.
 */
export function categoryForServerError(status: number, idempotent: boolean): FailureCategory {
  return categoryForStatus(status >= 400 && status < 500 ? status : 500, idempotent);
}

/** Category for an HTTP status the platform gave no better reason for. */
export function categoryForStatus(status: number, idempotent: boolean): FailureCategory {
  if (status === 401) return 'TOKEN_EXPIRED';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 500) return idempotent ? 'TRANSIENT' : 'OUTCOME_UNKNOWN';
  return 'REJECTED_BY_PLATFORM';
}

/** Parses Retry-After (seconds or an HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
