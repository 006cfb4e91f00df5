// The invite mail's link lands here (`/accept-invite?token=`), inside the signed-in frame:
// someone signed out signs in (or up) first and comes back.
import { useNavigate, useSearchParams } from '@solidjs/router';
import { createMutation } from '@urql/solid';
import { createSignal, Show } from 'solid-js';
import { restartLive } from '../client';
import { Empty, PageHeader, ProblemNotice } from '../components/ui';
import { graphql } from '../gql';
import { outcomeOf, type Problem } from '../lib/errors';
import { useSession } from '../session';

const AcceptInviteDocument = graphql(`
  mutation AcceptInvite($token: String!) {
    acceptInvite(token: $token) {
      __typename
      ... on MutationAcceptInviteSuccess {
        data {
          id
          role
          organization {
            id
            name
          }
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

export default function AcceptInvite() {
  const session = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams<{ token?: string }>();
  const [problem, setProblem] = createSignal<Problem | null>(null);
  const [state, accept] = createMutation(AcceptInviteDocument);

  const join = async () => {
    const answer = await accept({ token: params.token ?? '' });
    const outcome = outcomeOf(answer, answer.data?.acceptInvite);
    if (!outcome.ok) return setProblem(outcome.problem);
    // The session cookie was rotated: the live socket reconnects with the new one.
    restartLive();
    session.chooseOrganization(outcome.data.organization.id);
    await session.reload();
    navigate('/', { replace: true });
  };

  return (
    <>
      <PageHeader title="Join an organization" />
      <Show
        when={params.token}
        fallback={<Empty title="This invite link is incomplete: open it from the mail again." />}
      >
        <section class="card form">
          <p>You were invited to join an organization on Pressroom as {session.viewer()?.email}.</p>
          <Show when={problem()}>{(p) => <ProblemNotice problem={p()} />}</Show>
          <div class="form-actions">
            <button type="button" class="button primary" disabled={state.fetching} onClick={() => void join()}>
              Accept the invite
            </button>
          </div>
        </section>
      </Show>
    </>
  );
}
