import { A, useNavigate } from '@solidjs/router';
import { createMutation } from '@urql/solid';
import { createSignal, Show } from 'solid-js';
import { restartLive } from '../client';
import { ProblemNotice } from '../components/ui';
import { graphql } from '../gql';
import { outcomeOf, type Problem } from '../lib/errors';
import { textOf } from '../lib/forms';
import { useSession } from '../session';

const SignUpDocument = graphql(`
  mutation SignUp($email: String!, $name: String!, $password: String!) {
    signUp(email: $email, name: $name, password: $password) {
      __typename
      ... on MutationSignUpSuccess {
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

export default function SignUp() {
  const session = useSession();
  const navigate = useNavigate();
  const [state, signUp] = createMutation(SignUpDocument);
  const [problem, setProblem] = createSignal<Problem | null>(null);
  document.title = 'Create an account · Pressroom';

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const result = await signUp({
      name: textOf(form, 'name'),
      email: textOf(form, 'email'),
      password: textOf(form, 'password'),
    });
    const outcome = outcomeOf(result, result.data?.signUp);
    if (!outcome.ok) {
      setProblem(outcome.problem);
      return;
    }
    restartLive();
    await session.reload();
    navigate('/', { replace: true });
  };

  return (
    <main class="auth-page" id="main">
      <form class="auth-card" onSubmit={(event) => void submit(event)}>
        <h1>Create your Pressroom account</h1>
        <div class="field">
          <label for="name">Name</label>
          <input id="name" name="name" autocomplete="name" required class="input" />
        </div>
        <div class="field">
          <label for="email">Email</label>
          <input id="email" name="email" type="email" autocomplete="email" required class="input" />
        </div>
        <div class="field">
          <label for="password">Password</label>
          <input
            id="password"
            name="password"
            type="password"
            autocomplete="new-password"
            minlength="10"
            required
            class="input"
            aria-describedby="password-hint"
          />
          <p class="hint" id="password-hint">
            At least 10 characters.
          </p>
        </div>
        <Show when={problem()}>{(p) => <ProblemNotice problem={p()} />}</Show>
        <button type="submit" class="button primary wide" disabled={state.fetching}>
          {state.fetching ? 'Creating…' : 'Create account'}
        </button>
        <p class="muted">
          Already have an account? <A href="/sign-in">Sign in</A>
        </p>
      </form>
    </main>
  );
}
