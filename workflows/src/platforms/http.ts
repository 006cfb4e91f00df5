import { PlatformError, parseRetryAfter, type FailureCategory } from './errors.js';

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: Buffer;
  text(): string;
  json<T = unknown>(): T;
}

export interface PlatformRequest {
  /** Names the call in errors and logs, e.g. `video/init`; never holds a token. */
  operation: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer | URLSearchParams;
  /**
   * True when repeating the request cannot make a second effect (reads, status polls,
   * token refresh is NOT idempotent under rotation). Only idempotent requests are retried
   * after a timeout or a 5xx; any request is retried after a 429 or a refused connection,
   * because the platform did not act on it.
   */
  idempotent: boolean;
  timeoutMs?: number;
}

/**
 * Turns a response into a classified error, or null when it is a success. Each platform
 * knows its own envelope (TikTok answers some errors with HTTP 200).
 */
export type ResponseClassifier = (response: HttpResponse, request: PlatformRequest) => PlatformError | null;

export interface HttpClientOptions {
  platform: string;
  classify: ResponseClassifier;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Retries after the first try, for the retryable cases above. */
  maxRetries?: number;
  /** A Retry-After longer than this is not waited out here: the error goes to the workflow. */
  maxRetryWaitMs?: number;
  /** Backoff base when the platform gave no Retry-After. */
  backoffBaseMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Told about each retry (no token, no URL query): for logs and tests. */
  onRetry?: (event: { operation: string; attempt: number; waitMs: number; category: FailureCategory }) => void;
}

export interface HttpClient {
  readonly platform: string;
  send(request: PlatformRequest): Promise<HttpResponse>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function toResponse(status: number, headers: Headers, body: Buffer): HttpResponse {
  return {
    status,
    headers,
    body,
    text: () => body.toString('utf8'),
    json: <T>() => JSON.parse(body.toString('utf8')) as T,
  };
}

/** Errors that mean the request never reached the server, so it cannot have had an effect. */
function neverSent(error: unknown): boolean {
  const code = (error as { cause?: { code?: string } }).cause?.code;
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? realSleep;
  const maxRetries = options.maxRetries ?? 3;
  const maxRetryWaitMs = options.maxRetryWaitMs ?? 30_000;
  const backoffBaseMs = options.backoffBaseMs ?? 500;
  const platform = options.platform;

  async function once(request: PlatformRequest): Promise<HttpResponse | PlatformError> {
    let response: Response;
    let body: Buffer;
    try {
      response = await doFetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: Buffer.isBuffer(request.body)
          ? // A view, not a copy: video chunks run to tens of MB.
            new Uint8Array(request.body.buffer as ArrayBuffer, request.body.byteOffset, request.body.byteLength)
          : request.body,
        signal: AbortSignal.timeout(request.timeoutMs ?? options.timeoutMs ?? 30_000),
        redirect: 'manual',
      });
      body = Buffer.from(await response.arrayBuffer());
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError';
      const category: FailureCategory = neverSent(error) || request.idempotent ? 'TRANSIENT' : 'OUTCOME_UNKNOWN';
      // The cause's message may quote the URL; keep only its code.
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      return new PlatformError(timedOut ? 'no response before the timeout' : `network error (${cause ?? 'failed'})`, {
        category,
        platform,
        operation: request.operation,
      });
    }
    const result = toResponse(response.status, response.headers, body);
    return options.classify(result, request) ?? result;
  }

  return {
    platform,
    async send(request) {
      for (let attempt = 0; ; attempt++) {
        const result = await once(request);
        if (!(result instanceof PlatformError)) return result;
        const retryable =
          result.category === 'RATE_LIMITED' ||
          (result.category === 'TRANSIENT' && (request.idempotent || !result.status));
        if (!retryable || attempt >= maxRetries) throw result;
        const waitMs = result.retryAfterMs ?? backoffBaseMs * 2 ** attempt;
        if (waitMs > maxRetryWaitMs) throw result;
        options.onRetry?.({ operation: request.operation, attempt: attempt + 1, waitMs, category: result.category });
        await sleep(waitMs);
      }
    },
  };
}

/** Retry-After from a response, in ms. */
export function retryAfterOf(response: HttpResponse): number | undefined {
  return parseRetryAfter(response.headers.get('retry-after'));
}

export function jsonBody(value: unknown): { body: string; headers: Record<string, string> } {
  return { body: JSON.stringify(value), headers: { 'content-type': 'application/json; charset=UTF-8' } };
}
