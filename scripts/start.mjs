// `npm start`: installs what is missing, then runs the whole platform (scripts/stack/main.ts).
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
// A process manager signals the pid it started, which under `npm start` is npm, not this
// process. npm passes the signal to the shell it runs scripts with, which does not pass it on:
// on SIGTERM the shell dies and npm exits, so the end of whoever started this (under npm: npm
// itself, above the shell) is a stop too. (On SIGINT the shell waits for this process and npm
// for the shell: that signal never arrives here; a process manager that sends SIGINT should
// run `node scripts/start.mjs` itself.)
const watched = [process.ppid];
if (process.env.npm_lifecycle_event === 'start') {
  const npm = parentOf(process.ppid);
  if (npm && npm > 1) watched.push(npm);
}
const parent = process.ppid;
const orphaned = setInterval(() => {
  if (process.ppid === parent && watched.every(alive)) return;
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

/** A process's parent: from /proc on Linux, else from ps. */
function parentOf(pid) {
  try {
    // "pid (command) state ppid ...": the command may hold spaces, so count from its end.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    const answer = spawnSync('ps', ['-o', 'ppid=', '-p', String(pid)], { encoding: 'utf8' });
    const ppid = Number(answer.stdout?.trim());
    return Number.isInteger(ppid) && ppid > 0 ? ppid : undefined;
  }
}
