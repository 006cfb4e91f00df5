import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { roles, seedOrganization, startTestApi, type SeededOrganization, type TestApi } from './kit.js';

let api: TestApi;
let org: SeededOrganization;
let other: SeededOrganization;
beforeAll(async () => {
  api = await startTestApi({ UPLOAD_MAX_BYTES: String(64 * 1024) });
  org = await seedOrganization(api);
  other = await seedOrganization(api);
});
afterAll(() => api?.close());

const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(200, 7)]);
const upload = `mutation($brand: ID!, $kind: AssetKind!, $file: File!) {
  uploadBrandAsset(brandId: $brand, kind: $kind, file: $file) {
    __typename
    ... on Error { code message }
    ... on MutationUploadBrandAssetSuccess { data { id filename contentType byteSize sha256 kind } }
  }
}`;

async function storedObjects(): Promise<string[]> {
  const found = await readdir(api.mediaDir, { recursive: true }).catch(() => []);
  return found.filter((name) => name.includes('/assets/') && !name.endsWith('.meta'));
}

test('an editor uploads a logo: stored through the storage interface, recorded, audited, listed', async () => {
  const response = await org.members.EDITOR.client.upload(
    upload,
    { brand: org.brand.gid, kind: 'LOGO' },
    { name: 'logo.png', type: 'image/png', bytes: png },
  );
  expect(response.body.errors).toBeUndefined();
  const data = (response.body.data as { uploadBrandAsset: { data: { id: string; byteSize: number; sha256: string } } })
    .uploadBrandAsset.data;
  expect(data).toMatchObject({ byteSize: png.length, kind: 'LOGO', contentType: 'image/png', filename: 'logo.png' });
  const row = await api.db.brandAsset.findFirstOrThrow({ where: { brandId: org.brand.id, filename: 'logo.png' } });
  expect(await storedObjects()).toContain(row.storageKey);
  const event = await api.db.auditEvent.findFirstOrThrow({ where: { action: 'brand_asset.upload', targetId: row.id } });
  expect(event.actorUserId).toBe(org.members.EDITOR.userId);
  const listed = await org.members.ANALYST.client.gql(
    `query($id: ID!) { node(id: $id) { ... on Brand { assets(first: 10) { edges { node { filename } } } } } }`,
    { id: org.brand.gid },
  );
  expect(listed.body.data).toEqual({ node: { assets: { edges: [{ node: { filename: 'logo.png' } }] } } });
});

test('who may upload: owners, admins and editors', async () => {
  for (const role of roles) {
    const response = await org.members[role].client.upload(
      upload,
      { brand: org.brand.gid, kind: 'IMAGE' },
      { name: `${role}.png`, type: 'image/png', bytes: png },
    );
    const allowed = ['OWNER', 'ADMIN', 'EDITOR'].includes(role);
    if (allowed) {
      expect(response.body.errors, role).toBeUndefined();
      expect(response.body.data, role).toMatchObject({
        uploadBrandAsset: { __typename: 'MutationUploadBrandAssetSuccess' },
      });
    } else {
      expect(response.body.errors?.[0]?.extensions?.code, role).toBe('FORBIDDEN');
    }
  }
});

test('refused uploads store nothing and record nothing', async () => {
  const before = { objects: (await storedObjects()).length, rows: await api.db.brandAsset.count() };
  const cases: Array<{
    name: string;
    kind: string;
    file: { name: string; type: string; bytes: Buffer };
    code: string;
  }> = [
    {
      name: 'html as a document',
      kind: 'DOCUMENT',
      file: { name: 'x.html', type: 'text/html', bytes: Buffer.from('<script>') },
      code: 'BAD_USER_INPUT',
    },
    {
      name: 'svg as an image',
      kind: 'IMAGE',
      file: { name: 'x.svg', type: 'image/svg+xml', bytes: Buffer.from('<svg/>') },
      code: 'BAD_USER_INPUT',
    },
    {
      name: 'text pretending to be png',
      kind: 'IMAGE',
      file: { name: 'x.png', type: 'image/png', bytes: Buffer.from('hello') },
      code: 'BAD_USER_INPUT',
    },
    {
      name: 'markup pretending to be text',
      kind: 'DOCUMENT',
      file: { name: 'x.txt', type: 'text/plain', bytes: Buffer.from('<html>') },
      code: 'BAD_USER_INPUT',
    },
    {
      name: 'a font as a logo',
      kind: 'LOGO',
      file: { name: 'x.woff2', type: 'font/woff2', bytes: Buffer.from('wOF2....') },
      code: 'BAD_USER_INPUT',
    },
    {
      name: 'empty',
      kind: 'IMAGE',
      file: { name: 'x.png', type: 'image/png', bytes: Buffer.alloc(0) },
      code: 'BAD_USER_INPUT',
    },
  ];
  for (const testCase of cases) {
    const response = await org.members.EDITOR.client.upload(
      upload,
      { brand: org.brand.gid, kind: testCase.kind },
      testCase.file,
    );
    expect(response.body.data, testCase.name).toMatchObject({
      uploadBrandAsset: { __typename: 'ValidationError', code: testCase.code },
    });
  }
  const oversize = await org.members.EDITOR.client.upload(
    upload,
    { brand: org.brand.gid, kind: 'IMAGE' },
    { name: 'big.png', type: 'image/png', bytes: Buffer.concat([png, Buffer.alloc(200 * 1024)]) },
  );
  expect(oversize.status).toBe(413);
  expect(oversize.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  const slightlyOver = await org.members.EDITOR.client.upload(
    upload,
    { brand: org.brand.gid, kind: 'IMAGE' },
    { name: 'big.png', type: 'image/png', bytes: Buffer.concat([png, Buffer.alloc(64 * 1024)]) },
  );
  expect(slightlyOver.body.data).toMatchObject({ uploadBrandAsset: { __typename: 'ValidationError' } });
  const noCsrf = await org.members.EDITOR.client.upload(
    upload,
    { brand: org.brand.gid, kind: 'IMAGE' },
    { name: 'x.png', type: 'image/png', bytes: png },
    {},
  );
  expect(noCsrf.status).toBe(403);
  const foreign = await org.members.EDITOR.client.upload(
    upload,
    { brand: other.brand.gid, kind: 'IMAGE' },
    { name: 'x.png', type: 'image/png', bytes: png },
  );
  expect(foreign.body.data).toMatchObject({ uploadBrandAsset: { __typename: 'NotFoundError', code: 'NOT_FOUND' } });
  expect({ objects: (await storedObjects()).length, rows: await api.db.brandAsset.count() }).toEqual(before);
});

// Found by the fuzz suite: a JSON request could put any value where the file goes, and the
// resolver then failed reading bytes from it (INTERNAL_SERVER_ERROR).
test('a file that is not a multipart part (a number, a string, an object in JSON) is bad input', async () => {
  const before = { objects: (await storedObjects()).length, rows: await api.db.brandAsset.count() };
  for (const file of [42, 'x.png', { name: 'x.png', type: 'image/png' }, [1, 2]]) {
    const response = await org.members.EDITOR.client.gql(upload, { brand: org.brand.gid, kind: 'IMAGE', file });
    expect(response.status, JSON.stringify(file)).toBe(200);
    expect(response.body.data, JSON.stringify(file)).toBeUndefined();
    expect(response.body.errors?.[0]?.extensions?.code, JSON.stringify(file)).toBe('BAD_USER_INPUT');
    expect(response.body.errors?.[0]?.message).toContain('Not a file');
  }
  expect({ objects: (await storedObjects()).length, rows: await api.db.brandAsset.count() }).toEqual(before);
});

test('deleting an asset removes the row and the stored object', async () => {
  const response = await org.members.ADMIN.client.upload(
    upload,
    { brand: org.brand.gid, kind: 'IMAGE' },
    { name: 'gone.png', type: 'image/png', bytes: png },
  );
  const id = (response.body.data as { uploadBrandAsset: { data: { id: string } } }).uploadBrandAsset.data.id;
  const row = await api.db.brandAsset.findFirstOrThrow({ where: { filename: 'gone.png' } });
  const deleted = await org.members.ADMIN.client.gql(
    `mutation($id: ID!) { deleteBrandAsset(id: $id) { __typename } }`,
    { id },
  );
  expect(deleted.body.data).toEqual({ deleteBrandAsset: { __typename: 'MutationDeleteBrandAssetSuccess' } });
  expect(await api.db.brandAsset.findUnique({ where: { id: row.id } })).toBeNull();
  expect(await storedObjects()).not.toContain(row.storageKey);
});
