// Connecting TikTok for Business through GraphQL against the Marketing API emulator: the
// consent page's redirect, the single-use state bound to the person, the token sealed in the
// vault, the advertisers it reaches, TikTok's refusals as typed results, and disconnecting.
import { adsConnectionTokenContext, createVault, parseKeyRing } from '@pressroom/db/vault';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { seedOrganization, startTestApi, type SeededOrganization, type TestApi, type TestClient } from './kit.js';

let api: TestApi;
let org: SeededOrganization;
beforeAll(async () => {
  // A worker runs the inventory sync the connect starts.
  api = await startTestApi({}, { worker: {} });
  org = await seedOrganization(api);
});
afterAll(() => api?.close());

interface Started {
  authorizeUrl: string;
  state: string;
}

async function start(client: TestClient): Promise<Started> {
  const response = await client.gql<{ startAdsConnect: { __typename: string; data: Started } }>(
    `mutation($id: ID!) { startAdsConnect(organizationId: $id) {
      __typename ... on MutationStartAdsConnectSuccess { data { authorizeUrl state expiresAt } } } }`,
    { id: org.organization.gid },
  );
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.startAdsConnect.data;
}

/** What the browser does: opens the consent page and follows it back to the redirect. */
async function consent(authorizeUrl: string): Promise<{ authCode: string; state: string }> {
  const response = await fetch(authorizeUrl, { redirect: 'manual' });
  expect(response.status).toBe(302);
  const back = new URL(response.headers.get('location')!);
  expect(`${back.origin}${back.pathname}`).toBe(
    `${api.config.PUBLIC_BASE_URL ?? `http://${api.config.HOST}:${api.config.PORT}`}/ads/connected`,
  );
  return { authCode: back.searchParams.get('auth_code')!, state: back.searchParams.get('state')! };
}

const completeDocument = `mutation($id: ID!, $state: String!, $code: String!) {
  completeAdsConnect(organizationId: $id, state: $state, authCode: $code) {
    __typename
    ... on Error { code message }
    ... on AdsPlatformError { platformCode requestId }
    ... on MutationCompleteAdsConnectSuccess { data { id status lastSuccessAt advertisers { platformAdvertiserId name currency timezone status } } }
  } }`;

interface Completed {
  __typename: string;
  code?: string;
  message?: string;
  platformCode?: string | null;
  requestId?: string | null;
  data?: {
    id: string;
    status: string;
    lastSuccessAt: string;
    advertisers: Array<{
      platformAdvertiserId: string;
      name: string;
      currency: string;
      timezone: string;
      status: string;
    }>;
  };
}

async function complete(client: TestClient, state: string, authCode: string): Promise<Completed> {
  const response = await client.gql<{ completeAdsConnect: Completed }>(completeDocument, {
    id: org.organization.gid,
    state,
    code: authCode,
  });
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.completeAdsConnect;
}

describe('connecting TikTok for Business', () => {
  test('start → consent → complete stores the token sealed and the advertisers it reaches; the state is single use', async () => {
    const owner = api.tiktokAds.createAdvertiserOwner({ advertisers: 2, currency: 'EUR', timezone: 'Europe/Berlin' });
    api.tiktokAds.consentingUserId = owner.userId;
    const started = await start(org.members.OWNER.client);
    expect(new URL(started.authorizeUrl).searchParams.get('app_id')).toBe(api.tiktokAds.appId);
    const back = await consent(started.authorizeUrl);
    expect(back.state).toBe(started.state);

    const done = await complete(org.members.OWNER.client, back.state, back.authCode);
    expect(done.__typename).toBe('MutationCompleteAdsConnectSuccess');
    expect(done.data!.status).toBe('ACTIVE');
    expect(done.data!.lastSuccessAt).toBeTruthy();
    expect(done.data!.advertisers.map((a) => a.platformAdvertiserId).sort()).toEqual([...owner.advertiserIds].sort());
    expect(done.data!.advertisers[0]).toMatchObject({
      currency: 'EUR',
      timezone: 'Europe/Berlin',
      status: 'STATUS_ENABLE',
    });

    // The token is stored only encrypted, bound to its row, and is the one TikTok issued.
    const row = await api.db.adsConnection.findFirstOrThrow({
      where: { organizationId: org.organization.id },
      orderBy: { createdAt: 'desc' },
    });
    const vault = createVault(parseKeyRing(api.config.PRESSROOM_TOKEN_KEYS!));
    const token = vault.decrypt(row.tokenKeyId!, row.accessTokenCiphertext!, adsConnectionTokenContext(row));
    expect(Buffer.from(row.accessTokenCiphertext!).includes(Buffer.from(token))).toBe(false);
    const listed = await fetch(
      `${api.tiktokAds.server.baseUrl}/open_api/v1.3/oauth2/advertiser/get/?app_id=${api.tiktokAds.appId}&secret=${api.tiktokAds.secret}`,
      {
        headers: { 'access-token': token },
      },
    );
    expect(((await listed.json()) as { code: number }).code).toBe(0);

    // The same state again is refused before TikTok is asked.
    const exchanges = api.tiktokAds.log.filter((entry) => entry.path.endsWith('/oauth2/access_token/')).length;
    const replay = await complete(org.members.OWNER.client, back.state, api.tiktokAds.grantAuthCode(owner.userId));
    expect(replay).toMatchObject({ __typename: 'ValidationError', code: 'BAD_USER_INPUT' });
    expect(api.tiktokAds.log.filter((entry) => entry.path.endsWith('/oauth2/access_token/')).length).toBe(exchanges);
  });

  test("another member cannot complete a person's connect, and an expired state is refused", async () => {
    const owner = api.tiktokAds.createAdvertiserOwner();
    api.tiktokAds.consentingUserId = owner.userId;
    const started = await start(org.members.OWNER.client);
    const back = await consent(started.authorizeUrl);
    const stolen = await complete(org.members.ADMIN.client, back.state, back.authCode);
    expect(stolen).toMatchObject({ __typename: 'ValidationError' });

    const late = await start(org.members.ADMIN.client);
    await api.db.adsConnectState.updateMany({
      where: { userId: org.members.ADMIN.userId },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const expired = await complete(org.members.ADMIN.client, late.state, api.tiktokAds.grantAuthCode(owner.userId));
    expect(expired).toMatchObject({ __typename: 'ValidationError' });
  });

  test("TikTok's refusal of a used auth_code comes back typed with its code and request_id; nothing is stored", async () => {
    const owner = api.tiktokAds.createAdvertiserOwner();
    const code = api.tiktokAds.grantAuthCode(owner.userId);
    api.tiktokAds.consentingUserId = owner.userId;
    const first = await start(org.members.OWNER.client);
    expect((await complete(org.members.OWNER.client, first.state, code)).__typename).toBe(
      'MutationCompleteAdsConnectSuccess',
    );
    const before = await api.db.adsConnection.count();
    const second = await start(org.members.OWNER.client);
    const refused = await complete(org.members.OWNER.client, second.state, code);
    expect(refused).toMatchObject({ __typename: 'AdsPlatformError', code: 'BAD_USER_INPUT', platformCode: '40110' });
    expect(refused.requestId).toBeTruthy();
    expect(await api.db.adsConnection.count()).toBe(before);
  });

  test('disconnecting revokes the token at TikTok, erases it and keeps the advertisers; a second disconnect is a conflict', async () => {
    const owner = api.tiktokAds.createAdvertiserOwner();
    api.tiktokAds.consentingUserId = owner.userId;
    const started = await start(org.members.OWNER.client);
    const back = await consent(started.authorizeUrl);
    const done = await complete(org.members.OWNER.client, back.state, back.authCode);
    const sealed = await api.db.adsConnection.findFirstOrThrow({
      where: { advertisers: { some: { platformAdvertiserId: owner.advertiserIds[0] } } },
    });
    const token = createVault(parseKeyRing(api.config.PRESSROOM_TOKEN_KEYS!)).decrypt(
      sealed.tokenKeyId!,
      sealed.accessTokenCiphertext!,
      adsConnectionTokenContext(sealed),
    );
    expect(api.tiktokAds.tokenWorks(token)).toBe(true);
    const document = `mutation($id: ID!) { disconnectAdsConnection(id: $id) { __typename ... on Error { code }
      ... on MutationDisconnectAdsConnectionSuccess { data { status advertisers { name } } } } }`;
    const answer = await org.members.ADMIN.client.gql<{
      disconnectAdsConnection: { __typename: string; data: { status: string; advertisers: unknown[] } };
    }>(document, { id: done.data!.id });
    expect(answer.body.data!.disconnectAdsConnection.data).toMatchObject({ status: 'DISCONNECTED' });
    expect(answer.body.data!.disconnectAdsConnection.data.advertisers).toHaveLength(1);
    const row = await api.db.adsConnection.findFirstOrThrow({
      where: { status: 'DISCONNECTED', advertisers: { some: { platformAdvertiserId: owner.advertiserIds[0] } } },
    });
    expect(row.accessTokenCiphertext).toBeNull();
    // Revoked at TikTok: the token no longer works there, whoever holds a copy.
    expect(api.tiktokAds.tokenWorks(token)).toBe(false);
    expect(api.tiktokAds.log.filter((entry) => entry.path === '/open_api/v1.3/oauth2/revoke_token/').at(-1)?.code).toBe(
      0,
    );
    const again = await org.members.OWNER.client.gql<{ disconnectAdsConnection: { code: string } }>(document, {
      id: done.data!.id,
    });
    expect(again.body.data!.disconnectAdsConnection.code).toBe('CONFLICT');
  });

  test('a connect starts the inventory sync; the tree reads advertiser → campaigns → ad groups → ads', async () => {
    const owner = api.tiktokAds.createAdvertiserOwner({ advertisers: 1, campaigns: 2, adGroups: 2, ads: 3 });
    api.tiktokAds.consentingUserId = owner.userId;
    const started = await start(org.members.OWNER.client);
    const back = await consent(started.authorizeUrl);
    const done = await complete(org.members.OWNER.client, back.state, back.authCode);
    const deadline = Date.now() + 60_000;
    while (
      !(await api.db.adsConnection.findFirst({
        where: {
          lastInventorySyncAt: { not: null },
          advertisers: { some: { platformAdvertiserId: owner.advertiserIds[0] } },
        },
      }))
    ) {
      if (Date.now() > deadline) throw new Error('the inventory sync did not finish');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const tree = await org.members.ANALYST.client.gql<{
      node: {
        businessCenters: Array<{ kind: string }>;
        advertisers: Array<{
          assets: Array<{ kind: string }>;
          campaigns: {
            edges: Array<{
              node: {
                name: string;
                budget: string;
                adGroups: {
                  edges: Array<{
                    node: { ads: { edges: Array<{ node: { operationStatus: string; secondaryStatus: string } }> } };
                  }>;
                };
              };
            }>;
          };
        }>;
      };
    }>(
      `query($id: ID!) { node(id: $id) { ... on AdsConnection {
        businessCenters { kind }
        advertisers { assets { kind } campaigns(first: 5) { edges { node { name budget
          adGroups(first: 5) { edges { node { ads(first: 5) { edges { node { operationStatus secondaryStatus } } } } } } } } } } } } }`,
      { id: done.data!.id },
    );
    expect(tree.body.errors).toBeUndefined();
    const connection = tree.body.data!.node;
    expect(connection.businessCenters.map((a) => a.kind)).toEqual(['BUSINESS_CENTER', 'CATALOG']);
    const [advertiser] = connection.advertisers;
    expect(advertiser!.assets.map((a) => a.kind).sort()).toEqual(['AUDIENCE', 'AUDIENCE', 'IDENTITY', 'PIXEL']);
    expect(advertiser!.campaigns.edges.map((e) => [e.node.name, e.node.budget])).toEqual([
      ['Campaign 1', '100.00'],
      ['Campaign 2', '150.00'],
    ]);
    const ads = advertiser!.campaigns.edges.flatMap((c) => c.node.adGroups.edges.flatMap((g) => g.node.ads.edges));
    expect(ads).toHaveLength(12);
    expect(ads[0]!.node).toEqual({ operationStatus: 'ENABLE', secondaryStatus: 'AD_STATUS_DELIVERY_OK' });
  });
});
