// A batch being written: the counts and each post fill in as the worker finishes them
// (batchProgress), without a reload.
import { A, useParams } from '@solidjs/router';
import { createMemo, For, Show } from 'solid-js';
import { createLiveQuery, Empty, onLiveEvent, PageHeader, ProblemNotice, Skeleton, StateBadge } from '../components/ui';
import { graphql } from '../gql';
import { problemOf } from '../lib/errors';
import { useSession } from '../session';

graphql(`
  fragment BatchProgressFields on Batch {
    id
    status
    brief
    count
    generatedCount
    failedCount
    posts(first: 50) {
      edges {
        node {
          id
          status
          title
          caption
          slides {
            position
            heading
            imageUrl
          }
        }
      }
    }
  }
`);

const BatchDocument = graphql(`
  query Batch($id: ID!) {
    node(id: $id) {
      id
      ...BatchProgressFields
    }
  }
`);

const BatchProgressDocument = graphql(`
  subscription BatchProgress($id: ID!) {
    batchProgress(id: $id) {
      ...BatchProgressFields
    }
  }
`);

export default function Batch() {
  const session = useSession();
  const params = useParams<{ id: string }>();
  const [result, refetch] = createLiveQuery({ query: BatchDocument, variables: () => ({ id: params.id }) });
  // The socket sends no image URLs: fetch them as posts are done.
  const [progress] = onLiveEvent({ query: BatchProgressDocument, variables: () => ({ id: params.id }) }, refetch);

  const fetched = () => {
    const node = result.data?.node;
    return node && 'generatedCount' in node ? node : null;
  };
  const batch = createMemo(() => {
    const live = progress.data?.batchProgress;
    const base = fetched();
    if (!live) return base;
    if (!base) return live;
    return live.generatedCount + live.failedCount >= base.generatedCount + base.failedCount ? live : base;
  });
  const imageOf = (postId: string) =>
    fetched()?.posts.edges.find((edge) => edge.node.id === postId)?.node.slides[0]?.imageUrl ?? null;
  const done = () => ['READY', 'PARTIAL', 'FAILED', 'CANCELLED'].includes(batch()?.status ?? '');

  return (
    <>
      <PageHeader title="Batch">
        <Show when={done() && session.can('posts:review')}>
          <A href="/review" class="button primary">
            Review posts
          </A>
        </Show>
      </PageHeader>
      <Show when={!result.error} fallback={<ProblemNotice problem={problemOf(result.error!)} onRetry={refetch} />}>
        <Show when={result.data} fallback={<Skeleton rows={4} label="Loading the batch" />}>
          <Show when={batch()} fallback={<Empty title="There is no such batch." />}>
            {(current) => (
              <section class="card" aria-labelledby="batch-brief">
                <p id="batch-brief" class="brief">
                  {current().brief}
                </p>
                <div class="progress-line">
                  <StateBadge state={current().status} />
                  <span data-testid="batch-progress" class="num">
                    {current().generatedCount} of {current().count} written
                    {current().failedCount ? `, ${current().failedCount} failed` : ''}
                  </span>
                </div>
                <progress
                  class="progress"
                  max={current().count}
                  value={current().generatedCount + current().failedCount}
                  aria-label="Posts written"
                />
                <ul class="batch-posts" aria-label="Posts in this batch">
                  <For each={current().posts.edges}>
                    {(edge) => (
                      <li class="batch-post" data-post={edge.node.id} data-status={edge.node.status}>
                        <Show
                          when={imageOf(edge.node.id)}
                          fallback={<div class="thumb placeholder" aria-hidden="true" />}
                        >
                          {(src) => <img class="thumb" src={src()} alt="" loading="lazy" />}
                        </Show>
                        <div>
                          <strong>{edge.node.title || edge.node.slides[0]?.heading || 'Untitled post'}</strong>
                          <p class="muted clamp">{edge.node.caption}</p>
                        </div>
                        <StateBadge state={edge.node.status} />
                      </li>
                    )}
                  </For>
                </ul>
              </section>
            )}
          </Show>
        </Show>
      </Show>
    </>
  );
}
