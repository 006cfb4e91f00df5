// `npm start`: installs what is missing, then runs the whole platform (scripts/stack/main.ts).
import { spawn } from 'node:child_process';
import { clearInterval, setInterval } from 'node:timers';
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
// A process manager signals the pid it started, which under `npm start` is npm. The script
// is `exec node ...` so that npm's shell is replaced by this process: npm passes SIGINT and
// SIGTERM to it directly (a shell in between would swallow SIGINT while it waits). Should
// whoever started this die without a signal reaching here, that is a stop too.
const parent = process.ppid;
const orphaned = setInterval(() => {
  if (process.ppid === parent && alive(parent)) return;
  clearInterval(orphaned);
  child.kill('SIGTERM');
}, 250);
orphaned.unref();

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}
