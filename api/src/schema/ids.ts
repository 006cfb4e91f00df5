import { NotFoundError } from '../errors.js';

/** A decoded global id of the expected type; an id of any other type names nothing. */
export function idFor(globalId: { typename: string; id: string }, typename: string): string {
  if (globalId.typename !== typename) throw new NotFoundError(typename);
  return globalId.id;
}
