import { createMutation } from '@urql/solid';
import { createSignal, Show } from 'solid-js';
import { restartLive } from '../client';
import { graphql } from '../gql';
import { outcomeOf, type Problem } from '../lib/errors';
import { textOf } from '../lib/forms';
import { useSession } from '../session';
import { ProblemNotice } from './ui';

const CreateOrganizationDocument = graphql(`
  mutation CreateOrganization($name: String!, $slug: String!) {
    createOrganization(name: $name, slug: $slug) {
      __typename
      ... on MutationCreateOrganizationSuccess {
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

const CreateBrandDocument = graphql(`
  mutation CreateFirstBrand($organizationId: ID!, $name: String!, $slug: String!) {
    createBrand(organizationId: $organizationId, name: $name, slug: $slug) {
      __typename
      ... on MutationCreateBrandSuccess {
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

const slugOf = (name: string) =>
  name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);

export function CreateOrganization() {
  const session = useSession();
  const [state, create] = createMutation(CreateOrganizationDocument);
  const [problem, setProblem] = createSignal<Problem | null>(null);
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const name = textOf(new FormData(event.currentTarget as HTMLFormElement), 'organization');
    const answer = await create({ name, slug: slugOf(name) || 'organization' });
    const outcome = outcomeOf(answer, answer.data?.createOrganization);
    if (!outcome.ok) {
      setProblem(outcome.problem);
      return;
    }
    // The session cookie was rotated: the live socket must reconnect with the new one.
    restartLive();
    session.chooseOrganization(outcome.data.id);
    await session.reload();
  };
  return (
    <form class="inline-form" onSubmit={(event) => void submit(event)}>
      <label class="visually-hidden" for="organization-name">
        Organization name
      </label>
      <input id="organization-name" name="organization" class="input" required placeholder="Organization name" />
      <button type="submit" class="button primary" disabled={state.fetching}>
        Create
      </button>
      <Show when={problem()}>{(p) => <ProblemNotice problem={p()} />}</Show>
    </form>
  );
}

/**
 * A new organization has no brand, and every brand screen (home, batches, review, calendar,
 * accounts, analytics) works on one: instead of waiting for one forever, they say so and
 * whoever may (brands:manage) creates the first.
 */
export function NoBrand() {
  const session = useSession();
  const [state, create] = createMutation(CreateBrandDocument);
  const [problem, setProblem] = createSignal<Problem | null>(null);
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const name = textOf(new FormData(event.currentTarget as HTMLFormElement), 'brand');
    const answer = await create({
      organizationId: session.organization()?.id ?? '',
      name,
      slug: slugOf(name) || 'brand',
    });
    const outcome = outcomeOf(answer, answer.data?.createBrand);
    if (!outcome.ok) {
      setProblem(outcome.problem);
      return;
    }
    session.chooseBrand(outcome.data.id);
    await session.reload();
  };
  return (
    <div class="empty">
      <p class="empty-title">This organization has no brand yet.</p>
      <Show
        when={session.can('brands:manage')}
        fallback={<p class="muted">An owner or admin creates the first brand.</p>}
      >
        <p class="muted">Posts, accounts and analytics belong to a brand: name the first one.</p>
        <form class="inline-form" onSubmit={(event) => void submit(event)}>
          <label class="visually-hidden" for="brand-name">
            Brand name
          </label>
          <input id="brand-name" name="brand" class="input" required placeholder="Brand name" />
          <button type="submit" class="button primary" disabled={state.fetching}>
            Create brand
          </button>
        </form>
        <Show when={problem()}>{(p) => <ProblemNotice problem={p()} />}</Show>
      </Show>
    </div>
  );
}
