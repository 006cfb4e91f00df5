import { GraphQLError } from 'graphql';
import type { ZodError } from 'zod';

/** Stable codes a client may branch on; they never change meaning. */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

// Expected failures: services throw these and the schema returns them as typed results.

export class DomainError extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export interface FieldIssue {
  path: string;
  message: string;
}

export class InvalidInputError extends DomainError {
  constructor(
    message: string,
    readonly issues: FieldIssue[],
  ) {
    super(message, 'BAD_USER_INPUT');
  }

  static fromZod(error: ZodError): InvalidInputError {
    const issues = error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
    return new InvalidInputError(
      issues.map((issue) => `${issue.path || 'input'}: ${issue.message}`).join('; '),
      issues,
    );
  }
}

/** Also what another organization's object looks like: the same message, the same code. */
export class NotFoundError extends DomainError {
  constructor(what = 'object') {
    super(`No such ${what}.`, 'NOT_FOUND');
  }
}

export class ConflictError extends DomainError {
  constructor(message: string) {
    super(message, 'CONFLICT');
  }
}

export class RateLimitedError extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, 'RATE_LIMITED');
  }
}

/** Thrown, never returned: the viewer is known but lacks the permission. */
/**
 * The change was saved but its workflow could not be started (Temporal refused or did not
 * answer). Not a typed result: the caller cannot fix it by changing the input, so it is a
 * top-level INTERNAL_SERVER_ERROR whose message says what state was left behind.
 */
export class WorkflowNotStartedError extends DomainError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'INTERNAL_SERVER_ERROR');
    if (options) this.cause = options.cause;
  }
}

/**
 * The workflows did not answer in time (Temporal unreachable, no worker polling). Nothing was
 * changed; the same request may be sent again.
 */
export class WorkflowUnavailableError extends DomainError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'UNAVAILABLE');
    if (options) this.cause = options.cause;
  }
}

export class ForbiddenError extends DomainError {
  constructor() {
    super('Not allowed.', 'FORBIDDEN');
  }
}

export class UnauthenticatedError extends DomainError {
  constructor() {
    super('Sign in or send an API token.', 'UNAUTHENTICATED');
  }
}

/** Wrong email or password: one message for both, so accounts cannot be discovered. */
export class InvalidCredentialsError extends DomainError {
  constructor() {
    super('Wrong email or password.', 'UNAUTHENTICATED');
  }
}

// Authentication and authorization failures throw; they are not part of any result type.

export function unauthenticated(): GraphQLError {
  return new GraphQLError('Sign in or send an API token.', { extensions: { code: 'UNAUTHENTICATED' } });
}

export function forbidden(): GraphQLError {
  return new GraphQLError('Not allowed.', { extensions: { code: 'FORBIDDEN' } });
}

export function badUserInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

export function rateLimited(message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'RATE_LIMITED', ...extensions } });
}
