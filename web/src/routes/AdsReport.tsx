// The ads report: a level, a date range (the advertiser's days), one row per object or per
// object and day / week, the metric columns one picks, filters (advertiser, and a campaign, ad
// group or ad reached by drilling down or from the inventory), sort by a column header, the
// totals row, a chart of the series, and pages. Everything it shows is in the URL, so a report
// can be linked (and saved as a view later). Amounts are in the report's currency.
import { A, useSearchParams } from '@solidjs/router';
import { createQuery } from '@urql/solid';
import { createMemo, createSignal, For, Show } from 'solid-js';
import { TimeChart, type ChartSeries } from '../components/TimeChart';
import { createLiveQuery, DateRangeFields, Empty, PageHeader, ProblemNotice, Skeleton } from '../components/ui';
import { graphql } from '../gql';
import type { AdsMetric, AdsMetricsFieldsFragment, AdsReportLevel } from '../gql/graphql';
import { problemOf } from '../lib/errors';
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
  const page = () => report()?.rows;
  const firstRow = () => cursors().length * pageSize + 1;

  return (
    <>
      <PageHeader title="Ads report">
        {/* Saved views (a menu) and Export CSV take their place here, beside Refresh. */}
        <div class="report-tools" data-slot="views-and-export" />
        <button type="button" class="button" onClick={refetch}>
          Refresh
        </button>
      </PageHeader>
      <Show when={session.can('ads:read')} fallback={<Empty title="Your role does not include ads.">{null}</Empty>}>
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
                                <Show when={groupBy() !== 'OBJECT'}>
                                  <td data-label={groupBy() === 'WEEK' ? 'Week of' : 'Day'} class="num">
                                    {row.period}
                                  </td>
                                </Show>
                                <For each={columns()}>
                                  {(column) => (
                                    <td data-label={column.label} class="num">
                                      {formatValue(column.kind, row.metrics[column.field], currency())}
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
