// The ads report: a level, a date range (the advertiser's days), one row per object or per
// object and day / week, the metric columns one picks, filters (advertiser, and a campaign, ad
// group or ad reached by drilling down or from the inventory), sort by a column header, the
// totals row, a chart of the series, and pages. Everything it shows is in the URL, so a report
// can be linked, saved as a view (private or shared in the organization) and loaded again, and
// downloaded as CSV. Amounts are in the report's currency.
import { A, useSearchParams } from '@solidjs/router';
import { createMutation, createQuery } from '@urql/solid';
import { createMemo, createSignal, For, Show } from 'solid-js';
import { TimeChart, type ChartSeries } from '../components/TimeChart';
import {
  ConfirmButton,
  createLiveQuery,
  DateRangeFields,
  Empty,
  notify,
  notifyProblem,
  PageHeader,
  ProblemNotice,
  Skeleton,
} from '../components/ui';
import { graphql } from '../gql';
import type { AdsMetric, AdsMetricsFieldsFragment, AdsReportInput, AdsReportLevel } from '../gql/graphql';
import { problemOf, type Problem } from '../lib/errors';
import { formatCount, formatMoney } from '../lib/money';
import { useSession } from '../session';
import { AdsConnectionsDocument, AdsNav } from './ads-shared';
import './analytics.css';
import './ads.css';

const ReportDocument = graphql(`
  query AdsReport(
    $organizationId: ID!
    $input: AdsReportInput!
    $first: Int!
    $after: String
    $interval: AdsSeriesInterval!
  ) {
    organization(id: $organizationId) {
      id
      adsReport(input: $input) {
        __typename
        ... on ValidationError {
          message
        }
        ... on OrganizationAdsReportSuccess {
          data {
            currency
            from
            to
            level
            totals {
              ...AdsMetricsFields
            }
            rows(first: $first, after: $after) {
              totalCount
              hasNextPage
              endCursor
              rows {
                objectId
                name
                period
                level
                advertiser {
                  id
                  name
                  platformAdvertiserId
                  currency
                }
                metrics {
                  ...AdsMetricsFields
                }
              }
            }
            series(interval: $interval) {
              period
              metrics {
                spend
                clicks
                conversions
              }
            }
          }
        }
      }
    }
  }
  fragment AdsMetricsFields on AdsMetrics {
    spend
    impressions
    clicks
    ctr
    cpc
    cpm
    reach
    conversions
    costPerConversion
    videoPlays
    videoViewsP25
    videoViewsP50
    videoViewsP75
    videoViewsP100
    likes
    comments
    shares
    follows
  }
`);

const ReportViewsDocument = graphql(`
  query AdsReportViews($organizationId: ID!) {
    organization(id: $organizationId) {
      id
      adsReportViews {
        id
        name
        shared
        editable
        owner {
          id
          name
        }
        report {
          level
          from
          to
          groupBy
          metrics
          sortBy
          sortDirection
          advertiserIds
          campaignIds
          adGroupIds
          adIds
        }
      }
    }
  }
`);

const SaveReportViewDocument = graphql(`
  mutation SaveAdsReportView($input: SaveAdsReportViewInput!) {
    saveAdsReportView(input: $input) {
      __typename
      ... on MutationSaveAdsReportViewSuccess {
        view {
          id
          name
          shared
          editable
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const DeleteReportViewDocument = graphql(`
  mutation DeleteAdsReportView($id: ID!) {
    deleteAdsReportView(id: $id) {
      __typename
      ... on MutationDeleteAdsReportViewSuccess {
        id
      }
      ... on Error {
        message
      }
    }
  }
`);

const ExportReportCsvDocument = graphql(`
  mutation ExportAdsReportCsv($organizationId: ID!, $report: AdsReportInput!) {
    exportAdsReportCsv(organizationId: $organizationId, report: $report) {
      __typename
      ... on MutationExportAdsReportCsvSuccess {
        url
        filename
        expiresAt
      }
      ... on Error {
        message
      }
    }
  }
`);

const FilterNameDocument = graphql(`
  query AdsFilterName($id: ID!) {
    node(id: $id) {
      id
      ... on AdsCampaign {
        name
      }
      ... on AdsAdGroup {
        name
      }
      ... on AdsAd {
        name
      }
    }
  }
`);

type Kind = 'money' | 'count' | 'percent';
interface MetricColumn {
  metric: AdsMetric;
  field: Exclude<keyof AdsMetricsFieldsFragment, '__typename'>;
  label: string;
  kind: Kind;
}
const metricColumns: MetricColumn[] = [
  { metric: 'SPEND', field: 'spend', label: 'Spend', kind: 'money' },
  { metric: 'IMPRESSIONS', field: 'impressions', label: 'Impressions', kind: 'count' },
  { metric: 'CLICKS', field: 'clicks', label: 'Clicks', kind: 'count' },
  { metric: 'CTR', field: 'ctr', label: 'CTR', kind: 'percent' },
  { metric: 'CPC', field: 'cpc', label: 'CPC', kind: 'money' },
  { metric: 'CPM', field: 'cpm', label: 'CPM', kind: 'money' },
  { metric: 'REACH', field: 'reach', label: 'Reach', kind: 'count' },
  { metric: 'CONVERSIONS', field: 'conversions', label: 'Conversions', kind: 'count' },
  { metric: 'COST_PER_CONVERSION', field: 'costPerConversion', label: 'Cost / conversion', kind: 'money' },
  { metric: 'VIDEO_PLAYS', field: 'videoPlays', label: 'Video plays', kind: 'count' },
  { metric: 'VIDEO_VIEWS_P25', field: 'videoViewsP25', label: 'Viewed 25%', kind: 'count' },
  { metric: 'VIDEO_VIEWS_P50', field: 'videoViewsP50', label: 'Viewed 50%', kind: 'count' },
  { metric: 'VIDEO_VIEWS_P75', field: 'videoViewsP75', label: 'Viewed 75%', kind: 'count' },
  { metric: 'VIDEO_VIEWS_P100', field: 'videoViewsP100', label: 'Viewed 100%', kind: 'count' },
  { metric: 'LIKES', field: 'likes', label: 'Likes', kind: 'count' },
  { metric: 'COMMENTS', field: 'comments', label: 'Comments', kind: 'count' },
  { metric: 'SHARES', field: 'shares', label: 'Shares', kind: 'count' },
  { metric: 'FOLLOWS', field: 'follows', label: 'Follows', kind: 'count' },
];
const defaultMetrics: AdsMetric[] = ['SPEND', 'IMPRESSIONS', 'CLICKS', 'CTR', 'CPC', 'CONVERSIONS'];
const levels: Array<[AdsReportLevel, string]> = [
  ['ADVERTISER', 'Advertisers'],
  ['CAMPAIGN', 'Campaigns'],
  ['ADGROUP', 'Ad groups'],
  ['AD', 'Ads'],
];
const nextLevel: Record<AdsReportLevel, AdsReportLevel | null> = {
  ADVERTISER: 'CAMPAIGN',
  CAMPAIGN: 'ADGROUP',
  ADGROUP: 'AD',
  AD: null,
};
/** Which URL parameter filters by an object of this level when drilling down from it. */
const filterParam: Record<AdsReportLevel, 'advertiser' | 'campaign' | 'adgroup' | 'ad'> = {
  ADVERTISER: 'advertiser',
  CAMPAIGN: 'campaign',
  ADGROUP: 'adgroup',
  AD: 'ad',
};
const pageSize = 50;
const dayMs = 86_400_000;
const utcDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const list = (value: string | string[] | undefined) =>
  (Array.isArray(value) ? value.join(',') : (value ?? '')).split(',').filter(Boolean);
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? '';

function formatValue(kind: Kind, value: string | null | undefined, currency: string | null | undefined): string {
  if (value == null) return '—';
  if (kind === 'money') return formatMoney(value, currency);
  if (kind === 'percent') return `${Number(value).toFixed(2)}%`;
  return formatCount(value);
}

/** A chip naming one filter object, with a button to take it away. */
function FilterChip(props: { id: string; kind: string; onRemove: () => void }) {
  const [result] = createQuery({ query: FilterNameDocument, variables: () => ({ id: props.id }) });
  const name = () => {
    const node = result.data?.node;
    return node && 'name' in node ? node.name : '…';
  };
  return (
    <span class="chip">
      <span>
        {props.kind}: {name()}
      </span>
      <button
        type="button"
        class="icon-button"
        aria-label={`Remove filter ${props.kind} ${name()}`}
        onClick={() => props.onRemove()}
      >
        <span aria-hidden="true">×</span>
      </button>
    </span>
  );
}

/** A typed answer's failure in the server's words ("… on Error { message }"). */
const refusal = (union: { __typename?: string; message?: string } | null | undefined): Problem | null =>
  !union
    ? { message: 'The server sent no answer.' }
    : union.__typename?.endsWith('Success')
      ? null
      : { message: union.message ?? 'The server refused this.' };

/**
 * Saved views beside the report's title: pick one to load it, save the report as shown as a
 * new view (private or shared), and rename, re-save or delete the view loaded when the viewer
 * may. Downloading the report as CSV goes through a short-lived signed link (the download is
 * audited on the server), so the browser's own download takes it with no credentials.
 */
function createReportTools(props: {
  readonly organizationId: string;
  readonly input: AdsReportInput;
  readonly viewId: string;
  onLoad: (view: { id: string; report: AdsReportInput }) => void;
  onForget: () => void;
}) {
  const session = useSession();
  const [views, refetchViews] = createLiveQuery({
    query: ReportViewsDocument,
    variables: () => ({ organizationId: props.organizationId }),
    pause: () => !props.organizationId || !session.can('ads:read'),
  });
  const list = () => views.data?.organization?.adsReportViews ?? [];
  const current = () => list().find((view) => view.id === props.viewId);
  const [open, setOpen] = createSignal(false);
  const [name, setName] = createSignal('');
  const [shared, setShared] = createSignal(false);
  const [problem, setProblem] = createSignal<Problem | null>(null);
  const [saving, save] = createMutation(SaveReportViewDocument);
  const [, remove] = createMutation(DeleteReportViewDocument);
  const [exporting, exportCsv] = createMutation(ExportReportCsvDocument);
  const openForm = () => {
    setName(current()?.editable ? current()!.name : '');
    setShared(current()?.editable ? current()!.shared : false);
    setProblem(null);
    setOpen(!open());
  };
  const onSave = async (id: string | null) => {
    setProblem(null);
    const answer = await save({
      input: {
        organizationId: props.organizationId,
        ...(id ? { id } : {}),
        name: name().trim(),
        shared: shared(),
        report: props.input,
      },
    });
    if (answer.error) return setProblem(problemOf(answer.error));
    const result = answer.data?.saveAdsReportView;
    const failed = refusal(result);
    if (failed) return setProblem(failed);
    if (result?.__typename !== 'MutationSaveAdsReportViewSuccess') return;
    notify(id ? `View “${result.view.name}” saved` : `Saved as “${result.view.name}”`);
    setOpen(false);
    refetchViews();
    props.onLoad({ id: result.view.id, report: props.input });
  };
  const onDelete = async (view: { id: string; name: string }) => {
    const answer = await remove({ id: view.id });
    if (answer.error) return notifyProblem(problemOf(answer.error));
    const failed = refusal(answer.data?.deleteAdsReportView);
    if (failed) return notifyProblem(failed);
    notify(`View “${view.name}” deleted`);
    setOpen(false);
    props.onForget();
    refetchViews();
  };
  const onDownload = async () => {
    const answer = await exportCsv({ organizationId: props.organizationId, report: props.input });
    if (answer.error) return notifyProblem(problemOf(answer.error));
    const result = answer.data?.exportAdsReportCsv;
    const failed = refusal(result);
    if (failed) return notifyProblem(failed);
    if (result?.__typename !== 'MutationExportAdsReportCsvSuccess') return;
    const link = document.createElement('a');
    link.href = result.url;
    link.download = result.filename;
    document.body.append(link);
    link.click();
    link.remove();
  };
  // The controls sit beside the title; the save form opens below the header, full width.
  const Tools = () => (
    <>
      <label class="range-field">
        <span>Saved view</span>
        <select
          class="select"
          value={props.viewId}
          disabled={views.fetching && !views.data}
          onChange={(event) => {
            const view = list().find((v) => v.id === event.currentTarget.value);
            if (!view) return props.onForget();
            props.onLoad({ id: view.id, report: view.report });
          }}
        >
          <option value="">{list().length ? 'Choose a view…' : 'No saved views'}</option>
          <For each={list()}>
            {(view) => (
              <option value={view.id} selected={view.id === props.viewId}>
                {view.name}
                {view.shared ? ` (shared${view.owner && !view.editable ? ` by ${view.owner.name}` : ''})` : ''}
              </option>
            )}
          </For>
        </select>
      </label>
      <button type="button" class="button" aria-expanded={open()} aria-controls="view-form" onClick={openForm}>
        Save view
      </button>
      <button type="button" class="button" disabled={exporting.fetching} onClick={() => void onDownload()}>
        {exporting.fetching ? 'Preparing CSV…' : 'Download CSV'}
      </button>
    </>
  );
  const Form = () => (
    <Show when={open()}>
      <form
        id="view-form"
        class="card view-form"
        aria-label="Save view"
        onSubmit={(event) => {
          event.preventDefault();
          void onSave(null);
        }}
      >
        <label class="range-field">
          <span>View name</span>
          <input class="input" required value={name()} onInput={(event) => setName(event.currentTarget.value)} />
        </label>
        <label class="check">
          <input type="checkbox" checked={shared()} onChange={(event) => setShared(event.currentTarget.checked)} />
          Shared with the organization
        </label>
        <button type="submit" class="button primary" disabled={saving.fetching || !name().trim()}>
          Save as new view
        </button>
        <Show when={current()?.editable ? current() : undefined}>
          {(view) => (
            <>
              <button
                type="button"
                class="button"
                disabled={saving.fetching || !name().trim()}
                onClick={() => void onSave(view().id)}
              >
                Update “{view().name}”
              </button>
              <ConfirmButton
                label="Delete view"
                ariaLabel={`Delete view ${view().name}`}
                title={`Delete the view “${view().name}”?`}
                description={
                  view().shared ? 'It goes for everyone in the organization.' : 'Only the saved settings go.'
                }
                confirmLabel="Delete view"
                onConfirm={() => onDelete(view())}
              />
            </>
          )}
        </Show>
        <Show when={problem()}>{(shown) => <ProblemNotice problem={shown()} />}</Show>
      </form>
    </Show>
  );
  return { Tools, Form };
}

export default function AdsReport() {
  const session = useSession();
  const organizationId = () => session.organization()?.id ?? '';
  const [params, setParams] = useSearchParams();
  // A range ending yesterday: TikTok still revises today's numbers.
  const today = Date.now();
  const level = () => (one(params.level) || 'CAMPAIGN') as AdsReportLevel;
  const preset = () => one(params.range) || (params.from ? 'custom' : '30');
  const range = createMemo(() => {
    if (preset() === 'custom') {
      return { from: one(params.from) || utcDate(today - 30 * dayMs), to: one(params.to) || utcDate(today - dayMs) };
    }
    const days = Number(preset()) || 30;
    return { from: utcDate(today - days * dayMs), to: utcDate(today - dayMs) };
  });
  const groupBy = () => (one(params.group) || 'OBJECT') as 'OBJECT' | 'DAY' | 'WEEK';
  const metrics = () => {
    const chosen = list(params.metrics) as AdsMetric[];
    return chosen.length > 0 ? chosen : defaultMetrics;
  };
  const columns = () => metricColumns.filter((column) => metrics().includes(column.metric));
  const sortBy = () => one(params.sort) || 'SPEND';
  const direction = () => (one(params.dir) || 'DESC') as 'ASC' | 'DESC';
  const advertiserIds = () => list(params.advertiser);
  const campaignIds = () => list(params.campaign);
  const adGroupIds = () => list(params.adgroup);
  const adIds = () => list(params.ad);
  // Pages by cursor: the cursors of the pages before this one.
  const [cursors, setCursors] = createSignal<string[]>([]);
  const change = (next: Record<string, string | null>) => {
    setCursors([]);
    setParams(next);
  };

  const input = createMemo(() => ({
    level: level(),
    from: range().from,
    to: range().to,
    groupBy: groupBy(),
    metrics: metrics(),
    sortBy: sortBy() as never,
    sortDirection: direction(),
    ...(advertiserIds().length ? { advertiserIds: advertiserIds() } : {}),
    ...(campaignIds().length ? { campaignIds: campaignIds() } : {}),
    ...(adGroupIds().length ? { adGroupIds: adGroupIds() } : {}),
    ...(adIds().length ? { adIds: adIds() } : {}),
  }));
  const [connections] = createLiveQuery({
    query: AdsConnectionsDocument,
    variables: () => ({ organizationId: organizationId() }),
    pause: () => !organizationId() || !session.can('ads:read'),
  });
  const advertisers = () =>
    connections.data?.organization?.adsConnections.edges.flatMap((edge) => edge.node.advertisers) ?? [];
  const [result, refetch] = createLiveQuery({
    query: ReportDocument,
    variables: () => ({
      organizationId: organizationId(),
      input: input(),
      first: pageSize,
      after: cursors()[cursors().length - 1] ?? null,
      interval: groupBy() === 'WEEK' ? ('WEEK' as const) : ('DAY' as const),
    }),
    pause: () => !organizationId() || !session.can('ads:read') || range().from > range().to,
  });
  const answer = () => result.data?.organization?.adsReport;
  const report = () => {
    const current = answer();
    return current?.__typename === 'OrganizationAdsReportSuccess' ? current.data : null;
  };
  const refused = () => {
    const current = answer();
    return current?.__typename === 'ValidationError' ? current.message : null;
  };
  const currency = () => report()?.currency;
  const chart = createMemo(() => {
    const points = report()?.series ?? [];
    return {
      times: points.map((point) => Math.round(Date.parse(`${point.period}T00:00:00Z`) / 1000)),
      series: [
        {
          label: `Spend (${currency() ?? '—'})`,
          axis: 'left',
          color: '#3047d6',
          values: points.map((point) => Number(point.metrics.spend)),
        },
        {
          label: 'Clicks',
          axis: 'right',
          color: '#c2410c',
          values: points.map((point) => Number(point.metrics.clicks)),
        },
        {
          label: 'Conversions',
          axis: 'right',
          color: '#15803d',
          values: points.map((point) => Number(point.metrics.conversions)),
        },
      ] satisfies ChartSeries[],
    };
  });
  const sortOn = (key: string) => {
    if (sortBy() === key) change({ dir: direction() === 'DESC' ? 'ASC' : 'DESC' });
    else change({ sort: key, dir: key === 'NAME' || key === 'PERIOD' ? 'ASC' : 'DESC' });
  };
  const ariaSort = (key: string) =>
    sortBy() === key ? (direction() === 'ASC' ? 'ascending' : 'descending') : ('none' as const);
  const SortHeader = (props: { key: string; label: string; numeric?: boolean }) => (
    <th scope="col" aria-sort={ariaSort(props.key)} classList={{ num: !!props.numeric }}>
      <button type="button" class="sort-button" onClick={() => sortOn(props.key)}>
        {props.label}
        <span aria-hidden="true" class="sort-mark">
          {sortBy() === props.key ? (direction() === 'ASC' ? '▲' : '▼') : ''}
        </span>
      </button>
    </th>
  );
  const drill = (row: { objectId: string }) => {
    const below = nextLevel[level()];
    if (!below) return;
    change({ level: below, [filterParam[level()]]: row.objectId });
  };
  const toggleMetric = (metric: AdsMetric, on: boolean) => {
    const next = on ? [...metrics(), metric] : metrics().filter((m) => m !== metric);
    if (next.length === 0) return;
    // In the table's order, whatever the order of ticking.
    change({
      metrics: metricColumns
        .filter((c) => next.includes(c.metric))
        .map((c) => c.metric)
        .join(','),
    });
  };
  /** A saved view's settings as the URL holds them (its own range, as saved). */
  const loadView = (view: { id: string; report: AdsReportInput }) => {
    const r = view.report;
    const ids = (value: readonly string[] | null | undefined) => (value?.length ? value.join(',') : null);
    change({
      view: view.id,
      level: r.level,
      range: 'custom',
      from: r.from,
      to: r.to,
      group: r.groupBy ?? null,
      metrics: ids(r.metrics),
      sort: r.sortBy ?? null,
      dir: r.sortDirection ?? null,
      advertiser: ids(r.advertiserIds),
      campaign: ids(r.campaignIds),
      adgroup: ids(r.adGroupIds),
      ad: ids(r.adIds),
    });
  };
  const tools = createReportTools({
    get organizationId() {
      return organizationId();
    },
    get input() {
      return input();
    },
    get viewId() {
      return one(params.view);
    },
    onLoad: (view) => loadView(view),
    onForget: () => change({ view: null }),
  });
  const page = () => report()?.rows;
  const firstRow = () => cursors().length * pageSize + 1;

  return (
    <>
      <PageHeader title="Ads report">
        <Show when={session.can('ads:read') && organizationId()}>
          <div class="report-tools">
            <tools.Tools />
          </div>
        </Show>
        <button type="button" class="button" onClick={refetch}>
          Refresh
        </button>
      </PageHeader>
      <Show when={session.can('ads:read')} fallback={<Empty title="Your role does not include ads.">{null}</Empty>}>
        <tools.Form />
        <AdsNav />
        <form class="report-controls" aria-label="Report settings" onSubmit={(event) => event.preventDefault()}>
          <label class="range-field">
            <span>Level</span>
            <select class="select" value={level()} onChange={(event) => change({ level: event.currentTarget.value })}>
              <For each={levels}>{([value, label]) => <option value={value}>{label}</option>}</For>
            </select>
          </label>
          <label class="range-field">
            <span>Rows</span>
            <select
              class="select"
              value={groupBy()}
              onChange={(event) => {
                const group = event.currentTarget.value;
                change({ group, ...(group === 'OBJECT' && sortBy() === 'PERIOD' ? { sort: null } : {}) });
              }}
            >
              <option value="OBJECT">One per object</option>
              <option value="DAY">Per day</option>
              <option value="WEEK">Per week</option>
            </select>
          </label>
          <label class="range-field">
            <span>Advertiser</span>
            <select
              class="select"
              value={advertiserIds().length === 1 ? advertiserIds()[0] : advertiserIds().length ? 'some' : ''}
              onChange={(event) => change({ advertiser: event.currentTarget.value || null })}
            >
              <option value="">All advertisers</option>
              <Show when={advertiserIds().length > 1}>
                <option value="some" disabled>
                  {advertiserIds().length} advertisers
                </option>
              </Show>
              <For each={advertisers()}>
                {(advertiser) => (
                  <option value={advertiser.id}>
                    {advertiser.name} ({advertiser.currency ?? '—'})
                  </option>
                )}
              </For>
            </select>
          </label>
          <div class="range" role="group" aria-label="Date range">
            <For each={['7', '30', '90'] as const}>
              {(days) => (
                <button
                  type="button"
                  class="button"
                  classList={{ selected: preset() === days }}
                  aria-pressed={preset() === days}
                  onClick={() => change({ range: days, from: null, to: null })}
                >
                  {days} days
                </button>
              )}
            </For>
            <button
              type="button"
              class="button"
              classList={{ selected: preset() === 'custom' }}
              aria-pressed={preset() === 'custom'}
              onClick={() => change({ range: 'custom', from: range().from, to: range().to })}
            >
              Custom
            </button>
            <Show when={preset() === 'custom'}>
              <DateRangeFields
                class="range-field"
                from={range().from}
                to={range().to}
                onFrom={(from) => change({ from })}
                onTo={(to) => change({ to })}
              />
            </Show>
          </div>
          {/* Below 768 px the table is cards without headers: the sort is chosen here instead. */}
          <label class="range-field sort-select">
            <span>Sort by</span>
            <select
              class="select"
              value={`${sortBy()} ${direction()}`}
              onChange={(event) => {
                const [sort, dir] = event.currentTarget.value.split(' ');
                change({ sort: sort ?? 'SPEND', dir: dir ?? 'DESC' });
              }}
            >
              <For
                each={[
                  { key: 'NAME', label: 'Name' },
                  ...(groupBy() === 'OBJECT' ? [] : [{ key: 'PERIOD', label: 'Period' }]),
                  ...columns().map((c) => ({ key: c.metric, label: c.label })),
                ]}
              >
                {(option) => (
                  <>
                    <option value={`${option.key} DESC`}>{option.label}, high to low</option>
                    <option value={`${option.key} ASC`}>{option.label}, low to high</option>
                  </>
                )}
              </For>
            </select>
          </label>
          <details class="columns-picker">
            <summary class="button">Columns ({metrics().length})</summary>
            <fieldset class="columns-list">
              <legend class="visually-hidden">Metric columns</legend>
              <For each={metricColumns}>
                {(column) => (
                  <label class="check">
                    <input
                      type="checkbox"
                      checked={metrics().includes(column.metric)}
                      disabled={metrics().length === 1 && metrics().includes(column.metric)}
                      onChange={(event) => toggleMetric(column.metric, event.currentTarget.checked)}
                    />
                    {column.label}
                  </label>
                )}
              </For>
            </fieldset>
          </details>
        </form>
        <Show when={campaignIds().length + adGroupIds().length + adIds().length > 0}>
          <div class="chips" role="group" aria-label="Filters">
            <For each={campaignIds()}>
              {(id) => (
                <FilterChip
                  id={id}
                  kind="Campaign"
                  onRemove={() =>
                    change({
                      campaign:
                        campaignIds()
                          .filter((c) => c !== id)
                          .join(',') || null,
                    })
                  }
                />
              )}
            </For>
            <For each={adGroupIds()}>
              {(id) => (
                <FilterChip
                  id={id}
                  kind="Ad group"
                  onRemove={() =>
                    change({
                      adgroup:
                        adGroupIds()
                          .filter((c) => c !== id)
                          .join(',') || null,
                    })
                  }
                />
              )}
            </For>
            <For each={adIds()}>
              {(id) => (
                <FilterChip
                  id={id}
                  kind="Ad"
                  onRemove={() =>
                    change({
                      ad:
                        adIds()
                          .filter((c) => c !== id)
                          .join(',') || null,
                    })
                  }
                />
              )}
            </For>
          </div>
        </Show>
        <Show
          when={range().from <= range().to}
          fallback={
            <p class="row-note" role="alert">
              The start of the range is after its end.
            </p>
          }
        >
          <Show when={!result.error} fallback={<ProblemNotice problem={problemOf(result.error!)} onRetry={refetch} />}>
            <Show when={!refused()} fallback={<ProblemNotice problem={{ message: refused()! }} />}>
              <Show when={report()} fallback={<Skeleton rows={8} label="Loading the report" />}>
                {(current) => (
                  <Show
                    when={current().rows.totalCount > 0}
                    fallback={
                      <Empty title="No numbers for this report.">
                        <p class="muted">
                          Nothing ran in {current().from} – {current().to} at this level, or its daily numbers are still
                          being read.
                        </p>
                        <A class="button" href="/ads">
                          See the backfill's progress
                        </A>
                      </Empty>
                    }
                  >
                    <section class="card">
                      <TimeChart
                        title={`${groupBy() === 'WEEK' ? 'Weekly' : 'Daily'} spend, clicks and conversions, ${current().from} – ${current().to}`}
                        times={chart().times}
                        series={chart().series}
                        leftUnit={`Spend (${currency() ?? '—'})`}
                        rightUnit="Clicks, conversions"
                        dateOnly
                      />
                    </section>
                    <div class="report-scroll" role="region" aria-label="Report table" tabindex="0">
                      <table class="table responsive report-table" aria-describedby="report-summary">
                        <thead>
                          <tr>
                            <SortHeader key="NAME" label={levels.find(([l]) => l === level())![1].replace(/s$/, '')} />
                            <Show when={level() !== 'ADVERTISER'}>
                              <th scope="col">Advertiser</th>
                            </Show>
                            <Show when={groupBy() !== 'OBJECT'}>
                              <SortHeader key="PERIOD" label={groupBy() === 'WEEK' ? 'Week of' : 'Day'} />
                            </Show>
                            <For each={columns()}>
                              {(column) => <SortHeader key={column.metric} label={column.label} numeric />}
                            </For>
                          </tr>
                        </thead>
                        <tbody>
                          <For each={page()?.rows ?? []}>
                            {(row) => (
                              <tr data-row={row.name}>
                                <td>
                                  <Show when={nextLevel[level()]} fallback={row.name}>
                                    <button
                                      type="button"
                                      class="link-button"
                                      aria-label={`${row.name}: open its ${levels.find(([l]) => l === nextLevel[level()])![1].toLowerCase()}`}
                                      onClick={() => drill(row)}
                                    >
                                      {row.name}
                                    </button>
                                  </Show>
                                </td>
                                <Show when={level() !== 'ADVERTISER'}>
                                  <td data-label="Advertiser" class="report-advertiser">
                                    <Show when={row.advertiser} fallback="—">
                                      {(advertiser) => (
                                        <span>
                                          {advertiser().name}{' '}
                                          <span class="small muted">
                                            {advertiser().platformAdvertiserId}
                                            <Show when={advertiser().currency}> · {advertiser().currency}</Show>
                                          </span>
                                        </span>
                                      )}
                                    </Show>
                                  </td>
                                </Show>
                                <Show when={groupBy() !== 'OBJECT'}>
                                  <td data-label={groupBy() === 'WEEK' ? 'Week of' : 'Day'} class="num">
                                    {row.period}
                                  </td>
                                </Show>
                                <For each={columns()}>
                                  {(column) => (
                                    <td data-label={column.label} class="num">
                                      {formatValue(
                                        column.kind,
                                        row.metrics[column.field],
                                        row.advertiser?.currency ?? currency(),
                                      )}
                                    </td>
                                  )}
                                </For>
                              </tr>
                            )}
                          </For>
                        </tbody>
                        <tfoot>
                          <tr class="totals" data-testid="totals">
                            <th scope="row">Total</th>
                            <Show when={level() !== 'ADVERTISER'}>
                              <td aria-hidden="true" />
                            </Show>
                            <Show when={groupBy() !== 'OBJECT'}>
                              <td aria-hidden="true" />
                            </Show>
                            <For each={columns()}>
                              {(column) => (
                                <td
                                  data-label={column.label}
                                  data-metric={column.metric}
                                  data-value={current().totals[column.field] ?? ''}
                                  class="num"
                                >
                                  {formatValue(column.kind, current().totals[column.field], currency())}
                                </td>
                              )}
                            </For>
                          </tr>
                        </tfoot>
                      </table>
                    </div>
                    <div class="pager">
                      <p id="report-summary" class="muted" role="status">
                        Rows {firstRow()}–{firstRow() + (page()?.rows.length ?? 1) - 1} of {page()?.totalCount}, in{' '}
                        {currency() ?? 'no currency'}
                      </p>
                      <Show when={cursors().length > 0}>
                        <button type="button" class="button" onClick={() => setCursors(cursors().slice(0, -1))}>
                          Previous
                        </button>
                      </Show>
                      <Show when={page()?.hasNextPage && page()?.endCursor}>
                        <button
                          type="button"
                          class="button"
                          onClick={() => setCursors([...cursors(), page()!.endCursor!])}
                        >
                          Next
                        </button>
                      </Show>
                    </div>
                  </Show>
                )}
              </Show>
            </Show>
          </Show>
        </Show>
      </Show>
    </>
  );
}
