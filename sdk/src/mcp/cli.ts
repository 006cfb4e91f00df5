#!/usr/bin/env node
// pressroom-mcp: the Pressroom tools for AI agents. Reads PRESSROOM_URL and PRESSROOM_TOKEN;
// stdio by default, `--http [--port N] [--host H]` for streamable HTTP.
import { parseArgs } from 'node:util';
import { serveHttp, serveStdio } from './server.js';

const { values } = parseArgs({
  options: {
    http: { type: 'boolean', default: false },
    port: { type: 'string', default: '3333' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
const url = process.env.PRESSROOM_URL ?? 'http://127.0.0.1:4000';
const token = process.env.PRESSROOM_TOKEN;

if (values.http) {
  const served = await serveHttp({ url, token, port: Number(values.port), host: values.host });
  process.stderr.write(`pressroom-mcp: streamable HTTP at ${served.url}\n`);
} else {
  if (!token) {
    process.stderr.write('pressroom-mcp: set PRESSROOM_TOKEN to an API token (prt_...).\n');
    process.exit(2);
  }
  await serveStdio({ url, token });
}
