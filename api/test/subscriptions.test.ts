// Live updates end to end: a writer commits a change with its event (as the worker does),
// the api's LISTEN connection hears it, and graphql-ws subscribers on the api's own port
// receive it — only those allowed to, re-authorized per event.
import { emitEvent, type DomainEventInput, type DomainEventKind } from '@pressroom/db/events';
import { createNotifier } from '@pressroom/workflows/activities';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { randomSecret, sha256 } from '../src/auth/secrets.js';
import { apiTokenPrefix, sessionCookie } from '../src/auth/sessions.js';
import { gid, seedOrganization, startTestApi, type SeededOrganization, type TestApi } from './kit.js';

let api: TestApi;
let org: SeededOrganization;
let other: SeededOrganization;
const clients: Client[] = [];

beforeAll(async () => {
  api = await startTestApi();
  org = await seedOrganization(api);
  other = await seedOrganization(api);
});
afterAll(async () => {
  for (const client of clients) await client.dispose();
  await api.close();
});

const wsUrl = () => api.url.replace('http', 'ws') + '/graphql';

async function cookieFor(userId: string): Promise<string> {
  const secret = randomSecret();
  const expiresAt = new Date(Date.now() + 3_600_000);
  await api.db.session.create({ data: { userId, tokenHash: sha256(secret), expiresAt } });
  return sessionCookie(api.config, secret, expiresAt).split(';')[0]!;
}

async function tokenFor(organizationId: string, scopes: string[]): Promise<string> {
  const token = `${apiTokenPrefix}${randomSecret()}`;
  await api.db.apiToken.create({
    data: { organizationId, name: 'live', prefix: token.slice(0, 12), tokenHash: sha256(token), scopes },
  });
  return token;
}

function connect(auth: { cookie?: string; token?: string; origin?: string }): Client {
  const headers: Record<string, string> = {};
  if (auth.cookie) headers.cookie = auth.cookie;
  if (auth.origin) headers.origin = auth.origin;
  class AuthenticatedSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  }
  const client = createClient({
    url: wsUrl(),
    webSocketImpl: AuthenticatedSocket,
    connectionParams: auth.token ? { authorization: `Bearer ${auth.token}` } : {},
    retryAttempts: 0,
  });
  clients.push(client);
  return client;
}

interface Subscription {
  results: Array<{
    data?: Record<string, unknown> | null;
    errors?: Array<{ message: string; extensions?: { code?: string } }>;
  }>;
  done: Promise<void>;
  unsubscribe: () => void;
}

function subscribe(client: Client, query: string, variables: Record<string, unknown>): Subscription {
  const results: Subscription['results'] = [];
  let unsubscribe = () => {};
  const done = new Promise<void>((resolve) => {
    unsubscribe = client.subscribe(
      { query, variables },
      {
        next: (result) => void results.push(result as Subscription['results'][number]),
        error: (error) => {
          results.push({ errors: Array.isArray(error) ? error : [{ message: String(error) }] });
          resolve();
        },
        complete: () => resolve(),
      },
    );
  });
  return { results, done, unsubscribe };
}

async function emit<K extends DomainEventKind>(event: DomainEventInput<K>) {
  return api.db.$transaction((tx) => emitEvent(tx, event));
}

/** Resolves once the server has registered the subscription (it answers nothing until an event). */
async function settle() {
  await new Promise((resolve) => setTimeout(resolve, 300));
}

const postChanged = `subscription ($brandId: ID!) { postChanged(brandId: $brandId) { id caption status } }`;
const auditRecorded = `subscription ($organizationId: ID!) { auditRecorded(organizationId: $organizationId) { action } }`;

describe('postChanged', () => {
  it('reaches a member (session cookie) and an integrator (API token) with the re-read post', async () => {
    const member = subscribe(connect({ cookie: await cookieFor(org.members.REVIEWER.userId) }), postChanged, {
      brandId: org.brand.gid,
    });
    const integrator = subscribe(connect({ token: await tokenFor(org.organization.id, ['posts:read']) }), postChanged, {
      brandId: org.brand.gid,
    });
    await settle();
    await api.db.post.update({ where: { id: org.posts.draft.id }, data: { caption: 'Edited live' } });
    await emit({
      kind: 'post.changed',
      organizationId: org.organization.id,
      payload: { postId: org.posts.draft.id, brandId: org.brand.id },
    });
    const expected = { postChanged: { id: org.posts.draft.gid, caption: 'Edited live', status: 'DRAFT' } };
    await expect.poll(() => member.results).toEqual([{ data: expected }]);
    await expect.poll(() => integrator.results).toEqual([{ data: expected }]);
  });

  it("filters on the server: another brand's posts are not sent", async () => {
    const otherBrand = await api.db.brand.create({
      data: { organizationId: org.organization.id, name: 'Second', slug: `second-${Date.now()}` },
    });
    const sub = subscribe(connect({ cookie: await cookieFor(org.members.EDITOR.userId) }), postChanged, {
      brandId: org.brand.gid,
    });
    await settle();
    await emit({
      kind: 'post.changed',
      organizationId: org.organization.id,
      payload: { postId: org.posts.draft.id, brandId: otherBrand.id },
    });
    await emit({
      kind: 'post.changed',
      organizationId: org.organization.id,
      payload: { postId: org.posts.inReview.id, brandId: org.brand.id },
    });
    await expect.poll(() => sub.results.length).toBe(1);
    expect(sub.results[0]?.data).toMatchObject({ postChanged: { id: org.posts.inReview.gid } });
  });

  it('another organization cannot tell the brand exists, and receives nothing', async () => {
    const outsider = subscribe(connect({ cookie: await cookieFor(other.members.OWNER.userId) }), postChanged, {
      brandId: org.brand.gid,
    });
    await outsider.done;
    expect(outsider.results).toHaveLength(1);
    expect(outsider.results[0]?.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const missing = subscribe(connect({ cookie: await cookieFor(other.members.OWNER.userId) }), postChanged, {
      brandId: gid('Brand', 'no-such-brand'),
    });
    await missing.done;
    expect(missing.results[0]?.errors?.[0]).toMatchObject({ message: outsider.results[0]?.errors?.[0]?.message });
  });

  it('refuses an anonymous socket and a token without posts:read', async () => {
    const anonymous = subscribe(connect({}), postChanged, { brandId: org.brand.gid });
    await anonymous.done;
    expect(anonymous.results[0]?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const narrow = subscribe(connect({ token: await tokenFor(org.organization.id, ['analytics:read']) }), postChanged, {
      brandId: org.brand.gid,
    });
    await narrow.done;
    expect(narrow.results[0]?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('closes with 4401 and the reason when the credential sent does not work', async () => {
    const revoked = await tokenFor(org.organization.id, ['posts:read']);
    await api.db.apiToken.update({ where: { tokenHash: sha256(revoked) }, data: { revokedAt: new Date() } });
    const cases = [
      ['garbage', /Bearer prt_/],
      [`${apiTokenPrefix}made-up`, /not valid/],
      [revoked, /revoked/],
    ] as const;
    for (const [token, reason] of cases) {
      const socket = new WebSocket(wsUrl(), 'graphql-transport-ws');
      await new Promise((resolve) => socket.once('open', resolve));
      const closed = new Promise<[number, string]>((resolve) =>
        socket.once('close', (code, why) => resolve([code, why.toString()])),
      );
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
      const [code, why] = await closed;
      expect(code).toBe(4401);
      expect(why).toMatch(reason);
    }
  });

  it('a token revoked after the socket was accepted: its next subscription is refused as UNAUTHENTICATED', async () => {
    const token = await tokenFor(org.organization.id, ['posts:read']);
    const client = connect({ token });
    const first = subscribe(client, postChanged, { brandId: org.brand.gid });
    await settle();
    await api.db.apiToken.update({ where: { tokenHash: sha256(token) }, data: { revokedAt: new Date() } });
    const second = subscribe(client, postChanged, { brandId: org.brand.gid });
    await second.done;
    expect(second.results[0]?.errors?.[0]).toMatchObject({
      message: 'This API token was revoked.',
      extensions: { code: 'UNAUTHENTICATED' },
    });
    first.unsubscribe();
  });

  it("ignores a session cookie sent by another site's page (cross-site WebSocket hijacking)", async () => {
    const hijack = subscribe(
      connect({ cookie: await cookieFor(org.members.OWNER.userId), origin: 'https://evil.example' }),
      postChanged,
      { brandId: org.brand.gid },
    );
    await hijack.done;
    expect(hijack.results[0]?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('stops sending as soon as the member is removed from the organization', async () => {
    const user = await api.db.user.create({
      data: { email: `leaver-${Date.now()}@example.test`, name: 'Leaver', passwordHash: 'x' },
    });
    const membership = await api.db.membership.create({
      data: { organizationId: org.organization.id, userId: user.id, role: 'EDITOR' },
    });
    const sub = subscribe(connect({ cookie: await cookieFor(user.id) }), postChanged, { brandId: org.brand.gid });
    await settle();
    const event = {
      kind: 'post.changed' as const,
      organizationId: org.organization.id,
      payload: { postId: org.posts.approved.id, brandId: org.brand.id },
    };
    await emit(event);
    await expect.poll(() => sub.results.length).toBe(1);
    await api.db.membership.delete({ where: { id: membership.id } });
    // Past the subscription's viewer freshness window, the next event is checked afresh.
    await new Promise((resolve) => setTimeout(resolve, 2_200));
    await emit(event);
    await sub.done;
    expect(sub.results).toHaveLength(1);
  });
});

describe('changes made through the api', () => {
  it('reach subscribers: the edited post and its audit event', async () => {
    const post = await api.db.post.create({
      data: { organizationId: org.organization.id, brandId: org.brand.id, caption: 'Before', status: 'DRAFT' },
    });
    const posts = subscribe(connect({ cookie: await cookieFor(org.members.REVIEWER.userId) }), postChanged, {
      brandId: org.brand.gid,
    });
    const audits = subscribe(connect({ cookie: await cookieFor(org.members.OWNER.userId) }), auditRecorded, {
      organizationId: org.organization.gid,
    });
    await settle();
    const edited = await org.members.EDITOR.client.gql(
      `mutation ($id: ID!) { updatePost(id: $id, expectedVersion: 1, caption: "After") { __typename } }`,
      { id: gid('Post', post.id) },
    );
    expect(edited.body.errors).toBeUndefined();
    await expect
      .poll(() => posts.results)
      .toEqual([{ data: { postChanged: { id: gid('Post', post.id), caption: 'After', status: 'DRAFT' } } }]);
    await expect.poll(() => audits.results).toEqual([{ data: { auditRecorded: { action: 'post.update' } } }]);

    const deleted = await org.members.EDITOR.client.gql(`mutation ($id: ID!) { deletePost(id: $id) { __typename } }`, {
      id: gid('Post', post.id),
    });
    expect(deleted.body.errors).toBeUndefined();
    // The post is gone: subscribers hear of it and read null.
    await expect.poll(() => posts.results.at(-1)).toEqual({ data: { postChanged: null } });
  });
});

describe('batchProgress', () => {
  const batchProgress = `subscription ($id: ID!) { batchProgress(id: $id) { id generatedCount } }`;

  it('reaches members of the batch organization only', async () => {
    const member = subscribe(connect({ cookie: await cookieFor(org.members.ANALYST.userId) }), batchProgress, {
      id: org.batch.gid,
    });
    const outsider = subscribe(connect({ cookie: await cookieFor(other.members.OWNER.userId) }), batchProgress, {
      id: org.batch.gid,
    });
    await outsider.done;
    expect(outsider.results[0]?.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    await settle();
    await api.db.batch.update({ where: { id: org.batch.id }, data: { generatedCount: 2 } });
    await emit({
      kind: 'batch.progress',
      organizationId: org.organization.id,
      payload: { batchId: org.batch.id, brandId: org.brand.id },
    });
    await expect
      .poll(() => member.results)
      .toEqual([{ data: { batchProgress: { id: org.batch.gid, generatedCount: 2 } } }]);
  });
});

describe('accountMetricsUpdated', () => {
  const metrics = `subscription ($id: ID!) { accountMetricsUpdated(socialAccountId: $id) { platform latestSnapshot { followerCount videoCount } } }`;

  it('reaches analysts with the new totals; reviewers and other organizations are refused', async () => {
    const listed = await org.members.ANALYST.client.gql<{
      node: { socialAccounts: Array<{ id: string; platform: string }> };
    }>(`query ($id: ID!) { node(id: $id) { ... on Brand { socialAccounts { id platform } } } }`, { id: org.brand.gid });
    expect(listed.body.errors).toBeUndefined();
    const account = listed.body.data!.node.socialAccounts[0]!;
    expect(account.platform).toBe('TIKTOK');

    const analyst = subscribe(connect({ cookie: await cookieFor(org.members.ANALYST.userId) }), metrics, {
      id: account.id,
    });
    const reviewer = subscribe(connect({ cookie: await cookieFor(org.members.REVIEWER.userId) }), metrics, {
      id: account.id,
    });
    const outsider = subscribe(connect({ cookie: await cookieFor(other.members.OWNER.userId) }), metrics, {
      id: account.id,
    });
    await Promise.all([reviewer.done, outsider.done]);
    expect(reviewer.results[0]?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(outsider.results[0]?.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    await settle();

    const socialAccountId = Buffer.from(account.id, 'base64url').toString().split(':')[1]!;
    await api.db.$transaction(async (tx) => {
      await tx.accountSnapshot.create({
        data: {
          organizationId: org.organization.id,
          socialAccountId,
          followerCount: 1200,
          followingCount: 10,
          likesCount: 99_000n,
          videoCount: 42,
        },
      });
      await emitEvent(tx, {
        kind: 'metrics.updated',
        organizationId: org.organization.id,
        payload: { socialAccountId },
      });
    });
    await expect
      .poll(() => analyst.results)
      .toEqual([
        {
          data: {
            accountMetricsUpdated: { platform: 'TIKTOK', latestSnapshot: { followerCount: 1200, videoCount: 42 } },
          },
        },
      ]);
  });
});

describe('accountChanged', () => {
  const accountChanged = `subscription ($brandId: ID!) { accountChanged(brandId: $brandId) { id status lastError } }`;

  it("reaches members of the brand's organization when a status changes (written by the row's trigger), not another organization or brand", async () => {
    const member = subscribe(connect({ cookie: await cookieFor(org.members.REVIEWER.userId) }), accountChanged, {
      brandId: org.brand.gid,
    });
    const outsider = subscribe(connect({ cookie: await cookieFor(other.members.OWNER.userId) }), accountChanged, {
      brandId: org.brand.gid,
    });
    const otherBrand = subscribe(connect({ cookie: await cookieFor(other.members.OWNER.userId) }), accountChanged, {
      brandId: other.brand.gid,
    });
    await outsider.done;
    expect(outsider.results[0]?.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    await settle();

    const account = await api.db.socialAccount.findFirstOrThrow({ where: { brandId: org.brand.id } });
    // A change that leaves the status alone says nothing; a status change does, with the row as it is now.
    await api.db.socialAccount.update({ where: { id: account.id }, data: { displayName: 'Quietly renamed' } });
    await api.db.socialAccount.update({
      where: { id: account.id },
      data: { status: 'REVOKED', lastError: 'revoked on the platform' },
    });
    await expect
      .poll(() => member.results)
      .toEqual([
        {
          data: {
            accountChanged: {
              id: gid('SocialAccount', account.id),
              status: 'REVOKED',
              lastError: 'revoked on the platform',
            },
          },
        },
      ]);
    await api.db.socialAccount.update({ where: { id: account.id }, data: { status: account.status, lastError: null } });
    await expect.poll(() => member.results.length).toBe(2);
    await settle();
    expect(otherBrand.results).toEqual([]);
    member.unsubscribe();
    otherBrand.unsubscribe();
  });
});

describe('auditRecorded', () => {
  it('reaches an admin and is refused to an analyst (no audit:read)', async () => {
    const admin = subscribe(connect({ cookie: await cookieFor(org.members.ADMIN.userId) }), auditRecorded, {
      organizationId: org.organization.gid,
    });
    const analyst = subscribe(connect({ cookie: await cookieFor(org.members.ANALYST.userId) }), auditRecorded, {
      organizationId: org.organization.gid,
    });
    await analyst.done;
    expect(analyst.results[0]?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await settle();
    const audit = await api.db.auditEvent.create({
      data: { organizationId: org.organization.id, action: 'post.update', targetType: 'Post' },
    });
    await emit({
      kind: 'audit.recorded',
      organizationId: org.organization.id,
      payload: { auditEventId: audit.id.toString() },
    });
    await expect.poll(() => admin.results).toEqual([{ data: { auditRecorded: { action: 'post.update' } } }]);
  });
});

describe('notificationReceived', () => {
  const received = `subscription ($organizationId: ID!) { notificationReceived(organizationId: $organizationId) { kind subject readAt } }`;

  it('reaches the person told, once even when the worker retries, and nobody else', async () => {
    const reviewer = subscribe(connect({ cookie: await cookieFor(org.members.REVIEWER.userId) }), received, {
      organizationId: org.organization.gid,
    });
    const editor = subscribe(connect({ cookie: await cookieFor(org.members.EDITOR.userId) }), received, {
      organizationId: org.organization.gid,
    });
    const integrator = subscribe(connect({ token: await tokenFor(org.organization.id, ['posts:read']) }), received, {
      organizationId: org.organization.gid,
    });
    await settle();
    // The worker's own notifier: rows and their events in one transaction.
    const notifier = createNotifier({ db: api.db });
    const notification = {
      organizationId: org.organization.id,
      userIds: [org.members.REVIEWER.userId],
      kind: 'review.reminder',
      key: `live-reminder-${Date.now()}`,
      subject: 'Waiting for review: Autumn menu',
      body: 'A post is waiting for your review.',
      payload: { postId: org.posts.inReview.id },
    };
    await notifier.notify(notification);
    await notifier.notify(notification);
    await expect
      .poll(() => reviewer.results)
      .toEqual([
        { data: { notificationReceived: { kind: 'review.reminder', subject: notification.subject, readAt: null } } },
      ]);
    await integrator.done;
    expect(integrator.results[0]?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await settle();
    expect(reviewer.results).toHaveLength(1);
    expect(editor.results).toEqual([]);
  });
});
