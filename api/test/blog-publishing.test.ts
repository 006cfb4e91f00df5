import { connectTemporalClient, publicationWorkflowId } from '@pressroom/workflows/client';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { saveHistory } from '../../workflows/test/support/histories.js';
import { gid, seedOrganization, startTestApi, unique, type SeededOrganization, type TestApi } from './kit.js';
import { withRenderedSlide } from './operations.js';

// Publishing to the blog is a publication like a network's: scheduled, run by the publish
// workflow (a worker runs in this process), recorded with its attempt, and taken down again.

let api: TestApi;
let org: SeededOrganization;
let blogPath: string;
const publicBase = 'https://press.example.test';

beforeAll(async () => {
  api = await startTestApi({ PUBLIC_BASE_URL: publicBase }, { worker: {} });
  org = await seedOrganization(api);
  const organization = await api.db.organization.findUniqueOrThrow({ where: { id: org.organization.id } });
  const brand = await api.db.brand.findUniqueOrThrow({ where: { id: org.brand.id } });
  blogPath = `/b/${organization.slug}/${brand.slug}`;
});
afterAll(() => api?.close());

async function approvedArticle(title: string) {
  const slug = unique('post').toLowerCase();
  const post = await api.db.post.create({
    data: {
      organizationId: org.organization.id,
      brandId: org.brand.id,
      format: 'ARTICLE',
      status: 'APPROVED',
      title,
      caption: 'Excerpt.',
      article: {
        create: {
          organizationId: org.organization.id,
          brandId: org.brand.id,
          slug,
          metaTitle: title,
          metaDescription: `About ${title}.`,
          keywords: ['coffee'],
          outline: [],
          body: `# ${title}\n\nCoffee.`,
          excerpt: 'Excerpt.',
          readingMinutes: 1,
        },
      },
    },
  });
  return { id: post.id, gid: gid('Post', post.id), slug };
}

type Result = {
  __typename: string;
  code?: string;
  message?: string;
  violations?: { network: string; limit: string; message: string }[];
};

async function schedule(postGid: string, at: Date, accounts?: string[]) {
  const answer = await org.members.EDITOR.client.gql<{ schedulePost: Result }>(
    `mutation($id: ID!, $at: DateTime!, $accounts: [ID!]) {
      schedulePost(id: $id, scheduledAt: $at, socialAccountIds: $accounts) {
        __typename ... on Error { code message }
        ... on NetworkLimitsError { violations { network limit message } } } }`,
    { id: postGid, at: at.toISOString(), accounts },
  );
  expect(answer.body.errors).toBeUndefined();
  return answer.body.data!.schedulePost;
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

const status = async (path: string) => (await fetch(`${api.url}${path}`)).status;

test('an article scheduled to the blog goes live once at its time, with its URL; unpublishing takes it down', async () => {
  const article = await approvedArticle('Scheduled for the blog');
  const at = new Date(Date.now() + 4_000);
  expect(await schedule(article.gid, at)).toEqual({ __typename: 'MutationSchedulePostSuccess' });

  // The brand's blog is the target: a BLOG account stands for it, the publication waits.
  const publication = await api.db.publication.findFirstOrThrow({
    where: { postId: article.id },
    include: { socialAccount: true },
  });
  expect(publication).toMatchObject({ platform: 'BLOG', state: 'SCHEDULED' });
  expect(publication.socialAccount).toMatchObject({ platform: 'BLOG', platformAccountId: org.brand.id });
  expect(await status(`${blogPath}/${article.slug}`)).toBe(404);

  const published = await waitFor(
    () => api.db.publication.findUniqueOrThrow({ where: { id: publication.id }, include: { attempts: true } }),
    (row) => row.state === 'PUBLISHED' || row.state === 'FAILED',
    'the blog publication',
  );
  const url = `${publicBase}${blogPath}/${article.slug}`;
  expect(published).toMatchObject({ state: 'PUBLISHED', platformUrl: url, failureReason: null });
  expect(published.attempts).toHaveLength(1);
  const live = await api.db.article.findUniqueOrThrow({ where: { postId: article.id } });
  expect(live.publishedAt!.getTime()).toBeGreaterThanOrEqual(at.getTime());
  expect((await api.db.post.findUniqueOrThrow({ where: { id: article.id } })).status).toBe('PUBLISHED');
  expect(await status(`${blogPath}/${article.slug}`)).toBe(200);
  // The replay test runs the blog's publish history against later workflow code.
  const temporal = connectTemporalClient({ address: api.config.TEMPORAL_ADDRESS, namespace: 'default' });
  try {
    await saveHistory(temporal, publicationWorkflowId(publication.id), 'publish-blog');
  } finally {
    await temporal.connection.close();
  }

  const read = await org.members.EDITOR.client.gql<{
    node: { article: { url: string | null; publishedAt: string | null } };
  }>(`query($id: ID!) { node(id: $id) { ... on Post { article { url publishedAt } } } }`, { id: article.gid });
  expect(read.body.data?.node.article).toEqual({ url, publishedAt: live.publishedAt!.toISOString() });

  // Taken down: 404 at once, audited; a second take-down is a conflict.
  const unpublish = `mutation($id: ID!) { unpublishArticle(id: $id) { __typename ... on Error { code } } }`;
  const down = await org.members.EDITOR.client.gql<{ unpublishArticle: Result }>(unpublish, { id: article.gid });
  expect(down.body.data?.unpublishArticle).toEqual({ __typename: 'MutationUnpublishArticleSuccess' });
  expect(await status(`${blogPath}/${article.slug}`)).toBe(404);
  expect(await status(`${blogPath}/`)).toBe(200);
  const audit = await api.db.auditEvent.findFirstOrThrow({
    where: { organizationId: org.organization.id, action: 'article.unpublish', targetId: article.id },
  });
  expect(audit.metadata).toMatchObject({ slug: article.slug });
  const downAgain = await org.members.EDITOR.client.gql<{ unpublishArticle: Result }>(unpublish, { id: article.gid });
  expect(downAgain.body.data?.unpublishArticle).toEqual({ __typename: 'ConflictError', code: 'CONFLICT' });
  const after = await api.db.article.findUniqueOrThrow({ where: { postId: article.id } });
  expect(after.publishedAt).toBeNull();
  expect(after.unpublishedAt).not.toBeNull();

  // Put back: live again with the date it first went out, audited; a second time is a conflict.
  const republish = `mutation($id: ID!) { republishArticle(id: $id) { __typename ... on Error { code } } }`;
  const back = await org.members.EDITOR.client.gql<{ republishArticle: Result }>(republish, { id: article.gid });
  expect(back.body.data?.republishArticle).toEqual({ __typename: 'MutationRepublishArticleSuccess' });
  expect(await status(`${blogPath}/${article.slug}`)).toBe(200);
  const page = await (await fetch(`${api.url}${blogPath}/`)).text();
  expect(page).toContain('Scheduled for the blog');
  const restored = await api.db.article.findUniqueOrThrow({ where: { postId: article.id } });
  // The date of its BLOG publication (the article's own was cleared when it was taken down).
  expect(restored).toMatchObject({ publishedAt: published.publishedAt, unpublishedAt: null });
  const republished = await api.db.auditEvent.findFirstOrThrow({
    where: { organizationId: org.organization.id, action: 'article.republish', targetId: article.id },
  });
  expect(republished.metadata).toMatchObject({ slug: article.slug, takenDownAt: after.unpublishedAt!.toISOString() });
  const backAgain = await org.members.EDITOR.client.gql<{ republishArticle: Result }>(republish, { id: article.gid });
  expect(backAgain.body.data?.republishArticle).toEqual({ __typename: 'ConflictError', code: 'CONFLICT' });
  // Its one publication still says it went out once; down and up again both work a second time.
  expect(await api.db.publication.count({ where: { postId: article.id } })).toBe(1);
  expect(
    (await org.members.EDITOR.client.gql<{ unpublishArticle: Result }>(unpublish, { id: article.gid })).body.data,
  ).toEqual({ unpublishArticle: { __typename: 'MutationUnpublishArticleSuccess' } });
  expect(await status(`${blogPath}/${article.slug}`)).toBe(404);
  expect(
    (await org.members.EDITOR.client.gql<{ republishArticle: Result }>(republish, { id: article.gid })).body.data,
  ).toEqual({ republishArticle: { __typename: 'MutationRepublishArticleSuccess' } });
  expect(await status(`${blogPath}/${article.slug}`)).toBe(200);
});

test('an article never published to the blog is not re-published: it is scheduled instead', async () => {
  const article = await approvedArticle('Never out');
  const answer = await org.members.EDITOR.client.gql<{ republishArticle: Result }>(
    `mutation($id: ID!) { republishArticle(id: $id) { __typename ... on Error { code message } } }`,
    { id: article.gid },
  );
  expect(answer.body.data?.republishArticle).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
  expect(answer.body.data?.republishArticle.message).toContain('schedule it');
  expect((await api.db.article.findUniqueOrThrow({ where: { postId: article.id } })).publishedAt).toBeNull();
  expect(await status(`${blogPath}/${article.slug}`)).toBe(404);
});

test('only articles go to the blog, and articles only there: typed errors naming the target, nothing scheduled', async () => {
  // The blog account exists once an article has been scheduled (the test above); make sure of it.
  const blog = await api.db.socialAccount.upsert({
    where: {
      organizationId_platform_platformAccountId: {
        organizationId: org.organization.id,
        platform: 'BLOG',
        platformAccountId: org.brand.id,
      },
    },
    update: {},
    create: {
      organizationId: org.organization.id,
      brandId: org.brand.id,
      platform: 'BLOG',
      platformAccountId: org.brand.id,
    },
  });
  const carousel = await api.db.post.create({
    data: { organizationId: org.organization.id, brandId: org.brand.id, status: 'APPROVED', caption: 'Slides' },
  });
  await withRenderedSlide(api, carousel);
  const toBlog = await schedule(gid('Post', carousel.id), new Date(Date.now() + 60_000), [
    gid('SocialAccount', blog.id),
  ]);
  expect(toBlog).toMatchObject({ __typename: 'NetworkLimitsError', code: 'BAD_USER_INPUT' });
  expect(toBlog.violations?.map((v) => [v.network, v.limit])).toEqual([['BLOG', 'FORMAT']]);
  expect(String(toBlog.violations?.[0]?.message)).toContain('Blog: CAROUSEL posts are not published here');

  const article = await approvedArticle('Not for TikTok');
  const tiktok = await api.db.socialAccount.findFirstOrThrow({
    where: { organizationId: org.organization.id, platform: 'TIKTOK' },
  });
  const toTikTok = await schedule(article.gid, new Date(Date.now() + 60_000), [
    gid('SocialAccount', tiktok.id),
    gid('SocialAccount', blog.id),
  ]);
  expect(toTikTok).toMatchObject({ __typename: 'NetworkLimitsError' });
  expect(toTikTok.violations?.map((v) => [v.network, v.limit])).toEqual([['TIKTOK', 'FORMAT']]);
  expect(String(toTikTok.violations?.[0]?.message)).toContain('TikTok: ARTICLE posts are not published here');
  for (const postId of [carousel.id, article.id]) {
    expect((await api.db.post.findUniqueOrThrow({ where: { id: postId } })).status).toBe('APPROVED');
    expect(await api.db.publication.count({ where: { postId } })).toBe(0);
  }
});
