import { createHash, randomUUID } from 'node:crypto';
import { EmulatorClock, EmulatorServer, type EmulatorResponse } from './core.js';

// The Resend emulator: POST /emails with Idempotency-Key (same key and body within 24 h →
// the same id and no second email; same key, other body → 409), 2 requests/s per API key.

export interface ResendEmulatorOptions {
  clock?: EmulatorClock;
  apiKeys?: string[];
  requestsPerSecond?: number;
}

export interface EmulatedEmail {
  id: string;
  from: string;
  to: string[];
  subject: string;
  html?: string;
  text?: string;
  idempotencyKey?: string;
  sentAt: number;
}

function resendError(status: number, name: string, message: string): EmulatorResponse {
  return { status, body: { statusCode: status, name, message } };
}

export class ResendEmulator {
  readonly server: EmulatorServer;
  readonly emails: EmulatedEmail[] = [];
  private readonly idempotency = new Map<string, { hash: string; id: string; at: number }>();

  constructor(private readonly options: ResendEmulatorOptions = {}) {
    this.server = new EmulatorServer({
      name: 'resend',
      state: () => ({ emails: this.emails }),
      clock: options.clock,
      errorBody: (status, code, message) => ({
        statusCode: status,
        name:
          code ??
          (status === 429 ? 'rate_limit_exceeded' : status >= 500 ? 'internal_server_error' : 'application_error'),
        message,
      }),
    });
    this.server.route('POST', '/emails', (request) => {
      const key = request.bearer();
      if (!key) return resendError(401, 'missing_api_key', 'Missing API key in the authorization header');
      if (this.options.apiKeys && !this.options.apiKeys.includes(key)) {
        return resendError(403, 'invalid_api_key', 'API key is invalid');
      }
      const limit = this.options.requestsPerSecond ?? 2;
      const wait = this.server.rateLimit(key, limit, 1_000);
      if (wait > 0) {
        return {
          ...resendError(429, 'rate_limit_exceeded', 'Too many requests. You can only make 2 requests per second.'),
          headers: {
            'retry-after': String(wait),
            'ratelimit-limit': String(limit),
            'ratelimit-remaining': '0',
            'ratelimit-reset': String(wait),
          },
        };
      }
      const body = request.json<{
        from?: string;
        to?: string | string[];
        subject?: string;
        html?: string;
        text?: string;
      }>();
      const to = typeof body.to === 'string' ? [body.to] : body.to;
      if (!body.from || !to?.length || !body.subject) {
        return resendError(422, 'validation_error', 'from, to and subject are required');
      }
      if (!body.html && !body.text) return resendError(422, 'validation_error', 'html or text is required');
      if (to.length > 50) return resendError(422, 'validation_error', 'at most 50 recipients');

      const idempotencyKey = request.headers['idempotency-key'];
      const now = this.server.clock.now();
      const hash = createHash('sha256').update(request.body).digest('hex');
      if (typeof idempotencyKey === 'string') {
        if (idempotencyKey.length > 256) return resendError(400, 'invalid_idempotency_key', 'key is too long');
        const seen = this.idempotency.get(idempotencyKey);
        if (seen && seen.at + 24 * 3600_000 > now) {
          if (seen.hash !== hash) {
            return resendError(409, 'invalid_idempotent_request', 'Same idempotency key used with a different request');
          }
          return { status: 200, body: { id: seen.id } };
        }
      }
      const email: EmulatedEmail = {
        id: randomUUID(),
        from: body.from,
        to,
        subject: body.subject,
        html: body.html,
        text: body.text,
        idempotencyKey: typeof idempotencyKey === 'string' ? idempotencyKey : undefined,
        sentAt: now,
      };
      this.emails.push(email);
      if (email.idempotencyKey) this.idempotency.set(email.idempotencyKey, { hash, id: email.id, at: now });
      return { status: 200, body: { id: email.id } };
    });
  }

  start(port?: number): Promise<string> {
    return this.server.start(port);
  }

  stop(): Promise<void> {
    return this.server.stop();
  }
}
