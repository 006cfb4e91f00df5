import SchemaBuilder from '@pothos/core';
import { isObjectType, type GraphQLSchema } from 'graphql';
import ComplexityPlugin from '@pothos/plugin-complexity';
import ErrorsPlugin from '@pothos/plugin-errors';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin, { resolveNodes } from '@pothos/plugin-relay';
import ScopeAuthPlugin, { AuthScopeFailureType, type AuthFailure } from '@pothos/plugin-scope-auth';
import { Prisma } from '@pressroom/db';
import type { Permission } from '../auth/permissions.js';
import { can, missingPermission, peopleOnly } from '../auth/viewer.js';
import type { ApiContext } from '../context.js';
import { forbidden, unauthenticated } from '../errors.js';
import type PrismaTypes from '../generated/pothos-prisma-types.js';
import { getDatamodel } from '../generated/pothos-prisma-types.js';
import { decodeGlobalId, encodeGlobalId } from './ids.js';
import TextInputPlugin from './text-input-plugin.js';

/** The first scope that refused, so FORBIDDEN can name what is missing. */
function refusedScope(failure: AuthFailure): { scope: string; parameter: unknown } | null {
  switch (failure.kind) {
    case AuthScopeFailureType.AuthScope:
      return failure;
    case AuthScopeFailureType.AnyAuthScopes:
    case AuthScopeFailureType.AllAuthScopes:
      for (const inner of failure.failures) {
        const found = refusedScope(inner);
        if (found) return found;
      }
      return null;
    default:
      return null;
  }
}

function forbiddenMessage(ctx: ApiContext, failure: AuthFailure, field: string): string {
  const refused = refusedScope(failure);
  if (ctx.viewer && refused?.scope === 'permission') {
    const { organizationId, permission } = refused.parameter as { organizationId: string; permission: Permission };
    return missingPermission(ctx.viewer, organizationId, permission);
  }
  if (refused?.scope === 'person') return peopleOnly;
  return `Not allowed to read ${field}.`;
}

/**
 * A connection returns this many items when asked for neither `first` nor `last`, and is
 * priced for as many (see connectionComplexity).
 */
export const defaultPageSize = 20;
const maxPageSize = 100;

/**
 * A connection's price: what one item costs, times the page asked for (or the default page).
 * Its `edges` list is not multiplied again (edgesFieldOptions below): the page is the count.
 */
export const connectionComplexity = (args: { first?: number | null; last?: number | null }) => ({
  field: 1,
  multiplier: args.first ?? args.last ?? defaultPageSize,
});

/**
 * A well-formed id names a node only if its type is one `node` can load: any other (a type
 * without `Node`, or none at all) names nothing, and answers like a missing object.
 */
export function isNodeType(schema: GraphQLSchema, typename: string): boolean {
  const type = schema.getType(typename);
  return isObjectType(type) && type.getInterfaces().some((candidate) => candidate.name === 'Node');
}

async function nullWhenMissing(load: () => unknown): Promise<unknown> {
  try {
    return (await load()) ?? null;
  } catch (error) {
    // Node lookups use findUniqueOrThrow; "no record" (P2025) is simply "no such node".
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025') return null;
    throw error;
  }
}

// The builder, for `nodes` to load through (it cannot name itself in its own options).
const self: { builder?: unknown } = {};

export const builder = new SchemaBuilder<{
  Context: ApiContext;
  PrismaTypes: PrismaTypes;
  AuthScopes: {
    /** A person or an API token. */
    authenticated: boolean;
    /** A person with a session (not a token). */
    person: boolean;
    /** The viewer holds `permission` in `organizationId`. */
    permission: { organizationId: string; permission: Permission };
  };
  DefaultFieldNullability: false;
  DefaultInputFieldRequiredness: true;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    BigInt: { Input: bigint; Output: bigint };
    File: { Input: File; Output: never };
  };
}>({
  // Scope-auth first, so no other plugin's work runs before authorization; text checks inside
  // the errors plugin's wrapper, so a refused argument becomes the field's ValidationError.
  plugins: [ScopeAuthPlugin, ErrorsPlugin, TextInputPlugin, PrismaPlugin, RelayPlugin, ComplexityPlugin],
  defaultFieldNullability: false,
  defaultInputFieldRequiredness: true,
  scopeAuth: {
    authorizeOnSubscribe: true,
    // Permission checks are cached per request by their value (organization and permission),
    // not by the identity of the object each post or publication makes for its check.
    cacheKey: (value) =>
      value && typeof value === 'object'
        ? `${(value as { organizationId: string }).organizationId}\u0000${(value as { permission: string }).permission}`
        : value,
    authScopes: (ctx) => ({
      authenticated: !!ctx.viewer,
      person: ctx.viewer?.kind === 'user',
      permission: ({ organizationId, permission }) => can(ctx.viewer, organizationId, permission),
    }),
    unauthorizedError: (_parent, ctx, info, result) =>
      ctx.viewer
        ? forbidden(forbiddenMessage(ctx, result.failure, `${info.parentType.name}.${info.fieldName}`))
        : unauthenticated(ctx.lapsedCredential),
  },
  prisma: {
    client: (ctx) => ctx.db,
    dmmf: getDatamodel(),
    exposeDescriptions: true,
    filterConnectionTotalCount: true,
    defaultConnectionSize: defaultPageSize,
    maxConnectionSize: maxPageSize,
    onUnusedQuery: null,
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    // The connection field already multiplies by its page size; edges are that page, once.
    edgesFieldOptions: { complexity: { field: 1, multiplier: 1 } },
    encodeGlobalID: encodeGlobalId,
    decodeGlobalID: decodeGlobalId,
    // Missing, deleted and other organizations' objects all answer null, the same way.
    nodeQueryOptions: {
      nullable: true,
      resolve: (_root, args, _ctx, info, resolveNode) =>
        nullWhenMissing(() => (isNodeType(info.schema, args.id.typename) ? resolveNode(args.id) : null)),
    },
    nodesQueryOptions: {
      nullable: { list: false, items: true },
      // One by one: relay's own callback loads every id of the request at once, so one missing
      // or unloadable id would sink the rest.
      resolve: (_root, args, ctx, info) =>
        args.ids.map((id) =>
          nullWhenMissing(async () =>
            isNodeType(info.schema, id.typename)
              ? (await resolveNodes(self.builder as never, ctx, info, [id]))[0]
              : null,
          ),
        ),
    },
  },
  errors: { defaultTypes: [] },
  complexity: {
    defaultComplexity: 1,
    defaultListMultiplier: 5,
  },
});

self.builder = builder;

builder.queryType({});
builder.mutationType({});
