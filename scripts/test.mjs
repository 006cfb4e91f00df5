// `npm test`: installs what is missing, then runs every test with vitest. The tests start a
// throwaway PostgreSQL and Temporal dev server themselves (see scripts/test/global-setup.ts)
// unless TEST_DATABASE_URL / TEST_TEMPORAL_ADDRESS point at existing ones.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { bootstrap, root } from './bootstrap.mjs';

bootstrap();
const vitest = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'vitest.cmd' : 'vitest');
const child = spawn(vitest, ['run', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
