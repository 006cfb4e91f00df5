// Webhooks: the organization's endpoints, their status, the signing secret (shown once, on
// creation and rotation) and each endpoint's recent deliveries with every attempt. Offered only
// to roles with webhooks:write (owners and admins); the server refuses everyone else anyway.
import { createMutation } from '@urql/solid';
import { createSignal, For, onCleanup, Show } from 'solid-js';
import {
  ConfirmButton,
  createLiveQuery,
  DialogActions,
  Empty,
  Field,
  FormDialog,
  notify,
  notifyProblem,
  PageHeader,
  ProblemNotice,
  Skeleton,
  StateBadge,
  Time,
} from '../components/ui';
import { graphql } from '../gql';
import { outcomeOf, problemOf, type Problem } from '../lib/errors';
import { useSession } from '../session';
import './webhooks.css';

const EndpointsDocument = graphql(`
  query WebhookEndpoints($organizationId: ID!) {
    webhookEventTypes
    organization(id: $organizationId) {
      id
      webhookEndpoints(first: 100) {
        edges {
          node {
            id
            url
            description
            events
            enabled
            disabledAt
            disabledReason
            consecutiveFailures
            createdAt
          }
        }
      }
    }
  }
`);

const DeliveriesDocument = graphql(`
  query WebhookDeliveries($id: ID!) {
    node(id: $id) {
      id
      ... on WebhookEndpoint {
        deliveries(first: 20) {
          edges {
            node {
              id
              eventId
              eventType
              status
              createdAt
              deliveredAt
              nextAttemptAt
              attemptCount
              attempts {
                number
                statusCode
                durationMs
                error
                createdAt
              }
            }
          }
        }
      }
    }
  }
`);

const CreateDocument = graphql(`
  mutation CreateWebhookEndpoint($organizationId: ID!, $url: String!, $events: [String!]!, $description: String) {
    createWebhookEndpoint(organizationId: $organizationId, url: $url, events: $events, description: $description) {
      __typename
      ... on MutationCreateWebhookEndpointSuccess {
        data {
          secret
          endpoint {
            id
            url
          }
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const UpdateDocument = graphql(`
  mutation UpdateWebhookEndpoint($id: ID!, $enabled: Boolean) {
    updateWebhookEndpoint(id: $id, enabled: $enabled) {
      __typename
      ... on MutationUpdateWebhookEndpointSuccess {
        data {
          id
          enabled
          disabledAt
          disabledReason
          consecutiveFailures
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const RotateDocument = graphql(`
  mutation RotateWebhookEndpointSecret($id: ID!) {
    rotateWebhookEndpointSecret(id: $id) {
      __typename
      ... on MutationRotateWebhookEndpointSecretSuccess {
        data {
          secret
          endpoint {
            id
            url
          }
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const DeleteDocument = graphql(`
  mutation DeleteWebhookEndpoint($id: ID!) {
    deleteWebhookEndpoint(id: $id) {
      __typename
      ... on MutationDeleteWebhookEndpointSuccess {
        data
      }
      ... on Error {
        message
      }
    }
  }
`);

const RedeliverDocument = graphql(`
  mutation RedeliverWebhookDelivery($id: ID!) {
    redeliverWebhookDelivery(id: $id) {
      __typename
      ... on MutationRedeliverWebhookDeliverySuccess {
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

interface Endpoint {
  id: string;
  url: string;
  description: string;
  events: string[];
  enabled: boolean;
  disabledReason?: string | null;
  disabledAt?: string | null;
  consecutiveFailures: number;
  createdAt: string;
}

export default function Webhooks() {
  const session = useSession();
  const organizationId = () => session.organization()?.id ?? '';
  const manage = () => session.can('webhooks:write');

  const [endpoints, refetch] = createLiveQuery({
    query: EndpointsDocument,
    variables: () => ({ organizationId: organizationId() }),
    pause: () => !organizationId() || !manage(),
  });
  const [, update] = createMutation(UpdateDocument);
  const [, rotate] = createMutation(RotateDocument);
  const [, remove] = createMutation(DeleteDocument);

  const [secret, setSecret] = createSignal<{ url: string; secret: string; rotated: boolean } | null>(null);
  const rows = () => endpoints.data?.organization?.webhookEndpoints.edges.map((edge) => edge.node) ?? [];
  const eventTypes = () => endpoints.data?.webhookEventTypes ?? [];

  const onToggle = async (row: Endpoint) => {
    const answer = await update({ id: row.id, enabled: !row.enabled });
    const outcome = outcomeOf(answer, answer.data?.updateWebhookEndpoint);
    if (!outcome.ok) return notifyProblem(outcome.problem);
    notify(outcome.data.enabled ? `${row.url} enabled` : `${row.url} disabled`);
    refetch();
  };
  const onRotate = async (row: Endpoint) => {
    const answer = await rotate({ id: row.id });
    const outcome = outcomeOf(answer, answer.data?.rotateWebhookEndpointSecret);
    if (!outcome.ok) return notifyProblem(outcome.problem);
    setSecret({ url: outcome.data.endpoint.url, secret: outcome.data.secret, rotated: true });
  };
  const onDelete = async (row: Endpoint) => {
    const answer = await remove({ id: row.id });
    const outcome = outcomeOf(answer, answer.data?.deleteWebhookEndpoint);
    if (!outcome.ok) return notifyProblem(outcome.problem);
    notify(`${row.url} deleted`);
    if (secret()?.url === row.url) setSecret(null);
    refetch();
  };

  return (
    <>
      <PageHeader title="Webhooks">
        <Show when={manage() && endpoints.data}>
          <AddEndpoint
            organizationId={organizationId()}
            eventTypes={eventTypes()}
            onCreated={(url, value) => {
              setSecret({ url, secret: value, rotated: false });
              refetch();
            }}
          />
        </Show>
      </PageHeader>
      <Show when={manage()} fallback={<Empty title="Only owners and admins manage webhooks.">{null}</Empty>}>
        <Show when={secret()}>
          {(shown) => (
            <div class="banner webhook-secret" role="status">
              <p>
                <strong>Copy the signing secret for {shown().url} now.</strong> It is shown once.
                <Show when={shown().rotated}> The previous secret keeps signing beside it for 24 h.</Show>
              </p>
              <code data-testid="webhook-secret">{shown().secret}</code>
              <div class="form-actions">
                <button
                  type="button"
                  class="button"
                  onClick={() => void navigator.clipboard?.writeText(shown().secret).then(() => notify('Copied'))}
                >
                  Copy secret
                </button>
                <button type="button" class="button" onClick={() => setSecret(null)}>
                  Done
                </button>
              </div>
            </div>
          )}
        </Show>
        <Show
          when={!endpoints.error}
          fallback={<ProblemNotice problem={problemOf(endpoints.error!)} onRetry={refetch} />}
        >
          <Show when={endpoints.data} fallback={<Skeleton rows={3} label="Loading webhook endpoints" />}>
            <Show
              when={rows().length > 0}
              fallback={
                <Empty title="No webhook endpoints yet.">
                  <p class="muted">
                    Add one to have Pressroom POST signed events (a post approved, a publication published…) to your
                    systems.
                  </p>
                </Empty>
              }
            >
              <ul class="webhook-list" aria-label="Webhook endpoints">
                <For each={rows()}>
                  {(row) => (
                    <EndpointCard
                      row={row}
                      onToggle={() => void onToggle(row)}
                      onRotate={() => onRotate(row)}
                      onDelete={() => onDelete(row)}
                    />
                  )}
                </For>
              </ul>
            </Show>
          </Show>
        </Show>
      </Show>
    </>
  );
}

function EndpointCard(props: {
  row: Endpoint;
  onToggle: () => void;
  onRotate: () => Promise<void>;
  onDelete: () => Promise<void>;
}) {
  const [open, setOpen] = createSignal(false);
  const panelId = () => `deliveries-${props.row.id}`;
  return (
    <li class="card webhook-card" data-endpoint={props.row.url}>
      <div class="webhook-head">
        <div class="webhook-title">
          <code class="webhook-url">{props.row.url}</code>
          <Show when={props.row.description}>
            <span class="muted small">{props.row.description}</span>
          </Show>
        </div>
        <StateBadge state={props.row.enabled ? 'ENABLED' : 'DISABLED'} />
      </div>
      <Show when={!props.row.enabled && props.row.disabledReason}>
        <p class="webhook-reason small">
          Disabled <Time at={props.row.disabledAt} />: {props.row.disabledReason}
        </p>
      </Show>
      <p class="small webhook-events">
        <span class="muted">Events: </span>
        {props.row.events.join(', ')}
      </p>
      <Show when={props.row.consecutiveFailures > 0}>
        <p class="small muted">{props.row.consecutiveFailures} failed attempts in a row</p>
      </Show>
      <div class="webhook-actions">
        <button
          type="button"
          class="button"
          aria-expanded={open()}
          aria-controls={panelId()}
          onClick={() => setOpen(!open())}
        >
          {open() ? 'Hide deliveries' : 'Deliveries'}
        </button>
        <button type="button" class="button" onClick={() => props.onToggle()}>
          {props.row.enabled ? 'Disable' : 'Enable'}
        </button>
        <ConfirmButton
          label="Rotate secret"
          ariaLabel={`Rotate secret of ${props.row.url}`}
          title={`Rotate the signing secret of ${props.row.url}?`}
          description="A new secret is made and shown once; the old one keeps signing beside it for 24 hours, so update your receiver within that time."
          confirmLabel="Rotate"
          onConfirm={props.onRotate}
        />
        <ConfirmButton
          label="Delete"
          ariaLabel={`Delete ${props.row.url}`}
          title={`Delete ${props.row.url}?`}
          description="No more events are sent there and its delivery history is removed. This cannot be undone."
          confirmLabel="Delete endpoint"
          onConfirm={props.onDelete}
        />
      </div>
      <Show when={open()}>
        <Deliveries id={props.row.id} panelId={panelId()} url={props.row.url} />
      </Show>
    </li>
  );
}

function Deliveries(props: { id: string; panelId: string; url: string }) {
  const [deliveries, refetch] = createLiveQuery({
    query: DeliveriesDocument,
    variables: () => ({ id: props.id }),
  });
  const [, redeliver] = createMutation(RedeliverDocument);
  // Deliveries have no subscription: while the list is open it is read again every few
  // seconds, so a new event or a retry shows up without a click.
  const timer = setInterval(refetch, 4_000);
  onCleanup(() => clearInterval(timer));

  const rows = () => {
    const node = deliveries.data?.node;
    return node && 'deliveries' in node ? node.deliveries.edges.map((edge) => edge.node) : [];
  };
  const onRedeliver = async (id: string, eventType: string) => {
    const answer = await redeliver({ id });
    const outcome = outcomeOf(answer, answer.data?.redeliverWebhookDelivery);
    if (!outcome.ok) return notifyProblem(outcome.problem);
    notify(`${eventType} sent again`);
    refetch();
  };

  return (
    <section id={props.panelId} class="webhook-deliveries" aria-label={`Deliveries to ${props.url}`}>
      <div class="webhook-deliveries-head">
        <h3 class="section-title">Recent deliveries</h3>
        <button type="button" class="button" onClick={refetch}>
          Refresh
        </button>
      </div>
      <Show
        when={!deliveries.error}
        fallback={<ProblemNotice problem={problemOf(deliveries.error!)} onRetry={refetch} />}
      >
        <Show when={deliveries.data} fallback={<Skeleton rows={2} label="Loading deliveries" />}>
          <Show when={rows().length > 0} fallback={<p class="muted small">No deliveries yet.</p>}>
            <ul class="list" aria-label="Deliveries">
              <For each={rows()}>
                {(delivery) => (
                  <li class="webhook-delivery" data-delivery={delivery.eventType}>
                    <div class="webhook-delivery-head">
                      <code>{delivery.eventType}</code>
                      <StateBadge state={delivery.status} />
                      <span class="muted small">
                        <Time at={delivery.createdAt} />
                      </span>
                      <Show when={delivery.status === 'PENDING' && delivery.nextAttemptAt}>
                        <span class="muted small">
                          next attempt <Time at={delivery.nextAttemptAt} />
                        </span>
                      </Show>
                      <Show when={delivery.status !== 'PENDING'}>
                        <button
                          type="button"
                          class="button"
                          aria-label={`Redeliver ${delivery.eventType} ${delivery.eventId}`}
                          onClick={() => void onRedeliver(delivery.id, delivery.eventType)}
                        >
                          Redeliver
                        </button>
                      </Show>
                    </div>
                    <Show when={delivery.attempts.length > 0}>
                      <table class="table webhook-attempts" aria-label={`Attempts for ${delivery.eventId}`}>
                        <thead>
                          <tr>
                            <th scope="col">#</th>
                            <th scope="col">Status</th>
                            <th scope="col">Duration</th>
                            <th scope="col">Error</th>
                            <th scope="col">When</th>
                          </tr>
                        </thead>
                        <tbody>
                          <For each={delivery.attempts}>
                            {(attempt) => (
                              <tr>
                                <td class="num">{attempt.number}</td>
                                <td class="num" data-testid="attempt-status">
                                  {attempt.statusCode ?? 'no answer'}
                                </td>
                                <td class="num">{attempt.durationMs} ms</td>
                                <td class="webhook-error">{attempt.error ?? '—'}</td>
                                <td>
                                  <Time at={attempt.createdAt} />
                                </td>
                              </tr>
                            )}
                          </For>
                        </tbody>
                      </table>
                    </Show>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </Show>
      </Show>
    </section>
  );
}

function AddEndpoint(props: {
  organizationId: string;
  eventTypes: string[];
  onCreated: (url: string, secret: string) => void;
}) {
  const [open, setOpen] = createSignal(false);
  const [url, setUrl] = createSignal('');
  const [description, setDescription] = createSignal('');
  const [events, setEvents] = createSignal<string[]>([]);
  const [problem, setProblem] = createSignal<Problem | null>(null);
  const [creating, create] = createMutation(CreateDocument);

  const reset = () => {
    setUrl('');
    setDescription('');
    setEvents([]);
    setProblem(null);
  };
  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    setProblem(null);
    const answer = await create({
      organizationId: props.organizationId,
      url: url().trim(),
      events: events(),
      description: description().trim() || null,
    });
    const outcome = outcomeOf(answer, answer.data?.createWebhookEndpoint);
    // The server's typed refusal (an unsafe URL, an unknown event…) stays in the dialog beside
    // the fields, so it can be corrected there.
    if (!outcome.ok) return setProblem(outcome.problem);
    props.onCreated(outcome.data.endpoint.url, outcome.data.secret);
    setOpen(false);
    reset();
  };

  return (
    <FormDialog
      open={open()}
      onOpenChange={(isOpen) => {
        setOpen(isOpen);
        if (!isOpen) reset();
      }}
      trigger="Add endpoint"
      triggerClass="button primary"
      class="webhook-dialog"
      title="Add a webhook endpoint"
      description="Pressroom POSTs each chosen event there as JSON, signed with a secret shown once after you add it."
    >
      <form class="form" onSubmit={(event) => void onSubmit(event)}>
        <Field label="URL" for="webhook-url">
          <input
            id="webhook-url"
            class="input"
            type="text"
            inputmode="url"
            required
            placeholder="https://example.com/pressroom"
            value={url()}
            onInput={(event) => setUrl(event.currentTarget.value)}
          />
        </Field>
        <Field label="Description" for="webhook-description">
          <input
            id="webhook-description"
            class="input"
            value={description()}
            onInput={(event) => setDescription(event.currentTarget.value)}
          />
        </Field>
        <fieldset class="webhook-events-choice">
          <legend>Events</legend>
          <For each={props.eventTypes}>
            {(type) => (
              <label class="check">
                <input
                  type="checkbox"
                  checked={events().includes(type)}
                  onChange={(event) =>
                    setEvents(
                      event.currentTarget.checked ? [...events(), type] : events().filter((value) => value !== type),
                    )
                  }
                />
                <code>{type}</code>
              </label>
            )}
          </For>
        </fieldset>
        <Show when={problem()}>{(shown) => <ProblemNotice problem={shown()} />}</Show>
        <DialogActions submit="Add endpoint" disabled={creating.fetching || events().length === 0} />
      </form>
    </FormDialog>
  );
}
