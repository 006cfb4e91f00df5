import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import ErrorsPlugin from '@pothos/plugin-errors';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { Prisma } from '@pressroom/db';
import type { Permission } from '../auth/permissions.js';
import { can } from '../auth/viewer.js';
import type { ApiContext } from '../context.js';
import { InvalidInputError, forbidden, unauthenticated } from '../errors.js';
import type PrismaTypes from '../generated/pothos-prisma-types.js';
import { getDatamodel } from '../generated/pothos-prisma-types.js';

/** Global ids are `base64url(Type:id)`; anything else is bad input, never a crash. */
function decodeGlobalID(globalID: string): { typename: string; id: string } {
  const decoded = Buffer.from(globalID, 'base64url').toString('utf8');
  const colon = decoded.indexOf(':');
  if (
    globalID.length > 200 ||
    colon <= 0 ||
    colon === decoded.length - 1 ||
    !/^[A-Za-z]+$/.test(decoded.slice(0, colon))
  ) {
    throw new InvalidInputError('Malformed id.', [{ path: 'id', message: 'not an id this api issued' }]);
  }
  return { typename: decoded.slice(0, colon), id: decoded.slice(colon + 1) };
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
  };
}>({
  // Scope-auth first, so no other plugin's work runs before authorization.
  plugins: [ScopeAuthPlugin, ErrorsPlugin, PrismaPlugin, RelayPlugin, ComplexityPlugin],
  defaultFieldNullability: false,
  defaultInputFieldRequiredness: true,
  scopeAuth: {
    authorizeOnSubscribe: true,
    authScopes: (ctx) => ({
      authenticated: !!ctx.viewer,
      person: ctx.viewer?.kind === 'user',
      permission: ({ organizationId, permission }) => can(ctx.viewer, organizationId, permission),
    }),
    unauthorizedError: (_parent, ctx) => (ctx.viewer ? forbidden() : unauthenticated()),
  },
  prisma: {
    client: (ctx) => ctx.db,
    dmmf: getDatamodel(),
    exposeDescriptions: true,
    filterConnectionTotalCount: true,
    onUnusedQuery: null,
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    encodeGlobalID: (typename, id) => Buffer.from(`${typename}:${String(id)}`).toString('base64url'),
    decodeGlobalID,
    // Missing, deleted and other organizations' objects all answer null, the same way.
    nodeQueryOptions: {
      nullable: true,
      resolve: (_root, args, _ctx, _info, resolveNode) => nullWhenMissing(() => resolveNode(args.id)),
    },
    nodesQueryOptions: {
      nullable: { list: false, items: true },
      resolve: (_root, args, _ctx, _info, resolveNodes) =>
        args.ids.map((id) => nullWhenMissing(async () => (await resolveNodes([id]))[0])),
    },
  },
  errors: { defaultTypes: [] },
  complexity: {
    defaultComplexity: 1,
    defaultListMultiplier: 5,
  },
});

builder.queryType({});
builder.mutationType({});
