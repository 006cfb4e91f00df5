// A brief becomes a batch of posts: the AI writes them, each lands in review as it is done.
import { A, useNavigate } from '@solidjs/router';
import { createMutation } from '@urql/solid';
import { createSignal, For, Show } from 'solid-js';
import { createLiveQuery, Empty, PageHeader, ProblemNotice, Skeleton } from '../components/ui';
import { graphql } from '../gql';
import type { Platform } from '../gql/graphql';
import { outcomeOf, problemOf, type Problem } from '../lib/errors';
import { textOf } from '../lib/forms';
import { useSession } from '../session';

const BatchTargetsDocument = graphql(`
  query BatchTargets($brandId: ID!) {
    node(id: $brandId) {
      id
      ... on Brand {
        name
        socialAccounts {
          id
          platform
          displayName
          status
        }
      }
    }
  }
`);

const BatchAiDocument = graphql(`
  query BatchAi($organizationId: ID!) {
    organization(id: $organizationId) {
      id
      settings {
        aiTextEnabled
      }
    }
  }
`);

const CreateBatchDocument = graphql(`
  mutation CreateBatch($brandId: ID!, $brief: String!, $count: Int!, $platforms: [Platform!]!) {
    createBatch(brandId: $brandId, brief: $brief, count: $count, platforms: $platforms) {
      __typename
      ... on MutationCreateBatchSuccess {
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

export default function NewBatch() {
  const session = useSession();
  const navigate = useNavigate();
  const brandId = () => session.brand()?.id ?? '';
  const [targets, refetch] = createLiveQuery({
    query: BatchTargetsDocument,
    variables: () => ({ brandId: brandId() }),
    pause: () => !brandId(),
  });
  const accounts = () => {
    const node = targets.data?.node;
    return node && 'socialAccounts' in node ? node.socialAccounts.filter((account) => account.status === 'ACTIVE') : [];
  };
  const [problem, setProblem] = createSignal<Problem | null>(null);
  const [state, createBatch] = createMutation(CreateBatchDocument);
  // A new organization has AI writing off until an owner or admin turns it on: say so before
  // the brief is typed, not after it is sent.
  const [ai] = createLiveQuery({
    query: BatchAiDocument,
    variables: () => ({ organizationId: session.organization()?.id ?? '' }),
    pause: () => !session.organization()?.id,
  });
  const aiOff = () => ai.data?.organization?.settings?.aiTextEnabled === false;

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const chosen = new Set(form.getAll('account').map(String));
    // Posts are written per network; the accounts chosen say which networks.
    const platforms = [
      ...new Set(
        accounts()
          .filter((account) => chosen.has(account.id))
          .map((account) => account.platform),
      ),
    ];
    const answer = await createBatch({
      brandId: brandId(),
      brief: textOf(form, 'brief'),
      count: Number(textOf(form, 'count')),
      platforms: platforms.length ? platforms : (['TIKTOK'] satisfies Platform[]),
    });
    const outcome = outcomeOf(answer, answer.data?.createBatch);
    if (!outcome.ok) {
      setProblem(outcome.problem);
      return;
    }
    navigate(`/batches/${encodeURIComponent(outcome.data.id)}`);
  };

  return (
    <>
      <PageHeader title="New batch" />
      <Show when={brandId()} fallback={<Empty title="Create a brand first: a batch is written in a brand's voice." />}>
        <Show when={!targets.error} fallback={<ProblemNotice problem={problemOf(targets.error!)} onRetry={refetch} />}>
          <Show when={targets.data} fallback={<Skeleton rows={4} label="Loading the brand" />}>
            <Show when={aiOff()}>
              <div class="banner warn" role="status">
                AI writing is off for this organization, so posts cannot be generated from a brief.{' '}
                <Show
                  when={session.can('org:manage')}
                  fallback={<span>An owner or admin can turn it on in Settings.</span>}
                >
                  <A href="/settings">Turn it on in Settings</A>
                </Show>
              </div>
            </Show>
            <form class="form card" onSubmit={(event) => void submit(event)}>
              <div class="field">
                <label for="brief">Brief</label>
                <textarea
                  id="brief"
                  name="brief"
                  class="input"
                  rows="5"
                  required
                  minlength="3"
                  placeholder="What the posts are about: the offer, the audience, the tone, dates…"
                  aria-describedby="brief-hint"
                />
                <p class="hint" id="brief-hint">
                  Written in {session.brand()?.name}'s voice, using its knowledge documents.
                </p>
              </div>
              <div class="field">
                <label for="count">Number of posts</label>
                <input id="count" name="count" type="number" class="input narrow" min="1" max="50" value="3" required />
              </div>
              <fieldset class="field">
                <legend>Target accounts</legend>
                <Show
                  when={accounts().length > 0}
                  fallback={<p class="muted">No connected account yet: posts are written for TikTok.</p>}
                >
                  <For each={accounts()}>
                    {(account) => (
                      <label class="check">
                        <input type="checkbox" name="account" value={account.id} checked />
                        {account.displayName} <span class="muted">{account.platform.toLowerCase()}</span>
                      </label>
                    )}
                  </For>
                </Show>
              </fieldset>
              <Show when={problem()}>{(p) => <ProblemNotice problem={p()} />}</Show>
              <div class="form-actions">
                <button type="submit" class="button primary" disabled={state.fetching || aiOff()}>
                  {state.fetching ? 'Starting…' : 'Generate posts'}
                </button>
              </div>
            </form>
          </Show>
        </Show>
      </Show>
    </>
  );
}
