import type { Database } from '@pressroom/db';
import { InvalidInputError } from '../errors.js';

/** At most this many points per series: a 90-day range of 6-hourly syncs is 360. */
export const maxSeriesPoints = 1000;
export const defaultSeriesPoints = 500;

export interface SeriesRange {
  from: Date;
  to: Date;
  /** The newest `last` points of the range are returned (the chart's recent end matters most). */
  last: number;
}

/** An inverted range or a point count outside 1..maxSeriesPoints is the caller's mistake, said as such. */
export function checkRange(range: SeriesRange): void {
  const issues = [];
  if (range.from.getTime() > range.to.getTime()) issues.push({ path: 'from', message: 'must not be after `to`' });
  if (!Number.isInteger(range.last) || range.last < 1 || range.last > maxSeriesPoints) {
    issues.push({ path: 'last', message: `must be between 1 and ${maxSeriesPoints}` });
  }
  if (issues.length) throw new InvalidInputError(issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
}

/** An account's snapshots captured within the range, oldest first. */
export async function accountSnapshots(db: Database, socialAccountId: string, range: SeriesRange) {
  checkRange(range);
  const newest = await db.accountSnapshot.findMany({
    where: { socialAccountId, capturedAt: { gte: range.from, lte: range.to } },
    orderBy: [{ capturedAt: 'desc' }, { id: 'desc' }],
    take: range.last,
    select: { followerCount: true, followingCount: true, likesCount: true, videoCount: true, capturedAt: true },
  });
  return newest.reverse();
}

/**
 * A publication's metric snapshots within the range, oldest first: those of the platform video
 * a sync matched to it (the newest match, as `latestMetrics` reads).
 */
export async function publicationMetricSnapshots(db: Database, publicationId: string, range: SeriesRange) {
  checkRange(range);
  const video = await db.platformVideo.findFirst({
    where: { publicationId },
    orderBy: { metricsCapturedAt: { sort: 'desc', nulls: 'last' } },
    select: { id: true },
  });
  if (!video) return [];
  const newest = await db.videoMetricSnapshot.findMany({
    where: { platformVideoId: video.id, capturedAt: { gte: range.from, lte: range.to } },
    orderBy: [{ capturedAt: 'desc' }, { id: 'desc' }],
    take: range.last,
    select: { viewCount: true, likeCount: true, commentCount: true, shareCount: true, capturedAt: true },
  });
  return newest.reverse();
}

export interface PublishedRange {
  organizationId: string;
  /** Only publications through this brand's accounts. */
  brandId?: string | undefined;
  from: Date;
  to: Date;
}

/** Publications published within the range (and brand), as every analytics total reads them. */
function publishedWithin(range: PublishedRange) {
  return {
    organizationId: range.organizationId,
    state: 'PUBLISHED' as const,
    publishedAt: { gte: range.from, lte: range.to },
    ...(range.brandId ? { socialAccount: { brandId: range.brandId } } : {}),
  };
}

function checkPublishedRange(range: PublishedRange, first?: number) {
  const issues = [];
  if (range.from.getTime() > range.to.getTime()) issues.push({ path: 'from', message: 'must not be after `to`' });
  if (first !== undefined && (!Number.isInteger(first) || first < 1 || first > 100)) {
    issues.push({ path: 'first', message: 'must be between 1 and 100' });
  }
  if (issues.length) throw new InvalidInputError(issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
}

/**
 * The ids of the `first` publications published within the range with the most views (their
 * video's latest numbers), most viewed first; those a sync has not read yet follow, newest
 * first, so a fresh publication is still listed. Ordered in the database, not on a page.
 */
export async function topPublicationIds(db: Database, range: PublishedRange, first: number): Promise<string[]> {
  checkPublishedRange(range, first);
  const videos = await db.platformVideo.findMany({
    where: { organizationId: range.organizationId, publication: publishedWithin(range) },
    orderBy: [{ viewCount: 'desc' }, { id: 'asc' }],
    // A publication may have been matched to more than one video (a re-post); its best counts.
    take: first * 2,
    select: { publicationId: true },
  });
  const ids = [...new Set(videos.map((video) => video.publicationId!))].slice(0, first);
  if (ids.length < first) {
    const unsynced = await db.publication.findMany({
      where: { ...publishedWithin(range), platformVideos: { none: {} } },
      orderBy: [{ publishedAt: 'desc' }, { id: 'asc' }],
      take: first - ids.length,
      select: { id: true },
    });
    ids.push(...unsynced.map((publication) => publication.id));
  }
  return ids;
}

/** Sums over every publication published within the range: how many, and their latest numbers. */
export async function publicationTotals(db: Database, range: PublishedRange) {
  checkPublishedRange(range);
  const [publications, sums] = await Promise.all([
    db.publication.count({ where: publishedWithin(range) }),
    db.platformVideo.aggregate({
      where: { organizationId: range.organizationId, publication: publishedWithin(range) },
      _sum: { viewCount: true, likeCount: true, commentCount: true, shareCount: true },
    }),
  ]);
  return {
    publications,
    views: sums._sum.viewCount ?? 0n,
    likes: sums._sum.likeCount ?? 0n,
    comments: sums._sum.commentCount ?? 0n,
    shares: sums._sum.shareCount ?? 0n,
  };
}
