import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { PothosValidationError } from '@pothos/core';
import { complexityFromQuery } from '@pothos/plugin-complexity';
import { GraphQLError, Kind, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { spendCost } from './auth/rate-limit.js';
import type { ApiConfig } from './config.js';
import type { ApiContext } from './context.js';
import { DomainError } from './errors.js';
import type { Logger } from './logger.js';

/** Depth, alias, token and directive limits: checked while parsing and validating, before execution. */
export function queryShapeLimits(config: ApiConfig): Plugin[] {
  return [
    maxTokensPlugin({ n: config.GRAPHQL_MAX_TOKENS }),
    maxDepthPlugin({ n: config.GRAPHQL_MAX_DEPTH, flattenFragments: true }),
    maxAliasesPlugin({ n: config.GRAPHQL_MAX_ALIASES }),
    maxDirectivesPlugin({ n: 20 }),
  ] as Plugin[];
}

/**
 * Browsers send simple requests cross-site without asking (forms, images); a GraphQL request
 * that is not JSON must carry a header only scripts of an allowed origin can set.
 */
export function csrfPrevention(): Plugin {
  return {
    onRequestParse({ request }) {
      const contentType = request.headers.get('content-type')?.toLowerCase() ?? '';
      if (request.method === 'POST' && contentType.startsWith('application/json')) return;
      if (request.method === 'POST' && contentType.startsWith('application/graphql-response+json')) return;
      if (request.headers.has('x-pressroom-csrf')) return;
      throw createGraphQLError('Send the x-pressroom-csrf header with requests that are not JSON.', {
        extensions: { code: 'FORBIDDEN', http: { status: 403 } },
      });
    },
  };
}

function selectedOperationOnly(document: DocumentNode, operationName: string | null | undefined): DocumentNode {
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const selected = operationName ? operations.find((op) => op.name?.value === operationName) : operations[0];
  return {
    ...document,
    definitions: document.definitions.filter((d) => d.kind !== Kind.OPERATION_DEFINITION || d === selected),
  };
}

/**
 * Every operation is priced before it runs (Pothos complexity: each field 1, lists times their
 * page size). Anything over GRAPHQL_MAX_COST is refused; API tokens also pay from a bucket that
 * refills over time, and every answer reports the cost (and, for tokens, the budget) in
 * `extensions.cost`.
 */
export function queryCost(config: ApiConfig): Plugin<ApiContext> {
  return {
    async onExecute({ args: untypedArgs, setResultAndStopExecution }) {
      const args = untypedArgs as ExecutionArgs & { contextValue: ApiContext };
      const context = args.contextValue;
      let cost: number;
      try {
        cost = complexityFromQuery(selectedOperationOnly(args.document, args.operationName), {
          schema: args.schema,
          ctx: context,
          variables: args.variableValues ?? {},
        }).complexity;
      } catch {
        return; // Invalid variables: execution reports them properly.
      }
      const extensions: Record<string, unknown> = {
        requestedQueryCost: cost,
        maximumQueryCost: config.GRAPHQL_MAX_COST,
      };
      const stop = (error: GraphQLError) =>
        setResultAndStopExecution({ errors: [error], extensions: { cost: extensions } });
      if (cost > config.GRAPHQL_MAX_COST) {
        stop(
          new GraphQLError(`This query costs ${cost}; at most ${config.GRAPHQL_MAX_COST} is allowed.`, {
            extensions: { code: 'BAD_USER_INPUT' },
          }),
        );
        return;
      }
      const viewer = context.viewer;
      if (viewer?.kind === 'apiToken') {
        const budget = await spendCost(
          context.db,
          `cost:api-token:${viewer.apiTokenId}`,
          cost,
          config.API_TOKEN_COST_BUCKET,
          config.API_TOKEN_COST_RESTORE_RATE,
        );
        extensions.throttleStatus = {
          maximumAvailable: budget.maximumAvailable,
          currentlyAvailable: budget.currentlyAvailable,
          restoreRate: budget.restoreRate,
        };
        if (!budget.allowed) {
          const retryAfterSeconds = Math.ceil((cost - budget.currentlyAvailable) / budget.restoreRate);
          stop(
            new GraphQLError('Query cost budget exhausted; retry later.', {
              extensions: { code: 'RATE_LIMITED', retryAfterSeconds },
            }),
          );
          return;
        }
      }
      return {
        onExecuteDone({ result, setResult }) {
          if (Symbol.asyncIterator in result) return;
          const done = result as ExecutionResult;
          setResult({ ...done, extensions: { ...done.extensions, cost: extensions } });
        },
      };
    },
  };
}

function isGraphQLError(error: unknown): error is GraphQLError {
  // By name: graphql-js ships CommonJS and ESM builds, and yoga's errors may come from the other one.
  return error instanceof Error && error.name === 'GraphQLError';
}

/**
 * A DomainError thrown where no GraphQL execution wraps it (while building the context):
 * thrown on as a GraphQLError with its code, which maskError passes through unchanged.
 */
export function answerAsGraphQLError(error: unknown): never {
  if (error instanceof DomainError) {
    // No data can follow a credential that does not work: HTTP says so too (yoga strips `http`).
    const http = error.code === 'UNAUTHENTICATED' ? { http: { status: 401 } } : {};
    throw new GraphQLError(error.message, { extensions: { ...error.extensions, ...http }, originalError: error });
  }
  throw error;
}

// Refusals a client provoked: worth a line for whoever reads the logs, not an alarm or a stack.
const quietCodes = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT', 'RATE_LIMITED']);

/**
 * Expected failures keep their message and get their stable code; anything unexpected is
 * logged and answered as INTERNAL_SERVER_ERROR without details.
 *
 * yoga logs at error level, with the stack, every error this function replaces; an expected
 * one is therefore handed back as the very error received whenever it already carries its
 * code (graphql-js copies a thrown error's `extensions` onto the error it locates), and
 * logged here at info.
 */
export function maskError(logger: Logger) {
  return (error: unknown): Error => {
    const graphQLError = isGraphQLError(error) ? error : null;
    const original: unknown = graphQLError?.originalError ?? error;
    const expected =
      original instanceof DomainError || (isGraphQLError(original) && typeof original.extensions.code === 'string');
    if (expected) {
      const extensions = original.extensions as Record<string, unknown>;
      const code = extensions.code as string;
      if (quietCodes.has(code)) {
        logger.info({ code, path: graphQLError?.path, reason: (original as Error).message }, 'request refused');
      } else {
        // UNAVAILABLE, a workflow that did not start: expected enough to have a code, worth a warning.
        logger.warn({ err: original, path: graphQLError?.path }, 'request failed');
      }
      if (graphQLError?.extensions.code === code && graphQLError.message === (original as Error).message) {
        return graphQLError;
      }
      return new GraphQLError((original as Error).message, {
        nodes: graphQLError?.nodes,
        path: graphQLError?.path,
        extensions,
      });
    }
    // Pothos refuses inputs it decodes itself (a cursor that is not one of ours) with this class.
    if (original instanceof PothosValidationError) {
      logger.info({ code: 'BAD_USER_INPUT', path: graphQLError?.path, reason: original.message }, 'request refused');
      return new GraphQLError(original.message, {
        nodes: graphQLError?.nodes,
        path: graphQLError?.path,
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    if (isCursorOfWrongType(original)) {
      logger.info(
        { code: 'BAD_USER_INPUT', path: graphQLError?.path, reason: 'cursor of another type' },
        'request refused',
      );
      return new GraphQLError('Invalid cursor: it belongs to another list.', {
        nodes: graphQLError?.nodes,
        path: graphQLError?.path,
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    if (isGraphQLError(original)) {
      // Parse, validation and variable coercion errors: the request itself is wrong.
      if (!original.path) {
        return new GraphQLError(original.message, {
          nodes: original.nodes,
          extensions: { ...original.extensions, code: 'BAD_USER_INPUT' },
        });
      }
      return original;
    }
    logger.error({ err: original, path: graphQLError?.path }, 'unexpected error in a resolver');
    return new GraphQLError('Unexpected error.', {
      nodes: graphQLError?.nodes,
      path: graphQLError?.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  };
}

/**
 * Pothos decodes a cursor of its own format (`GPC:` and a tagged value) without checking the
 * value's type against the cursor field's: a number cursor (another list's, whose ids are
 * numbers) on a list of string ids reaches Prisma, which refuses the query. Prisma's message
 * marks the offending value; when it sits right inside `cursor: {`, the client sent it.
 */
function isCursorOfWrongType(error: unknown): boolean {
  return (
    error instanceof Error &&
    error.name === 'PrismaClientValidationError' &&
    /cursor: \{\s*\n\s*\w+: [^\n]*\n\s*~+\s*\n/.test(error.message)
  );
}

const stableCodes = new Set<string>([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
]);

/**
 * Parse, validation and limit errors reach the client without passing through maskError, some
 * with yoga's own codes (GRAPHQL_VALIDATION_FAILED ...); every error leaves with a stable code.
 */
export function stableErrorCodes(): Plugin {
  return {
    onResultProcess(payload) {
      const { result } = payload;
      if (Array.isArray(result) || Symbol.asyncIterator in result) return;
      const errors = (result as ExecutionResult).errors;
      const stable = (error: GraphQLError) => stableCodes.has(error.extensions?.code as string);
      if (!errors || errors.every(stable)) return;
      payload.setResult({
        ...(result as ExecutionResult),
        errors: errors.map((error) =>
          stable(error)
            ? error
            : new GraphQLError(error.message, {
                nodes: error.nodes,
                path: error.path,
                extensions: {
                  ...error.extensions,
                  code: error.path ? 'INTERNAL_SERVER_ERROR' : 'BAD_USER_INPUT',
                },
              }),
        ),
      });
    },
  };
}
