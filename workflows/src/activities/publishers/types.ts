import type { Platform } from '@pressroom/db';
import type { FailureCategory } from '../../platforms/errors.js';
import type { TikTokPrivacyLevel } from '../../platforms/tiktok/index.js';
import type { AccessTokenSource } from '../../platforms/tokens.js';

/**
 * One network's way of turning a post into exactly one post on that network, behind the
 * publish workflow. The workflow drives every network through the same steps and owns the
 * never-twice rule; a publisher only says what each step means on its network:
 *
 * 1. `prepare`: account budgets checked before anything is sent (Instagram's
 *    content_publishing_limit, YouTube's daily quota). Refusals are typed (`PublishRefusal`).
 * 2. `init`: what the network processes before a post exists (Instagram media containers, a
 *    YouTube upload session). Makes no post, so it is safe to repeat; it saves its handles
 *    with `ctx.save` so a retry or a new worker picks them up instead of starting over.
 * 3. `upload`: moves bytes (YouTube's resumable upload), resuming from what `ctx.state` and
 *    the network say was received. A no-op for networks that pull media from our URLs.
 * 4. `status`: the network's processing state of what init/upload made, polled by the
 *    workflow: `processing` (ask again later), `ready` (call publish), `published` (the
 *    upload itself made the post: YouTube) or `failed`. Polled again after a publish (or a
 *    find) that answers `processing: true`, where the post exists before its media is
 *    processed (Facebook video): then `ctx.state.postId` is set and `published`/`failed` end it.
 * 5. `publish`: the one call that makes the post and is NOT idempotent (Instagram
 *    media_publish, Telegram send*). The workflow's activity records that it is about to send
 *    before calling it; a try that finds that record without an answer never calls it again.
 * 6. `find`: after a publish (or final upload chunk) whose answer was lost: `found` with the
 *    post, `not-made` when the network can say for sure that nothing was posted (then
 *    publishing again is safe), or `unknowable` when it cannot tell (Telegram): the
 *    publication ends OUTCOME_UNKNOWN for an operator to check, and nothing is sent again.
 * 7. `urlOf`: the public link of a post the network made.
 *
 * Adding a network means implementing this interface and registering it in
 * `createPublishers`; the workflow does not change. TikTok came first with activities of its
 * own (initPost/uploadVideo/fetchPublishStatus/findPostOnPlatform); runs recorded with them
 * keep them (patched() in the workflow), new runs use its publisher here. Its init is the
 * non-idempotent call, so it is its `publish`, which answers `processing` with
 * `awaitsUpload`: the workflow then runs `upload` and polls `status`.
 */
export interface NetworkPublisher {
  readonly platform: Platform;
  /** Written into reasons and notifications: "Instagram", "YouTube"... */
  readonly label: string;
  /** The target holds no tokens (the brand's blog): the workflow's token step passes. */
  readonly tokenless?: boolean;
  /**
   * Refreshes an expiring token (the rotated refresh token, if any, comes back too). The
   * account is given because some refreshes derive its token anew (a Facebook page token), and
   * its scopes say how it was connected (an Instagram account through Meta or Instagram login).
   */
  refreshTokens?(
    refreshToken: string,
    account: { platformAccountId: string; scopes: readonly string[] },
  ): Promise<RefreshedTokens>;
  prepare(ctx: PublishContext): Promise<void>;
  init(ctx: PublishContext): Promise<void>;
  upload(ctx: PublishContext): Promise<void>;
  status(ctx: PublishContext): Promise<NetworkStatus>;
  publish(ctx: PublishContext): Promise<MadePost>;
  /**
   * What the publish will send, written into the attempt's request record with it (before it
   * is sent): the endpoint and its parameters, never media URLs (signed, they are credentials).
   */
  describePublish?(ctx: PublishContext): Record<string, unknown>;
  find(ctx: PublishContext): Promise<FoundPost>;
  urlOf(ctx: PublishContext, postId: string): string | undefined;
}

export interface RefreshedTokens {
  accessToken: string;
  refreshToken?: string;
  accessTokenExpiresAt?: Date;
  refreshTokenExpiresAt?: Date;
}

export interface MadePost {
  /** Unknown for a TikTok post still in the creator's inbox or private (the next sync finds it). */
  postId?: string;
  url?: string;
  /**
   * The post exists but the network still processes its media (a Facebook video): the
   * workflow polls `status` until it is ready (then PUBLISHED) or failed (FAILED with the
   * network's reason) before it says anything.
   */
  processing?: boolean;
  /** The network waits for our bytes before it processes (TikTok FILE_UPLOAD): `upload` runs first. */
  awaitsUpload?: boolean;
}

export type NetworkStatus =
  | { kind: 'processing'; detail?: string }
  | { kind: 'ready' }
  | { kind: 'published'; post: MadePost }
  | {
      kind: 'failed';
      category: FailureCategory;
      reason: string;
      /** The network says it made nothing (TikTok's internal failure): a new attempt may publish. */
      madeNothing?: boolean;
    };

export type FoundPost =
  { kind: 'found'; post: MadePost } | { kind: 'not-made' } | { kind: 'unknowable'; reason: string };

/** One stored media file of the post, with a signed URL the network can pull it from. */
export interface PostMedia {
  kind: 'IMAGE' | 'VIDEO';
  storageKey: string;
  contentType: string;
  byteSize: number;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  url: string;
}

/** The post as this network gets it: its network version's caption, hashtags and title applied. */
export interface NetworkPost {
  /** The post's id (the blog publisher reads its article by it). */
  postId: string;
  format: string;
  title: string;
  caption: string;
  hashtags: string[];
  /** Caption and hashtags as one text, the way most networks take them. */
  text: string;
  /** Facebook: the address a link post shares (its version's link). */
  link?: string;
  images: PostMedia[];
  video: PostMedia | null;
}

/**
 * What a publisher keeps between steps, in the attempt's `response` column: handles the
 * network gave (container ids, upload session), progress, and the publish record.
 */
export interface NetworkState {
  /** Instagram: the container to publish; its children for a carousel. */
  containerId?: string;
  childContainerIds?: string[];
  /** YouTube: the resumable session and the video it made. */
  sessionUrl?: string;
  sessionStartedAtMs?: number;
  videoId?: string;
  /** Facebook: unpublished photos made for a multi-photo post, attached by the publish. */
  photoIds?: string[];
  /** VK: photos saved to the community's wall album (`photo<owner>_<id>`), attached by the publish. */
  attachments?: string[];
  /** TikTok: the init's publish_id, its FILE_UPLOAD address, and the privacy creator_info allowed. */
  publishId?: string;
  uploadUrl?: string;
  privacyLevel?: TikTokPrivacyLevel;
  /** The publish call went out at this time (recorded before sending). */
  publishSentAtMs?: number;
  /** The text the publish sent: how a post whose answer was lost is recognised. */
  matchText?: string;
  /** What the publish (or upload) made, once known. */
  postId?: string;
  postUrl?: string;
  /** The post exists and its media is still being processed (MadePost.processing). */
  processing?: boolean;
  uploadComplete?: boolean;
  /** The earlier publish was looked for and the network says it did not make a post. */
  publishCleared?: boolean;
}

export interface PublishContext {
  platformAccountId: string;
  tokens: AccessTokenSource;
  post: NetworkPost;
  state: NetworkState;
  /** Merges into the stored state before returning: what a retry after a kill starts from. */
  save(patch: Partial<NetworkState>): Promise<void>;
  /**
   * Sends `call` in the slot of the rate-gate permit the workflow got for this step (TikTok's
   * per-token limits), releasing it with the answer's time; runs it at once without one.
   */
  paced<T>(call: () => Promise<T>): Promise<T>;
  /** Keeps the activity alive (and records progress) during long calls. */
  heartbeat(details?: unknown): void;
  /**
   * Posts on this account that other publications already have (published, or claimed by
   * their own look-up): a look-up for this publication's lost post must never settle on one,
   * however alike the texts (two identical captions posted minutes apart).
   */
  takenPostIds: ReadonlySet<string>;
  /** The last heartbeat's details of an earlier try of this activity. */
  resumeDetails: unknown;
  now(): number;
}

/**
 * A refusal decided on our side before anything was sent (a budget used up, a format the
 * network cannot take): the workflow records it with its category, never as unknown.
 */
export class PublishRefusal extends Error {
  override readonly name = 'PublishRefusal';
  constructor(
    message: string,
    readonly category: FailureCategory,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}
