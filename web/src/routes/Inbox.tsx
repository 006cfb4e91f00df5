// The in-app inbox: newest first, unread marked; new ones arrive live (notificationReceived).
import { A } from '@solidjs/router';
import { createMutation } from '@urql/solid';
import { For, Show } from 'solid-js';
import {
  createLiveQuery,
  Empty,
  notify,
  onLiveEvent,
  PageHeader,
  ProblemNotice,
  Skeleton,
  Time,
} from '../components/ui';
import { graphql } from '../gql';
import { outcomeOf, problemOf } from '../lib/errors';
import { useSession } from '../session';

const InboxDocument = graphql(`
  query Inbox {
    viewer {
      id
      notifications(first: 50) {
        totalCount
        edges {
          node {
            id
            kind
            subject
            body
            createdAt
            readAt
            organizationId
          }
        }
      }
    }
  }
`);

const InboxNotificationDocument = graphql(`
  subscription InboxNotification($organizationId: ID!) {
    notificationReceived(organizationId: $organizationId) {
      id
    }
  }
`);

const MarkReadDocument = graphql(`
  mutation MarkNotificationsRead($ids: [ID!]!) {
    markNotificationsRead(ids: $ids) {
      __typename
      ... on MutationMarkNotificationsReadSuccess {
        data
      }
      ... on Error {
        message
      }
    }
  }
`);

export default function Inbox() {
  const session = useSession();
  const organizationId = () => session.organization()?.id ?? '';
  const [result, refetch] = createLiveQuery({ query: InboxDocument });
  onLiveEvent(
    {
      query: InboxNotificationDocument,
      variables: () => ({ organizationId: organizationId() }),
      pause: () => !organizationId(),
    },
    refetch,
  );
  const notifications = () => result.data?.viewer?.notifications.edges.map((edge) => edge.node) ?? [];
  const unread = () => notifications().filter((notification) => !notification.readAt);

  const [marking, markRead] = createMutation(MarkReadDocument);
  const markAll = async () => {
    const answer = await markRead({ ids: unread().map((notification) => notification.id) });
    const outcome = outcomeOf(answer, answer.data?.markNotificationsRead);
    if (!outcome.ok) {
      notify(outcome.problem.message, 'error');
      return;
    }
    refetch();
  };

  return (
    <>
      <PageHeader title="Inbox">
        <Show when={unread().length > 0}>
          <button type="button" class="button" disabled={marking.fetching} onClick={() => void markAll()}>
            Mark all read
          </button>
        </Show>
      </PageHeader>
      <Show when={!result.error} fallback={<ProblemNotice problem={problemOf(result.error!)} onRetry={refetch} />}>
        <Show when={result.data} fallback={<Skeleton rows={5} label="Loading notifications" />}>
          <Show
            when={notifications().length > 0}
            fallback={
              <Empty title="Nothing here yet.">
                <p class="muted">
                  Batches ready for review, failed publications and revoked accounts are announced here.
                </p>
              </Empty>
            }
          >
            <ul class="inbox" aria-label="Notifications">
              <For each={notifications()}>
                {(notification) => (
                  <li class="inbox-item" classList={{ unread: !notification.readAt }} data-kind={notification.kind}>
                    <div class="inbox-line">
                      <Show when={!notification.readAt}>
                        <span class="unread-dot" aria-hidden="true" />
                        <span class="visually-hidden">Unread:</span>
                      </Show>
                      <strong>{notification.subject}</strong>
                      <span class="muted small">
                        <Time at={notification.createdAt} />
                      </span>
                    </div>
                    <p class="inbox-body">{notification.body}</p>
                    <Show when={notification.kind === 'contact.received'}>
                      <A href="/messages" class="small">
                        Open messages
                      </A>
                    </Show>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </Show>
      </Show>
    </>
  );
}
