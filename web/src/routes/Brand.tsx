// The brand being worked on: its voice (given to the AI with every brief), colours and font,
// the knowledge documents the AI reads, and uploaded assets (logos, images, fonts...). Anyone
// may read it; only roles with brands:write are offered the controls (the server still checks).
import { createMutation } from '@urql/solid';
import { createEffect, createSignal, For, on, Show } from 'solid-js';
import {
  ConfirmButton,
  createLiveQuery,
  Empty,
  Field,
  notify,
  notifyProblem,
  PageHeader,
  ProblemNotice,
  Skeleton,
  Time,
} from '../components/ui';
import { graphql } from '../gql';
import { outcomeOf, problemOf, type Problem } from '../lib/errors';
import { useSession } from '../session';
import './brand.css';

const BrandDocument = graphql(`
  query BrandSettings($brandId: ID!) {
    node(id: $brandId) {
      __typename
      ... on Brand {
        id
        name
        voice
        primaryColor
        secondaryColor
        accentColor
        fontFamily
        knowledgeDocuments(first: 100) {
          totalCount
          edges {
            node {
              id
              title
              content
              updatedAt
            }
          }
        }
        assets(first: 100) {
          totalCount
          edges {
            node {
              id
              kind
              filename
              contentType
              byteSize
              createdAt
              uploadedBy {
                id
                name
              }
            }
          }
        }
      }
    }
  }
`);

const UpdateBrandDocument = graphql(`
  mutation UpdateBrandLook(
    $id: ID!
    $voice: String
    $primaryColor: String
    $secondaryColor: String
    $accentColor: String
    $fontFamily: String
  ) {
    updateBrand(
      id: $id
      voice: $voice
      primaryColor: $primaryColor
      secondaryColor: $secondaryColor
      accentColor: $accentColor
      fontFamily: $fontFamily
    ) {
      __typename
      ... on MutationUpdateBrandSuccess {
        data {
          id
          accentColor
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const AddDocumentDocument = graphql(`
  mutation AddKnowledgeDocument($brandId: ID!, $title: String!, $content: String!) {
    addKnowledgeDocument(brandId: $brandId, title: $title, content: $content) {
      __typename
      ... on MutationAddKnowledgeDocumentSuccess {
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

const UpdateDocumentDocument = graphql(`
  mutation UpdateKnowledgeDocument($id: ID!, $title: String, $content: String) {
    updateKnowledgeDocument(id: $id, title: $title, content: $content) {
      __typename
      ... on MutationUpdateKnowledgeDocumentSuccess {
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

const DeleteDocumentDocument = graphql(`
  mutation DeleteKnowledgeDocument($id: ID!) {
    deleteKnowledgeDocument(id: $id) {
      __typename
      ... on MutationDeleteKnowledgeDocumentSuccess {
        data
      }
      ... on Error {
        message
      }
    }
  }
`);

const DeleteAssetDocument = graphql(`
  mutation DeleteBrandAsset($id: ID!) {
    deleteBrandAsset(id: $id) {
      __typename
      ... on MutationDeleteBrandAssetSuccess {
        data
      }
      ... on Error {
        message
      }
    }
  }
`);

const UploadAssetQuery = `mutation UploadBrandAsset($brandId: ID!, $kind: AssetKind!, $file: File!) {
  uploadBrandAsset(brandId: $brandId, kind: $kind, file: $file) {
    __typename
    ... on MutationUploadBrandAssetSuccess { data { id } }
    ... on Error { message }
  }
}`;

const assetKinds = [
  { value: 'LOGO', label: 'Logo (PNG, JPEG, WebP)', accept: 'image/png,image/jpeg,image/webp' },
  { value: 'IMAGE', label: 'Image (PNG, JPEG, WebP)', accept: 'image/png,image/jpeg,image/webp' },
  { value: 'FONT', label: 'Font (TTF, OTF, WOFF, WOFF2)', accept: '.ttf,.otf,.woff,.woff2' },
  { value: 'VIDEO', label: 'Video (MP4, MOV)', accept: 'video/mp4,video/quicktime' },
  { value: 'DOCUMENT', label: 'Document (PDF, text, Markdown)', accept: 'application/pdf,text/plain,.md' },
] as const;

/** Browsers leave font and Markdown types empty or vague; the server checks the bytes either way. */
function contentTypeOf(file: File): string {
  const extension = file.name.split('.').pop()?.toLowerCase() ?? '';
  const byExtension: Record<string, string> = {
    ttf: 'font/ttf',
    otf: 'font/otf',
    woff: 'font/woff',
    woff2: 'font/woff2',
    md: 'text/markdown',
    mov: 'video/quicktime',
  };
  return byExtension[extension] ?? file.type;
}

/**
 * The GraphQL multipart request (operations, map, then the file), as the api's File scalar
 * takes it; the CSRF header marks it as sent by a page of this origin.
 */
async function uploadAsset(brandId: string, kind: string, file: File): Promise<{ ok: boolean; problem?: Problem }> {
  const body = new FormData();
  body.append('operations', JSON.stringify({ query: UploadAssetQuery, variables: { brandId, kind, file: null } }));
  body.append('map', JSON.stringify({ 0: ['variables.file'] }));
  body.append('0', new File([file], file.name, { type: contentTypeOf(file) }));
  try {
    const response = await fetch('/graphql', {
      method: 'POST',
      body,
      credentials: 'same-origin',
      headers: { 'x-pressroom-csrf': '1' },
    });
    const requestId = response.headers.get('x-request-id') ?? undefined;
    const answer = (await response.json()) as {
      data?: { uploadBrandAsset?: { __typename: string; message?: string } };
      errors?: Array<{ message: string }>;
    };
    const result = answer.data?.uploadBrandAsset;
    if (result?.__typename.endsWith('Success')) return { ok: true };
    return {
      ok: false,
      problem: { message: result?.message ?? answer.errors?.[0]?.message ?? 'The upload was refused.', requestId },
    };
  } catch (error) {
    return { ok: false, problem: { message: `Cannot reach the server (${(error as Error).message}).` } };
  }
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export default function Brand() {
  const session = useSession();
  const brandId = () => session.brand()?.id ?? '';
  const canWrite = () => session.can('brands:write');
  const [result, refetch] = createLiveQuery({
    query: BrandDocument,
    variables: () => ({ brandId: brandId() }),
    pause: () => !brandId(),
  });
  const brand = () => {
    const node = result.data?.node;
    return node && node.__typename === 'Brand' ? node : null;
  };
  const documents = () => brand()?.knowledgeDocuments.edges.map((edge) => edge.node) ?? [];
  const assets = () => brand()?.assets.edges.map((edge) => edge.node) ?? [];

  // The look form starts from the server's values once per brand, so a refetch never
  // overwrites what someone is typing.
  const [voice, setVoice] = createSignal('');
  const [primary, setPrimary] = createSignal('#000000');
  const [secondary, setSecondary] = createSignal('#000000');
  const [accent, setAccent] = createSignal('#000000');
  const [font, setFont] = createSignal('');
  createEffect(
    on(
      () => brand()?.id,
      () => {
        const current = brand();
        if (!current) return;
        setVoice(current.voice);
        setPrimary(current.primaryColor);
        setSecondary(current.secondaryColor);
        setAccent(current.accentColor);
        setFont(current.fontFamily);
      },
    ),
  );
  const [savingLook, updateBrand] = createMutation(UpdateBrandDocument);
  const saveLook = async (event: SubmitEvent) => {
    event.preventDefault();
    const answer = await updateBrand({
      id: brandId(),
      voice: voice(),
      primaryColor: primary(),
      secondaryColor: secondary(),
      accentColor: accent(),
      fontFamily: font(),
    });
    const outcome = outcomeOf(answer, answer.data?.updateBrand);
    if (!outcome.ok) return notifyProblem(outcome.problem);
    notify('Brand saved');
    refetch();
    void session.refetch();
  };

  // Knowledge documents: one form adds a new one or edits the one chosen.
  const [editingId, setEditingId] = createSignal<string | null>(null);
  const [docTitle, setDocTitle] = createSignal('');
  const [docContent, setDocContent] = createSignal('');
  const [, addDocument] = createMutation(AddDocumentDocument);
  const [, updateDocument] = createMutation(UpdateDocumentDocument);
  const [, deleteDocument] = createMutation(DeleteDocumentDocument);
  const [savingDoc, setSavingDoc] = createSignal(false);
  let docTitleField: HTMLInputElement | undefined;
  const editDocument = (id: string) => {
    const document = documents().find((candidate) => candidate.id === id);
    if (!document) return;
    setEditingId(id);
    setDocTitle(document.title);
    setDocContent(document.content);
    docTitleField?.focus();
  };
  const resetDocument = () => {
    setEditingId(null);
    setDocTitle('');
    setDocContent('');
  };
  const saveDocument = async (event: SubmitEvent) => {
    event.preventDefault();
    setSavingDoc(true);
    try {
      const id = editingId();
      if (id) {
        const answer = await updateDocument({ id, title: docTitle(), content: docContent() });
        const outcome = outcomeOf(answer, answer.data?.updateKnowledgeDocument);
        if (!outcome.ok) return notifyProblem(outcome.problem);
        notify(`“${docTitle()}” saved`);
      } else {
        const answer = await addDocument({ brandId: brandId(), title: docTitle(), content: docContent() });
        const outcome = outcomeOf(answer, answer.data?.addKnowledgeDocument);
        if (!outcome.ok) return notifyProblem(outcome.problem);
        notify(`“${docTitle()}” added`);
      }
      resetDocument();
      refetch();
    } finally {
      setSavingDoc(false);
    }
  };
  const removeDocument = async (id: string, title: string) => {
    const answer = await deleteDocument({ id });
    const outcome = outcomeOf(answer, answer.data?.deleteKnowledgeDocument);
    if (!outcome.ok) return notifyProblem(outcome.problem);
    if (editingId() === id) resetDocument();
    notify(`“${title}” deleted`);
    refetch();
  };

  // Assets.
  const [kind, setKind] = createSignal<string>('LOGO');
  const [file, setFile] = createSignal<File | null>(null);
  const [uploading, setUploading] = createSignal(false);
  let fileField: HTMLInputElement | undefined;
  const upload = async (event: SubmitEvent) => {
    event.preventDefault();
    const chosen = file();
    if (!chosen) return;
    setUploading(true);
    try {
      const outcome = await uploadAsset(brandId(), kind(), chosen);
      if (!outcome.ok) return notifyProblem(outcome.problem!);
      notify(`${chosen.name} uploaded`);
      setFile(null);
      if (fileField) fileField.value = '';
      refetch();
    } finally {
      setUploading(false);
    }
  };
  const [, deleteAsset] = createMutation(DeleteAssetDocument);
  const removeAsset = async (id: string, filename: string) => {
    const answer = await deleteAsset({ id });
    const outcome = outcomeOf(answer, answer.data?.deleteBrandAsset);
    if (!outcome.ok) return notifyProblem(outcome.problem);
    notify(`${filename} deleted`);
    refetch();
  };

  const colour = (label: string, id: string, value: () => string, set: (value: string) => void) => (
    <Field label={label} for={id}>
      <div class="colour-field">
        <input
          id={id}
          type="color"
          class="colour-swatch"
          value={value()}
          onInput={(event) => set(event.currentTarget.value)}
        />
        <input
          class="input narrow num"
          aria-label={`${label} (hex)`}
          value={value()}
          pattern="#[0-9a-fA-F]{6}"
          onChange={(event) => set(event.currentTarget.value)}
        />
      </div>
    </Field>
  );

  return (
    <>
      <PageHeader title={brand() ? `Brand · ${brand()!.name}` : 'Brand'} />
      <Show when={brandId()} fallback={<Empty title="This organization has no brand yet.">{null}</Empty>}>
        <Show when={!result.error} fallback={<ProblemNotice problem={problemOf(result.error!)} onRetry={refetch} />}>
          <Show when={brand()} fallback={<Skeleton rows={8} label="Loading the brand" />}>
            {(current) => (
              <div class="brand-page">
                <Show
                  when={canWrite()}
                  fallback={
                    <section class="card" aria-labelledby="look-title">
                      <h2 class="section-title" id="look-title">
                        Voice and look
                      </h2>
                      <dl class="facts">
                        <dt>Voice</dt>
                        <dd class="prewrap">{current().voice || '—'}</dd>
                        <dt>Colours</dt>
                        <dd class="swatches">
                          <For each={[current().primaryColor, current().secondaryColor, current().accentColor]}>
                            {(value) => (
                              <span class="swatch-chip">
                                <span class="swatch" style={{ background: value }} aria-hidden="true" />
                                <span class="num">{value}</span>
                              </span>
                            )}
                          </For>
                        </dd>
                        <dt>Font</dt>
                        <dd>{current().fontFamily}</dd>
                      </dl>
                    </section>
                  }
                >
                  <form class="card form" aria-labelledby="look-title" onSubmit={(event) => void saveLook(event)}>
                    <h2 class="section-title" id="look-title">
                      Voice and look
                    </h2>
                    <Field
                      label="Voice"
                      for="brand-voice"
                      hint="How the brand speaks; the AI reads it with every brief."
                    >
                      <textarea
                        id="brand-voice"
                        class="input"
                        rows="4"
                        value={voice()}
                        onInput={(event) => setVoice(event.currentTarget.value)}
                      />
                    </Field>
                    <div class="colour-row">
                      {colour('Primary colour', 'brand-primary', primary, setPrimary)}
                      {colour('Secondary colour', 'brand-secondary', secondary, setSecondary)}
                      {colour('Accent colour', 'brand-accent', accent, setAccent)}
                    </div>
                    <Field label="Font" for="brand-font" hint="A font family name, as slides are rendered with it.">
                      <input
                        id="brand-font"
                        class="input"
                        required
                        value={font()}
                        onInput={(event) => setFont(event.currentTarget.value)}
                      />
                    </Field>
                    <div
                      class="brand-preview"
                      aria-label="Preview"
                      role="img"
                      style={{ background: primary(), color: secondary(), 'font-family': font() }}
                    >
                      <span>{current().name}</span>
                      <span class="brand-preview-accent" style={{ background: accent() }} />
                    </div>
                    <div class="form-actions">
                      <button type="submit" class="button primary" disabled={savingLook.fetching}>
                        Save
                      </button>
                    </div>
                  </form>
                </Show>

                <section class="card" aria-labelledby="documents-title">
                  <h2 class="section-title" id="documents-title">
                    Knowledge documents <span class="muted num">({current().knowledgeDocuments.totalCount})</span>
                  </h2>
                  <Show
                    when={documents().length > 0}
                    fallback={
                      <p class="muted">No documents yet: add what the AI should know (products, prices, tone).</p>
                    }
                  >
                    <ul class="doc-list">
                      <For each={documents()}>
                        {(document) => (
                          <li data-document={document.title}>
                            <div class="doc-text">
                              <strong>{document.title}</strong>
                              <span class="muted small clamp">{document.content}</span>
                              <span class="muted small">
                                Updated <Time at={document.updatedAt} />
                              </span>
                            </div>
                            <Show when={canWrite()}>
                              <div class="doc-actions">
                                <button
                                  type="button"
                                  class="button small"
                                  aria-label={`Edit ${document.title}`}
                                  onClick={() => editDocument(document.id)}
                                >
                                  Edit
                                </button>
                                <ConfirmButton
                                  class="button small danger"
                                  label="Delete"
                                  ariaLabel={`Delete ${document.title}`}
                                  title={`Delete “${document.title}”?`}
                                  description="The AI stops reading it for new briefs. This cannot be undone."
                                  confirmLabel="Delete document"
                                  onConfirm={() => removeDocument(document.id, document.title)}
                                />
                              </div>
                            </Show>
                          </li>
                        )}
                      </For>
                    </ul>
                  </Show>
                  <Show when={canWrite()}>
                    <form
                      class="form doc-form"
                      aria-label={editingId() ? 'Edit document' : 'Add a document'}
                      onSubmit={(event) => void saveDocument(event)}
                    >
                      <h3 class="subsection-title">{editingId() ? 'Edit document' : 'Add a document'}</h3>
                      <Field label="Title" for="doc-title">
                        <input
                          id="doc-title"
                          ref={docTitleField}
                          class="input"
                          required
                          maxLength={200}
                          value={docTitle()}
                          onInput={(event) => setDocTitle(event.currentTarget.value)}
                        />
                      </Field>
                      <Field label="Content" for="doc-content">
                        <textarea
                          id="doc-content"
                          class="input"
                          rows="5"
                          required
                          value={docContent()}
                          onInput={(event) => setDocContent(event.currentTarget.value)}
                        />
                      </Field>
                      <div class="form-actions">
                        <Show when={editingId()}>
                          <button type="button" class="button" onClick={resetDocument}>
                            Cancel
                          </button>
                        </Show>
                        <button type="submit" class="button primary" disabled={savingDoc()}>
                          {editingId() ? 'Save document' : 'Add document'}
                        </button>
                      </div>
                    </form>
                  </Show>
                </section>

                <section class="card" aria-labelledby="assets-title">
                  <h2 class="section-title" id="assets-title">
                    Assets <span class="muted num">({current().assets.totalCount})</span>
                  </h2>
                  <Show
                    when={assets().length > 0}
                    fallback={<p class="muted">No assets yet: upload a logo, images or the brand's fonts.</p>}
                  >
                    <table class="table responsive" aria-label="Assets">
                      <thead>
                        <tr>
                          <th scope="col">File</th>
                          <th scope="col">Kind</th>
                          <th scope="col">Size</th>
                          <th scope="col">Uploaded</th>
                          <Show when={canWrite()}>
                            <th scope="col">
                              <span class="visually-hidden">Actions</span>
                            </th>
                          </Show>
                        </tr>
                      </thead>
                      <tbody>
                        <For each={assets()}>
                          {(asset) => (
                            <tr data-asset={asset.filename}>
                              <td>{asset.filename}</td>
                              <td data-label="Kind">{asset.kind.toLowerCase()}</td>
                              <td data-label="Size" class="num">
                                {size(asset.byteSize)}
                              </td>
                              <td data-label="Uploaded">
                                <Time at={asset.createdAt} />
                                <Show when={asset.uploadedBy}>
                                  {(by) => <span class="muted"> by {by().name}</span>}
                                </Show>
                              </td>
                              <Show when={canWrite()}>
                                <td class="actions">
                                  <ConfirmButton
                                    class="button small danger"
                                    label="Delete"
                                    ariaLabel={`Delete ${asset.filename}`}
                                    title={`Delete ${asset.filename}?`}
                                    description="The file is removed from storage. This cannot be undone."
                                    confirmLabel="Delete asset"
                                    onConfirm={() => removeAsset(asset.id, asset.filename)}
                                  />
                                </td>
                              </Show>
                            </tr>
                          )}
                        </For>
                      </tbody>
                    </table>
                  </Show>
                  <Show when={canWrite()}>
                    <form
                      class="form upload-form"
                      aria-label="Upload an asset"
                      onSubmit={(event) => void upload(event)}
                    >
                      <Field label="Kind" for="asset-kind">
                        <select
                          id="asset-kind"
                          class="select"
                          value={kind()}
                          onChange={(event) => setKind(event.currentTarget.value)}
                        >
                          <For each={assetKinds}>
                            {(option) => <option value={option.value}>{option.label}</option>}
                          </For>
                        </select>
                      </Field>
                      <Field label="File" for="asset-file">
                        <input
                          id="asset-file"
                          ref={fileField}
                          class="input"
                          type="file"
                          required
                          accept={assetKinds.find((option) => option.value === kind())?.accept}
                          onChange={(event) => setFile(event.currentTarget.files?.[0] ?? null)}
                        />
                      </Field>
                      <div class="form-actions">
                        <button type="submit" class="button primary" disabled={uploading() || !file()}>
                          {uploading() ? 'Uploading…' : 'Upload'}
                        </button>
                      </div>
                    </form>
                  </Show>
                </section>
              </div>
            )}
          </Show>
        </Show>
      </Show>
    </>
  );
}
