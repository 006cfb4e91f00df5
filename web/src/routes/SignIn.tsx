import { A, useNavigate, useSearchParams } from '@solidjs/router';
import { createMutation } from '@urql/solid';
import { createSignal, Show } from 'solid-js';
import { restartLive } from '../client';
import { ProblemNotice } from '../components/ui';
import { graphql } from '../gql';
import { outcomeOf, type Problem } from '../lib/errors';
import { textOf } from '../lib/forms';
import { useSession } from '../session';

const SignInDocument = graphql(`
  mutation SignIn($email: String!, $password: String!) {
    signIn(email: $email, password: $password) {
      __typename
      ... on MutationSignInSuccess {
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

/** Where to go after signing in: only a path on this site. */
export function safeNext(next: string | string[] | undefined): string {
  const value = Array.isArray(next) ? next[0] : next;
  return value && value.startsWith('/') && !value.startsWith('//') ? value : '/';
}

export default function SignIn() {
  const session = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [state, signIn] = createMutation(SignInDocument);
  const [problem, setProblem] = createSignal<Problem | null>(null);
  document.title = 'Sign in · Pressroom';

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const result = await signIn({ email: textOf(form, 'email'), password: textOf(form, 'password') });
    const outcome = outcomeOf(result, result.data?.signIn);
    if (!outcome.ok) {
      setProblem(outcome.problem);
      return;
    }
    setProblem(null);
    restartLive();
    await session.reload();
    navigate(safeNext(params.next), { replace: true });
  };

  return (
    <main class="auth-page" id="main">
      <form class="auth-card" onSubmit={(event) => void submit(event)}>
        <h1>Sign in to Pressroom</h1>
        <div class="field">
          <label for="email">Email</label>
          <input id="email" name="email" type="email" autocomplete="username" required class="input" />
        </div>
        <div class="field">
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required class="input" />
        </div>
        <Show when={problem()}>{(p) => <ProblemNotice problem={p()} />}</Show>
        <button type="submit" class="button primary wide" disabled={state.fetching}>
          {state.fetching ? 'Signing in…' : 'Sign in'}
        </button>
        <p class="muted">
          New here? <A href="/sign-up">Create an account</A>
        </p>
      </form>
    </main>
  );
}
