// What the ads screens share: their section links, the organization's connections with their
// advertisers (the home screen, the inventory and the report's advertiser filter read them), and
// the connect flow's start (a new connection and a reconnect are the same consent).
import { A } from '@solidjs/router';
import { createMutation } from '@urql/solid';
import { createSignal, For, onMount, Show } from 'solid-js';
import { notifyProblem } from '../components/ui';
import { graphql } from '../gql';
import { outcomeOf } from '../lib/errors';
import { useSession } from '../session';

/** What the screens show of a connection: the list reads it, adsConnectionChanged sends it again. */
export const AdsConnectionFields = graphql(`
  fragment AdsConnectionFields on AdsConnection {
    id
    displayName
    status
    connectedAt
    lastSuccessAt
    lastErrorAt
    lastErrorCode
    lastErrorMessage
    lastInventorySyncAt
    factsProgress
    advertisers {
      id
      name
      platformAdvertiserId
      status
      currency
      timezone
      deletedAt
      factsFrom
      factsThrough
      factsProgress
      lastFactsSyncAt
    }
  }
`);

export const AdsConnectionsDocument = graphql(`
  query AdsConnections($organizationId: ID!) {
    organization(id: $organizationId) {
      id
      adsConnections(first: 50) {
        edges {
          node {
            ...AdsConnectionFields
          }
        }
      }
    }
  }
`);

const StartAdsConnectDocument = graphql(`
  mutation StartAdsConnect($organizationId: ID!) {
    startAdsConnect(organizationId: $organizationId) {
      __typename
      ... on MutationStartAdsConnectSuccess {
        data {
          authorizeUrl
          expiresAt
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

/** Where the consent's organization waits while the browser is at TikTok (the callback needs it). */
export const connectOrganizationKey = 'pressroom.adsConnectOrganization';

/** Sends the browser to TikTok for Business's consent page; it comes back to /ads/connected. */
export function useStartAdsConnect() {
  const session = useSession();
  const [state, start] = createMutation(StartAdsConnectDocument);
  const [leaving, setLeaving] = createSignal(false);
  const go = async () => {
    const organizationId = session.organization()?.id;
    if (!organizationId) return;
    const result = await start({ organizationId });
    const outcome = outcomeOf(result, result.data?.startAdsConnect);
    if (!outcome.ok) return notifyProblem(outcome.problem);
    sessionStorage.setItem(connectOrganizationKey, organizationId);
    setLeaving(true);
    window.location.assign(outcome.data.authorizeUrl);
  };
  return { go, busy: () => state.fetching || leaving() };
}

/** The ads screens' own links, under the page title. */
export function AdsNav() {
  const session = useSession();
  const links = () =>
    [
      { href: '/ads', label: 'Connections', end: true },
      { href: '/ads/inventory', label: 'Inventory' },
      { href: '/ads/report', label: 'Report' },
      ...(session.can('ads:bulk') ? [{ href: '/ads/jobs', label: 'Bulk jobs' }] : []),
      { href: '/ads/alerts', label: 'Alerts' },
    ] as Array<{ href: string; label: string; end?: boolean }>;
  // Below 768 px the links scroll sideways: the current one is brought into view.
  let nav: HTMLElement | undefined;
  onMount(() => nav?.querySelector('.active')?.scrollIntoView({ block: 'nearest', inline: 'nearest' }));
  return (
    <nav class="subnav" aria-label="Ads" ref={nav}>
      <For each={links()}>
        {(link) => (
          <A href={link.href} end={link.end ?? false} activeClass="active" class="subnav-link">
            {link.label}
          </A>
        )}
      </For>
    </nav>
  );
}

/** A 0..1 share as a labelled progress bar with its percentage in words. */
export function Progress(props: { value: number | null | undefined; label: string }) {
  const percent = () => Math.round((props.value ?? 0) * 100);
  return (
    <span class="ads-progress">
      <progress max={100} value={percent()} aria-label={props.label} />
      <span class="num">{percent()}%</span>
    </span>
  );
}

export function Deleted(props: { at: string | null | undefined }) {
  return (
    <Show when={props.at}>
      <span class="badge tone-grey" data-state="DELETED">
        <span class="badge-dot" aria-hidden="true" />
        deleted
      </span>
    </Show>
  );
}
