// AI on uploads: a video uploaded over tus and processed by the worker is composed into a post,
// which the AI reviews at once (frames sampled with ffmpeg, sent as Anthropic image blocks);
// reviewers read the findings on the post. Caption suggestions come from the same frames. With
// the organization's AI text off, both are refused with AI_DISABLED and nothing reaches a provider.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AnthropicEmulator } from '@pressroom/workflows/emulators';
import { createAnthropicGenerator } from '@pressroom/workflows/platforms';
import { mediaTools } from '@pressroom/workflows/rendering';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { gid, seedOrganization, startTestApi, type SeededOrganization, type TestApi } from './kit.js';
import { createUpload, patchFrom } from './tus-client.js';

const run = promisify(execFile);
let api: TestApi;
let org: SeededOrganization;
let work: string;
const anthropic = new AnthropicEmulator({ apiKeys: ['test-key'], requestsPerMinute: 1_000 });

beforeAll(async () => {
  const anthropicUrl = await anthropic.start();
  api = await startTestApi(
    { WORKFLOW_UPDATE_TIMEOUT_MS: '20000' },
    { worker: { activities: { ai: createAnthropicGenerator({ apiKey: 'test-key', baseUrl: anthropicUrl }) } } },
  );
  org = await seedOrganization(api);
  work = await mkdtemp(join(tmpdir(), 'pressroom-ai-uploads-test-'));
}, 180_000);

afterAll(async () => {
  await api?.close();
  await anthropic.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A 4 s landscape H.264 video without audio, uploaded and processed to READY. */
async function uploadVideo(): Promise<string> {
  const file = join(work, 'clip.mp4');
  await run(mediaTools().ffmpeg, [
    '-hide_banner',
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=640x360:rate=25',
    '-t',
    '4',
    '-c:v',
    'libx264',
    '-pix_fmt',
    'yuv420p',
    '-movflags',
    '+faststart',
    file,
  ]);
  const auth = { cookie: org.members.EDITOR.client.cookie };
  const created = await createUpload(api.url, auth, (await stat(file)).size, {
    brandId: org.brand.gid,
    filename: 'clip.mp4',
  });
  expect(created.status, created.body).toBe(201);
  expect((await patchFrom(created.location!, auth, file, 0)).status).toBe(204);
  const id = created.location!.split('/').pop()!;
  await waitFor(
    () => api.db.mediaAsset.findUniqueOrThrow({ where: { id } }),
    (asset) => asset.status === 'READY' || asset.status === 'FAILED',
    'the video to be processed',
  ).then((asset) => expect(asset.status).toBe('READY'));
  return id;
}

const composeDocument = `mutation($brandId: ID!, $ids: [ID!]!) {
  composePostFromMedia(brandId: $brandId, mediaAssetIds: $ids, caption: "Clip", versions: [{ network: TIKTOK, caption: "For TikTok" }, { network: INSTAGRAM, caption: "For Instagram" }]) {
    __typename ... on Error { code message } ... on MutationComposePostFromMediaSuccess { data { id } } } }`;
const reviewDocument = `query($id: ID!) { node(id: $id) { ... on Post { videoReview {
  status postVersion failureReason findings { timestampMs check verdict note network source } } } } }`;
const suggestDocument = `mutation($ids: [ID!]!, $networks: [Platform!]!) {
  suggestCaptionsForMedia(mediaAssetIds: $ids, networks: $networks) {
    __typename ... on Error { code message } ... on AiDisabledError { feature }
    ... on MutationSuggestCaptionsForMediaSuccess { data { network caption hashtags } } } }`;
const requestDocument = `mutation($id: ID!) { requestVideoReview(postId: $id) {
  __typename ... on Error { code message } ... on MutationRequestVideoReviewSuccess { data { status } } } }`;

interface Finding {
  timestampMs: number;
  check: string;
  verdict: string;
  note: string;
  network: string | null;
  source: string;
}
type ReviewAnswer = {
  node: { videoReview: { status: string; findings: Finding[]; failureReason: string | null } | null };
};

describe('AI on uploads', () => {
  let assetId: string;
  let postId: string;

  test('a composed video post gets a stored review whose findings a reviewer reads', async () => {
    assetId = await uploadVideo();
    const composed = await org.members.EDITOR.client.gql<{
      composePostFromMedia: { __typename: string; data: { id: string } };
    }>(composeDocument, { brandId: org.brand.gid, ids: [gid('MediaAsset', assetId)] });
    expect(composed.body.data?.composePostFromMedia.__typename).toBe('MutationComposePostFromMediaSuccess');
    postId = composed.body.data!.composePostFromMedia.data.id;

    const reviewer = org.members.REVIEWER.client;
    const answer = await waitFor(
      async () => (await reviewer.gql<ReviewAnswer>(reviewDocument, { id: postId })).body.data!,
      (data) => data.node.videoReview?.status !== 'RUNNING',
      'the video review',
    );
    const review = answer.node.videoReview!;
    expect(review.failureReason).toBeNull();
    expect(review.status).toBe('DONE');
    // Computed by Pressroom: 640×360 is not vertical for TikTok and Instagram, 4 s is within
    // both, and there is no audio track.
    const computed = review.findings.filter((finding) => finding.source === 'PRESSROOM');
    expect(computed.map((finding) => `${finding.check}:${finding.network ?? '-'}:${finding.verdict}`).sort()).toEqual([
      'ASPECT_RATIO:INSTAGRAM:WARN',
      'ASPECT_RATIO:TIKTOK:WARN',
      'AUDIO:-:WARN',
      'DURATION:INSTAGRAM:PASS',
      'DURATION:TIKTOK:PASS',
    ]);
    // Judged by the model from the frames it was sent: the hook early, legibility per frame.
    const fromModel = review.findings.filter((finding) => finding.source === 'AI');
    const hook = fromModel.find((finding) => finding.check === 'HOOK')!;
    expect(hook.timestampMs).toBeLessThan(3000);
    const legibility = fromModel.filter((finding) => finding.check === 'TEXT_LEGIBILITY');
    expect(legibility.length).toBeGreaterThanOrEqual(3);
    expect(new Set(legibility.map((finding) => finding.timestampMs)).size).toBe(legibility.length);
    expect(fromModel.some((finding) => finding.check === 'RISKY_CONTENT')).toBe(true);
    const times = review.findings.map((finding) => finding.timestampMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));

    // The frames went as Anthropic base64 image blocks through a forced tool.
    const sent = anthropic.received.at(-1) as {
      tool_choice: { name: string };
      messages: Array<{ content: Array<{ type: string; source?: { type: string; media_type: string } }> }>;
    };
    expect(sent.tool_choice.name).toBe('emit_video_review');
    const images = sent.messages[0]!.content.filter((block) => block.type === 'image');
    expect(images.length).toBe(legibility.length);
    expect(images[0]!.source).toMatchObject({ type: 'base64', media_type: 'image/jpeg' });
  }, 240_000);

  test('caption suggestions per network from the video frames, the same for the same frames', async () => {
    const ask = () =>
      org.members.EDITOR.client.gql<{
        suggestCaptionsForMedia: {
          __typename: string;
          data: Array<{ network: string; caption: string; hashtags: string[] }>;
        };
      }>(suggestDocument, { ids: [gid('MediaAsset', assetId)], networks: ['INSTAGRAM', 'TIKTOK'] });
    const first = await ask();
    expect(first.body.data?.suggestCaptionsForMedia.__typename, JSON.stringify(first.body)).toBe(
      'MutationSuggestCaptionsForMediaSuccess',
    );
    const suggestions = first.body.data!.suggestCaptionsForMedia.data;
    expect(suggestions.map((suggestion) => suggestion.network)).toEqual(['INSTAGRAM', 'TIKTOK']);
    for (const suggestion of suggestions) {
      expect(suggestion.caption.length).toBeGreaterThan(10);
      expect(suggestion.hashtags.length).toBeGreaterThan(0);
      expect(suggestion.hashtags.every((tag) => tag.startsWith('#'))).toBe(true);
    }
    expect(suggestions[0]!.caption).not.toBe(suggestions[1]!.caption);
    expect((await ask()).body.data!.suggestCaptionsForMedia.data).toEqual(suggestions);
    const sent = anthropic.received.at(-1) as { tool_choice: { name: string } };
    expect(sent.tool_choice.name).toBe('emit_captions');

    // A reviewer may read the post but not send uploads to the AI.
    const denied = await org.members.REVIEWER.client.gql(suggestDocument, {
      ids: [gid('MediaAsset', assetId)],
      networks: ['TIKTOK'],
    });
    expect(denied.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  }, 120_000);

  test('with AI off: suggestions and reviews are refused AI_DISABLED, a composed video gets no review, nothing is sent', async () => {
    await api.db.organizationSettings.update({
      where: { organizationId: org.organization.id },
      data: { aiTextEnabled: false },
    });
    const sentBefore = anthropic.received.length;
    const requestsBefore = anthropic.server.requests.filter((request) => request.path === '/v1/messages').length;

    const suggested = await org.members.EDITOR.client.gql<{
      suggestCaptionsForMedia: { __typename: string; code: string; feature: string };
    }>(suggestDocument, { ids: [gid('MediaAsset', assetId)], networks: ['TIKTOK'] });
    expect(suggested.body.data?.suggestCaptionsForMedia).toMatchObject({
      __typename: 'AiDisabledError',
      code: 'AI_DISABLED',
      feature: 'text',
    });
    const requested = await org.members.EDITOR.client.gql<{ requestVideoReview: { __typename: string; code: string } }>(
      requestDocument,
      { id: postId },
    );
    expect(requested.body.data?.requestVideoReview).toMatchObject({
      __typename: 'AiDisabledError',
      code: 'AI_DISABLED',
    });

    const composed = await org.members.EDITOR.client.gql<{
      composePostFromMedia: { __typename: string; data: { id: string } };
    }>(composeDocument, { brandId: org.brand.gid, ids: [gid('MediaAsset', assetId)] });
    const newPost = composed.body.data!.composePostFromMedia.data.id;
    const review = await org.members.REVIEWER.client.gql<ReviewAnswer>(reviewDocument, { id: newPost });
    expect(review.body.data!.node.videoReview).toBeNull();
    expect(await api.db.videoReview.count({ where: { organizationId: org.organization.id } })).toBe(1);

    expect(anthropic.received).toHaveLength(sentBefore);
    expect(anthropic.server.requests.filter((request) => request.path === '/v1/messages')).toHaveLength(requestsBefore);
  }, 120_000);
});
