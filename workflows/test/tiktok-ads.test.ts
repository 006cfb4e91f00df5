import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TikTokAdsEmulator, metricStrings } from '../src/emulators/tiktok-ads.js';
import {
  allPages,
  createTikTokAdsClient,
  tiktokAdsCategory,
  type TikTokAdsClient,
} from '../src/platforms/tiktok-ads/index.js';
import { caught } from './helpers.js';

describe('TikTok Marketing API client against the emulator', () => {
  let emulator: TikTokAdsEmulator;
  let client: TikTokAdsClient;
  let baseUrl: string;
  const waits: number[] = [];

  beforeAll(async () => {
    emulator = new TikTokAdsEmulator({ appRequestsPerSecond: 1000, advertiserRequestsPerSecond: 1000 });
    baseUrl = await emulator.start();
    client = createTikTokAdsClient({
      apiBaseUrl: baseUrl,
      appId: emulator.appId,
      secret: emulator.secret,
      http: {
        // Waits move the emulator's clock instead of the test's.
        sleep: (ms) => {
          waits.push(ms);
          emulator.clock.advance(ms);
          return Promise.resolve();
        },
      },
    });
  });
  afterAll(() => emulator.stop());
  beforeEach(() => {
    waits.length = 0;
    emulator.server.resetRateLimits();
    emulator.server.clearFaults();
  });

  async function consent(): Promise<string> {
    const response = await fetch(client.authorizeUrl({ redirectUri: 'http://127.0.0.1:9/callback', state: 's1' }), {
      redirect: 'manual',
    });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    expect(location.searchParams.get('state')).toBe('s1');
    return location.searchParams.get('auth_code')!;
  }

  it('exchanges an auth_code once for a long-term token and lists the advertisers it reaches', async () => {
    const owner = emulator.createAdvertiserOwner({ advertisers: 2 });
    emulator.consentingUserId = owner.userId;
    const code = await consent();
    const issued = await client.exchangeAuthCode(code);
    expect(issued.advertiserIds.sort()).toEqual([...owner.advertiserIds].sort());

    const advertisers = await client.authorizedAdvertisers(issued.accessToken);
    expect(advertisers.map((a) => a.advertiserId).sort()).toEqual([...owner.advertiserIds].sort());

    // The code is single use: the second exchange is refused with 40110, never retried.
    const used = await caught(client.exchangeAuthCode(code));
    expect(used).toMatchObject({ category: 'REJECTED_BY_PLATFORM', code: '40110' });
    expect(used.requestId).toMatch(/^\d{8}[0-9A-F]{20}$/);
    expect(emulator.log.filter((entry) => entry.path.endsWith('/oauth2/access_token/'))).toHaveLength(2);
  });

  it('sends the token in the Access-Token header; a revoked token is TOKEN_EXPIRED (reconnect)', async () => {
    const owner = emulator.createAdvertiserOwner();
    const { accessToken } = emulator.issueToken(owner.userId);
    const info = await client.advertiserInfo(accessToken, owner.advertiserIds);
    expect(info.list[0]).toMatchObject({
      advertiser_id: owner.advertiserIds[0],
      currency: 'USD',
      status: 'STATUS_ENABLE',
    });

    emulator.revokeTokens(owner.userId);
    const refused = await caught(client.campaigns(accessToken, owner.advertiserIds[0]!));
    expect(refused).toMatchObject({ category: 'TOKEN_EXPIRED', code: '40105', status: 200 });

    const raw = await fetch(`${baseUrl}/open_api/v1.3/campaign/get/?advertiser_id=${owner.advertiserIds[0]}`);
    const body = (await raw.json()) as { code: number; request_id: string };
    expect(raw.status).toBe(200);
    expect(body.code).toBe(40104);
  });

  it('answers 20001 partial success as an answer, not a failure', async () => {
    const mine = emulator.createAdvertiserOwner();
    const theirs = emulator.createAdvertiserOwner();
    const { accessToken } = emulator.issueToken(mine.userId);
    const info = await client.advertiserInfo(accessToken, [...mine.advertiserIds, ...theirs.advertiserIds]);
    expect(info.partial).toBe(true);
    expect(info.list.map((a) => a.advertiser_id)).toEqual(mine.advertiserIds);
  });

  it('asks for more than 100 advertisers in chunks; the emulator refuses 101 ids with 40011', async () => {
    const owner = emulator.createAdvertiserOwner({ advertisers: 101, campaigns: 0 });
    const { accessToken } = emulator.issueToken(owner.userId);
    const info = await client.advertiserInfo(accessToken, owner.advertiserIds);
    expect(info.list).toHaveLength(101);
    const calls = emulator.log.filter((entry) => entry.path.endsWith('/advertiser/info/') && entry.code === 0);
    expect(calls.length).toBeGreaterThanOrEqual(2);

    const url = new URL(`${baseUrl}/open_api/v1.3/advertiser/info/`);
    url.searchParams.set('advertiser_ids', JSON.stringify(owner.advertiserIds));
    const raw = (await (await fetch(url, { headers: { 'access-token': accessToken } })).json()) as { code: number };
    expect(raw.code).toBe(40011);
  });

  it('pages campaigns, ad groups and ads at the asked page size until total_page', async () => {
    const owner = emulator.createAdvertiserOwner({ campaigns: 5, adGroups: 2, ads: 3 });
    const { accessToken } = emulator.issueToken(owner.userId);
    const advertiserId = owner.advertiserIds[0]!;
    const pages: number[] = [];
    for await (const list of allPages((n) => client.ads(accessToken, advertiserId, n, 7))) pages.push(list.length);
    expect(pages).toEqual([7, 7, 7, 7, 2]);
    const campaigns = await client.campaigns(accessToken, advertiserId, 1, 1000);
    expect(campaigns.pageInfo).toEqual({ page: 1, page_size: 1000, total_number: 5, total_page: 1 });
    expect(campaigns.list[0]).toMatchObject({ budget_mode: 'BUDGET_MODE_DAY', operation_status: 'ENABLE' });

    // A deleted campaign, its ad groups and its ads leave the listings.
    emulator.deleteCampaign(campaigns.list[0]!.campaign_id);
    expect((await client.campaigns(accessToken, advertiserId)).pageInfo.total_number).toBe(4);
    expect((await client.adGroups(accessToken, advertiserId)).pageInfo.total_number).toBe(8);

    const bad = new URL(`${baseUrl}/open_api/v1.3/ad/get/`);
    bad.search = new URLSearchParams({ advertiser_id: advertiserId, page: '1', page_size: '1001' }).toString();
    const raw = (await (await fetch(bad, { headers: { 'access-token': accessToken } })).json()) as { code: number };
    expect(raw.code).toBe(40002);
  });

  it('lists business centers, identities, pixels, catalogs and audiences', async () => {
    const owner = emulator.createAdvertiserOwner();
    const { accessToken } = emulator.issueToken(owner.userId);
    const advertiserId = owner.advertiserIds[0]!;
    const centers = await client.businessCenters(accessToken);
    expect(centers.list.map((bc) => bc.bc_info.bc_id)).toEqual([owner.bcId]);
    expect((await client.identities(accessToken, advertiserId)).list).toHaveLength(1);
    expect((await client.pixels(accessToken, advertiserId)).list[0]).toMatchObject({ activity_status: 'ACTIVE' });
    expect((await client.catalogs(accessToken, owner.bcId)).list).toHaveLength(1);
    expect((await client.audiences(accessToken, advertiserId)).list).toHaveLength(2);
  });

  it('waits out 40100 and 40133 rate limits a second at a time and then succeeds', async () => {
    const owner = emulator.createAdvertiserOwner();
    const { accessToken } = emulator.issueToken(owner.userId);
    emulator.server.inject(
      { pathPrefix: '/open_api/v1.3/campaign/get/' },
      { kind: 'status', status: 200, code: '40100' },
    );
    emulator.server.inject(
      { pathPrefix: '/open_api/v1.3/campaign/get/' },
      { kind: 'status', status: 200, code: '40133' },
    );
    const campaigns = await client.campaigns(accessToken, owner.advertiserIds[0]!);
    expect(campaigns.list).toHaveLength(2);
    expect(waits).toEqual([1000, 1000]);
  });

  it('enforces its per-advertiser QPS with 40133 on its clock', async () => {
    const strict = new TikTokAdsEmulator({ advertiserRequestsPerSecond: 2 });
    const url = await strict.start();
    try {
      const owner = strict.createAdvertiserOwner();
      const { accessToken } = strict.issueToken(owner.userId);
      const once = createTikTokAdsClient({ apiBaseUrl: url, http: { maxRetries: 0 } });
      await once.campaigns(accessToken, owner.advertiserIds[0]!);
      await once.campaigns(accessToken, owner.advertiserIds[0]!);
      const limited = await caught(once.campaigns(accessToken, owner.advertiserIds[0]!));
      expect(limited).toMatchObject({ category: 'RATE_LIMITED', code: '40133', retryAfterMs: 1000 });
      strict.clock.advance(1000);
      await once.campaigns(accessToken, owner.advertiserIds[0]!);
    } finally {
      await strict.stop();
    }
  });

  it('maps server errors by idempotency and unknown codes to refusals', () => {
    expect(tiktokAdsCategory(50000, 200, true)).toBe('TRANSIENT');
    expect(tiktokAdsCategory(50000, 200, false)).toBe('OUTCOME_UNKNOWN');
    expect(tiktokAdsCategory(40011, 200, true)).toBe('REJECTED_BY_PLATFORM');
    expect(tiktokAdsCategory(40001, 200, true)).toBe('TOKEN_EXPIRED');
  });

  it('reports daily facts per level whose sums match the emulator, and revises recent days', async () => {
    const owner = emulator.createAdvertiserOwner({ campaigns: 2, adGroups: 2, ads: 2 });
    const { accessToken } = emulator.issueToken(owner.userId);
    const advertiserId = owner.advertiserIds[0]!;
    const end = emulator.today();
    const start = new Date(Date.parse(`${end}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10);
    const metrics = ['spend', 'impressions', 'clicks', 'conversion', 'ctr'] as const;
    const adRows = [];
    for await (const list of allPages((n) =>
      client.report(accessToken, {
        advertiserId,
        level: 'AUCTION_AD',
        metrics,
        startDate: start,
        endDate: end,
        page: n,
        pageSize: 100,
      }),
    )) {
      adRows.push(...list);
    }
    expect(adRows).toHaveLength(8 * 30);
    const spendCents = adRows.reduce((sum, row) => sum + Math.round(Number(row.metrics.spend) * 100), 0);
    const totals = emulator.totals('AUCTION_ADVERTISER', advertiserId, start, end);
    expect(spendCents).toBe(totals.spend);

    const [advertiserRow] = (
      await client.report(accessToken, {
        advertiserId,
        level: 'AUCTION_ADVERTISER',
        metrics,
        startDate: end,
        endDate: end,
      })
    ).list;
    expect(advertiserRow!.dimensions).toEqual({ advertiser_id: advertiserId, stat_time_day: `${end} 00:00:00` });
    expect(advertiserRow!.metrics).toEqual(
      Object.fromEntries(
        metrics.map((m) => [m, metricStrings(emulator.totals('AUCTION_ADVERTISER', advertiserId, end, end))[m]]),
      ),
    );

    // A day later, yesterday's numbers have grown; a day settled long ago has not changed.
    const oldDay = start;
    const before = await client.report(accessToken, {
      advertiserId,
      level: 'AUCTION_CAMPAIGN',
      metrics,
      startDate: oldDay,
      endDate: end,
    });
    emulator.clock.advance(86_400_000);
    const after = await client.report(accessToken, {
      advertiserId,
      level: 'AUCTION_CAMPAIGN',
      metrics,
      startDate: oldDay,
      endDate: end,
    });
    const impressions = (rows: typeof before.list, day: string) =>
      rows
        .filter((row) => row.dimensions.stat_time_day === `${day} 00:00:00`)
        .reduce((s, r) => s + Number(r.metrics.impressions), 0);
    expect(impressions(after.list, end)).toBeGreaterThan(impressions(before.list, end));
    expect(impressions(after.list, oldDay)).toBe(impressions(before.list, oldDay));

    // More than 30 days by day is refused.
    const tooLong = await caught(
      client.report(accessToken, {
        advertiserId,
        level: 'AUCTION_AD',
        metrics,
        startDate: new Date(Date.parse(`${end}T00:00:00Z`) - 30 * 86_400_000).toISOString().slice(0, 10),
        endDate: end,
      }),
    );
    expect(tooLong).toMatchObject({ category: 'REJECTED_BY_PLATFORM', code: '40002' });
  });
});
