import {
  AiDisabledError,
  ConflictError,
  DomainError,
  InvalidCredentialsError,
  InvalidInputError,
  NetworkLimitsError,
  NotFoundError,
  RateLimitedError,
  VersionConflictError,
} from '../errors.js';
import { builder } from './builder.js';

/** Every expected failure a mutation can return carries a message and a stable code. */
export const ErrorInterface = builder.interfaceRef<DomainError>('Error').implement({
  fields: (t) => ({
    message: t.exposeString('message'),
    code: t.exposeString('code', {
      description:
        'UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT, NOT_FOUND, CONFLICT, RATE_LIMITED or AI_DISABLED; never changes.',
    }),
  }),
});

const FieldIssue = builder.objectRef<{ path: string; message: string }>('FieldIssue').implement({
  fields: (t) => ({
    path: t.exposeString('path', { description: 'Dotted path of the input field, e.g. `slides.2.body`.' }),
    message: t.exposeString('message'),
  }),
});

builder.objectType(InvalidInputError, {
  name: 'ValidationError',
  description: 'The input was refused; nothing changed.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof InvalidInputError,
  fields: (t) => ({ issues: t.field({ type: [FieldIssue], resolve: (error) => error.issues }) }),
});

const NetworkLimitViolation = builder
  .objectRef<{ network: string; limit: string; message: string }>('NetworkLimitViolation')
  .implement({
    fields: (t) => ({
      network: t.exposeString('network', {
        description: 'The network (TIKTOK, INSTAGRAM, YOUTUBE, TELEGRAM..., or BLOG).',
      }),
      limit: t.exposeString('limit', {
        description:
          "FORMAT (the network does not take the post's format: an article goes only to the blog), CAPTION_LENGTH, TITLE_LENGTH, TITLE_REQUIRED, HASHTAG_COUNT, MEDIA_COUNT, MEDIA_TYPE, ASPECT_RATIO, DURATION, FILE_SIZE or VIDEO_REQUIRED.",
      }),
      message: t.exposeString('message'),
    }),
  });

builder.objectType(NetworkLimitsError, {
  name: 'NetworkLimitsError',
  description: 'The post breaks limits of networks it was to be scheduled to; nothing was scheduled.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof NetworkLimitsError,
  fields: (t) => ({ violations: t.field({ type: [NetworkLimitViolation], resolve: (error) => error.violations }) }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  description: "No such object — or one of another organization's, which looks exactly the same.",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof NotFoundError,
});

builder.objectType(ConflictError, {
  name: 'ConflictError',
  description: 'The object is not in a state that allows this (or changed meanwhile).',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ConflictError,
});

builder.objectType(VersionConflictError, {
  name: 'VersionConflictError',
  description:
    'Someone saved the post after the version you sent (expectedVersion). Nothing changed; it carries what the post holds now.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof VersionConflictError,
  fields: (t) => ({
    currentVersion: t.int({ resolve: (error) => error.current.version }),
    currentTitle: t.string({ resolve: (error) => error.current.title }),
    currentCaption: t.string({ resolve: (error) => error.current.caption }),
    currentHashtags: t.stringList({ resolve: (error) => error.current.hashtags }),
  }),
});

builder.objectType(AiDisabledError, {
  name: 'AiDisabledError',
  description:
    'The organization has not turned on this AI feature (setOrganizationAi); nothing was created and nothing was sent to an AI provider.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof AiDisabledError,
  fields: (t) => ({ feature: t.exposeString('feature', { description: '`text` or `images`.' }) }),
});

builder.objectType(RateLimitedError, {
  name: 'RateLimitedError',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof RateLimitedError,
  fields: (t) => ({ retryAfterSeconds: t.exposeInt('retryAfterSeconds') }),
});

builder.objectType(InvalidCredentialsError, {
  name: 'InvalidCredentialsError',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof InvalidCredentialsError,
});

/** The failures most mutations on existing objects can return. */
export const objectMutationErrors = [InvalidInputError, NotFoundError, ConflictError];

/** Edits and review decisions that name the version they were made against. */
export const versionedMutationErrors = [...objectMutationErrors, VersionConflictError];
