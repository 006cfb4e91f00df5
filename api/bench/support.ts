// What the api benchmarks share: a throwaway embedded PostgreSQL with a migrated database, and
// waiting for an api started as a child process to answer.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations } from '@pressroom/db/migrations';
import type { Database } from '@pressroom/db';
import pg from 'pg';
import { databaseUrlFor, startEmbeddedPostgres } from '../../scripts/stack/postgres.js';
import { freePort } from '../../scripts/stack/ports.js';

/** The dashboard's queries: the post list (the figure), a calendar range, an analytics series. */
export const dashboardQueries = {
  'post list (50 newest, brand, slides, latest publication and metrics)': `
    query PostList($organizationId: ID!) {
      organization(id: $organizationId) {
        id
        posts(first: 50) {
          totalCount
          pageInfo { hasNextPage endCursor }
          edges {
            node {
              id title caption hashtags status format createdAt scheduledAt publishedAt
              brand { id name primaryColor }
              slides { position heading body imageUrl }
              latestPublication {
                id state platform platformUrl publishedAt attemptCount failureReason
                latestMetrics { viewCount likeCount commentCount shareCount capturedAt }
              }
            }
          }
        }
      }
    }`,
  'calendar range (a month of scheduled posts)': `
    query CalendarRange($organizationId: ID!, $from: DateTime!, $to: DateTime!) {
      organization(id: $organizationId) {
        id
        posts(first: 100, orderBy: SCHEDULED_AT, scheduledFrom: $from, scheduledTo: $to) {
          edges { node { id title status scheduledAt brand { id name } latestPublication { id state platform } } }
        }
      }
    }`,
  'analytics series (one publication, 30 snapshots)': `
    query Series($publicationId: ID!, $from: DateTime!, $to: DateTime!) {
      node(id: $publicationId) {
        ... on Publication {
          id platform
          latestMetrics { viewCount likeCount }
          metricSnapshots(from: $from, to: $to, last: 100) { capturedAt viewCount likeCount commentCount shareCount }
        }
      }
    }`,
} as const;

export type Cleanups = Array<() => Promise<unknown>>;

/**
 * Starts PostgreSQL in a new temporary folder and creates and migrates `database` on it. The
 * server's stop and the folder's removal are added to `cleanups` (run last).
 */
export async function startBenchDatabase(
  folderPrefix: string,
  database: string,
  cleanups: Cleanups,
): Promise<{ dataDir: string; databaseUrl: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), folderPrefix));
  // As root, PostgreSQL runs as the `postgres` user, which must be able to enter this folder.
  await chmod(dataDir, 0o755);
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const postgres = await startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres'), port: await freePort() });
  cleanups.push(postgres.stop);
  const admin = new pg.Client({ connectionString: postgres.serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const databaseUrl = databaseUrlFor(postgres.serverUrl, database);
  await applyMigrations(databaseUrl);
  return { dataDir, databaseUrl };
}

/** Waits (up to a minute) until the api at `baseUrl` answers /health. */
/**
 * Listens with an in-process api server on a loopback port and returns its origin; closing it
 * (its connections first) is added to `cleanups`, to run before the database stops.
 */
export async function serveInProcess(server: Server, cleanups: Cleanups): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.unshift(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function waitForApi(baseUrl: string): Promise<void> {
  for (let i = 0; ; i++) {
    const ok = await fetch(`${baseUrl}/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    if (i > 600) throw new Error('the api did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The organization the dashboard benchmarks read: an owner, a brand with a TikTok account, and
 * `posts` published posts an hour apart, each with 4 rendered slides, a publication, its video's
 * latest metrics and 30 daily metric snapshots.
 */
export async function seedDashboardOrganization(db: Database, posts: number) {
  const organization = await db.organization.create({
    data: { name: 'Load bench', slug: `load-${Date.now()}`, settings: { create: {} } },
  });
  const user = await db.user.create({ data: { email: 'owner@load.test', name: 'Owner', passwordHash: 'x' } });
  await db.membership.create({ data: { organizationId: organization.id, userId: user.id, role: 'OWNER' } });
  const brand = await db.brand.create({
    data: { organizationId: organization.id, name: 'Bench brand', slug: 'bench' },
  });
  const account = await db.socialAccount.create({
    data: {
      organizationId: organization.id,
      brandId: brand.id,
      platform: 'TIKTOK',
      platformAccountId: 'bench-open-id',
      displayName: 'Bench on TikTok',
    },
  });
  const started = Date.parse('2026-11-01T09:00:00Z');
  let somePublicationId = '';
  for (let i = 0; i < posts; i++) {
    const at = new Date(started + i * 3_600_000);
    const post = await db.post.create({
      data: {
        organizationId: organization.id,
        brandId: brand.id,
        status: 'PUBLISHED',
        title: `Five ways to plan week ${i}`,
        caption:
          `A carousel about planning, number ${i}: what to do first, what to drop, and how to keep going. `.repeat(2),
        hashtags: ['planning', 'productivity', `week${i}`],
        createdAt: at,
        scheduledAt: at,
        publishedAt: at,
      },
    });
    for (let position = 0; position < 4; position++) {
      const media = await db.media.create({
        data: {
          organizationId: organization.id,
          postId: post.id,
          kind: 'IMAGE',
          status: 'READY',
          contentType: 'image/png',
          storageKey: `posts/${post.id}/slide-${position}.png`,
        },
      });
      await db.slide.create({
        data: {
          postId: post.id,
          position,
          heading: `Step ${position + 1}`,
          body: 'Write down the three things that matter this week, and say no to one that does not.',
          mediaId: media.id,
        },
      });
    }
    const publication = await db.publication.create({
      data: {
        organizationId: organization.id,
        postId: post.id,
        socialAccountId: account.id,
        platform: 'TIKTOK',
        scheduledAt: at,
        publishedAt: at,
        state: 'PUBLISHED',
        attemptCount: 1,
        platformUrl: `https://www.tiktok.com/@bench/video/${7_000_000 + i}`,
      },
    });
    somePublicationId = publication.id;
    const video = await db.platformVideo.create({
      data: {
        organizationId: organization.id,
        socialAccountId: account.id,
        platform: 'TIKTOK',
        platformVideoId: String(7_000_000 + i),
        publicationId: publication.id,
        postedAt: at,
        viewCount: 1000n + BigInt(i),
        likeCount: 100n,
        commentCount: 10n,
        shareCount: 5n,
        metricsCapturedAt: new Date(started + posts * 3_600_000),
      },
    });
    await db.videoMetricSnapshot.createMany({
      data: Array.from({ length: 30 }, (_, day) => ({
        organizationId: organization.id,
        platformVideoId: video.id,
        capturedAt: new Date(at.getTime() + day * 86_400_000),
        viewCount: BigInt(day * 40),
        likeCount: BigInt(day * 4),
        commentCount: BigInt(day),
        shareCount: BigInt(day),
      })),
    });
  }
  return { organization, user, somePublicationId };
}
