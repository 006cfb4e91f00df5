import type { Database } from '@pressroom/db';
import { Kind, OperationTypeNode, parse, type OperationDefinitionNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { identify } from './auth/sessions.js';
import type { ApiConfig } from './config.js';
import type { Logger } from './logger.js';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  credentialOf,
  releaseIdempotencyKey,
  requestHash,
} from './services/idempotency.js';

export const idempotencyKeyHeader = 'idempotency-key';
export const idempotentReplayedHeader = 'idempotent-replayed';

// 1-255 printable ASCII characters (the contract the sdk generates keys for).
const validKey = /^[\x20-\x7e]{1,255}$/;

// Refusals that happen before anything acts (or, for UNAVAILABLE, after a workflow said
// nothing changed): the key is freed so that the same request sent again really runs.
const nothingDoneCodes = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'RATE_LIMITED', 'UNAVAILABLE']);

function jsonError(status: number, message: string, code: string): Response {
  return new Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
}

interface GraphQLBody {
  query?: unknown;
  operationName?: unknown;
  variables?: unknown;
}

/** The operation a JSON request would run, or null when it is not a well-formed single operation. */
function selectedOperation(body: GraphQLBody): OperationDefinitionNode | null {
  if (typeof body.query !== 'string') return null;
  try {
    const operations = parse(body.query).definitions.filter(
      (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
    );
    const name = typeof body.operationName === 'string' ? body.operationName : null;
    return (
      (name ? operations.find((op) => op.name?.value === name) : operations.length === 1 ? operations[0] : null) ?? null
    );
  } catch {
    return null; // Yoga answers the parse error itself.
  }
}

/**
 * True when the stored answer says nothing acted: every error is a refusal of the request or of
 * a mutation field itself, and no field has data. An error below a mutation field (a result field
 * the credential may not read, null bubbling up to `data`) came after the mutation ran.
 */
function refusedBeforeActing(status: number, body: string): boolean {
  if (status >= 500 && status !== 503) return false;
  let parsed: {
    data?: Record<string, unknown> | null;
    errors?: Array<{ path?: unknown[]; extensions?: { code?: unknown } }>;
  };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    return false;
  }
  if (!parsed.errors?.length) return false;
  const anyData = parsed.data && Object.values(parsed.data).some((value) => value !== null);
  return (
    !anyData &&
    parsed.errors.every(
      (error) => nothingDoneCodes.has(String(error.extensions?.code)) && (error.path?.length ?? 0) <= 1,
    )
  );
}

/**
 * `Idempotency-Key` on mutations: the same key from the same credential (API token, or the
 * signed-in person) answers with the first response byte for byte (`Idempotent-Replayed:
 * true`) and never runs the mutation twice; the same key with another request is refused with
 * IDEMPOTENCY_KEY_REUSED; a repeat arriving while the first still runs waits for it, then
 * gets IDEMPOTENCY_IN_PROGRESS. Keys live in PostgreSQL, so every api instance sees them.
 * Queries, subscriptions and requests without a credential ignore the header.
 */
export function idempotentMutations(deps: { db: Database; config: ApiConfig; logger: Logger }): Plugin {
  const { db, config, logger } = deps;
  const claimed = new WeakMap<Request, string>();
  const settings = { ttlMs: config.IDEMPOTENCY_KEY_TTL_HOURS * 3_600_000, waitMs: config.IDEMPOTENCY_WAIT_MS };
  return {
    async onRequest(payload) {
      const { request } = payload;
      const endResponse = (response: Response) => payload.endResponse(response);
      const key = request.headers.get(idempotencyKeyHeader);
      if (key === null || request.method !== 'POST') return;
      if (!request.headers.get('content-type')?.toLowerCase().startsWith('application/json')) return;
      if (!validKey.test(key)) {
        endResponse(jsonError(400, 'Idempotency-Key must be 1 to 255 printable ASCII characters.', 'BAD_USER_INPUT'));
        return;
      }
      let body: GraphQLBody;
      try {
        body = (await request.clone().json()) as GraphQLBody;
      } catch {
        return; // Not JSON: yoga refuses it.
      }
      if (!body || typeof body !== 'object' || Array.isArray(body)) return;
      if (selectedOperation(body)?.operation !== OperationTypeNode.MUTATION) return;
      const identified = await identify(db, config, {
        authorization: request.headers.get('authorization'),
        cookie: request.headers.get('cookie'),
      }).catch(() => null);
      // Without a credential there is no one to keep the key for; the request goes on unkeyed
      // (and is refused by the resolvers if it needs a viewer).
      if (!identified?.viewer) return;
      const claim = await claimIdempotencyKey(db, settings, {
        credential: credentialOf(identified.viewer),
        key,
        requestHash: requestHash({
          query: body.query as string,
          operationName: typeof body.operationName === 'string' ? body.operationName : null,
          variables: body.variables ?? null,
        }),
      });
      switch (claim.kind) {
        case 'claimed':
          claimed.set(request, claim.id);
          return;
        case 'replay':
          endResponse(
            new Response(claim.response.body, {
              status: claim.response.status,
              headers: { 'content-type': 'application/json; charset=utf-8', [idempotentReplayedHeader]: 'true' },
            }),
          );
          return;
        case 'reused':
          endResponse(
            jsonError(
              422,
              'This Idempotency-Key was already used for a different request; send a new key for a new request.',
              'IDEMPOTENCY_KEY_REUSED',
            ),
          );
          return;
        case 'in-progress':
          endResponse(
            jsonError(
              409,
              'A request with this Idempotency-Key is still running; send it again later to get its answer.',
              'IDEMPOTENCY_IN_PROGRESS',
            ),
          );
          return;
      }
    },
    async onResponse({ request, response }) {
      const id = claimed.get(request);
      if (!id) return;
      try {
        const body = await response.clone().text();
        if (refusedBeforeActing(response.status, body)) await releaseIdempotencyKey(db, id);
        else await completeIdempotencyKey(db, id, { status: response.status, body });
      } catch (error) {
        // The key stays RUNNING until it expires: repeats are refused as in progress, never run twice.
        logger.error({ err: error }, 'could not record an idempotent response');
      }
    },
  };
}
