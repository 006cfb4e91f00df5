// The review queue: each post as it will look on its network (slides, caption, hashtags,
// the caption's length against the network's limit), approve or reject with a comment.
// Keyboard: j/k move, a approves, r rejects, c focuses the comment, e edits the caption.
// Editing in review discards the approvals given so far (the server says so and counts
// again); a save against an older version shows the newer text and lets the editor choose.
import { createMutation } from '@urql/solid';
import { createEffect, createMemo, createSignal, For, on, onCleanup, Show } from 'solid-js';
import { A } from '@solidjs/router';
import {
  createLiveQuery,
  Empty,
  notify,
  onLiveEvent,
  PageHeader,
  ProblemNotice,
  Skeleton,
  StateBadge,
} from '../components/ui';
import { graphql } from '../gql';
import type { ReviewVideoReviewFragment } from '../gql/graphql';
import { outcomeOf, problemOf } from '../lib/errors';
import { useSession } from '../session';

const ReviewQueueDocument = graphql(`
  query ReviewQueue($organizationId: ID!, $brandId: ID!) {
    organization(id: $organizationId) {
      id
      posts(brandId: $brandId, status: [IN_REVIEW], first: 20) {
        edges {
          node {
            id
            title
            caption
            hashtags
            status
            version
            approvals
            requiredApprovals
            approvalsResetAt
            format
            brand {
              id
              name
            }
            slides {
              position
              heading
              body
              imageUrl
            }
            video {
              url
              posterUrl
              contentType
              durationMs
            }
            videoReview {
              ...ReviewVideoReview
            }
            reviews {
              decision
              comment
              createdAt
              reviewer {
                id
                name
              }
            }
          }
        }
      }
    }
  }
`);

graphql(`
  fragment ReviewVideoReview on VideoReview {
    id
    status
    failureReason
    createdAt
    completedAt
    findings {
      timestampMs
      check
      verdict
      note
      network
      source
    }
  }
`);

const RequestVideoReviewDocument = graphql(`
  mutation RequestVideoReview($postId: ID!) {
    requestVideoReview(postId: $postId) {
      __typename
      ... on MutationRequestVideoReviewSuccess {
        data {
          ...ReviewVideoReview
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const ReviewPostChangedDocument = graphql(`
  subscription ReviewPostChanged($brandId: ID!) {
    postChanged(brandId: $brandId) {
      id
      status
    }
  }
`);

const ApprovePostDocument = graphql(`
  mutation ApprovePost($id: ID!, $comment: String, $expectedVersion: Int) {
    approvePost(id: $id, comment: $comment, expectedVersion: $expectedVersion) {
      __typename
      ... on MutationApprovePostSuccess {
        data {
          id
          status
          approvals
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const RejectPostDocument = graphql(`
  mutation RejectPost($id: ID!, $comment: String, $expectedVersion: Int) {
    rejectPost(id: $id, comment: $comment, expectedVersion: $expectedVersion) {
      __typename
      ... on MutationRejectPostSuccess {
        data {
          id
          status
          approvals
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const EditPostTextDocument = graphql(`
  mutation EditPostText($id: ID!, $expectedVersion: Int!, $caption: String!, $hashtags: [String!]!) {
    updatePost(id: $id, expectedVersion: $expectedVersion, caption: $caption, hashtags: $hashtags) {
      __typename
      ... on MutationUpdatePostSuccess {
        data {
          id
          version
          caption
          hashtags
          approvals
        }
      }
      ... on VersionConflictError {
        currentVersion
        currentCaption
        currentHashtags
      }
      ... on Error {
        message
      }
    }
  }
`);

interface Conflict {
  version: number;
  caption: string;
  hashtags: string[];
}

/** "#autumn launch, #sale" → ["#autumn", "#launch", "#sale"]: the server adds missing #s too. */
function hashtagsFrom(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((tag) => tag.trim())
    .filter(Boolean);
}

// TikTok's caption limit (characters, hashtags included).
const captionLimit = 2_200;

export default function Review() {
  const session = useSession();
  const organizationId = () => session.organization()?.id ?? '';
  const brandId = () => session.brand()?.id ?? '';
  const [result, refetch] = createLiveQuery({
    query: ReviewQueueDocument,
    variables: () => ({ organizationId: organizationId(), brandId: brandId() }),
    pause: () => !organizationId() || !brandId(),
  });
  onLiveEvent(
    { query: ReviewPostChangedDocument, variables: () => ({ brandId: brandId() }), pause: () => !brandId() },
    refetch,
  );

  const posts = () => result.data?.organization?.posts.edges.map((edge) => edge.node) ?? [];
  const [selectedId, setSelectedId] = createSignal<string | null>(null);
  const selected = createMemo(() => posts().find((post) => post.id === selectedId()) ?? posts()[0] ?? null);
  const [comment, setComment] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  createEffect(
    on(
      () => selected()?.id,
      () => setComment(''),
    ),
  );
  let commentField: HTMLTextAreaElement | undefined;

  const required = () => selected()?.requiredApprovals ?? session.requiredApprovals();
  const remaining = () => Math.max(required() - (selected()?.approvals ?? 0), 0);

  const canDecide = () => session.can('posts:review');
  // Inline editing of the caption and hashtags, against the version the editor started from.
  const canEdit = () => session.can('posts:write') || session.can('posts:review');
  const [editing, setEditing] = createSignal(false);
  const [draftCaption, setDraftCaption] = createSignal('');
  const [draftHashtags, setDraftHashtags] = createSignal('');
  const [baseVersion, setBaseVersion] = createSignal(0);
  const [conflict, setConflict] = createSignal<Conflict | null>(null);
  const [saveProblem, setSaveProblem] = createSignal<string | null>(null);
  let captionField: HTMLTextAreaElement | undefined;
  const startEditing = () => {
    const post = selected();
    if (!post || !canEdit()) return;
    setDraftCaption(post.caption);
    setDraftHashtags(post.hashtags.join(' '));
    setBaseVersion(post.version);
    setConflict(null);
    setSaveProblem(null);
    setEditing(true);
    queueMicrotask(() => captionField?.focus());
  };
  const stopEditing = () => {
    setEditing(false);
    setConflict(null);
    setSaveProblem(null);
  };
  createEffect(on(() => selected()?.id, stopEditing));
  const [, editText] = createMutation(EditPostTextDocument);
  const save = async (version = baseVersion()) => {
    const post = selected();
    if (!post || busy()) return;
    setBusy(true);
    setSaveProblem(null);
    try {
      const answer = await editText({
        id: post.id,
        expectedVersion: version,
        caption: draftCaption(),
        hashtags: hashtagsFrom(draftHashtags()),
      });
      const union = answer.data?.updatePost;
      if (union?.__typename === 'VersionConflictError') {
        setConflict({ version: union.currentVersion, caption: union.currentCaption, hashtags: union.currentHashtags });
        return;
      }
      const outcome = outcomeOf(answer, union);
      if (!outcome.ok) return setSaveProblem(outcome.problem.message);
      stopEditing();
      notify(
        post.approvals > 0
          ? 'Saved. The approvals given for the old text no longer count; approvals start again.'
          : 'Saved.',
      );
      refetch();
    } finally {
      setBusy(false);
    }
  };
  const useTheirs = () => {
    const theirs = conflict();
    if (!theirs) return;
    setDraftCaption(theirs.caption);
    setDraftHashtags(theirs.hashtags.join(' '));
    setBaseVersion(theirs.version);
    setConflict(null);
    stopEditing();
    refetch();
  };
  const keepMine = () => {
    const theirs = conflict();
    if (!theirs) return;
    setConflict(null);
    void save(theirs.version);
  };
  const captionLength = () => {
    const post = selected();
    if (!post) return 0;
    return editing()
      ? [draftCaption(), ...hashtagsFrom(draftHashtags())].join(' ').length
      : [post.caption, ...post.hashtags].join(' ').length;
  };

  const move = (step: number) => {
    const list = posts();
    const index = list.findIndex((post) => post.id === selected()?.id);
    const next = list[Math.min(Math.max(index + step, 0), list.length - 1)];
    if (next) setSelectedId(next.id);
  };

  const [, approve] = createMutation(ApprovePostDocument);
  const [, reject] = createMutation(RejectPostDocument);
  const decide = async (decision: 'approve' | 'reject') => {
    const post = selected();
    if (!post || busy()) return;
    setBusy(true);
    // The version read: if the text changed since, the server records nothing and says so.
    const variables = { id: post.id, comment: comment().trim() || null, expectedVersion: post.version };
    const list = posts();
    const following = list[list.findIndex((candidate) => candidate.id === post.id) + 1] ?? null;
    try {
      if (decision === 'approve') {
        const answer = await approve(variables);
        const outcome = outcomeOf(answer, answer.data?.approvePost);
        if (!outcome.ok) {
          refetch();
          return notify(outcome.problem.message, 'error');
        }
        notify(outcome.data.status === 'APPROVED' ? 'Approved.' : 'Approved; it still needs another approval.');
      } else {
        const answer = await reject(variables);
        const outcome = outcomeOf(answer, answer.data?.rejectPost);
        if (!outcome.ok) {
          refetch();
          return notify(outcome.problem.message, 'error');
        }
        notify('Rejected; the editor sees your comment.');
      }
      setSelectedId(following?.id ?? null);
      refetch();
    } finally {
      setBusy(false);
    }
  };

  const onKey = (event: KeyboardEvent) => {
    const target = event.target as HTMLElement | null;
    if (event.metaKey || event.ctrlKey || event.altKey) return;
    if (target && ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) {
      if (event.key === 'Escape') target.blur();
      return;
    }
    if (editing()) return;
    if (event.key === 'j') move(1);
    else if (event.key === 'k') move(-1);
    else if (event.key === 'a' && canDecide()) void decide('approve');
    else if (event.key === 'r' && canDecide()) void decide('reject');
    else if (event.key === 'e' && canEdit()) {
      event.preventDefault();
      startEditing();
    } else if (event.key === 'c') {
      event.preventDefault();
      commentField?.focus();
    } else return;
  };
  document.addEventListener('keydown', onKey);
  onCleanup(() => document.removeEventListener('keydown', onKey));

  return (
    <>
      <PageHeader title="Review">
        <span class="muted small shortcut-hint">
          <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>a</kbd> approve · <kbd>r</kbd> reject · <kbd>e</kbd> edit · <kbd>c</kbd>{' '}
          comment
        </span>
      </PageHeader>
      <Show when={!result.error} fallback={<ProblemNotice problem={problemOf(result.error!)} onRetry={refetch} />}>
        <Show when={result.data} fallback={<Skeleton rows={6} label="Loading the review queue" />}>
          <Show
            when={posts().length > 0}
            fallback={
              <Empty title="No posts waiting for review.">
                <Show when={session.can('posts:write')}>
                  <A href="/batches/new" class="button primary">
                    Start a batch
                  </A>
                </Show>
              </Empty>
            }
          >
            <div class="review">
              <ul class="queue" aria-label="Posts waiting for review">
                <For each={posts()}>
                  {(post) => (
                    <li>
                      <button
                        type="button"
                        class="queue-item"
                        aria-current={post.id === selected()?.id ? 'true' : undefined}
                        onClick={() => setSelectedId(post.id)}
                      >
                        <strong>{post.title || post.slides[0]?.heading || 'Untitled post'}</strong>
                        <span class="muted clamp">{post.caption}</span>
                      </button>
                    </li>
                  )}
                </For>
              </ul>
              <Show when={selected()}>
                {(post) => (
                  <>
                    <section class="phone" aria-label="Preview as it will look on TikTok" data-post={post().id}>
                      <div
                        class="slides"
                        tabindex={post().video ? undefined : 0}
                        aria-label={post().video ? undefined : 'Slides'}
                      >
                        <Show when={post().format === 'VIDEO' && post().slides.length === 0}>
                          <Show
                            when={post().video}
                            fallback={
                              <div class="slide slide-text slide-video">
                                <span aria-hidden="true">▶</span>
                                <p>Video post: its video plays on the network.</p>
                              </div>
                            }
                          >
                            {(video) => (
                              // The platform-ready rendition the networks get, from /media (which
                              // answers the Range requests players make), its poster frame shown first.
                              <video
                                class="slide slide-player"
                                controls
                                playsinline
                                preload="metadata"
                                poster={video().posterUrl ?? undefined}
                                aria-label={`Video: ${post().title || 'untitled post'}`}
                              >
                                <source src={video().url} type={video().contentType} />
                                <a href={video().url}>Download the video</a>
                              </video>
                            )}
                          </Show>
                        </Show>
                        <For each={post().slides}>
                          {(slide) => (
                            <figure class="slide">
                              <Show
                                when={slide.imageUrl}
                                fallback={
                                  <div class="slide-text">
                                    <strong>{slide.heading}</strong>
                                    <p>{slide.body}</p>
                                  </div>
                                }
                              >
                                {(src) => (
                                  <img
                                    src={src()}
                                    alt={`Slide ${slide.position + 1}: ${slide.heading}`}
                                    width="270"
                                    height="480"
                                  />
                                )}
                              </Show>
                            </figure>
                          )}
                        </For>
                      </div>
                      <div class="phone-caption">
                        <Show
                          when={editing()}
                          fallback={
                            <>
                              <p data-testid="review-caption">{post().caption}</p>
                              <p class="hashtags" data-testid="review-hashtags">
                                {post().hashtags.join(' ')}
                              </p>
                            </>
                          }
                        >
                          <form
                            class="caption-editor"
                            aria-label="Edit caption and hashtags"
                            onSubmit={(event) => {
                              event.preventDefault();
                              void save();
                            }}
                            onKeyDown={(event) => {
                              if (event.key === 'Escape') stopEditing();
                            }}
                          >
                            <div class="field">
                              <label for="edit-caption">Caption</label>
                              <textarea
                                id="edit-caption"
                                ref={captionField}
                                class="input"
                                rows="5"
                                value={draftCaption()}
                                onInput={(event) => setDraftCaption(event.currentTarget.value)}
                              />
                            </div>
                            <div class="field">
                              <label for="edit-hashtags">Hashtags</label>
                              <input
                                id="edit-hashtags"
                                class="input"
                                value={draftHashtags()}
                                onInput={(event) => setDraftHashtags(event.currentTarget.value)}
                              />
                              <p class="hint">Separated by spaces.</p>
                            </div>
                            <Show when={conflict()}>
                              {(theirs) => (
                                <div class="conflict" role="alert" data-testid="edit-conflict">
                                  <p>
                                    <strong>Someone saved a newer version (version {theirs().version})</strong> while
                                    you were editing. Their text:
                                  </p>
                                  <blockquote>
                                    <p>{theirs().caption}</p>
                                    <p class="hashtags">{theirs().hashtags.join(' ')}</p>
                                  </blockquote>
                                  <div class="form-actions">
                                    <button type="button" class="button" onClick={useTheirs}>
                                      Use theirs
                                    </button>
                                    <button type="button" class="button primary" disabled={busy()} onClick={keepMine}>
                                      Keep mine (overwrite)
                                    </button>
                                  </div>
                                </div>
                              )}
                            </Show>
                            <Show when={saveProblem()}>
                              {(message) => (
                                <p class="problem-message" role="alert">
                                  {message()}
                                </p>
                              )}
                            </Show>
                            <Show when={!conflict()}>
                              <div class="form-actions">
                                <button type="button" class="button" onClick={stopEditing}>
                                  Cancel
                                </button>
                                <button type="submit" class="button primary" disabled={busy()}>
                                  Save
                                </button>
                              </div>
                            </Show>
                          </form>
                        </Show>
                        <p class="muted small num" classList={{ over: captionLength() > captionLimit }}>
                          {captionLength()} / {captionLimit} characters
                        </p>
                        <Show when={canEdit() && !editing()}>
                          <button type="button" class="button small" onClick={startEditing} aria-keyshortcuts="e">
                            Edit caption
                          </button>
                        </Show>
                      </div>
                    </section>
                    <div class="review-side">
                      <section class="decision card" aria-label="Decision">
                        <div class="progress-line">
                          <StateBadge state={post().status} />
                          <span data-testid="approvals-remaining">
                            {remaining() === 0
                              ? 'No more approvals needed'
                              : `${remaining()} of ${required()} approval${required() === 1 ? '' : 's'} remaining`}
                          </span>
                        </div>
                        <Show when={post().reviews.length > 0}>
                          <ul class="reviews">
                            <For each={post().reviews}>
                              {(review) => (
                                <li>
                                  <StateBadge state={review.decision} /> {review.reviewer?.name ?? 'A token'}
                                  <Show when={review.comment}>: “{review.comment}”</Show>
                                  <Show
                                    when={
                                      post().approvalsResetAt &&
                                      Date.parse(review.createdAt) <= Date.parse(post().approvalsResetAt!)
                                    }
                                  >
                                    <span class="muted small"> (on an earlier text)</span>
                                  </Show>
                                </li>
                              )}
                            </For>
                          </ul>
                        </Show>
                        <Show
                          when={canDecide()}
                          fallback={<p class="muted small">Reviewers approve or reject; you may correct the text.</p>}
                        >
                          <div class="field">
                            <label for="review-comment">Comment (optional)</label>
                            <textarea
                              id="review-comment"
                              ref={commentField}
                              class="input"
                              rows="3"
                              value={comment()}
                              onInput={(event) => setComment(event.currentTarget.value)}
                            />
                          </div>
                          <div class="form-actions">
                            <button
                              type="button"
                              class="button danger"
                              disabled={busy()}
                              onClick={() => void decide('reject')}
                              aria-keyshortcuts="r"
                            >
                              Reject
                            </button>
                            <button
                              type="button"
                              class="button primary"
                              disabled={busy()}
                              onClick={() => void decide('approve')}
                              aria-keyshortcuts="a"
                            >
                              Approve
                            </button>
                          </div>
                        </Show>
                      </section>
                      <Show when={post().videoReview}>
                        {(review) => <VideoReviewPanel postId={post().id} review={review()} onRequested={refetch} />}
                      </Show>
                    </div>
                  </>
                )}
              </Show>
            </div>
          </Show>
        </Show>
      </Show>
    </>
  );
}

const checkLabels: Record<string, string> = {
  HOOK: 'Hook',
  TEXT_LEGIBILITY: 'Text legibility',
  RISKY_CONTENT: 'Risky content',
  ASPECT_RATIO: 'Aspect ratio',
  DURATION: 'Duration',
  AUDIO: 'Audio',
};
const networkLabels: Record<string, string> = {
  TIKTOK: 'TikTok',
  INSTAGRAM: 'Instagram',
  FACEBOOK: 'Facebook',
  YOUTUBE: 'YouTube',
  TELEGRAM: 'Telegram',
  VK: 'VK',
};

/** 83 000 ms → "1:23": where in the video a finding is. */
function timestampOf(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
}

/**
 * The AI review of a video post, next to its preview: the checklist's findings in timestamp
 * order. The queue refetches on every change of the post, so a review finishing while the
 * screen is open shows here without a reload.
 */
function VideoReviewPanel(props: { postId: string; review: ReviewVideoReviewFragment; onRequested: () => void }) {
  const session = useSession();
  const [, request] = createMutation(RequestVideoReviewDocument);
  const [asking, setAsking] = createSignal(false);
  const counts = () => {
    const verdicts = props.review.findings.map((finding) => finding.verdict);
    return (['FAIL', 'WARN', 'PASS'] as const)
      .map((verdict) => [verdict, verdicts.filter((one) => one === verdict).length] as const)
      .filter(([, count]) => count > 0)
      .map(([verdict, count]) => `${count} ${verdict.toLowerCase()}`)
      .join(' · ');
  };
  const again = async () => {
    setAsking(true);
    const answer = await request({ postId: props.postId });
    setAsking(false);
    const outcome = outcomeOf(answer, answer.data?.requestVideoReview);
    if (!outcome.ok) return notify(outcome.problem.message, 'error');
    notify('Review requested; findings appear here as they arrive.');
    props.onRequested();
  };
  return (
    <section
      class="card video-review"
      aria-label="AI video review"
      data-review-id={props.review.id}
      data-review-status={props.review.status}
    >
      <div class="video-review-head">
        <h2 class="video-review-title">AI video review</h2>
        <StateBadge state={props.review.status} />
      </div>
      <Show when={props.review.status === 'RUNNING'}>
        <p class="muted small" role="status">
          Looking at the video… findings appear here when it is done.
        </p>
      </Show>
      <Show when={props.review.status === 'FAILED'}>
        <p class="problem-message" role="alert">
          The review failed: {props.review.failureReason ?? 'no reason was given'}
        </p>
      </Show>
      <Show when={props.review.status === 'DONE'}>
        <p class="muted small" data-testid="video-review-summary">
          {props.review.findings.length} findings{counts() ? `: ${counts()}` : ''}
        </p>
      </Show>
      <Show when={props.review.findings.length > 0}>
        <ol class="findings" aria-label="Findings">
          <For each={props.review.findings}>
            {(finding) => (
              <li class="finding" data-check={finding.check} data-verdict={finding.verdict}>
                <span class="finding-time num">
                  <span class="visually-hidden">at </span>
                  {timestampOf(finding.timestampMs)}
                </span>
                <span class="finding-check">
                  {checkLabels[finding.check] ?? finding.check}
                  <Show when={finding.network}>
                    {(network) => <span class="muted small"> · {networkLabels[network()] ?? network()}</span>}
                  </Show>
                </span>
                <StateBadge state={finding.verdict} />
                <p class="finding-note small">
                  {finding.note}
                  <span class="muted"> ({finding.source === 'AI' ? 'AI' : 'from the file'})</span>
                </p>
              </li>
            )}
          </For>
        </ol>
      </Show>
      <Show when={session.can('ai:use') && props.review.status !== 'RUNNING'}>
        <div class="form-actions">
          <button type="button" class="button small" disabled={asking()} onClick={() => void again()}>
            {asking() ? 'Requesting…' : 'Review again'}
          </button>
        </div>
      </Show>
    </section>
  );
}
