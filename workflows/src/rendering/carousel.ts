import { createHash } from 'node:crypto';
import { Resvg } from '@resvg/resvg-js';
import satori from 'satori';
import sharp from 'sharp';
import type { ObjectStorage } from '../storage/index.js';
import { loadFontFamily, resolveFontFamily } from './fonts.js';

export interface CarouselBrand {
  name: string;
  primaryColor: string;
  secondaryColor: string;
  accentColor: string;
  fontFamily: string;
}

export interface SlideText {
  heading: string;
  body: string;
}

export interface SlideRenderOptions {
  /** TikTok photo posts take at most 1080p; 1080×1350 (4:5) also suits Instagram. */
  width?: number;
  height?: number;
  /** TikTok takes JPEG or WebP only (never PNG). */
  format?: 'jpeg' | 'webp';
  quality?: number;
  /**
   * An image (any format sharp reads) the slide is laid over: cropped to fill the slide and
   * veiled in the brand's background colour so the text keeps its contrast.
   */
  background?: Buffer;
}

export interface RenderedSlide {
  bytes: Buffer;
  width: number;
  height: number;
  format: 'jpeg' | 'webp';
  contentType: 'image/jpeg' | 'image/webp';
  sha256: string;
}

// TikTok's photo limits: neither side over 1920, the short side at most 1080, at most 20 MB.
const maxLongSide = 1920;
const maxShortSide = 1080;
const maxBytes = 20 * 1024 * 1024;

type Rgb = [number, number, number];

function parseHex(color: string): Rgb | undefined {
  const hex = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim())?.[1];
  if (!hex) return undefined;
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
  return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as Rgb;
}

function luminance([r, g, b]: Rgb): number {
  const channel = (value: number) => {
    const c = value / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

function contrast(a: Rgb, b: Rgb): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/**
 * The brand's colours, made legible: text in the secondary colour when it stands out from
 * the primary background (WCAG large-text contrast 3:1), else black or white.
 */
export function slidePalette(brand: CarouselBrand) {
  const background = parseHex(brand.primaryColor) ?? [17, 24, 39];
  const secondary = parseHex(brand.secondaryColor) ?? [249, 250, 251];
  const accent = parseHex(brand.accentColor) ?? [99, 102, 241];
  const css = (rgb: Rgb) => `rgb(${rgb.join(',')})`;
  const fallback: Rgb = luminance(background) > 0.4 ? [17, 17, 17] : [255, 255, 255];
  const text = contrast(secondary, background) >= 3 ? secondary : fallback;
  const accentOnBackground = contrast(accent, background) >= 1.5 ? accent : text;
  return { background: css(background), text: css(text), accent: css(accentOnBackground) };
}

function headingSize(text: string): number {
  if (text.length <= 24) return 104;
  if (text.length <= 48) return 88;
  if (text.length <= 90) return 70;
  return 56;
}

function bodySize(text: string): number {
  if (text.length <= 120) return 44;
  if (text.length <= 240) return 38;
  return 32;
}

type Node = { type: string; props: { style?: Record<string, unknown>; children?: Node | Node[] | string } };
const div = (style: Record<string, unknown>, children?: Node | Node[] | string): Node => ({
  type: 'div',
  props: { style: { display: 'flex', ...style }, children },
});

function slideTree(
  brand: CarouselBrand,
  slide: SlideText,
  index: number,
  total: number,
  width: number,
  height: number,
  transparent = false,
) {
  const palette = slidePalette(brand);
  const pad = Math.round(width * 0.08);
  const dots = Array.from({ length: total }, (_, i) =>
    div({
      width: i === index ? 36 : 14,
      height: 14,
      borderRadius: 7,
      marginRight: 10,
      backgroundColor: i === index ? palette.accent : palette.text,
      opacity: i === index ? 1 : 0.35,
    }),
  );
  return div(
    {
      width,
      height,
      // Padding inside the canvas size, or the text runs off the right edge.
      boxSizing: 'border-box',
      flexDirection: 'column',
      justifyContent: 'space-between',
      backgroundColor: transparent ? 'transparent' : palette.background,
      color: palette.text,
      padding: pad,
      fontFamily: resolveFontFamily(brand.fontFamily),
    },
    [
      div({ alignItems: 'center', justifyContent: 'space-between', fontSize: 30, fontWeight: 700 }, [
        div({ alignItems: 'center' }, [
          div({ width: 18, height: 18, borderRadius: 9, backgroundColor: palette.accent, marginRight: 16 }),
          div({ letterSpacing: 1 }, brand.name.toUpperCase()),
        ]),
        div({ opacity: 0.7, fontWeight: 400 }, `${index + 1} / ${total}`),
      ]),
      div({ flexDirection: 'column' }, [
        div({ width: 120, height: 12, backgroundColor: palette.accent, marginBottom: 48, borderRadius: 6 }),
        div(
          { fontSize: headingSize(slide.heading), fontWeight: 700, lineHeight: 1.08, marginBottom: 40 },
          slide.heading,
        ),
        div({ fontSize: bodySize(slide.body), fontWeight: 400, lineHeight: 1.4, opacity: 0.88 }, slide.body),
      ]),
      div({ alignItems: 'center' }, dots),
    ],
  );
}

/** Renders one slide: satori lays out the text in the brand's font, resvg rasterises, sharp encodes. */
export async function renderSlide(
  brand: CarouselBrand,
  slide: SlideText,
  position: { index: number; total: number },
  options: SlideRenderOptions = {},
): Promise<RenderedSlide> {
  const width = options.width ?? 1080;
  const height = options.height ?? 1350;
  if (Math.max(width, height) > maxLongSide || Math.min(width, height) > maxShortSide) {
    throw new Error(`a slide of ${width}×${height} is over TikTok's 1080p limit`);
  }
  const format = options.format ?? 'jpeg';
  const fonts = await loadFontFamily(resolveFontFamily(brand.fontFamily));
  const tree = slideTree(brand, slide, position.index, position.total, width, height, Boolean(options.background));
  const svg = await satori(tree as never, { width, height, fonts });
  const png = new Resvg(svg, { fitTo: { mode: 'width', value: width } }).render().asPng();
  const image = options.background ? await overBackground(png, options.background, brand, width, height) : sharp(png);
  const bytes =
    format === 'jpeg'
      ? await image.jpeg({ quality: options.quality ?? 88, mozjpeg: true }).toBuffer()
      : await image.webp({ quality: options.quality ?? 88 }).toBuffer();
  if (bytes.length > maxBytes) throw new Error(`a rendered slide is ${bytes.length} bytes, over TikTok's 20 MB`);
  return {
    bytes,
    width,
    height,
    format,
    contentType: format === 'jpeg' ? 'image/jpeg' : 'image/webp',
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

/** The text layer over the background image, with a veil of the brand's colour between them. */
async function overBackground(text: Buffer, background: Buffer, brand: CarouselBrand, width: number, height: number) {
  const veil = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="${slidePalette(brand).background}" fill-opacity="0.62"/></svg>`,
  );
  const layered = await sharp(background)
    .rotate()
    .resize(width, height, { fit: 'cover' })
    .composite([{ input: veil }, { input: text }])
    .png()
    .toBuffer();
  return sharp(layered);
}

export async function renderCarousel(
  brand: CarouselBrand,
  slides: SlideText[],
  options: SlideRenderOptions = {},
): Promise<RenderedSlide[]> {
  if (slides.length === 0 || slides.length > 35) throw new Error('a TikTok carousel holds 1 to 35 slides');
  const rendered: RenderedSlide[] = [];
  // One at a time: each slide holds a full-size bitmap, and CI has two cores.
  for (const [index, slide] of slides.entries()) {
    rendered.push(await renderSlide(brand, slide, { index, total: slides.length }, options));
  }
  return rendered;
}

export interface StoredSlide extends Omit<RenderedSlide, 'bytes'> {
  key: string;
  byteSize: number;
  /** A signed URL the platform pulls the image from (PULL_FROM_URL). */
  url: string;
}

/**
 * Renders the slides and stores them under `keyPrefix` (e.g. `org/<org>/posts/<post>`) as
 * `slide-01.jpg`, ...; the keys are stable so a retried activity overwrites, never duplicates.
 */
export async function renderAndStoreCarousel(params: {
  storage: ObjectStorage;
  keyPrefix: string;
  brand: CarouselBrand;
  slides: SlideText[];
  options?: SlideRenderOptions;
  urlExpiresInSeconds?: number;
}): Promise<StoredSlide[]> {
  const rendered = await renderCarousel(params.brand, params.slides, params.options);
  const stored: StoredSlide[] = [];
  for (const [index, slide] of rendered.entries()) {
    const extension = slide.format === 'jpeg' ? 'jpg' : 'webp';
    const key = `${params.keyPrefix}/slide-${String(index + 1).padStart(2, '0')}.${extension}`;
    await params.storage.put(key, slide.bytes, { contentType: slide.contentType });
    const { bytes, ...rest } = slide;
    stored.push({
      ...rest,
      key,
      byteSize: bytes.length,
      url: params.storage.signedUrl(key, { expiresInSeconds: params.urlExpiresInSeconds }),
    });
  }
  return stored;
}
