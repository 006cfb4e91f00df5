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
