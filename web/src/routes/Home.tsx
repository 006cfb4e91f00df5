// What is waiting for the viewer today: posts to review, approved posts to schedule, what
// failed, and what goes out next.
import { A } from '@solidjs/router';
import { createMutation } from '@urql/solid';
import { createSignal, For, Show } from 'solid-js';
import {
  createLiveQuery,
  Empty,
  notify,
  PageHeader,
  ProblemNotice,
  Skeleton,
  StateBadge,
  Time,
} from '../components/ui';
import { graphql } from '../gql';
import { outcomeOf, problemOf } from '../lib/errors';
import { toLocalInput } from '../lib/time';
import { textOf } from '../lib/forms';
import { useSession } from '../session';

const HomeDocument = graphql(`
  query Home($organizationId: ID!, $brandId: ID!) {
    organization(id: $organizationId) {
      id
      inReview: posts(brandId: $brandId, status: [IN_REVIEW], first: 1) {
        totalCount
      }
      approved: posts(brandId: $brandId, status: [APPROVED], first: 20) {
        edges {
          node {
            id
            title
            caption
            slides {
              position
              heading
            }
          }
        }
      }
      failed: publications(state: [FAILED], first: 1) {
        totalCount
      }
      upcoming: publications(state: [SCHEDULED, PUBLISHING], first: 5) {
        totalCount
        edges {
          node {
            id
            state
            scheduledAt
            post {
              id
              title
              caption
            }
            socialAccount {
              id
              displayName
            }
          }
        }
      }
    }
  }
`);

const SchedulePostDocument = graphql(`
  mutation SchedulePost($id: ID!, $scheduledAt: DateTime!) {
    schedulePost(id: $id, scheduledAt: $scheduledAt) {
      __typename
      ... on MutationSchedulePostSuccess {
        data {
          id
          status
          scheduledAt
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

export default function Home() {
  const session = useSession();
  const organizationId = () => session.organization()?.id ?? '';
  const brandId = () => session.brand()?.id ?? '';
  const [result, refetch] = createLiveQuery({
    query: HomeDocument,
    variables: () => ({ organizationId: organizationId(), brandId: brandId() }),
    pause: () => !organizationId() || !brandId(),
  });
  const organization = () => result.data?.organization;
  const [, schedule] = createMutation(SchedulePostDocument);
  const [scheduling, setScheduling] = createSignal<string | null>(null);

  const submitSchedule = async (event: SubmitEvent, postId: string) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    // "Publish now" is a schedule a few seconds ahead: the api refuses times in the past.
    const now = (event.submitter as HTMLButtonElement | null)?.value === 'now';
    const at = now ? new Date(Date.now() + 5_000) : new Date(textOf(form, 'at'));
    setScheduling(postId);
    const answer = await schedule({ id: postId, scheduledAt: at.toISOString() });
    setScheduling(null);
    const outcome = outcomeOf(answer, answer.data?.schedulePost);
    if (!outcome.ok) {
      notify(outcome.problem.message, 'error');
      return;
    }
    notify('Scheduled.');
    refetch();
  };

  const title = (post: { title: string; caption: string; slides?: Array<{ heading: string }> }) =>
    post.title || post.slides?.[0]?.heading || post.caption.slice(0, 60) || 'Untitled post';

  return (
    <>
      <PageHeader title="Home">
        <Show when={session.can('posts:write')}>
          <A href="/batches/new" class="button primary">
            New batch
          </A>
        </Show>
      </PageHeader>
      <Show when={brandId()} fallback={<Empty title="This organization has no brand yet." />}>
        <Show when={!result.error} fallback={<ProblemNotice problem={problemOf(result.error!)} onRetry={refetch} />}>
          <Show when={organization()} fallback={<Skeleton rows={6} label="Loading your day" />}>
            {(org) => (
              <div class="home">
                <div class="stats">
                  <A href="/review" class="stat">
                    <span class="stat-value num">{org().inReview.totalCount}</span>
                    <span class="stat-label">waiting for review</span>
                  </A>
                  <A href="/publications?state=FAILED" class="stat">
                    <span class="stat-value num">{org().failed.totalCount}</span>
                    <span class="stat-label">failed publications</span>
                  </A>
                  <A href="/publications?state=SCHEDULED" class="stat">
                    <span class="stat-value num">{org().upcoming.totalCount}</span>
                    <span class="stat-label">going out next</span>
                  </A>
                </div>
                <Show when={session.can('posts:schedule')}>
                  <section class="card" aria-labelledby="to-schedule">
                    <h2 id="to-schedule" class="section-title">
                      Approved, ready to schedule
                    </h2>
                    <Show
                      when={org().approved.edges.length > 0}
                      fallback={<p class="muted">Nothing approved is waiting. Approved posts appear here.</p>}
                    >
                      <ul class="list">
                        <For each={org().approved.edges}>
                          {(edge) => (
                            <li class="list-row" data-post={edge.node.id}>
                              <span class="list-title">{title(edge.node)}</span>
                              <form class="inline-form" onSubmit={(event) => void submitSchedule(event, edge.node.id)}>
                                <label class="visually-hidden" for={`at-${edge.node.id}`}>
                                  Publish at
                                </label>
                                <input
                                  id={`at-${edge.node.id}`}
                                  name="at"
                                  type="datetime-local"
                                  class="input"
                                  required
                                  value={toLocalInput(new Date(Date.now() + 3_600_000))}
                                />
                                <button
                                  type="submit"
                                  name="when"
                                  value="at"
                                  class="button small"
                                  disabled={scheduling() === edge.node.id}
                                >
                                  Schedule
                                </button>
                                <button
                                  type="submit"
                                  name="when"
                                  value="now"
                                  class="button small"
                                  formnovalidate
                                  disabled={scheduling() === edge.node.id}
                                >
                                  Publish now
                                </button>
                              </form>
                            </li>
                          )}
                        </For>
                      </ul>
                    </Show>
                  </section>
                </Show>
                <section class="card" aria-labelledby="going-out">
                  <h2 id="going-out" class="section-title">
                    Going out next
                  </h2>
                  <Show when={org().upcoming.edges.length > 0} fallback={<p class="muted">Nothing is scheduled.</p>}>
                    <ul class="list">
                      <For each={org().upcoming.edges}>
                        {(edge) => (
                          <li class="list-row">
                            <span class="list-title">{title(edge.node.post)}</span>
                            <span class="muted">{edge.node.socialAccount.displayName}</span>
                            <StateBadge state={edge.node.state} />
                            <Time at={edge.node.scheduledAt} />
                          </li>
                        )}
                      </For>
                    </ul>
                  </Show>
                </section>
              </div>
            )}
          </Show>
        </Show>
      </Show>
    </>
  );
}
