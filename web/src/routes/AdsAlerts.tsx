// Ads alerts: the organization's rules (spend or cost per conversion above a threshold, an ad
// rejected, a connection broken) with who is told and how, and the recent alert events with
// each delivery's channel, status and the provider's reference. New events arrive live
// (adsAlertFired), and so does each delivery as it is sent, fails or is left for another try
// (adsAlertEventChanged): both carry the event as it now stands, which replaces the one shown,
// so nothing is read again. Only those with ads:alerts are offered to create, edit or delete a rule.
import { Dialog } from '@kobalte/core/dialog';
import { createMutation } from '@urql/solid';
import { createSignal, For, Show } from 'solid-js';
import {
  ConfirmButton,
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
import type { AdsAlertEventFieldsFragment, AdsAlertKind, AlertChannel } from '../gql/graphql';
import { problemOf, type Problem } from '../lib/errors';
import { useSession } from '../session';
import { AdsConnectionsDocument, AdsNav } from './ads-shared';
import './ads.css';

const AlertRulesDocument = graphql(`
  query AdsAlertRules($organizationId: ID!) {
    organization(id: $organizationId) {
      id
      adsAlertRules {
        id
        name
        kind
        threshold
        advertisers {
          id
          name
          currency
        }
        channels
        emailRecipients
        telegramChatId
        enabled
        createdAt
        lastFiredAt
      }
    }
  }
`);

const AlertEventsDocument = graphql(`
  query AdsAlertEvents($organizationId: ID!, $first: Int!) {
    organization(id: $organizationId) {
      id
      adsAlertEvents(first: $first) {
        edges {
          node {
            ...AdsAlertEventFields
          }
        }
      }
    }
  }
  fragment AdsAlertEventFields on AdsAlertEvent {
    id
    kind
    message
    firedAt
    rule {
      id
      name
    }
    advertiser {
      id
      name
    }
    deliveries {
      channel
      target
      status
      outcomeUnknown
      providerReference
      error
      attempts
      sentAt
    }
  }
`);

const AlertFiredDocument = graphql(`
  subscription AdsAlertFired($organizationId: ID!) {
    adsAlertFired(organizationId: $organizationId) {
      ...AdsAlertEventFields
    }
  }
`);

const AlertChangedDocument = graphql(`
  subscription AdsAlertEventChanged($organizationId: ID!) {
    adsAlertEventChanged(organizationId: $organizationId) {
      ...AdsAlertEventFields
    }
  }
`);

const CreateRuleDocument = graphql(`
  mutation CreateAdsAlertRule($input: AdsAlertRuleInput!) {
    createAdsAlertRule(input: $input) {
      __typename
      ... on MutationCreateAdsAlertRuleSuccess {
        rule {
          id
          name
        }
      }
      ... on ValidationError {
        message
        issues {
          path
          message
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const UpdateRuleDocument = graphql(`
  mutation UpdateAdsAlertRule($id: ID!, $input: AdsAlertRuleInput!) {
    updateAdsAlertRule(id: $id, input: $input) {
      __typename
      ... on MutationUpdateAdsAlertRuleSuccess {
        rule {
          id
          name
        }
      }
      ... on ValidationError {
        message
        issues {
          path
          message
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const DeleteRuleDocument = graphql(`
  mutation DeleteAdsAlertRule($id: ID!) {
    deleteAdsAlertRule(id: $id) {
      __typename
      ... on MutationDeleteAdsAlertRuleSuccess {
        id
      }
      ... on Error {
        message
      }
    }
  }
`);

const kinds: Array<{ kind: AdsAlertKind; label: string; hint: string }> = [
  { kind: 'DAILY_SPEND_ABOVE', label: 'Daily spend above', hint: "An advertiser's spend in one day above the amount." },
  {
    kind: 'COST_PER_CONVERSION_ABOVE',
    label: 'Cost per conversion above',
    hint: "An advertiser's spend per conversion in one day above the amount.",
  },
  { kind: 'AD_REJECTED', label: 'Ad rejected', hint: 'An ad refused in review at TikTok.' },
  { kind: 'CONNECTION_BROKEN', label: 'Connection broken', hint: 'A connection needs reconnecting.' },
];
const kindLabel = (kind: AdsAlertKind) => kinds.find((k) => k.kind === kind)?.label ?? kind;
const withThreshold = (kind: AdsAlertKind) => kind === 'DAILY_SPEND_ABOVE' || kind === 'COST_PER_CONVERSION_ABOVE';
const channels: Array<{ channel: AlertChannel; label: string }> = [
  { channel: 'IN_APP', label: 'In the app (owners and admins)' },
  { channel: 'EMAIL', label: 'Email' },
  { channel: 'TELEGRAM', label: 'Telegram' },
];
const channelLabel: Record<AlertChannel, string> = { IN_APP: 'In app', EMAIL: 'Email', TELEGRAM: 'Telegram' };

interface RuleShape {
  id: string;
  name: string;
  kind: AdsAlertKind;
  threshold?: number | null;
  advertisers: Array<{ id: string }>;
  channels: AlertChannel[];
  emailRecipients: string[];
  telegramChatId?: string | null;
  enabled: boolean;
}

/** The field an issue's path names ("threshold", "emailRecipients.0" …). */
const issueField = (path: string) => path.replace(/^input\./, '').split('.')[0] ?? '';

/** Create (no rule) or edit a rule, in a dialog; the server's typed refusal stays beside the fields. */
function RuleDialog(props: {
  organizationId: string;
  rule?: RuleShape;
  advertisers: Array<{ id: string; name: string; currency?: string | null }>;
  onSaved: () => void;
}) {
  const [open, setOpen] = createSignal(false);
  const [name, setName] = createSignal('');
  const [kind, setKind] = createSignal<AdsAlertKind>('DAILY_SPEND_ABOVE');
  const [threshold, setThreshold] = createSignal('');
  const [watched, setWatched] = createSignal<string[]>([]);
  const [chosen, setChosen] = createSignal<AlertChannel[]>(['IN_APP']);
  const [emails, setEmails] = createSignal('');
  const [chat, setChat] = createSignal('');
  const [enabled, setEnabled] = createSignal(true);
  const [problem, setProblem] = createSignal<Problem | null>(null);
  const [issues, setIssues] = createSignal<Array<{ path: string; message: string }>>([]);
  const [creating, create] = createMutation(CreateRuleDocument);
  const [updating, update] = createMutation(UpdateRuleDocument);
  const prefix = () => (props.rule ? `rule-${props.rule.id}` : 'rule-new');
  const fill = () => {
    const rule = props.rule;
    setName(rule?.name ?? '');
    setKind(rule?.kind ?? 'DAILY_SPEND_ABOVE');
    setThreshold(rule?.threshold != null ? String(rule.threshold) : '');
    setWatched(rule?.advertisers.map((a) => a.id) ?? []);
    setChosen(rule?.channels ?? ['IN_APP']);
    setEmails(rule?.emailRecipients.join(', ') ?? '');
    setChat(rule?.telegramChatId ?? '');
    setEnabled(rule?.enabled ?? true);
    setProblem(null);
    setIssues([]);
  };
  const issueFor = (field: string) =>
    issues()
      .filter((issue) => issueField(issue.path) === field)
      .map((issue) => issue.message)
      .join(' ');
  const errorId = (field: string) => `${prefix()}-${field}-error`;
  const FieldError = (fieldProps: { field: string }) => (
    <Show when={issueFor(fieldProps.field)}>
      <p class="row-note" id={errorId(fieldProps.field)}>
        {issueFor(fieldProps.field)}
      </p>
    </Show>
  );
  const invalid = (field: string) =>
    issueFor(field) ? { 'aria-invalid': true, 'aria-describedby': errorId(field) } : {};
  const has = (channel: AlertChannel) => chosen().includes(channel);

  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    setProblem(null);
    setIssues([]);
    const amount = threshold().trim();
    const input = {
      organizationId: props.organizationId,
      name: name().trim(),
      kind: kind(),
      threshold: withThreshold(kind()) && amount !== '' ? Number(amount) : null,
      advertiserIds: watched().length > 0 ? watched() : null,
      channels: chosen(),
      emailRecipients: has('EMAIL')
        ? emails()
            .split(/[\s,;]+/)
            .filter(Boolean)
        : null,
      telegramChatId: has('TELEGRAM') ? chat().trim() || null : null,
      enabled: enabled(),
    };
    const answer = props.rule ? await update({ id: props.rule.id, input }) : await create({ input });
    if (answer.error) return setProblem(problemOf(answer.error));
    const result = props.rule
      ? (answer.data as { updateAdsAlertRule?: unknown } | undefined)?.updateAdsAlertRule
      : (answer.data as { createAdsAlertRule?: unknown } | undefined)?.createAdsAlertRule;
    const typed = result as
      { __typename: string; message?: string; issues?: Array<{ path: string; message: string }> } | undefined;
    if (!typed) return setProblem({ message: 'The server sent no answer.' });
    if (!typed.__typename.endsWith('Success')) {
      const found = typed.issues ?? [];
      setIssues(found);
      // Issues of fields on the form are shown beside them; only the rest is spelled out here.
      const onForm = new Set(['name', 'threshold', 'advertiserIds', 'channels', 'emailRecipients', 'telegramChatId']);
      const elsewhere = found.filter((issue) => !onForm.has(issueField(issue.path)));
      return setProblem({
        message:
          found.length > 0 && elsewhere.length === 0
            ? 'Not saved: correct the marked fields.'
            : (typed.message ?? 'The server refused this.'),
      });
    }
    notify(props.rule ? `Rule “${input.name}” saved` : `Rule “${input.name}” created`);
    setOpen(false);
    props.onSaved();
  };

  return (
    <Dialog
      open={open()}
      onOpenChange={(isOpen) => {
        if (isOpen) fill();
        setOpen(isOpen);
      }}
    >
      <Dialog.Trigger
        class={props.rule ? 'button' : 'button primary'}
        aria-label={props.rule ? `Edit rule ${props.rule.name}` : undefined}
      >
        {props.rule ? 'Edit' : 'New rule'}
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay class="overlay" />
        <div class="dialog-position">
          <Dialog.Content class="dialog alert-rule-dialog">
            <Dialog.Title class="dialog-title">
              {props.rule ? `Edit “${props.rule.name}”` : 'New alert rule'}
            </Dialog.Title>
            <Dialog.Description class="dialog-description">
              Checked after every sync; each breach is told once on every channel chosen.
            </Dialog.Description>
            <form class="form" aria-label="Alert rule" onSubmit={(event) => void onSubmit(event)}>
              <div class="field">
                <label for={`${prefix()}-name`}>Name</label>
                <input
                  id={`${prefix()}-name`}
                  class="input"
                  required
                  value={name()}
                  onInput={(event) => setName(event.currentTarget.value)}
                  {...invalid('name')}
                />
                <FieldError field="name" />
              </div>
              <div class="field">
                <label for={`${prefix()}-kind`}>When</label>
                <select
                  id={`${prefix()}-kind`}
                  class="select"
                  value={kind()}
                  onChange={(event) => setKind(event.currentTarget.value as AdsAlertKind)}
                  aria-describedby={`${prefix()}-kind-hint`}
                >
                  <For each={kinds}>{(k) => <option value={k.kind}>{k.label}</option>}</For>
                </select>
                <p class="hint" id={`${prefix()}-kind-hint`}>
                  {kinds.find((k) => k.kind === kind())?.hint}
                </p>
              </div>
              <Show when={withThreshold(kind())}>
                <div class="field">
                  <label for={`${prefix()}-threshold`}>Amount, in the advertiser's currency</label>
                  <input
                    id={`${prefix()}-threshold`}
                    class="input narrow"
                    type="number"
                    inputmode="decimal"
                    min="0"
                    step="0.01"
                    value={threshold()}
                    onInput={(event) => setThreshold(event.currentTarget.value)}
                    {...invalid('threshold')}
                  />
                  <FieldError field="threshold" />
                </div>
              </Show>
              <fieldset class="field">
                <legend>Advertisers watched</legend>
                <p class="hint">None ticked: all of the organization's, also those connected later.</p>
                <For each={props.advertisers}>
                  {(advertiser) => (
                    <label class="check">
                      <input
                        type="checkbox"
                        checked={watched().includes(advertiser.id)}
                        onChange={(event) =>
                          setWatched(
                            event.currentTarget.checked
                              ? [...watched(), advertiser.id]
                              : watched().filter((id) => id !== advertiser.id),
                          )
                        }
                      />
                      {advertiser.name} ({advertiser.currency ?? '—'})
                    </label>
                  )}
                </For>
                <FieldError field="advertiserIds" />
              </fieldset>
              <fieldset class="field">
                <legend>Tell</legend>
                <For each={channels}>
                  {(c) => (
                    <label class="check">
                      <input
                        type="checkbox"
                        checked={has(c.channel)}
                        onChange={(event) =>
                          setChosen(
                            event.currentTarget.checked
                              ? [...chosen(), c.channel]
                              : chosen().filter((value) => value !== c.channel),
                          )
                        }
                      />
                      {c.label}
                    </label>
                  )}
                </For>
                <FieldError field="channels" />
              </fieldset>
              <Show when={has('EMAIL')}>
                <div class="field">
                  <label for={`${prefix()}-emails`}>Email recipients</label>
                  <input
                    id={`${prefix()}-emails`}
                    class="input"
                    placeholder="ads@example.com, lead@example.com"
                    value={emails()}
                    onInput={(event) => setEmails(event.currentTarget.value)}
                    {...invalid('emailRecipients')}
                  />
                  <FieldError field="emailRecipients" />
                </div>
              </Show>
              <Show when={has('TELEGRAM')}>
                <div class="field">
                  <label for={`${prefix()}-chat`}>Telegram chat</label>
                  <input
                    id={`${prefix()}-chat`}
                    class="input"
                    placeholder="-1001234567890 or @channel"
                    value={chat()}
                    onInput={(event) => setChat(event.currentTarget.value)}
                    {...invalid('telegramChatId')}
                  />
                  <FieldError field="telegramChatId" />
                </div>
              </Show>
              <label class="check">
                <input
                  type="checkbox"
                  checked={enabled()}
                  onChange={(event) => setEnabled(event.currentTarget.checked)}
                />
                Enabled
              </label>
              <Show when={problem()}>{(shown) => <ProblemNotice problem={shown()} />}</Show>
              <div class="dialog-actions">
                <Dialog.CloseButton class="button" aria-label="Cancel">
                  Cancel
                </Dialog.CloseButton>
                <button
                  type="submit"
                  class="button primary"
                  disabled={creating.fetching || updating.fetching || chosen().length === 0}
                >
                  {props.rule ? 'Save rule' : 'Create rule'}
                </button>
              </div>
            </form>
          </Dialog.Content>
        </div>
      </Dialog.Portal>
    </Dialog>
  );
}

function Deliveries(props: {
  deliveries: Array<{
    channel: AlertChannel;
    target: string;
    status: string;
    outcomeUnknown: boolean;
    providerReference?: string | null;
    error?: string | null;
  }>;
}) {
  return (
    <ul class="alert-deliveries" aria-label="Deliveries">
      <For each={props.deliveries}>
        {(delivery) => (
          <li data-channel={delivery.channel} data-status={delivery.status}>
            <span class="alert-channel">{channelLabel[delivery.channel]}</span>
            <span class="muted">{delivery.target}</span>
            <StateBadge state={delivery.outcomeUnknown ? 'OUTCOME_UNKNOWN' : delivery.status} />
            <Show when={delivery.providerReference}>
              <span class="small">
                ref <code>{delivery.providerReference}</code>
              </span>
            </Show>
            <Show when={delivery.error}>
              <span class="row-note">{delivery.error}</span>
            </Show>
          </li>
        )}
      </For>
    </ul>
  );
}

type Delivery = AdsAlertEventFieldsFragment['deliveries'][number];

/** How far a delivery has come: each attempt, then settled (sent or failed) beyond pending. */
const progress = (delivery: Delivery) => delivery.attempts * 2 + (delivery.status === 'PENDING' ? 0 : 1);

/** The event as listed, each delivery as heard live when that is as far along or further. */
function furthest(listed: AdsAlertEventFieldsFragment, heard: AdsAlertEventFieldsFragment) {
  return {
    ...listed,
    deliveries: listed.deliveries.map((delivery) => {
      const live = heard.deliveries.find(
        (other) => other.channel === delivery.channel && other.target === delivery.target,
      );
      return live && progress(live) >= progress(delivery) ? live : delivery;
    }),
  };
}

export default function AdsAlerts() {
  const session = useSession();
  const organizationId = () => session.organization()?.id ?? '';
  const readable = () => !!organizationId() && session.can('ads:read');
  const manages = () => session.can('ads:alerts');
  const [rules, refetchRules] = createLiveQuery({
    query: AlertRulesDocument,
    variables: () => ({ organizationId: organizationId() }),
    pause: () => !readable(),
  });
  const [events, refetchEvents] = createLiveQuery({
    query: AlertEventsDocument,
    variables: () => ({ organizationId: organizationId(), first: 30 }),
    pause: () => !readable(),
  });
  const [connections] = createLiveQuery({
    query: AdsConnectionsDocument,
    variables: () => ({ organizationId: organizationId() }),
    pause: () => !readable() || !manages(),
  });
  const advertisers = () =>
    connections.data?.organization?.adsConnections.edges.flatMap((edge) =>
      edge.node.advertisers.filter((advertiser) => !advertiser.deletedAt),
    ) ?? [];
  const [fresh, setFresh] = createSignal<string | null>(null);
  // What the subscriptions brought: events fired since the list was read (newest first), and
  // the latest state heard of each event whose deliveries moved on. The list may be read again
  // (after a delete, or a reconnect's resync), so each delivery shows whichever of the two is
  // further along.
  const [fired, setFired] = createSignal<AdsAlertEventFieldsFragment[]>([]);
  const [changed, setChanged] = createSignal<Record<string, AdsAlertEventFieldsFragment>>({});
  onLiveEvent(
    {
      query: AlertFiredDocument,
      variables: () => ({ organizationId: organizationId() }),
      pause: () => !readable(),
    },
    (data) => {
      const event = data.adsAlertFired;
      if (!event) return;
      setFresh(event.id);
      setFired((list) => [event, ...list.filter((shown) => shown.id !== event.id)]);
      // Its rule's "Last fired".
      refetchRules();
    },
  );
  onLiveEvent(
    {
      query: AlertChangedDocument,
      variables: () => ({ organizationId: organizationId() }),
      pause: () => !readable(),
    },
    (data) => {
      const event = data.adsAlertEventChanged;
      if (event) setChanged((byId) => ({ ...byId, [event.id]: event }));
    },
  );
  const [, remove] = createMutation(DeleteRuleDocument);
  const onDelete = async (rule: { id: string; name: string }) => {
    const answer = await remove({ id: rule.id });
    if (answer.error) return notifyProblem(problemOf(answer.error));
    const result = answer.data?.deleteAdsAlertRule;
    if (result?.__typename !== 'MutationDeleteAdsAlertRuleSuccess') {
      return notifyProblem({ message: (result as { message?: string } | undefined)?.message ?? 'Not deleted.' });
    }
    notify(`Rule “${rule.name}” deleted`);
    refetchRules();
    refetchEvents();
  };
  const ruleList = () => rules.data?.organization?.adsAlertRules;
  const eventList = () => {
    const listed = events.data?.organization?.adsAlertEvents.edges.map((edge) => edge.node);
    if (!listed) return undefined;
    const read = new Set(listed.map((event) => event.id));
    const latest = changed();
    return [...fired().filter((event) => !read.has(event.id)), ...listed].map((event) => {
      const heard = latest[event.id];
      return heard ? furthest(event, heard) : event;
    });
  };

  return (
    <>
      <PageHeader title="Ads alerts">
        <Show when={readable() && manages()}>
          <RuleDialog organizationId={organizationId()} advertisers={advertisers()} onSaved={refetchRules} />
        </Show>
      </PageHeader>
      <Show when={session.can('ads:read')} fallback={<Empty title="Your role does not include ads.">{null}</Empty>}>
        <AdsNav />
        <section aria-labelledby="alert-rules-title" class="alerts-section">
          <h2 id="alert-rules-title" class="section-title">
            Rules
          </h2>
          <Show
            when={!rules.error}
            fallback={<ProblemNotice problem={problemOf(rules.error!)} onRetry={refetchRules} />}
          >
            <Show when={ruleList()} fallback={<Skeleton rows={3} label="Loading the alert rules" />}>
              {(list) => (
                <Show
                  when={list().length > 0}
                  fallback={
                    <Empty title="No alert rules yet.">
                      <p class="muted">
                        {manages()
                          ? 'Add one with “New rule” to hear about spend, cost per conversion, rejected ads or a broken connection.'
                          : 'An owner or admin can add rules.'}
                      </p>
                    </Empty>
                  }
                >
                  <table class="table responsive" aria-label="Alert rules">
                    <thead>
                      <tr>
                        <th scope="col">Name</th>
                        <th scope="col">When</th>
                        <th scope="col">Advertisers</th>
                        <th scope="col">Tell</th>
                        <th scope="col">State</th>
                        <th scope="col">Last fired</th>
                        <Show when={manages()}>
                          <th scope="col">
                            <span class="visually-hidden">Actions</span>
                          </th>
                        </Show>
                      </tr>
                    </thead>
                    <tbody>
                      <For each={list()}>
                        {(rule) => (
                          <tr data-rule={rule.name}>
                            <td data-label="Name">{rule.name}</td>
                            <td data-label="When">
                              {kindLabel(rule.kind)}
                              <Show when={rule.threshold != null}>
                                {' '}
                                <span class="num">{rule.threshold!.toFixed(2)}</span>
                              </Show>
                            </td>
                            <td data-label="Advertisers">
                              {rule.advertisers.length ? rule.advertisers.map((a) => a.name).join(', ') : 'All'}
                            </td>
                            <td data-label="Tell">
                              {rule.channels
                                .map((c) =>
                                  c === 'EMAIL'
                                    ? `Email (${rule.emailRecipients.join(', ')})`
                                    : c === 'TELEGRAM'
                                      ? `Telegram (${rule.telegramChatId ?? ''})`
                                      : channelLabel[c],
                                )
                                .join(', ')}
                            </td>
                            <td data-label="State">
                              <StateBadge state={rule.enabled ? 'ENABLED' : 'DISABLED'} />
                            </td>
                            <td data-label="Last fired">
                              <Time at={rule.lastFiredAt} fallback="never" />
                            </td>
                            <Show when={manages()}>
                              <td class="actions">
                                <RuleDialog
                                  organizationId={organizationId()}
                                  rule={rule}
                                  advertisers={advertisers()}
                                  onSaved={refetchRules}
                                />
                                <ConfirmButton
                                  label="Delete"
                                  ariaLabel={`Delete rule ${rule.name}`}
                                  title={`Delete the rule “${rule.name}”?`}
                                  description="It stops firing. Its past events stay listed."
                                  confirmLabel="Delete rule"
                                  onConfirm={() => onDelete(rule)}
                                />
                              </td>
                            </Show>
                          </tr>
                        )}
                      </For>
                    </tbody>
                  </table>
                </Show>
              )}
            </Show>
          </Show>
        </section>
        <section aria-labelledby="alert-events-title" class="alerts-section">
          <h2 id="alert-events-title" class="section-title">
            Recent alerts
          </h2>
          <Show
            when={!events.error}
            fallback={<ProblemNotice problem={problemOf(events.error!)} onRetry={refetchEvents} />}
          >
            <Show when={eventList()} fallback={<Skeleton rows={4} label="Loading the alerts" />}>
              {(list) => (
                <Show
                  when={list().length > 0}
                  fallback={
                    <Empty title="No alerts so far.">
                      <p class="muted">A rule's breaches appear here as they are found, each with its deliveries.</p>
                    </Empty>
                  }
                >
                  <ol class="alert-events" aria-label="Alert events">
                    <For each={list()}>
                      {(event) => (
                        <li class="card alert-event" classList={{ flash: fresh() === event.id }} data-event={event.id}>
                          <div class="alert-event-head">
                            <StateBadge state={event.kind} />
                            <span class="alert-message">{event.message}</span>
                            <Time at={event.firedAt} />
                          </div>
                          <p class="small muted">
                            Rule: {event.rule?.name ?? 'deleted'}
                            <Show when={event.advertiser}>{(advertiser) => <> · {advertiser().name}</>}</Show>
                          </p>
                          <Deliveries deliveries={event.deliveries} />
                        </li>
                      )}
                    </For>
                  </ol>
                </Show>
              )}
            </Show>
          </Show>
        </section>
      </Show>
    </>
  );
}
