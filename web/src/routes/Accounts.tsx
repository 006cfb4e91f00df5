// Social accounts of the brand: connect (the platform's consent screen, or a verified channel
// for Telegram), status with the reason when it is not usable, last sync, sync now, disconnect.
// Live: a status change made anywhere (a sync finding the grant revoked, a disconnect in another
// tab) shows without a reload.
import { useSearchParams } from '@solidjs/router';
import { createMutation, createQuery } from '@urql/solid';
import { createSignal, For, Show } from 'solid-js';
import {
  ConfirmButton,
  createLiveQuery,
  DialogActions,
  Empty,
  Field,
  FormDialog,
  notify,
  onLiveEvent,
  PageHeader,
  ProblemNotice,
  Skeleton,
  StateBadge,
  Time,
} from '../components/ui';
import { graphql } from '../gql';
import { outcomeOf, problemOf, type Problem } from '../lib/errors';
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

const AccountChangedDocument = graphql(`
  subscription AccountChanged($brandId: ID!) {
    accountChanged(brandId: $brandId) {
      id
      status
      lastError
    }
  }
`);

const ConnectableDocument = graphql(`
  query Connectable {
    serverInfo {
      connectableNetworks
      telegramServerBot
    }
  }
`);

/** The connect buttons, by `/connect/<name>`; only those the server has credentials for are shown. */
const oauthNetworks: Array<[string, string]> = [
  ['tiktok', 'Connect TikTok'],
  // Meta login connects Facebook Pages and their Instagram accounts (chosen after consent).
  ['facebook', 'Connect Facebook / Instagram'],
  ['youtube', 'Connect YouTube'],
  ['vk', 'Connect VK'],
];

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
  const [connectable] = createQuery({ query: ConnectableDocument });
  const networks = () => connectable.data?.serverInfo.connectableNetworks ?? [];
  // A changed account is re-read whole (its last sync, its connect time); a new one is listed.
  onLiveEvent(
    { query: AccountChangedDocument, variables: () => ({ brandId: brandId() }), pause: () => !brandId() },
    () => refetch(),
  );

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
          <For each={oauthNetworks.filter(([name]) => networks().includes(name))}>
            {([name, label], index) => (
              <a
                class={index() === 0 ? 'button primary' : 'button'}
                rel="external"
                href={`/connect/${name}?brandId=${encodeURIComponent(brandId())}`}
              >
                {label}
              </a>
            )}
          </For>
          <Show when={networks().includes('telegram')}>
            <ConnectTelegram
              brandId={brandId()}
              serverBot={connectable.data?.serverInfo.telegramServerBot ?? false}
              onConnected={(title) => {
                notify(`${title} is connected.`);
                refetch();
              }}
            />
          </Show>
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
                    ? 'Connect an account to publish to it and to see its analytics.'
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

/**
 * Telegram has no OAuth: a channel is connected by naming it, with the server's bot or one's
 * own bot token; the server checks the bot is an administrator that may post there.
 */
function ConnectTelegram(props: { brandId: string; serverBot: boolean; onConnected: (title: string) => void }) {
  const [open, setOpen] = createSignal(false);
  const [chat, setChat] = createSignal('');
  const [botToken, setBotToken] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [problem, setProblem] = createSignal<Problem | null>(null);
  const reset = () => {
    setChat('');
    setBotToken('');
    setProblem(null);
  };

  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    const response = await fetch('/connect/telegram', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ brandId: props.brandId, chat: chat().trim(), botToken: botToken().trim() || undefined }),
      credentials: 'same-origin',
    }).catch(() => null);
    setBusy(false);
    const requestId = response?.headers.get('x-request-id') ?? undefined;
    if (!response) return setProblem({ message: 'Cannot reach the server.' });
    const answer = (await response.json().catch(() => ({}))) as { message?: string; error?: string };
    if (!response.ok) {
      return setProblem({
        message: answer.message ?? `The channel could not be connected (${answer.error ?? response.status}).`,
        requestId,
      });
    }
    props.onConnected(chat().trim());
    setOpen(false);
    reset();
  };

  return (
    <FormDialog
      open={open()}
      onOpenChange={(isOpen) => {
        setOpen(isOpen);
        if (!isOpen) reset();
      }}
      trigger="Connect Telegram"
      title="Connect a Telegram channel"
      description={
        props.serverBot
          ? "Add Pressroom's bot to the channel as an administrator that may post, or give your own bot's token."
          : 'Add your bot to the channel as an administrator that may post, and give its token.'
      }
    >
      <form class="form" onSubmit={(event) => void onSubmit(event)}>
        <Field label="Channel" for="telegram-chat" hint={<>Its @username, or its numeric id.</>}>
          <input
            id="telegram-chat"
            class="input"
            required
            placeholder="@yourchannel"
            autocomplete="off"
            value={chat()}
            onInput={(event) => setChat(event.currentTarget.value)}
          />
        </Field>
        <Field
          label={props.serverBot ? 'Bot token (optional)' : 'Bot token'}
          for="telegram-bot-token"
          hint={<>From @BotFather. Stored encrypted.</>}
        >
          <input
            id="telegram-bot-token"
            class="input"
            type="password"
            autocomplete="off"
            required={!props.serverBot}
            value={botToken()}
            onInput={(event) => setBotToken(event.currentTarget.value)}
          />
        </Field>
        <Show when={problem()}>{(shown) => <ProblemNotice problem={shown()} />}</Show>
        <DialogActions submit={busy() ? 'Checking…' : 'Connect channel'} disabled={busy()} />
      </form>
    </FormDialog>
  );
}
