import {
  articleSystemPrompt,
  contentPrompt,
  generatedArticleJsonSchema,
  generatedArticleSchema,
  generatedPostsJsonSchema,
  generatedScriptJsonSchema,
  generatedScriptSchema,
  longFormPrompt,
  scriptSystemPrompt,
  systemPrompt,
  type ContentGenerator,
} from '../ai/content.js';
import {
  captionPrompt,
  captionSuggestionsJsonSchema,
  captionSuggestionsSchema,
  captionSystemPrompt,
  videoReviewJsonSchema,
  videoReviewPrompt,
  videoReviewSchema,
  videoReviewSystemPrompt,
  type VisionFrame,
} from '../ai/vision.js';
import { parseGenerated, parseGeneratedPosts } from '../ai/validate.js';
import { categoryForStatus, PlatformError, type FailureCategory } from '../errors.js';
import { createHttpClient, jsonBody, retryAfterOf, type HttpClientOptions, type HttpResponse } from '../http.js';

export interface AnthropicClientOptions {
  apiKey: string;
  baseUrl?: string;
  model?: string;
  maxTokens?: number;
  http?: Omit<HttpClientOptions, 'platform' | 'classify'>;
}

interface MessagesResponse {
  content: Array<{ type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: unknown }>;
  stop_reason: 'end_turn' | 'max_tokens' | 'tool_use' | 'stop_sequence';
  usage: { input_tokens: number; output_tokens: number };
}

const platform = 'anthropic';

export function classifyAnthropicResponse(
  response: HttpResponse,
  request: { operation: string; idempotent: boolean },
): PlatformError | null {
  if (response.status < 300) return null;
  let type: string | undefined;
  let message = `HTTP ${response.status}`;
  try {
    const body = response.json<{ error?: { type?: string; message?: string } }>();
    type = body.error?.type;
    message = body.error?.message ?? message;
  } catch {
    // Not JSON (a proxy's error page): the status decides.
  }
  // 529 overloaded_error: the request was not processed, try again later.
  const category: FailureCategory =
    response.status === 429
      ? 'RATE_LIMITED'
      : response.status === 529
        ? 'TRANSIENT'
        : response.status === 401
          ? 'REJECTED_BY_PLATFORM' // an API key, not a user token: refreshing cannot help
          : categoryForStatus(response.status, request.idempotent);
  return new PlatformError(message, {
    category,
    platform,
    operation: request.operation,
    status: response.status,
    code: type,
    retryAfterMs: retryAfterOf(response),
    requestId: response.headers.get('request-id') ?? undefined,
  });
}

/** Claude through the Messages API, forced to answer through a tool whose input is the posts. */
export function createAnthropicGenerator(options: AnthropicClientOptions): ContentGenerator {
  const http = createHttpClient({ timeoutMs: 120_000, ...options.http, platform, classify: classifyAnthropicResponse });
  const url = new URL('/v1/messages', options.baseUrl ?? 'https://api.anthropic.com').toString();
  /** One forced tool call whose input is the answer (the schema's shape). */
  async function emit(input: {
    model: string | undefined;
    system: string;
    prompt: string;
    /** Pictures sent before the prompt as base64 `image` blocks (vision input). */
    frames?: VisionFrame[];
    toolName: string;
    description: string;
    schema: object;
  }): Promise<unknown> {
    const payload = jsonBody({
      model: input.model ?? options.model ?? 'claude-sonnet-4-5',
      max_tokens: options.maxTokens ?? 8192,
      system: input.system,
      messages: [
        {
          role: 'user',
          content: input.frames?.length
            ? [
                ...input.frames.map((frame) => ({
                  type: 'image',
                  source: { type: 'base64', media_type: frame.contentType, data: frame.bytes.toString('base64') },
                })),
                { type: 'text', text: input.prompt },
              ]
            : input.prompt,
        },
      ],
      tools: [{ name: input.toolName, description: input.description, input_schema: input.schema }],
      tool_choice: { type: 'tool', name: input.toolName },
    });
    const response = await http.send({
      operation: 'messages',
      method: 'POST',
      url,
      // Generating has no effect but its cost: safe to repeat.
      idempotent: true,
      headers: { ...payload.headers, 'x-api-key': options.apiKey, 'anthropic-version': '2023-06-01' },
      body: payload.body,
    });
    const message = response.json<MessagesResponse>();
    const tool = message.content.find((block) => block.type === 'tool_use' && block.name === input.toolName);
    if (!tool || tool.type !== 'tool_use') {
      throw new PlatformError(`no ${input.toolName} tool call in the answer (stop_reason ${message.stop_reason})`, {
        category: 'TRANSIENT',
        platform,
        operation: 'messages',
        code: message.stop_reason === 'max_tokens' ? 'max_tokens' : 'invalid_output',
      });
    }
    return tool.input;
  }
  return {
    provider: platform,
    async generatePosts(request) {
      const input = await emit({
        model: request.model,
        system: systemPrompt,
        prompt: contentPrompt(request),
        toolName: 'emit_posts',
        description: 'Hand over the finished posts.',
        schema: generatedPostsJsonSchema,
      });
      return parseGeneratedPosts(platform, input, request);
    },
    async generateArticle(request) {
      const input = await emit({
        model: request.model,
        system: articleSystemPrompt,
        prompt: longFormPrompt(request, 'article'),
        toolName: 'emit_article',
        description: 'Hand over the finished article.',
        schema: generatedArticleJsonSchema,
      });
      return parseGenerated(platform, generatedArticleSchema, input, 'an article');
    },
    async generateScript(request) {
      const input = await emit({
        model: request.model,
        system: scriptSystemPrompt,
        prompt: longFormPrompt(request, 'script'),
        toolName: 'emit_script',
        description: 'Hand over the finished video script.',
        schema: generatedScriptJsonSchema,
      });
      return parseGenerated(platform, generatedScriptSchema, input, 'a script');
    },
    async suggestCaptions(request) {
      const input = await emit({
        model: request.model,
        system: captionSystemPrompt,
        prompt: captionPrompt(request),
        frames: request.frames,
        toolName: 'emit_captions',
        description: 'Hand over one caption with hashtags per network.',
        schema: captionSuggestionsJsonSchema,
      });
      return parseGenerated(platform, captionSuggestionsSchema, input, 'caption suggestions').suggestions;
    },
    async reviewVideo(request) {
      const input = await emit({
        model: request.model,
        system: videoReviewSystemPrompt,
        prompt: videoReviewPrompt(request),
        frames: request.frames,
        toolName: 'emit_video_review',
        description: "Hand over the review's findings, one or more per frame.",
        schema: videoReviewJsonSchema,
      });
      return parseGenerated(platform, videoReviewSchema, input, 'a video review').findings;
    },
  };
}
