// Each refusal arrives as the class for its code, whether the api answers it as a mutation's
// typed result (Pothos errors) or as a top-level error; network failures are their own class.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  ApiError,
  ConflictError,
  ForbiddenError,
  IdempotencyInProgressError,
  IdempotencyKeyReusedError,
  NetworkError,
  NotFoundError,
  Pressroom,
  RateLimitedError,
  UnauthenticatedError,
  UnavailableError,
  ValidationError,
  type FetchLike,
} from '../src/index.js';
import {
  gid,
  seedApiToken,
  seedOrganization,
  startTestApi,
  type SeededOrganization,
  type TestApi,
} from '../../api/test/kit.js';

let api: TestApi;
let org: SeededOrganization;
let writer: Pressroom;

beforeAll(async () => {
  api = await startTestApi();
  org = await seedOrganization(api);
  const { token } = await seedApiToken(api, org.organization.id, ['brands:read', 'posts:read', 'posts:write']);
  writer = new Pressroom({ url: api.url, token });
});
afterAll(() => api?.close());

describe('typed mutation results', () => {
  test('a missing object is NotFoundError', async () => {
    const error = await writer.posts
      .submitForReview(gid('Post', '00000000-0000-4000-8000-000000000000'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as NotFoundError).code).toBe('NOT_FOUND');
  });

  test('a post in the wrong state is ConflictError', async () => {
    const error = await writer.posts.submitForReview(org.posts.inReview.gid).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).code).toBe('CONFLICT');
  });

  test('refused input is ValidationError with the fields named', async () => {
    const error = await writer.batches
      .create({ brandId: org.brand.gid, brief: 'x', count: 0, platforms: ['TIKTOK'] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const issues = (error as ValidationError).issues;
    expect(issues.map((issue) => issue.path)).toContain('count');
  });
});

describe('top-level errors', () => {
  test('a token without the scope is ForbiddenError naming it', async () => {
    const { token } = await seedApiToken(api, org.organization.id, ['posts:read']);
    const reader = new Pressroom({ url: api.url, token });
    const error = await reader.batches
      .create({ brandId: org.brand.gid, brief: 'Brief', count: 1, platforms: ['TIKTOK'] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ForbiddenError);
    expect((error as ForbiddenError).message).toMatch(/posts:write/);
  });

  test('an unknown token is UnauthenticatedError', async () => {
    const stranger = new Pressroom({ url: api.url, token: 'prt_not-a-real-token' });
    await expect(stranger.brands.list().toArray()).rejects.toBeInstanceOf(UnauthenticatedError);
  });

  test('a malformed variable is ValidationError (BAD_USER_INPUT)', async () => {
    const error = await writer.posts
      .list({ status: ['NOPE' as never] })
      .toArray()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe('BAD_USER_INPUT');
  });

  test('an exhausted budget is RateLimitedError with retryAfter when pacing is off', async () => {
    const tight = await startTestApi({ API_TOKEN_COST_BUCKET: '30', API_TOKEN_COST_RESTORE_RATE: '1' });
    try {
      const other = await seedOrganization(tight);
      const { token } = await seedApiToken(tight, other.organization.id, ['posts:read']);
      const eager = new Pressroom({ url: tight.url, token, pacing: false, organizationId: other.organization.gid });
      const error = await eager.posts
        .list({ pageSize: 50 })
        .toArray()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RateLimitedError);
      expect((error as RateLimitedError).retryAfter).toBeGreaterThan(0);
    } finally {
      await tight.close();
    }
  });
});

describe('network failures are not refusals', () => {
  test('nothing listening is NetworkError, after the bounded retries', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    let calls = 0;
    const counting: FetchLike = (input, init) => {
      calls += 1;
      return fetch(input, init);
    };
    const client = new Pressroom({ url: `http://127.0.0.1:${port}`, token: 'prt_x', fetch: counting, maxRetries: 2 });
    const error = await client.brands.get(org.brand.gid).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).not.toBeInstanceOf(ApiError);
    expect(calls).toBe(3);
  });

  test('a proxy page instead of GraphQL is NetworkError', async () => {
    const proxy: FetchLike = () => Promise.resolve(new Response('<h1>502 Bad Gateway</h1>', { status: 502 }));
    const client = new Pressroom({ url: api.url, fetch: proxy, maxRetries: 0 });
    await expect(client.brands.get(org.brand.gid)).rejects.toBeInstanceOf(NetworkError);
  });
});

describe('idempotency keys', () => {
  function answering(bodies: unknown[], seen: Array<string | null>): FetchLike {
    return (_input, init) => {
      seen.push(new Headers(init.headers).get('idempotency-key'));
      const body = bodies.shift();
      return Promise.resolve(Response.json(body));
    };
  }
  const success = { data: { result: { __typename: 'MutationSubmitPostForReviewSuccess', data: { id: 'p' } } } };

  test('every mutation sends a fresh key, and the caller may choose it', async () => {
    const seen: Array<string | null> = [];
    const client = new Pressroom({ url: api.url, fetch: answering([success, success, success], seen) });
    await client.posts.submitForReview('a');
    await client.posts.submitForReview('a');
    await client.posts.submitForReview('a', { idempotencyKey: 'mine-1' });
    expect(seen[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen[1]).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen[0]).not.toBe(seen[1]);
    expect(seen[2]).toBe('mine-1');
  });

  test('a key reused with another request is IdempotencyKeyReusedError', async () => {
    const seen: Array<string | null> = [];
    const reused = {
      errors: [{ message: 'Key used for another request.', extensions: { code: 'IDEMPOTENCY_KEY_REUSED' } }],
    };
    const client = new Pressroom({ url: api.url, fetch: answering([reused], seen) });
    await expect(client.posts.submitForReview('a', { idempotencyKey: 'k' })).rejects.toBeInstanceOf(
      IdempotencyKeyReusedError,
    );
  });

  test('an in-progress key is sent again with the same key until it answers', async () => {
    const seen: Array<string | null> = [];
    const busy = { errors: [{ message: 'Still running.', extensions: { code: 'IDEMPOTENCY_IN_PROGRESS' } }] };
    const client = new Pressroom({ url: api.url, fetch: answering([busy, success], seen) });
    await expect(client.posts.submitForReview('a')).resolves.toEqual({ id: 'p' });
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBe(seen[1]);
    // Without pacing (and its retries), the in-progress answer is the caller's.
    const eager = new Pressroom({ url: api.url, pacing: false, fetch: answering([busy], []) });
    await expect(eager.posts.submitForReview('a')).rejects.toBeInstanceOf(IdempotencyInProgressError);
  });

  test("a network failure is retried with the same key, so the server can answer the first call's result", async () => {
    const keys: Array<string | null> = [];
    let failed = false;
    const flaky: FetchLike = (input, init) => {
      keys.push(new Headers(init.headers).get('idempotency-key'));
      if (!failed) {
        failed = true;
        return Promise.reject(new TypeError('fetch failed: socket hang up'));
      }
      return fetch(input, init);
    };
    const { token } = await seedApiToken(api, org.organization.id, ['brands:read', 'posts:read', 'posts:write']);
    const client = new Pressroom({ url: api.url, token, fetch: flaky });
    const post = await client.posts.create({ brandId: org.brand.gid, caption: 'Retried once' });
    expect(post.caption).toBe('Retried once');
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBeTruthy();
    expect(keys[1]).toBe(keys[0]);
  });

  test('UNAVAILABLE is UnavailableError (not retried: the caller decides)', async () => {
    const seen: Array<string | null> = [];
    const unavailable = { errors: [{ message: 'Workflows did not answer.', extensions: { code: 'UNAVAILABLE' } }] };
    const client = new Pressroom({ url: api.url, fetch: answering([unavailable], seen) });
    await expect(client.reviews.approve('a')).rejects.toBeInstanceOf(UnavailableError);
    expect(seen).toHaveLength(1);
  });
});
