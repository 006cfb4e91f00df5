// Analytics: follower growth of the brand's accounts and each post's views, likes, comments and
// shares over a chosen range (7/30/90 days or custom), totals and top posts. A sync that brings
// new numbers (accountMetricsUpdated) refreshes the screen in place.
import { A } from '@solidjs/router';
import { createMemo, createSignal, For, Show } from 'solid-js';
import { TimeChart, type ChartSeries } from '../components/TimeChart';
import {
  createLiveQuery,
  DateRangeFields,
  Empty,
  onLiveEvent,
  PageHeader,
  ProblemNotice,
  Skeleton,
  Time,
} from '../components/ui';
import { graphql } from '../gql';
import { problemOf } from '../lib/errors';
import { useSession } from '../session';
import './analytics.css';

const AnalyticsDocument = graphql(`
  query Analytics($brandId: ID!, $from: DateTime!, $to: DateTime!) {
    node(id: $brandId) {
      id
      ... on Brand {
        socialAccounts {
          id
          platform
          displayName
          username
          # A 90-day range of 6-hourly syncs is 360 points.
          snapshots(from: $from, to: $to, last: 400) {
            followerCount
            capturedAt
          }
        }
      }
    }
  }
`);

// Apart from the series: together they would cost more than one query may. The ranking and
// the totals are the server's, over every publication in the range (not a page of them).
const TopPostsDocument = graphql(`
  query AnalyticsTopPosts($organizationId: ID!, $brandId: ID!, $from: DateTime!, $to: DateTime!) {
    organization(id: $organizationId) {
      id
      topPublications(from: $from, to: $to, brandId: $brandId, first: 10) {
        id
        platform
        publishedAt
        platformUrl
        post {
          id
          title
          caption
        }
        socialAccount {
          id
          displayName
        }
        latestMetrics {
          viewCount
          likeCount
          commentCount
          shareCount
          capturedAt
        }
      }
      publicationTotals(from: $from, to: $to, brandId: $brandId) {
        publications
        views
        likes
        comments
        shares
      }
    }
  }
`);

const PostSeriesDocument = graphql(`
  query PostSeries($id: ID!, $from: DateTime!, $to: DateTime!) {
    node(id: $id) {
      id
      ... on Publication {
        metricSnapshots(from: $from, to: $to, last: 500) {
          viewCount
          likeCount
          commentCount
          shareCount
          capturedAt
        }
      }
    }
  }
`);

const AnalyticsMetricsDocument = graphql(`
  subscription AnalyticsMetrics($socialAccountId: ID!) {
    accountMetricsUpdated(socialAccountId: $socialAccountId) {
      id
      lastSyncedAt
    }
  }
`);

type Preset = '7' | '30' | '90' | 'custom';
const day = 86_400_000;
const palette = ['#3047d6', '#c2410c', '#15803d', '#9333ea', '#0e7490'];
const numberFormat = new Intl.NumberFormat();
const seconds = (iso: string) => Math.round(Date.parse(iso) / 1000);
const dateInput = (date: Date) => date.toISOString().slice(0, 10);

/** Refetches the screen when a sync of this account brings new numbers. */
function MetricsListener(props: { socialAccountId: string; onUpdate: () => void }) {
  onLiveEvent({ query: AnalyticsMetricsDocument, variables: () => ({ socialAccountId: props.socialAccountId }) }, () =>
    props.onUpdate(),
  );
  return null;
}

export default function Analytics() {
  const session = useSession();
  const [preset, setPreset] = createSignal<Preset>('30');
  const [customFrom, setCustomFrom] = createSignal(dateInput(new Date(Date.now() - 30 * day)));
  const [customTo, setCustomTo] = createSignal(dateInput(new Date()));
  // "Now" moves only when asked (a range change or a live update), so the query stays stable.
  const [now, setNow] = createSignal(Date.now());
  const range = createMemo(() => {
    if (preset() === 'custom') {
      const from = new Date(`${customFrom()}T00:00:00`);
      const to = new Date(`${customTo()}T23:59:59.999`);
      return { from: from.toISOString(), to: to.toISOString(), valid: from.getTime() <= to.getTime() };
    }
    return {
      from: new Date(now() - Number(preset()) * day).toISOString(),
      to: new Date(now()).toISOString(),
      valid: true,
    };
  });
  const choosePreset = (value: Preset) => {
    setNow(Date.now());
    setPreset(value);
  };

  const [result, refetch] = createLiveQuery({
    query: AnalyticsDocument,
    variables: () => ({ brandId: session.brand()?.id ?? '', from: range().from, to: range().to }),
    pause: () => !session.brand() || !session.can('analytics:read') || !range().valid,
  });
  const [posts, refetchPosts] = createLiveQuery({
    query: TopPostsDocument,
    variables: () => ({
      organizationId: session.organization()?.id ?? '',
      brandId: session.brand()?.id ?? '',
      from: range().from,
      to: range().to,
    }),
    pause: () => !session.organization() || !session.brand() || !session.can('analytics:read') || !range().valid,
  });

  const accounts = () => {
    const node = result.data?.node;
    return node && 'socialAccounts' in node ? node.socialAccounts : [];
  };
  /** The brand's posts published within the range, most viewed first (ranked by the server). */
  const topPosts = () => posts.data?.organization?.topPublications ?? [];
  const totals = createMemo(() => {
    const published = posts.data?.organization?.publicationTotals;
    let followers = 0;
    let growth = 0;
    for (const account of accounts()) {
      const points = account.snapshots;
      if (points.length === 0) continue;
      followers += points[points.length - 1]!.followerCount;
      growth += points[points.length - 1]!.followerCount - points[0]!.followerCount;
    }
    return {
      followers,
      growth,
      views: Number(published?.views ?? 0),
      likes: Number(published?.likes ?? 0),
      comments: Number(published?.comments ?? 0),
      shares: Number(published?.shares ?? 0),
    };
  });

  // Followers: one line per account, on the union of their capture times.
  const followerChart = createMemo(() => {
    const times = [
      ...new Set(accounts().flatMap((account) => account.snapshots.map((p) => seconds(p.capturedAt)))),
    ].sort((a, b) => a - b);
    const series: ChartSeries[] = accounts()
      .filter((account) => account.snapshots.length > 0)
      .map((account, index) => {
        const byTime = new Map(account.snapshots.map((p) => [seconds(p.capturedAt), p.followerCount]));
        return {
          label: `${account.displayName} (${account.platform.toLowerCase()})`,
          color: palette[index % palette.length]!,
          values: times.map((time) => byTime.get(time) ?? null),
        };
      });
    return { times, series };
  });

  const [chosenPost, setChosenPost] = createSignal<string | null>(null);
  const selectedPost = () => topPosts().find((p) => p.id === chosenPost()) ?? topPosts()[0] ?? null;
  const [postSeries, refetchPostSeries] = createLiveQuery({
    query: PostSeriesDocument,
    variables: () => ({ id: selectedPost()?.id ?? '', from: range().from, to: range().to }),
    pause: () => !selectedPost() || !range().valid,
  });
  const postChart = createMemo(() => {
    const node = postSeries.data?.node;
    const points = node && 'metricSnapshots' in node ? node.metricSnapshots : [];
    return {
      times: points.map((p) => seconds(p.capturedAt)),
      series: [
        { label: 'Views', axis: 'left', color: palette[0]!, values: points.map((p) => Number(p.viewCount)) },
        { label: 'Likes', axis: 'right', color: palette[1]!, values: points.map((p) => Number(p.likeCount)) },
        { label: 'Comments', axis: 'right', color: palette[2]!, values: points.map((p) => Number(p.commentCount)) },
        { label: 'Shares', axis: 'right', color: palette[3]!, values: points.map((p) => Number(p.shareCount)) },
      ] satisfies ChartSeries[],
    };
  });

  const refresh = () => {
    if (preset() !== 'custom') setNow(Date.now());
    else refetch();
    refetchPosts();
    refetchPostSeries();
  };
  const title = (publication: { post: { title: string; caption: string } }) =>
    publication.post.title || publication.post.caption.slice(0, 60) || 'Untitled post';

  return (
    <>
      <PageHeader title="Analytics">
        <button type="button" class="button" onClick={refresh}>
          Refresh
        </button>
      </PageHeader>
      <Show
        when={session.can('analytics:read')}
        fallback={<Empty title="Your role does not include analytics.">{null}</Empty>}
      >
        <For each={accounts()}>{(account) => <MetricsListener socialAccountId={account.id} onUpdate={refresh} />}</For>
        <div class="range" role="group" aria-label="Date range">
          <For each={['7', '30', '90'] as const}>
            {(days) => (
              <button
                type="button"
                class="button"
                classList={{ selected: preset() === days }}
                aria-pressed={preset() === days}
                onClick={() => choosePreset(days)}
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
            onClick={() => choosePreset('custom')}
          >
            Custom
          </button>
          <Show when={preset() === 'custom'}>
            <DateRangeFields
              class="range-field"
              from={customFrom()}
              to={customTo()}
              onFrom={setCustomFrom}
              onTo={setCustomTo}
            />
          </Show>
        </div>
        <Show
          when={range().valid}
          fallback={
            <p class="row-note" role="alert">
              The start of the range is after its end.
            </p>
          }
        >
          <Show
            when={!result.error && !posts.error}
            fallback={<ProblemNotice problem={problemOf((result.error ?? posts.error)!)} onRetry={refresh} />}
          >
            <Show when={result.data && posts.data} fallback={<Skeleton rows={8} label="Loading analytics" />}>
              <Show
                when={accounts().length > 0}
                fallback={
                  <Empty title="No accounts connected to this brand yet.">
                    <p class="muted">
                      Connect an account and its followers and posts are charted here after its first sync.
                    </p>
                    <A class="button primary" href="/accounts">
                      Connect an account
                    </A>
                  </Empty>
                }
              >
                <section class="stats analytics-stats" aria-label="Totals for the range">
                  <div class="stat">
                    <span class="stat-value num" data-testid="total-followers">
                      {numberFormat.format(totals().followers)}
                    </span>
                    <span class="stat-label">followers</span>
                  </div>
                  <div class="stat">
                    <span class="stat-value num">
                      {totals().growth >= 0 ? '+' : '−'}
                      {numberFormat.format(Math.abs(totals().growth))}
                    </span>
                    <span class="stat-label">follower change</span>
                  </div>
                  <div class="stat">
                    <span class="stat-value num" data-testid="total-views">
                      {numberFormat.format(totals().views)}
                    </span>
                    <span class="stat-label">views</span>
                  </div>
                  <div class="stat">
                    <span class="stat-value num">{numberFormat.format(totals().likes)}</span>
                    <span class="stat-label">likes</span>
                  </div>
                  <div class="stat">
                    <span class="stat-value num">{numberFormat.format(totals().comments)}</span>
                    <span class="stat-label">comments</span>
                  </div>
                  <div class="stat">
                    <span class="stat-value num">{numberFormat.format(totals().shares)}</span>
                    <span class="stat-label">shares</span>
                  </div>
                </section>

                <section class="card">
                  <Show
                    when={followerChart().series.length > 0}
                    fallback={
                      <Empty title="No syncs in this range.">
                        <p class="muted">Follower counts appear after an account syncs; syncs run every 6 hours.</p>
                        <A class="button" href="/accounts">
                          Sync an account now
                        </A>
                      </Empty>
                    }
                  >
                    <TimeChart
                      title="Followers"
                      times={followerChart().times}
                      series={followerChart().series}
                      leftUnit="Followers"
                    />
                  </Show>
                </section>

                <section class="card" aria-labelledby="top-posts">
                  <h2 class="section-title" id="top-posts">
                    Top posts
                  </h2>
                  <Show
                    when={topPosts().length > 0}
                    fallback={
                      <Empty title="No posts published in this range.">
                        <A class="button" href="/batches/new">
                          Start a batch
                        </A>
                      </Empty>
                    }
                  >
                    <table class="table responsive top-posts">
                      <thead>
                        <tr>
                          <th scope="col">Post</th>
                          <th scope="col">Account</th>
                          <th scope="col">Published</th>
                          <th scope="col" class="num">
                            Views
                          </th>
                          <th scope="col" class="num">
                            Likes
                          </th>
                          <th scope="col" class="num">
                            Comments
                          </th>
                          <th scope="col" class="num">
                            Shares
                          </th>
                        </tr>
                      </thead>
                      <tbody>
                        <For each={topPosts()}>
                          {(publication) => (
                            <tr classList={{ chosen: selectedPost()?.id === publication.id }}>
                              <td>
                                <button
                                  type="button"
                                  class="link-button"
                                  aria-pressed={selectedPost()?.id === publication.id}
                                  onClick={() => setChosenPost(publication.id)}
                                >
                                  {title(publication)}
                                </button>
                              </td>
                              <td data-label="Account">{publication.socialAccount.displayName}</td>
                              <td data-label="Published">
                                <Time at={publication.publishedAt} />
                              </td>
                              <td data-label="Views" class="num">
                                {numberFormat.format(Number(publication.latestMetrics?.viewCount ?? 0))}
                              </td>
                              <td data-label="Likes" class="num">
                                {numberFormat.format(Number(publication.latestMetrics?.likeCount ?? 0))}
                              </td>
                              <td data-label="Comments" class="num">
                                {numberFormat.format(Number(publication.latestMetrics?.commentCount ?? 0))}
                              </td>
                              <td data-label="Shares" class="num">
                                {numberFormat.format(Number(publication.latestMetrics?.shareCount ?? 0))}
                              </td>
                            </tr>
                          )}
                        </For>
                      </tbody>
                    </table>
                  </Show>
                </section>

                <Show when={selectedPost()}>
                  {(publication) => (
                    <section class="card">
                      <Show
                        when={!postSeries.error}
                        fallback={<ProblemNotice problem={problemOf(postSeries.error!)} onRetry={refetchPostSeries} />}
                      >
                        <Show
                          when={postSeries.data}
                          fallback={<Skeleton rows={5} label="Loading the post's numbers" />}
                        >
                          <Show
                            when={postChart().times.length > 0}
                            fallback={
                              <Empty title={`No numbers for “${title(publication())}” in this range yet.`}>
                                <p class="muted">They arrive with the account's next sync.</p>
                              </Empty>
                            }
                          >
                            <TimeChart
                              title={`“${title(publication())}” over time`}
                              times={postChart().times}
                              series={postChart().series}
                              leftUnit="Views"
                              rightUnit="Likes, comments, shares"
                            />
                          </Show>
                        </Show>
                      </Show>
                    </section>
                  )}
                </Show>
              </Show>
            </Show>
          </Show>
        </Show>
      </Show>
    </>
  );
}
