import { createHash, randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { allDecodable, reviewFrames, suggestFromFrames } from './ai-vision.js';
import { writeArticle, writePosts, writeScript } from './ai-writer.js';
import type { AIEmulatorOptions } from './anthropic.js';
import { EmulatorServer, type EmulatorResponse } from './core.js';

function openaiError(status: number, type: string, code: string | null, message: string): EmulatorResponse {
  return { status, body: { error: { message, type, param: null, code } } };
}

/** OpenAI's Chat Completions with json_schema response formats: deterministic posts. */
export class OpenAIEmulator {
  readonly server: EmulatorServer;
  /** Every accepted request's body, chat and images alike: empty means nothing reached the provider. */
  readonly received: Array<Record<string, unknown>> = [];
  /** The accepted images requests' bodies, in order. */
  readonly imageRequests: Array<Record<string, unknown>> = [];

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
    /** The key and rate checks every endpoint makes; an error response, or null to go on. */
    const admit = (request: { bearer(): string | undefined }): EmulatorResponse | null => {
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
      return null;
    };
    this.server.route('POST', '/v1/images/generations', async (request) => {
      const refused = admit(request);
      if (refused) return refused;
      const body = request.json<{
        model?: string;
        prompt?: string;
        n?: number;
        size?: string;
        response_format?: string;
        style?: string;
        quality?: string;
      }>();
      if (!body.prompt || typeof body.prompt !== 'string') {
        return openaiError(400, 'invalid_request_error', null, 'prompt is required');
      }
      const size = body.size ?? '1024x1024';
      if (!emulatedImageSizes.includes(size)) {
        return openaiError(400, 'invalid_request_error', 'invalid_value', `Invalid size '${size}'.`);
      }
      if (body.response_format && !['b64_json', 'url'].includes(body.response_format)) {
        return openaiError(400, 'invalid_request_error', 'invalid_value', 'response_format is b64_json or url');
      }
      if (body.style && !['vivid', 'natural'].includes(body.style)) {
        return openaiError(400, 'invalid_request_error', 'invalid_value', 'style is vivid or natural');
      }
      this.received.push(body);
      this.imageRequests.push(body);
      const [width, height] = size.split('x').map(Number) as [number, number];
      const png = await emulatedImage(body.prompt, width, height);
      return {
        status: 200,
        headers: { 'x-request-id': `req_${randomBytes(12).toString('hex')}` },
        body: {
          created: Math.floor(this.server.clock.now() / 1000),
          data: Array.from({ length: Math.max(1, Math.min(body.n ?? 1, 4)) }, () => ({
            b64_json: png.toString('base64'),
            revised_prompt: body.prompt,
          })),
        },
      };
    });
    this.server.route('POST', '/v1/chat/completions', async (request) => {
      const refused = admit(request);
      if (refused) return refused;
      const body = request.json<{
        model?: string;
        messages?: Array<{
          role: string;
          content: string | Array<{ type: string; text?: string; image_url?: { url?: string } }>;
        }>;
        response_format?: { type: string; json_schema?: { name?: string } };
      }>();
      if (!body.model || !Array.isArray(body.messages) || body.messages.length === 0) {
        return openaiError(400, 'invalid_request_error', null, 'model and messages are required');
      }
      this.received.push(body);
      const user = body.messages.filter((message) => message.role === 'user');
      const parts = user.flatMap((message) =>
        typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content,
      );
      const prompt = parts
        .filter((part) => part.type === 'text')
        .map((part) => part.text ?? '')
        .join('\n');
      const frames: Buffer[] = [];
      for (const part of parts.filter((part) => part.type === 'image_url')) {
        const match = /^data:image\/(?:jpeg|png|webp|gif);base64,(.+)$/s.exec(part.image_url?.url ?? '');
        if (!match)
          return openaiError(400, 'invalid_request_error', 'invalid_image_url', 'image_url must be a data URL');
        frames.push(Buffer.from(match[1]!, 'base64'));
      }
      // What to write: the json_schema's name says (article, script, posts), else the <format> tag.
      const format = body.response_format?.json_schema?.name ?? /<format>(\w+)<\/format>/.exec(prompt)?.[1];
      // A picture the provider cannot decode is refused, as the real APIs do.
      if (!(await allDecodable(frames)))
        return openaiError(400, 'invalid_request_error', 'invalid_image', 'You uploaded an unsupported image.');
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

const emulatedImageSizes = ['256x256', '512x512', '1024x1024', '1024x1536', '1536x1024', '1024x1792', '1792x1024'];

/**
 * A real PNG that depends only on the prompt: a two-colour gradient with a few circles, all
 * taken from the prompt's SHA-256, so the same prompt always gives the same bytes.
 */
export async function emulatedImage(prompt: string, width: number, height: number): Promise<Buffer> {
  const hash = createHash('sha256').update(prompt).digest();
  const color = (offset: number) => `rgb(${hash[offset]},${hash[offset + 1]},${hash[offset + 2]})`;
  const circles = [0, 1, 2]
    .map((i) => {
      const x = Math.round((hash[6 + i * 3]! / 255) * width);
      const y = Math.round((hash[7 + i * 3]! / 255) * height);
      const r = Math.round((0.1 + (hash[8 + i * 3]! / 255) * 0.25) * Math.min(width, height));
      return `<circle cx="${x}" cy="${y}" r="${r}" fill="${color(16 + i * 3)}" fill-opacity="0.55"/>`;
    })
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${color(0)}"/><stop offset="1" stop-color="${color(3)}"/></linearGradient></defs>
<rect width="100%" height="100%" fill="url(#g)"/>${circles}</svg>`;
  return sharp(Buffer.from(svg)).png({ compressionLevel: 6 }).toBuffer();
}
