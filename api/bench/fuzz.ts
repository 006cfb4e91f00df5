// The full run of the GraphQL fuzz suite: the fast slice's test file (api/test/fuzz.test.ts) with
// more requests and any seed, through vitest so it gets the same throwaway PostgreSQL, Temporal
// dev server and test kit.
//
//   node --import tsx api/bench/fuzz.ts [--seed N] [--requests 10000] [--only 17,4242]
//
// Prints the counts (requests, by status, by caller, by kind of argument value) and every
// failure with its seed, a replay command and the minimal request; exits non-zero on a failure.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../../scripts/stack/config.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: String(Math.floor(Math.random() * 2 ** 31)) },
    requests: { type: 'string', default: '10000' },
    only: { type: 'string' },
  },
});
console.log(`fuzz: seed ${values.seed}, ${values.only ? `requests ${values.only}` : `${values.requests} requests`}`);
const vitest = join(repoRoot, 'node_modules', '.bin', process.platform === 'win32' ? 'vitest.cmd' : 'vitest');
const child = spawn(vitest, ['run', 'api/test/fuzz.test.ts'], {
  cwd: repoRoot,
  stdio: 'inherit',
  env: {
    ...process.env,
    PRESSROOM_FUZZ_SEED: values.seed,
    PRESSROOM_FUZZ_REQUESTS: values.requests,
    ...(values.only ? { PRESSROOM_FUZZ_ONLY: values.only } : {}),
  },
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
