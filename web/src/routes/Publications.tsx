// Publications: what is waiting, publishing, published or failed, filtered by state and
// account; each opens in a drawer with its attempts; retry and cancel where the role allows.
// States change in place as the worker moves them (publicationChanged).
import { useSearchParams } from '@solidjs/router';
import { createMutation } from '@urql/solid';
import { createEffect, createMemo, createSignal, For, on, Show } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import {
  ConfirmButton,
  createLiveQuery,
  Drawer,
  Empty,
  notify,
  notifyProblem,
  onLiveEvent,
  PageHeader,
  ProblemNotice,
  Skeleton,
  StateBadge,
  Time,
} from '../components/ui';
import { graphql } from '../gql';
import type { PublicationRowFragment, PublicationState } from '../gql/graphql';
import { outcomeOf, problemOf } from '../lib/errors';
import { useSession } from '../session';

graphql(`
  fragment PublicationRow on Publication {
    id
    state
    platform
    scheduledAt
    publishedAt
    failureReason
    failureCategory
    attemptCount
    platformUrl
    post {
      id
      title
      caption
    }
    socialAccount {
      id
      displayName
      username
    }
  }
`);

const PublicationsDocument = graphql(`
  query Publications($organizationId: ID!, $state: [PublicationState!], $socialAccountId: ID) {
    organization(id: $organizationId) {
      id
      publications(first: 50, state: $state, socialAccountId: $socialAccountId) {
        edges {
          node {
            ...PublicationRow
          }
        }
      }
      brands(first: 20) {
        edges {
          node {
            id
            socialAccounts {
              id
              displayName
              platform
            }
          }
        }
      }
    }
  }
`);

const PublicationAttemptsDocument = graphql(`
  query PublicationAttempts($id: ID!) {
    node(id: $id) {
      id
      ... on Publication {
        attempts {
          number
          step
          status
          responseCode
          failureReason
          failureCategory
          startedAt
          finishedAt
          triggeredBy {
            id
            name
          }
        }
      }
    }
  }
`);

const PublicationChangedDocument = graphql(`
  subscription PublicationChanged($organizationId: ID!) {
    publicationChanged(organizationId: $organizationId) {
      ...PublicationRow
    }
  }
`);

const RetryPublicationDocument = graphql(`
  mutation RetryPublication($id: ID!) {
    retryPublication(id: $id) {
      __typename
      ... on MutationRetryPublicationSuccess {
        data {
          ...PublicationRow
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const CancelPublicationDocument = graphql(`
  mutation CancelPublication($id: ID!) {
    cancelPublication(id: $id) {
      __typename
      ... on MutationCancelPublicationSuccess {
        data {
          ...PublicationRow
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const states: PublicationState[] = ['SCHEDULED', 'PUBLISHING', 'PUBLISHED', 'FAILED', 'CANCELLED'];

export default function Publications() {
  const session = useSession();
  const [params, setParams] = useSearchParams<{ state?: string; account?: string; open?: string }>();
  const organizationId = () => session.organization()?.id ?? '';
  const stateFilter = () =>
    states.includes(params.state as PublicationState) ? (params.state as PublicationState) : null;

  const [result, refetch] = createLiveQuery({
    query: PublicationsDocument,
    variables: () => ({
      organizationId: organizationId(),
      state: stateFilter() ? [stateFilter()!] : null,
      socialAccountId: params.account || null,
    }),
    pause: () => !organizationId(),
  });

  // Live changes land here by id, over what the last fetch said.
  const [live, setLive] = createStore<Record<string, PublicationRowFragment>>({});
  const [flashing, setFlashing] = createSignal<ReadonlySet<string>>(new Set());
  createEffect(
    on(
      () => result.data,
      () => setLive(reconcile({})),
    ),
  );
  onLiveEvent(
    {
      query: PublicationChangedDocument,
      variables: () => ({ organizationId: organizationId() }),
      pause: () => !organizationId(),
    },
    (event) => {
      const changed = event.publicationChanged;
      if (!changed) return;
      const listed = result.data?.organization?.publications.edges.some((edge) => edge.node.id === changed.id);
      if (!listed) {
        refetch();
        return;
      }
      setLive(changed.id, reconcile(structuredClone(changed)));
      if (changed.id === params.open) refetchAttempts();
      setFlashing((current) => new Set(current).add(changed.id));
      setTimeout(() => {
        setFlashing((current) => {
          const next = new Set(current);
          next.delete(changed.id);
          return next;
        });
      }, 1_500);
    },
  );

  const rows = createMemo(() =>
    (result.data?.organization?.publications.edges ?? [])
      .map((edge) => live[edge.node.id] ?? edge.node)
      .filter((row) => !stateFilter() || row.state === stateFilter()),
  );
  const accounts = () =>
    (result.data?.organization?.brands.edges ?? []).flatMap((edge) => edge.node.socialAccounts) ?? [];
  const opened = () => rows().find((row) => row.id === params.open) ?? null;
  // Attempts are read for the opened publication only (they are what makes a list expensive).
  const [attemptsResult, refetchAttempts] = createLiveQuery({
    query: PublicationAttemptsDocument,
    variables: () => ({ id: params.open ?? '' }),
    pause: () => !params.open,
  });
  const attempts = () => {
    const node = attemptsResult.data?.node;
    return node && 'attempts' in node ? node.attempts : null;
  };

  const [, retry] = createMutation(RetryPublicationDocument);
  const [, cancel] = createMutation(CancelPublicationDocument);
  const act = async (kind: 'retry' | 'cancel', id: string) => {
    const answer = kind === 'retry' ? await retry({ id }) : await cancel({ id });
    const union =
      answer.data && 'retryPublication' in answer.data
        ? answer.data.retryPublication
        : answer.data && 'cancelPublication' in answer.data
          ? answer.data.cancelPublication
          : undefined;
    const outcome = outcomeOf(answer, union);
    if (!outcome.ok) {
      notifyProblem(outcome.problem);
      return;
    }
    setLive(outcome.data.id, reconcile(outcome.data));
    notify(kind === 'retry' ? 'Retrying: a new attempt has started.' : 'Publication cancelled.');
  };

  return (
    <>
      <PageHeader title="Publications" />
      <div class="filters" role="group" aria-label="Filters">
        <div class="field inline">
          <label for="state-filter">State</label>
          <select
            id="state-filter"
            class="select"
            value={stateFilter() ?? ''}
            onChange={(event) => setParams({ state: event.currentTarget.value || undefined, open: undefined })}
          >
            <option value="">All states</option>
            <For each={states}>{(state) => <option value={state}>{state.toLowerCase()}</option>}</For>
          </select>
        </div>
        <div class="field inline">
          <label for="account-filter">Account</label>
          <select
            id="account-filter"
            class="select"
            value={params.account ?? ''}
            onChange={(event) => setParams({ account: event.currentTarget.value || undefined, open: undefined })}
          >
            <option value="">All accounts</option>
            <For each={accounts()}>
              {(account) => (
                <option value={account.id}>
                  {account.displayName} ({account.platform.toLowerCase()})
                </option>
              )}
            </For>
          </select>
        </div>
      </div>
      <Show when={!result.error} fallback={<ProblemNotice problem={problemOf(result.error!)} onRetry={refetch} />}>
        <Show when={result.data} fallback={<Skeleton rows={8} label="Loading publications" />}>
          <Show
            when={rows().length > 0}
            fallback={
              <Empty
                title={
                  stateFilter() || params.account ? 'No publications match these filters.' : 'Nothing scheduled yet.'
                }
              >
                <p class="muted">Approved posts you schedule appear here, with every attempt at publishing them.</p>
              </Empty>
            }
          >
            <table class="table responsive" aria-label="Publications">
              <thead>
                <tr>
                  <th scope="col">Post</th>
                  <th scope="col">State</th>
                  <th scope="col">Account</th>
                  <th scope="col">Scheduled</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                <For each={rows()}>
                  {(row) => (
                    <tr
                      data-publication={row.id}
                      data-post={row.post.id}
                      data-state={row.state}
                      classList={{ flash: flashing().has(row.id) }}
                    >
                      <td data-label="Post">
                        <button type="button" class="link-button" onClick={() => setParams({ open: row.id })}>
                          {row.post.title || row.post.caption.slice(0, 60) || 'Untitled post'}
                        </button>
                        <Show when={row.state === 'FAILED' && row.failureReason}>
                          <p class="row-note">{row.failureReason}</p>
                        </Show>
                      </td>
                      <td data-label="State">
                        <StateBadge state={row.state} />
                      </td>
                      <td data-label="Account">
                        <span>
                          {row.socialAccount.displayName} <span class="muted">{row.platform.toLowerCase()}</span>
                        </span>
                      </td>
                      <td data-label="Scheduled" class="num">
                        <Time at={row.scheduledAt} />
                      </td>
                      <td data-label="Attempts" class="num">
                        {row.attemptCount}
                      </td>
                      <td class="actions">
                        <Show when={row.state === 'FAILED' && session.can('publish:retry')}>
                          <button type="button" class="button small" onClick={() => void act('retry', row.id)}>
                            Retry
                          </button>
                        </Show>
                        <Show when={row.state === 'SCHEDULED' && session.can('posts:schedule')}>
                          <ConfirmButton
                            class="button small"
                            label="Cancel"
                            title="Cancel this publication?"
                            description={`It will not be published on ${row.socialAccount.displayName}. The post stays approved, so it can be scheduled again.`}
                            confirmLabel="Cancel publication"
                            onConfirm={() => act('cancel', row.id)}
                          />
                        </Show>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </Show>
        </Show>
      </Show>
      <Drawer
        item={opened()}
        onClose={() => setParams({ open: undefined })}
        title={(publication) => publication.post.title || 'Publication'}
      >
        {(publication) => (
          <>
            <dl class="facts">
              <dt>State</dt>
              <dd>
                <StateBadge state={publication().state} />
              </dd>
              <dt>Account</dt>
              <dd>{publication().socialAccount.displayName}</dd>
              <dt>Scheduled</dt>
              <dd>
                <Time at={publication().scheduledAt} />
              </dd>
              <dt>Published</dt>
              <dd>
                <Time at={publication().publishedAt} fallback="not yet" />
              </dd>
              <Show when={publication().failureReason}>
                <dt>Failure</dt>
                <dd>
                  {publication().failureReason}{' '}
                  <span class="muted">{publication().failureCategory?.toLowerCase()}</span>
                </dd>
              </Show>
              <Show when={publication().platformUrl}>
                {(url) => (
                  <>
                    <dt>On the platform</dt>
                    <dd>
                      <a href={url()} target="_blank" rel="noreferrer">
                        Open the post
                      </a>
                    </dd>
                  </>
                )}
              </Show>
            </dl>
            <h2 class="section-title">Attempts</h2>
            <Show
              when={!attemptsResult.error}
              fallback={<ProblemNotice problem={problemOf(attemptsResult.error!)} onRetry={refetchAttempts} />}
            >
              <Show when={attempts()} fallback={<Skeleton rows={2} label="Loading attempts" />}>
                {(list) => (
                  <Show
                    when={list().length > 0}
                    fallback={<p class="muted">No attempt yet: it starts at the scheduled time.</p>}
                  >
                    <ol class="attempts">
                      <For each={list()}>
                        {(attempt) => (
                          <li class="attempt">
                            <div class="attempt-head">
                              <strong>#{attempt.number}</strong>
                              <StateBadge state={attempt.status} />
                              <span class="muted">step {attempt.step.toLowerCase()}</span>
                              <Show when={attempt.responseCode}>
                                <span class="muted">HTTP {attempt.responseCode}</span>
                              </Show>
                            </div>
                            <Show when={attempt.failureReason}>
                              <p>
                                {attempt.failureReason}{' '}
                                <span class="muted">{attempt.failureCategory?.toLowerCase()}</span>
                              </p>
                            </Show>
                            <p class="muted small">
                              Started <Time at={attempt.startedAt} />
                              {attempt.triggeredBy ? ` by ${attempt.triggeredBy.name}` : ''}
                            </p>
                          </li>
                        )}
                      </For>
                    </ol>
                  </Show>
                )}
              </Show>
            </Show>
            <div class="drawer-actions">
              <Show when={publication().state === 'FAILED' && session.can('publish:retry')}>
                <button type="button" class="button primary" onClick={() => void act('retry', publication().id)}>
                  Retry now
                </button>
              </Show>
            </div>
          </>
        )}
      </Drawer>
    </>
  );
}
