import { imageDimensions, type ImageGenerator } from '../ai/images.js';
import { PlatformError } from '../errors.js';
import { createHttpClient, jsonBody } from '../http.js';
import { classifyOpenAIResponse, type OpenAIClientOptions } from './client.js';

interface ImagesResponse {
  created: number;
  data: Array<{ b64_json?: string; url?: string; revised_prompt?: string }>;
}

const platform = 'openai';

/** OpenAI's images API (`POST /v1/images/generations`), asking for the image inline as base64. */
export function createOpenAIImageGenerator(options: OpenAIClientOptions & { imageModel?: string }): ImageGenerator {
  // An image takes longer than text: a minute is common for high quality.
  const http = createHttpClient({ timeoutMs: 180_000, ...options.http, platform, classify: classifyOpenAIResponse });
  const url = new URL('/v1/images/generations', options.baseUrl ?? 'https://api.openai.com').toString();
  return {
    provider: platform,
    async generateImage(request) {
      const model = request.model ?? options.imageModel ?? 'dall-e-3';
      const payload = jsonBody({
        model,
        prompt: request.prompt,
        n: 1,
        size: request.size,
        ...(request.style ? { style: request.style } : {}),
        ...(request.quality ? { quality: request.quality } : {}),
        // gpt-image models always answer base64 and refuse the parameter; dall-e models need it.
        ...(model.startsWith('gpt-image') ? {} : { response_format: 'b64_json' }),
      });
      const response = await http.send({
        operation: 'images/generations',
        method: 'POST',
        url,
        // Making an image again costs money but changes nothing elsewhere.
        idempotent: true,
        headers: { ...payload.headers, authorization: `Bearer ${options.apiKey}` },
        body: payload.body,
      });
      const image = response.json<ImagesResponse>().data[0];
      if (!image?.b64_json) {
        throw new PlatformError('the images API answered without a base64 image', {
          category: 'TRANSIENT',
          platform,
          operation: 'images/generations',
          code: 'invalid_output',
        });
      }
      const bytes = Buffer.from(image.b64_json, 'base64');
      return {
        bytes,
        contentType: 'image/png',
        ...(pngDimensions(bytes) ?? imageDimensions(request.size)),
        model,
        ...(image.revised_prompt ? { revisedPrompt: image.revised_prompt } : {}),
      };
    },
  };
}

/** Width and height from a PNG's IHDR chunk, which always comes first. */
function pngDimensions(bytes: Buffer): { width: number; height: number } | undefined {
  if (bytes.length < 24 || bytes.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}
