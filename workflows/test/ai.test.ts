import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnthropicEmulator } from '../src/emulators/anthropic.js';
import { OpenAIEmulator } from '../src/emulators/openai.js';
import { batchPostBrief, type ContentRequest } from '../src/platforms/ai/content.js';
import { generatedPostsSchema } from '../src/platforms/ai/content.js';
import { parseGeneratedPosts } from '../src/platforms/ai/validate.js';
import { createAnthropicGenerator } from '../src/platforms/anthropic/index.js';
import type { PlatformError } from '../src/platforms/errors.js';
import { createOpenAIGenerator } from '../src/platforms/openai/index.js';
import { caught } from './helpers.js';

const request: ContentRequest = {
  brand: { name: 'Acme Coffee', voice: 'Warm, expert, never pushy.' },
  knowledge: [
    {
      title: 'Brewing guide',
      content:
        'Our Ethiopian Yirgacheffe is a light roast with notes of jasmine and lemon. Brew it at 93 °C with a 1:16 ratio. ' +
        'Grind medium-fine for pour-over and coarse for French press. Beans stay fresh for four weeks after roasting.',
    },
    { title: 'Shop', content: 'Every order ships within one business day from our Lisbon roastery.' },
  ],
  brief: 'A carousel series that teaches beginners how to brew pour-over coffee at home.',
  postCount: 3,
  slidesPerPost: 4,
};

describe('AI content generation against the emulators', () => {
  let anthropic: AnthropicEmulator;
  let openai: OpenAIEmulator;
  let anthropicUrl: string;
  let openaiUrl: string;
  const waits: number[] = [];
  const sleep = (emulator: { server: { clock: { advance(ms: number): void } } }) => (ms: number) => {
    waits.push(ms);
    emulator.server.clock.advance(ms);
    return Promise.resolve();
  };

  beforeAll(async () => {
    anthropic = new AnthropicEmulator({ apiKeys: ['test-anthropic-key'], requestsPerMinute: 3 });
    openai = new OpenAIEmulator({ apiKeys: ['sk-test'], requestsPerMinute: 3 });
    anthropicUrl = await anthropic.start();
    openaiUrl = await openai.start();
  });
  afterAll(async () => {
    await anthropic.stop();
    await openai.stop();
  });

  const claude = () =>
    createAnthropicGenerator({
      apiKey: 'test-anthropic-key',
      baseUrl: anthropicUrl,
      http: { sleep: sleep(anthropic) },
    });
  const gpt = () => createOpenAIGenerator({ apiKey: 'sk-test', baseUrl: openaiUrl, http: { sleep: sleep(openai) } });

  it('Anthropic: forces the posts tool and returns posts built from the brief and the knowledge', async () => {
    const posts = await claude().generatePosts(request);
    expect(posts).toHaveLength(3);
    for (const post of posts) {
      expect(post.slides).toHaveLength(4);
      expect(post.hashtags.length).toBeGreaterThan(0);
      expect(post.hashtags.every((tag) => tag.startsWith('#'))).toBe(true);
    }
    const text = JSON.stringify(posts);
    expect(text).toMatch(/Yirgacheffe|93 °C|Lisbon|French press/);
    expect(text.toLowerCase()).toContain('pour-over');
    const sent = anthropic.received.at(-1) as { tool_choice: unknown; tools: Array<{ input_schema: unknown }> };
    expect(sent.tool_choice).toEqual({ type: 'tool', name: 'emit_posts' });
    expect(sent.tools[0]!.input_schema).toBeTruthy();
    // Deterministic: the demo shows the same posts for the same brief.
    expect(await claude().generatePosts(request)).toEqual(posts);
  });

  it('OpenAI: asks for a strict json_schema and validates the answer', async () => {
    const posts = await gpt().generatePosts({ ...request, postCount: 2, slidesPerPost: 5 });
    expect(posts).toHaveLength(2);
    expect(posts[0]!.slides).toHaveLength(5);
    expect(generatedPostsSchema.parse({ posts })).toBeTruthy();
    const sent = openai.received.at(-1) as { response_format: { type: string; json_schema: { strict: boolean } } };
    expect(sent.response_format.type).toBe('json_schema');
    expect(sent.response_format.json_schema.strict).toBe(true);
  });

  it('429 rate_limit_error: waits out its retry-after, or hands it to the workflow when it is too long', async () => {
    anthropic.server.resetRateLimits();
    waits.length = 0;
    const generator = claude();
    for (let i = 0; i < 3; i++) await generator.generatePosts(request);
    // The window frees in ~60 s, more than the client waits by itself (30 s).
    const error = await caught(generator.generatePosts(request));
    expect(error).toMatchObject({ category: 'RATE_LIMITED', status: 429, code: 'rate_limit_error' });
    expect(error.retryAfterMs).toBeGreaterThan(30_000);
    expect(waits).toEqual([]);

    const patient = createAnthropicGenerator({
      apiKey: 'test-anthropic-key',
      baseUrl: anthropicUrl,
      http: { sleep: sleep(anthropic), maxRetryWaitMs: 120_000 },
    });
    expect(await patient.generatePosts(request)).toHaveLength(3);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBe(error.retryAfterMs);
  });

  it('retries 529 overloaded_error and 5xx; refuses a bad key without retrying', async () => {
    waits.length = 0;
    anthropic.server.resetRateLimits();
    anthropic.server.inject({ pathPrefix: '/v1/messages' }, { kind: 'status', status: 529 });
    expect(await claude().generatePosts(request)).toHaveLength(3);
    expect(waits).toEqual([500]);

    const wrongKey = createAnthropicGenerator({ apiKey: 'wrong-anthropic-key', baseUrl: anthropicUrl });
    const error = await caught(wrongKey.generatePosts(request));
    expect(error).toMatchObject({ category: 'REJECTED_BY_PLATFORM', status: 401, code: 'authentication_error' });
    expect(error.message).not.toContain('wrong-anthropic-key');

    openai.server.resetRateLimits();
    openai.server.inject({ pathPrefix: '/v1/chat/completions' }, { kind: 'status', status: 503 });
    expect(await gpt().generatePosts(request)).toHaveLength(3);
  });

  it('each post of a batch (one request per post, as the generate activity asks) gets its own title, the same on every run', async () => {
    // Emulators of its own, without the tight rate limit the other tests exercise.
    const roomyAnthropic = new AnthropicEmulator({ apiKeys: ['k'], requestsPerMinute: 1_000 });
    const roomyOpenAI = new OpenAIEmulator({ apiKeys: ['k'], requestsPerMinute: 1_000 });
    const generators = [
      createAnthropicGenerator({ apiKey: 'k', baseUrl: await roomyAnthropic.start() }),
      createOpenAIGenerator({ apiKey: 'k', baseUrl: await roomyOpenAI.start() }),
    ];
    const count = 7;
    const batch = (generator: (typeof generators)[number]) =>
      Promise.all(
        Array.from({ length: count }, async (_, index) => {
          const [post] = await generator.generatePosts({
            ...request,
            brief: batchPostBrief(request.brief, index, count),
            postCount: 1,
          });
          return post!;
        }),
      );
    try {
      for (const generator of generators) {
        const posts = await batch(generator);
        const titles = posts.map((post) => post.title);
        expect(new Set(titles).size).toBe(count);
        expect(new Set(posts.map((post) => post.caption)).size).toBeGreaterThan(1);
        // The brief's numbering stays out of what the posts say.
        for (const title of titles) expect(title).not.toContain('Post ');
        expect((await batch(generator)).map((post) => post.title)).toEqual(titles);
      }
    } finally {
      await roomyAnthropic.stop();
      await roomyOpenAI.stop();
    }
  });

  it('treats OpenAI insufficient_quota (a 429) as a refusal, not a wait', async () => {
    openai.server.resetRateLimits();
    waits.length = 0;
    openai.server.inject(
      { pathPrefix: '/v1/chat/completions' },
      { kind: 'status', status: 429, code: 'insufficient_quota', message: 'You exceeded your current quota' },
    );
    const error = await caught(gpt().generatePosts(request));
    expect(error).toMatchObject({ category: 'REJECTED_BY_PLATFORM', code: 'insufficient_quota' });
    expect(waits).toEqual([]);
  });

  it('rejects output that does not fit the schema as a retryable invalid_output', () => {
    const error = (() => {
      try {
        parseGeneratedPosts(
          'anthropic',
          { posts: [{ title: 'x', caption: '', hashtags: ['no-hash'], slides: [] }] },
          request,
        );
      } catch (failure) {
        return failure as PlatformError;
      }
    })();
    expect(error).toMatchObject({ category: 'TRANSIENT', code: 'invalid_output' });
  });
});
