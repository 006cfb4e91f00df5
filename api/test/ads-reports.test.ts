// Acceptance: connect TikTok for Business through GraphQL, let the worker read the inventory
// and backfill 90 days of facts, then report every level: each object's totals over the 90
// days, and the report's totals, equal the emulator's own numbers exactly. Also day rows with
// sorting and pages, a weekly series, ads:read (people and token scope) and tenancy.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  seedApiToken,
  seedOrganization,
  startTestApi,
  type SeededOrganization,
  type TestApi,
  type TestClient,
} from './kit.js';

let api: TestApi;
let org: SeededOrganization;
beforeAll(async () => {
  api = await startTestApi({}, { worker: {} });
  org = await seedOrganization(api);
});
afterAll(() => api?.close());

const metricFields = `spend impressions clicks ctr cpc cpm reach conversions costPerConversion videoPlays
  videoViewsP25 videoViewsP50 videoViewsP75 videoViewsP100 likes comments shares follows`;

const reportDocument = `query($id: ID!, $input: AdsReportInput!, $first: Int, $after: String) {
  node(id: $id) { ... on Organization { adsReport(input: $input) {
    __typename
    ... on Error { code message }
    ... on OrganizationAdsReportSuccess { data {
      currency level from to
      totals { ${metricFields} }
      rows(first: $first, after: $after) { totalCount hasNextPage endCursor rows { objectId name period metrics { ${metricFields} } } }
      series(interval: WEEK) { period metrics { spend impressions } }
    } }
  } } } }`;

type Metrics = Record<string, string | null>;
interface Report {
  currency: string;
  totals: Metrics;
  rows: {
    totalCount: number;
    hasNextPage: boolean;
    endCursor: string | null;
    rows: Array<{ objectId: string; name: string; period: string | null; metrics: Metrics }>;
  };
  series: Array<{ period: string; metrics: { spend: string; impressions: string } }>;
}

async function report(
  client: TestClient,
  input: Record<string, unknown>,
  page: { first?: number; after?: string | null } = {},
): Promise<{
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
  result?: { __typename: string; data?: Report; code?: string };
}> {
  const response = await client.gql<{ node: { adsReport: { __typename: string; data?: Report; code?: string } } }>(
    reportDocument,
    { id: org.organization.gid, input, first: page.first ?? 50, after: page.after ?? null },
  );
  return { errors: response.body.errors, result: response.body.data?.node?.adsReport };
}

/** What the API shows for the emulator's summed counts (spend and amounts in currency units). */
function expected(c: Record<string, number>): Metrics {
  const big = (n: number) => BigInt(n);
  const ratio = (num: bigint, den: bigint) => {
    if (den === 0n) return null;
    const scaled = (num * 100n * 2n + den) / (den * 2n);
    return `${scaled / 100n}.${String(scaled % 100n).padStart(2, '0')}`;
  };
  const spend = big(c.spend!);
  return {
    spend: `${spend / 100n}.${String(spend % 100n).padStart(2, '0')}`,
    impressions: String(c.impressions),
    clicks: String(c.clicks),
    ctr: ratio(big(c.clicks!) * 100n, big(c.impressions!)),
    cpc: ratio(spend, big(c.clicks!) * 100n),
    cpm: ratio(spend * 1000n, big(c.impressions!) * 100n),
    reach: String(c.reach),
    conversions: String(c.conversion),
    costPerConversion: ratio(spend, big(c.conversion!) * 100n),
    videoPlays: String(c.video_play_actions),
    videoViewsP25: String(c.video_views_p25),
    videoViewsP50: String(c.video_views_p50),
    videoViewsP75: String(c.video_views_p75),
    videoViewsP100: String(c.video_views_p100),
    likes: String(c.likes),
    comments: String(c.comments),
    shares: String(c.shares),
    follows: String(c.follows),
  };
}

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function gid(type: string, id: string): string {
  return Buffer.from(`${type}:${id}`).toString('base64url');
}

describe('ads reports', () => {
  let connectionGid: string;
  let advertiserId: string;
  let platformAdvertiserId: string;
  const today = () => api.tiktokAds.today();

  test('connect → inventory → 90-day backfill → every level reports the emulator’s numbers exactly', async () => {
    const emulator = api.tiktokAds;
    const owner = emulator.createAdvertiserOwner({
      advertisers: 1,
      campaigns: 2,
      adGroups: 2,
      ads: 2,
      currency: 'EUR',
    });
    platformAdvertiserId = owner.advertiserIds[0]!;
    emulator.consentingUserId = owner.userId;
    const owners = org.members.OWNER.client;
    const started = await owners.gql<{ startAdsConnect: { data: { authorizeUrl: string } } }>(
      `mutation($id: ID!) { startAdsConnect(organizationId: $id) { ... on MutationStartAdsConnectSuccess { data { authorizeUrl } } } }`,
      { id: org.organization.gid },
    );
    const consent = await fetch(started.body.data!.startAdsConnect.data.authorizeUrl, { redirect: 'manual' });
    const back = new URL(consent.headers.get('location')!);
    const completed = await owners.gql<{ completeAdsConnect: { data: { id: string } } }>(
      `mutation($id: ID!, $state: String!, $code: String!) { completeAdsConnect(organizationId: $id, state: $state, authCode: $code) {
        ... on MutationCompleteAdsConnectSuccess { data { id } } } }`,
      { id: org.organization.gid, state: back.searchParams.get('state'), code: back.searchParams.get('auth_code') },
    );
    connectionGid = completed.body.data!.completeAdsConnect.data.id;

    // The backfill's progress, read on the connection, reaches 1.
    const deadline = Date.now() + 150_000;
    let progress:
      | { factsProgress: number | null; advertisers: Array<{ factsFrom: string | null; factsThrough: string | null }> }
      | undefined;
    while (Date.now() < deadline) {
      const read = await owners.gql<{ node: typeof progress }>(
        `query($id: ID!) { node(id: $id) { ... on AdsConnection { factsProgress advertisers { factsFrom factsThrough } } } }`,
        { id: connectionGid },
      );
      progress = read.body.data!.node!;
      if (progress?.advertisers[0]?.factsThrough === today()) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    expect(progress!.advertisers[0]).toEqual({ factsFrom: addDays(today(), -89), factsThrough: today() });
    expect(progress!.factsProgress).toBe(1);
    // 30-day windows, each read at the four levels (one page each: at most 8 ads × 30 days).
    const reads = emulator.log.filter((entry) => entry.path.endsWith('/report/integrated/get/') && entry.code === 0);
    expect(reads.length).toBe(12);

    const advertiser = await api.db.advertiser.findFirstOrThrow({ where: { organizationId: org.organization.id } });
    advertiserId = advertiser.id;
    const from = addDays(today(), -89);
    const to = today();
    const levels = [
      {
        level: 'ADVERTISER',
        tiktok: 'AUCTION_ADVERTISER',
        rows: api.db.advertiser.findMany({
          where: { id: advertiser.id },
          select: { id: true, platformAdvertiserId: true },
        }),
      },
      {
        level: 'CAMPAIGN',
        tiktok: 'AUCTION_CAMPAIGN',
        rows: api.db.adsCampaign.findMany({
          where: { advertiserId: advertiser.id },
          select: { id: true, platformId: true },
        }),
      },
      {
        level: 'ADGROUP',
        tiktok: 'AUCTION_ADGROUP',
        rows: api.db.adsAdGroup.findMany({
          where: { advertiserId: advertiser.id },
          select: { id: true, platformId: true },
        }),
      },
      {
        level: 'AD',
        tiktok: 'AUCTION_AD',
        rows: api.db.adsAd.findMany({ where: { advertiserId: advertiser.id }, select: { id: true, platformId: true } }),
      },
    ] as const;
    const types = { ADVERTISER: 'Advertiser', CAMPAIGN: 'AdsCampaign', ADGROUP: 'AdsAdGroup', AD: 'AdsAd' } as const;
    const everything = expected(emulator.totals('AUCTION_ADVERTISER', platformAdvertiserId, from, to));
    for (const { level, tiktok, rows } of levels) {
      const objects = (await rows) as Array<{ id: string; platformId?: string; platformAdvertiserId?: string }>;
      const { errors, result } = await report(owners, { level, from, to });
      expect(errors).toBeUndefined();
      const data = result!.data!;
      expect(data.currency).toBe('EUR');
      expect(data.rows.totalCount).toBe(objects.length);
      expect(data.totals, `${level} totals`).toEqual(everything);
      for (const object of objects) {
        const row = data.rows.rows.find((r) => r.objectId === gid(types[level], object.id));
        expect(row, `${level} ${object.id}`).toBeDefined();
        const platformId = object.platformId ?? object.platformAdvertiserId!;
        expect(row!.metrics, `${level} ${platformId}`).toEqual(expected(emulator.totals(tiktok, platformId, from, to)));
      }
      // Sorted by spend, largest first.
      const spends = data.rows.rows.map((r) => Number(r.metrics.spend));
      expect(spends).toEqual([...spends].sort((a, b) => b - a));
      // The weekly series adds up to the totals.
      const seriesCents = data.series.reduce((sum, p) => sum + BigInt(p.metrics.spend.replace('.', '')), 0n);
      expect(seriesCents).toBe(BigInt(everything.spend!.replace('.', '')));
    }
  });

  test('day rows page through in order, filtered by campaign', async () => {
    const campaign = await api.db.adsCampaign.findFirstOrThrow({
      where: { advertiserId },
      orderBy: { platformId: 'asc' },
    });
    const from = addDays(today(), -89);
    const input = {
      level: 'AD',
      from,
      to: today(),
      groupBy: 'DAY',
      campaignIds: [gid('AdsCampaign', campaign.id)],
      sortBy: 'PERIOD',
      sortDirection: 'ASC',
    };
    const seen: Array<{ period: string | null; spend: string | null }> = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const { result } = await report(org.members.ANALYST.client, input, { first: 50, after });
      const rows = result!.data!.rows;
      expect(rows.totalCount).toBe(4 * 90);
      seen.push(...rows.rows.map((r) => ({ period: r.period, spend: r.metrics.spend ?? null })));
      after = rows.hasNextPage ? rows.endCursor : null;
      pages++;
    } while (after);
    expect(pages).toBe(8);
    expect(seen).toHaveLength(360);
    const periods = seen.map((r) => r.period!);
    expect(periods).toEqual([...periods].sort());
    const cents = seen.reduce((sum, r) => sum + BigInt(r.spend!.replace('.', '')), 0n);
    const emulatorCents = api.tiktokAds.totals('AUCTION_CAMPAIGN', campaign.platformId, from, today()).spend;
    expect(cents).toBe(BigInt(emulatorCents));
  });

  test('pages are keysets: each sort pages through exactly its one-page order, a row added before the cursor neither shifts nor repeats the next page, and rows name their advertiser', async () => {
    const from = addDays(today(), -89);
    const key = (r: { objectId: string; period: string | null }) => `${r.objectId}@${r.period ?? ''}`;
    const all = async (input: Record<string, unknown>, first: number) => {
      const keys: string[] = [];
      let after: string | null = null;
      do {
        // Only the rows' places: a page of 200 with every metric costs more than a query may.
        const response: Awaited<
          ReturnType<typeof org.members.ANALYST.client.gql<{ node: { adsReport: { data: { rows: Report['rows'] } } } }>>
        > = await org.members.ANALYST.client.gql(
          `query($id: ID!, $input: AdsReportInput!, $first: Int, $after: String) { node(id: $id) { ... on Organization {
            adsReport(input: $input) { ... on OrganizationAdsReportSuccess { data {
              rows(first: $first, after: $after) { totalCount hasNextPage endCursor rows { objectId name period } }
            } } } } } }`,
          { id: org.organization.gid, input, first, after },
        );
        expect(response.body.errors).toBeUndefined();
        const rows = response.body.data!.node.adsReport.data.rows;
        keys.push(...rows.rows.map(key));
        after = rows.hasNextPage ? rows.endCursor : null;
      } while (after);
      return keys;
    };
    const campaign = await api.db.adsCampaign.findFirstOrThrow({
      where: { advertiserId },
      orderBy: { platformId: 'asc' },
    });
    const group = await api.db.adsAdGroup.findFirstOrThrow({ where: { campaignId: campaign.id } });
    const sorts: Array<[Record<string, unknown>, number]> = [
      [{ level: 'CAMPAIGN', sortBy: 'SPEND', sortDirection: 'DESC' }, 1],
      [{ level: 'CAMPAIGN', sortBy: 'CPC', sortDirection: 'ASC' }, 1],
      [{ level: 'ADGROUP', sortBy: 'NAME', sortDirection: 'DESC' }, 3],
      [{ level: 'AD', groupBy: 'WEEK', sortBy: 'NAME', sortDirection: 'ASC' }, 7],
      // Days without conversions have no cost per conversion: they sort before the others.
      [
        {
          level: 'AD',
          groupBy: 'DAY',
          adGroupIds: [gid('AdsAdGroup', group.id)],
          sortBy: 'COST_PER_CONVERSION',
          sortDirection: 'ASC',
        },
        45,
      ],
      [
        {
          level: 'ADGROUP',
          groupBy: 'DAY',
          campaignIds: [gid('AdsCampaign', campaign.id)],
          sortBy: 'PERIOD',
          sortDirection: 'DESC',
        },
        50,
      ],
    ];
    for (const [settings, first] of sorts) {
      const input = { from, to: today(), ...settings };
      const whole = await all(input, 200);
      expect(whole.length, JSON.stringify(settings)).toBeGreaterThan(first);
      expect(await all(input, first), JSON.stringify(settings)).toEqual(whole);
    }

    // The first page, then a campaign that outspends every other appears (a new campaign's
    // facts read meanwhile): the second page goes on after the first as if it were not there.
    const input = { level: 'CAMPAIGN', from, to: today(), sortBy: 'SPEND', sortDirection: 'DESC' };
    const before = await all(input, 200);
    expect(before).toHaveLength(2);
    const first = await report(org.members.ANALYST.client, input, { first: 1 });
    const firstRows = first.result!.data!.rows;
    expect(firstRows.rows.map(key)).toEqual(before.slice(0, 1));
    const advertiser = await api.db.advertiser.findUniqueOrThrow({ where: { id: advertiserId } });
    const added = await api.db.adsCampaign.create({
      data: {
        organizationId: advertiser.organizationId,
        advertiserId,
        platformId: `late-${Date.now()}`,
        name: 'A late campaign',
        operationStatus: 'ENABLE',
        lastSeenAt: new Date(),
      },
    });
    const zero = {
      impressions: 0n,
      clicks: 0n,
      reach: 0n,
      conversions: 0n,
      videoPlays: 0n,
      videoViewsP25: 0n,
      videoViewsP50: 0n,
      videoViewsP75: 0n,
      videoViewsP100: 0n,
      likes: 0n,
      comments: 0n,
      shares: 0n,
      follows: 0n,
    };
    await api.db.adsDailyFact.create({
      data: {
        ...zero,
        objectId: added.id,
        day: new Date(`${addDays(today(), -1)}T00:00:00Z`),
        level: 'CAMPAIGN',
        organizationId: advertiser.organizationId,
        advertiserId,
        campaignId: added.id,
        spendCents: 10n ** 12n,
        fetchedAt: new Date(),
      },
    });
    try {
      // (An offset would answer the first page's campaign again: everything moved down one.)
      const second = await report(org.members.ANALYST.client, input, { first: 1, after: firstRows.endCursor });
      expect(second.result!.data!.rows.rows.map(key)).toEqual(before.slice(1, 2));
      expect(second.result!.data!.rows.hasNextPage).toBe(false);
      expect(second.result!.data!.rows.totalCount).toBe(before.length + 1);
      // Read again from the start, the new campaign leads.
      const again = await report(org.members.ANALYST.client, input, { first: 1 });
      expect(again.result!.data!.rows.rows[0]!.objectId).toBe(gid('AdsCampaign', added.id));
    } finally {
      await api.db.adsDailyFact.deleteMany({ where: { objectId: added.id } });
      await api.db.adsCampaign.delete({ where: { id: added.id } });
    }

    // A cursor of another sort means nothing to this one.
    const other = await report(
      org.members.ANALYST.client,
      { ...input, sortBy: 'CLICKS' },
      {
        first: 2,
        after: firstRows.endCursor,
      },
    );
    expect(other.result?.data ?? null).toBeNull();
    expect(JSON.stringify(other.errors ?? other.result)).toMatch(/Not a cursor of this report/);

    // Every row names its advertiser (two advertisers can each have a "Campaign 1").
    const named = await org.members.ANALYST.client.gql<{
      node: {
        adsReport: {
          data: { rows: { rows: Array<{ name: string; advertiser: { id: string; name: string; currency: string } }> } };
        };
      };
    }>(
      `query($id: ID!, $input: AdsReportInput!) { node(id: $id) { ... on Organization { adsReport(input: $input) {
        ... on OrganizationAdsReportSuccess { data { rows(first: 50) { rows { name advertiser { id name currency } } } } }
      } } } }`,
      { id: org.organization.gid, input: { level: 'AD', from, to: today() } },
    );
    const rows = named.body.data!.node.adsReport.data.rows.rows;
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.advertiser).toEqual({
        id: gid('Advertiser', advertiserId),
        name: advertiser.name,
        currency: advertiser.currency,
      });
    }
  });

  test('ads:read: reviewers and tokens without the scope are refused; the scope is enough', async () => {
    const input = { level: 'CAMPAIGN', from: addDays(today(), -6), to: today() };
    const reviewer = await report(org.members.REVIEWER.client, input);
    expect(reviewer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const unscoped = await seedApiToken(api, org.organization.id, ['analytics:read']);
    expect((await report(unscoped.client, input)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const scoped = await seedApiToken(api, org.organization.id, ['ads:read']);
    const allowed = await report(scoped.client, input);
    expect(allowed.errors).toBeUndefined();
    expect(allowed.result!.data!.rows.totalCount).toBe(2);
    // A bad range is a result, not a crash (asked by a person: the token's cost bucket is spent).
    const backwards = await report(org.members.ANALYST.client, { ...input, from: today(), to: addDays(today(), -1) });
    expect(backwards.result).toMatchObject({ __typename: 'ValidationError', code: 'BAD_USER_INPUT' });
  });

  test("another organization's advertiser answers like a missing one and its facts never show", async () => {
    const other = await seedOrganization(api);
    const input = {
      level: 'ADVERTISER',
      from: addDays(today(), -89),
      to: today(),
      advertiserIds: [gid('Advertiser', advertiserId)],
    };
    const response = await other.members.OWNER.client.gql<{
      node: { adsReport: { __typename: string; data?: Report } };
    }>(reportDocument, { id: other.organization.gid, input, first: 10, after: null });
    expect(response.body.data!.node.adsReport).toMatchObject({ __typename: 'ValidationError' });
    const all = { level: input.level, from: input.from, to: input.to };
    const empty = await other.members.OWNER.client.gql<{ node: { adsReport: { data: Report } } }>(reportDocument, {
      id: other.organization.gid,
      input: all,
      first: 10,
      after: null,
    });
    expect(empty.body.data!.node.adsReport.data.rows.totalCount).toBe(0);
    expect(empty.body.data!.node.adsReport.data.totals.spend).toBe('0.00');
  });

  test("backfill progress counts the advertiser's own days: an advertiser behind UTC that has read its today is done", async () => {
    const other = await seedOrganization(api);
    const connection = await api.db.adsConnection.create({ data: { organizationId: other.organization.id } });
    // Pago Pago is UTC-11: for most of a UTC day its date is the day before.
    const theirToday = new Intl.DateTimeFormat('en-CA', { timeZone: 'Pacific/Pago_Pago' }).format(Date.now());
    const advertiser = await api.db.advertiser.create({
      data: {
        organizationId: other.organization.id,
        connectionId: connection.id,
        platformAdvertiserId: `pago-${connection.id}`,
        timezone: 'Pacific/Pago_Pago',
        factsFrom: new Date(`${addDays(theirToday, -89)}T00:00:00Z`),
        factsThrough: new Date(`${theirToday}T00:00:00Z`),
      },
    });
    const read = await other.members.OWNER.client.gql<{ node: { factsProgress: number } }>(
      `query($id: ID!) { node(id: $id) { ... on AdsConnection { factsProgress } } }`,
      { id: gid('AdsConnection', connection.id) },
    );
    expect(read.body.errors).toBeUndefined();
    expect(read.body.data!.node.factsProgress).toBe(1);
    // Half-way through the 90 days is a half.
    await api.db.advertiser.update({
      where: { id: advertiser.id },
      data: { factsThrough: new Date(`${addDays(theirToday, -45)}T00:00:00Z`) },
    });
    const half = await other.members.OWNER.client.gql<{ node: { factsProgress: number } }>(
      `query($id: ID!) { node(id: $id) { ... on AdsConnection { factsProgress } } }`,
      { id: gid('AdsConnection', connection.id) },
    );
    expect(half.body.data!.node.factsProgress).toBeCloseTo(45 / 90, 5);
  });
});
