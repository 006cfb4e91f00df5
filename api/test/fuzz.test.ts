// The fast slice of the schema-driven GraphQL fuzz suite (api/test/fuzz/): a fixed seed and a
// couple of thousand requests over every query, mutation and subscription, as every role, as
// tokens with and without each scope, and anonymously. `api/bench/fuzz.ts` runs the full one
// (10,000+ requests, any seed) through this same file.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { FuzzRun, formatReport } from './fuzz/harness.js';
import { createLogger, type Logger } from '../src/logger.js';
import { startTestApi, type TestApi } from './kit.js';

const seed = Number(process.env.PRESSROOM_FUZZ_SEED ?? 20261202);
const requests = Number(process.env.PRESSROOM_FUZZ_REQUESTS ?? 1_000);
const only = process.env.PRESSROOM_FUZZ_ONLY?.split(',').map(Number);

let api: TestApi;
let run: FuzzRun;
beforeAll(async () => {
  // Mutations that wait on a workflow's answer get none here (no worker polls the queue): they
  // answer UNAVAILABLE after this long instead of 15 s.
  // PRESSROOM_FUZZ_LOG=error shows the api's own account of a failure (its stack, for one replayed).
  const level = process.env.PRESSROOM_FUZZ_LOG;
  const logger: Logger | undefined = level ? createLogger(level, 'api-fuzz') : undefined;
  api = await startTestApi({ WORKFLOW_UPDATE_TIMEOUT_MS: '300' }, logger ? { logger } : {});
  run = new FuzzRun(api);
  await run.setUp();
});
afterAll(() => api?.close());

test('the oracles fire on what they look for (a probe of each, so a clean run means something)', async () => {
  const { attacker, victim } = run.organizations;
  // The victim's own owner reads its name: from an attacker's request that is a leak.
  expect(
    await run.probe(victim.members.OWNER.client, `query($id: ID!) { organization(id: $id) { name } }`, {
      id: victim.organization.gid,
    }),
  ).toContain('cross-tenant-read');
  // A refused request (nobody signed in) while a row is written: pinned on the request.
  expect(
    await run.probe(api.anonymous(), `mutation { signOut }`, {}, () =>
      api.db.brandKnowledgeDocument.create({
        data: {
          organizationId: attacker.organization.id,
          brandId: attacker.brand.id,
          title: 'probe',
          content: 'probe',
        },
      }),
    ),
  ).toEqual(['refused-wrote']);
  // A row of the victim changes in an attacker's request window.
  expect(
    await run.probe(attacker.members.OWNER.client, `query { viewer { id } }`, {}, () =>
      api.db.post.update({ where: { id: victim.posts.draft.id }, data: { hashtags: ['#probe'] } }),
    ),
  ).toEqual(expect.arrayContaining(['query-wrote', 'cross-tenant-write']));
  // And an ordinary request of the attacker's own fires nothing.
  expect(await run.probe(attacker.members.OWNER.client, `query { viewer { id } }`, {})).toEqual([]);
});

test(
  `${only ? `requests ${only.join(', ')}` : `${requests} requests`} of seed ${seed}: no 5xx, no internals, no refused write, nothing of another organization`,
  { timeout: 3_600_000 },
  async () => {
    const report = await run.run({ seed, requests, only, log: (line) => console.log(line) });
    console.log(formatReport(report));
    expect(report.requests).toBe(only?.length ?? requests);
    // Every entry point of the schema was sent (an operation added later is fuzzed too).
    if (!only) expect(report.entries).toBeGreaterThan(100);
    expect(report.failures.map((failure) => `${failure.oracle} ${failure.entry} #${failure.index}`)).toEqual([]);
  },
);
