// The password reset mail's link lands here (`/reset-password?token=`); without a token the
// page asks for the address to send one to.
import { A, useSearchParams } from '@solidjs/router';
import { createMutation } from '@urql/solid';
import { createSignal, Show } from 'solid-js';
import { ProblemNotice } from '../components/ui';
import { graphql } from '../gql';
import { outcomeOf, type Problem } from '../lib/errors';
import { textOf } from '../lib/forms';

const RequestPasswordResetDocument = graphql(`
  mutation RequestPasswordReset($email: String!) {
    requestPasswordReset(email: $email) {
      __typename
      ... on MutationRequestPasswordResetSuccess {
        data
      }
      ... on Error {
        message
      }
    }
  }
`);

const ResetPasswordDocument = graphql(`
  mutation ResetPassword($token: String!, $newPassword: String!) {
    resetPassword(token: $token, newPassword: $newPassword) {
      __typename
      ... on MutationResetPasswordSuccess {
        data
      }
      ... on Error {
        message
      }
    }
  }
`);

export default function ResetPassword() {
  const [params] = useSearchParams<{ token?: string }>();
  const [problem, setProblem] = createSignal<Problem | null>(null);
  const [done, setDone] = createSignal<string | null>(null);
  const [requesting, request] = createMutation(RequestPasswordResetDocument);
  const [resetting, reset] = createMutation(ResetPasswordDocument);
  document.title = 'Reset your password · Pressroom';

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    if (params.token) {
      const answer = await reset({ token: params.token, newPassword: textOf(form, 'password') });
      const outcome = outcomeOf(answer, answer.data?.resetPassword);
      if (!outcome.ok) return setProblem(outcome.problem);
      setDone('Your password is changed, and every session of your account has ended. Sign in with the new one.');
    } else {
      const answer = await request({ email: textOf(form, 'email') });
      const outcome = outcomeOf(answer, answer.data?.requestPasswordReset);
      if (!outcome.ok) return setProblem(outcome.problem);
      setDone('If an account uses this address, a link to reset its password is on its way.');
    }
    setProblem(null);
  };

  return (
    <main class="auth-page" id="main">
      <form class="auth-card" onSubmit={(event) => void submit(event)}>
        <h1>Reset your password</h1>
        <Show
          when={!done()}
          fallback={
            <p role="status">
              {done()} <A href="/sign-in">Sign in</A>
            </p>
          }
        >
          <Show
            when={params.token}
            fallback={
              <div class="field">
                <label for="email">Email</label>
                <input id="email" name="email" type="email" autocomplete="email" required class="input" />
              </div>
            }
          >
            <div class="field">
              <label for="password">New password</label>
              <input
                id="password"
                name="password"
                type="password"
                autocomplete="new-password"
                minlength="10"
                required
                class="input"
              />
            </div>
          </Show>
          <Show when={problem()}>{(p) => <ProblemNotice problem={p()} />}</Show>
          <button type="submit" class="button primary wide" disabled={requesting.fetching || resetting.fetching}>
            {params.token ? 'Set the new password' : 'Send the link'}
          </button>
        </Show>
      </form>
    </main>
  );
}
