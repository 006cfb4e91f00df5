import type { CombinedError } from '@urql/core';

export interface Problem {
  message: string;
  /** The api's x-request-id, to quote when asking for help. */
  requestId?: string | undefined;
}

/** What went wrong with a request, in the server's words, with its request id. */
export function problemOf(error: CombinedError): Problem {
  const response = error.response as Response | undefined;
  const requestId = response?.headers?.get?.('x-request-id') ?? undefined;
  const first = error.graphQLErrors[0];
  const message =
    first?.message ?? (error.networkError ? `Cannot reach the server (${error.networkError.message}).` : error.message);
  return { message, requestId };
}

/** A mutation's typed result: its data on success, else the expected failure's message. */
export type Outcome<T> = { ok: true; data: T } | { ok: false; problem: Problem };

type ResultUnion<T> = { __typename?: string; data?: T; message?: string } | null | undefined;

/**
 * Reads a mutation's answer: a transport or authorization error, a typed failure
 * (ValidationError, ConflictError...) or the `data` of its success type.
 */
export function outcomeOf<T>(result: { error?: CombinedError | undefined }, union: ResultUnion<T>): Outcome<T> {
  if (result.error) return { ok: false, problem: problemOf(result.error) };
  if (!union) return { ok: false, problem: { message: 'The server sent no answer.' } };
  if (union.__typename?.endsWith('Success') && union.data !== undefined) return { ok: true, data: union.data };
  return { ok: false, problem: { message: union.message ?? 'The server refused this.' } };
}
