// Media library: the brand's uploaded images and videos as a grid with filters, uploads over
// tus (Uppy) with their byte progress, processing progress live by subscription, and a detail
// drawer with what processing found, folder and tags, and delete. Uploads resume after a
// dropped connection (tus-js-client retries from the server's offset) or a reload (Uppy keeps
// each file's upload URL by fingerprint).
import { A, useNavigate, useSearchParams } from '@solidjs/router';
import Uppy, { type Meta } from '@uppy/core';
import Tus from '@uppy/tus';
import { createMutation, createQuery } from '@urql/solid';
import { createMemo, createSignal, For, onCleanup, Show } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import {
  ConfirmButton,
  createLiveQuery,
  DialogActions,
  Drawer,
  Empty,
  Field,
  FormDialog,
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
import type { LibraryAssetFragment, MediaAssetKind, MediaAssetStatus, Platform } from '../gql/graphql';
import { outcomeOf, problemOf, type Problem } from '../lib/errors';
import { textOf } from '../lib/forms';
import { useSession } from '../session';
import './library.css';

const pageSize = 48;

graphql(`
  fragment LibraryAsset on MediaAsset {
    id
    filename
    folder
    tags
    kind
    contentType
    byteSize
    status
    failureReason
    processingStep
    progress
    width
    height
    durationMs
    videoCodec
    audioCodec
    rotation
    sha256
    thumbnailUrl
    posterUrl
    renditionUrl
    uploadedAt
    createdAt
  }
`);

const LibraryDocument = graphql(`
  query MediaLibrary(
    $organizationId: ID!
    $brandId: ID!
    $first: Int!
    $kind: MediaAssetKind
    $status: [MediaAssetStatus!]
    $tag: String
    $folder: String
  ) {
    organization(id: $organizationId) {
      id
      mediaUsage {
        usedBytes
        quotaBytes
        assetCount
      }
      mediaAssets(first: $first, brandId: $brandId, kind: $kind, status: $status, tag: $tag, folder: $folder) {
        totalCount
        pageInfo {
          hasNextPage
        }
        edges {
          node {
            ...LibraryAsset
          }
        }
      }
    }
  }
`);

const AssetChangedDocument = graphql(`
  subscription LibraryAssetChanged($brandId: ID!) {
    mediaAssetChanged(brandId: $brandId) {
      ...LibraryAsset
    }
  }
`);

const UpdateDocument = graphql(`
  mutation UpdateMediaAsset($id: ID!, $folder: String, $tags: [String!]) {
    updateMediaAsset(id: $id, folder: $folder, tags: $tags) {
      __typename
      ... on MutationUpdateMediaAssetSuccess {
        data {
          ...LibraryAsset
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const DeleteDocument = graphql(`
  mutation DeleteMediaAsset($id: ID!) {
    deleteMediaAsset(id: $id) {
      __typename
      ... on MutationDeleteMediaAssetSuccess {
        data
      }
      ... on Error {
        message
      }
    }
  }
`);

const ComposeDocument = graphql(`
  mutation ComposePostFromMedia(
    $brandId: ID!
    $mediaAssetIds: [ID!]!
    $title: String
    $caption: String
    $hashtags: [String!]
    $versions: [PostVersionInput!]
  ) {
    composePostFromMedia(
      brandId: $brandId
      mediaAssetIds: $mediaAssetIds
      title: $title
      caption: $caption
      hashtags: $hashtags
      versions: $versions
    ) {
      __typename
      ... on MutationComposePostFromMediaSuccess {
        data {
          id
          format
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const ComposerAiDocument = graphql(`
  query ComposerAi($organizationId: ID!, $brandId: ID!) {
    organization(id: $organizationId) {
      id
      settings {
        aiTextEnabled
      }
    }
    node(id: $brandId) {
      id
      ... on Brand {
        socialAccounts {
          id
          platform
          status
        }
      }
    }
  }
`);

const SuggestCaptionsDocument = graphql(`
  mutation SuggestCaptionsForMedia($mediaAssetIds: [ID!]!, $networks: [Platform!]!) {
    suggestCaptionsForMedia(mediaAssetIds: $mediaAssetIds, networks: $networks) {
      __typename
      ... on MutationSuggestCaptionsForMediaSuccess {
        data {
          network
          caption
          hashtags
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const SubmitDocument = graphql(`
  mutation SubmitComposedPost($id: ID!) {
    submitPostForReview(id: $id) {
      __typename
      ... on MutationSubmitPostForReviewSuccess {
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

type LibraryAsset = LibraryAssetFragment;

interface UploadRow {
  id: string;
  name: string;
  bytesUploaded: number;
  bytesTotal: number;
  state: 'uploading' | 'paused' | 'done' | 'failed';
  error?: string;
}

const byteUnits = ['B', 'KB', 'MB', 'GB', 'TB'];
export function formatBytes(value: number | string | bigint): string {
  let size = Number(value);
  let unit = 0;
  while (size >= 1024 && unit < byteUnits.length - 1) {
    size /= 1024;
    unit += 1;
  }
  return `${size >= 10 || unit === 0 ? Math.round(size) : size.toFixed(1)} ${byteUnits[unit]}`;
}

function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** The server answers a refused tus request with `{ code, message }`; tus-js-client wraps it. */
function uploadErrorMessage(error: unknown): string {
  const body = (error as { originalResponse?: { getBody(): string } } | null)?.originalResponse?.getBody();
  if (body) {
    try {
      const parsed = JSON.parse(body) as { message?: string };
      if (parsed.message) return parsed.message;
    } catch {
      // Not JSON: a proxy's page; the generic message below says enough.
    }
  }
  return 'The upload failed; it resumes from where it stopped when you retry.';
}

const kinds = [
  { value: '', label: 'Images and videos' },
  { value: 'IMAGE', label: 'Images' },
  { value: 'VIDEO', label: 'Videos' },
] as const;
const statuses = [
  { value: '', label: 'Any state' },
  { value: 'READY', label: 'Ready' },
  { value: 'PROCESSING', label: 'Processing' },
  { value: 'UPLOADING', label: 'Uploading' },
  { value: 'FAILED', label: 'Failed' },
] as const;

export default function Library() {
  const session = useSession();
  const [params, setParams] = useSearchParams<{ kind?: string; status?: string; tag?: string; folder?: string }>();
  const organizationId = () => session.organization()?.id ?? '';
  const brandId = () => session.brand()?.id ?? '';
  const [pages, setPages] = createSignal(1);

  const [library, refetch] = createLiveQuery({
    query: LibraryDocument,
    variables: () => ({
      organizationId: organizationId(),
      brandId: brandId(),
      first: pages() * pageSize,
      kind: (params.kind || null) as MediaAssetKind | null,
      status: params.status ? [params.status as MediaAssetStatus] : null,
      tag: params.tag || null,
      folder: params.folder === undefined || params.folder === '' ? null : params.folder,
    }),
    pause: () => !organizationId() || !brandId(),
  });

  // Processing reports progress many times per asset: those events update the card in place;
  // an asset the list does not hold (new, or deleted: null) reads the list again.
  const [live, setLive] = createStore<Record<string, LibraryAsset>>({});
  onLiveEvent(
    { query: AssetChangedDocument, variables: () => ({ brandId: brandId() }), pause: () => !brandId() },
    (data) => {
      const changed = data.mediaAssetChanged;
      if (changed && assets().some((asset) => asset.id === changed.id)) {
        setLive(changed.id, reconcile(changed));
        // A state the filter excludes (PROCESSING → READY under "Processing") leaves the list.
        if (params.status && changed.status !== params.status) refetch();
      } else {
        refetch();
      }
    },
  );
  const assets = createMemo(() =>
    (library.data?.organization?.mediaAssets.edges ?? []).map((edge) => {
      const node = edge.node;
      return live[node.id] ?? node;
    }),
  );
  const usage = () => library.data?.organization?.mediaUsage;
  const [openedId, setOpenedId] = createSignal<string | null>(null);
  const opened = () => assets().find((asset) => asset.id === openedId()) ?? null;

  // Ready uploads picked for a post, in the order they were picked (the carousel's order).
  const [picked, setPicked] = createSignal<string[]>([]);
  const compose = () => session.can('posts:write');
  const pickedAssets = () =>
    picked()
      .map((id) => assets().find((asset) => asset.id === id))
      .filter((asset): asset is LibraryAsset => !!asset && asset.status === 'READY');
  const uploads = createUploads({ brandId, folder: () => params.folder ?? '' });
  const filtered = () => !!(params.kind || params.status || params.tag || params.folder);

  return (
    <>
      <PageHeader title="Media library">
        <Show when={session.can('media:write') && brandId()}>
          <UploadButton uploads={uploads} />
        </Show>
      </PageHeader>
      <UploadList uploads={uploads} />
      <Show when={usage()}>
        {(shown) => (
          <div class="library-usage">
            <label for="library-quota" class="small">
              {formatBytes(shown().usedBytes)} of {formatBytes(shown().quotaBytes)} used · {shown().assetCount}{' '}
              {shown().assetCount === 1 ? 'file' : 'files'}
            </label>
            <progress
              id="library-quota"
              class="progress"
              max={Number(shown().quotaBytes)}
              value={Number(shown().usedBytes)}
            />
          </div>
        )}
      </Show>
      <form class="filters" aria-label="Filter the library" onSubmit={(event) => event.preventDefault()}>
        <label class="library-filter">
          <span>Kind</span>
          <select
            class="select"
            value={params.kind ?? ''}
            onChange={(event) => setParams({ kind: event.currentTarget.value || undefined })}
          >
            <For each={kinds}>{(kind) => <option value={kind.value}>{kind.label}</option>}</For>
          </select>
        </label>
        <label class="library-filter">
          <span>State</span>
          <select
            class="select"
            value={params.status ?? ''}
            onChange={(event) => setParams({ status: event.currentTarget.value || undefined })}
          >
            <For each={statuses}>{(status) => <option value={status.value}>{status.label}</option>}</For>
          </select>
        </label>
        <label class="library-filter">
          <span>Tag</span>
          <input
            class="input"
            type="search"
            value={params.tag ?? ''}
            placeholder="any"
            onChange={(event) => setParams({ tag: event.currentTarget.value.trim() || undefined })}
          />
        </label>
        <label class="library-filter">
          <span>Folder</span>
          <input
            class="input"
            type="search"
            value={params.folder ?? ''}
            placeholder="all folders"
            onChange={(event) => setParams({ folder: event.currentTarget.value.trim() || undefined })}
          />
        </label>
      </form>
      <Show when={!library.error} fallback={<ProblemNotice problem={problemOf(library.error!)} onRetry={refetch} />}>
        <Show when={library.data} fallback={<Skeleton rows={4} label="Loading the media library" />}>
          <Show
            when={assets().length > 0}
            fallback={
              <Show
                when={filtered()}
                fallback={
                  <Empty title="Nothing uploaded yet.">
                    <p class="muted">
                      Upload images and videos to compose posts from them. Large files resume if the connection drops.
                    </p>
                  </Empty>
                }
              >
                <Empty title="Nothing matches these filters.">
                  <button
                    type="button"
                    class="button"
                    onClick={() => setParams({ kind: undefined, status: undefined, tag: undefined, folder: undefined })}
                  >
                    Clear filters
                  </button>
                </Empty>
              </Show>
            }
          >
            <div class="library-toolbar">
              <p class="muted small" aria-live="polite">
                {library.data?.organization?.mediaAssets.totalCount} in this view
                <Show when={pickedAssets().length > 0}> · {pickedAssets().length} picked for a post</Show>
              </p>
              <Show when={compose() && pickedAssets().length > 0}>
                <Composer brandId={brandId()} assets={pickedAssets()} onDone={() => setPicked([])} />
                <button type="button" class="button" onClick={() => setPicked([])}>
                  Clear selection
                </button>
              </Show>
            </div>
            <ul class="library-grid" aria-label="Media">
              <For each={assets()}>
                {(asset) => (
                  <li class="library-item" data-asset={asset.filename}>
                    <button type="button" class="library-card" onClick={() => setOpenedId(asset.id)}>
                      <Show
                        when={asset.thumbnailUrl}
                        fallback={
                          <span class="library-thumb placeholder" aria-hidden="true">
                            {asset.kind === 'VIDEO' ? '▶' : asset.kind === 'IMAGE' ? '▦' : '…'}
                          </span>
                        }
                      >
                        {(src) => <img class="library-thumb" src={src()} alt="" loading="lazy" />}
                      </Show>
                      <span class="library-name">{asset.filename}</span>
                      <span class="library-meta small muted">
                        {asset.kind === 'VIDEO' && asset.durationMs ? `${formatDuration(asset.durationMs)} · ` : ''}
                        {formatBytes(asset.byteSize)}
                      </span>
                    </button>
                    <div class="library-state">
                      <Show when={compose() && asset.status === 'READY'}>
                        <label class="check library-pick">
                          <input
                            type="checkbox"
                            checked={picked().includes(asset.id)}
                            onChange={(event) =>
                              setPicked(
                                event.currentTarget.checked
                                  ? [...picked(), asset.id]
                                  : picked().filter((id) => id !== asset.id),
                              )
                            }
                          />
                          <span class="small">
                            {picked().includes(asset.id) ? `#${picked().indexOf(asset.id) + 1}` : 'Pick'}
                          </span>
                          <span class="visually-hidden"> {asset.filename} for a post</span>
                        </label>
                      </Show>
                      <StateBadge state={asset.status} />
                      <Show when={asset.status === 'PROCESSING'}>
                        <progress
                          class="progress library-progress"
                          max={100}
                          value={asset.progress}
                          aria-label={`Processing ${asset.filename}`}
                        />
                      </Show>
                    </div>
                  </li>
                )}
              </For>
            </ul>
            <Show when={library.data?.organization?.mediaAssets.pageInfo.hasNextPage}>
              <button type="button" class="button" onClick={() => setPages(pages() + 1)}>
                Show more
              </button>
            </Show>
          </Show>
        </Show>
      </Show>
      <AssetDrawer asset={opened()} onClose={() => setOpenedId(null)} onChanged={refetch} />
    </>
  );
}

/**
 * Uploads under way: one Uppy with the tus plugin for the screen, and each file's byte
 * progress as a row. `brandId` and `folder` are read when a file is added.
 */
function createUploads(options: { brandId: () => string; folder: () => string }) {
  const [rows, setRows] = createStore<UploadRow[]>([]);
  const uppy = new Uppy<Meta & { brandId: string; filename: string; folder: string }>({
    autoProceed: true,
    restrictions: { allowedFileTypes: ['image/*', 'video/*'] },
  }).use(Tus, {
    endpoint: '/uploads',
    withCredentials: true,
    // 8 MiB per PATCH: a dropped connection costs at most that much again.
    chunkSize: 8 * 1024 * 1024,
    retryDelays: [0, 1_000, 3_000, 5_000, 10_000],
    allowedMetaFields: ['brandId', 'filename', 'folder'],
    removeFingerprintOnSuccess: true,
  });
  onCleanup(() => uppy.destroy());

  const patch = (id: string, change: Partial<UploadRow>) => {
    const index = rows.findIndex((row) => row.id === id);
    if (index >= 0) setRows(index, change);
  };
  const drop = (id: string) => setRows((current) => current.filter((row) => row.id !== id));
  uppy.on('file-added', (file) => {
    uppy.setFileMeta(file.id, {
      brandId: options.brandId(),
      filename: file.name ?? 'upload',
      folder: options.folder(),
    });
    setRows(rows.length, {
      id: file.id,
      name: file.name ?? 'upload',
      bytesUploaded: 0,
      bytesTotal: file.size ?? 0,
      state: 'uploading',
    });
  });
  uppy.on('upload-progress', (file, progress) => {
    if (!file) return;
    patch(file.id, { bytesUploaded: progress.bytesUploaded, bytesTotal: progress.bytesTotal ?? 0 });
  });
  uppy.on('upload-success', (file) => {
    if (!file) return;
    patch(file.id, { state: 'done', bytesUploaded: file.size ?? 0 });
    notify(`${file.name} uploaded; processing it now`);
    // Finished rows leave the list after a moment; the grid shows the asset from here on.
    setTimeout(() => {
      drop(file.id);
      uppy.removeFile(file.id);
    }, 4_000);
  });
  uppy.on('upload-error', (file, error) => {
    if (!file) return;
    patch(file.id, { state: 'failed', error: uploadErrorMessage(error) });
  });
  uppy.on('restriction-failed', (file, error) => {
    notify(`${file?.name ?? 'That file'}: ${error.message}`, 'error');
  });

  return {
    rows,
    add(files: FileList | null) {
      for (const file of Array.from(files ?? [])) {
        try {
          uppy.addFile({ name: file.name, type: file.type, data: file, source: 'Local' });
        } catch {
          // Refused by the restrictions: `restriction-failed` has said why.
        }
      }
    },
    pauseResume(id: string) {
      const paused = uppy.pauseResume(id);
      patch(id, { state: paused ? 'paused' : 'uploading' });
    },
    retry(id: string) {
      patch(id, { state: 'uploading', error: undefined });
      void uppy.retryUpload(id);
    },
    cancel(id: string) {
      uppy.removeFile(id);
      drop(id);
    },
  };
}

type Uploads = ReturnType<typeof createUploads>;

function UploadButton(props: { uploads: Uploads }) {
  let input!: HTMLInputElement;
  return (
    <>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        accept="image/*,video/*"
        aria-label="Files to upload"
        onChange={(event) => {
          props.uploads.add(event.currentTarget.files);
          event.currentTarget.value = '';
        }}
      />
      <button type="button" class="button primary" onClick={() => input.click()}>
        Upload
      </button>
    </>
  );
}

function uploadStateText(row: UploadRow): string {
  if (row.state === 'failed') return 'failed';
  if (row.state === 'done') return 'uploaded';
  const bytes = `${formatBytes(row.bytesUploaded)} of ${formatBytes(row.bytesTotal)}`;
  return row.state === 'paused' ? `paused at ${bytes}` : bytes;
}

function UploadList(props: { uploads: Uploads }) {
  return (
    <Show when={props.uploads.rows.length > 0}>
      <section class="card library-uploads" aria-label="Uploads">
        <ul class="list">
          <For each={props.uploads.rows}>
            {(row) => (
              <li class="library-upload" data-upload={row.name}>
                <div class="library-upload-head">
                  <span class="library-name">{row.name}</span>
                  <span class="small muted">{uploadStateText(row)}</span>
                </div>
                <progress
                  class="progress"
                  max={Math.max(row.bytesTotal, 1)}
                  value={row.bytesUploaded}
                  aria-label={`Uploading ${row.name}`}
                />
                <Show when={row.error}>
                  <p class="small library-upload-error" role="alert">
                    {row.error}
                  </p>
                </Show>
                <div class="library-upload-actions">
                  <Show when={row.state === 'uploading' || row.state === 'paused'}>
                    <button
                      type="button"
                      class="button small"
                      aria-label={`${row.state === 'paused' ? 'Resume' : 'Pause'} ${row.name}`}
                      onClick={() => props.uploads.pauseResume(row.id)}
                    >
                      {row.state === 'paused' ? 'Resume' : 'Pause'}
                    </button>
                  </Show>
                  <Show when={row.state === 'failed'}>
                    <button
                      type="button"
                      class="button small"
                      aria-label={`Retry ${row.name}`}
                      onClick={() => props.uploads.retry(row.id)}
                    >
                      Retry
                    </button>
                  </Show>
                  <Show when={row.state !== 'done'}>
                    <button
                      type="button"
                      class="button small"
                      aria-label={`${row.state === 'failed' ? 'Dismiss' : 'Cancel'} ${row.name}`}
                      onClick={() => props.uploads.cancel(row.id)}
                    >
                      {row.state === 'failed' ? 'Dismiss' : 'Cancel'}
                    </button>
                  </Show>
                </div>
              </li>
            )}
          </For>
        </ul>
      </section>
    </Show>
  );
}

/** "#autumn launch, #sale" → ["#autumn", "#launch", "#sale"]: the server adds missing #s too. */
function hashtagsFrom(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

// The networks that take their own text for a post (YouTube also its own title), in the order
// the composer lists them; it offers those the brand has an ACTIVE account on. Each is
// optional: an empty one publishes the post's own text. The blog has no version of its own.
const versionNetworks: ReadonlyArray<{ network: Platform; label: string; title: boolean }> = [
  { network: 'TIKTOK', label: 'TikTok', title: false },
  { network: 'INSTAGRAM', label: 'Instagram', title: false },
  { network: 'FACEBOOK', label: 'Facebook', title: false },
  { network: 'YOUTUBE', label: 'YouTube', title: true },
  { network: 'VK', label: 'VK', title: false },
  { network: 'TELEGRAM', label: 'Telegram', title: false },
];

interface VersionDraft {
  caption: string;
  hashtags: string;
  title: string;
}
const emptyVersion = (): VersionDraft => ({ caption: '', hashtags: '', title: '' });

/**
 * A post from the picked uploads: one video, or one to ten images as a carousel in the order
 * they were picked, with optional text per network (suggested by the organization's AI when
 * it is on and the viewer may use it). It is created as a draft and sent to review at once,
 * where it is approved and scheduled like a generated post.
 */
function Composer(props: { brandId: string; assets: LibraryAsset[]; onDone: () => void }) {
  const session = useSession();
  const navigate = useNavigate();
  const [open, setOpen] = createSignal(false);
  const [problem, setProblem] = createSignal<Problem | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [, composePost] = createMutation(ComposeDocument);
  const [, submit] = createMutation(SubmitDocument);
  const [, suggestCaptions] = createMutation(SuggestCaptionsDocument);
  const organizationId = () => session.organization()?.id ?? '';
  // Read when the dialog opens, so a change in Settings shows without a reload.
  const [ai] = createQuery({
    query: ComposerAiDocument,
    variables: () => ({ organizationId: organizationId(), brandId: props.brandId }),
    pause: () => !open() || !organizationId(),
    requestPolicy: 'cache-and-network',
  });
  const aiText = () => ai.data?.organization?.settings?.aiTextEnabled;
  // The networks the post can go to now: the brand's connected (ACTIVE) accounts'.
  const networks = createMemo(() => {
    const node = ai.data?.node;
    const accounts = node && 'socialAccounts' in node ? node.socialAccounts : [];
    const connected = new Set(accounts.filter((account) => account.status === 'ACTIVE').map((a) => a.platform));
    return versionNetworks.filter((entry) => connected.has(entry.network));
  });
  const mayUseAi = () => session.can('ai:use');

  const [versions, setVersions] = createStore<Record<string, VersionDraft>>(
    Object.fromEntries(versionNetworks.map((entry) => [entry.network, emptyVersion()])),
  );
  const [expanded, setExpanded] = createSignal<ReadonlySet<Platform>>(new Set());
  const filled = (network: Platform) => {
    const draft = versions[network]!;
    return !!(draft.caption.trim() || draft.hashtags.trim() || draft.title.trim());
  };
  const [suggesting, setSuggesting] = createSignal(false);
  const [suggestProblem, setSuggestProblem] = createSignal<Problem | null>(null);
  const reset = () => {
    setProblem(null);
    setSuggestProblem(null);
    setVersions(reconcile(Object.fromEntries(versionNetworks.map((entry) => [entry.network, emptyVersion()]))));
    setExpanded(new Set<Platform>());
  };

  const suggest = async () => {
    setSuggestProblem(null);
    setSuggesting(true);
    const answer = await suggestCaptions({
      mediaAssetIds: props.assets.map((asset) => asset.id),
      networks: networks().map((entry) => entry.network),
    });
    setSuggesting(false);
    const outcome = outcomeOf(answer, answer.data?.suggestCaptionsForMedia);
    if (!outcome.ok) return setSuggestProblem(outcome.problem);
    for (const suggestion of outcome.data) {
      if (!versions[suggestion.network]) continue;
      setVersions(suggestion.network, { caption: suggestion.caption, hashtags: suggestion.hashtags.join(' ') });
    }
    // Open every network that received text, so what will be sent is in view.
    setExpanded(new Set(outcome.data.map((suggestion) => suggestion.network)));
  };

  const shape = () => {
    const videos = props.assets.filter((asset) => asset.kind === 'VIDEO').length;
    if (videos > 0) return videos === 1 && props.assets.length === 1 ? 'a video post' : null;
    return props.assets.length <= 10 ? `a carousel of ${props.assets.length}` : null;
  };

  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setProblem(null);
    setBusy(true);
    const composed = await composePost({
      brandId: props.brandId,
      mediaAssetIds: props.assets.map((asset) => asset.id),
      title: textOf(form, 'title').trim() || null,
      caption: textOf(form, 'caption').trim() || null,
      hashtags: hashtagsFrom(textOf(form, 'hashtags')),
      // Only the networks given text; a field left empty keeps the post's own.
      versions: networks()
        .filter((entry) => filled(entry.network))
        .map((entry) => {
          const draft = versions[entry.network]!;
          return {
            network: entry.network,
            caption: draft.caption.trim() || null,
            hashtags: draft.hashtags.trim() ? hashtagsFrom(draft.hashtags) : null,
            title: entry.title ? draft.title.trim() || null : null,
          };
        }),
    });
    const made = outcomeOf(composed, composed.data?.composePostFromMedia);
    if (!made.ok) {
      setBusy(false);
      return setProblem(made.problem);
    }
    const sent = await submit({ id: made.data.id });
    setBusy(false);
    const submitted = outcomeOf(sent, sent.data?.submitPostForReview);
    if (!submitted.ok) return setProblem(submitted.problem);
    setOpen(false);
    reset();
    props.onDone();
    notify('Post created and sent to review');
    if (session.can('posts:review')) navigate('/review');
  };

  return (
    <FormDialog
      open={open()}
      onOpenChange={(isOpen) => {
        setOpen(isOpen);
        if (!isOpen) reset();
      }}
      trigger="Compose post"
      triggerClass="button primary"
      class="compose-dialog"
      title="Compose a post"
      description={
        <Show when={shape()} fallback="Pick one video, or up to ten images: a post is one or the other.">
          {(made) => `From ${props.assets.map((asset) => asset.filename).join(', ')}: ${made()}.`}
        </Show>
      }
    >
      <form class="form" onSubmit={(event) => void onSubmit(event)}>
        <Field label="Title" for="compose-title">
          <input id="compose-title" name="title" class="input" maxLength={200} />
        </Field>
        <Field label="Caption" for="compose-caption">
          <textarea id="compose-caption" name="caption" class="input" rows={3} />
        </Field>
        <Field label="Hashtags" for="compose-hashtags" hint="Separated by spaces or commas.">
          <input id="compose-hashtags" name="hashtags" class="input" placeholder="#coffee #harvest" />
        </Field>
        <fieldset class="compose-networks">
          <legend>Per network</legend>
          <Show when={ai.data && networks().length === 0}>
            <p class="small" data-testid="compose-no-accounts">
              This brand has no connected account yet, so there is no network to write for. The post can still be sent
              to review; it is scheduled once an account is connected.
              <Show when={session.can('brands:manage')} fallback={' An owner or admin connects accounts.'}>
                {' '}
                <A href="/accounts">Connect an account in Accounts</A>
              </Show>
            </p>
          </Show>
          <Show when={networks().length > 0}>
            <div class="compose-networks-head">
              <p class="small muted">Optional: a network left empty publishes the caption above.</p>
              <Show
                when={mayUseAi() && aiText()}
                fallback={
                  <Show when={ai.data || !mayUseAi()}>
                    <p class="small muted" data-testid="compose-ai-off">
                      {mayUseAi()
                        ? 'AI is off for this organization, so captions are written by hand.'
                        : 'Your role does not use AI, so captions are written by hand.'}
                      <Show when={mayUseAi() && session.can('org:manage')}>
                        {' '}
                        <A href="/settings">Turn AI on in Settings</A>
                      </Show>
                    </p>
                  </Show>
                }
              >
                <button
                  type="button"
                  class="button small"
                  disabled={suggesting() || !shape()}
                  aria-busy={suggesting()}
                  onClick={() => void suggest()}
                >
                  {suggesting() ? 'Suggesting…' : 'Suggest with AI'}
                </button>
              </Show>
            </div>
          </Show>
          <Show when={suggesting()}>
            <p class="small muted" role="status">
              Looking at{' '}
              {props.assets.length === 1 && props.assets[0]?.kind === 'VIDEO' ? 'frames of the video' : 'the images'}…
            </p>
          </Show>
          <Show when={suggestProblem()}>{(shown) => <ProblemNotice problem={shown()} />}</Show>
          <For each={networks()}>
            {(entry) => {
              const id = (field: string) => `compose-${entry.network.toLowerCase()}-${field}`;
              return (
                <details
                  class="compose-network"
                  data-network={entry.network}
                  open={expanded().has(entry.network)}
                  onToggle={(event) => {
                    const next = new Set(expanded());
                    if (event.currentTarget.open) next.add(entry.network);
                    else next.delete(entry.network);
                    setExpanded(next);
                  }}
                >
                  <summary>
                    {entry.label}
                    <span class="small muted">{filled(entry.network) ? ' · own text' : ' · as above'}</span>
                  </summary>
                  <Show when={entry.title}>
                    <Field label={`${entry.label} title`} for={id('title')}>
                      <input
                        id={id('title')}
                        class="input"
                        maxLength={100}
                        value={versions[entry.network]!.title}
                        onInput={(event) => setVersions(entry.network, 'title', event.currentTarget.value)}
                      />
                    </Field>
                  </Show>
                  <Field label={`${entry.label} caption`} for={id('caption')}>
                    <textarea
                      id={id('caption')}
                      class="input"
                      rows={3}
                      value={versions[entry.network]!.caption}
                      onInput={(event) => setVersions(entry.network, 'caption', event.currentTarget.value)}
                    />
                  </Field>
                  <Field label={`${entry.label} hashtags`} for={id('hashtags')}>
                    <input
                      id={id('hashtags')}
                      class="input"
                      value={versions[entry.network]!.hashtags}
                      onInput={(event) => setVersions(entry.network, 'hashtags', event.currentTarget.value)}
                    />
                  </Field>
                </details>
              );
            }}
          </For>
        </fieldset>
        <Show when={problem()}>{(shown) => <ProblemNotice problem={shown()} />}</Show>
        <DialogActions submit="Send to review" disabled={busy() || suggesting() || !shape()} />
      </form>
    </FormDialog>
  );
}

function AssetDrawer(props: { asset: LibraryAsset | null; onClose: () => void; onChanged: () => void }) {
  const session = useSession();
  const [, update] = createMutation(UpdateDocument);
  const [, remove] = createMutation(DeleteDocument);
  const [saving, setSaving] = createSignal(false);

  const onSave = async (event: SubmitEvent, asset: LibraryAsset) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const tags = textOf(form, 'tags')
      .split(',')
      .map((tag) => tag.trim())
      .filter(Boolean);
    setSaving(true);
    const answer = await update({ id: asset.id, folder: textOf(form, 'folder').trim(), tags });
    setSaving(false);
    const outcome = outcomeOf(answer, answer.data?.updateMediaAsset);
    if (!outcome.ok) return notifyProblem(outcome.problem);
    notify(`${asset.filename} saved`);
    props.onChanged();
  };
  const onDelete = async (asset: LibraryAsset) => {
    const answer = await remove({ id: asset.id });
    const outcome = outcomeOf(answer, answer.data?.deleteMediaAsset);
    if (!outcome.ok) return notifyProblem(outcome.problem);
    notify(`${asset.filename} deleted`);
    props.onClose();
    props.onChanged();
  };

  return (
    <Drawer item={props.asset} onClose={() => props.onClose()} class="library-drawer" title={(asset) => asset.filename}>
      {(asset) => (
        <>
          <Show
            when={asset().kind === 'VIDEO' && asset().renditionUrl}
            fallback={
              <Show when={asset().posterUrl}>
                {(src) => <img class="library-preview" src={src()} alt={`Preview of ${asset().filename}`} />}
              </Show>
            }
          >
            {/* Uploaded videos have no captions to offer; the player's own controls are keyboard usable. */}
            <video
              class="library-preview"
              src={asset().renditionUrl!}
              poster={asset().posterUrl ?? undefined}
              controls
              preload="metadata"
              aria-label={`Video ${asset().filename}`}
            />
          </Show>
          <dl class="facts">
            <dt>State</dt>
            <dd>
              <StateBadge state={asset().status} />
              <Show when={asset().status === 'PROCESSING'}>
                {' '}
                <span class="muted small">
                  {asset().processingStep ?? 'starting'} · {asset().progress}%
                </span>
              </Show>
            </dd>
            <Show when={asset().failureReason}>
              <dt>Why it failed</dt>
              <dd>{asset().failureReason}</dd>
            </Show>
            <dt>Type</dt>
            <dd>{asset().contentType ?? 'not known yet'}</dd>
            <dt>Size</dt>
            <dd>{formatBytes(asset().byteSize)}</dd>
            <Show when={asset().width && asset().height}>
              <dt>Dimensions</dt>
              <dd>
                {asset().width} × {asset().height}
                <Show when={asset().rotation}> (turned {asset().rotation}°)</Show>
              </dd>
            </Show>
            <Show when={asset().durationMs}>
              {(ms) => (
                <>
                  <dt>Duration</dt>
                  <dd>{formatDuration(ms())}</dd>
                </>
              )}
            </Show>
            <Show when={asset().videoCodec}>
              <dt>Codecs</dt>
              <dd>
                {asset().videoCodec}
                {asset().audioCodec ? ` / ${asset().audioCodec}` : ' (no audio)'}
              </dd>
            </Show>
            <dt>Uploaded</dt>
            <dd>
              <Time at={asset().uploadedAt} fallback="not finished" />
            </dd>
            <Show when={asset().sha256}>
              <dt>SHA-256</dt>
              <dd>
                <code class="library-hash">{asset().sha256}</code>
              </dd>
            </Show>
          </dl>
          <Show when={session.can('media:write')}>
            <form class="form" onSubmit={(event) => void onSave(event, asset())}>
              <Field label="Folder" for="asset-folder" hint="Slash-separated, like campaigns/spring. Empty is the top.">
                <input id="asset-folder" name="folder" class="input" value={asset().folder} />
              </Field>
              <Field label="Tags" for="asset-tags" hint="Comma-separated.">
                <input id="asset-tags" name="tags" class="input" value={asset().tags.join(', ')} />
              </Field>
              <div class="drawer-actions">
                <button type="submit" class="button primary" disabled={saving()}>
                  Save
                </button>
                <ConfirmButton
                  label="Delete"
                  ariaLabel={`Delete ${asset().filename}`}
                  title={`Delete ${asset().filename}?`}
                  description="The original, its previews and rendition are removed and its space is freed. This cannot be undone."
                  confirmLabel="Delete file"
                  onConfirm={() => onDelete(asset())}
                />
              </div>
            </form>
          </Show>
        </>
      )}
    </Drawer>
  );
}
