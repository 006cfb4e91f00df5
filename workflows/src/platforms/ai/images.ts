/** Sizes OpenAI's images API takes for its current models: square, portrait, landscape. */
export const imageSizes = ['1024x1024', '1024x1536', '1536x1024'] as const;
export type ImageSize = (typeof imageSizes)[number];

export interface ImageSettings {
  /** The organization's image model (OrganizationSettings.aiImageModel); unset, the generator's own. */
  model?: string;
  size: ImageSize;
  /** dall-e-3's `style` (vivid or natural); sent only when set. */
  style?: 'vivid' | 'natural';
  quality?: 'low' | 'medium' | 'high' | 'standard' | 'hd';
}

export interface ImageRequest extends ImageSettings {
  prompt: string;
}

export interface GeneratedImage {
  bytes: Buffer;
  contentType: 'image/png';
  width: number;
  height: number;
  /** The model that made it, as the provider named it. */
  model: string;
  /** The prompt as the provider rewrote it, when it says. */
  revisedPrompt?: string;
}

/** What the content activities call to make an image; one implementation per wire format. */
export interface ImageGenerator {
  readonly provider: string;
  generateImage(request: ImageRequest): Promise<GeneratedImage>;
}

/**
 * The prompt sent for an image: what to show, then the brand's image style, so every image
 * of a brand shares a look whatever the post asks for.
 */
export function imagePrompt(subject: string, brand: { name: string; imageStyle: string }): string {
  const style = brand.imageStyle.trim();
  const base = `${subject.trim()}. An image for ${brand.name}; no text, letters or logos in the image.`;
  return style ? `${base} Style: ${style}` : base;
}

export function imageDimensions(size: ImageSize): { width: number; height: number } {
  const [width, height] = size.split('x').map(Number) as [number, number];
  return { width, height };
}
