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
  | 'AI_DISABLED'
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

  /**
   * graphql-js copies an original error's `extensions` onto the located error it wraps it in,
   * so a thrown DomainError already leaves execution with its code (and is answered as is).
   */
  get extensions(): Record<string, unknown> {
    return { code: this.code };
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

  override get extensions(): Record<string, unknown> {
    return { code: this.code, issues: this.issues };
  }

  static fromZod(error: ZodError): InvalidInputError {
    const issues = error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
    return new InvalidInputError(
      issues.map((issue) => `${issue.path || 'input'}: ${issue.message}`).join('; '),
      issues,
    );
  }
}

/** One limit of one network a post breaks (the limits table: workflows/src/platforms/limits.ts). */
export interface NetworkLimitViolation {
  network: string;
  limit: string;
  message: string;
}

/**
 * A post does not fit the networks it is being scheduled to: every violation of every network,
 * each naming the network and the limit. Nothing was scheduled.
 */
export class NetworkLimitsError extends DomainError {
  constructor(readonly violations: NetworkLimitViolation[]) {
    super(
      `The post does not fit ${[...new Set(violations.map((violation) => violation.network))].join(', ')}: ${violations
        .map((violation) => violation.message)
        .join('; ')}`,
      'BAD_USER_INPUT',
    );
  }

  override get extensions(): Record<string, unknown> {
    return { code: this.code, violations: this.violations };
  }
}

/** Also what another organization's object looks like: the same message, the same code. */
export class NotFoundError extends DomainError {
  constructor(what = 'object') {
    super(`No such ${what}.`, 'NOT_FOUND');
  }
}

/** "An APPROVED post", "A DRAFT post": the article a state's name takes, for messages that begin with it. */
export function withArticle(word: string): string {
  // Spelt-out states are read as words; a leading vowel letter is a vowel sound in all of them.
  return `${/^[AEIOU]/i.test(word) ? 'An' : 'A'} ${word}`;
}

export class ConflictError extends DomainError {
  constructor(message: string) {
    super(message, 'CONFLICT');
  }
}

/** What a post holds now, for an editor whose expectedVersion was stale. */
export interface CurrentPostText {
  version: number;
  title: string;
  caption: string;
  hashtags: string[];
}

/**
 * Someone saved the post after the editor loaded it. Carries what it holds now, so the editor
 * can compare and choose (take theirs, or send their own again with the current version).
 */
export class VersionConflictError extends DomainError {
  constructor(
    message: string,
    readonly current: CurrentPostText,
  ) {
    super(message, 'CONFLICT');
  }
}

/**
 * The organization has not opted into this AI feature (OrganizationSettings.aiTextEnabled /
 * aiImagesEnabled). Nothing was created and nothing was sent to a provider.
 */
export class AiDisabledError extends DomainError {
  constructor(
    message: string,
    readonly feature: 'text' | 'images',
  ) {
    super(message, 'AI_DISABLED');
  }

  override get extensions(): Record<string, unknown> {
    return { code: this.code, feature: this.feature };
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

/** Thrown, never returned: the viewer is known but lacks a permission; the message names it. */
export class ForbiddenError extends DomainError {
  constructor(message: string) {
    super(message, 'FORBIDDEN');
  }
}

export const signInOrSendToken = 'Sign in or send an API token.';

/** Thrown, never returned: nobody is signed in, or the credential sent no longer works (the message says why). */
export class UnauthenticatedError extends DomainError {
  constructor(message: string = signInOrSendToken) {
    super(message, 'UNAUTHENTICATED');
  }
}

/** Wrong email or password: one message for both, so accounts cannot be discovered. */
export class InvalidCredentialsError extends DomainError {
  constructor() {
    super('Wrong email or password.', 'UNAUTHENTICATED');
  }
}

// Authentication and authorization failures throw; they are not part of any result type.

export function unauthenticated(message: string | null = null): GraphQLError {
  return new GraphQLError(message ?? signInOrSendToken, { extensions: { code: 'UNAUTHENTICATED' } });
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}

export function badUserInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

export function rateLimited(message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'RATE_LIMITED', ...extensions } });
}
