/** One refused input field, as the api names it (`slides.2.body`). */
export interface FieldIssue {
  path: string;
  message: string;
}

/** A GraphQL error as it arrived, kept on every error the server caused. */
export interface GraphQLErrorEntry {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: Record<string, unknown>;
}

export interface ErrorDetails {
  /** The server's `x-request-id`, to quote when asking an operator. */
  requestId?: string | undefined;
  /** Every error of the answer (the first is this one). */
  errors?: GraphQLErrorEntry[] | undefined;
  issues?: FieldIssue[] | undefined;
  retryAfterSeconds?: number | undefined;
  cause?: unknown;
}

/** Everything the sdk throws derives from this. */
export class PressroomError extends Error {
  /** The server's code (`NOT_FOUND`...), or `NETWORK_ERROR` / `WEBHOOK_VERIFICATION` for the sdk's own. */
  readonly code: string;
  readonly requestId: string | undefined;
  readonly errors: GraphQLErrorEntry[];

  constructor(code: string, message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.code = code;
    this.requestId = details.requestId;
    this.errors = details.errors ?? [];
  }
}

/** The server answered and refused (or failed): the base of every coded error. */
export class ApiError extends PressroomError {}

/** No credential, or one that no longer works (revoked, expired, unknown token). */
export class UnauthenticatedError extends ApiError {}
/** The token lacks the scope this needs; the message names it. */
export class ForbiddenError extends ApiError {}
/** The input was refused; nothing changed. `issues` names the fields. */
export class ValidationError extends ApiError {
  readonly issues: FieldIssue[];
  constructor(code: string, message: string, details: ErrorDetails = {}) {
    super(code, message, details);
    this.issues = details.issues ?? [];
  }
}
/**
 * A webhook URL the server will not send to: not http(s), or its host resolves to a loopback,
 * private, link-local or unique-local address (unless the server sets
 * WEBHOOKS_ALLOW_PRIVATE_URLS). A ValidationError (code `BAD_USER_INPUT`), so code that handles
 * refused input handles it too; `reason` says what was wrong with the URL.
 */
export class UnsafeWebhookUrlError extends ValidationError {
  readonly reason: string;
  constructor(code: string, message: string, details: ErrorDetails & { reason?: string | undefined } = {}) {
    super(code, message, details);
    this.reason = details.reason ?? message;
  }
}
/** No such object (another organization's objects look exactly the same). */
export class NotFoundError extends ApiError {}
/** The object is not in a state that allows this, or changed meanwhile. */
export class ConflictError extends ApiError {}
/** Too many requests or an exhausted cost budget; send again after `retryAfter` seconds. */
export class RateLimitedError extends ApiError {
  /** Seconds to wait before sending again. */
  readonly retryAfter: number;
  constructor(code: string, message: string, details: ErrorDetails = {}) {
    super(code, message, details);
    this.retryAfter = details.retryAfterSeconds ?? 1;
  }
}
/** The workflows did not answer in time; nothing changed, send it again. */
export class UnavailableError extends ApiError {}
/** The idempotency key was used before with a different request; nothing ran. */
export class IdempotencyKeyReusedError extends ApiError {}
/** The first request with this idempotency key is still running; safe to send again later. */
export class IdempotencyInProgressError extends ApiError {}
/** The server failed unexpectedly (the message carries no details by design). */
export class InternalServerError extends ApiError {}

/** The request did not reach the server, or its answer did not come back (or was not GraphQL). */
export class NetworkError extends PressroomError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('NETWORK_ERROR', message, details);
  }
}

const classes: Record<string, new (code: string, message: string, details?: ErrorDetails) => ApiError> = {
  UNAUTHENTICATED: UnauthenticatedError,
  FORBIDDEN: ForbiddenError,
  BAD_USER_INPUT: ValidationError,
  NOT_FOUND: NotFoundError,
  CONFLICT: ConflictError,
  RATE_LIMITED: RateLimitedError,
  UNAVAILABLE: UnavailableError,
  IDEMPOTENCY_KEY_REUSED: IdempotencyKeyReusedError,
  IDEMPOTENCY_IN_PROGRESS: IdempotencyInProgressError,
  INTERNAL_SERVER_ERROR: InternalServerError,
};

/** The class for a server code; an unknown code is an ApiError that still carries it. */
export function errorFromCode(code: string, message: string, details: ErrorDetails = {}): ApiError {
  const Class = classes[code] ?? ApiError;
  return new Class(code, message, details);
}

function asIssues(value: unknown): FieldIssue[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter(
    (issue): issue is FieldIssue =>
      typeof issue === 'object' && issue !== null && typeof (issue as FieldIssue).path === 'string',
  );
}

/** The error for a response's top-level `errors` (the first one decides the class). */
export function errorFromGraphQLErrors(errors: GraphQLErrorEntry[], requestId?: string): ApiError {
  const first = errors[0] ?? { message: 'The server answered with an empty error list.' };
  const extensions = first.extensions ?? {};
  const code = typeof extensions.code === 'string' ? extensions.code : 'INTERNAL_SERVER_ERROR';
  const retryAfterSeconds = typeof extensions.retryAfterSeconds === 'number' ? extensions.retryAfterSeconds : undefined;
  return errorFromCode(code, first.message, {
    requestId,
    errors,
    issues: asIssues(extensions.issues),
    retryAfterSeconds,
  });
}

/** A mutation's typed failure (`... on Error`), as the class for its code. */
export interface ResultError {
  __typename: string;
  code: string;
  message: string;
  issues?: FieldIssue[];
  retryAfterSeconds?: number;
  /** UnsafeWebhookUrlError's */
  reason?: string;
}

export function errorFromResult(result: ResultError, requestId?: string): ApiError {
  // Typed results whose class is more precise than their code.
  if (result.__typename === 'UnsafeWebhookUrlError') {
    return new UnsafeWebhookUrlError(result.code, result.message, { requestId, reason: result.reason });
  }
  return errorFromCode(result.code, result.message, {
    requestId,
    issues: result.issues,
    retryAfterSeconds: result.retryAfterSeconds,
  });
}
