import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listen } from './http.js';

/**
 * A clock tests control: real time plus an offset the test moves. Token lifetimes, rate
 * windows and processing delays are all measured on it, so tests never sleep.
 */
export class EmulatorClock {
  private offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

export interface EmulatorRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  params: Record<string, string>;
  body: Buffer;
  json<T = Record<string, unknown>>(): T;
  form(): URLSearchParams;
  bearer(): string | undefined;
}

export interface EmulatorResponse {
  status: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON. */
  body?: unknown;
}

export type RouteHandler = (request: EmulatorRequest) => EmulatorResponse | Promise<EmulatorResponse>;

/**
 * Failures a test can ask for, matched by method and path prefix, for the next `times`
 * matching requests:
 * - `status`: answer with this status and the platform's own error body (its handler never runs);
 * - `timeout`: never answer (the client's timeout fires; the handler never runs);
 * - `lost-response`: run the handler (the post IS made) and then drop the connection.
 */
export type Fault =
  | { kind: 'status'; status: number; code?: string; message?: string; retryAfterSeconds?: number }
  | { kind: 'timeout' }
  | { kind: 'lost-response' };

interface ArmedFault {
  method?: string;
  pathPrefix: string;
  fault: Fault;
  remaining: number;
  /** Matching requests to let through before the fault applies. */
  skip: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  at: number;
}

export interface EmulatorOptions {
  name: string;
  clock?: EmulatorClock;
  /** The platform's error body for an injected status (its own envelope). */
  errorBody: (status: number, code: string | undefined, message: string) => unknown;
  /** What `GET /__admin/state` shows: what was posted, sent or uploaded. */
  state?: () => unknown;
  /**
   * The emulator's own admin routes (`/__admin/...` beyond the shared ones), for tests that
   * drive a stack in another process; undefined when it has no such route.
   */
  admin?: (method: string, path: string, input: Record<string, unknown>) => EmulatorResponse | undefined;
}

/** A loopback HTTP server with routing, failure injection, request log and sliding-window rate limits. */
export class EmulatorServer {
  readonly clock: EmulatorClock;
  readonly requests: RecordedRequest[] = [];
  private readonly routes: Array<{ method: string; pattern: RegExp; names: string[]; handler: RouteHandler }> = [];
  private readonly faults: ArmedFault[] = [];
  private readonly windows = new Map<string, number[]>();
  private readonly held = new Set<ServerResponse>();
  /** While stalled, platform requests wait here (unanswered) until `resume()`. */
  private stalled: Array<() => void> | undefined;
  private server?: Server;
  baseUrl = '';
  /** Called after each platform request was answered (what the platform holds may have changed). */
  afterRequest?: () => void;

  constructor(private readonly options: EmulatorOptions) {
    this.clock = options.clock ?? new EmulatorClock();
  }

  /**
   * `path` may hold `:name` segments (a name may also sit inside a segment, as in `bot:token`)
   * and a final `*name` that takes the rest of the path, slashes included (S3 object keys).
   * Registering the same method and path again replaces the earlier handler: an emulator
   * mounted on another's server (Google's OAuth on YouTube's) takes over the shared endpoint.
   */
  route(method: string, path: string, handler: RouteHandler): void {
    const names: string[] = [];
    const source = path
      .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      .replace(/([:*])([A-Za-z_]+)/g, (_match, kind: string, name: string) => {
        names.push(name);
        return kind === '*' ? '(.+)' : '([^/]+)';
      });
    const pattern = new RegExp(`^${source}$`);
    const existing = this.routes.findIndex((r) => r.method === method && r.pattern.source === pattern.source);
    const entry = { method, pattern, names, handler };
    if (existing >= 0) this.routes[existing] = entry;
    else this.routes.push(entry);
  }

  /** Arms `fault` for `times` matching requests, after letting `skip` of them through. */
  inject(match: { method?: string; pathPrefix: string; skip?: number }, fault: Fault, times = 1): void {
    this.faults.push({
      method: match.method,
      pathPrefix: match.pathPrefix,
      skip: match.skip ?? 0,
      fault,
      remaining: times,
    });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /**
   * A stalled platform: every platform request (not the admin routes) waits unanswered until
   * `resume()`, and is then handled as usual, unless its client gave up and closed meanwhile.
   */
  stall(): void {
    this.stalled ??= [];
  }

  resume(): void {
    const waiting = this.stalled ?? [];
    this.stalled = undefined;
    for (const release of waiting) release();
  }

  get isStalled(): boolean {
    return this.stalled !== undefined;
  }

  /**
   * Counts a request against `limit` per `windowMs` for `key` (sliding window on the
   * emulator clock). Returns the seconds until a slot frees, or 0 when the request may go.
   */
  rateLimit(key: string, limit: number, windowMs: number): number {
    const now = this.clock.now();
    const window = (this.windows.get(key) ?? []).filter((at) => at > now - windowMs);
    if (window.length >= limit) {
      this.windows.set(key, window);
      return Math.max(1, Math.ceil((window[0]! + windowMs - now) / 1000));
    }
    window.push(now);
    this.windows.set(key, window);
    return 0;
  }

  resetRateLimits(): void {
    this.windows.clear();
  }

  id(prefix = ''): string {
    return prefix + randomBytes(12).toString('hex');
  }

  async start(port = 0): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.baseUrl = await listen(this.server, '127.0.0.1', port);
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    this.resume();
    for (const res of this.held) res.destroy();
    this.held.clear();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /**
   * The HTTP admin interface, for the demo and for tests in another process: arm faults,
   * move the clock, stall and resume the platform, read the request log and what the platform holds.
   */
  private admin(method: string, path: string, body: Buffer): EmulatorResponse {
    const input = () => (body.length ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {});
    try {
      if (method === 'POST' && path === '/__admin/faults') {
        const {
          method: only,
          pathPrefix,
          skip,
          times,
          fault,
        } = input() as {
          method?: string;
          pathPrefix?: string;
          skip?: number;
          times?: number;
          fault?: Fault;
        };
        if (!pathPrefix || !fault || !['status', 'timeout', 'lost-response'].includes(fault.kind)) {
          return { status: 400, body: { error: 'give pathPrefix and fault {kind: status|timeout|lost-response}' } };
        }
        this.inject({ method: only, pathPrefix, skip }, fault, times ?? 1);
        return { status: 201, body: { armed: this.faults.length } };
      }
      if (method === 'DELETE' && path === '/__admin/faults') {
        this.clearFaults();
        return { status: 204 };
      }
      if (method === 'POST' && path === '/__admin/stall') {
        this.stall();
        return { status: 200, body: { stalled: true } };
      }
      if (method === 'DELETE' && path === '/__admin/stall') {
        const waiting = this.stalled?.length ?? 0;
        this.resume();
        return { status: 200, body: { stalled: false, released: waiting } };
      }
      if (method === 'POST' && path === '/__admin/clock') {
        this.clock.advance(Number(input().advanceMs ?? 0));
        return { status: 200, body: { now: new Date(this.clock.now()).toISOString() } };
      }
      if (method === 'GET' && path === '/__admin/requests') return { status: 200, body: this.requests };
      if (method === 'GET' && path === '/__admin/state') return { status: 200, body: this.options.state?.() ?? {} };
      const own = this.options.admin?.(method, path, input());
      if (own) return own;
    } catch {
      return { status: 400, body: { error: 'the body is not JSON' } };
    }
    return { status: 404, body: { error: `no admin route ${method} ${path}` } };
  }

  private takeFault(method: string, path: string): Fault | undefined {
    const index = this.faults.findIndex(
      (armed) => path.startsWith(armed.pathPrefix) && (!armed.method || armed.method === method),
    );
    if (index < 0) return undefined;
    const armed = this.faults[index]!;
    if (armed.skip > 0) {
      armed.skip--;
      return undefined;
    }
    if (--armed.remaining <= 0) this.faults.splice(index, 1);
    return armed.fault;
  }

  private send(res: ServerResponse, response: EmulatorResponse): void {
    const isBuffer = Buffer.isBuffer(response.body);
    const payload =
      response.body === undefined
        ? undefined
        : isBuffer || typeof response.body === 'string'
          ? (response.body as Buffer | string)
          : JSON.stringify(response.body);
    const headers: Record<string, string> = { ...response.headers };
    if (payload !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
      headers['content-type'] = isBuffer || typeof response.body === 'string' ? 'text/plain' : 'application/json';
    }
    res.writeHead(response.status, headers).end(payload);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = req.method ?? 'GET';
    if (url.pathname.startsWith('/__admin/')) {
      this.send(res, this.admin(method, url.pathname, body));
      return;
    }
    if (this.stalled) {
      const waiting = this.stalled;
      let gone = false;
      res.once('close', () => (gone = true));
      await new Promise<void>((resolve) => waiting.push(resolve));
      // The client gave up while the platform was stalled: nothing reached the platform.
      if (gone || res.socket?.destroyed !== false) return;
    }
    this.requests.push({ method, path: url.pathname, at: this.clock.now() });

    const fault = this.takeFault(method, url.pathname);
    if (fault?.kind === 'timeout') {
      this.held.add(res);
      res.once('close', () => this.held.delete(res));
      return;
    }
    if (fault?.kind === 'status') {
      this.send(res, {
        status: fault.status,
        headers: fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {},
        body: this.options.errorBody(fault.status, fault.code, fault.message ?? `injected HTTP ${fault.status}`),
      });
      return;
    }

    let response: EmulatorResponse;
    const route = this.routes.find((candidate) => candidate.method === method && candidate.pattern.test(url.pathname));
    if (!route) {
      response = { status: 404, body: this.options.errorBody(404, 'not_found', `no route ${method} ${url.pathname}`) };
    } else {
      const match = route.pattern.exec(url.pathname)!;
      const params = Object.fromEntries(route.names.map((name, i) => [name, decodeURIComponent(match[i + 1]!)]));
      const request: EmulatorRequest = {
        method,
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        params,
        body,
        json: <T>() => (body.length ? JSON.parse(body.toString('utf8')) : {}) as T,
        form: () => new URLSearchParams(body.toString('utf8')),
        bearer: () => /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1],
      };
      try {
        response = await route.handler(request);
      } catch (error) {
        if (error instanceof SyntaxError) {
          response = { status: 400, body: this.options.errorBody(400, 'invalid_params', 'body is not valid JSON') };
        } else {
          response = { status: 500, body: this.options.errorBody(500, 'internal_error', (error as Error).message) };
        }
      }
    }
    if (fault?.kind === 'lost-response') {
      // The work is done; the answer never arrives.
      res.socket?.destroy();
    } else {
      this.send(res, response);
    }
    this.afterRequest?.();
  }
}
