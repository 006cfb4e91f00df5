// Social accounts of the brand: connect (the platform's consent screen), status with the
// reason when it is not usable, last sync, sync now, disconnect.
import { useSearchParams } from '@solidjs/router';
import { createMutation } from '@urql/solid';
import { createSignal, For, Show } from 'solid-js';
import {
  ConfirmButton,
  createLiveQuery,
  Empty,
  notify,
  PageHeader,
  ProblemNotice,
  Skeleton,
  StateBadge,
  Time,
} from '../components/ui';
import { graphql } from '../gql';
import { outcomeOf, problemOf } from '../lib/errors';
import { databaseIdOf } from '../lib/ids';
import { useSession } from '../session';

const AccountsDocument = graphql(`
  query Accounts($brandId: ID!) {
    node(id: $brandId) {
      id
      ... on Brand {
        name
        socialAccounts {
          id
          platform
          displayName
          username
          status
          lastError
          lastSyncedAt
          connectedAt
        }
      }
    }
  }
`);

const SyncAccountDocument = graphql(`
  mutation SyncAccountNow($id: ID!) {
    syncAccountNow(socialAccountId: $id) {
      __typename
      ... on MutationSyncAccountNowSuccess {
        data {
          id
          lastSyncedAt
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const connectErrors: Record<string, string> = {
  access_denied: 'The connection was cancelled on the platform.',
  state_expired: 'The connection took too long; start it again.',
};

export default function Accounts() {
  const session = useSession();
  const [params, setParams] = useSearchParams<{ connected?: string; connectError?: string }>();
  const brandId = () => session.brand()?.id ?? '';
  const [result, refetch] = createLiveQuery({
    query: AccountsDocument,
    variables: () => ({ brandId: brandId() }),
    pause: () => !brandId(),
  });
  const accounts = () => {
    const node = result.data?.node;
    return node && 'socialAccounts' in node ? node.socialAccounts : [];
  };
  const [syncing, setSyncing] = createSignal<string | null>(null);
  const [, syncNow] = createMutation(SyncAccountDocument);

  const sync = async (id: string) => {
    setSyncing(id);
    const answer = await syncNow({ id });
    setSyncing(null);
    const outcome = outcomeOf(answer, answer.data?.syncAccountNow);
    notify(
      outcome.ok ? 'Sync started; numbers update when it finishes.' : outcome.problem.message,
      outcome.ok ? 'ok' : 'error',
    );
  };

  const disconnect = async (id: string, name: string) => {
    // The connect routes are plain HTTP beside /graphql and take database ids.
    const response = await fetch(`/connect/accounts/${encodeURIComponent(databaseIdOf(id))}/disconnect`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
      credentials: 'same-origin',
    }).catch(() => null);
    if (!response?.ok) {
      const requestId = response?.headers.get('x-request-id');
      notify(`Could not disconnect ${name}${requestId ? ` (request ${requestId})` : ''}.`, 'error');
      return;
    }
    notify(`${name} is disconnected.`);
    refetch();
  };

  return (
    <>
      <PageHeader title="Accounts">
        <Show when={session.can('brands:manage') && brandId()}>
          <a class="button primary" rel="external" href={`/connect/tiktok?brandId=${encodeURIComponent(brandId())}`}>
            Connect TikTok
          </a>
          {/* Meta login connects Facebook Pages and their Instagram accounts (chosen after consent). */}
          <For
            each={[
              ['facebook', 'Connect Facebook / Instagram'],
              ['youtube', 'Connect YouTube'],
              ['vk', 'Connect VK'],
            ]}
          >
            {([platform, label]) => (
              <a class="button" rel="external" href={`/connect/${platform}?brandId=${encodeURIComponent(brandId())}`}>
                {label}
              </a>
            )}
          </For>
        </Show>
      </PageHeader>
      <Show when={params.connected}>
        <div class="banner ok" role="status">
          Account connected. Its first sync runs now.{' '}
          <button type="button" class="link-button" onClick={() => setParams({ connected: undefined })}>
            Dismiss
          </button>
        </div>
      </Show>
      <Show when={params.connectError}>
        {(code) => (
          <div class="banner error" role="alert">
            {connectErrors[code()] ?? `The connection failed (${code()}).`}{' '}
            <button type="button" class="link-button" onClick={() => setParams({ connectError: undefined })}>
              Dismiss
            </button>
          </div>
        )}
      </Show>
      <Show when={!result.error} fallback={<ProblemNotice problem={problemOf(result.error!)} onRetry={refetch} />}>
        <Show when={result.data} fallback={<Skeleton rows={3} label="Loading accounts" />}>
          <Show
            when={accounts().length > 0}
            fallback={
              <Empty title="No accounts connected to this brand.">
                <p class="muted">
                  {session.can('brands:manage')
                    ? 'Connect a TikTok account to publish and to see its analytics.'
                    : 'An owner or admin connects accounts.'}
                </p>
              </Empty>
            }
          >
            <table class="table responsive" aria-label="Social accounts">
              <thead>
                <tr>
                  <th scope="col">Account</th>
                  <th scope="col">Status</th>
                  <th scope="col">Last sync</th>
                  <th scope="col">Connected</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                <For each={accounts()}>
                  {(account) => (
                    <tr data-account={account.id}>
                      <td data-label="Account">
                        <strong>{account.displayName}</strong>{' '}
                        <span class="muted">
                          {account.username ? `@${account.username} · ` : ''}
                          {account.platform.toLowerCase()}
                        </span>
                      </td>
                      <td data-label="Status">
                        <div>
                          <StateBadge state={account.status} />
                          <Show when={account.lastError}>
                            <p class="row-note">{account.lastError}</p>
                          </Show>
                        </div>
                      </td>
                      <td data-label="Last sync" class="num">
                        <Time at={account.lastSyncedAt} fallback="never" />
                      </td>
                      <td data-label="Connected" class="num">
                        <Time at={account.connectedAt} />
                      </td>
                      <td class="actions">
                        <Show when={session.can('analytics:read') && account.status === 'ACTIVE'}>
                          <button
                            type="button"
                            class="button small"
                            disabled={syncing() === account.id}
                            onClick={() => void sync(account.id)}
                          >
                            {syncing() === account.id ? 'Starting…' : 'Sync now'}
                          </button>
                        </Show>
                        <Show when={session.can('brands:manage') && account.status !== 'DISCONNECTED'}>
                          <ConfirmButton
                            class="button small"
                            label="Disconnect"
                            title={`Disconnect ${account.displayName}?`}
                            description="Pressroom gives up its access on the platform and stops syncing. Scheduled publications to this account will fail until it is connected again."
                            confirmLabel="Disconnect"
                            onConfirm={() => disconnect(account.id, account.displayName)}
                          />
                        </Show>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </Show>
        </Show>
      </Show>
    </>
  );
}
