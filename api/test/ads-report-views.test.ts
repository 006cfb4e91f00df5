// Saved report views: private to their owner or shared with the organization; only the owner
// (or an OWNER/ADMIN, for shared ones) may change or delete them; every change audited; other
// organizations see nothing.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  gid,
  seedApiToken,
  seedOrganization,
  startTestApi,
  type SeededOrganization,
  type TestApi,
  type TestClient,
} from './kit.js';

let api: TestApi;
let org: SeededOrganization;
let other: SeededOrganization;
let campaignGid: string;
beforeAll(async () => {
  api = await startTestApi({});
  org = await seedOrganization(api);
  other = await seedOrganization(api);
  const connection = await api.db.adsConnection.create({ data: { organizationId: org.organization.id } });
  const advertiser = await api.db.advertiser.create({
    data: {
      organizationId: org.organization.id,
      connectionId: connection.id,
      platformAdvertiserId: '7001',
      currency: 'USD',
    },
  });
  const campaign = await api.db.adsCampaign.create({
    data: {
      organizationId: org.organization.id,
      advertiserId: advertiser.id,
      platformId: 'c1',
      name: 'Spring',
      operationStatus: 'ENABLE',
      lastSeenAt: new Date(),
    },
  });
  campaignGid = gid('AdsCampaign', campaign.id);
});
afterAll(() => api?.close());

const viewFields = `id name shared editable owner { id }
  report { level from to groupBy metrics sortBy sortDirection advertiserIds campaignIds adGroupIds adIds }`;

interface View {
  id: string;
  name: string;
  shared: boolean;
  editable: boolean;
  owner: { id: string } | null;
  report: Record<string, unknown>;
}

interface Answer {
  errors?: Array<{ extensions?: { code?: string } }>;
  result?: { __typename: string; view?: View; id?: string; code?: string };
}

async function save(client: TestClient, input: Record<string, unknown>, organizationGid = org.organization.gid) {
  const response = await client.gql<{ saveAdsReportView: Answer['result'] }>(
    `mutation($input: SaveAdsReportViewInput!) { saveAdsReportView(input: $input) {
      __typename ... on Error { code } ... on MutationSaveAdsReportViewSuccess { view { ${viewFields} } } } }`,
    { input: { organizationId: organizationGid, ...input } },
  );
  return { errors: response.body.errors, result: response.body.data?.saveAdsReportView ?? undefined } as Answer;
}

async function remove(client: TestClient, id: string) {
  const response = await client.gql<{ deleteAdsReportView: Answer['result'] }>(
    `mutation($id: ID!) { deleteAdsReportView(id: $id) {
      __typename ... on Error { code } ... on MutationDeleteAdsReportViewSuccess { id } } }`,
    { id },
  );
  return { errors: response.body.errors, result: response.body.data?.deleteAdsReportView ?? undefined } as Answer;
}

async function list(client: TestClient, organizationGid = org.organization.gid) {
  const response = await client.gql<{ node: { adsReportViews: View[] } | null }>(
    `query($id: ID!) { node(id: $id) { ... on Organization { adsReportViews { ${viewFields} } } } }`,
    { id: organizationGid },
  );
  return { errors: response.body.errors, views: response.body.data?.node?.adsReportViews };
}

const report = { level: 'CAMPAIGN', from: '2026-09-01', to: '2026-11-29' };

describe('saved report views', () => {
  test('create, list, update and delete; the report reads back as saved; audited', async () => {
    const analyst = org.members.ANALYST;
    const created = await save(analyst.client, {
      name: 'Spring weekly',
      shared: false,
      report: {
        ...report,
        groupBy: 'WEEK',
        metrics: ['SPEND', 'CLICKS'],
        sortBy: 'CLICKS',
        campaignIds: [campaignGid],
      },
    });
    expect(created.errors).toBeUndefined();
    const view = created.result!.view!;
    expect(view).toMatchObject({
      name: 'Spring weekly',
      shared: false,
      editable: true,
      owner: { id: gid('User', analyst.userId) },
      report: {
        ...report,
        groupBy: 'WEEK',
        metrics: ['SPEND', 'CLICKS'],
        sortBy: 'CLICKS',
        // Absent settings stay absent.
        sortDirection: null,
        advertiserIds: null,
        campaignIds: [campaignGid],
        adIds: null,
      },
    });
    expect((await list(analyst.client)).views!.map((v) => v.id)).toContain(view.id);

    const updated = await save(analyst.client, {
      id: view.id,
      name: 'Spring daily',
      shared: true,
      report: { ...report, groupBy: 'DAY' },
    });
    expect(updated.result!.view).toMatchObject({
      id: view.id,
      name: 'Spring daily',
      shared: true,
      report: { groupBy: 'DAY', metrics: null, campaignIds: null },
    });

    expect((await remove(analyst.client, view.id)).result).toEqual({
      __typename: 'MutationDeleteAdsReportViewSuccess',
      id: view.id,
    });
    expect((await list(analyst.client)).views!.map((v) => v.id)).not.toContain(view.id);
    const rowId = Buffer.from(view.id, 'base64url').toString().split(':')[1]!;
    const audit = await api.db.auditEvent.findMany({
      where: { targetType: 'AdsReportView', targetId: rowId },
      orderBy: { id: 'asc' },
    });
    expect(audit.map((event) => [event.action, event.actorUserId])).toEqual([
      ['ads_report_view.create', analyst.userId],
      ['ads_report_view.update', analyst.userId],
      ['ads_report_view.delete', analyst.userId],
    ]);
  });

  test('a private view is its owner’s alone; a shared one is seen by every member, changed by its owner or an admin', async () => {
    const editor = org.members.EDITOR;
    const analyst = org.members.ANALYST;
    const mine = (await save(editor.client, { name: 'Mine', shared: false, report })).result!.view!;
    const ours = (await save(editor.client, { name: 'Ours', shared: true, report })).result!.view!;

    const seen = (await list(analyst.client)).views!;
    expect(seen.map((v) => v.id)).toContain(ours.id);
    expect(seen.map((v) => v.id)).not.toContain(mine.id);
    expect(seen.find((v) => v.id === ours.id)).toMatchObject({
      editable: false,
      owner: { id: gid('User', editor.userId) },
    });
    // By id too, a private view of someone else is not there.
    const byId = await analyst.client.gql<{ node: unknown }>(`query($id: ID!) { node(id: $id) { id } }`, {
      id: mine.id,
    });
    expect(byId.body.data!.node).toBeNull();

    // Someone else's private view: missing. Someone else's shared view: forbidden.
    expect((await save(analyst.client, { id: mine.id, name: 'Taken', shared: true, report })).result).toMatchObject({
      __typename: 'NotFoundError',
    });
    expect((await remove(analyst.client, mine.id)).result).toMatchObject({ __typename: 'NotFoundError' });
    expect(
      (await save(analyst.client, { id: ours.id, name: 'Taken', shared: true, report })).errors?.[0]?.extensions,
    ).toMatchObject({ code: 'FORBIDDEN' });
    expect((await remove(analyst.client, ours.id)).errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(await api.db.adsReportView.count({ where: { name: { in: ['Mine', 'Ours'] } } })).toBe(2);

    // An admin may change and delete a shared view; the owner keeps it.
    const admin = org.members.ADMIN;
    expect((await list(admin.client)).views!.find((v) => v.id === ours.id)?.editable).toBe(true);
    const renamed = await save(admin.client, { id: ours.id, name: 'Ours (admin)', shared: true, report });
    expect(renamed.result!.view).toMatchObject({ name: 'Ours (admin)', owner: { id: gid('User', editor.userId) } });
    expect((await remove(admin.client, ours.id)).result).toMatchObject({ id: ours.id });
    // Not a private one, which an admin cannot even see.
    expect((await remove(admin.client, mine.id)).result).toMatchObject({ __typename: 'NotFoundError' });
  });

  test('ads:read to list and save; tokens read shared views but own none', async () => {
    const reviewer = org.members.REVIEWER.client;
    expect((await save(reviewer, { name: 'No', shared: false, report })).errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect((await list(reviewer)).errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    const shared = (await save(org.members.OWNER.client, { name: 'For tokens', shared: true, report })).result!.view!;
    const token = await seedApiToken(api, org.organization.id, ['ads:read']);
    expect((await list(token.client)).views!.map((v) => v.id)).toContain(shared.id);
    expect((await save(token.client, { name: 'Token', shared: false, report })).errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
    });
    // Bad settings are a ValidationError, never saved.
    const backwards = await save(org.members.OWNER.client, {
      name: 'Backwards',
      shared: false,
      report: { ...report, from: '2026-11-30', to: '2026-11-01' },
    });
    expect(backwards.result).toMatchObject({ __typename: 'ValidationError' });
  });

  test("another organization's views, and its objects in filters, answer as missing", async () => {
    const theirs = (await save(org.members.OWNER.client, { name: 'Theirs', shared: true, report })).result!.view!;
    const stranger = other.members.OWNER.client;
    expect((await list(stranger, other.organization.gid)).views!.map((v) => v.id)).not.toContain(theirs.id);
    // Its organization is not theirs to read at all.
    expect((await list(stranger)).views).toBeUndefined();
    expect(
      (await save(stranger, { id: theirs.id, name: 'Mine now', shared: true, report }, other.organization.gid)).result,
    ).toMatchObject({ __typename: 'NotFoundError' });
    expect((await remove(stranger, theirs.id)).result).toMatchObject({ __typename: 'NotFoundError' });
    expect((await save(stranger, { name: 'Into theirs', shared: true, report })).result).toMatchObject({
      __typename: 'NotFoundError',
    });
    const foreignFilter = await save(
      stranger,
      { name: 'Foreign', shared: false, report: { ...report, campaignIds: [campaignGid] } },
      other.organization.gid,
    );
    expect(foreignFilter.result).toMatchObject({ __typename: 'ValidationError' });
    expect(await api.db.adsReportView.findUnique({ where: { id: decode(theirs.id) } })).toMatchObject({
      name: 'Theirs',
    });
  });
});

function decode(globalId: string): string {
  return Buffer.from(globalId, 'base64url').toString().split(':')[1]!;
}
