// Ads home: the organization's TikTok for Business connections with their health (status, last
// success, TikTok's last error, reconnect when TikTok refuses the token), their advertisers and
// the daily facts backfill's progress. Live by subscription (adsConnectionChanged): an inventory
// read, a backfill window, a refused token or a disconnect elsewhere reaches the open screen.
import { A, useNavigate, useSearchParams } from '@solidjs/router';
import { createMutation } from '@urql/solid';
import { createEffect, createSignal, For, on, onMount, Show } from 'solid-js';
import {
  ConfirmButton,
  createLiveQuery,
  Empty,
  notify,
  notifyProblem,
  onLiveEvent,
  PageHeader,
  ProblemNotice,
  Skeleton,
  StateBadge,
  Time,
} from '../components/ui';
import { graphql } from '../gql';
import type { AdsConnectionFieldsFragment } from '../gql/graphql';
import { outcomeOf, problemOf, type Problem } from '../lib/errors';
import { useSession } from '../session';
import { AdsConnectionsDocument, AdsNav, connectOrganizationKey, Progress, useStartAdsConnect } from './ads-shared';
import './ads.css';

const DisconnectAdsDocument = graphql(`
  mutation DisconnectAdsConnection($id: ID!) {
    disconnectAdsConnection(id: $id) {
      __typename
      ... on MutationDisconnectAdsConnectionSuccess {
        data {
          id
          status
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const SyncAdsDocument = graphql(`
  mutation SyncAdsConnectionNow($id: ID!) {
    syncAdsConnectionNow(id: $id) {
      __typename
      ... on MutationSyncAdsConnectionNowSuccess {
        data {
          id
          status
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const CompleteAdsConnectDocument = graphql(`
  mutation CompleteAdsConnect($organizationId: ID!, $state: String!, $authCode: String!) {
    completeAdsConnect(organizationId: $organizationId, state: $state, authCode: $authCode) {
      __typename
      ... on MutationCompleteAdsConnectSuccess {
        data {
          id
          displayName
        }
      }
      ... on AdsPlatformError {
        platformCode
        requestId
      }
      ... on Error {
        message
      }
    }
  }
`);

const AdsConnectionChangedDocument = graphql(`
  subscription AdsConnectionChanged($organizationId: ID!) {
    adsConnectionChanged(organizationId: $organizationId) {
      ...AdsConnectionFields
    }
  }
`);

export default function Ads() {
  const session = useSession();
  const organizationId = () => session.organization()?.id ?? '';
  const readable = () => !!organizationId() && session.can('ads:read');
  const [result, refetch] = createLiveQuery({
    query: AdsConnectionsDocument,
    variables: () => ({ organizationId: organizationId() }),
    pause: () => !readable(),
  });
  // Each connection as adsConnectionChanged last sent it, over the list as read. A new read of
  // the list (after a disconnect here, or a reconnect's resync) is at least as fresh, so it
  // clears them; a connection the list does not have yet (made in another tab) reads it again.
  const [changed, setChanged] = createSignal<Record<string, AdsConnectionFieldsFragment>>({});
  createEffect(
    on(
      () => result.data,
      () => setChanged({}),
      { defer: true },
    ),
  );
  onLiveEvent(
    {
      query: AdsConnectionChangedDocument,
      variables: () => ({ organizationId: organizationId() }),
      pause: () => !readable(),
    },
    (data) => {
      const connection = data.adsConnectionChanged;
      if (!connection) return;
      const listed = result.data?.organization?.adsConnections.edges.some((edge) => edge.node.id === connection.id);
      if (listed) setChanged((byId) => ({ ...byId, [connection.id]: connection }));
      else refetch();
    },
  );
  const connections = () =>
    result.data?.organization?.adsConnections.edges.map((edge) => changed()[edge.node.id] ?? edge.node) ?? [];
  const connect = useStartAdsConnect();
  const [, disconnect] = createMutation(DisconnectAdsDocument);
  const [, sync] = createMutation(SyncAdsDocument);
  const [syncing, setSyncing] = createSignal<string | null>(null);

  const doSync = async (id: string, name: string) => {
    setSyncing(id);
    const answer = await sync({ id });
    setSyncing(null);
    const outcome = outcomeOf(answer, answer.data?.syncAdsConnectionNow);
    if (!outcome.ok) return notifyProblem(outcome.problem);
    // Its inventory time, or TikTok's refusal, arrives by adsConnectionChanged.
    notify(`Syncing ${name} now.`);
  };
  const doDisconnect = async (id: string, name: string) => {
    const answer = await disconnect({ id });
    const outcome = outcomeOf(answer, answer.data?.disconnectAdsConnection);
    if (!outcome.ok) return notifyProblem(outcome.problem);
    notify(`${name} disconnected; its inventory and reports stay.`);
    refetch();
  };

  return (
    <>
      <PageHeader title="Ads">
        <Show when={session.can('ads:manage')}>
          <button type="button" class="button primary" disabled={connect.busy()} onClick={() => void connect.go()}>
            Connect TikTok for Business
          </button>
        </Show>
      </PageHeader>
      <Show when={session.can('ads:read')} fallback={<Empty title="Your role does not include ads.">{null}</Empty>}>
        <AdsNav />
        <Show when={!result.error} fallback={<ProblemNotice problem={problemOf(result.error!)} onRetry={refetch} />}>
          <Show when={result.data} fallback={<Skeleton rows={4} label="Loading ad connections" />}>
            <Show
              when={connections().length > 0}
              fallback={
                <Empty title="No TikTok for Business connection yet.">
                  <p class="muted">
                    Connect one to see its advertisers, campaigns, ad groups and ads, and their daily numbers.
                  </p>
                  <Show
                    when={session.can('ads:manage')}
                    fallback={<p class="muted">An owner or admin of the organization can connect it.</p>}
                  >
                    <button
                      type="button"
                      class="button primary"
                      disabled={connect.busy()}
                      onClick={() => void connect.go()}
                    >
                      Connect TikTok for Business
                    </button>
                  </Show>
                </Empty>
              }
            >
              <ul class="ads-connections" aria-label="Connections">
                <For each={connections()}>
                  {(connection) => (
                    <li class="card ads-connection" data-connection={connection.displayName}>
                      <div class="ads-connection-head">
                        <h2 class="section-title">{connection.displayName}</h2>
                        <StateBadge state={connection.status} />
                        <div class="ads-connection-actions">
                          <Show when={session.can('ads:manage')}>
                            <Show
                              when={connection.status === 'RECONNECT_NEEDED' || connection.status === 'DISCONNECTED'}
                            >
                              <button
                                type="button"
                                class="button primary"
                                disabled={connect.busy()}
                                onClick={() => void connect.go()}
                              >
                                Reconnect
                              </button>
                            </Show>
                            <Show when={connection.status !== 'DISCONNECTED'}>
                              <button
                                type="button"
                                class="button"
                                disabled={syncing() === connection.id}
                                onClick={() => void doSync(connection.id, connection.displayName)}
                              >
                                {syncing() === connection.id ? 'Starting…' : 'Sync now'}
                              </button>
                              <ConfirmButton
                                label="Disconnect"
                                ariaLabel={`Disconnect ${connection.displayName}`}
                                title={`Disconnect ${connection.displayName}?`}
                                description="Pressroom erases its TikTok token and stops syncing it. Its inventory and reports stay; connect again to resume."
                                confirmLabel="Disconnect"
                                onConfirm={() => doDisconnect(connection.id, connection.displayName)}
                              />
                            </Show>
                          </Show>
                        </div>
                      </div>
                      <Show when={connection.status === 'RECONNECT_NEEDED'}>
                        <p class="banner warn" role="status">
                          TikTok no longer accepts this connection's token. Reconnect it to resume syncing.
                        </p>
                      </Show>
                      <dl class="facts ads-health">
                        <dt>Last success</dt>
                        <dd>
                          <Time at={connection.lastSuccessAt} fallback="never" />
                        </dd>
                        <dt>Inventory read</dt>
                        <dd>
                          <Time at={connection.lastInventorySyncAt} fallback="not yet" />
                        </dd>
                        <dt>Last error</dt>
                        <dd data-testid="last-error">
                          <Show when={connection.lastErrorCode || connection.lastErrorMessage} fallback="none">
                            <span>
                              <Show when={connection.lastErrorCode}>
                                <code>{connection.lastErrorCode}</code>{' '}
                              </Show>
                              {connection.lastErrorMessage} <Time at={connection.lastErrorAt} />
                            </span>
                          </Show>
                        </dd>
                        <dt>Daily numbers</dt>
                        <dd data-testid="facts-progress">
                          <Progress
                            value={connection.factsProgress}
                            label={`Backfill of ${connection.displayName}'s daily numbers`}
                          />
                        </dd>
                      </dl>
                      <table class="table responsive ads-advertisers">
                        <caption class="visually-hidden">Advertisers of {connection.displayName}</caption>
                        <thead>
                          <tr>
                            <th scope="col">Advertiser</th>
                            <th scope="col">Status</th>
                            <th scope="col">Currency</th>
                            <th scope="col">Time zone</th>
                            <th scope="col">Daily numbers</th>
                            <th scope="col">Read through</th>
                          </tr>
                        </thead>
                        <tbody>
                          <For
                            each={connection.advertisers}
                            fallback={
                              <tr>
                                <td colSpan={6} class="muted">
                                  No advertisers read yet.
                                </td>
                              </tr>
                            }
                          >
                            {(advertiser) => (
                              <tr classList={{ deleted: !!advertiser.deletedAt }}>
                                <td>
                                  <strong>{advertiser.name}</strong>{' '}
                                  <span class="muted small">{advertiser.platformAdvertiserId}</span>
                                </td>
                                <td data-label="Status">
                                  <Show
                                    when={advertiser.deletedAt}
                                    fallback={<StateBadge state={advertiser.status ?? 'UNKNOWN'} />}
                                  >
                                    <StateBadge state="DELETED" />
                                  </Show>
                                </td>
                                <td data-label="Currency">{advertiser.currency ?? '—'}</td>
                                <td data-label="Time zone">{advertiser.timezone ?? '—'}</td>
                                <td data-label="Daily numbers">
                                  <Progress value={advertiser.factsProgress} label={`Backfill of ${advertiser.name}`} />
                                </td>
                                <td data-label="Read through" class="num">
                                  {advertiser.factsThrough ?? '—'}
                                </td>
                              </tr>
                            )}
                          </For>
                        </tbody>
                      </table>
                      <p class="ads-links">
                        <A href="/ads/inventory">Inventory</A>
                        <A href={`/ads/report?advertiser=${connection.advertisers.map((a) => a.id).join(',')}`}>
                          Report
                        </A>
                      </p>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          </Show>
        </Show>
      </Show>
    </>
  );
}

/**
 * Where TikTok sends the browser back after consent (`TIKTOK_ADS_REDIRECT_URI`): the code and
 * state go to completeAdsConnect, then to the ads home.
 */
export function AdsConnected() {
  const session = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [, complete] = createMutation(CompleteAdsConnectDocument);
  const [problem, setProblem] = createSignal<Problem | null>(null);
  onMount(() => {
    const organizationId = sessionStorage.getItem(connectOrganizationKey) ?? session.organization()?.id;
    const authCode = typeof params.auth_code === 'string' ? params.auth_code : '';
    const state = typeof params.state === 'string' ? params.state : '';
    if (params.error || !authCode || !state || !organizationId) {
      setProblem({ message: 'TikTok for Business did not grant access, so nothing was connected.' });
      return;
    }
    void (async () => {
      const answer = await complete({ organizationId, state, authCode });
      sessionStorage.removeItem(connectOrganizationKey);
      const union = answer.data?.completeAdsConnect;
      const outcome = outcomeOf(answer, union);
      if (!outcome.ok) {
        const requestId = union && 'requestId' in union ? (union.requestId ?? undefined) : undefined;
        setProblem({ ...outcome.problem, ...(requestId ? { requestId } : {}) });
        return;
      }
      notify(`${outcome.data.displayName} connected; its inventory and daily numbers are being read.`);
      navigate('/ads', { replace: true });
    })();
  });
  return (
    <>
      <PageHeader title="Connecting TikTok for Business" />
      <Show when={problem()} fallback={<Skeleton rows={2} label="Finishing the connection" />}>
        {(shown) => (
          <>
            <ProblemNotice problem={shown()} />
            <p>
              <A class="button" href="/ads">
                Back to ads
              </A>
            </p>
          </>
        )}
      </Show>
    </>
  );
}
