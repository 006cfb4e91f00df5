import { afterAll, beforeAll, expect, test } from 'vitest';
import { gid, seedOrganization, startTestApi, type SeededOrganization, type TestApi } from './kit.js';

// Time series for the analytics screen: an account's snapshots and a publication's metric
// snapshots over a range, oldest first, gated by analytics:read and priced by their length.

let api: TestApi;
let org: SeededOrganization;
let other: SeededOrganization;
let accountGid: string;
let publicationGid: string;
const day = 86_400_000;
const now = Date.now();
const at = (daysAgo: number) => new Date(now - daysAgo * day);

beforeAll(async () => {
  api = await startTestApi();
  org = await seedOrganization(api);
  other = await seedOrganization(api);
  const account = await api.db.socialAccount.findFirstOrThrow({ where: { organizationId: org.organization.id } });
  accountGid = gid('SocialAccount', account.id);
  // One snapshot a day for 40 days: followers grow by 10 a day.
  for (let daysAgo = 40; daysAgo >= 1; daysAgo -= 1) {
    await api.db.accountSnapshot.create({
      data: {
        organizationId: org.organization.id,
        socialAccountId: account.id,
        capturedAt: at(daysAgo),
        followerCount: 1000 + (40 - daysAgo) * 10,
        followingCount: 5,
        likesCount: 100n,
        videoCount: 3,
      },
    });
  }
  const publication = await api.db.publication.findFirstOrThrow({ where: { postId: org.posts.published.id } });
  publicationGid = gid('Publication', publication.id);
  const video = await api.db.platformVideo.findFirstOrThrow({ where: { publicationId: publication.id } });
  for (let daysAgo = 10; daysAgo >= 1; daysAgo -= 1) {
    await api.db.videoMetricSnapshot.create({
      data: {
        organizationId: org.organization.id,
        platformVideoId: video.id,
        capturedAt: at(daysAgo),
        viewCount: BigInt((11 - daysAgo) * 100),
        likeCount: BigInt(11 - daysAgo),
        commentCount: 1n,
        shareCount: 0n,
      },
    });
  }
});
afterAll(() => api?.close());

const accountSeries = `query($id: ID!, $from: DateTime!, $to: DateTime!, $last: Int) {
  node(id: $id) { ... on SocialAccount { snapshots(from: $from, to: $to, last: $last) { followerCount capturedAt } } }
}`;
const publicationSeries = `query($id: ID!, $from: DateTime!, $to: DateTime!) {
  node(id: $id) { ... on Publication { metricSnapshots(from: $from, to: $to) { viewCount likeCount capturedAt } } }
}`;
type AccountSeries = { node: { snapshots: Array<{ followerCount: number; capturedAt: string }> } | null };
type PublicationSeries = {
  node: { metricSnapshots: Array<{ viewCount: string; likeCount: string; capturedAt: string }> } | null;
};

test("an account's snapshots within the range, oldest first, and only those", async () => {
  const response = await org.members.ANALYST.client.gql<AccountSeries>(accountSeries, {
    id: accountGid,
    from: at(7.5).toISOString(),
    to: at(0).toISOString(),
  });
  expect(response.body.errors).toBeUndefined();
  const points = response.body.data!.node!.snapshots;
  expect(points.map((point) => point.followerCount)).toEqual([1330, 1340, 1350, 1360, 1370, 1380, 1390]);
  const times = points.map((point) => Date.parse(point.capturedAt));
  expect(times).toEqual([...times].sort((a, b) => a - b));
});

test('`last` keeps the newest points of a long range, and is priced like a page of that many', async () => {
  const response = await org.members.OWNER.client.gql<AccountSeries>(accountSeries, {
    id: accountGid,
    from: at(90).toISOString(),
    to: at(0).toISOString(),
    last: 3,
  });
  expect(response.body.data!.node!.snapshots.map((point) => point.followerCount)).toEqual([1370, 1380, 1390]);
  const cheap = (response.body.extensions?.cost as { requestedQueryCost: number }).requestedQueryCost;
  const full = await org.members.OWNER.client.gql(accountSeries, {
    id: accountGid,
    from: at(90).toISOString(),
    to: at(0).toISOString(),
    last: 1000,
  });
  const dear = (full.body.extensions?.cost as { requestedQueryCost: number }).requestedQueryCost;
  expect(dear - cheap).toBe(997 * 2);
});

test('an inverted range or a `last` out of bounds is BAD_USER_INPUT', async () => {
  const inverted = await org.members.OWNER.client.gql(accountSeries, {
    id: accountGid,
    from: at(0).toISOString(),
    to: at(7).toISOString(),
  });
  expect(inverted.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  const tooMany = await org.members.OWNER.client.gql(accountSeries, {
    id: accountGid,
    from: at(7).toISOString(),
    to: at(0).toISOString(),
    last: 5000,
  });
  expect(tooMany.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
});

test("a publication's metric snapshots within the range, oldest first", async () => {
  const response = await org.members.EDITOR.client.gql<PublicationSeries>(publicationSeries, {
    id: publicationGid,
    from: at(3.5).toISOString(),
    to: at(0).toISOString(),
  });
  expect(response.body.errors).toBeUndefined();
  expect(response.body.data!.node!.metricSnapshots.map((point) => Number(point.viewCount))).toEqual([800, 900, 1000]);
});

test('a publication without a matched video has an empty series', async () => {
  const publication = await api.db.publication.create({
    data: {
      organizationId: org.organization.id,
      postId: org.posts.scheduled.id,
      socialAccountId: (await api.db.socialAccount.findFirstOrThrow({ where: { organizationId: org.organization.id } }))
        .id,
      platform: 'TIKTOK',
      state: 'SCHEDULED',
      scheduledAt: new Date(now + day),
    },
  });
  const response = await org.members.OWNER.client.gql<PublicationSeries>(publicationSeries, {
    id: gid('Publication', publication.id),
    from: at(30).toISOString(),
    to: at(0).toISOString(),
  });
  expect(response.body.data!.node!.metricSnapshots).toEqual([]);
});

test('a reviewer (no analytics:read) is refused both series; another organization sees nothing', async () => {
  const range = { from: at(30).toISOString(), to: at(0).toISOString() };
  const account = await org.members.REVIEWER.client.gql(accountSeries, { id: accountGid, ...range });
  expect(account.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  const publication = await org.members.REVIEWER.client.gql(publicationSeries, { id: publicationGid, ...range });
  expect(publication.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  const stranger = await other.members.OWNER.client.gql<AccountSeries>(accountSeries, { id: accountGid, ...range });
  expect(stranger.body.data?.node ?? null).toBeNull();
});

test('top publications, totals and scheduled posts over a range are read in the database: ordered there, counted in full, the range applied', async () => {
  const account = await api.db.socialAccount.findFirstOrThrow({ where: { organizationId: org.organization.id } });
  const make = async (title: string, daysAgo: number, views: bigint | null) => {
    const post = await api.db.post.create({
      data: {
        organizationId: org.organization.id,
        brandId: org.brand.id,
        status: 'PUBLISHED',
        title,
        scheduledAt: at(daysAgo),
        publishedAt: at(daysAgo),
      },
    });
    const publication = await api.db.publication.create({
      data: {
        organizationId: org.organization.id,
        postId: post.id,
        socialAccountId: account.id,
        platform: 'TIKTOK',
        state: 'PUBLISHED',
        scheduledAt: at(daysAgo),
        publishedAt: at(daysAgo),
      },
    });
    if (views !== null) {
      await api.db.platformVideo.create({
        data: {
          organizationId: org.organization.id,
          socialAccountId: account.id,
          platform: 'TIKTOK',
          platformVideoId: `range-${title}`,
          publicationId: publication.id,
          postedAt: at(daysAgo),
          viewCount: views,
          likeCount: views / 10n,
          metricsCapturedAt: new Date(),
        },
      });
    }
    return { post: gid('Post', post.id), publication: gid('Publication', publication.id) };
  };
  const few = await make('few views', 2, 300n);
  const many = await make('many views', 5, 900n);
  await make('long ago', 50, 5000n);
  const unsynced = await make('not synced yet', 1, null);

  type Answer = {
    organization: {
      topPublications: Array<{ id: string }>;
      publicationTotals: { publications: number; views: string; likes: string };
      posts: { totalCount: number; edges: Array<{ node: { id: string } }> };
    };
  };
  const read = (first: number) =>
    org.members.OWNER.client.gql<Answer>(
      `query($org: ID!, $brand: ID!, $from: DateTime!, $to: DateTime!, $first: Int) { organization(id: $org) {
        topPublications(from: $from, to: $to, brandId: $brand, first: $first) { id }
        publicationTotals(from: $from, to: $to, brandId: $brand) { publications views likes }
        posts(brandId: $brand, status: [PUBLISHED], scheduledFrom: $from, scheduledTo: $to, orderBy: SCHEDULED_AT, first: 2) {
          totalCount edges { node { id } } } } }`,
      { org: org.organization.gid, brand: org.brand.gid, from: at(10).toISOString(), to: at(0).toISOString(), first },
    );
  const three = await read(3);
  expect(three.body.errors).toBeUndefined();
  const answer = three.body.data!.organization;
  expect(answer.topPublications.map((p) => p.id)).toEqual([many.publication, few.publication, unsynced.publication]);
  expect(answer.publicationTotals).toEqual({ publications: 3, views: '1200', likes: '120' });
  // Two rows on the page, soonest first, and the count of all three within the range.
  expect(answer.posts.totalCount).toBe(3);
  expect(answer.posts.edges.map((edge) => edge.node.id)).toEqual([many.post, few.post]);
  expect((await read(1)).body.data!.organization.topPublications.map((p) => p.id)).toEqual([many.publication]);

  const reviewer = await org.members.REVIEWER.client.gql(
    `query($org: ID!, $from: DateTime!, $to: DateTime!) { organization(id: $org) { topPublications(from: $from, to: $to) { id } } }`,
    { org: org.organization.gid, from: at(10).toISOString(), to: at(0).toISOString() },
  );
  expect(reviewer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
});
