import { InvalidInputError, NotFoundError } from '../errors.js';

/** Global ids are `base64url(Type:id)`. */
export function encodeGlobalId(typename: string, id: string | number | bigint): string {
  return Buffer.from(`${typename}:${String(id)}`).toString('base64url');
}

/** Anything that is not an id this api issued is bad input, never a crash. */
export function decodeGlobalId(globalId: string): { typename: string; id: string } {
  const decoded = globalId.length <= 200 ? Buffer.from(globalId, 'base64url').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  if (colon <= 0 || colon === decoded.length - 1 || !/^[A-Za-z]+$/.test(decoded.slice(0, colon))) {
    throw new InvalidInputError('Malformed id.', [{ path: 'id', message: 'not an id this api issued' }]);
  }
  return { typename: decoded.slice(0, colon), id: decoded.slice(colon + 1) };
}

/** A decoded global id of the expected type; an id of any other type names nothing. */
export function idFor(globalId: { typename: string; id: string }, typename: string): string {
  if (globalId.typename !== typename) throw new NotFoundError(typename);
  return globalId.id;
}

/**
 * Pothos hands over `{ select: {} }` when a client selects only `__typename` of a result;
 * Prisma refuses an empty select, so ask for the id alone then.
 */
export function selection<Q extends object>(query: Q): Q {
  if ('select' in query && query.select && typeof query.select === 'object' && Object.keys(query.select).length === 0) {
    return { ...query, select: { id: true } };
  }
  return query;
}
