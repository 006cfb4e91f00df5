// Organization settings (org:manage): name, approvals a post needs, time zone, the Telegram
// review chat; retention periods are shown as the server keeps them.
import { createMutation } from '@urql/solid';
import { createEffect, createSignal, For, on, Show } from 'solid-js';
import {
  createLiveQuery,
  Empty,
  Field,
  notify,
  notifyProblem,
  PageHeader,
  ProblemNotice,
  Skeleton,
} from '../components/ui';
import { graphql } from '../gql';
import { outcomeOf, problemOf } from '../lib/errors';
import { knownZones } from '../lib/zoned';
import { useSession } from '../session';
import './settings.css';

const SettingsDocument = graphql(`
  query OrganizationSettings($organizationId: ID!) {
    organization(id: $organizationId) {
      id
      name
      settings {
        requiredApprovals
        timezone
        telegramReviewChatId
        analyticsRetentionDays
        auditRetentionDays
        requestLogRetentionDays
        rejectedMediaRetentionHours
      }
    }
  }
`);

const UpdateOrganizationDocument = graphql(`
  mutation UpdateOrganization(
    $id: ID!
    $name: String
    $requiredApprovals: Int
    $timezone: String
    $telegramReviewChatId: String
  ) {
    updateOrganization(
      id: $id
      name: $name
      requiredApprovals: $requiredApprovals
      timezone: $timezone
      telegramReviewChatId: $telegramReviewChatId
    ) {
      __typename
      ... on MutationUpdateOrganizationSuccess {
        data {
          id
          name
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

export default function Settings() {
  const session = useSession();
  const organizationId = () => session.organization()?.id ?? '';
  const [result, refetch] = createLiveQuery({
    query: SettingsDocument,
    variables: () => ({ organizationId: organizationId() }),
    pause: () => !organizationId() || !session.can('org:manage'),
  });
  const [name, setName] = createSignal('');
  const [approvals, setApprovals] = createSignal('1');
  const [zone, setZone] = createSignal('UTC');
  const [chat, setChat] = createSignal('');
  // The form starts from what the server has, once per organization: a refetch (after a save)
  // must not overwrite what someone is typing.
  createEffect(
    on(
      () => result.data?.organization?.id,
      () => {
        const organization = result.data?.organization;
        if (!organization) return;
        setName(organization.name);
        setApprovals(String(organization.settings?.requiredApprovals ?? 1));
        setZone(organization.settings?.timezone ?? 'UTC');
        setChat(organization.settings?.telegramReviewChatId ?? '');
      },
    ),
  );
  const [saving, update] = createMutation(UpdateOrganizationDocument);
  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    const answer = await update({
      id: organizationId(),
      name: name(),
      requiredApprovals: Number(approvals()),
      timezone: zone(),
      telegramReviewChatId: chat().trim() || null,
    });
    const outcome = outcomeOf(answer, answer.data?.updateOrganization);
    if (!outcome.ok) {
      notifyProblem(outcome.problem);
      return;
    }
    notify('Settings saved');
    refetch();
    void session.refetch();
  };
  const settings = () => result.data?.organization?.settings;

  return (
    <>
      <PageHeader title="Settings" />
      <Show
        when={session.can('org:manage')}
        fallback={<Empty title="Only owners and admins change the organization's settings.">{null}</Empty>}
      >
        <Show when={!result.error} fallback={<ProblemNotice problem={problemOf(result.error!)} onRetry={refetch} />}>
          <Show when={result.data} fallback={<Skeleton rows={6} label="Loading settings" />}>
            <form class="card form" aria-label="Organization" onSubmit={(event) => void save(event)}>
              <h2 class="section-title">Organization</h2>
              <Field label="Name" for="org-name">
                <input
                  id="org-name"
                  class="input"
                  required
                  value={name()}
                  onInput={(event) => setName(event.currentTarget.value)}
                />
              </Field>
              <Field
                label="Approvals a post needs"
                for="org-approvals"
                hint="How many reviewers approve a post before it can be scheduled (a brand may ask for more)."
              >
                <input
                  id="org-approvals"
                  class="input"
                  type="number"
                  min="1"
                  max="5"
                  required
                  value={approvals()}
                  onInput={(event) => setApprovals(event.currentTarget.value)}
                />
              </Field>
              <Field label="Time zone" for="org-timezone">
                <select
                  id="org-timezone"
                  class="select"
                  value={zone()}
                  onChange={(event) => setZone(event.currentTarget.value)}
                >
                  <For each={knownZones().includes(zone()) ? knownZones() : [zone(), ...knownZones()]}>
                    {(name) => <option value={name}>{name.replaceAll('_', ' ')}</option>}
                  </For>
                </select>
              </Field>
              <Field
                label="Telegram review chat"
                for="org-telegram"
                hint="A chat id (-1001234567890) or @channelname; empty stops the messages."
              >
                <input
                  id="org-telegram"
                  class="input"
                  value={chat()}
                  onInput={(event) => setChat(event.currentTarget.value)}
                />
              </Field>
              <div class="form-actions">
                <button type="submit" class="button primary" disabled={saving.fetching}>
                  Save
                </button>
              </div>
            </form>
            <section class="card settings-retention" aria-labelledby="retention-title">
              <h2 class="section-title" id="retention-title">
                Retention
              </h2>
              <dl class="facts">
                <dt>Analytics snapshots</dt>
                <dd class="num">{settings()?.analyticsRetentionDays} days</dd>
                <dt>Audit log</dt>
                <dd class="num">{settings()?.auditRetentionDays} days</dd>
                <dt>Request log</dt>
                <dd class="num">{settings()?.requestLogRetentionDays} days</dd>
                <dt>Rejected media</dt>
                <dd class="num">{settings()?.rejectedMediaRetentionHours} hours</dd>
              </dl>
            </section>
          </Show>
        </Show>
      </Show>
    </>
  );
}
