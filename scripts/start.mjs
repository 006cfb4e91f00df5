// `npm start`: installs what is missing, then runs the whole platform (scripts/stack/main.ts).
import { spawn } from 'node:child_process';
import { bootstrap, root } from './bootstrap.mjs';

bootstrap();
// node with tsx's loader rather than the tsx CLI, so there is no extra process between
// the terminal's signals and the stack.
const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/stack/main.ts', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
// Ctrl-C reaches the stack directly (same process group) and it stops everything in order;
// this parent only passes on a signal sent to it alone, and then the stack's exit code.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
