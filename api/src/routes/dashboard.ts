import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface DashboardRouteOptions {
  /** The dashboard's build (web/dist): index.html and assets/. */
  root: string;
}

// Paths other handlers own; a typo under them is their 404, never the dashboard's page.
const reservedPrefixes = ['/graphql', '/media', '/connect', '/health', '/ready'];

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};
const compressible = new Set(['.html', '.js', '.css', '.svg', '.json', '.map', '.txt']);

// Vite names every file under assets/ by its content hash: a new build means new names, so
// browsers may keep these forever. index.html names the current ones and is always revalidated.
const immutable = 'public, max-age=31536000, immutable';
const revalidate = 'no-cache';

interface LoadedFile {
  body: Buffer;
  gzipped: Buffer | null;
  mtimeMs: number;
}

/**
 * Serves the built dashboard on the api's origin: files of the build as they are, and
 * index.html for every other GET (the dashboard's client-side routes). Returns a handler that
 * answers and resolves true for what it serves, false for paths other handlers own.
 */
export function createDashboardRoutes(options: DashboardRouteOptions) {
  const root = normalize(options.root);
  // Files are small and few; gzip each once per build instead of per request.
  const cache = new Map<string, LoadedFile>();

  async function load(path: string): Promise<LoadedFile | null> {
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) return null;
    const cached = cache.get(path);
    if (cached && cached.mtimeMs === info.mtimeMs) return cached;
    const body = await readFile(path);
    const loaded = {
      body,
      gzipped: compressible.has(extname(path)) && body.length > 1024 ? gzipSync(body) : null,
      mtimeMs: info.mtimeMs,
    };
    cache.set(path, loaded);
    return loaded;
  }

  function send(req: IncomingMessage, res: ServerResponse, file: LoadedFile, path: string, cacheControl: string) {
    const gzip = file.gzipped && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = gzip ? file.gzipped! : file.body;
    res.writeHead(200, {
      'content-type': contentTypes[extname(path)] ?? 'application/octet-stream',
      'content-length': body.length,
      'cache-control': cacheControl,
      vary: 'accept-encoding',
      'x-content-type-options': 'nosniff',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  return async function dashboard(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    let path: string;
    try {
      path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    } catch {
      return false;
    }
    if (reservedPrefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) return false;

    const target = normalize(join(root, path));
    if (target !== root && !target.startsWith(root + sep)) return false;
    if (path !== '/' && !path.endsWith('/')) {
      const file = await load(target);
      if (file) {
        send(req, res, file, target, path.startsWith('/assets/') ? immutable : revalidate);
        return true;
      }
      // A missing hashed file is a stale page asking for an old build: a 404, not the page.
      if (path.startsWith('/assets/')) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
        res.end('Not found');
        return true;
      }
    }
    const indexPath = join(root, 'index.html');
    const index = await load(indexPath);
    if (!index) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end('The dashboard is not built: run `pnpm --filter @pressroom/web build` (npm start does it for you).\n');
      return true;
    }
    send(req, res, index, indexPath, revalidate);
    return true;
  };
}
