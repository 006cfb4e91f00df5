/**
 * The database id inside a GraphQL global id (base64url of `Type:id`), for the plain HTTP
 * routes (connect, disconnect) that name rows directly.
 */
export function databaseIdOf(globalId: string): string {
  const text = atob(globalId.replaceAll('-', '+').replaceAll('_', '/'));
  return text.slice(text.indexOf(':') + 1);
}
