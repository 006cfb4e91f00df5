import { afterAll, beforeAll, expect, test } from 'vitest';
import { seedOrganization, startTestApi, unique, type SeededOrganization, type TestApi } from './kit.js';

let api: TestApi;
let org: SeededOrganization;

beforeAll(async () => {
  api = await startTestApi();
  org = await seedOrganization(api);
  // 60 posts, each with slides, two publications (the newer one wins) and metrics.
  const account = await api.db.socialAccount.findFirstOrThrow({ where: { organizationId: org.organization.id } });
  const second = await api.db.socialAccount.create({
    data: {
      organizationId: org.organization.id,
      brandId: org.brand.id,
      platform: 'INSTAGRAM',
      platformAccountId: unique('ig'),
    },
  });
  for (let i = 0; i < 60; i += 1) {
    const post = await api.db.post.create({
      data: {
        organizationId: org.organization.id,
        brandId: org.brand.id,
        status: 'PUBLISHED',
        caption: `post ${i}`,
        slides: { create: [0, 1, 2].map((position) => ({ position, heading: `h${position}` })) },
      },
    });
    for (const [index, socialAccount] of [account, second].entries()) {
      const publication = await api.db.publication.create({
        data: {
          organizationId: org.organization.id,
          postId: post.id,
          socialAccountId: socialAccount.id,
          platform: socialAccount.platform,
          state: 'PUBLISHED',
          scheduledAt: new Date(),
          createdAt: new Date(Date.now() + index * 1000),
        },
      });
      await api.db.platformVideo.create({
        data: {
          organizationId: org.organization.id,
          socialAccountId: socialAccount.id,
          platform: socialAccount.platform,
          platformVideoId: unique('v'),
          publicationId: publication.id,
          postedAt: new Date(),
          viewCount: BigInt(1000 * (index + 1) + i),
          metricsCapturedAt: new Date(),
        },
      });
    }
  }
});
afterAll(() => api?.close());

const dashboard = `query Dashboard($id: ID!) {
  organization(id: $id) {
    name
    posts(first: 50, status: [PUBLISHED]) {
      pageInfo { hasNextPage endCursor }
      edges { node {
        id caption status hashtags
        brand { id name primaryColor }
        slides { position heading body }
        latestPublication { id platform state publishedAt latestMetrics { viewCount likeCount capturedAt } }
      } }
    }
  }
}`;

interface DashboardData {
  organization: {
    posts: {
      pageInfo: { hasNextPage: boolean };
      edges: Array<{
        node: {
          caption: string;
          brand: { name: string };
          slides: unknown[];
          latestPublication: { platform: string; latestMetrics: { viewCount: string } | null } | null;
        };
      }>;
    };
  };
}

test('the dashboard query (50 posts with brand, slides, latest publication and metrics) takes at most 3 SQL statements', async () => {
  const client = org.members.EDITOR.client;
  await client.gql(`{ viewer { id } }`); // warm up: last-seen time written now, not during the count
  let body!: { data?: DashboardData | null; errors?: unknown };
  const statements = await api.countStatements(async () => {
    body = (await client.gql<DashboardData>(dashboard, { id: org.organization.gid })).body;
  });
  expect(body.errors).toBeUndefined();
  const edges = body.data!.organization.posts.edges;
  expect(edges).toHaveLength(50);
  expect(body.data!.organization.posts.pageInfo.hasNextPage).toBe(true);
  for (const { node } of edges) {
    expect(node.brand.name).toBe('Brand');
    expect(node.slides.length).toBeGreaterThanOrEqual(1);
  }
  const fresh = edges.filter(({ node }) => node.caption.startsWith('post '));
  expect(fresh.length).toBeGreaterThan(40);
  for (const { node } of fresh) {
    expect(node.slides).toHaveLength(3);
    // The newer publication (Instagram) is the latest, with its own metrics.
    expect(node.latestPublication?.platform).toBe('INSTAGRAM');
    expect(Number(node.latestPublication?.latestMetrics?.viewCount)).toBeGreaterThanOrEqual(2000);
  }
  console.info(`dashboard query: ${statements.length} SQL statements`);
  expect(statements.length).toBeLessThanOrEqual(3);
});
