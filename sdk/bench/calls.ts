// Calls per second through @pressroom/sdk against the same queries sent with bare fetch, in
// one run, against a running api (`npm start`; a token from examples/create-token.ts):
//
//   PRESSROOM_URL=http://127.0.0.1:4000 PRESSROOM_TOKEN=prt_... pnpm --filter @pressroom/sdk bench [-- --calls 2000 --concurrency 8]
//
// Both sides send the sdk's own generated documents with the same variables, `concurrency`
// calls at a time; the sdk side adds what it does per call (pacing bookkeeping, error
// mapping, unwrapping). Pacing stays on, so give the token a budget that does not throttle
// (API_TOKEN_COST_BUCKET / API_TOKEN_COST_RESTORE_RATE) or the numbers measure the bucket.
import { parseArgs } from 'node:util';
import { Pressroom, documents } from '../src/index.js';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '3' },
  },
});
const calls = Number(values.calls);
const concurrency = Number(values.concurrency);
const rounds = Number(values.rounds);
const url = (process.env.PRESSROOM_URL ?? 'http://127.0.0.1:4000').replace(/\/+$/, '');
const token = process.env.PRESSROOM_TOKEN;
if (!token) throw new Error('Set PRESSROOM_TOKEN (sdk/examples/create-token.ts makes one).');

const pressroom = new Pressroom({ url, token });
const organizationId = await pressroom.organization();
const [brand] = await pressroom.brands.list().toArray(1);
if (!brand) throw new Error('The organization has no brand.');

const query = documents.BrandDocument.toString();
const variables = { id: brand.id };

async function bareCall(): Promise<void> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, operationName: 'Brand', variables }),
  });
  const body = (await response.json()) as { data?: { node?: { id: string } | null }; errors?: unknown[] };
  if (body.errors || body.data?.node?.id !== brand!.id) throw new Error(`bare fetch failed: ${JSON.stringify(body)}`);
}

async function sdkCall(): Promise<void> {
  const found = await pressroom.brands.get(brand!.id);
  if (found.id !== brand!.id) throw new Error('sdk call failed');
}

async function measure(call: () => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < calls) {
        next += 1;
        await call();
      }
    }),
  );
  return calls / ((performance.now() - started) / 1000);
}

// Warm both paths (connections, the server's caches, the JIT) before measuring.
await measure(bareCall);
await measure(sdkCall);
const bare: number[] = [];
const sdk: number[] = [];
// Interleaved rounds, so drift on a shared machine hits both sides alike.
for (let round = 0; round < rounds; round += 1) {
  bare.push(await measure(bareCall));
  sdk.push(await measure(sdkCall));
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const bareRate = median(bare);
const sdkRate = median(sdk);
console.log(`organization ${organizationId}, ${calls} calls x ${rounds} rounds, concurrency ${concurrency}`);
console.log(`bare fetch: ${bareRate.toFixed(0)} calls/s (rounds: ${bare.map((r) => r.toFixed(0)).join(', ')})`);
console.log(`sdk:        ${sdkRate.toFixed(0)} calls/s (rounds: ${sdk.map((r) => r.toFixed(0)).join(', ')})`);
console.log(`ratio sdk/bare: ${(sdkRate / bareRate).toFixed(3)}`);
await pressroom.close();
