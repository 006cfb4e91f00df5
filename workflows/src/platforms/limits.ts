import type { Platform, PostFormat } from '@pressroom/db';

/**
 * What each network takes, in one table: checked by the api when a post is scheduled (every
 * violation refused up front, naming the network and the limit) and relied on by the
 * publishers. Figures are the networks' documented limits for the endpoints we use.
 */
export interface NetworkLimits {
  label: string;
  /** The post formats published here: a SCRIPT goes out as its rendered video, an ARTICLE only to the blog. */
  formats: readonly PostFormat[];
  /** Characters of the text sent (caption with its hashtags). */
  captionMax: number;
  /** A post with media has a shorter caption on some networks (Telegram: 1024). */
  mediaCaptionMax?: number;
  titleMax?: number;
  /** A title is required (YouTube). */
  titleRequired?: boolean;
  hashtagsMax: number;
  /** Images in one post (a carousel / media group); min is for a multi-image post. */
  imagesMax: number;
  imageTypes: string[];
  imageBytesMax: number;
  /** Width / height allowed for images. */
  imageAspect?: { min: number; max: number };
  /** The network only takes video (YouTube): a post without one is refused. */
  videoOnly?: boolean;
  /** Video posts are not published to this network (VK: wall posts with photos only). */
  noVideo?: boolean;
  /** Text alone is a post (Telegram, Facebook, VK). */
  textOnly?: boolean;
  videoTypes: string[];
  videoBytesMax: number;
  videoSecondsMin?: number;
  videoSecondsMax: number;
  videoAspect?: { min: number; max: number };
}

const socialFormats: readonly PostFormat[] = ['CAROUSEL', 'VIDEO', 'SCRIPT', 'TEXT'];

export const networkLimits: Record<Platform, NetworkLimits> = {
  TIKTOK: {
    label: 'TikTok',
    formats: socialFormats,
    captionMax: 2200,
    titleMax: 90,
    hashtagsMax: 30,
    imagesMax: 35,
    imageTypes: ['image/jpeg', 'image/webp'],
    imageBytesMax: 20 * 1024 * 1024,
    videoTypes: ['video/mp4', 'video/quicktime', 'video/webm'],
    videoBytesMax: 4 * 1024 * 1024 * 1024,
    videoSecondsMin: 3,
    videoSecondsMax: 600,
  },
  INSTAGRAM: {
    label: 'Instagram',
    formats: socialFormats,
    captionMax: 2200,
    hashtagsMax: 30,
    imagesMax: 10,
    imageTypes: ['image/jpeg'],
    imageBytesMax: 8 * 1024 * 1024,
    // 4:5 portrait to 1.91:1 landscape.
    imageAspect: { min: 0.8, max: 1.91 },
    videoTypes: ['video/mp4', 'video/quicktime'],
    videoBytesMax: 1024 * 1024 * 1024,
    videoSecondsMin: 3,
    videoSecondsMax: 900,
    videoAspect: { min: 0.01, max: 10 },
  },
  YOUTUBE: {
    label: 'YouTube',
    formats: socialFormats,
    // The description: 5000 characters.
    captionMax: 5000,
    titleMax: 100,
    titleRequired: true,
    // Past 15 hashtags YouTube ignores them all.
    hashtagsMax: 15,
    imagesMax: 0,
    imageTypes: [],
    imageBytesMax: 0,
    videoOnly: true,
    videoTypes: ['video/mp4', 'video/quicktime', 'video/webm', 'video/x-msvideo'],
    videoBytesMax: 256 * 1024 * 1024 * 1024,
    videoSecondsMax: 12 * 3600,
  },
  TELEGRAM: {
    label: 'Telegram',
    formats: socialFormats,
    captionMax: 4096,
    mediaCaptionMax: 1024,
    hashtagsMax: 50,
    imagesMax: 10,
    textOnly: true,
    imageTypes: ['image/jpeg', 'image/png', 'image/webp'],
    // Sent by URL: photos up to 5 MB, other files up to 20 MB.
    imageBytesMax: 5 * 1024 * 1024,
    imageAspect: { min: 1 / 20, max: 20 },
    videoTypes: ['video/mp4'],
    videoBytesMax: 20 * 1024 * 1024,
    videoSecondsMax: 24 * 3600,
  },
  FACEBOOK: {
    label: 'Facebook',
    formats: socialFormats,
    captionMax: 63206,
    hashtagsMax: 30,
    imagesMax: 10,
    textOnly: true,
    imageTypes: ['image/jpeg', 'image/png', 'image/webp'],
    imageBytesMax: 10 * 1024 * 1024,
    videoTypes: ['video/mp4', 'video/quicktime'],
    videoBytesMax: 10 * 1024 * 1024 * 1024,
    videoSecondsMax: 240 * 60,
  },
  VK: {
    label: 'VK',
    formats: socialFormats,
    noVideo: true,
    captionMax: 16384,
    hashtagsMax: 10,
    imagesMax: 10,
    textOnly: true,
    imageTypes: ['image/jpeg', 'image/png', 'image/gif'],
    imageBytesMax: 50 * 1024 * 1024,
    videoTypes: ['video/mp4'],
    videoBytesMax: 5 * 1024 * 1024 * 1024,
    videoSecondsMax: 12 * 3600,
  },
  BLOG: {
    label: 'Blog',
    // The brand's own blog publishes articles, whose Markdown has its own rules (Article.seo).
    formats: ['ARTICLE'],
    captionMax: Number.MAX_SAFE_INTEGER,
    hashtagsMax: Number.MAX_SAFE_INTEGER,
    imagesMax: 0,
    imageTypes: [],
    imageBytesMax: 0,
    videoTypes: [],
    videoBytesMax: 0,
    videoSecondsMax: 0,
  },
};

export type LimitName =
  | 'FORMAT'
  | 'CAPTION_LENGTH'
  | 'TITLE_LENGTH'
  | 'TITLE_REQUIRED'
  | 'HASHTAG_COUNT'
  | 'MEDIA_COUNT'
  | 'MEDIA_TYPE'
  | 'ASPECT_RATIO'
  | 'DURATION'
  | 'FILE_SIZE'
  | 'VIDEO_REQUIRED';

/** One limit a post breaks on one network. */
export interface LimitViolation {
  platform: Platform;
  limit: LimitName;
  message: string;
}

/** A post's text for one network: its version where it has one, else the post's own. */
export interface NetworkVersion {
  caption: string;
  hashtags: string[];
  title: string;
  /** Caption and hashtags as one text, the way it is sent. */
  text: string;
  /** Facebook: the address a link post shares. */
  link?: string;
}

export function textOf(caption: string, hashtags: string[]): string {
  const tags = hashtags.map((tag) => (tag.startsWith('#') ? tag : `#${tag}`)).join(' ');
  return [caption.trim(), tags].filter(Boolean).join(' ');
}

export function networkVersionOf(
  post: {
    caption: string;
    hashtags: string[];
    title: string;
    versions?: Array<{
      platform: Platform;
      caption: string | null;
      title: string | null;
      hashtags: string[];
      hashtagsSet: boolean;
      link?: string | null;
    }>;
  },
  platform: Platform,
): NetworkVersion {
  const version = post.versions?.find((candidate) => candidate.platform === platform);
  const caption = version?.caption ?? post.caption;
  const hashtags = version?.hashtagsSet ? version.hashtags : post.hashtags;
  const title = version?.title ?? post.title;
  // Only Facebook publishes a link (a link post); the api refuses one on any other network.
  const link = platform === 'FACEBOOK' && version?.link ? version.link : undefined;
  return { caption, hashtags, title, text: textOf(caption, hashtags), ...(link ? { link } : {}) };
}

export interface MediaFacts {
  contentType: string;
  byteSize: number;
  width: number | null;
  height: number | null;
  durationMs: number | null;
}

/**
 * Every limit the post breaks on `platform` (empty when it fits). `images` are the post's
 * rendered slides, `video` its video if it has one; a VIDEO post (and a SCRIPT, as its rendered
 * video) goes as its video, any other as its images (or as text where the network takes text
 * alone). A format the network does not take is the one violation reported (FORMAT).
 */
export function checkNetworkLimits(
  platform: Platform,
  post: { format: string; version: NetworkVersion; images: MediaFacts[]; video: MediaFacts | null },
): LimitViolation[] {
  const limits = networkLimits[platform];
  const out: LimitViolation[] = [];
  const add = (limit: LimitName, message: string) =>
    out.push({ platform, limit, message: `${limits.label}: ${message}` });
  if (!limits.formats.includes(post.format as PostFormat)) {
    add('FORMAT', `${post.format} posts are not published here (it takes ${limits.formats.join(', ')})`);
    return out;
  }
  // An article's only target is the blog, which takes it whole: nothing below applies.
  if (post.format === 'ARTICLE') return out;
  const { version } = post;
  // A script is published as the vertical video it was rendered to.
  const asVideo = post.format === 'VIDEO' || post.format === 'SCRIPT' || limits.videoOnly === true;
  const video = asVideo ? post.video : null;
  const images = asVideo ? [] : post.images;

  const hasMedia = images.length > 0 || video !== null;
  const captionMax = hasMedia && limits.mediaCaptionMax ? limits.mediaCaptionMax : limits.captionMax;
  if (version.text.length > captionMax) {
    add('CAPTION_LENGTH', `the caption with its hashtags is ${version.text.length} characters, at most ${captionMax}`);
  }
  if (version.hashtags.length > limits.hashtagsMax) {
    add('HASHTAG_COUNT', `${version.hashtags.length} hashtags, at most ${limits.hashtagsMax}`);
  }
  if (limits.titleRequired && !version.title.trim()) add('TITLE_REQUIRED', 'a title is required');
  if (limits.titleMax !== undefined && platform !== 'TIKTOK' && version.title.length > limits.titleMax) {
    add('TITLE_LENGTH', `the title is ${version.title.length} characters, at most ${limits.titleMax}`);
  }

  if (version.link && hasMedia) {
    // Graph shares a link as a post of its own: it cannot carry photos or a video besides.
    add(
      'MEDIA_COUNT',
      `a link post carries no photos or video; the post has ${video ? 'a video' : `${images.length} images`}`,
    );
  }
  if (version.link && !/^https?:\/\/[^\s]+$/i.test(version.link)) {
    add('MEDIA_TYPE', 'the link must be an http or https address');
  }

  if (asVideo && limits.noVideo) {
    add('MEDIA_TYPE', 'video posts are not published here, only text and photos');
    return out;
  }
  if (asVideo) {
    if (!video) {
      add(
        'VIDEO_REQUIRED',
        `${limits.videoOnly ? 'takes only video' : 'a video post needs a video'}; the post has none`,
      );
      return out;
    }
    if (!limits.videoTypes.includes(video.contentType)) {
      add('MEDIA_TYPE', `${video.contentType} video is not taken (${limits.videoTypes.join(', ')})`);
    }
    if (video.byteSize > limits.videoBytesMax) {
      add('FILE_SIZE', `the video is ${mb(video.byteSize)}, at most ${mb(limits.videoBytesMax)}`);
    }
    if (video.durationMs !== null) {
      const seconds = video.durationMs / 1000;
      if (seconds > limits.videoSecondsMax || seconds < (limits.videoSecondsMin ?? 0)) {
        add(
          'DURATION',
          `the video is ${seconds.toFixed(1)} s long, allowed ${limits.videoSecondsMin ?? 0}–${limits.videoSecondsMax} s`,
        );
      }
    }
    if (limits.videoAspect && video.width && video.height) {
      const ratio = video.width / video.height;
      if (ratio < limits.videoAspect.min || ratio > limits.videoAspect.max) {
        add('ASPECT_RATIO', `the video's aspect ratio ${ratio.toFixed(2)} is outside ${range(limits.videoAspect)}`);
      }
    }
    return out;
  }

  if (images.length === 0 && !limits.textOnly) {
    add('MEDIA_COUNT', 'needs at least one image; the post has none');
  }
  if (images.length > limits.imagesMax) {
    add('MEDIA_COUNT', `${images.length} images, at most ${limits.imagesMax}`);
  }
  images.forEach((image, index) => {
    const which = `image ${index + 1}`;
    if (!limits.imageTypes.includes(image.contentType)) {
      add('MEDIA_TYPE', `${which} is ${image.contentType}, allowed ${limits.imageTypes.join(', ')}`);
    }
    if (image.byteSize > limits.imageBytesMax) {
      add('FILE_SIZE', `${which} is ${mb(image.byteSize)}, at most ${mb(limits.imageBytesMax)}`);
    }
    if (limits.imageAspect && image.width && image.height) {
      const ratio = image.width / image.height;
      if (ratio < limits.imageAspect.min - 0.005 || ratio > limits.imageAspect.max + 0.005) {
        add('ASPECT_RATIO', `${which}'s aspect ratio ${ratio.toFixed(2)} is outside ${range(limits.imageAspect)}`);
      }
    }
  });
  return out;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const range = (aspect: { min: number; max: number }) => `${aspect.min.toFixed(2)}–${aspect.max.toFixed(2)}`;
