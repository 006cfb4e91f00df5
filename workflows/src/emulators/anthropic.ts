import { randomBytes } from 'node:crypto';
import { allDecodable, reviewFrames, suggestFromFrames } from './ai-vision.js';
import { writeArticle, writePosts, writeScript } from './ai-writer.js';
import { EmulatorClock, EmulatorServer, type EmulatorResponse } from './core.js';

export interface AIEmulatorOptions {
  clock?: EmulatorClock;
  /** Keys the emulator accepts; any non-empty key when unset. */
  apiKeys?: string[];
  requestsPerMinute?: number;
}

function anthropicError(status: number, type: string, message: string): EmulatorResponse {
  return { status, body: { type: 'error', error: { type, message } } };
}

const errorTypes: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

/** Anthropic's Messages API: answers a forced tool call with deterministic posts. */
export class AnthropicEmulator {
  readonly server: EmulatorServer;
  readonly received: Array<Record<string, unknown>> = [];

  constructor(private readonly options: AIEmulatorOptions = {}) {
    this.server = new EmulatorServer({
      name: 'anthropic',
      state: () => ({ requests: this.received.length }),
      clock: options.clock,
      errorBody: (status, code, message) => ({
        type: 'error',
        error: { type: code ?? errorTypes[status] ?? 'api_error', message },
      }),
    });
    this.server.route('POST', '/v1/messages', async (request) => {
      const key = String(request.headers['x-api-key'] ?? '');
      if (!key || (this.options.apiKeys && !this.options.apiKeys.includes(key))) {
        return anthropicError(401, 'authentication_error', 'invalid x-api-key');
      }
      if (request.headers['anthropic-version'] !== '2023-06-01') {
        return anthropicError(400, 'invalid_request_error', 'anthropic-version header is required');
      }
      const wait = this.server.rateLimit(key, this.options.requestsPerMinute ?? 50, 60_000);
      if (wait > 0) {
        return {
          ...anthropicError(429, 'rate_limit_error', 'Rate limit exceeded'),
          headers: { 'retry-after': String(wait) },
        };
      }
      const body = request.json<{
        model?: string;
        max_tokens?: number;
        messages?: Array<{
          role: string;
          content:
            | string
            | Array<{ type: string; text?: string; source?: { type?: string; media_type?: string; data?: string } }>;
        }>;
        tools?: Array<{ name: string }>;
        tool_choice?: { type: string; name?: string };
      }>();
      if (!body.model || !body.max_tokens || !Array.isArray(body.messages) || body.messages.length === 0) {
        return anthropicError(400, 'invalid_request_error', 'model, max_tokens and messages are required');
      }
      this.received.push(body);
      const prompt = body.messages
        .filter((message) => message.role === 'user')
        .map((message) =>
          typeof message.content === 'string'
            ? message.content
            : message.content.map((block) => block.text ?? '').join('\n'),
        )
        .join('\n');
      const frames: Buffer[] = [];
      for (const message of body.messages.filter((message) => message.role === 'user')) {
        if (typeof message.content === 'string') continue;
        for (const block of message.content.filter((block) => block.type === 'image')) {
          if (
            block.source?.type !== 'base64' ||
            !block.source.data ||
            !/^image\//.test(block.source.media_type ?? '')
          ) {
            return anthropicError(400, 'invalid_request_error', 'an image block needs a base64 source with media_type');
          }
          frames.push(Buffer.from(block.source.data, 'base64'));
        }
      }
      const forcedTool = body.tool_choice?.type === 'tool' ? body.tool_choice.name : undefined;
      // What to write: the forced tool's name says (emit_article, emit_script, emit_posts),
      // else the <format> tag of the prompt.
      const format = forcedTool?.replace(/^emit_/, '') ?? /<format>(\w+)<\/format>/.exec(prompt)?.[1];
      // A picture the provider cannot decode is refused, as the real APIs do.
      if (!(await allDecodable(frames))) return anthropicError(400, 'invalid_request_error', 'Could not process image');
      const answer =
        format === 'captions'
          ? await suggestFromFrames(prompt, frames)
          : format === 'video_review'
            ? await reviewFrames(prompt, frames)
            : format === 'article'
              ? writeArticle(prompt)
              : format === 'script'
                ? writeScript(prompt)
                : { posts: writePosts(prompt) };
      const usage = {
        input_tokens: Math.ceil(prompt.length / 4),
        output_tokens: Math.ceil(JSON.stringify(answer).length / 4),
      };
      const content = forcedTool
        ? [{ type: 'tool_use', id: `toolu_${randomBytes(12).toString('hex')}`, name: forcedTool, input: answer }]
        : [{ type: 'text', text: JSON.stringify(answer) }];
      return {
        status: 200,
        headers: { 'request-id': `req_${randomBytes(12).toString('hex')}` },
        body: {
          id: `msg_${randomBytes(12).toString('hex')}`,
          type: 'message',
          role: 'assistant',
          model: body.model,
          content,
          stop_reason: forcedTool ? 'tool_use' : 'end_turn',
          stop_sequence: null,
          usage,
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
