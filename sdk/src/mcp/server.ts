import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { Pressroom, type PressroomOptions } from '../client.js';
import { PressroomError } from '../errors.js';

const platforms = ['TIKTOK', 'INSTAGRAM', 'YOUTUBE', 'FACEBOOK', 'VK', 'TELEGRAM'] as const;
const formats = ['CAROUSEL', 'VIDEO', 'TEXT', 'ARTICLE', 'SCRIPT'] as const;
const postStatuses = [
  'DRAFT',
  'GENERATING',
  'GENERATION_FAILED',
  'IN_REVIEW',
  'APPROVED',
  'REJECTED',
  'SCHEDULED',
  'PUBLISHING',
  'PUBLISHED',
  'FAILED',
] as const;

function ok(value: unknown): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value, null, 2) }] };
}

/**
 * A refusal (missing scope, not found, conflict...) is the tool's answer, not a protocol
 * failure: the agent reads the code and the message and decides what to do.
 */
function refused(error: unknown): CallToolResult {
  const text =
    error instanceof PressroomError ? `${error.code}: ${error.message}` : `ERROR: ${(error as Error).message}`;
  return { isError: true, content: [{ type: 'text', text }] };
}

async function run(work: () => Promise<unknown>): Promise<CallToolResult> {
  try {
    return ok(await work());
  } catch (error) {
    return refused(error);
  }
}

/**
 * The Pressroom tools for AI agents, on an MCP server, each a call through the sdk with the
 * token's own scopes: the api refuses what the token may not do, and the tool says so.
 */
export function createMcpServer(pressroom: Pressroom): McpServer {
  const server = new McpServer({ name: 'pressroom', version: '0.1.0' });

  server.registerTool(
    'list_brands',
    { description: "The organization's brands: id, name, voice.", inputSchema: {} },
    () => run(() => pressroom.brands.list().toArray(200)),
  );

  server.registerTool(
    'list_social_accounts',
    {
      description: "A brand's connected social accounts (targets for scheduling).",
      inputSchema: { brandId: z.string() },
    },
    ({ brandId }) => run(() => pressroom.accounts.list(brandId)),
  );

  server.registerTool(
    'create_batch',
    {
      description:
        'Generates `count` posts for a brand from a brief (posts:write). With wait=true, answers once generation has finished, with the posts.',
      inputSchema: {
        brandId: z.string(),
        brief: z.string().min(1),
        count: z.number().int().min(1).max(50),
        platforms: z.array(z.enum(platforms)).min(1),
        format: z.enum(formats).optional(),
        wait: z.boolean().optional(),
      },
    },
    ({ wait, ...input }) =>
      run(async () => {
        const batch = await pressroom.batches.create(input);
        if (!wait) return { batch };
        const finished = await pressroom.batches.waitUntilFinished(batch.id);
        return { batch: finished, posts: await pressroom.batches.posts(batch.id).toArray(200) };
      }),
  );

  server.registerTool(
    'get_batch',
    { description: 'A batch: its status and how many posts are generated.', inputSchema: { batchId: z.string() } },
    ({ batchId }) => run(() => pressroom.batches.get(batchId)),
  );

  server.registerTool(
    'list_batch_posts',
    { description: "A batch's posts with their captions and slides.", inputSchema: { batchId: z.string() } },
    ({ batchId }) => run(() => pressroom.batches.posts(batchId).toArray(200)),
  );

  server.registerTool(
    'list_posts',
    {
      description: "The organization's posts, newest first, optionally by brand and status.",
      inputSchema: {
        brandId: z.string().optional(),
        status: z.array(z.enum(postStatuses)).optional(),
        limit: z.number().int().min(1).max(500).optional(),
      },
    },
    ({ brandId, status, limit }) =>
      run(() => pressroom.posts.list({ brandId, status, pageSize: Math.min(limit ?? 50, 100) }).toArray(limit ?? 50)),
  );

  server.registerTool(
    'get_post',
    { description: 'A post with its reviews and publications.', inputSchema: { postId: z.string() } },
    ({ postId }) => run(() => pressroom.posts.get(postId)),
  );

  server.registerTool(
    'submit_for_review',
    { description: 'Sends a DRAFT post to review (posts:write).', inputSchema: { postId: z.string() } },
    ({ postId }) => run(() => pressroom.posts.submitForReview(postId)),
  );

  server.registerTool(
    'schedule_post',
    {
      description:
        'Schedules an APPROVED post at an ISO time (posts:schedule), on the named social accounts or all of its brand.',
      inputSchema: {
        postId: z.string(),
        scheduledAt: z.string().describe('ISO 8601, e.g. 2026-12-24T09:00:00Z'),
        socialAccountIds: z.array(z.string()).optional(),
      },
    },
    ({ postId, scheduledAt, socialAccountIds }) =>
      run(() => pressroom.posts.schedule(postId, { scheduledAt, socialAccountIds })),
  );

  server.registerTool(
    'get_analytics',
    {
      description:
        "Numbers between `from` and `to` (ISO; `to` defaults to now) for a publication (its video's views, likes...) or a social account (followers...) (analytics:read).",
      inputSchema: {
        publicationId: z.string().optional(),
        socialAccountId: z.string().optional(),
        from: z.string(),
        to: z.string().optional(),
      },
    },
    ({ publicationId, socialAccountId, from, to }) =>
      run(async () => {
        if (publicationId) return pressroom.analytics.publication(publicationId, { from, ...(to ? { to } : {}) });
        if (socialAccountId) return pressroom.analytics.account(socialAccountId, { from, ...(to ? { to } : {}) });
        throw new Error('Give publicationId or socialAccountId.');
      }),
  );

  server.registerTool(
    'list_publications',
    {
      description: 'Publications, latest scheduled first, optionally by state.',
      inputSchema: {
        state: z.array(z.enum(['SCHEDULED', 'PUBLISHING', 'PUBLISHED', 'FAILED', 'CANCELLED'])).optional(),
      },
    },
    ({ state }) => run(() => pressroom.publications.list({ state }).toArray(100)),
  );

  return server;
}

/** Serves the tools on stdin/stdout (what desktop agents launch). */
export async function serveStdio(options: PressroomOptions): Promise<McpServer> {
  const server = createMcpServer(new Pressroom(options));
  await server.connect(new StdioServerTransport());
  return server;
}

export interface HttpServeOptions extends PressroomOptions {
  port?: number;
  host?: string;
  /** The MCP endpoint's path (default `/mcp`). */
  path?: string;
}

function bearer(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
}

/**
 * Serves the tools over streamable HTTP, statelessly: each request gets its own server and
 * acts with the Pressroom token it carries (`Authorization: Bearer prt_...`), else with the
 * configured one, so one MCP endpoint serves many agents, each with exactly its token's scopes.
 */
export async function serveHttp(
  options: HttpServeOptions,
): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const path = options.path ?? '/mcp';
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== path) {
      response.writeHead(404).end();
      return;
    }
    if (request.method !== 'POST') {
      // Stateless: no server-to-client stream to resume.
      response.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    const token = bearer(request) ?? options.token;
    if (!token) {
      response
        .writeHead(401, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: 'Send a Pressroom API token as Authorization: Bearer prt_...' }));
      return;
    }
    const pressroom = new Pressroom({ ...options, token });
    const server = createMcpServer(pressroom);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    response.on('close', () => {
      void transport.close();
      void server.close();
      void pressroom.close();
    });
    await server.connect(transport);
    await transport.handleRequest(request, response);
  };
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500).end(String((error as Error).message));
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    server,
    url: `http://${host}:${port}${path}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
