// The inventory as a nested table: advertisers → campaigns → ad groups → ads, each level read
// when it is opened and paged 50 at a time, with status, budget in the advertiser's currency and
// deleted objects marked. People with ads:bulk tick campaigns, ad groups or ads (one kind of one
// connection, as a bulk job takes them) and preview enabling, pausing or a new budget.
import { A, useNavigate } from '@solidjs/router';
import { createMutation, createQuery } from '@urql/solid';
import { createContext, createSignal, For, Show, useContext, type JSX } from 'solid-js';
import { createStore, produce } from 'solid-js/store';
import {
  createLiveQuery,
  Empty,
  notifyProblem,
  PageHeader,
  ProblemNotice,
  Skeleton,
  StateBadge,
} from '../components/ui';
import { graphql } from '../gql';
import { outcomeOf, problemOf } from '../lib/errors';
import { formatMoney } from '../lib/money';
import { useSession } from '../session';
import { AdsConnectionsDocument, AdsNav, Deleted } from './ads-shared';
import './ads.css';

const pageSize = 50;

const CampaignsDocument = graphql(`
  query AdsInventoryCampaigns($id: ID!, $after: String, $first: Int!, $includeDeleted: Boolean!) {
    node(id: $id) {
      id
      ... on Advertiser {
        campaigns(first: $first, after: $after, includeDeleted: $includeDeleted) {
          edges {
            node {
              id
              name
              platformId
              operationStatus
              secondaryStatus
              budget
              budgetMode
              objective
              deletedAt
            }
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
      }
    }
  }
`);

const AdGroupsDocument = graphql(`
  query AdsInventoryAdGroups($id: ID!, $after: String, $first: Int!, $includeDeleted: Boolean!) {
    node(id: $id) {
      id
      ... on AdsCampaign {
        adGroups(first: $first, after: $after, includeDeleted: $includeDeleted) {
          edges {
            node {
              id
              name
              platformId
              operationStatus
              secondaryStatus
              budget
              budgetMode
              deletedAt
            }
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
      }
    }
  }
`);

const AdsDocument = graphql(`
  query AdsInventoryAds($id: ID!, $after: String, $first: Int!, $includeDeleted: Boolean!) {
    node(id: $id) {
      id
      ... on AdsAdGroup {
        ads(first: $first, after: $after, includeDeleted: $includeDeleted) {
          edges {
            node {
              id
              name
              platformId
              operationStatus
              secondaryStatus
              deletedAt
            }
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
      }
    }
  }
`);

const PreviewBulkDocument = graphql(`
  mutation PreviewAdsBulkJob($objectIds: [ID!]!, $action: AdsBulkAction!, $budget: String) {
    previewAdsBulkJob(objectIds: $objectIds, action: $action, budget: $budget) {
      __typename
      ... on MutationPreviewAdsBulkJobSuccess {
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

type Level = 'CAMPAIGN' | 'ADGROUP' | 'AD';
const levelWords: Record<Level, [string, string]> = {
  CAMPAIGN: ['campaign', 'campaigns'],
  ADGROUP: ['ad group', 'ad groups'],
  AD: ['ad', 'ads'],
};

interface Selection {
  level: Level | null;
  connectionId: string | null;
  /** Object id → its name (for the bar and the preview). */
  items: Record<string, string>;
}

interface InventoryContext {
  includeDeleted: () => boolean;
  canBulk: () => boolean;
  selection: Selection;
  toggle: (level: Level, connectionId: string, id: string, name: string, on: boolean) => void;
}
const Inventory = createContext<InventoryContext>();
const useInventory = () => useContext(Inventory)!;

interface Node {
  id: string;
  name: string;
  platformId: string;
  operationStatus: string;
  secondaryStatus?: string | null;
  budget?: string | null;
  budgetMode?: string | null;
  deletedAt?: string | null;
}

/** The operation status in words (ENABLE / DISABLE are TikTok's). */
function OperationStatus(props: { status: string; secondary?: string | null | undefined }) {
  const shown = () => (props.status === 'ENABLE' ? 'ENABLED' : props.status === 'DISABLE' ? 'PAUSED' : props.status);
  return (
    <span class="ads-status">
      <StateBadge state={shown()} />
      <Show when={props.secondary}>
        <span class="muted small">{props.secondary!.replace(/^(CAMPAIGN|ADGROUP|AD)_STATUS_/, '').toLowerCase()}</span>
      </Show>
    </span>
  );
}

/** One object's row: its disclosure (when it has children), tick box, name, status, budget. */
function ObjectRow(props: {
  level: Level;
  depth: number;
  node: Node;
  connectionId: string;
  currency: string | null | undefined;
  expanded?: boolean;
  onToggle?: () => void;
  childWords?: string;
  reportHref: string;
}) {
  const inventory = useInventory();
  const checked = () => props.node.id in inventory.selection.items;
  return (
    <tr
      classList={{ deleted: !!props.node.deletedAt, selected: checked() }}
      style={{ '--depth': props.depth }}
      data-object={props.node.name}
      data-level={props.level}
    >
      <td class="inv-name">
        <div class="inv-indent" style={{ '--depth': props.depth }}>
          <Show when={props.onToggle} fallback={<span class="inv-leaf" aria-hidden="true" />}>
            <button
              type="button"
              class="icon-button inv-toggle"
              aria-expanded={props.expanded ?? false}
              aria-label={`${props.childWords} of ${props.node.name}`}
              onClick={() => props.onToggle?.()}
            >
              <span aria-hidden="true">{props.expanded ? '▾' : '▸'}</span>
            </button>
          </Show>
          <Show when={inventory.canBulk() && !props.node.deletedAt}>
            <input
              type="checkbox"
              class="inv-check"
              checked={checked()}
              aria-label={`Select ${levelWords[props.level][0]} ${props.node.name}`}
              onChange={(event) =>
                inventory.toggle(
                  props.level,
                  props.connectionId,
                  props.node.id,
                  props.node.name,
                  event.currentTarget.checked,
                )
              }
            />
          </Show>
          <span class="inv-label">
            <span class="inv-kind">{levelWords[props.level][0]}</span>
            <span class="inv-title">{props.node.name}</span>
            <Deleted at={props.node.deletedAt} />
          </span>
        </div>
      </td>
      <td data-label="Status">
        <OperationStatus status={props.node.operationStatus} secondary={props.node.secondaryStatus} />
      </td>
      <td data-label="Budget" class="num">
        <Show when={props.node.budget} fallback={<span class="muted">—</span>}>
          <span>
            {formatMoney(props.node.budget, props.currency)}
            <Show when={props.node.budgetMode}>
              <span class="muted small"> {props.node.budgetMode!.replace('BUDGET_MODE_', '').toLowerCase()}</span>
            </Show>
          </span>
        </Show>
      </td>
      <td data-label="TikTok id" class="num small">
        {props.node.platformId}
      </td>
      <td class="actions">
        <A href={props.reportHref} aria-label={`Report of ${props.node.name}`}>
          Report
        </A>
      </td>
    </tr>
  );
}

/** A message row spanning the table (loading, empty, error, more). */
function NoteRow(props: { depth: number; children: JSX.Element }) {
  return (
    <tr class="inv-note" style={{ '--depth': props.depth }}>
      <td colSpan={5}>
        <div class="inv-indent" style={{ '--depth': props.depth }}>
          {props.children}
        </div>
      </td>
    </tr>
  );
}

type PageResult = {
  nodes: Node[];
  hasNextPage: boolean;
  endCursor: string | null | undefined;
} | null;

/**
 * The children of one object, page after page: each page is its own query, and the last one
 * offers the next.
 */
function Children(props: {
  depth: number;
  words: string;
  page: (after: string | null, onMore: (cursor: string) => void, last: () => boolean) => JSX.Element;
}) {
  const [cursors, setCursors] = createSignal<Array<string | null>>([null]);
  return (
    <For each={cursors()}>
      {(after, index) =>
        props.page(
          after,
          (cursor) => setCursors([...cursors(), cursor]),
          () => index() === cursors().length - 1,
        )
      }
    </For>
  );
}

function PageRows(props: {
  depth: number;
  words: string;
  fetching: boolean;
  error: Parameters<typeof problemOf>[0] | undefined;
  result: PageResult;
  last: boolean;
  onMore: (cursor: string) => void;
  onRetry: () => void;
  row: (node: Node) => JSX.Element;
}) {
  return (
    <Show
      when={!props.error}
      fallback={
        <NoteRow depth={props.depth}>
          <ProblemNotice problem={problemOf(props.error!)} onRetry={props.onRetry} />
        </NoteRow>
      }
    >
      <Show
        when={props.result}
        fallback={
          <NoteRow depth={props.depth}>
            <span class="muted" role="status">
              Loading {props.words}…
            </span>
          </NoteRow>
        }
      >
        {(page) => (
          <>
            <Show when={page().nodes.length === 0}>
              <NoteRow depth={props.depth}>
                <span class="muted">No {props.words}.</span>
              </NoteRow>
            </Show>
            <For each={page().nodes}>{(node) => props.row(node)}</For>
            <Show when={props.last && page().hasNextPage && page().endCursor}>
              <NoteRow depth={props.depth}>
                <button type="button" class="button small" onClick={() => props.onMore(page().endCursor!)}>
                  More {props.words}
                </button>
              </NoteRow>
            </Show>
          </>
        )}
      </Show>
    </Show>
  );
}

function AdRows(props: {
  adGroupId: string;
  depth: number;
  connectionId: string;
  currency: string | null | undefined;
}) {
  const inventory = useInventory();
  return (
    <Children
      depth={props.depth}
      words="ads"
      page={(after, onMore, last) => {
        const [result, refetch] = createQuery({
          query: AdsDocument,
          variables: () => ({
            id: props.adGroupId,
            after,
            first: pageSize,
            includeDeleted: inventory.includeDeleted(),
          }),
        });
        const page = (): PageResult => {
          const node = result.data?.node;
          if (!node || !('ads' in node)) return null;
          return {
            nodes: node.ads.edges.map((edge) => edge.node),
            hasNextPage: node.ads.pageInfo.hasNextPage,
            endCursor: node.ads.pageInfo.endCursor,
          };
        };
        return (
          <PageRows
            depth={props.depth}
            words="ads"
            fetching={result.fetching}
            error={result.error}
            result={page()}
            last={last()}
            onMore={onMore}
            onRetry={() => refetch({ requestPolicy: 'network-only' })}
            row={(ad) => (
              <ObjectRow
                level="AD"
                depth={props.depth}
                node={ad}
                connectionId={props.connectionId}
                currency={props.currency}
                reportHref={`/ads/report?level=AD&ad=${ad.id}`}
              />
            )}
          />
        );
      }}
    />
  );
}

function AdGroupRows(props: {
  campaignId: string;
  depth: number;
  connectionId: string;
  currency: string | null | undefined;
}) {
  const inventory = useInventory();
  return (
    <Children
      depth={props.depth}
      words="ad groups"
      page={(after, onMore, last) => {
        const [result, refetch] = createQuery({
          query: AdGroupsDocument,
          variables: () => ({
            id: props.campaignId,
            after,
            first: pageSize,
            includeDeleted: inventory.includeDeleted(),
          }),
        });
        const page = (): PageResult => {
          const node = result.data?.node;
          if (!node || !('adGroups' in node)) return null;
          return {
            nodes: node.adGroups.edges.map((edge) => edge.node),
            hasNextPage: node.adGroups.pageInfo.hasNextPage,
            endCursor: node.adGroups.pageInfo.endCursor,
          };
        };
        return (
          <PageRows
            depth={props.depth}
            words="ad groups"
            fetching={result.fetching}
            error={result.error}
            result={page()}
            last={last()}
            onMore={onMore}
            onRetry={() => refetch({ requestPolicy: 'network-only' })}
            row={(group) => {
              const [open, setOpen] = createSignal(false);
              return (
                <>
                  <ObjectRow
                    level="ADGROUP"
                    depth={props.depth}
                    node={group}
                    connectionId={props.connectionId}
                    currency={props.currency}
                    expanded={open()}
                    onToggle={() => setOpen(!open())}
                    childWords="Ads"
                    reportHref={`/ads/report?level=AD&adgroup=${group.id}`}
                  />
                  <Show when={open()}>
                    <AdRows
                      adGroupId={group.id}
                      depth={props.depth + 1}
                      connectionId={props.connectionId}
                      currency={props.currency}
                    />
                  </Show>
                </>
              );
            }}
          />
        );
      }}
    />
  );
}

function CampaignRows(props: {
  advertiserId: string;
  depth: number;
  connectionId: string;
  currency: string | null | undefined;
}) {
  const inventory = useInventory();
  return (
    <Children
      depth={props.depth}
      words="campaigns"
      page={(after, onMore, last) => {
        const [result, refetch] = createQuery({
          query: CampaignsDocument,
          variables: () => ({
            id: props.advertiserId,
            after,
            first: pageSize,
            includeDeleted: inventory.includeDeleted(),
          }),
        });
        const page = (): PageResult => {
          const node = result.data?.node;
          if (!node || !('campaigns' in node)) return null;
          return {
            nodes: node.campaigns.edges.map((edge) => edge.node),
            hasNextPage: node.campaigns.pageInfo.hasNextPage,
            endCursor: node.campaigns.pageInfo.endCursor,
          };
        };
        return (
          <PageRows
            depth={props.depth}
            words="campaigns"
            fetching={result.fetching}
            error={result.error}
            result={page()}
            last={last()}
            onMore={onMore}
            onRetry={() => refetch({ requestPolicy: 'network-only' })}
            row={(campaign) => {
              const [open, setOpen] = createSignal(false);
              return (
                <>
                  <ObjectRow
                    level="CAMPAIGN"
                    depth={props.depth}
                    node={campaign}
                    connectionId={props.connectionId}
                    currency={props.currency}
                    expanded={open()}
                    onToggle={() => setOpen(!open())}
                    childWords="Ad groups"
                    reportHref={`/ads/report?level=ADGROUP&campaign=${campaign.id}`}
                  />
                  <Show when={open()}>
                    <AdGroupRows
                      campaignId={campaign.id}
                      depth={props.depth + 1}
                      connectionId={props.connectionId}
                      currency={props.currency}
                    />
                  </Show>
                </>
              );
            }}
          />
        );
      }}
    />
  );
}

/** The selection's bar: what is ticked, the change, and Preview (which makes the job). */
function BulkBar() {
  const inventory = useInventory();
  const navigate = useNavigate();
  const [action, setAction] = createSignal<'ENABLE' | 'PAUSE' | 'SET_BUDGET'>('PAUSE');
  const [budget, setBudget] = createSignal('');
  const [state, preview] = createMutation(PreviewBulkDocument);
  const count = () => Object.keys(inventory.selection.items).length;
  const level = () => inventory.selection.level ?? 'AD';
  const words = () => levelWords[level()][count() === 1 ? 0 : 1];
  const run = async (event: Event) => {
    event.preventDefault();
    const chosen = level() === 'AD' && action() === 'SET_BUDGET' ? 'PAUSE' : action();
    const answer = await preview({
      objectIds: Object.keys(inventory.selection.items),
      action: chosen,
      budget: chosen === 'SET_BUDGET' ? budget() : null,
    });
    const outcome = outcomeOf(answer, answer.data?.previewAdsBulkJob);
    if (!outcome.ok) return notifyProblem(outcome.problem);
    navigate(`/ads/jobs/${outcome.data.id}`);
  };
  return (
    <Show when={count() > 0}>
      <form class="bulk-bar" aria-label="Bulk change" onSubmit={(event) => void run(event)}>
        <strong role="status">
          {count()} {words()} selected
        </strong>
        <label class="bulk-field">
          <span>Change</span>
          <select
            class="select"
            value={action()}
            onChange={(event) => setAction(event.currentTarget.value as 'ENABLE' | 'PAUSE' | 'SET_BUDGET')}
          >
            <option value="PAUSE">Pause</option>
            <option value="ENABLE">Enable</option>
            <Show when={level() !== 'AD'}>
              <option value="SET_BUDGET">Set budget</option>
            </Show>
          </select>
        </label>
        <Show when={action() === 'SET_BUDGET' && level() !== 'AD'}>
          <label class="bulk-field">
            <span>Budget</span>
            <input
              class="input narrow"
              inputmode="decimal"
              required
              pattern="[0-9]+(\.[0-9]{1,2})?"
              placeholder="150.00"
              value={budget()}
              onInput={(event) => setBudget(event.currentTarget.value)}
            />
          </label>
        </Show>
        <button type="submit" class="button primary" disabled={state.fetching}>
          Preview
        </button>
        <button type="button" class="button" onClick={() => inventory.toggle(level(), '', '', '', false)}>
          Clear
        </button>
      </form>
    </Show>
  );
}

export default function AdsInventory() {
  const session = useSession();
  const organizationId = () => session.organization()?.id ?? '';
  const [result, refetch] = createLiveQuery({
    query: AdsConnectionsDocument,
    variables: () => ({ organizationId: organizationId() }),
    pause: () => !organizationId() || !session.can('ads:read'),
  });
  const [includeDeleted, setIncludeDeleted] = createSignal(false);
  const [selection, setSelection] = createStore<Selection>({ level: null, connectionId: null, items: {} });
  const [note, setNote] = createSignal('');
  const toggle: InventoryContext['toggle'] = (level, connectionId, id, name, on) => {
    if (!id) {
      setSelection({ level: null, connectionId: null, items: {} });
      setNote('');
      return;
    }
    if (on && (selection.level !== level || selection.connectionId !== connectionId) && selection.level) {
      // A job takes one kind of object of one connection: another kind starts a new selection.
      setSelection({ level, connectionId, items: { [id]: name } });
      setNote(`A bulk change takes one kind of object: the selection now holds ${levelWords[level][1]} only.`);
      return;
    }
    setSelection(
      produce((draft) => {
        if (on) {
          draft.level = level;
          draft.connectionId = connectionId;
          draft.items[id] = name;
        } else {
          delete draft.items[id];
          if (Object.keys(draft.items).length === 0) {
            draft.level = null;
            draft.connectionId = null;
          }
        }
      }),
    );
  };
  const connections = () => result.data?.organization?.adsConnections.edges.map((edge) => edge.node) ?? [];
  const advertisers = () =>
    connections().flatMap((connection) =>
      connection.advertisers
        .filter((advertiser) => includeDeleted() || !advertiser.deletedAt)
        .map((advertiser) => ({ advertiser, connection })),
    );
  const [openAdvertisers, setOpenAdvertisers] = createStore<Record<string, boolean>>({});

  return (
    <Inventory.Provider value={{ includeDeleted, canBulk: () => session.can('ads:bulk'), selection, toggle }}>
      <PageHeader title="Ads inventory">
        <label class="check">
          <input
            type="checkbox"
            checked={includeDeleted()}
            onChange={(event) => setIncludeDeleted(event.currentTarget.checked)}
          />
          Show deleted
        </label>
      </PageHeader>
      <Show when={session.can('ads:read')} fallback={<Empty title="Your role does not include ads.">{null}</Empty>}>
        <AdsNav />
        <Show when={note()}>
          <p class="banner" role="status">
            {note()}
          </p>
        </Show>
        <Show when={!result.error} fallback={<ProblemNotice problem={problemOf(result.error!)} onRetry={refetch} />}>
          <Show when={result.data} fallback={<Skeleton rows={6} label="Loading the inventory" />}>
            <Show
              when={advertisers().length > 0}
              fallback={
                <Empty title="No advertisers yet.">
                  <p class="muted">Connect TikTok for Business; its advertisers appear here after the first sync.</p>
                  <A class="button primary" href="/ads">
                    Go to connections
                  </A>
                </Empty>
              }
            >
              <table class="table responsive inventory" aria-label="Inventory">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Status</th>
                    <th scope="col" class="num">
                      Budget
                    </th>
                    <th scope="col" class="num">
                      TikTok id
                    </th>
                    <th scope="col">
                      <span class="visually-hidden">Links</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  <For each={advertisers()}>
                    {({ advertiser, connection }) => (
                      <>
                        <tr
                          class="inv-advertiser"
                          classList={{ deleted: !!advertiser.deletedAt }}
                          data-object={advertiser.name}
                        >
                          <td class="inv-name">
                            <div class="inv-indent" style={{ '--depth': 0 }}>
                              <button
                                type="button"
                                class="icon-button inv-toggle"
                                aria-expanded={!!openAdvertisers[advertiser.id]}
                                aria-label={`Campaigns of ${advertiser.name}`}
                                onClick={() => setOpenAdvertisers(advertiser.id, !openAdvertisers[advertiser.id])}
                              >
                                <span aria-hidden="true">{openAdvertisers[advertiser.id] ? '▾' : '▸'}</span>
                              </button>
                              <span class="inv-label">
                                <span class="inv-kind">advertiser</span>
                                <strong class="inv-title">{advertiser.name}</strong>
                                <span class="muted small">
                                  {connection.displayName} · {advertiser.currency ?? 'no currency'} ·{' '}
                                  {advertiser.timezone ?? ''}
                                </span>
                                <Deleted at={advertiser.deletedAt} />
                              </span>
                            </div>
                          </td>
                          <td data-label="Status">
                            <StateBadge state={advertiser.status ?? 'UNKNOWN'} />
                          </td>
                          <td data-label="Budget" class="num">
                            <span class="muted">—</span>
                          </td>
                          <td data-label="TikTok id" class="num small">
                            {advertiser.platformAdvertiserId}
                          </td>
                          <td class="actions">
                            <A
                              href={`/ads/report?level=CAMPAIGN&advertiser=${advertiser.id}`}
                              aria-label={`Report of ${advertiser.name}`}
                            >
                              Report
                            </A>
                          </td>
                        </tr>
                        <Show when={openAdvertisers[advertiser.id]}>
                          <CampaignRows
                            advertiserId={advertiser.id}
                            depth={1}
                            connectionId={connection.id}
                            currency={advertiser.currency}
                          />
                        </Show>
                      </>
                    )}
                  </For>
                </tbody>
              </table>
              <BulkBar />
            </Show>
          </Show>
        </Show>
      </Show>
    </Inventory.Provider>
  );
}
