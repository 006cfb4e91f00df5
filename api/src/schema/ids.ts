import { NotFoundError } from '../errors.js';

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
