// Bulk jobs on ads end to end: GraphQL preview → run → adsBulkJobWorkflow on an in-process
// worker → the Marketing API emulator, with TikTok refusing some items; progress live over
// graphql-ws; the failed items retried in one action once the cause is gone.
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { randomSecret, sha256 } from '../src/auth/secrets.js';
import { sessionCookie } from '../src/auth/sessions.js';
import { decodeGlobalId } from '../src/schema/ids.js';
import { gid, seedApiToken, seedOrganization, startTestApi, type SeededOrganization, type TestApi } from './kit.js';

let api: TestApi;
let org: SeededOrganization;
const sockets: Client[] = [];

beforeAll(async () => {
  api = await startTestApi({}, { worker: {} });
  org = await seedOrganization(api);
});
afterAll(async () => {
  for (const socket of sockets) await socket.dispose();
  await api?.close();
});

async function waitFor<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, timeoutMs = 90_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Connects TikTok for Business as the owner, through consent, and waits for the inventory. */
async function connectWithAds(shape: { campaigns: number; adGroups: number; ads: number }) {
  const owner = api.tiktokAds.createAdvertiserOwner({ advertisers: 1, ...shape });
  api.tiktokAds.consentingUserId = owner.userId;
  const client = org.members.OWNER.client;
  const started = await client.gql<{ startAdsConnect: { data: { authorizeUrl: string } } }>(
    `mutation($id: ID!) { startAdsConnect(organizationId: $id) { ... on MutationStartAdsConnectSuccess { data { authorizeUrl } } } }`,
    { id: org.organization.gid },
  );
  const consent = await fetch(started.body.data!.startAdsConnect.data.authorizeUrl, { redirect: 'manual' });
  const back = new URL(consent.headers.get('location')!);
  const completed = await client.gql<{ completeAdsConnect: { data: { id: string } } }>(
    `mutation($id: ID!, $state: String!, $code: String!) { completeAdsConnect(organizationId: $id, state: $state, authCode: $code) {
      ... on MutationCompleteAdsConnectSuccess { data { id } } } }`,
    { id: org.organization.gid, state: back.searchParams.get('state'), code: back.searchParams.get('auth_code') },
  );
  const connectionGid = completed.body.data!.completeAdsConnect.data.id;
  const total = shape.campaigns * shape.adGroups * shape.ads;
  const advertiserId = owner.advertiserIds[0]!;
  await waitFor(
    () => api.db.adsAd.count({ where: { advertiser: { platformAdvertiserId: advertiserId } } }),
    (count) => count === total,
    'the inventory sync',
  );
  const ads = await api.db.adsAd.findMany({
    where: { advertiser: { platformAdvertiserId: advertiserId } },
    orderBy: { platformId: 'asc' },
  });
  return { owner, connectionGid, ads };
}

const jobFields = `id status run level action counts { total pending done failed skipped }`;
interface Job {
  id: string;
  status: string;
  run: number;
  counts: { total: number; pending: number; done: number; failed: number; skipped: number };
}

async function preview(objectIds: string[], action: string, budget?: string) {
  const response = await org.members.ADMIN.client.gql<{
    previewAdsBulkJob: { __typename: string; data?: Job; code?: string; message?: string };
  }>(
    `mutation($ids: [ID!]!, $action: AdsBulkAction!, $budget: String) { previewAdsBulkJob(objectIds: $ids, action: $action, budget: $budget) {
      __typename ... on Error { code message } ... on MutationPreviewAdsBulkJobSuccess { data { ${jobFields} } } } }`,
    { ids: objectIds, action, budget },
  );
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.previewAdsBulkJob;
}

async function jobAction(name: 'runAdsBulkJob' | 'retryAdsBulkJobFailures', id: string) {
  const response = await org.members.ADMIN.client.gql<Record<string, { __typename: string; data?: Job }>>(
    `mutation($id: ID!) { ${name}(id: $id) { __typename ... on Error { code message } ... on Mutation${name[0]!.toUpperCase()}${name.slice(1)}Success { data { ${jobFields} } } } }`,
    { id },
  );
  expect(response.body.errors).toBeUndefined();
  return response.body.data![name]!;
}

async function readJob(id: string) {
  const response = await org.members.ANALYST.client.gql<{
    node: Job & { items: { edges: Array<{ node: { platformId: string; status: string; message: string | null } }> } };
  }>(
    `query($id: ID!, $status: AdsBulkItemStatus) { node(id: $id) { ... on AdsBulkJob { ${jobFields}
      items(first: 100, status: $status) { edges { node { platformId status message } } } } } }`,
    { id, status: 'FAILED' },
  );
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.node;
}

function subscribeAsOwner(jobId: string, cookie: string) {
  class CookieSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers: { cookie } });
    }
  }
  const socket = createClient({
    url: api.url.replace('http', 'ws') + '/graphql',
    webSocketImpl: CookieSocket,
    retryAttempts: 0,
  });
  sockets.push(socket);
  const seen: Job[] = [];
  socket.subscribe(
    {
      query: `subscription($id: ID!) { adsBulkJobChanged(id: $id) { ${jobFields} } }`,
      variables: { id: jobId },
    },
    {
      next: (result) => {
        const job = (result.data as { adsBulkJobChanged?: Job } | null)?.adsBulkJobChanged;
        if (job) seen.push(job);
      },
      error: () => undefined,
      complete: () => undefined,
    },
  );
  return seen;
}

async function cookieFor(userId: string): Promise<string> {
  const secret = randomSecret();
  const expiresAt = new Date(Date.now() + 3_600_000);
  await api.db.session.create({ data: { userId, tokenHash: sha256(secret), expiresAt } });
  return sessionCookie(api.config, secret, expiresAt).split(';')[0]!;
}

describe('bulk jobs on ads', () => {
  test(
    'pausing 1,000 ads with 3% refused: 970 paused, 30 failed with TikTok’s reason; the retry pauses the 30',
    { timeout: 240_000 },
    async () => {
      const { ads } = await connectWithAds({ campaigns: 10, adGroups: 10, ads: 10 });
      expect(ads).toHaveLength(1000);
      // Every 33rd ad is in review at TikTok, which refuses to change it.
      const refused = ads
        .filter((_ad, index) => index % 33 === 5)
        .slice(0, 30)
        .map((ad) => ad.platformId);
      expect(refused).toHaveLength(30);
      api.tiktokAds.refuseChanges(refused, 'Ad is under review and cannot be modified.');

      const previewed = await preview(
        ads.map((ad) => gid('AdsAd', ad.id)),
        'PAUSE',
      );
      expect(previewed.__typename).toBe('MutationPreviewAdsBulkJobSuccess');
      expect(previewed.data).toMatchObject({
        status: 'PREVIEW',
        run: 0,
        level: 'AD',
        counts: { total: 1000, pending: 1000, skipped: 0 },
      });
      const jobId = previewed.data!.id;
      const writesBefore = api.tiktokAds.writeCalls().length;

      const seen = subscribeAsOwner(jobId, await cookieFor(org.members.OWNER.userId));
      await new Promise((resolve) => setTimeout(resolve, 300));
      const started = await jobAction('runAdsBulkJob', jobId);
      expect(started.data).toMatchObject({ status: 'RUNNING', run: 1 });
      // Run twice: refused, the job already runs.
      expect((await jobAction('runAdsBulkJob', jobId)).__typename).toBe('ConflictError');

      const finished = await waitFor(
        () => readJob(jobId),
        (job) => job.status !== 'RUNNING',
        'the job to finish',
      );
      expect(finished).toMatchObject({
        status: 'PARTIALLY_FAILED',
        counts: { total: 1000, done: 970, failed: 30, pending: 0, skipped: 0 },
      });
      expect(finished.items.edges.map((edge) => edge.node.platformId).sort()).toEqual([...refused].sort());
      for (const edge of finished.items.edges) {
        expect(edge.node.message).toBe('Ad is under review and cannot be modified.');
      }
      // At TikTok: 970 paused, the refused 30 still on; chunks of at most 100 ids.
      const atTikTok = ads.map((ad) => api.tiktokAds.ads.get(ad.platformId)!.operationStatus);
      expect(atTikTok.filter((status) => status === 'DISABLE')).toHaveLength(970);
      // Ten chunks applied, each id in one of them. A write TikTok refused with a rate limit
      // (a loaded machine can hit one) changed nothing and is sent again: that is not twice.
      const writes = api.tiktokAds.writeCalls().slice(writesBefore);
      const applied = writes.filter((write) => write.code === 0 || write.code === 20001);
      expect(applied).toHaveLength(10);
      for (const write of writes) {
        expect(write.path).toBe('/open_api/v1.3/ad/status/update/');
        expect((write.body as { ad_ids: string[] }).ad_ids.length).toBeLessThanOrEqual(100);
        expect([0, 20001, 40100, 40133]).toContain(write.code);
      }
      const appliedIds = applied.flatMap((write) => (write.body as { ad_ids: string[] }).ad_ids);
      expect(new Set(appliedIds).size).toBe(1000);
      expect(appliedIds).toHaveLength(1000);
      // The inventory shows it without waiting for a sync.
      expect(
        await api.db.adsAd.count({ where: { id: { in: ads.map((ad) => ad.id) }, operationStatus: 'DISABLE' } }),
      ).toBe(970);
      // Progress arrived live, ending with the finished counts.
      await waitFor(
        () => Promise.resolve(seen.at(-1)),
        (last) => last?.status === 'PARTIALLY_FAILED',
        'the live update of the finish',
      );
      expect(seen.length).toBeGreaterThanOrEqual(2);

      // The cause is removed; one action sends the 30 again, and only them.
      api.tiktokAds.allowChanges(refused);
      const writesBeforeRetry = api.tiktokAds.writeCalls().length;
      const retried = await jobAction('retryAdsBulkJobFailures', jobId);
      expect(retried.data).toMatchObject({ status: 'RUNNING', run: 2, counts: { pending: 30, done: 970 } });
      const after = await waitFor(
        () => readJob(jobId),
        (job) => job.status !== 'RUNNING',
        'the retry to finish',
      );
      expect(after).toMatchObject({ status: 'SUCCEEDED', run: 2, counts: { done: 1000, failed: 0 } });
      // Only the 30 are sent, once as far as TikTok applied them: a write it refused with a rate
      // limit (the retry follows the first run's ten writes closely) changed nothing and is sent again.
      const retryWrites = api.tiktokAds.writeCalls().slice(writesBeforeRetry);
      const retryApplied = retryWrites.filter((write) => write.code === 0 || write.code === 20001);
      expect(retryApplied.flatMap((write) => (write.body as { ad_ids: string[] }).ad_ids).sort()).toEqual(
        [...refused].sort(),
      );
      for (const write of retryWrites) {
        expect([0, 20001, 40100, 40133]).toContain(write.code);
        expect((write.body as { ad_ids: string[] }).ad_ids.every((id) => refused.includes(id))).toBe(true);
      }
      expect(ads.every((ad) => api.tiktokAds.ads.get(ad.platformId)!.operationStatus === 'DISABLE')).toBe(true);
      // No failed items are left to retry.
      expect((await jobAction('retryAdsBulkJobFailures', jobId)).__typename).toBe('ConflictError');

      // The whole job is in the audit log: preview, run, the first run's end, retry, the retry's end.
      const audit = await api.db.auditEvent.findMany({
        where: { targetType: 'AdsBulkJob', targetId: decodeGlobalId(jobId).id },
        orderBy: { id: 'asc' },
      });
      expect(audit.map((event) => event.action)).toEqual([
        'ads_bulk_job.preview',
        'ads_bulk_job.run',
        'ads_bulk_job.finish',
        'ads_bulk_job.retry',
        'ads_bulk_job.finish',
      ]);
      expect(audit[2]!.metadata).toMatchObject({ run: 1, done: 970, failed: 30 });

      // Pausing them again: every item is skipped in the preview, nothing to send.
      const again = await preview(
        ads.slice(0, 50).map((ad) => gid('AdsAd', ad.id)),
        'PAUSE',
      );
      expect(again.data!.counts).toMatchObject({ total: 50, pending: 0, skipped: 50 });
    },
  );

  test('budgets: ad groups in one call, a deleted or unchanged one skipped; ads have no budget', async () => {
    const { ads } = await connectWithAds({ campaigns: 1, adGroups: 3, ads: 1 });
    const groups = await api.db.adsAdGroup.findMany({
      where: { id: { in: ads.map((ad) => ad.adGroupId) } },
      orderBy: { platformId: 'asc' },
    });
    await api.db.adsAdGroup.update({ where: { id: groups[2]!.id }, data: { budget: '75.00' } });
    const previewed = await preview(
      groups.map((group) => gid('AdsAdGroup', group.id)),
      'SET_BUDGET',
      '75.00',
    );
    expect(previewed.data!.counts).toMatchObject({ total: 3, pending: 2, skipped: 1 });
    await jobAction('runAdsBulkJob', previewed.data!.id);
    const done = await waitFor(
      () => readJob(previewed.data!.id),
      (job) => job.status !== 'RUNNING',
      'the budget job',
    );
    expect(done).toMatchObject({ status: 'SUCCEEDED', counts: { done: 2, skipped: 1 } });
    expect(api.tiktokAds.adGroups.get(groups[0]!.platformId)!.budget).toBe(75);
    expect(api.tiktokAds.adGroups.get(groups[1]!.platformId)!.budget).toBe(75);

    const adBudget = await preview([gid('AdsAd', ads[0]!.id)], 'SET_BUDGET', '10');
    expect(adBudget).toMatchObject({ __typename: 'ValidationError', code: 'BAD_USER_INPUT' });
  });

  test('an API token needs ads:bulk; another organization’s objects answer like missing ones', async () => {
    const { ads } = await connectWithAds({ campaigns: 1, adGroups: 1, ads: 2 });
    const ids = ads.map((ad) => gid('AdsAd', ad.id));
    const document = `mutation($ids: [ID!]!) { previewAdsBulkJob(objectIds: $ids, action: ENABLE) { __typename } }`;
    const reader = await seedApiToken(api, org.organization.id, ['ads:read']);
    const denied = await reader.client.gql(document, { ids });
    expect(denied.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const bulk = await seedApiToken(api, org.organization.id, ['ads:bulk']);
    const allowed = await bulk.client.gql<{ previewAdsBulkJob: { __typename: string } }>(document, { ids });
    expect(allowed.body.data?.previewAdsBulkJob.__typename).toBe('MutationPreviewAdsBulkJobSuccess');

    const other = await seedOrganization(api);
    const outsider = await other.members.OWNER.client.gql<{ previewAdsBulkJob: { __typename: string } }>(document, {
      ids,
    });
    expect(outsider.body.data?.previewAdsBulkJob.__typename).toBe('NotFoundError');
  });
});
