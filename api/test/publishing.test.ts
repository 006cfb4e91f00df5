// Review and publishing through the api as users drive them: GraphQL mutations answered by
// the real review and publish workflows (an in-process worker on the api's task queue), a
// real TikTok emulator on loopback, and the api's own /media route serving the slides.
import { createVault, parseKeyRing } from '@pressroom/db/vault';
import { publicationStatus } from '@pressroom/workflows/client';
import { TikTokEmulator } from '@pressroom/workflows/emulators';
import { saveConnectedAccount } from '@pressroom/workflows/platforms';
import { createLocalStorage, createUrlSigner } from '@pressroom/workflows/storage';
import { connectTemporalClient } from '@pressroom/workflows/client';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { gid, seedOrganization, startTestApi, type SeededOrganization, type TestApi, type TestClient } from './kit.js';

let api: TestApi;
let tiktok: TikTokEmulator;
let org: SeededOrganization;
let accountId: string;

beforeAll(async () => {
  tiktok = new TikTokEmulator({ processingMs: 300 });
  const tiktokUrl = await tiktok.start();
  api = await startTestApi(
    {
      TIKTOK_CLIENT_KEY: 'pressroom-emulated-client',
      TIKTOK_CLIENT_SECRET: 'pressroom-emulated-secret',
      TIKTOK_AUTH_BASE_URL: tiktokUrl,
      TIKTOK_API_BASE_URL: tiktokUrl,
      WORKFLOW_UPDATE_TIMEOUT_MS: '20000',
    },
    { worker: { publishSettings: { pollInitialMs: 200, pollMaxMs: 500 } } },
  );
  org = await seedOrganization(api);
  const creator = tiktok.createUser();
  const issued = tiktok.issueTokens(creator.openId);
  const vault = createVault(parseKeyRing(api.config.PRESSROOM_TOKEN_KEYS!));
  const account = await saveConnectedAccount(api.db, vault, {
    organizationId: org.organization.id,
    brandId: org.brand.id,
    platform: 'TIKTOK',
    platformAccountId: creator.openId,
    displayName: creator.displayName,
    tokens: {
      accessToken: issued.access_token,
      refreshToken: issued.refresh_token,
      accessTokenExpiresAt: new Date(Date.now() + issued.expires_in * 1000),
      refreshTokenExpiresAt: new Date(Date.now() + issued.refresh_expires_in * 1000),
      scopes: issued.scope.split(','),
    },
  });
  accountId = account.id;
  // The seeded account without tokens is not this test's: only the connected one is a target.
  await api.db.socialAccount.updateMany({
    where: { organizationId: org.organization.id, id: { not: account.id } },
    data: { status: 'REVOKED' },
  });
}, 60_000);
afterAll(async () => {
  await api?.close();
  await tiktok?.stop();
});

/** A carousel written by the editor, with its slides rendered to JPEG in the api's media folder. */
async function carousel(caption: string) {
  const response = await org.members.EDITOR.client.gql<{ createPost: { data: { id: string } } }>(
    `mutation($brand: ID!, $caption: String!) {
      createPost(brandId: $brand, caption: $caption, slides: [{ heading: "One" }, { heading: "Two" }]) {
        ... on MutationCreatePostSuccess { data { id } } } }`,
    { brand: org.brand.gid, caption },
  );
  const postGid = response.body.data!.createPost.data.id;
  const postId = Buffer.from(postGid, 'base64url').toString().split(':')[1]!;
  const storage = createLocalStorage({
    root: api.config.PRESSROOM_MEDIA_DIR,
    signer: createUrlSigner({ baseUrl: `${api.url}/media`, secret: api.config.PRESSROOM_MEDIA_SECRET! }),
  });
  const image = await sharp({ create: { width: 1080, height: 1350, channels: 3, background: '#c0ffee' } })
    .jpeg()
    .toBuffer();
  for (const position of [0, 1]) {
    const storageKey = `org/${org.organization.id}/media/${postId}-${position}.jpg`;
    await storage.put(storageKey, image, { contentType: 'image/jpeg' });
    const media = await api.db.media.create({
      data: {
        organizationId: org.organization.id,
        postId,
        kind: 'IMAGE',
        status: 'READY',
        contentType: 'image/jpeg',
        byteSize: image.length,
        width: 1080,
        height: 1350,
        storageKey,
      },
    });
    await api.db.slide.update({
      where: { postId_position: { postId, position } },
      data: { mediaId: media.id },
    });
  }
  return { gid: postGid, id: postId };
}

type Answer = { __typename: string; code?: string; message?: string; data?: { status: string } };

async function mutate(client: TestClient, field: string, variables: Record<string, unknown>, args = '') {
  const declared = Object.keys(variables)
    .map((name) => `$${name}: ${name === 'at' ? 'DateTime!' : name === 'accounts' ? '[ID!]' : 'ID!'}`)
    .join(', ');
  const response = await client.gql<Record<string, Answer>>(
    `mutation(${declared}) { ${field}(${args}) {
      __typename ... on Error { code message } ... on ${successOf(field)} { data { status } } } }`,
    variables,
  );
  expect(response.body.errors).toBeUndefined();
  return response.body.data![field]!;
}

function successOf(field: string) {
  return `Mutation${field[0]!.toUpperCase()}${field.slice(1)}Success`;
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('review through the review workflow', () => {
  test('a brand asking for two approvals: one is not enough, a reviewer decides once, the second approves', async () => {
    await api.db.brand.update({ where: { id: org.brand.id }, data: { requiredApprovals: 2 } });
    try {
      const post = await carousel('Two approvals please');
      const submitted = await mutate(org.members.EDITOR.client, 'submitPostForReview', { id: post.gid }, 'id: $id');
      expect(submitted.data?.status).toBe('IN_REVIEW');

      const first = await mutate(org.members.REVIEWER.client, 'approvePost', { id: post.gid }, 'id: $id');
      expect(first.data?.status).toBe('IN_REVIEW');
      const again = await mutate(org.members.REVIEWER.client, 'approvePost', { id: post.gid }, 'id: $id');
      expect(again).toMatchObject({
        __typename: 'ConflictError',
        message: 'This reviewer has already decided on this post.',
      });
      const second = await mutate(org.members.ADMIN.client, 'approvePost', { id: post.gid }, 'id: $id');
      expect(second.data?.status).toBe('APPROVED');

      const reviews = await api.db.review.findMany({ where: { postId: post.id }, orderBy: { createdAt: 'asc' } });
      expect(reviews.map((review) => [review.reviewerId, review.decision])).toEqual([
        [org.members.REVIEWER.userId, 'APPROVED'],
        [org.members.ADMIN.userId, 'APPROVED'],
      ]);
      const audited = await api.db.auditEvent.findMany({
        where: { targetId: post.id, action: 'post.approve' },
        orderBy: { id: 'asc' },
      });
      expect(audited.map((event) => (event.metadata as { to: string }).to)).toEqual(['IN_REVIEW', 'APPROVED']);
    } finally {
      await api.db.brand.update({ where: { id: org.brand.id }, data: { requiredApprovals: null } });
    }
  });

  test('an edit in review discards the approvals given for the old text; stale versions are conflicts carrying the current text', async () => {
    await api.db.brand.update({ where: { id: org.brand.id }, data: { requiredApprovals: 2 } });
    try {
      const post = await carousel('Autum launch');
      await mutate(org.members.EDITOR.client, 'submitPostForReview', { id: post.gid }, 'id: $id');
      const read = async () => {
        const response = await org.members.ADMIN.client.gql<{
          node: { status: string; version: number; caption: string; approvals: number; requiredApprovals: number };
        }>(`query($id: ID!) { node(id: $id) { ... on Post { status version caption approvals requiredApprovals } } }`, {
          id: post.gid,
        });
        return response.body.data!.node;
      };
      const reviewed = await read();
      expect(reviewed).toMatchObject({ status: 'IN_REVIEW', approvals: 0, requiredApprovals: 2 });
      const v1 = reviewed.version;

      const decide = (client: TestClient, field: 'approvePost' | 'rejectPost', version: number) =>
        client.gql<Record<string, Answer & { currentVersion?: number; currentCaption?: string }>>(
          `mutation($id: ID!, $v: Int!) { ${field}(id: $id, expectedVersion: $v) { __typename
            ... on VersionConflictError { currentVersion currentCaption }
            ... on ${successOf(field)} { data { status } } } }`,
          { id: post.gid, v: version },
        );
      const edit = (client: TestClient, version: number, text: string) =>
        client.gql<{
          updatePost: {
            __typename: string;
            message?: string;
            currentVersion?: number;
            currentCaption?: string;
            currentHashtags?: string[];
            data?: { status: string; version: number; caption: string; hashtags: string[] };
          };
        }>(
          `mutation($id: ID!, $v: Int!, $caption: String!) { updatePost(id: $id, expectedVersion: $v, caption: $caption, hashtags: ["autumn"]) {
            __typename ... on Error { message }
            ... on VersionConflictError { currentVersion currentCaption currentHashtags }
            ... on MutationUpdatePostSuccess { data { status version caption hashtags } } } }`,
          { id: post.gid, v: version, caption: text },
        );

      const first = await decide(org.members.ADMIN.client, 'approvePost', v1);
      expect(first.body.data!.approvePost!.data?.status).toBe('IN_REVIEW');
      expect((await read()).approvals).toBe(1);

      // A reviewer (posts:review, not posts:write) corrects the typo in what they review.
      const fixed = await edit(org.members.REVIEWER.client, v1, 'Autumn launch');
      expect(fixed.body.data!.updatePost).toMatchObject({
        __typename: 'MutationUpdatePostSuccess',
        data: { status: 'IN_REVIEW', version: v1 + 1, caption: 'Autumn launch', hashtags: ['#autumn'] },
      });
      expect(await read()).toMatchObject({ status: 'IN_REVIEW', approvals: 0, version: v1 + 1 });

      // The editor still holds version v1: their save is refused with what the post says now.
      const stale = await edit(org.members.EDITOR.client, v1, 'Autumn launch!!');
      expect(stale.body.data!.updatePost).toMatchObject({
        __typename: 'VersionConflictError',
        currentVersion: v1 + 1,
        currentCaption: 'Autumn launch',
        currentHashtags: ['#autumn'],
      });
      // The admin approved the old text; approving it again as v1 is a conflict, not a second approval.
      const staleApproval = await decide(org.members.ADMIN.client, 'approvePost', v1);
      expect(staleApproval.body.data!.approvePost).toMatchObject({
        __typename: 'VersionConflictError',
        currentVersion: v1 + 1,
        currentCaption: 'Autumn launch',
      });
      // Slides are rendered images: they change only through a rejection.
      const slides = await org.members.EDITOR.client.gql<{ updatePost: { __typename: string } }>(
        `mutation($id: ID!, $v: Int!) { updatePost(id: $id, expectedVersion: $v, slides: [{ heading: "New" }]) { __typename } }`,
        { id: post.gid, v: v1 + 1 },
      );
      expect(slides.body.data!.updatePost.__typename).toBe('ConflictError');

      // The approval given for the old text no longer counts: one approval of the new text is not enough.
      const again = await decide(org.members.ADMIN.client, 'approvePost', v1 + 1);
      expect(again.body.data!.approvePost!.data?.status).toBe('IN_REVIEW');
      expect((await read()).approvals).toBe(1);
      const second = await decide(org.members.OWNER.client, 'approvePost', v1 + 1);
      expect(second.body.data!.approvePost!.data?.status).toBe('APPROVED');

      const reset = await api.db.auditEvent.findMany({ where: { targetId: post.id, action: 'post.approvals_reset' } });
      expect(reset.map((event) => event.metadata)).toEqual([{ version: v1 + 1, approvalsDiscarded: 1 }]);
      expect(reset[0]!.actorUserId).toBe(org.members.REVIEWER.userId);
    } finally {
      await api.db.brand.update({ where: { id: org.brand.id }, data: { requiredApprovals: null } });
    }
  });

  test('an integrator’s token with posts:review decides as itself', async () => {
    const post = await carousel('Approved by a tool');
    await mutate(org.members.EDITOR.client, 'submitPostForReview', { id: post.gid }, 'id: $id');
    const { seedApiToken } = await import('./kit.js');
    const token = await seedApiToken(api, org.organization.id, ['posts:review', 'posts:read']);
    const approved = await mutate(token.client, 'approvePost', { id: post.gid }, 'id: $id');
    expect(approved.data?.status).toBe('APPROVED');
    const review = await api.db.review.findFirstOrThrow({ where: { postId: post.id } });
    expect(review.reviewerId).toBeNull();
    const event = await api.db.auditEvent.findFirstOrThrow({ where: { targetId: post.id, action: 'post.approve' } });
    expect(event.actorApiTokenId).toBe(token.id);
  });
});

test('a deleted post leaves its rendered images due, so the next retention run removes them', async () => {
  const post = await carousel('Deleted after all');
  const media = await api.db.media.findMany({ where: { postId: post.id } });
  expect(media).toHaveLength(2);
  const deleted = await org.members.EDITOR.client.gql<{ deletePost: { __typename: string } }>(
    `mutation($id: ID!) { deletePost(id: $id) { __typename } }`,
    { id: post.gid },
  );
  expect(deleted.body.data?.deletePost.__typename).toBe('MutationDeletePostSuccess');
  const after = await api.db.media.findMany({ where: { id: { in: media.map((row) => row.id) } } });
  expect(after).toHaveLength(2);
  for (const row of after) {
    expect(row.postId).toBeNull();
    expect(row.deleteAfter!.getTime()).toBeLessThanOrEqual(Date.now());
  }
});

describe('scheduling publishes through the publish workflow', () => {
  async function approved(caption: string) {
    const post = await carousel(caption);
    await mutate(org.members.EDITOR.client, 'submitPostForReview', { id: post.gid }, 'id: $id');
    await mutate(org.members.REVIEWER.client, 'approvePost', { id: post.gid }, 'id: $id');
    return post;
  }

  test('a post scheduled two seconds ahead is published once on TikTok, with its publication recorded', async () => {
    const caption = `Published by the schedule ${Date.now()}`;
    const post = await approved(caption);
    const at = new Date(Date.now() + 2_000).toISOString();
    const scheduled = await mutate(
      org.members.EDITOR.client,
      'schedulePost',
      { id: post.gid, at },
      'id: $id, scheduledAt: $at',
    );
    expect(scheduled.data?.status).toBe('SCHEDULED');
    const publication = await waitFor(
      () => api.db.publication.findFirstOrThrow({ where: { postId: post.id } }),
      (row) => row.state === 'PUBLISHED' || row.state === 'FAILED',
      'the publication to finish',
    );
    expect(publication).toMatchObject({ state: 'PUBLISHED', socialAccountId: accountId, attemptCount: 1 });
    expect(publication.publishedAt!.getTime()).toBeGreaterThanOrEqual(Date.parse(at));
    expect((await api.db.post.findUniqueOrThrow({ where: { id: post.id } })).status).toBe('PUBLISHED');
    const made = tiktok.listPosts().filter((row) => JSON.stringify(row.request).includes(caption));
    expect(made).toHaveLength(1);
    expect(made[0]!.publishId).toBe(publication.platformPublishId);

    // What an operator reads of it: every attempt with the step it reached and TikTok's answer.
    const read = await org.members.ADMIN.client.gql<{ node: Record<string, unknown> }>(
      `query($id: ID!) { node(id: $id) { ... on Publication {
        state failureCategory platformPublishId socialAccount { id }
        attempts { number status step responseCode failureCategory triggeredBy { id } } } } }`,
      { id: gid('Publication', publication.id) },
    );
    expect(read.body.data?.node).toEqual({
      state: 'PUBLISHED',
      failureCategory: null,
      platformPublishId: publication.platformPublishId,
      socialAccount: { id: gid('SocialAccount', accountId) },
      attempts: [
        { number: 1, status: 'SUCCEEDED', step: 'POLL', responseCode: 200, failureCategory: null, triggeredBy: null },
      ],
    });
  });

  test('rescheduling moves the waiting publication; unscheduling cancels it and nothing reaches TikTok', async () => {
    const caption = `Never published ${Date.now()}`;
    const post = await approved(caption);
    const inAnHour = new Date(Date.now() + 3_600_000);
    await mutate(
      org.members.EDITOR.client,
      'schedulePost',
      { id: post.gid, at: inAnHour.toISOString(), accounts: [gid('SocialAccount', accountId)] },
      'id: $id, scheduledAt: $at, socialAccountIds: $accounts',
    );
    const publication = await api.db.publication.findFirstOrThrow({ where: { postId: post.id } });
    const inTwoHours = new Date(Date.now() + 7_200_000);
    const moved = await mutate(
      org.members.EDITOR.client,
      'reschedulePost',
      { id: post.gid, at: inTwoHours.toISOString() },
      'id: $id, scheduledAt: $at',
    );
    expect(moved.data?.status).toBe('SCHEDULED');
    const temporal = connectTemporalClient({ address: api.config.TEMPORAL_ADDRESS, namespace: 'default' });
    try {
      expect(await publicationStatus(temporal, publication.id)).toMatchObject({
        phase: 'WAITING',
        scheduledAtMs: inTwoHours.getTime(),
      });
    } finally {
      await temporal.connection.close();
    }
    expect((await api.db.publication.findUniqueOrThrow({ where: { id: publication.id } })).scheduledAt).toEqual(
      inTwoHours,
    );

    const unscheduled = await mutate(org.members.EDITOR.client, 'unschedulePost', { id: post.gid }, 'id: $id');
    expect(unscheduled.data?.status).toBe('APPROVED');
    expect(await api.db.publication.findUniqueOrThrow({ where: { id: publication.id } })).toMatchObject({
      state: 'CANCELLED',
    });
    expect(tiktok.listPosts().filter((row) => JSON.stringify(row.request).includes(caption))).toHaveLength(0);

    // Scheduled again, the same publication comes back with a new run of its workflow.
    const again = await mutate(
      org.members.EDITOR.client,
      'schedulePost',
      { id: post.gid, at: inAnHour.toISOString() },
      'id: $id, scheduledAt: $at',
    );
    expect(again.data?.status).toBe('SCHEDULED');
    expect(await api.db.publication.findMany({ where: { postId: post.id } })).toMatchObject([
      { id: publication.id, state: 'SCHEDULED' },
    ]);
    const cancelled = await org.members.EDITOR.client.gql<{ cancelPublication: { __typename: string } }>(
      `mutation($id: ID!) { cancelPublication(id: $id) { __typename } }`,
      { id: gid('Publication', publication.id) },
    );
    expect(cancelled.body.data?.cancelPublication.__typename).toBe('MutationCancelPublicationSuccess');
    expect((await api.db.post.findUniqueOrThrow({ where: { id: post.id } })).status).toBe('APPROVED');
  });

  test('the stuck publication of issue 10: a 400 at init ends FAILED (not PUBLISHING), and once the revoked account is reconnected, retryPublication publishes it', async () => {
    const caption = `Refused at init ${Date.now()}`;
    const post = await approved(caption);
    // The README's own fault example: TikTok answers the photo init with a plain 400.
    tiktok.server.inject({ pathPrefix: '/v2/post/publish/content/init/' }, { kind: 'status', status: 400 }, 1);
    await mutate(
      org.members.EDITOR.client,
      'schedulePost',
      { id: post.gid, at: new Date(Date.now() + 1_000).toISOString(), accounts: [gid('SocialAccount', accountId)] },
      'id: $id, scheduledAt: $at, socialAccountIds: $accounts',
    );
    const failed = await waitFor(
      () => api.db.publication.findFirstOrThrow({ where: { postId: post.id }, include: { attempts: true } }),
      (row) => row.state !== 'SCHEDULED' && row.state !== 'PUBLISHING',
      'the publication to end',
    );
    expect(failed).toMatchObject({ state: 'FAILED', failureCategory: 'REJECTED_BY_PLATFORM' });
    expect(failed.attempts).toMatchObject([{ number: 1, status: 'FAILED', step: 'INIT', responseCode: 400 }]);
    expect(tiktok.listPosts().filter((row) => JSON.stringify(row.request).includes(caption))).toHaveLength(0);

    // The restart of the issue: the emulated TikTok forgot the account's tokens; it is REVOKED.
    await api.db.socialAccount.update({ where: { id: accountId }, data: { status: 'REVOKED' } });
    const publicationGid = gid('Publication', failed.id);
    const read = await org.members.ADMIN.client.gql<{ node: Record<string, unknown> }>(
      `query($id: ID!) { node(id: $id) { ... on Publication { state outcomeUnknown actions } } }`,
      { id: publicationGid },
    );
    expect(read.body.data?.node).toEqual({
      state: 'FAILED',
      outcomeUnknown: false,
      actions: ['RETRY', 'CHECK', 'MARK_PUBLISHED', 'CANCEL'],
    });
    const retry = `mutation($id: ID!) { retryPublication(id: $id) {
      __typename ... on Error { code message } ... on MutationRetryPublicationSuccess { data { state } } } }`;
    const refused = await org.members.ADMIN.client.gql<{ retryPublication: Answer }>(retry, { id: publicationGid });
    expect(refused.body.data?.retryPublication).toMatchObject({ __typename: 'ConflictError' });
    expect(refused.body.data?.retryPublication.message).toContain('connected again');

    // Reconnected (new tokens), the operator retries from GraphQL and it is published once.
    const account = await api.db.socialAccount.findUniqueOrThrow({ where: { id: accountId } });
    const issued = tiktok.issueTokens(account.platformAccountId);
    await saveConnectedAccount(api.db, createVault(parseKeyRing(api.config.PRESSROOM_TOKEN_KEYS!)), {
      organizationId: org.organization.id,
      brandId: org.brand.id,
      platform: 'TIKTOK',
      platformAccountId: account.platformAccountId,
      displayName: account.displayName,
      tokens: {
        accessToken: issued.access_token,
        refreshToken: issued.refresh_token,
        accessTokenExpiresAt: new Date(Date.now() + issued.expires_in * 1000),
        refreshTokenExpiresAt: new Date(Date.now() + issued.refresh_expires_in * 1000),
        scopes: issued.scope.split(','),
      },
    });
    const retried = await org.members.ADMIN.client.gql<{ retryPublication: Answer }>(retry, { id: publicationGid });
    expect(retried.body.data?.retryPublication.__typename).toBe('MutationRetryPublicationSuccess');
    const published = await waitFor(
      () => api.db.publication.findUniqueOrThrow({ where: { id: failed.id }, include: { attempts: true } }),
      (row) => row.state === 'PUBLISHED' || (row.state === 'FAILED' && row.attemptCount > 1),
      'the retry to publish',
    );
    expect(published.state).toBe('PUBLISHED');
    expect(
      published.attempts
        .sort((a, b) => a.number - b.number)
        .map((attempt) => [attempt.number, attempt.status, attempt.triggeredById]),
    ).toEqual([
      [1, 'FAILED', null],
      [2, 'SUCCEEDED', org.members.ADMIN.userId],
    ]);
    expect(tiktok.listPosts().filter((row) => JSON.stringify(row.request).includes(caption))).toHaveLength(1);
  });

  test('an unknown outcome offers check, mark as published (audited, with its URL) and retry', async () => {
    const post = await approved(`Unknown outcome ${Date.now()}`);
    await api.db.post.update({ where: { id: post.id }, data: { status: 'FAILED' } });
    const publication = await api.db.publication.create({
      data: {
        organizationId: org.organization.id,
        postId: post.id,
        socialAccountId: accountId,
        platform: 'TIKTOK',
        state: 'FAILED',
        failureCategory: 'OUTCOME_UNKNOWN',
        failureReason: 'its publish workflow ended (terminated) after sending the post',
        scheduledAt: new Date(),
        attemptCount: 0,
      },
    });
    const id = gid('Publication', publication.id);
    const fields = `state outcomeUnknown actions platformUrl platformPostId`;
    const read = await org.members.ADMIN.client.gql<{ node: Record<string, unknown> }>(
      `query($id: ID!) { node(id: $id) { ... on Publication { ${fields} } } }`,
      { id },
    );
    expect(read.body.data?.node).toMatchObject({
      state: 'FAILED',
      outcomeUnknown: true,
      actions: ['CHECK', 'MARK_PUBLISHED', 'RETRY'],
    });

    // A check asks the workflows; nothing was sent in this row's name, so it stays FAILED.
    const checked = await org.members.ADMIN.client.gql<{ checkPublication: Answer & { data?: { state: string } } }>(
      `mutation($id: ID!) { checkPublication(id: $id) {
        __typename ... on Error { code message } ... on MutationCheckPublicationSuccess { data { state } } } }`,
      { id },
    );
    expect(checked.body.data?.checkPublication).toEqual({
      __typename: 'MutationCheckPublicationSuccess',
      data: { state: 'FAILED' },
    });
    expect(await api.db.auditEvent.count({ where: { targetId: publication.id, action: 'publication.check' } })).toBe(1);

    const mark = `mutation($id: ID!, $url: String!) { markPublicationPublished(id: $id, url: $url) {
      __typename ... on Error { code message } ... on MutationMarkPublicationPublishedSuccess { data { ${fields} } } } }`;
    const invalid = await org.members.ADMIN.client.gql<{ markPublicationPublished: Answer }>(mark, {
      id,
      url: 'javascript:alert(1)',
    });
    expect(invalid.body.data?.markPublicationPublished).toMatchObject({
      __typename: 'ValidationError',
      code: 'BAD_USER_INPUT',
    });
    const url = 'https://www.tiktok.com/@creator/video/7400000000000000123';
    const marked = await org.members.ADMIN.client.gql<{ markPublicationPublished: Record<string, unknown> }>(mark, {
      id,
      url,
    });
    expect(marked.body.data?.markPublicationPublished).toEqual({
      __typename: 'MutationMarkPublicationPublishedSuccess',
      data: {
        state: 'PUBLISHED',
        outcomeUnknown: false,
        actions: [],
        platformUrl: url,
        platformPostId: '7400000000000000123',
      },
    });
    expect((await api.db.post.findUniqueOrThrow({ where: { id: post.id } })).status).toBe('PUBLISHED');
    const audited = await api.db.auditEvent.findFirstOrThrow({
      where: { targetId: publication.id, action: 'publication.mark_published' },
    });
    expect(audited).toMatchObject({ actorUserId: org.members.ADMIN.userId });
    expect(audited.metadata).toMatchObject({ url, failureCategory: 'OUTCOME_UNKNOWN' });
    const again = await org.members.ADMIN.client.gql<{ markPublicationPublished: Answer }>(mark, { id, url });
    expect(again.body.data?.markPublicationPublished).toMatchObject({ __typename: 'ConflictError' });
  });

  test('what cannot be published is refused up front, and nothing is written', async () => {
    const post = await approved(`Refused ${Date.now()}`);
    const at = new Date(Date.now() + 3_600_000).toISOString();
    // Every network can be published to now; an account whose grant died cannot, until it is reconnected.
    const vk = await api.db.socialAccount.create({
      data: {
        organizationId: org.organization.id,
        brandId: org.brand.id,
        platform: 'VK',
        platformAccountId: `vk-${Date.now()}`,
        displayName: 'Roastery on VK',
        status: 'TOKEN_EXPIRED',
      },
    });
    const expired = await mutate(
      org.members.EDITOR.client,
      'schedulePost',
      { id: post.gid, at, accounts: [gid('SocialAccount', vk.id)] },
      'id: $id, scheduledAt: $at, socialAccountIds: $accounts',
    );
    expect(expired).toMatchObject({
      __typename: 'ConflictError',
      message: 'Roastery on VK needs to be reconnected before publishing.',
    });
    const past = await mutate(
      org.members.EDITOR.client,
      'schedulePost',
      { id: post.gid, at: new Date(Date.now() - 1_000).toISOString() },
      'id: $id, scheduledAt: $at',
    );
    expect(past.__typename).toBe('ValidationError');
    expect(await api.db.publication.count({ where: { postId: post.id } })).toBe(0);
    expect((await api.db.post.findUniqueOrThrow({ where: { id: post.id } })).status).toBe('APPROVED');
  });
});

test('when no worker answers, a decision is UNAVAILABLE and nothing is recorded', async () => {
  const lonely = await startTestApi({ WORKFLOW_UPDATE_TIMEOUT_MS: '1500' });
  try {
    const seeded = await seedOrganization(lonely);
    const before = await lonely.db.auditEvent.count();
    const response = await seeded.members.REVIEWER.client.gql(
      `mutation($id: ID!) { approvePost(id: $id) { __typename } }`,
      { id: seeded.posts.inReview.gid },
    );
    expect(response.body.errors?.[0]).toMatchObject({ extensions: { code: 'UNAVAILABLE' } });
    expect(response.body.errors?.[0]?.message).toMatch(/did not answer in time/);
    expect(await lonely.db.review.count({ where: { postId: seeded.posts.inReview.id } })).toBe(0);
    expect(await lonely.db.auditEvent.count()).toBe(before);
    expect((await lonely.db.post.findUniqueOrThrow({ where: { id: seeded.posts.inReview.id } })).status).toBe(
      'IN_REVIEW',
    );
  } finally {
    await lonely.close();
  }
});
