import { describe, expect, it } from 'vitest';
import { TikTokEmulator } from '../src/emulators/tiktok.js';
import { classifyAnthropicResponse } from '../src/platforms/anthropic/index.js';
import type { FailureCategory } from '../src/platforms/errors.js';
import type { HttpResponse } from '../src/platforms/http.js';
import { classifyInstagramResponse } from '../src/platforms/instagram/index.js';
import { classifyOpenAIResponse } from '../src/platforms/openai/index.js';
import { classifyResendResponse } from '../src/platforms/resend/index.js';
import { classifySmtpFailure } from '../src/platforms/smtp/index.js';
import { classifyTelegramResponse } from '../src/platforms/telegram/index.js';
import { classifyTikTokResponse, createTikTokClient } from '../src/platforms/tiktok/index.js';
import { staticAccessToken } from '../src/platforms/tokens.js';
import { classifyYouTubeResponse } from '../src/platforms/youtube/index.js';
import { caught } from './helpers.js';

type Classifier = (
  response: HttpResponse,
  request: { operation: string; idempotent: boolean },
) => { category: FailureCategory } | null;

function answer(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  const bytes = Buffer.from(body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body));
  return {
    status,
    headers: new Headers(headers),
    body: bytes,
    text: () => bytes.toString('utf8'),
    json: <T>() => JSON.parse(bytes.toString('utf8')) as T,
  };
}

const clients: Record<string, Classifier> = {
  tiktok: classifyTikTokResponse,
  instagram: classifyInstagramResponse,
  youtube: classifyYouTubeResponse,
  telegram: classifyTelegramResponse,
  anthropic: classifyAnthropicResponse,
  openai: classifyOpenAIResponse,
  resend: classifyResendResponse,
};

/** A creating call (not idempotent): the only kind for which OUTCOME_UNKNOWN is possible. */
const create = { operation: 'create', idempotent: false };
const read = { operation: 'read', idempotent: true };

// [client, status, body, request, expected category (null: a success)]
const table: Array<[string, number, unknown, typeof create, FailureCategory | null]> = [
  // TikTok: the issue's case, an injected 400 whose envelope says internal_error.
  [
    'tiktok',
    400,
    { data: {}, error: { code: 'internal_error', message: 'injected HTTP 400' } },
    create,
    'REJECTED_BY_PLATFORM',
  ],
  ['tiktok', 400, undefined, create, 'REJECTED_BY_PLATFORM'],
  ['tiktok', 400, '<html>bad request</html>', create, 'REJECTED_BY_PLATFORM'],
  ['tiktok', 400, { data: {}, error: { code: 'invalid_params', message: 'bad' } }, create, 'REJECTED_BY_PLATFORM'],
  ['tiktok', 401, { data: {}, error: { code: 'access_token_invalid', message: 'x' } }, create, 'TOKEN_EXPIRED'],
  ['tiktok', 401, { data: {}, error: { code: 'internal_error', message: 'x' } }, create, 'TOKEN_EXPIRED'],
  ['tiktok', 401, undefined, create, 'TOKEN_EXPIRED'],
  [
    'tiktok',
    403,
    { data: {}, error: { code: 'spam_risk_too_many_posts', message: 'x' } },
    create,
    'REJECTED_BY_PLATFORM',
  ],
  ['tiktok', 429, { data: {}, error: { code: 'rate_limit_exceeded', message: 'x' } }, create, 'RATE_LIMITED'],
  ['tiktok', 400, { error: 'invalid_grant', error_description: 'x' }, create, 'REJECTED_BY_PLATFORM'],
  ['tiktok', 500, { data: {}, error: { code: 'internal_error', message: 'x' } }, create, 'OUTCOME_UNKNOWN'],
  ['tiktok', 500, { data: {}, error: { code: 'internal_error', message: 'x' } }, read, 'TRANSIENT'],
  ['tiktok', 503, undefined, create, 'OUTCOME_UNKNOWN'],
  ['tiktok', 502, 'gateway', read, 'TRANSIENT'],
  [
    'tiktok',
    200,
    { data: {}, error: { code: 'spam_risk_too_many_posts', message: 'x' } },
    create,
    'REJECTED_BY_PLATFORM',
  ],
  ['tiktok', 200, { data: { publish_id: 'p' }, error: { code: 'ok', message: '' } }, create, null],
  // Instagram: the body decides, within the status rule.
  ['instagram', 400, { error: { code: 190, message: 'expired' } }, create, 'TOKEN_EXPIRED'],
  ['instagram', 400, { error: { code: 4, message: 'throttled' } }, create, 'RATE_LIMITED'],
  ['instagram', 400, { error: { code: 9, error_subcode: 2207042, message: 'cap' } }, create, 'RATE_LIMITED'],
  ['instagram', 400, { error: { code: 2, message: 'temporarily unavailable' } }, create, 'REJECTED_BY_PLATFORM'],
  ['instagram', 400, { error: { code: 100, message: 'invalid parameter' } }, create, 'REJECTED_BY_PLATFORM'],
  ['instagram', 500, { error: { code: 1, message: 'unknown' } }, create, 'OUTCOME_UNKNOWN'],
  ['instagram', 500, { error: { code: 2, message: 'unknown' } }, read, 'TRANSIENT'],
  // YouTube.
  ['youtube', 403, { error: { message: 'quota', errors: [{ reason: 'quotaExceeded' }] } }, create, 'RATE_LIMITED'],
  ['youtube', 400, { error: { message: 'bad', errors: [{ reason: 'invalid' }] } }, create, 'REJECTED_BY_PLATFORM'],
  ['youtube', 401, undefined, create, 'TOKEN_EXPIRED'],
  ['youtube', 503, undefined, create, 'OUTCOME_UNKNOWN'],
  // Telegram: the envelope's error_code is the status.
  ['telegram', 400, { ok: false, error_code: 400, description: 'chat not found' }, create, 'REJECTED_BY_PLATFORM'],
  ['telegram', 401, { ok: false, error_code: 401, description: 'Unauthorized' }, create, 'REJECTED_BY_PLATFORM'],
  [
    'telegram',
    429,
    { ok: false, error_code: 429, description: 'x', parameters: { retry_after: 3 } },
    create,
    'RATE_LIMITED',
  ],
  ['telegram', 502, 'bad gateway', create, 'OUTCOME_UNKNOWN'],
  // AI providers and email.
  [
    'anthropic',
    400,
    { type: 'error', error: { type: 'invalid_request_error', message: 'x' } },
    create,
    'REJECTED_BY_PLATFORM',
  ],
  [
    'anthropic',
    401,
    { type: 'error', error: { type: 'authentication_error', message: 'x' } },
    create,
    'REJECTED_BY_PLATFORM',
  ],
  ['anthropic', 429, { type: 'error', error: { type: 'rate_limit_error', message: 'x' } }, create, 'RATE_LIMITED'],
  ['anthropic', 529, { type: 'error', error: { type: 'overloaded_error', message: 'x' } }, create, 'TRANSIENT'],
  ['anthropic', 500, undefined, create, 'OUTCOME_UNKNOWN'],
  [
    'openai',
    429,
    { error: { message: 'x', type: 'insufficient_quota', code: 'insufficient_quota' } },
    create,
    'REJECTED_BY_PLATFORM',
  ],
  ['openai', 429, { error: { message: 'x', type: 'requests', code: 'rate_limit_exceeded' } }, create, 'RATE_LIMITED'],
  [
    'openai',
    400,
    { error: { message: 'x', type: 'invalid_request_error', code: null } },
    create,
    'REJECTED_BY_PLATFORM',
  ],
  ['openai', 500, undefined, read, 'TRANSIENT'],
  ['resend', 422, { statusCode: 422, name: 'validation_error', message: 'x' }, create, 'REJECTED_BY_PLATFORM'],
  ['resend', 403, { statusCode: 403, name: 'invalid_api_key', message: 'x' }, create, 'REJECTED_BY_PLATFORM'],
  ['resend', 429, { statusCode: 429, name: 'rate_limit_exceeded', message: 'x' }, create, 'RATE_LIMITED'],
  ['resend', 500, undefined, create, 'OUTCOME_UNKNOWN'],
];

describe('classification of platform answers', () => {
  it.each(table)('%s HTTP %i %j (%o) → %s', (client, status, body, request, expected) => {
    const error = clients[client]!(answer(status, body), request);
    expect(error?.category ?? null).toBe(expected);
  });

  it('never calls a 4xx answer an unknown outcome, whatever the body, for any client', () => {
    const bodies = [
      undefined,
      'not json',
      {},
      { data: {}, error: { code: 'internal_error', message: 'x' } },
      { error: { code: 1, message: 'x' } },
      { error: { code: 2, message: 'x' } },
      { ok: false, error_code: 500, description: 'x' },
      { type: 'error', error: { type: 'api_error', message: 'x' } },
    ];
    for (const [name, classify] of Object.entries(clients)) {
      for (const status of [400, 401, 403, 404, 409, 413, 422, 429]) {
        for (const body of bodies) {
          const category = classify(answer(status, body), create)?.category;
          expect(category, `${name} ${status} ${JSON.stringify(body)}`).not.toBe('OUTCOME_UNKNOWN');
        }
      }
    }
  });

  it('SMTP: a reply decides (5xx refused, 4xx try later); only a dropped connection is unknown', () => {
    expect(classifySmtpFailure({ code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO' }).category).toBe(
      'REJECTED_BY_PLATFORM',
    );
    expect(classifySmtpFailure({ code: 'EENVELOPE', responseCode: 451, command: 'DATA' }).category).toBe('TRANSIENT');
    expect(classifySmtpFailure({ code: 'EAUTH', responseCode: 535 }).category).toBe('REJECTED_BY_PLATFORM');
    expect(classifySmtpFailure({ code: 'ESOCKET', originalCode: 'ECONNREFUSED' }).category).toBe('TRANSIENT');
    expect(classifySmtpFailure({ code: 'ETIMEDOUT', command: 'CONN' }).category).toBe('OUTCOME_UNKNOWN');
  });

  it('the issue’s fault on the TikTok emulator (a 400 at content/init) is a refusal, sent once', async () => {
    const emulator = new TikTokEmulator();
    const baseUrl = await emulator.start();
    const slept: number[] = [];
    try {
      const client = createTikTokClient({
        clientKey: emulator.clientKey,
        clientSecret: emulator.clientSecret,
        authBaseUrl: baseUrl,
        apiBaseUrl: baseUrl,
        http: {
          sleep: (ms) => {
            slept.push(ms);
            return Promise.resolve();
          },
        },
      });
      const user = emulator.createUser();
      const source = staticAccessToken(emulator.issueTokens(user.openId).access_token);
      emulator.server.inject({ pathPrefix: '/v2/post/publish/content/init/' }, { kind: 'status', status: 400 }, 1);
      const error = await caught(
        client.initPhotoPost(source, {
          postInfo: { privacy_level: 'SELF_ONLY' },
          photoUrls: ['https://x.example/a.jpg'],
        }),
      );
      expect(error).toMatchObject({ category: 'REJECTED_BY_PLATFORM', status: 400 });
      expect(slept).toEqual([]);
      expect(emulator.listPosts()).toHaveLength(0);
    } finally {
      await emulator.stop();
    }
  });
});
