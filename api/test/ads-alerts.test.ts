// Ads alert rules through GraphQL: the input's checks (threshold per kind, recipients per
// channel, the review chat's Telegram format, the organization's own advertisers), a rule read
// back as saved, and adsAlertFired reaching a member of the organization with its deliveries;
// adsConnectionChanged (the ads home's live feed) streaming a connection as it now stands.
import type { Prisma } from '@pressroom/db';
import { emitEvent } from '@pressroom/db/events';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { randomSecret, sha256 } from '../src/auth/secrets.js';
import { sessionCookie } from '../src/auth/sessions.js';
import { gid, seedOrganization, startTestApi, type SeededOrganization, type TestApi } from './kit.js';

let api: TestApi;
let org: SeededOrganization;
let other: SeededOrganization;
let advertiserGid: string;
let otherAdvertiserGid: string;
const clients: Client[] = [];

async function advertiserOf(organizationId: string) {
  const connection = await api.db.adsConnection.create({ data: { organizationId } });
  return api.db.advertiser.create({
    data: {
      organizationId,
      connectionId: connection.id,
      platformAdvertiserId: randomSecret().slice(0, 10),
      name: 'Acme US',
      currency: 'USD',
    },
  });
}

beforeAll(async () => {
  api = await startTestApi({});
  org = await seedOrganization(api);
  other = await seedOrganization(api);
  advertiserGid = gid('Advertiser', (await advertiserOf(org.organization.id)).id);
  otherAdvertiserGid = gid('Advertiser', (await advertiserOf(other.organization.id)).id);
});
afterAll(async () => {
  for (const client of clients) await client.dispose();
  await api?.close();
});

async function cookieFor(userId: string) {
  const secret = randomSecret();
  const expiresAt = new Date(Date.now() + 3_600_000);
  await api.db.session.create({ data: { userId, tokenHash: sha256(secret), expiresAt } });
  return sessionCookie(api.config, secret, expiresAt).split(';')[0]!;
}

/** A graphql-ws subscription of `query` ($id: the organization) as the person; what arrives is collected. */
async function listen(userId: string, organizationGid: string, query: string) {
  const headers = { cookie: await cookieFor(userId) };
  class AuthenticatedSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  }
  const client = createClient({
    url: api.url.replace('http', 'ws') + '/graphql',
    webSocketImpl: AuthenticatedSocket,
    retryAttempts: 0,
  });
  clients.push(client);
  const results: Array<{ data?: unknown; errors?: unknown }> = [];
  client.subscribe(
    { query, variables: { id: organizationGid } },
    { next: (r) => void results.push(r), error: (e) => void results.push({ errors: e }), complete: () => {} },
  );
  return results;
}

const ruleFields =
  'id name kind threshold advertisers { id } channels emailRecipients telegramChatId enabled lastFiredAt';

async function create(input: Record<string, unknown>) {
  const response = await org.members.ADMIN.client.gql<{
    createAdsAlertRule: {
      __typename: string;
      code?: string;
      issues?: Array<{ path: string }>;
      rule?: Record<string, unknown>;
    };
  }>(
    `mutation($input: AdsAlertRuleInput!) { createAdsAlertRule(input: $input) {
      __typename ... on Error { code } ... on ValidationError { issues { path } }
      ... on MutationCreateAdsAlertRuleSuccess { rule { ${ruleFields} } } } }`,
    { input: { organizationId: org.organization.gid, name: 'Spend', enabled: true, ...input } },
  );
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.createAdsAlertRule;
}

describe('ads alert rules', () => {
  test('checks the input per kind and channel', async () => {
    const refused = async (input: Record<string, unknown>, path: string) => {
      const result = await create(input);
      expect(result.__typename).toBe('ValidationError');
      expect(result.issues!.map((f) => f.path).join(',')).toContain(path);
    };
    await refused({ kind: 'DAILY_SPEND_ABOVE', channels: ['IN_APP'] }, 'threshold');
    await refused({ kind: 'COST_PER_CONVERSION_ABOVE', threshold: -1, channels: ['IN_APP'] }, 'threshold');
    await refused({ kind: 'AD_REJECTED', threshold: 10, channels: ['IN_APP'] }, 'threshold');
    await refused({ kind: 'AD_REJECTED', channels: ['EMAIL'] }, 'emailRecipients');
    await refused({ kind: 'AD_REJECTED', channels: ['EMAIL'], emailRecipients: ['not-an-address'] }, 'emailRecipients');
    await refused({ kind: 'CONNECTION_BROKEN', channels: ['TELEGRAM'] }, 'telegramChatId');
    await refused({ kind: 'CONNECTION_BROKEN', channels: ['TELEGRAM'], telegramChatId: 'chat one' }, 'telegramChatId');
    await refused({ kind: 'CONNECTION_BROKEN', channels: [] }, 'channels');
    // Another organization's advertiser is not found.
    await refused(
      { kind: 'DAILY_SPEND_ABOVE', threshold: 5, channels: ['IN_APP'], advertiserIds: [otherAdvertiserGid] },
      'advertiserIds',
    );
    expect(await api.db.adsAlertRule.count({ where: { organizationId: org.organization.id } })).toBe(0);
  });

  test('a rule reads back as saved, is audited, and lists in the organization', async () => {
    const result = await create({
      kind: 'DAILY_SPEND_ABOVE',
      threshold: 1234.5,
      advertiserIds: [advertiserGid],
      channels: ['IN_APP', 'EMAIL', 'TELEGRAM', 'EMAIL'],
      emailRecipients: ['Ads@Example.com'],
      telegramChatId: '@pressroom_ads',
    });
    expect(result.__typename).toBe('MutationCreateAdsAlertRuleSuccess');
    expect(result.rule).toMatchObject({
      kind: 'DAILY_SPEND_ABOVE',
      threshold: 1234.5,
      advertisers: [{ id: advertiserGid }],
      channels: ['IN_APP', 'EMAIL', 'TELEGRAM'],
      emailRecipients: ['ads@example.com'],
      telegramChatId: '@pressroom_ads',
      enabled: true,
      lastFiredAt: null,
    });
    const audit = await api.db.auditEvent.findFirst({
      where: { organizationId: org.organization.id, action: 'ads_alert_rule.create' },
    });
    expect(audit?.actorUserId).toBe(org.members.ADMIN.userId);
    const listed = await org.members.ANALYST.client.gql<{ organization: { adsAlertRules: Array<{ id: string }> } }>(
      `query($id: ID!) { organization(id: $id) { adsAlertRules { id } } }`,
      { id: org.organization.gid },
    );
    expect(listed.body.data?.organization.adsAlertRules.map((r) => r.id)).toEqual([result.rule!.id]);
  });

  test('adsAlertFired streams a new event with its deliveries to the organization only', async () => {
    const rule = await api.db.adsAlertRule.create({
      data: { organizationId: org.organization.id, name: 'Broken', kind: 'CONNECTION_BROKEN', channels: ['IN_APP'] },
    });
    const firedQuery = `subscription($id: ID!) { adsAlertFired(organizationId: $id) {
      kind message breachKey rule { id } deliveries { channel target status outcomeUnknown attempts } } }`;
    const analyst = await listen(org.members.ANALYST.userId, org.organization.gid, firedQuery);
    const outsider = await listen(other.members.OWNER.userId, org.organization.gid, firedQuery);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await api.db.$transaction(async (tx) => {
      const event = await tx.adsAlertEvent.create({
        data: {
          organizationId: org.organization.id,
          ruleId: rule.id,
          kind: 'CONNECTION_BROKEN',
          message: 'Connection broken',
          breachKey: 'connection:x:2026-12-01T00:00:00.000Z',
          deliveries: { create: [{ channel: 'IN_APP', target: 'app', status: 'UNKNOWN', attempts: 1 }] },
        },
      });
      await emitEvent(tx, {
        kind: 'ads.alert.fired',
        organizationId: org.organization.id,
        payload: { eventId: event.id },
      });
    });
    for (let i = 0; i < 50 && analyst.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(analyst).toEqual([
      {
        data: {
          adsAlertFired: {
            kind: 'CONNECTION_BROKEN',
            message: 'Connection broken',
            breachKey: 'connection:x:2026-12-01T00:00:00.000Z',
            rule: { id: gid('AdsAlertRule', rule.id) },
            // A lost answer is never resent: FAILED, with its outcome unknown.
            deliveries: [{ channel: 'IN_APP', target: 'app', status: 'FAILED', outcomeUnknown: true, attempts: 1 }],
          },
        },
      },
    ]);
    // Another organization's member hears nothing of it.
    expect(outsider.some((r) => r.data && (r.data as { adsAlertFired?: unknown }).adsAlertFired)).toBe(false);
  });
  test('adsAlertEventChanged streams the event with its deliveries as they now stand, each time one moves on, to the organization only', async () => {
    const rule = await api.db.adsAlertRule.create({
      data: { organizationId: org.organization.id, name: 'Rejected', kind: 'AD_REJECTED', channels: ['EMAIL'] },
    });
    const event = await api.db.adsAlertEvent.create({
      data: {
        organizationId: org.organization.id,
        ruleId: rule.id,
        kind: 'AD_REJECTED',
        message: 'Ad rejected',
        breachKey: 'ad:x:AD_STATUS_REJECT',
        deliveries: { create: [{ channel: 'EMAIL', target: 'ads@example.com', status: 'PENDING' }] },
      },
      include: { deliveries: true },
    });
    const delivery = event.deliveries[0]!;
    const changedQuery = `subscription($id: ID!) { adsAlertEventChanged(organizationId: $id) {
      id deliveries { channel status providerReference error attempts } } }`;
    const analyst = await listen(org.members.ANALYST.userId, org.organization.gid, changedQuery);
    const outsider = await listen(other.members.OWNER.userId, org.organization.gid, changedQuery);
    await new Promise((resolve) => setTimeout(resolve, 500));
    // As the worker settles a delivery: the row and its announcement in one transaction.
    const settle = (data: { status: 'PENDING' | 'SENT'; error?: string | null; providerReference?: string }) =>
      api.db.$transaction(async (tx) => {
        await tx.adsAlertDelivery.update({ where: { id: delivery.id }, data: { ...data, attempts: { increment: 1 } } });
        await emitEvent(tx, {
          kind: 'ads.alert.delivery_changed',
          organizationId: org.organization.id,
          payload: { eventId: event.id, deliveryId: delivery.id },
        });
      });
    const arrived = async (count: number) => {
      for (let i = 0; i < 50 && analyst.length < count; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    };
    await settle({ status: 'PENDING', error: 'rate limited' });
    await arrived(1);
    await settle({ status: 'SENT', error: null, providerReference: 'email-1' });
    await arrived(2);
    const id = gid('AdsAlertEvent', event.id);
    expect(analyst).toEqual([
      {
        data: {
          adsAlertEventChanged: {
            id,
            deliveries: [
              { channel: 'EMAIL', status: 'PENDING', providerReference: null, error: 'rate limited', attempts: 1 },
            ],
          },
        },
      },
      {
        data: {
          adsAlertEventChanged: {
            id,
            deliveries: [{ channel: 'EMAIL', status: 'SENT', providerReference: 'email-1', error: null, attempts: 2 }],
          },
        },
      },
    ]);
    expect(outsider.some((r) => r.data && (r.data as { adsAlertEventChanged?: unknown }).adsAlertEventChanged)).toBe(
      false,
    );
  });
});

describe('adsConnectionChanged', () => {
  test("streams the organization's connection as it now stands, each change in order, to members with ads:read only", async () => {
    const day = 86_400_000;
    const today = new Date(new Date().toISOString().slice(0, 10) + 'T00:00:00Z');
    const connection = await api.db.adsConnection.create({
      data: { organizationId: org.organization.id, displayName: 'TikTok for Business (Live)', status: 'ACTIVE' },
    });
    await api.db.advertiser.create({
      data: {
        organizationId: org.organization.id,
        connectionId: connection.id,
        platformAdvertiserId: randomSecret().slice(0, 10),
        name: 'Live US',
        timezone: 'UTC',
        factsFrom: new Date(today.getTime() - 89 * day),
      },
    });
    const elsewhere = await api.db.adsConnection.create({
      data: { organizationId: other.organization.id, displayName: 'Elsewhere', status: 'ACTIVE' },
    });
    const query = `subscription($id: ID!) { adsConnectionChanged(organizationId: $id) {
      id status lastInventorySyncAt factsProgress lastErrorCode advertisers { factsThrough } } }`;
    const analyst = await listen(org.members.ANALYST.userId, org.organization.gid, query);
    const reviewer = await listen(org.members.REVIEWER.userId, org.organization.gid, query);
    const outsider = await listen(other.members.OWNER.userId, org.organization.gid, query);
    const otherOwner = await listen(other.members.OWNER.userId, other.organization.gid, query);
    await new Promise((resolve) => setTimeout(resolve, 500));
    // As the worker changes a connection: the rows and the announcement in one transaction.
    const change = (
      organizationId: string,
      connectionId: string,
      apply: (tx: Prisma.TransactionClient) => Promise<unknown>,
    ) =>
      api.db.$transaction(async (tx) => {
        await apply(tx);
        await emitEvent(tx, { kind: 'ads.connection.changed', organizationId, payload: { connectionId } });
      });
    const arrived = async (count: number) => {
      for (let i = 0; i < 50 && analyst.length < count; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    };
    const inventoryAt = new Date(Date.now() - 60_000);
    // The first inventory read.
    await change(org.organization.id, connection.id, (tx) =>
      tx.adsConnection.update({ where: { id: connection.id }, data: { lastInventorySyncAt: inventoryAt } }),
    );
    await arrived(1);
    // Another organization's connection moves on: nothing of it reaches this organization.
    await change(other.organization.id, elsewhere.id, (tx) =>
      tx.adsConnection.update({ where: { id: elsewhere.id }, data: { lastInventorySyncAt: inventoryAt } }),
    );
    // The backfill's first window of 30 days of 90.
    const through = new Date(today.getTime() - 60 * day);
    await change(org.organization.id, connection.id, (tx) =>
      tx.advertiser.updateMany({ where: { connectionId: connection.id }, data: { factsThrough: through } }),
    );
    await arrived(2);
    // TikTok refuses the token.
    await change(org.organization.id, connection.id, (tx) =>
      tx.adsConnection.update({
        where: { id: connection.id },
        data: { status: 'RECONNECT_NEEDED', lastErrorCode: '40105', lastErrorAt: new Date() },
      }),
    );
    await arrived(3);
    const id = gid('AdsConnection', connection.id);
    const at = inventoryAt.toISOString();
    const throughDay = through.toISOString().slice(0, 10);
    expect(analyst).toEqual([
      {
        data: {
          adsConnectionChanged: {
            id,
            status: 'ACTIVE',
            lastInventorySyncAt: at,
            factsProgress: 0,
            lastErrorCode: null,
            advertisers: [{ factsThrough: null }],
          },
        },
      },
      {
        data: {
          adsConnectionChanged: {
            id,
            status: 'ACTIVE',
            lastInventorySyncAt: at,
            factsProgress: 30 / 90,
            lastErrorCode: null,
            advertisers: [{ factsThrough: throughDay }],
          },
        },
      },
      {
        data: {
          adsConnectionChanged: {
            id,
            status: 'RECONNECT_NEEDED',
            lastInventorySyncAt: at,
            factsProgress: 30 / 90,
            lastErrorCode: '40105',
            advertisers: [{ factsThrough: throughDay }],
          },
        },
      },
    ]);
    // A role without ads:read is refused, someone outside the organization does not find it, and
    // the other organization's owner hears of its own connection only.
    const data = (results: Array<{ data?: unknown }>) =>
      results.filter((r) => (r.data as { adsConnectionChanged?: unknown } | undefined)?.adsConnectionChanged);
    expect(data(reviewer)).toEqual([]);
    expect(JSON.stringify(reviewer)).toContain('FORBIDDEN');
    expect(data(outsider)).toEqual([]);
    expect(JSON.stringify(outsider)).toContain('NOT_FOUND');
    expect(
      data(otherOwner).map((r) => (r.data as { adsConnectionChanged: { id: string } }).adsConnectionChanged.id),
    ).toEqual([gid('AdsConnection', elsewhere.id)]);
  });
});
