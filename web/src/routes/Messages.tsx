// Messages: what people sent through the organization's public contact form, newest first,
// filtered by status, each marked answered, spam or new again. New messages appear without a
// reload: each one notifies the organization's operators in the app, and that notification
// reads the list again. Owners and admins only (org:manage), as the server requires.
import { useSearchParams } from '@solidjs/router';
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
import type { ContactKind, ContactStatus } from '../gql/graphql';
import { outcomeOf, problemOf } from '../lib/errors';
import { useSession } from '../session';
import './messages.css';

const pageSize = 25;

const MessagesDocument = graphql(`
  query ContactMessages($organizationId: ID!, $status: ContactStatus, $first: Int!) {
    organization(id: $organizationId) {
      id
      contactFormUrl
      contactSubmissions(status: $status, first: $first) {
        pageInfo {
          hasNextPage
        }
        edges {
          node {
            id
            name
            contact
            contactKind
            category
            message
            ip
            userAgent
            createdAt
            status
          }
        }
      }
    }
  }
`);

const MessageNotificationDocument = graphql(`
  subscription MessageNotification($organizationId: ID!) {
    notificationReceived(organizationId: $organizationId) {
      id
      kind
    }
  }
`);

const SetStatusDocument = graphql(`
  mutation SetContactSubmissionStatus($id: ID!, $status: ContactStatus!) {
    setContactSubmissionStatus(id: $id, status: $status) {
      __typename
      ... on MutationSetContactSubmissionStatusSuccess {
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

const views: Array<{ value: ContactStatus | ''; label: string }> = [
  { value: 'NEW', label: 'New' },
  { value: 'ANSWERED', label: 'Answered' },
  { value: 'SPAM', label: 'Spam' },
  { value: '', label: 'All' },
];

/** Where a reply goes: a mail, a Telegram chat or a call, by what the sender left. */
function contactHref(kind: ContactKind, contact: string): string {
  if (kind === 'EMAIL') return `mailto:${contact}`;
  if (kind === 'TELEGRAM') return `https://t.me/${contact.replace(/^@/, '')}`;
  return `tel:${contact.replace(/[^\d+]/g, '')}`;
}

const kindLabel: Record<ContactKind, string> = { EMAIL: 'Email', TELEGRAM: 'Telegram', PHONE: 'Phone' };

export default function Messages() {
  const session = useSession();
  const [params, setParams] = useSearchParams<{ status?: string }>();
  const organizationId = () => session.organization()?.id ?? '';
  const manage = () => session.can('org:manage');
  // No parameter is the inbox proper (New); `all` lists every status.
  const status = (): ContactStatus | '' =>
    params.status === 'all' ? '' : ((params.status?.toUpperCase() as ContactStatus | undefined) ?? 'NEW');
  const [pages, setPages] = createSignal(1);

  const [messages, refetch] = createLiveQuery({
    query: MessagesDocument,
    variables: () => ({ organizationId: organizationId(), status: status() || null, first: pages() * pageSize }),
    pause: () => !organizationId() || !manage(),
  });
  onLiveEvent(
    {
      query: MessageNotificationDocument,
      variables: () => ({ organizationId: organizationId() }),
      pause: () => !organizationId() || !manage(),
    },
    (data) => {
      if (data.notificationReceived?.kind === 'contact.received') refetch();
    },
  );
  const [, setStatus] = createMutation(SetStatusDocument);
  const rows = () => messages.data?.organization?.contactSubmissions.edges.map((edge) => edge.node) ?? [];

  const mark = async (id: string, name: string, next: ContactStatus) => {
    const answer = await setStatus({ id, status: next });
    const outcome = outcomeOf(answer, answer.data?.setContactSubmissionStatus);
    if (!outcome.ok) return notifyProblem(outcome.problem);
    notify(`${name}'s message marked ${next.toLowerCase()}`);
    refetch();
  };

  return (
    <>
      <PageHeader title="Messages" />
      <Show
        when={manage()}
        fallback={<Empty title="Only owners and admins read the contact form's messages.">{null}</Empty>}
      >
        <Show when={messages.data?.organization?.contactFormUrl}>
          {(url) => (
            <p class="muted small messages-form">
              Your public contact form: <a href={url()}>{url()}</a> — embed it in an iframe on your site.
            </p>
          )}
        </Show>
        <div class="messages-views" role="group" aria-label="Show messages">
          <For each={views}>
            {(view) => (
              <button
                type="button"
                class="button"
                aria-pressed={status() === view.value}
                onClick={() => {
                  setPages(1);
                  setParams({
                    status: view.value === 'NEW' ? undefined : view.value === '' ? 'all' : view.value.toLowerCase(),
                  });
                }}
              >
                {view.label}
              </button>
            )}
          </For>
        </div>
        <Show
          when={!messages.error}
          fallback={<ProblemNotice problem={problemOf(messages.error!)} onRetry={refetch} />}
        >
          <Show when={messages.data} fallback={<Skeleton rows={3} label="Loading messages" />}>
            <Show
              when={rows().length > 0}
              fallback={
                <Empty title={status() === 'NEW' ? 'No new messages.' : 'No messages here.'}>
                  <p class="muted">What people send through your contact form appears here as it arrives.</p>
                </Empty>
              }
            >
              <ul class="messages" aria-label="Messages">
                <For each={rows()}>
                  {(row) => (
                    <li class="card message" data-message={row.name}>
                      <div class="message-head">
                        <strong>{row.name}</strong>
                        <span class="muted small">{row.category}</span>
                        <StateBadge state={row.status} />
                        <span class="muted small message-time">
                          <Time at={row.createdAt} />
                        </span>
                      </div>
                      <p class="small">
                        <span class="muted">{kindLabel[row.contactKind]}: </span>
                        <a href={contactHref(row.contactKind, row.contact)}>{row.contact}</a>
                      </p>
                      <p class="message-body">{row.message}</p>
                      <p class="muted small message-origin">
                        From {row.ip || 'an unknown address'} · {row.userAgent || 'no user agent'}
                      </p>
                      <div class="message-actions">
                        <Show when={row.status !== 'ANSWERED'}>
                          <button
                            type="button"
                            class="button small"
                            aria-label={`Mark answered: the message from ${row.name}`}
                            onClick={() => void mark(row.id, row.name, 'ANSWERED')}
                          >
                            Mark answered
                          </button>
                        </Show>
                        <Show when={row.status !== 'SPAM'}>
                          <button
                            type="button"
                            class="button small"
                            aria-label={`Spam: the message from ${row.name}`}
                            onClick={() => void mark(row.id, row.name, 'SPAM')}
                          >
                            Spam
                          </button>
                        </Show>
                        <Show when={row.status !== 'NEW'}>
                          <button
                            type="button"
                            class="button small"
                            aria-label={`Back to new: the message from ${row.name}`}
                            onClick={() => void mark(row.id, row.name, 'NEW')}
                          >
                            Back to new
                          </button>
                        </Show>
                      </div>
                    </li>
                  )}
                </For>
              </ul>
              <Show when={messages.data?.organization?.contactSubmissions.pageInfo.hasNextPage}>
                <button type="button" class="button" onClick={() => setPages(pages() + 1)}>
                  Show more
                </button>
              </Show>
            </Show>
          </Show>
        </Show>
      </Show>
    </>
  );
}
