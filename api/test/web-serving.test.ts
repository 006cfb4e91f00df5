// The api serves the built dashboard on its own origin: the page for `/` and every
// client-side route, hashed assets cached for good, the api's own paths left alone. And the
// review screen's slide images come as signed URLs that the same server answers.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createLocalStorage, createUrlSigner } from '@pressroom/workflows/storage';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { seedOrganization, startTestApi, type SeededOrganization, type TestApi } from './kit.js';

let api: TestApi;
let org: SeededOrganization;
let webDir: string;
const indexHtml =
  '<!doctype html><title>Pressroom</title><script type="module" src="/assets/index-abc123.js"></script>';
const script = `console.log(${JSON.stringify('x'.repeat(4000))});`;

beforeAll(async () => {
  webDir = await mkdtemp(join(tmpdir(), 'pressroom-web-'));
  await mkdir(join(webDir, 'assets'));
  await writeFile(join(webDir, 'index.html'), indexHtml);
  await writeFile(join(webDir, 'assets', 'index-abc123.js'), script);
  await writeFile(join(webDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  api = await startTestApi({ PRESSROOM_WEB_DIR: webDir });
  org = await seedOrganization(api);
});

afterAll(async () => {
  await api?.close();
  await rm(webDir, { recursive: true, force: true });
});

describe('the dashboard on the api origin', () => {
  test.each(['/', '/publications', '/review?post=1', '/batches/QmF0Y2g6MQ'])(
    '%s answers the page, revalidated on every load',
    async (path) => {
      const response = await fetch(`${api.url}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(await response.text()).toBe(indexHtml);
    },
  );

  test('hashed assets are cached for a year, immutable, and gzipped for those who accept it', async () => {
    const response = await fetch(`${api.url}/assets/index-abc123.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    // fetch decodes the body itself; the header says it travelled compressed.
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(await response.text()).toBe(script);
    const raw = await new Promise<Buffer>((resolve, reject) => {
      void import('node:http').then(({ get }) =>
        get(`${api.url}/assets/index-abc123.js`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve(Buffer.concat(chunks)));
        }).on('error', reject),
      );
    });
    expect(raw.length).toBeLessThan(script.length / 4);
    expect(gunzipSync(raw).toString()).toBe(script);
  });

  test('a missing asset is a 404, not the page', async () => {
    const response = await fetch(`${api.url}/assets/index-old999.js`);
    expect(response.status).toBe(404);
  });

  test('other files of the build are served and revalidated', async () => {
    const response = await fetch(`${api.url}/favicon.svg`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/svg+xml');
    expect(response.headers.get('cache-control')).toBe('no-cache');
  });

  test("the api's own paths are untouched", async () => {
    const health = await fetch(`${api.url}/health`);
    expect(await health.json()).toEqual({ status: 'ok' });
    const graphql = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await graphql.json()).toMatchObject({ data: { __typename: 'Query' } });
    for (const path of ['/media/nothing.png', '/connect/nowhere', '/graphql/extra', '/ready/x']) {
      const response = await fetch(`${api.url}${path}`);
      expect(await response.text(), path).not.toBe(indexHtml);
    }
    const post = await fetch(`${api.url}/publications`, { method: 'POST', body: 'x' });
    expect(post.status).not.toBe(200);
  });

  test('paths cannot climb out of the build', async () => {
    for (const path of ['/..%2fpackage.json', '/assets/..%2F..%2Fetc%2Fpasswd', '/%2e%2e/%2e%2e/etc/passwd']) {
      const response = await fetch(`${api.url}${path}`);
      const body = await response.text();
      expect(body === indexHtml || response.status === 404, path).toBe(true);
      expect(body).not.toContain('root:');
    }
  });

  test('without a build the page says how to make one', async () => {
    const bare = await startTestApi({ PRESSROOM_WEB_DIR: join(webDir, 'missing') });
    try {
      const response = await fetch(`${bare.url}/review`);
      expect(response.status).toBe(503);
      expect(await response.text()).toContain('pnpm --filter @pressroom/web build');
    } finally {
      await bare.close();
    }
  });
});

describe('slide images', () => {
  test('a rendered slide has a signed image URL the api serves; one not rendered has none', async () => {
    const key = `org/${org.organization.id}/media/slide-test.png`;
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    // Stored as the worker stores rendered slides.
    const storage = createLocalStorage({
      root: api.mediaDir,
      signer: createUrlSigner({ baseUrl: 'http://unused/media', secret: 'x'.repeat(32) }),
    });
    await storage.put(key, png, { contentType: 'image/png' });
    const media = await api.db.media.create({
      data: {
        organizationId: org.organization.id,
        postId: org.posts.inReview.id,
        kind: 'IMAGE',
        status: 'READY',
        contentType: 'image/png',
        byteSize: png.length,
        storageKey: key,
      },
    });
    await api.db.slide.updateMany({ where: { postId: org.posts.inReview.id }, data: { mediaId: media.id } });

    const query = `query($id: ID!) { node(id: $id) { ... on Post { slides { position imageUrl } } } }`;
    const reviewer = org.members.REVIEWER.client;
    const rendered = await reviewer.gql<{ node: { slides: Array<{ imageUrl: string | null }> } }>(query, {
      id: org.posts.inReview.gid,
    });
    const url = rendered.body.data?.node.slides[0]?.imageUrl;
    // Signed for the public origin (PUBLIC_BASE_URL); this test's server listens elsewhere.
    const signed = new URL(url!);
    expect(signed.pathname).toMatch(/^\/media\//);
    const image = await fetch(`${api.url}${signed.pathname}${signed.search}`);
    expect(image.status).toBe(200);
    expect(Buffer.from(await image.arrayBuffer())).toEqual(png);

    const draft = await reviewer.gql<{ node: { slides: Array<{ imageUrl: string | null }> } }>(query, {
      id: org.posts.draft.gid,
    });
    expect(draft.body.data?.node.slides[0]?.imageUrl).toBeNull();
  });
});
