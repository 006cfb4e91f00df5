import type { EmailSender } from '../email/types.js';
import { PlatformError, categoryForStatus, type FailureCategory } from '../errors.js';
import { createHttpClient, jsonBody, retryAfterOf, type HttpClientOptions, type HttpResponse } from '../http.js';

export interface ResendClientOptions {
  apiKey: string;
  baseUrl?: string;
  http?: Omit<HttpClientOptions, 'platform' | 'classify'>;
}

const platform = 'resend';

export function classifyResendResponse(
  response: HttpResponse,
  request: { operation: string; idempotent: boolean },
): PlatformError | null {
  if (response.status < 300) return null;
  let name: string | undefined;
  let message = `HTTP ${response.status}`;
  try {
    const body = response.json<{ statusCode?: number; name?: string; message?: string }>();
    name = body.name;
    message = body.message ?? message;
  } catch {
    // Not JSON: the status decides.
  }
  // concurrent_idempotent_requests: the same key is still being processed; try again shortly.
  const category: FailureCategory =
    response.status === 429 || name === 'concurrent_idempotent_requests'
      ? 'RATE_LIMITED'
      : response.status === 401 || response.status === 403
        ? 'REJECTED_BY_PLATFORM'
        : categoryForStatus(response.status, request.idempotent);
  return new PlatformError(message, {
    category,
    platform,
    operation: request.operation,
    status: response.status,
    code: name,
    retryAfterMs: retryAfterOf(response),
  });
}

/** Resend's HTTP API. With an Idempotency-Key a send is safe to retry, so 5xx and timeouts are retried. */
export function createResendSender(options: ResendClientOptions): EmailSender {
  const http = createHttpClient({ ...options.http, platform, classify: classifyResendResponse });
  const url = new URL('/emails', options.baseUrl ?? 'https://api.resend.com').toString();
  return {
    provider: platform,
    async send(message) {
      const payload = jsonBody({
        from: message.from,
        to: message.to,
        subject: message.subject,
        ...(message.html ? { html: message.html } : {}),
        ...(message.text ? { text: message.text } : {}),
      });
      const response = await http.send({
        operation: 'emails',
        method: 'POST',
        url,
        idempotent: true,
        headers: {
          ...payload.headers,
          authorization: `Bearer ${options.apiKey}`,
          'idempotency-key': message.idempotencyKey,
        },
        body: payload.body,
      });
      return { id: response.json<{ id: string }>().id };
    },
  };
}
