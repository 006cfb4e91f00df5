// The MCP server as an agent sees it, through the MCP SDK's own client: over streamable HTTP
// (each request acting with the token it carries) and over stdio (the CLI as a child process).
import { resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import WebSocket from 'ws';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { seedApiToken } from '../../api/test/kit.js';
import { serveHttp } from '../src/mcp/index.js';
import { startStack, type Stack } from './stack.js';

let stack: Stack;
let mcp: Awaited<ReturnType<typeof serveHttp>>;

beforeAll(async () => {
  stack = await startStack();
  mcp = await serveHttp({ url: stack.api.url, webSocketImpl: WebSocket });
}, 120_000);
afterAll(async () => {
  await mcp?.close();
  await stack?.close();
});

async function connectHttp(token: string) {
  const client = new Client({ name: 'sdk-test-agent', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(mcp.url), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  return client;
}

function text(result: Awaited<ReturnType<Client['callTool']>>): string {
  const [first] = result.content as Array<{ type: string; text: string }>;
  return first!.text;
}

test('an agent lists the tools and turns a brief into a batch of posts, then submits and reads them', async () => {
  const { token } = await seedApiToken(stack.api, stack.org.organization.id, [
    'brands:read',
    'posts:read',
    'posts:write',
  ]);
  const agent = await connectHttp(token);
  try {
    const { tools } = await agent.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(
      expect.arrayContaining([
        'list_brands',
        'create_batch',
        'list_batch_posts',
        'submit_for_review',
        'schedule_post',
        'get_analytics',
      ]),
    );
    const brands = JSON.parse(text(await agent.callTool({ name: 'list_brands', arguments: {} }))) as Array<{
      id: string;
    }>;
    expect(brands.map((brand) => brand.id)).toContain(stack.org.brand.gid);

    const created = await agent.callTool({
      name: 'create_batch',
      arguments: { brandId: stack.org.brand.gid, brief: 'Winter menu', count: 2, platforms: ['TIKTOK'], wait: true },
    });
    expect(created.isError).toBeFalsy();
    const { batch, posts } = JSON.parse(text(created)) as {
      batch: { id: string; status: string };
      posts: Array<{ id: string; status: string; caption: string }>;
    };
    expect(batch.status).toBe('READY');
    expect(posts).toHaveLength(2);
    expect(posts.every((post) => post.caption.length > 0)).toBe(true);
    const listed = JSON.parse(
      text(await agent.callTool({ name: 'list_batch_posts', arguments: { batchId: batch.id } })),
    ) as unknown[];
    expect(listed).toHaveLength(2);

    // Generated posts are already in review: submitting again is the api's conflict, told as such.
    const again = await agent.callTool({ name: 'submit_for_review', arguments: { postId: posts[0]!.id } });
    expect(again.isError).toBe(true);
    expect(text(again)).toMatch(/^CONFLICT: /);
  } finally {
    await agent.close();
  }
}, 120_000);

test('a token without posts:write is refused by the tool, with the missing scope named, and nothing is made', async () => {
  const { token } = await seedApiToken(stack.api, stack.org.organization.id, ['brands:read', 'posts:read']);
  const agent = await connectHttp(token);
  try {
    const before = await stack.api.db.batch.count({ where: { organizationId: stack.org.organization.id } });
    const refused = await agent.callTool({
      name: 'create_batch',
      arguments: { brandId: stack.org.brand.gid, brief: 'Not allowed', count: 1, platforms: ['TIKTOK'] },
    });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toMatch(/^FORBIDDEN: .*posts:write/);
    expect(await stack.api.db.batch.count({ where: { organizationId: stack.org.organization.id } })).toBe(before);
    // What the token may do still works.
    const brands = await agent.callTool({ name: 'list_brands', arguments: {} });
    expect(brands.isError).toBeFalsy();
  } finally {
    await agent.close();
  }
});

test('the HTTP endpoint refuses a request without a token', async () => {
  const response = await fetch(mcp.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
  });
  expect(response.status).toBe(401);
});

test('over stdio, the pressroom-mcp CLI serves the same tools with the token from its environment', async () => {
  const { token } = await seedApiToken(stack.api, stack.org.organization.id, ['brands:read']);
  const root = resolve(import.meta.dirname, '../..');
  const agent = new Client({ name: 'sdk-test-agent', version: '1.0.0' });
  await agent.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: ['--import', 'tsx', resolve(root, 'sdk/src/mcp/cli.ts')],
      cwd: root,
      env: { ...(process.env as Record<string, string>), PRESSROOM_URL: stack.api.url, PRESSROOM_TOKEN: token },
      stderr: 'pipe',
    }),
  );
  try {
    const { tools } = await agent.listTools();
    expect(tools.map((tool) => tool.name)).toContain('create_batch');
    const brands = JSON.parse(text(await agent.callTool({ name: 'list_brands', arguments: {} }))) as Array<{
      name: string;
    }>;
    expect(brands.map((brand) => brand.name)).toEqual(['Brand']);
    const refused = await agent.callTool({ name: 'list_posts', arguments: {} });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toMatch(/^FORBIDDEN: .*posts:read/);
  } finally {
    await agent.close();
  }
}, 60_000);
