import { afterAll, beforeAll, expect, test } from 'vitest';
import { seedOrganization, startTestApi, type SeededOrganization, type TestApi } from './kit.js';

let api: TestApi;
let seeded: SeededOrganization;
beforeAll(async () => {
  api = await startTestApi();
  seeded = await seedOrganization(api);
});
afterAll(() => api?.close());

test('smoke', async () => {
  const owner = seeded.members.OWNER.client;
  const result = await owner.gql(
    `query($id: ID!) { viewer { name } organization(id: $id) { name posts(first: 10) { edges { node { caption brand { name } slides { heading } latestPublication { state latestMetrics { viewCount } } } } } } }`,
    { id: seeded.organization.gid },
  );
  console.log(JSON.stringify(result.body, null, 1));
  expect(result.body.errors).toBeUndefined();
});
