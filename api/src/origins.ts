import type { ApiConfig } from './config.js';

/**
 * Which browser origins may use a person's cookies here: the api's own origin (the dashboard
 * is served from it), PUBLIC_BASE_URL's, and CORS_ORIGINS. The same rule decides CORS with
 * credentials over HTTP and whether a WebSocket's cookie counts.
 */
export function createOriginPolicy(config: Pick<ApiConfig, 'PUBLIC_BASE_URL' | 'HOST' | 'PORT' | 'CORS_ORIGINS'>) {
  const listed = new Set<string>([
    new URL(config.PUBLIC_BASE_URL ?? `http://${config.HOST}:${config.PORT}`).origin,
    ...config.CORS_ORIGINS,
  ]);
  return {
    /** `host` is the request's Host header: a page of the very address it was sent to is same-origin. */
    allows(origin: string, host: string | null | undefined): boolean {
      if (listed.has(origin)) return true;
      try {
        return !!host && new URL(origin).host === host;
      } catch {
        return false;
      }
    },
  };
}

export type OriginPolicy = ReturnType<typeof createOriginPolicy>;
