import { createServer } from 'node:net';
import { StackError } from './errors.js';

/** Resolves when `port` can be bound on `host`; throws a StackError naming who should move. */
export async function assertPortFree(port: number, host: string, what: string, setting: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') {
        reject(
          new StackError(
            `port ${port} (${what}) is already in use; stop whatever holds it or set ${setting} to a free port.`,
          ),
        );
      } else reject(error);
    });
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve()));
  });
}

/**
 * Ports freePort hands out: below the range Linux, macOS and Windows assign to outgoing
 * connections and to servers bound to port 0 (32768 and up on Linux). A port the OS picked for
 * port 0 was often taken again, by an outgoing connection or another port-0 server, before the
 * caller bound it (a stack started by a test then failed with EADDRINUSE).
 */
const handedOut = { from: 20_000, to: 32_767 };

function bindable(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port free right now (for tests and throwaway servers), drawn at random from `handedOut`. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = handedOut.from + Math.floor(Math.random() * (handedOut.to - handedOut.from + 1));
    if (await bindable(port, host)) return port;
  }
  // Crowded beyond belief: let the OS choose.
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const reason = lastError instanceof Error ? `: ${lastError.message}` : '';
  throw new StackError(`${what} did not become ready within ${Math.round(timeoutMs / 1000)} s${reason}`);
}
