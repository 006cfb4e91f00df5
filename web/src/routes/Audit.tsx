// The audit log: every change, newest first, filtered by action, person and time; new events
// arrive live (auditRecorded); the same filter downloads as CSV (auditLogCsv).
import { A } from '@solidjs/router';
import { useClient } from '@urql/solid';
import { createMemo, createSignal, For, Show } from 'solid-js';
import {
  createLiveQuery,
  DateRangeFields,
  Empty,
  notifyProblem,
  onLiveEvent,
  PageHeader,
  ProblemNotice,
  Skeleton,
  Time,
} from '../components/ui';
import { graphql } from '../gql';
import type { AuditEventFilter } from '../gql/graphql';
import { problemOf } from '../lib/errors';
import { useSession } from '../session';
import './audit.css';

const AuditDocument = graphql(`
  query AuditLog($organizationId: ID!, $filter: AuditEventFilter, $first: Int!) {
    organization(id: $organizationId) {
      id
      members(first: 100) {
        edges {
          node {
            id
            user {
              id
              name
              email
            }
          }
        }
      }
      auditEvents(first: $first, filter: $filter) {
        pageInfo {
          hasNextPage
        }
        edges {
          node {
            id
            action
            createdAt
            actor
            targetType
            targetId
            requestId
            ip
            metadata
          }
        }
      }
    }
  }
`);

const AuditCsvDocument = graphql(`
  query AuditLogCsv($organizationId: ID!, $filter: AuditEventFilter) {
    auditLogCsv(organizationId: $organizationId, filter: $filter)
  }
`);

const AuditRecordedDocument = graphql(`
  subscription AuditRecorded($organizationId: ID!) {
    auditRecorded(organizationId: $organizationId) {
      id
    }
  }
`);

const pageSize = 50;

export default function Audit() {
  const session = useSession();
  const client = useClient();
  const organizationId = () => session.organization()?.id ?? '';
  const [actions, setActions] = createSignal('');
  const [actor, setActor] = createSignal('');
  const [since, setSince] = createSignal('');
  const [until, setUntil] = createSignal('');
  const [first, setFirst] = createSignal(pageSize);

  /** The filter as the api takes it; dates are whole days in the viewer's zone. */
  const filter = createMemo((): AuditEventFilter => {
    const list = actions()
      .split(',')
      .map((action) => action.trim())
      .filter(Boolean);
    return {
      ...(list.length ? { actions: list } : {}),
      ...(actor() ? { actor: actor() } : {}),
      ...(since() ? { since: new Date(`${since()}T00:00:00`).toISOString() } : {}),
      ...(until() ? { until: new Date(`${until()}T23:59:59.999`).toISOString() } : {}),
    };
  });
  const [result, refetch] = createLiveQuery({
    query: AuditDocument,
    variables: () => ({ organizationId: organizationId(), filter: filter(), first: first() }),
    pause: () => !organizationId() || !session.can('audit:read'),
  });
  onLiveEvent(
    {
      query: AuditRecordedDocument,
      variables: () => ({ organizationId: organizationId() }),
      pause: () => !organizationId() || !session.can('audit:read'),
    },
    refetch,
  );

  const people = () => result.data?.organization?.members.edges.map((edge) => edge.node.user) ?? [];
  const nameOf = (id: string | null | undefined) => {
    if (!id) return 'System';
    const person = people().find((user) => user.id === id);
    return person ? person.name || person.email : 'API token';
  };
  const events = () => result.data?.organization?.auditEvents.edges.map((edge) => edge.node) ?? [];
  const filtered = () => Object.keys(filter()).length > 0;

  const [downloading, setDownloading] = createSignal(false);
  const download = async () => {
    setDownloading(true);
    const answer = await client
      .query(
        AuditCsvDocument,
        { organizationId: organizationId(), filter: filter() },
        { requestPolicy: 'network-only' },
      )
      .toPromise();
    setDownloading(false);
    if (answer.error || answer.data?.auditLogCsv == null) {
      const problem = answer.error ? problemOf(answer.error) : { message: 'The server sent no CSV.' };
      notifyProblem(problem);
      return;
    }
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([answer.data.auditLogCsv], { type: 'text/csv' }));
    link.download = `audit-log-${new Date().toISOString().slice(0, 10)}.csv`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  };
  const clear = () => {
    setActions('');
    setActor('');
    setSince('');
    setUntil('');
  };

  return (
    <>
      <PageHeader title="Audit log">
        <Show when={session.can('audit:read')}>
          <button type="button" class="button" disabled={downloading()} onClick={() => void download()}>
            {downloading() ? 'Preparing CSV…' : 'Download CSV'}
          </button>
        </Show>
      </PageHeader>
      <Show
        when={session.can('audit:read')}
        fallback={
          <Empty title="Your role cannot read the audit log.">
            <A href="/">Back home</A>
          </Empty>
        }
      >
        <form
          class="filters audit-filters"
          aria-label="Filter the audit log"
          onSubmit={(event) => event.preventDefault()}
        >
          <label class="filter-field">
            <span>Actions</span>
            <input
              class="input"
              type="search"
              placeholder="post.approve, member.invite"
              value={actions()}
              onChange={(event) => setActions(event.currentTarget.value)}
            />
          </label>
          <label class="filter-field">
            <span>Person</span>
            <select class="select" value={actor()} onChange={(event) => setActor(event.currentTarget.value)}>
              <option value="">Anyone</option>
              <For each={people()}>{(person) => <option value={person.id}>{person.name || person.email}</option>}</For>
            </select>
          </label>
          <DateRangeFields class="filter-field" from={since()} to={until()} onFrom={setSince} onTo={setUntil} />
          <Show when={filtered()}>
            <button type="button" class="button" onClick={clear}>
              Clear filters
            </button>
          </Show>
        </form>
        <Show when={!result.error} fallback={<ProblemNotice problem={problemOf(result.error!)} onRetry={refetch} />}>
          <Show when={result.data} fallback={<Skeleton rows={8} label="Loading the audit log" />}>
            <Show
              when={events().length > 0}
              fallback={
                <Empty title={filtered() ? 'No events match these filters.' : 'Nothing has been recorded yet.'}>
                  <Show
                    when={filtered()}
                    fallback={
                      <p class="muted">Approvals, schedules, invites and settings changes are recorded here.</p>
                    }
                  >
                    <button type="button" class="button" onClick={clear}>
                      Clear filters
                    </button>
                  </Show>
                </Empty>
              }
            >
              <table class="table responsive audit-table" aria-label="Audit events">
                <thead>
                  <tr>
                    <th scope="col">Action</th>
                    <th scope="col">When</th>
                    <th scope="col">Who</th>
                    <th scope="col">Target</th>
                    <th scope="col">Request id</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={events()}>
                    {(event) => (
                      <tr data-action={event.action}>
                        <td>
                          <code>{event.action}</code>
                        </td>
                        <td data-label="When">
                          <Time at={event.createdAt} />
                        </td>
                        <td data-label="Who">{nameOf(event.actor)}</td>
                        <td data-label="Target">{event.targetType ?? '—'}</td>
                        <td data-label="Request id" class="audit-request">
                          <Show when={event.requestId} fallback={<span class="muted">—</span>}>
                            <code>{event.requestId}</code>
                          </Show>
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
              <Show when={result.data?.organization?.auditEvents.pageInfo.hasNextPage}>
                <div class="load-more">
                  <button type="button" class="button" onClick={() => setFirst(first() + pageSize)}>
                    Show {pageSize} more
                  </button>
                </div>
              </Show>
            </Show>
          </Show>
        </Show>
      </Show>
    </>
  );
}
