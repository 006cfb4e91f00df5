// What an operator relies on around the GraphQL api: readiness that means "work would run",
// and a GraphiQL page that works on a machine without internet access.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createLogger } from '../src/logger.js';
import { startTestApi, type TestApi } from './kit.js';

let withoutWorker: TestApi;
let withWorker: TestApi;
const logged: Array<{ level: number; msg: string; path?: string }> = [];
beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logged.push(JSON.parse(line) as never);
      done();
    },
  });
  [withoutWorker, withWorker] = await Promise.all([
    startTestApi({}, { logger: createLogger('trace', 'api', 'json', sink) }),
    startTestApi({}, { worker: {} }),
  ]);
});
afterAll(() => Promise.all([withoutWorker?.close(), withWorker?.close()]));

interface ReadyBody {
  ready: boolean;
  database: { ok: boolean };
  temporal: { ok: boolean };
  worker: { ok: boolean; error?: string };
}

async function ready(api: TestApi): Promise<{ status: number; body: ReadyBody }> {
  const response = await fetch(`${api.url}/ready`);
  return { status: response.status, body: (await response.json()) as ReadyBody };
}

test('/ready is 503 while no worker polls the task queue, though PostgreSQL and Temporal answer', async () => {
  const answer = await ready(withoutWorker);
  expect(answer.status).toBe(503);
  expect(answer.body).toEqual({
    ready: false,
    database: { ok: true },
    temporal: { ok: true },
    worker: { ok: false, error: `no worker polls task queue ${withoutWorker.config.TEMPORAL_TASK_QUEUE}` },
  });
});

test('/ready is 200 once a worker polls the task queue', async () => {
  await expect.poll(async () => (await ready(withWorker)).status, { timeout: 20_000, interval: 250 }).toBe(200);
  expect((await ready(withWorker)).body).toEqual({
    ready: true,
    database: { ok: true },
    temporal: { ok: true },
    worker: { ok: true },
  });
});

test('/ready is 503 naming the worker once its process is gone, though Temporal still lists its last poll', async () => {
  await expect.poll(async () => (await ready(withWorker)).status, { timeout: 20_000, interval: 250 }).toBe(200);
  // A SIGKILLed worker process: its PostgreSQL connections close at once, while Temporal keeps
  // listing its poller for a minute or more (the fault harness found /ready at 200 throughout).
  await withWorker.workerPresence!.stop();
  const answer = await ready(withWorker);
  expect(answer.status).toBe(503);
  expect(answer.body).toEqual({
    ready: false,
    database: { ok: true },
    temporal: { ok: true },
    worker: {
      ok: false,
      error: `no worker process is running for task queue ${withWorker.config.TEMPORAL_TASK_QUEUE}`,
    },
  });
});

test('GraphiQL is served whole by the api: the page loads nothing from another host', async () => {
  const response = await fetch(`${withoutWorker.url}/graphql`, { headers: { accept: 'text/html' } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  const page = await response.text();
  // The editor itself is in the page (its bundle, not a reference to one).
  expect(page).toContain('id="root"');
  expect(page.length).toBeGreaterThan(1_000_000);
  const external = [
    ...page.matchAll(/(?:src|href)\s*=\s*["']?((?:https?:)?\/\/[^"'\s>]+)/gi),
    ...page.matchAll(/(?:@import|url\()\s*["']?((?:https?:)?\/\/[^"'\s)]+)/gi),
    ...page.matchAll(/import\(\s*["']((?:https?:)?\/\/[^"']+)/gi),
  ].map((match) => match[1]);
  expect(external).toEqual([]);
});

test('a line per request is logged at debug, not at info', async () => {
  await fetch(`${withoutWorker.url}/health`);
  await expect
    .poll(() => logged.filter((entry) => entry.msg === 'request' && entry.path === '/health'))
    .toHaveLength(1);
  expect(logged.find((entry) => entry.msg === 'request' && entry.path === '/health')?.level).toBe(20);
});
