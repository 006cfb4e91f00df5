// Bulk jobs: the organization's jobs with their status, and one job's screen: the preview of
// what will change, Run, then each item settling live (adsBulkJobChanged), failed items with
// TikTok's message, and "Retry failed" as one action.
import { A, useParams } from '@solidjs/router';
import { createMutation } from '@urql/solid';
import { createSignal, For, Show } from 'solid-js';
import {
  createLiveQuery,
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
import { outcomeOf, problemOf } from '../lib/errors';
import { formatMoney } from '../lib/money';
import { useSession } from '../session';
import { AdsNav } from './ads-shared';
import './ads.css';

const JobsDocument = graphql(`
  query AdsBulkJobs($organizationId: ID!, $after: String) {
    organization(id: $organizationId) {
      id
      adsBulkJobs(first: 25, after: $after) {
        edges {
          node {
            id
            action
            level
            status
            budget
            run
            createdAt
            finishedAt
            connection {
              id
              displayName
            }
            counts {
              total
              done
              failed
              skipped
              pending
            }
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);

const JobDocument = graphql(`
  query AdsBulkJob($id: ID!, $status: AdsBulkItemStatus, $after: String) {
    node(id: $id) {
      id
      ... on AdsBulkJob {
        action
        level
        status
        budget
        run
        createdAt
        startedAt
        finishedAt
        connection {
          id
          displayName
          advertisers {
            id
            platformAdvertiserId
            currency
          }
        }
        counts {
          total
          done
          failed
          skipped
          pending
        }
        items(first: 100, after: $after, status: $status) {
          edges {
            node {
              id
              name
              platformId
              platformAdvertiserId
              status
              previousStatus
              previousBudget
              message
              errorCode
              requestId
              run
              updatedAt
            }
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
      }
    }
  }
`);

const JobChangedDocument = graphql(`
  subscription AdsBulkJobChanged($id: ID!) {
    adsBulkJobChanged(id: $id) {
      id
      status
      run
      finishedAt
      counts {
        total
        done
        failed
        skipped
        pending
      }
    }
  }
`);

const RunJobDocument = graphql(`
  mutation RunAdsBulkJob($id: ID!) {
    runAdsBulkJob(id: $id) {
      __typename
      ... on MutationRunAdsBulkJobSuccess {
        data {
          id
          status
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const RetryJobDocument = graphql(`
  mutation RetryAdsBulkJobFailures($id: ID!) {
    retryAdsBulkJobFailures(id: $id) {
      __typename
      ... on MutationRetryAdsBulkJobFailuresSuccess {
        data {
          id
          status
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const levelWords: Record<string, string> = { CAMPAIGN: 'campaigns', ADGROUP: 'ad groups', AD: 'ads' };

function actionWords(action: string, budget: string | null | undefined): string {
  if (action === 'SET_BUDGET') return `Set budget to ${budget ?? '?'}`;
  return action === 'PAUSE' ? 'Pause' : 'Enable';
}

function statusWord(status: string): string {
  return status === 'ENABLE' ? 'enabled' : status === 'DISABLE' ? 'paused' : status.toLowerCase();
}

/** Refetches the list when a running job of it moves on. */
function JobListener(props: { id: string; onChange: () => void }) {
  onLiveEvent({ query: JobChangedDocument, variables: () => ({ id: props.id }) }, () => props.onChange());
  return null;
}

function Counts(props: { counts: { total: number; done: number; failed: number; skipped: number; pending: number } }) {
  return (
    <span class="job-counts num">
      <span>{props.counts.done} done</span>
      <span classList={{ 'count-failed': props.counts.failed > 0 }}>{props.counts.failed} failed</span>
      <span>{props.counts.skipped} skipped</span>
      <Show when={props.counts.pending > 0}>
        <span>{props.counts.pending} pending</span>
      </Show>
      <span class="muted">of {props.counts.total}</span>
    </span>
  );
}

export default function AdsJobs() {
  const session = useSession();
  const organizationId = () => session.organization()?.id ?? '';
  const [after, setAfter] = createSignal<string | null>(null);
  const [result, refetch] = createLiveQuery({
    query: JobsDocument,
    variables: () => ({ organizationId: organizationId(), after: after() }),
    pause: () => !organizationId() || !session.can('ads:bulk'),
  });
  const jobs = () => result.data?.organization?.adsBulkJobs.edges.map((edge) => edge.node) ?? [];
  const pageInfo = () => result.data?.organization?.adsBulkJobs.pageInfo;
  return (
    <>
      <PageHeader title="Bulk jobs">
        <Show when={session.can('ads:bulk')}>
          <A class="button primary" href="/ads/inventory">
            New bulk change
          </A>
        </Show>
      </PageHeader>
      <Show
        when={session.can('ads:bulk')}
        fallback={<Empty title="Your role does not include bulk changes of ads.">{null}</Empty>}
      >
        <AdsNav />
        <For each={jobs().filter((job) => job.status === 'RUNNING')}>
          {(job) => <JobListener id={job.id} onChange={refetch} />}
        </For>
        <Show when={!result.error} fallback={<ProblemNotice problem={problemOf(result.error!)} onRetry={refetch} />}>
          <Show when={result.data} fallback={<Skeleton rows={5} label="Loading bulk jobs" />}>
            <Show
              when={jobs().length > 0}
              fallback={
                <Empty title="No bulk jobs yet.">
                  <p class="muted">
                    Tick campaigns, ad groups or ads in the inventory to pause, enable or rebudget them at once.
                  </p>
                  <A class="button primary" href="/ads/inventory">
                    Open the inventory
                  </A>
                </Empty>
              }
            >
              <table class="table responsive" aria-label="Bulk jobs">
                <thead>
                  <tr>
                    <th scope="col">Change</th>
                    <th scope="col">Status</th>
                    <th scope="col">Items</th>
                    <th scope="col">Connection</th>
                    <th scope="col">Created</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={jobs()}>
                    {(job) => (
                      <tr data-job={job.id}>
                        <td>
                          <A href={`/ads/jobs/${job.id}`}>
                            {actionWords(job.action, job.budget)} · {job.counts.total} {levelWords[job.level]}
                          </A>
                        </td>
                        <td data-label="Status">
                          <StateBadge state={job.status} />
                        </td>
                        <td data-label="Items">
                          <Counts counts={job.counts} />
                        </td>
                        <td data-label="Connection">{job.connection.displayName}</td>
                        <td data-label="Created">
                          <Time at={job.createdAt} />
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
              <div class="pager">
                <Show when={after()}>
                  <button type="button" class="button" onClick={() => setAfter(null)}>
                    Newest
                  </button>
                </Show>
                <Show when={pageInfo()?.hasNextPage}>
                  <button type="button" class="button" onClick={() => setAfter(pageInfo()?.endCursor ?? null)}>
                    Older
                  </button>
                </Show>
              </div>
            </Show>
          </Show>
        </Show>
      </Show>
    </>
  );
}

export function AdsJob() {
  const session = useSession();
  const params = useParams();
  const [filter, setFilter] = createSignal<'' | 'PENDING' | 'DONE' | 'FAILED' | 'SKIPPED'>('');
  // Items 100 at a time (the api's page size): the cursors of the pages before this one.
  const [cursors, setCursors] = createSignal<string[]>([]);
  const after = () => cursors()[cursors().length - 1] ?? null;
  const [result, refetch] = createLiveQuery({
    query: JobDocument,
    variables: () => ({ id: params.id ?? '', status: filter() || null, after: after() }),
    pause: () => !params.id || !session.can('ads:read'),
  });
  // Each settled chunk: the items and counts are read again (one query, whatever the chunk size).
  onLiveEvent({ query: JobChangedDocument, variables: () => ({ id: params.id ?? '' }), pause: () => !params.id }, () =>
    refetch(),
  );
  const job = () => {
    const node = result.data?.node;
    return node && 'items' in node ? node : null;
  };
  const currencyOf = (platformAdvertiserId: string) =>
    job()?.connection.advertisers.find((a) => a.platformAdvertiserId === platformAdvertiserId)?.currency;
  const [runState, run] = createMutation(RunJobDocument);
  const [retryState, retry] = createMutation(RetryJobDocument);
  const doRun = async () => {
    const answer = await run({ id: params.id ?? '' });
    const outcome = outcomeOf(answer, answer.data?.runAdsBulkJob);
    if (!outcome.ok) return notifyProblem(outcome.problem);
    notify('Running: each item settles here as TikTok answers.');
    refetch();
  };
  const doRetry = async () => {
    const answer = await retry({ id: params.id ?? '' });
    const outcome = outcomeOf(answer, answer.data?.retryAdsBulkJobFailures);
    if (!outcome.ok) return notifyProblem(outcome.problem);
    notify('Sending the failed items again.');
    refetch();
  };
  const wanted = (item: { previousBudget?: string | null; platformAdvertiserId: string }) => {
    const current = job();
    if (!current) return '';
    if (current.action === 'SET_BUDGET')
      return `budget ${formatMoney(item.previousBudget, currencyOf(item.platformAdvertiserId))} → ${formatMoney(current.budget, currencyOf(item.platformAdvertiserId))}`;
    return current.action === 'PAUSE' ? 'paused' : 'enabled';
  };
  return (
    <>
      <PageHeader title="Bulk job">
        <Show when={session.can('ads:bulk') && job()?.status === 'PREVIEW'}>
          <button
            type="button"
            class="button primary"
            disabled={runState.fetching || (job()?.counts.pending ?? 0) === 0}
            onClick={() => void doRun()}
          >
            Run {job()?.counts.pending} changes
          </button>
        </Show>
        <Show when={session.can('ads:bulk') && job()?.status === 'PARTIALLY_FAILED'}>
          <button type="button" class="button primary" disabled={retryState.fetching} onClick={() => void doRetry()}>
            Retry {job()?.counts.failed} failed
          </button>
        </Show>
      </PageHeader>
      <Show when={session.can('ads:read')} fallback={<Empty title="Your role does not include ads.">{null}</Empty>}>
        <AdsNav />
        <Show when={!result.error} fallback={<ProblemNotice problem={problemOf(result.error!)} onRetry={refetch} />}>
          <Show when={result.data} fallback={<Skeleton rows={6} label="Loading the job" />}>
            <Show
              when={job()}
              fallback={
                <Empty title="No such job.">
                  <A class="button" href="/ads/jobs">
                    All bulk jobs
                  </A>
                </Empty>
              }
            >
              {(current) => (
                <>
                  <section class="card job-summary" aria-label="Summary">
                    <div class="job-summary-head">
                      <h2 class="section-title">
                        {actionWords(current().action, current().budget)} · {current().counts.total}{' '}
                        {levelWords[current().level]}
                      </h2>
                      <span data-testid="job-status">
                        <StateBadge state={current().status} />
                      </span>
                    </div>
                    <p role="status" data-testid="job-counts">
                      <Counts counts={current().counts} />
                    </p>
                    <Show when={current().status === 'PREVIEW'}>
                      <p class="muted">
                        Nothing has been sent to TikTok yet. {current().counts.pending} will change;{' '}
                        {current().counts.skipped} are skipped (already so, or deleted).
                      </p>
                    </Show>
                    <Show when={current().status === 'RUNNING'}>
                      <progress
                        max={current().counts.total}
                        value={current().counts.total - current().counts.pending}
                        aria-label="Items settled"
                      />
                    </Show>
                    <dl class="facts">
                      <dt>Connection</dt>
                      <dd>{current().connection.displayName}</dd>
                      <dt>Run</dt>
                      <dd class="num">{current().run}</dd>
                      <dt>Created</dt>
                      <dd>
                        <Time at={current().createdAt} />
                      </dd>
                      <dt>Finished</dt>
                      <dd>
                        <Time at={current().finishedAt} fallback="not yet" />
                      </dd>
                    </dl>
                  </section>
                  <div class="filters" role="group" aria-label="Show items">
                    <label class="bulk-field">
                      <span>Show</span>
                      <select
                        class="select"
                        value={filter()}
                        onChange={(event) => {
                          setCursors([]);
                          setFilter(event.currentTarget.value as '' | 'FAILED');
                        }}
                      >
                        <option value="">All items</option>
                        <option value="PENDING">Pending</option>
                        <option value="DONE">Done</option>
                        <option value="FAILED">Failed</option>
                        <option value="SKIPPED">Skipped</option>
                      </select>
                    </label>
                  </div>
                  <Show
                    when={current().items.edges.length > 0}
                    fallback={<Empty title="No items with this status.">{null}</Empty>}
                  >
                    <table class="table responsive job-items" aria-label="Items">
                      <thead>
                        <tr>
                          <th scope="col">Object</th>
                          <th scope="col">Result</th>
                          <th scope="col">Was</th>
                          <th scope="col">Becomes</th>
                          <th scope="col">Message</th>
                        </tr>
                      </thead>
                      <tbody>
                        <For each={current().items.edges.map((edge) => edge.node)}>
                          {(item) => (
                            <tr data-item={item.name} data-status={item.status}>
                              <td>
                                {item.name} <span class="muted small">{item.platformId}</span>
                              </td>
                              <td data-label="Result">
                                <StateBadge state={item.status} />
                              </td>
                              <td data-label="Was">
                                {current().action === 'SET_BUDGET'
                                  ? formatMoney(item.previousBudget, currencyOf(item.platformAdvertiserId))
                                  : statusWord(item.previousStatus)}
                              </td>
                              <td data-label="Becomes">
                                {item.status === 'SKIPPED'
                                  ? '—'
                                  : item.status === 'FAILED'
                                    ? 'unchanged'
                                    : wanted(item)}
                              </td>
                              <td data-label="Message" class="item-message">
                                <span>
                                  <Show when={item.message} fallback={<span class="muted">—</span>}>
                                    {item.message}
                                  </Show>
                                  <Show when={item.status === 'FAILED' && (item.errorCode || item.requestId)}>
                                    <span class="muted small request-id">
                                      {' '}
                                      {item.errorCode ? `code ${item.errorCode}` : ''}
                                      {item.requestId ? ` request ${item.requestId}` : ''}
                                    </span>
                                  </Show>
                                </span>
                              </td>
                            </tr>
                          )}
                        </For>
                      </tbody>
                    </table>
                    <div class="pager">
                      <Show when={cursors().length > 0}>
                        <button type="button" class="button" onClick={() => setCursors(cursors().slice(0, -1))}>
                          Previous 100
                        </button>
                      </Show>
                      <Show when={current().items.pageInfo.hasNextPage && current().items.pageInfo.endCursor}>
                        <button
                          type="button"
                          class="button"
                          onClick={() => setCursors([...cursors(), current().items.pageInfo.endCursor!])}
                        >
                          Next 100
                        </button>
                      </Show>
                    </div>
                  </Show>
                </>
              )}
            </Show>
          </Show>
        </Show>
      </Show>
    </>
  );
}
