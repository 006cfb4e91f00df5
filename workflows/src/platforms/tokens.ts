import { isPlatformError } from './errors.js';

/**
 * Where a client gets the access token for one connected account. `refresh` is told which
 * token the platform refused, so that when another caller refreshed meanwhile the newer
 * token is returned instead of refreshing twice (with refresh-token rotation, a second
 * refresh with the old refresh token would fail and lose the account).
 */
export interface AccessTokenSource {
  accessToken(): Promise<string>;
  /** Absent for a token that cannot be refreshed: the platform's error then goes to the caller. */
  refresh?(rejectedAccessToken: string): Promise<string>;
}

/** Runs `call`; when the platform says the token expired, refreshes once and runs it again. */
export async function withAccessToken<T>(source: AccessTokenSource, call: (token: string) => Promise<T>): Promise<T> {
  const token = await source.accessToken();
  try {
    return await call(token);
  } catch (error) {
    if (!isPlatformError(error, 'TOKEN_EXPIRED') || !source.refresh) throw error;
    return call(await source.refresh(token));
  }
}

/** A source over one fixed token, for scripts and tests that manage tokens themselves. */
export function staticAccessToken(token: string): AccessTokenSource {
  return { accessToken: () => Promise.resolve(token) };
}
