// Cost-aware pacing against the real api with a small budget: the sdk waits for the bucket
// instead of being refused, retries a refusal after its retry-after, and can be turned off.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Pressroom, RateLimitedError, type FetchLike, type QueryCost } from '../src/index.js';
import {
  seedApiToken,
  seedOrganization,
  startTestApi,
  type SeededOrganization,
  type TestApi,
} from '../../api/test/kit.js';

let api: TestApi;
let org: SeededOrganization;
// A bucket of 400 refilled at 200 a second.
const bucket = 400;
const restoreRate = 200;

beforeAll(async () => {
  api = await startTestApi({
    API_TOKEN_COST_BUCKET: String(bucket),
    API_TOKEN_COST_RESTORE_RATE: String(restoreRate),
  });
  org = await seedOrganization(api);
});
afterAll(() => api?.close());

function recording() {
  const refusals: number[] = [];
  const costs: QueryCost[] = [];
  const fetchSpy: FetchLike = async (input, init) => {
    const response = await fetch(input, init);
    const copy = response.clone();
    const body = (await copy.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
    if (body.errors?.some((error) => error.extensions?.code === 'RATE_LIMITED')) refusals.push(Date.now());
    return response;
  };
  return { refusals, costs, fetchSpy };
}

async function client(options: { pacing: boolean }) {
  const { token } = await seedApiToken(api, org.organization.id, ['posts:read', 'brands:read']);
  const record = recording();
  const pressroom = new Pressroom({
    url: api.url,
    token,
    fetch: record.fetchSpy,
    organizationId: org.organization.gid,
    onCost: (cost) => record.costs.push(cost),
    ...options,
  });
  return { pressroom, token, ...record };
}

test('with pacing, a burst over the budget waits for the bucket and is never refused once the price is known', async () => {
  const { pressroom, refusals, costs } = await client({ pacing: true });
  // The first call teaches the sdk the price of this query.
  await pressroom.posts.list({ pageSize: 5 }).pages().next();
  const price = costs[0]!.requestedQueryCost;
  expect(price).toBeGreaterThan(50);
  const calls = Math.ceil((bucket * 2) / price) + 2;
  const started = Date.now();
  await Promise.all(Array.from({ length: calls }, () => pressroom.posts.list({ pageSize: 5 }).pages().next()));
  const elapsed = Date.now() - started;
  expect(refusals).toEqual([]);
  // Everything past what the bucket held had to wait for the refill.
  const mustWaitMs = ((calls * price - (costs[0]!.throttleStatus!.currentlyAvailable + price)) / restoreRate) * 1000;
  expect(elapsed).toBeGreaterThanOrEqual(mustWaitMs - 250);
  expect(costs.at(-1)!.throttleStatus!.maximumAvailable).toBe(bucket);
});

test('with pacing, a refusal the sdk could not foresee is sent again after its retry-after', async () => {
  const { pressroom, refusals, token } = await client({ pacing: true });
  // Another client of the same token empties the bucket behind this one's back, with the
  // cheapest query: what is left is then less than one page of 1, far less than the page of 4
  // asked next, so the bucket cannot refill enough in between for that request to pass.
  const drain = new Pressroom({ url: api.url, token, pacing: false, organizationId: org.organization.gid });
  for (let i = 0; i < 40; i += 1) {
    const refused = await drain.posts
      .list({ pageSize: 1 })
      .pages()
      .next()
      .then(() => false)
      .catch((error: unknown) => error instanceof RateLimitedError);
    if (refused) break;
  }
  const [first] = await pressroom.posts.list({ pageSize: 4 }).toArray(1);
  expect(first).toBeDefined();
  expect(refusals.length).toBeGreaterThanOrEqual(1);
});

test('a query costing more than the whole bucket is refused at once, not retried in vain', async () => {
  const { pressroom, refusals } = await client({ pacing: true });
  const error = await pressroom.posts
    .list({ pageSize: 100 })
    .toArray()
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(RateLimitedError);
  expect(refusals).toHaveLength(1);
});

test('without pacing, the same burst is refused with RateLimitedError', async () => {
  const { pressroom } = await client({ pacing: false });
  const results = await Promise.allSettled(
    Array.from({ length: 8 }, () => pressroom.posts.list({ pageSize: 5 }).pages().next()),
  );
  const refused = results.filter((result) => result.status === 'rejected');
  expect(refused.length).toBeGreaterThan(0);
  for (const result of refused) expect(result.reason).toBeInstanceOf(RateLimitedError);
});
