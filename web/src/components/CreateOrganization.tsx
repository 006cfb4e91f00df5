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
