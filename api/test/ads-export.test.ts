// CSV export of ads reports: the link from exportAdsReportCsv streams exactly the rows the
// GraphQL report has (names with commas, quotes and line breaks quoted), its header from the
// chosen metrics with amounts in the advertiser's currency; the download is audited with its
// row count; an expired or forged link is refused.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sign } from '../src/auth/secrets.js';
import { exportPath, linkKey } from '../src/services/ads-export.js';
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
const days = Array.from({ length: 12 }, (_, i) => `2026-11-${String(i + 1).padStart(2, '0')}`);
const campaignNames = ['Spring, "big" sale\nUS', 'Plain', 'Émile ✓'];

beforeAll(async () => {
  api = await startTestApi({});
  org = await seedOrganization(api);
  const organizationId = org.organization.id;
  const connection = await api.db.adsConnection.create({ data: { organizationId } });
  const advertiser = await api.db.advertiser.create({
    data: {
      organizationId,
      connectionId: connection.id,
      platformAdvertiserId: '7002',
      currency: 'JPY',
      name: 'Acme JP',
    },
  });
  const facts = [];
  for (const [c, name] of campaignNames.entries()) {
    const campaign = await api.db.adsCampaign.create({
      data: {
        organizationId,
        advertiserId: advertiser.id,
        platformId: `c${c}`,
        name,
        operationStatus: 'ENABLE',
        lastSeenAt: new Date(),
      },
    });
    for (const [d, day] of days.entries()) {
      const n = BigInt((c + 1) * 1000 + d * 37);
      facts.push({
        objectId: campaign.id,
        day: new Date(`${day}T00:00:00Z`),
        level: 'CAMPAIGN' as const,
        organizationId,
        advertiserId: advertiser.id,
        campaignId: campaign.id,
        spendCents: n * 13n + 7n,
        impressions: n * 100n,
        clicks: d === 3 ? 0n : n / 10n,
        reach: n * 50n,
        conversions: n / 100n,
        videoPlays: n,
        videoViewsP25: n,
        videoViewsP50: n / 2n,
        videoViewsP75: n / 3n,
        videoViewsP100: n / 4n,
        likes: 1n,
        comments: 2n,
        shares: 3n,
        follows: 4n,
        fetchedAt: new Date(),
      });
    }
  }
  await api.db.adsDailyFact.createMany({ data: facts });
});
afterAll(() => api?.close());

const report = {
  level: 'CAMPAIGN',
  from: days[0],
  to: days.at(-1),
  groupBy: 'DAY',
  metrics: ['SPEND', 'CLICKS', 'CPC', 'CTR'],
  sortBy: 'CPC',
  sortDirection: 'ASC',
};

async function exportLink(client: TestClient, input: Record<string, unknown> = report) {
  const response = await client.gql<{
    exportAdsReportCsv: { __typename: string; url?: string; expiresAt?: string; filename?: string };
  }>(
    `mutation($id: ID!, $report: AdsReportInput!) { exportAdsReportCsv(organizationId: $id, report: $report) {
      __typename ... on Error { code } ... on MutationExportAdsReportCsvSuccess { url expiresAt filename } } }`,
    { id: org.organization.gid, report: input },
  );
  const result = response.body.data?.exportAdsReportCsv;
  // The link names the configured public origin; the test server listens on a port of its own.
  if (result?.url) {
    const link = new URL(result.url);
    result.url = `${api.url}${link.pathname}${link.search}`;
  }
  return { errors: response.body.errors, result };
}

interface ReportRow {
  objectId: string;
  name: string;
  period: string;
  metrics: { spend: string; clicks: string; cpc: string | null; ctr: string | null };
}

async function graphqlRows(client: TestClient) {
  const rows: string[][] = [];
  let after: string | null = null;
  do {
    const response: Awaited<ReturnType<typeof client.gql>> = await client.gql(
      `query($id: ID!, $input: AdsReportInput!, $after: String) { node(id: $id) { ... on Organization { adsReport(input: $input) {
        ... on OrganizationAdsReportSuccess { data { rows(first: 7, after: $after) { hasNextPage endCursor
          rows { objectId name period metrics { spend clicks cpc ctr } } } } } } } } }`,
      { id: org.organization.gid, input: report, after },
    );
    const page = (
      response.body.data as {
        node: {
          adsReport: {
            data: { rows: { hasNextPage: boolean; endCursor: string; rows: ReportRow[] } };
          };
        };
      }
    ).node.adsReport.data.rows;
    for (const row of page.rows) {
      rows.push([
        row.objectId,
        row.name,
        row.period,
        row.metrics.spend,
        row.metrics.clicks,
        row.metrics.cpc ?? '',
        row.metrics.ctr ?? '',
      ]);
    }
    after = page.hasNextPage ? page.endCursor : null;
  } while (after);
  return rows;
}

describe('ads report CSV export', () => {
  test("the link streams the report's rows, parsed back by a CSV parser, and the download is audited", async () => {
    const analyst = org.members.ANALYST;
    const { errors, result } = await exportLink(analyst.client);
    expect(errors).toBeUndefined();
    expect(result).toMatchObject({
      __typename: 'MutationExportAdsReportCsvSuccess',
      filename: 'ads-campaign-2026-11-01-2026-11-12.csv',
    });
    const expiresIn = Date.parse(result!.expiresAt!) - Date.now();
    expect(expiresIn).toBeGreaterThan(14 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(15 * 60_000);

    // No cookie or token: the link alone is the credential.
    const response = await fetch(result!.url!);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const records: string[][] = parse(await response.text());
    expect(records[0]).toEqual(['Campaign ID', 'Campaign', 'Day', 'Spend (JPY)', 'Clicks', 'CPC (JPY)', 'CTR (%)']);
    const expected = await graphqlRows(analyst.client);
    expect(expected).toHaveLength(campaignNames.length * days.length);
    expect(records.slice(1)).toEqual(expected);
    // The awkward name made it through intact.
    expect(records.slice(1).map((r) => r[1])).toContain(campaignNames[0]);

    const download = await api.db.auditEvent.findFirst({
      where: { organizationId: org.organization.id, action: 'ads_report.download' },
      orderBy: { id: 'desc' },
    });
    expect(download).toMatchObject({ actorUserId: analyst.userId });
    expect(download!.metadata).toMatchObject({
      level: 'CAMPAIGN',
      rows: expected.length,
      from: days[0],
      to: days.at(-1),
    });
  });

  test('a forged or expired link is refused, and so is one whose asker lost ads:read', async () => {
    const { result } = await exportLink(org.members.OWNER.client);
    const url = new URL(result!.url!);
    const token = url.searchParams.get('token')!;
    const forged = new URL(url);
    forged.searchParams.set('token', `${token.slice(0, -3)}${token.endsWith('AAA') ? 'BBB' : 'AAA'}`);
    expect((await fetch(forged)).status).toBe(403);
    // The claim altered (another organization) but the signature kept: refused.
    const [payload, signature] = [token.slice(0, token.lastIndexOf('.')), token.slice(token.lastIndexOf('.') + 1)];
    const claim = JSON.parse(Buffer.from(payload, 'base64url').toString()) as {
      expiresAt: number;
      report: { organizationId: string };
    };
    const altered = Buffer.from(JSON.stringify({ ...claim, expiresAt: claim.expiresAt + 3_600_000 })).toString(
      'base64url',
    );
    url.searchParams.set('token', `${altered}.${signature}`);
    expect((await fetch(url)).status).toBe(403);
    // Signed properly but past its time.
    const expired = Buffer.from(JSON.stringify({ ...claim, expiresAt: Date.now() - 1000 })).toString('base64url');
    url.searchParams.set('token', sign(linkKey(api.config), expired));
    const gone = await fetch(url);
    expect(gone.status).toBe(410);
    expect(await gone.text()).toMatch(/expired/);

    // A token's link dies with the token.
    const scoped = await seedApiToken(api, org.organization.id, ['ads:read']);
    const tokenLink = (await exportLink(scoped.client)).result!.url!;
    await api.db.apiToken.update({ where: { id: scoped.id }, data: { revokedAt: new Date() } });
    expect((await fetch(tokenLink)).status).toBe(403);
    expect(await fetch(`${api.url}${exportPath}`).then((r) => r.status)).toBe(403);
  });

  test('ads:read to export; a bad report is a ValidationError', async () => {
    expect((await exportLink(org.members.REVIEWER.client)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const backwards = await exportLink(org.members.EDITOR.client, { ...report, from: days.at(-1), to: days[0] });
    expect(backwards.result).toMatchObject({ __typename: 'ValidationError' });
    // A report without metrics exports every metric.
    const all = await exportLink(org.members.EDITOR.client, { level: 'ADVERTISER', from: days[0], to: days.at(-1) });
    const records: string[][] = parse(await (await fetch(all.result!.url!)).text());
    expect(records[0]).toHaveLength(2 + 18);
    // No facts were rolled up to the advertiser level here: the header alone.
    expect(records).toHaveLength(1);
    expect(records[0]![1]).toBe('Advertiser');
  });
});
