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

export interface OpenAIClientOptions {
  apiKey: string;
  baseUrl?: string;
  model?: string;
  http?: Omit<HttpClientOptions, 'platform' | 'classify'>;
}

interface ChatCompletion {
  choices: Array<{
    finish_reason: string;
    message: { role: 'assistant'; content: string | null; refusal?: string | null };
  }>;
}

const platform = 'openai';

export function classifyOpenAIResponse(
  response: HttpResponse,
  request: { operation: string; idempotent: boolean },
): PlatformError | null {
  if (response.status < 300) return null;
  let code: string | undefined;
  let message = `HTTP ${response.status}`;
  try {
    const body = response.json<{ error?: { message?: string; type?: string; code?: string | null } }>();
    code = body.error?.code ?? body.error?.type;
    message = body.error?.message ?? message;
  } catch {
    // Not JSON: the status decides.
  }
  // insufficient_quota also comes as 429, but waiting does not bring money back.
  const category: FailureCategory =
    code === 'insufficient_quota'
      ? 'REJECTED_BY_PLATFORM'
      : response.status === 401
        ? 'REJECTED_BY_PLATFORM'
        : categoryForStatus(response.status, request.idempotent);
  return new PlatformError(message, {
    category,
    platform,
    operation: request.operation,
    status: response.status,
    code,
    retryAfterMs: retryAfterOf(response),
    requestId: response.headers.get('x-request-id') ?? undefined,
  });
}

/** Chat Completions with a strict json_schema response format. */
export function createOpenAIGenerator(options: OpenAIClientOptions): ContentGenerator {
  const http = createHttpClient({ timeoutMs: 120_000, ...options.http, platform, classify: classifyOpenAIResponse });
  const url = new URL('/v1/chat/completions', options.baseUrl ?? 'https://api.openai.com').toString();
  /** One completion whose content is JSON in the strict schema `name`. */
  async function complete(input: {
    model: string | undefined;
    system: string;
    prompt: string;
    /** Pictures sent after the prompt, as data URLs in `image_url` parts (vision input). */
    frames?: VisionFrame[];
    name: string;
    schema: object;
  }): Promise<unknown> {
    const content = input.frames?.length
      ? [
          { type: 'text', text: input.prompt },
          ...input.frames.map((frame) => ({
            type: 'image_url',
            image_url: { url: `data:${frame.contentType};base64,${frame.bytes.toString('base64')}`, detail: 'low' },
          })),
        ]
      : input.prompt;
    const payload = jsonBody({
      model: input.model ?? options.model ?? 'gpt-4o-mini',
      messages: [
        { role: 'system', content: input.system },
        { role: 'user', content },
      ],
      response_format: { type: 'json_schema', json_schema: { name: input.name, strict: true, schema: input.schema } },
    });
    const response = await http.send({
      operation: 'chat/completions',
      method: 'POST',
      url,
      idempotent: true,
      headers: { ...payload.headers, authorization: `Bearer ${options.apiKey}` },
      body: payload.body,
    });
    const choice = response.json<ChatCompletion>().choices[0];
    if (choice?.message.refusal) {
      throw new PlatformError(choice.message.refusal, {
        category: 'REJECTED_BY_PLATFORM',
        platform,
        operation: 'chat/completions',
        code: 'refusal',
      });
    }
    try {
      return JSON.parse(choice?.message.content ?? '') as unknown;
    } catch {
      throw new PlatformError(`the answer is not JSON (finish_reason ${choice?.finish_reason})`, {
        category: 'TRANSIENT',
        platform,
        operation: 'chat/completions',
        code: choice?.finish_reason === 'length' ? 'max_tokens' : 'invalid_output',
      });
    }
  }
  return {
    provider: platform,
    async generatePosts(request) {
      const value = await complete({
        model: request.model,
        system: systemPrompt,
        prompt: contentPrompt(request),
        name: 'posts',
        schema: generatedPostsJsonSchema,
      });
      return parseGeneratedPosts(platform, value, request);
    },
    async generateArticle(request) {
      const value = await complete({
        model: request.model,
        system: articleSystemPrompt,
        prompt: longFormPrompt(request, 'article'),
        name: 'article',
        schema: generatedArticleJsonSchema,
      });
      return parseGenerated(platform, generatedArticleSchema, value, 'an article');
    },
    async generateScript(request) {
      const value = await complete({
        model: request.model,
        system: scriptSystemPrompt,
        prompt: longFormPrompt(request, 'script'),
        name: 'script',
        schema: generatedScriptJsonSchema,
      });
      return parseGenerated(platform, generatedScriptSchema, value, 'a script');
    },
    async suggestCaptions(request) {
      const value = await complete({
        model: request.model,
        system: captionSystemPrompt,
        prompt: captionPrompt(request),
        frames: request.frames,
        name: 'captions',
        schema: captionSuggestionsJsonSchema,
      });
      return parseGenerated(platform, captionSuggestionsSchema, value, 'caption suggestions').suggestions;
    },
    async reviewVideo(request) {
      const value = await complete({
        model: request.model,
        system: videoReviewSystemPrompt,
        prompt: videoReviewPrompt(request),
        frames: request.frames,
        name: 'video_review',
        schema: videoReviewJsonSchema,
      });
      return parseGenerated(platform, videoReviewSchema, value, 'a video review').findings;
    },
  };
}
