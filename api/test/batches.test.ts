import { batchWorkflowId, connectTemporalClient } from '@pressroom/workflows/client';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { gid, seedOrganization, startTestApi, type SeededOrganization, type TestApi } from './kit.js';

let api: TestApi;
let org: SeededOrganization;
beforeAll(async () => {
  api = await startTestApi();
  org = await seedOrganization(api);
});
afterAll(() => api?.close());

const create = `mutation($id: ID!) { createBatch(brandId: $id, brief: "Autumn launch", count: 2, platforms: [TIKTOK]) {
  __typename ... on MutationCreateBatchSuccess { data { id status } } ... on Error { code } } }`;

test('createBatch writes the batch QUEUED and starts its generation workflow on the configured queue', async () => {
  const response = await org.members.EDITOR.client.gql<{
    createBatch: { __typename: string; data: { id: string; status: string } };
  }>(create, { id: org.brand.gid });
  expect(response.body.errors).toBeUndefined();
  expect(response.body.data!.createBatch.data.status).toBe('QUEUED');
  const batch = await api.db.batch.findFirstOrThrow({
    where: { organizationId: org.organization.id, brief: 'Autumn launch' },
    orderBy: { createdAt: 'desc' },
  });
  const temporal = connectTemporalClient({ address: api.config.TEMPORAL_ADDRESS, namespace: 'default' });
  try {
    const handle = temporal.workflow.getHandle(batchWorkflowId(batch.id));
    const description = await handle.describe();
    expect(description.type).toBe('generateBatchWorkflow');
    expect(description.taskQueue).toBe(api.config.TEMPORAL_TASK_QUEUE);
    expect(description.status.name).toBe('RUNNING');
    const history = await handle.fetchHistory();
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    const payload = started?.input?.payloads?.[0]?.data;
    expect(JSON.parse(Buffer.from(payload!).toString('utf8'))).toEqual({ batchId: batch.id });
    await handle.terminate('test over');
  } finally {
    await temporal.connection.close();
  }
});

test('when the workflow cannot start, the batch is marked FAILED, audited, and the error says so', async () => {
  // Temporal refuses task queue names over 1000 characters: a start that fails at once.
  const refusing = await startTestApi({ TEMPORAL_TASK_QUEUE: 'q'.repeat(1_001) });
  try {
    const other = await seedOrganization(refusing);
    const response = await other.members.OWNER.client.gql(create, { id: other.brand.gid });
    expect(response.body.data?.createBatch ?? null).toBeNull();
    expect(response.body.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(response.body.errors?.[0]?.message).toMatch(/could not be started, so it is marked FAILED/);
    const batch = await refusing.db.batch.findFirstOrThrow({
      where: { organizationId: other.organization.id, brief: 'Autumn launch' },
    });
    expect(batch.status).toBe('FAILED');
    expect(batch.completedAt).not.toBeNull();
    const events = await refusing.db.auditEvent.findMany({
      where: { targetId: batch.id },
      orderBy: { createdAt: 'asc' },
    });
    expect(events.map((event) => event.action)).toEqual(['batch.create', 'batch.start_failed']);
    expect((events[1]!.metadata as { reason: string }).reason).toBeTruthy();
  } finally {
    await refusing.close();
  }
});

test('a mixed batch keeps one format per post, and refuses a list that does not match its count', async () => {
  const mixed = `mutation($id: ID!, $count: Int!, $formats: [PostFormat!]) {
    createBatch(brandId: $id, brief: "Mixed launch", count: $count, formats: $formats, platforms: [TIKTOK]) {
      __typename ... on MutationCreateBatchSuccess { data { id format formats } }
      ... on ValidationError { code issues { path message } } } }`;
  const refused = await org.members.EDITOR.client.gql<{
    createBatch: { __typename: string; issues: Array<{ path: string[]; message: string }> };
  }>(mixed, { id: org.brand.gid, count: 3, formats: ['ARTICLE', 'SCRIPT'] });
  expect(refused.body.data!.createBatch.__typename).toBe('ValidationError');
  expect(JSON.stringify(refused.body.data!.createBatch.issues)).toContain('one format per post');
  expect(await api.db.batch.count({ where: { organizationId: org.organization.id, brief: 'Mixed launch' } })).toBe(0);

  const formats = ['ARTICLE', 'ARTICLE', 'SCRIPT', 'SCRIPT', 'CAROUSEL', 'TEXT'];
  const made = await org.members.EDITOR.client.gql<{
    createBatch: { __typename: string; data: { id: string; format: string; formats: string[] } };
  }>(mixed, { id: org.brand.gid, count: formats.length, formats });
  expect(made.body.errors).toBeUndefined();
  expect(made.body.data!.createBatch.data).toMatchObject({ format: 'ARTICLE', formats });
  const batch = await api.db.batch.findFirstOrThrow({
    where: { organizationId: org.organization.id, brief: 'Mixed launch' },
  });
  expect(batch.formats).toEqual(formats);
  const temporal = connectTemporalClient({ address: api.config.TEMPORAL_ADDRESS, namespace: 'default' });
  try {
    await temporal.workflow.getHandle(batchWorkflowId(batch.id)).terminate('test over');
  } finally {
    await temporal.connection.close();
  }
});

test("an article's SEO checklist and a script's scenes are read with the post", async () => {
  const post = await api.db.post.create({
    data: {
      organizationId: org.organization.id,
      brandId: org.brand.id,
      format: 'ARTICLE',
      title: 'Pour-over coffee for beginners',
      article: {
        create: {
          organizationId: org.organization.id,
          brandId: org.brand.id,
          slug: 'pour-over-coffee',
          metaTitle: 'Pour-over coffee for beginners: five steps',
          metaDescription:
            'How to brew pour-over coffee at home: grind, water, bloom and pour, with the ratio to start from.',
          keywords: ['pour-over coffee'],
          outline: ['Grind', 'Pour'],
          // No keyword in the first paragraph, and a heading level skipped.
          body: '# Pour-over coffee for beginners\n\nStart with fresh beans.\n\n## Grind\n\nMedium fine.\n\n#### Pour\n\nSlowly.',
          excerpt: 'How to brew at home.',
          readingMinutes: 1,
        },
      },
      scenes: {
        create: [
          { position: 1, voiceOver: 'Then pour.', onScreenText: 'Pour', shot: 'Kettle', durationSeconds: 3 },
          { position: 0, voiceOver: 'Grind first.', onScreenText: 'Grind', shot: 'Grinder', durationSeconds: 2.5 },
        ],
      },
    },
  });
  const response = await org.members.ANALYST.client.gql<{
    node: {
      article: {
        slug: string;
        seo: { keyword: string; score: number; checks: Array<{ id: string; passed: boolean }> };
      };
      scenes: Array<{ onScreenText: string; durationSeconds: number }>;
      scriptVideo: null;
    };
  }>(
    `query($id: ID!) { node(id: $id) { ... on Post {
      article { slug seo { keyword score readabilityScore wordCount checks { id passed message } } }
      scenes { onScreenText durationSeconds } scriptVideo { url } } } }`,
    { id: gid('Post', post.id) },
  );
  expect(response.body.errors).toBeUndefined();
  const node = response.body.data!.node;
  expect(node.article.slug).toBe('pour-over-coffee');
  const passed = Object.fromEntries(node.article.seo.checks.map((check) => [check.id, check.passed]));
  expect(passed).toMatchObject({
    KEYWORD_IN_TITLE: true,
    KEYWORD_IN_H1: true,
    KEYWORD_IN_FIRST_PARAGRAPH: false,
    META_TITLE_LENGTH: true,
    META_DESCRIPTION_LENGTH: true,
    SINGLE_H1: true,
    HEADING_ORDER: false,
    SECTIONS: false,
    LENGTH: false,
  });
  expect(node.article.seo.score).toBe(Math.round((node.article.seo.checks.filter((c) => c.passed).length / 10) * 100));
  expect(node.scenes).toEqual([
    { onScreenText: 'Grind', durationSeconds: 2.5 },
    { onScreenText: 'Pour', durationSeconds: 3 },
  ]);
  expect(node.scriptVideo).toBeNull();
});

test('an article and a script are written and edited by hand, versioned like posts', async () => {
  const editor = org.members.EDITOR.client;
  const body =
    '# Cold brew at home\n\nCold brew at home takes time, not skill.\n\n## Steep\n\nTwelve hours.\n\n## Serve\n\nOver ice.';
  const created = await editor.gql<{
    createPost: { data: { id: string; version: number; article: { slug: string; readingMinutes: number } } };
  }>(
    `mutation($brand: ID!, $article: ArticleInput!) { createPost(brandId: $brand, format: ARTICLE, title: "Cold brew at home", article: $article) {
      ... on MutationCreatePostSuccess { data { id version article { slug readingMinutes seo { keyword } } } } ... on Error { code message } } }`,
    { brand: org.brand.gid, article: { keywords: ['cold brew'], body, metaTitle: 'Cold brew at home' } },
  );
  expect(created.body.errors).toBeUndefined();
  const post = created.body.data!.createPost.data;
  expect(post.article).toMatchObject({ slug: 'cold-brew-at-home', readingMinutes: 1 });

  const update = `mutation($id: ID!, $version: Int!, $article: ArticleInput, $scenes: [ScriptSceneInput!]) {
    updatePost(id: $id, expectedVersion: $version, article: $article, scenes: $scenes) {
      __typename ... on MutationUpdatePostSuccess { data { version article { slug body } scenes { onScreenText durationSeconds } } }
      ... on Error { code message } } }`;
  const longer = `${body}\n\n${'More words about steeping and serving. '.repeat(120)}`;
  const edited = await editor.gql<{
    updatePost: { __typename: string; data: { version: number; article: { slug: string; body: string } } };
  }>(update, { id: post.id, version: post.version, article: { slug: 'cold-brew', body: longer } });
  expect(edited.body.data!.updatePost.data).toMatchObject({
    version: post.version + 1,
    article: { slug: 'cold-brew' },
  });
  const stored = await api.db.article.findFirstOrThrow({ where: { slug: 'cold-brew', brandId: org.brand.id } });
  expect(stored.readingMinutes).toBe(3);
  // Saved against the version before: refused, nothing changes.
  const stale = await editor.gql<{ updatePost: { __typename: string } }>(update, {
    id: post.id,
    version: post.version,
    article: { body: 'lost' },
  });
  expect(stale.body.data!.updatePost.__typename).toBe('VersionConflictError');
  expect((await api.db.article.findUniqueOrThrow({ where: { id: stored.id } })).body).toBe(longer);

  // Another article of the brand may not take that slug.
  const clash = await editor.gql<{ createPost: { __typename: string } }>(
    `mutation($brand: ID!) { createPost(brandId: $brand, format: ARTICLE, title: "Other", article: { slug: "cold-brew" }) { __typename } }`,
    { brand: org.brand.gid },
  );
  expect(clash.body.data!.createPost.__typename).toBe('ConflictError');

  const script = await editor.gql<{ createPost: { data: { id: string; version: number } } }>(
    `mutation($brand: ID!) { createPost(brandId: $brand, format: SCRIPT, title: "Cold brew in 10 s",
      scenes: [{ voiceOver: "Coarse grind.", onScreenText: "Grind coarse", shot: "Grinder", durationSeconds: 3 }]) {
      ... on MutationCreatePostSuccess { data { id version } } } }`,
    { brand: org.brand.gid },
  );
  const scriptPost = script.body.data!.createPost.data;
  const rewritten = await editor.gql<{
    updatePost: { data: { version: number; scenes: Array<{ onScreenText: string; durationSeconds: number }> } };
  }>(update, {
    id: scriptPost.id,
    version: scriptPost.version,
    scenes: [
      { onScreenText: 'Grind coarse', durationSeconds: 2 },
      { onScreenText: 'Steep 12 h', durationSeconds: 2.5 },
    ],
  });
  expect(rewritten.body.data!.updatePost.data).toEqual({
    version: scriptPost.version + 1,
    article: null,
    scenes: [
      { onScreenText: 'Grind coarse', durationSeconds: 2 },
      { onScreenText: 'Steep 12 h', durationSeconds: 2.5 },
    ],
  });
});
