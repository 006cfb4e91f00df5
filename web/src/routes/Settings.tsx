// Organization settings (org:manage): name, approvals a post needs, time zone, the Telegram
// review chat; AI (off for a new organization: what it may be used for, provider and model);
// retention periods are shown as the server keeps them.
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
import type { AiProvider } from '../gql/graphql';
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
        contactRetentionDays
        departedMemberMediaRetentionDays
        aiTextEnabled
        aiImagesEnabled
        aiProvider
        aiTextModel
      }
    }
  }
`);

const providers: AiProvider[] = ['ANTHROPIC', 'OPENAI'];

const SetOrganizationAiDocument = graphql(`
  mutation SetOrganizationAi(
    $organizationId: ID!
    $text: Boolean
    $images: Boolean
    $provider: AiProvider
    $textModel: String
  ) {
    setOrganizationAi(
      organizationId: $organizationId
      text: $text
      images: $images
      provider: $provider
      textModel: $textModel
    ) {
      __typename
      ... on MutationSetOrganizationAiSuccess {
        data {
          id
        }
      }
      ... on Error {
        message
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
    $departedMemberMediaRetentionDays: Int
  ) {
    updateOrganization(
      id: $id
      name: $name
      requiredApprovals: $requiredApprovals
      timezone: $timezone
      telegramReviewChatId: $telegramReviewChatId
      departedMemberMediaRetentionDays: $departedMemberMediaRetentionDays
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
  const [departedDays, setDepartedDays] = createSignal('30');
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
        setDepartedDays(String(organization.settings?.departedMemberMediaRetentionDays ?? 30));
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
      departedMemberMediaRetentionDays: Number(departedDays()),
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

  const [aiText, setAiText] = createSignal(false);
  const [aiImages, setAiImages] = createSignal(false);
  const [aiProvider, setAiProvider] = createSignal('');
  const [aiModel, setAiModel] = createSignal('');
  createEffect(
    on(
      () => result.data?.organization?.id,
      () => {
        const current = result.data?.organization?.settings;
        setAiText(current?.aiTextEnabled ?? false);
        setAiImages(current?.aiImagesEnabled ?? false);
        setAiProvider(current?.aiProvider ?? '');
        setAiModel(current?.aiTextModel ?? '');
      },
    ),
  );
  const [savingAi, setAi] = createMutation(SetOrganizationAiDocument);
  const saveAi = async (event: SubmitEvent) => {
    event.preventDefault();
    const answer = await setAi({
      organizationId: organizationId(),
      text: aiText(),
      images: aiImages(),
      provider: providers.find((provider) => provider === aiProvider()) ?? null,
      textModel: aiModel().trim() || null,
    });
    const outcome = outcomeOf(answer, answer.data?.setOrganizationAi);
    if (!outcome.ok) {
      notifyProblem(outcome.problem);
      return;
    }
    notify(aiText() ? 'AI settings saved' : 'AI settings saved: nothing is sent to an AI provider for writing');
    refetch();
  };

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
              <Field
                label="Keep a removed member's uploads for (days)"
                for="org-departed-days"
                hint="Their media library uploads are deleted this many days after they leave, unless they rejoin first; 0 deletes them at the next retention run."
              >
                <input
                  id="org-departed-days"
                  class="input"
                  type="number"
                  min="0"
                  max="3650"
                  required
                  value={departedDays()}
                  onInput={(event) => setDepartedDays(event.currentTarget.value)}
                />
              </Field>
              <div class="form-actions">
                <button type="submit" class="button primary" disabled={saving.fetching}>
                  Save
                </button>
              </div>
            </form>
            <form class="card form settings-ai" aria-labelledby="ai-title" onSubmit={(event) => void saveAi(event)}>
              <h2 class="section-title" id="ai-title">
                AI
              </h2>
              <p class="muted">
                Off for a new organization. While a use is off, nothing of this organization is sent to an AI provider
                for it, and posts are written by hand.
              </p>
              <label class="check">
                <input
                  type="checkbox"
                  checked={aiText()}
                  onChange={(event) => setAiText(event.currentTarget.checked)}
                />
                AI writes posts from a brief (captions, hashtags, slides)
              </label>
              <label class="check">
                <input
                  type="checkbox"
                  checked={aiImages()}
                  onChange={(event) => setAiImages(event.currentTarget.checked)}
                />
                AI makes and looks at images
              </label>
              <Field label="Provider" for="ai-provider">
                <select
                  id="ai-provider"
                  class="select"
                  value={aiProvider()}
                  onChange={(event) => setAiProvider(event.currentTarget.value)}
                >
                  <option value="">The server's choice</option>
                  <option value="ANTHROPIC">Anthropic</option>
                  <option value="OPENAI">OpenAI</option>
                </select>
              </Field>
              <Field label="Writing model" for="ai-model" hint="Empty uses the provider's default.">
                <input
                  id="ai-model"
                  class="input"
                  value={aiModel()}
                  onInput={(event) => setAiModel(event.currentTarget.value)}
                />
              </Field>
              <div class="form-actions">
                <button type="submit" class="button primary" disabled={savingAi.fetching}>
                  Save AI settings
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
                <dt>Contact form messages</dt>
                <dd class="num">{settings()?.contactRetentionDays} days</dd>
                <dt>A removed member's uploads</dt>
                <dd class="num">{settings()?.departedMemberMediaRetentionDays} days</dd>
              </dl>
            </section>
          </Show>
        </Show>
      </Show>
    </>
  );
}
