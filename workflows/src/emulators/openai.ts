import { randomBytes } from 'node:crypto';
import { writeArticle, writePosts, writeScript } from './ai-writer.js';
import type { AIEmulatorOptions } from './anthropic.js';
import { EmulatorServer, type EmulatorResponse } from './core.js';

function openaiError(status: number, type: string, code: string | null, message: string): EmulatorResponse {
  return { status, body: { error: { message, type, param: null, code } } };
}

/** OpenAI's Chat Completions with json_schema response formats: deterministic posts. */
export class OpenAIEmulator {
  readonly server: EmulatorServer;
  readonly received: Array<Record<string, unknown>> = [];

  constructor(private readonly options: AIEmulatorOptions = {}) {
    this.server = new EmulatorServer({
      name: 'openai',
      state: () => ({ requests: this.received.length }),
      clock: options.clock,
      errorBody: (status, code, message) => ({
        error: {
          message,
          type: status === 429 ? 'requests' : status >= 500 ? 'server_error' : 'invalid_request_error',
          param: null,
          code: code ?? (status === 429 ? 'rate_limit_exceeded' : null),
        },
      }),
    });
    this.server.route('POST', '/v1/chat/completions', (request) => {
      const key = request.bearer();
      if (!key || (this.options.apiKeys && !this.options.apiKeys.includes(key))) {
        return openaiError(401, 'invalid_request_error', 'invalid_api_key', 'Incorrect API key provided.');
      }
      const wait = this.server.rateLimit(key, this.options.requestsPerMinute ?? 60, 60_000);
      if (wait > 0) {
        return {
          ...openaiError(429, 'requests', 'rate_limit_exceeded', 'Rate limit reached for requests'),
          headers: { 'retry-after': String(wait) },
        };
      }
      const body = request.json<{
        model?: string;
        messages?: Array<{ role: string; content: string }>;
        response_format?: { type: string; json_schema?: { name?: string } };
      }>();
      if (!body.model || !Array.isArray(body.messages) || body.messages.length === 0) {
        return openaiError(400, 'invalid_request_error', null, 'model and messages are required');
      }
      this.received.push(body);
      const prompt = body.messages
        .filter((message) => message.role === 'user')
        .map((message) => message.content)
        .join('\n');
      // What to write: the json_schema's name says (article, script, posts), else the <format> tag.
      const format = body.response_format?.json_schema?.name ?? /<format>(\w+)<\/format>/.exec(prompt)?.[1];
      const answer =
        format === 'article'
          ? writeArticle(prompt)
          : format === 'script'
            ? writeScript(prompt)
            : { posts: writePosts(prompt) };
      return {
        status: 200,
        headers: { 'x-request-id': `req_${randomBytes(12).toString('hex')}` },
        body: {
          id: `chatcmpl-${randomBytes(12).toString('hex')}`,
          object: 'chat.completion',
          created: Math.floor(this.server.clock.now() / 1000),
          model: body.model,
          choices: [
            {
              index: 0,
              finish_reason: 'stop',
              message: { role: 'assistant', content: JSON.stringify(answer), refusal: null },
            },
          ],
          usage: { prompt_tokens: Math.ceil(prompt.length / 4), completion_tokens: 400, total_tokens: 0 },
        },
      };
    });
  }

  start(port?: number): Promise<string> {
    return this.server.start(port);
  }

  stop(): Promise<void> {
    return this.server.stop();
  }
}
