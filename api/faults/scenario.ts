// One fault, injected while batches generate, posts publish and syncs run, and what it left
// behind: every publication PUBLISHED or FAILED with a reason, one post on its network per
// PUBLISHED publication, every batch ended with exactly its count of posts, what a subscriber
// that stayed connected heard agreeing with what PostgreSQL went through, and /ready naming the
// dependency while it is down.
import { randomSecret, sha256 } from '../src/auth/secrets.js';
import { sessionCookie } from '../src/auth/sessions.js';
import { createPrismaClient, type Database, type Platform } from '@pressroom/db';
import { createVault, parseKeyRing, type TokenVault } from '@pressroom/db/vault';
import { Client as TemporalClient, Connection, type WorkflowHandle } from '@temporalio/client';
import pg from 'pg';
import { schedulePublication, startAccountSync } from '../../workflows/src/client.js';
import type { EmulatorInstances } from '../../scripts/stack/emulators.js';
import { packVkRefreshToken } from '../../workflows/src/platforms/vk/connect.js';
import { createLocalStorage, createUrlSigner, type ObjectStorage } from '../../workflows/src/storage/index.js';
import { seedTenant } from '../../workflows/test/helpers.js';
import {
  connectNetworkAccount,
  createCarouselPublication,
  createVideoPublication,
  type SeededAccount,
} from '../../workflows/test/support/publishing.js';
import type { FaultStack } from './stack.js';
import { subscribePublications, type Subscriber } from './subscriber.js';
import {
  checkBatches,
  checkEvents,
  createBatches,
  emptyBatchOutcome,
  eventFloor,
  type BatchOutcome,
  type HeardCheck,
} from './checks.js';

export const faults = ['postgres', 'temporal', 'worker', 'api', 'listen', 'emulator'] as const;
export type FaultName = (typeof faults)[number];

/** The /ready dependency a fault takes away (none: /ready should stay 200 on the surviving api). */
const expectedDependency: Record<FaultName, 'database' | 'temporal' | 'worker' | undefined> = {
  postgres: 'database',
  temporal: 'temporal',
  worker: 'worker',
  api: undefined,
  listen: undefined,
  emulator: undefined,
};

export interface FaultOptions {
  posts: number;
  /** How long the dependency stays down (the LISTEN fault: the window its connections are cut in). */
  holdMs: number;
  /** Longest a publication may stay unsettled once the fault is cleared. */
  settleMs: number;
  /** Syncs started with the posts. */
  syncs: number;
  /** The emulator the `emulator` fault stalls. */
  stalled: keyof EmulatorInstances;
  /** Generation batches started just before the fault, and the posts each asks for. */
  batches: number;
  batchSize: number;
  log?: (line: string) => void;
}

export interface FaultResult {
  fault: FaultName;
  posts: number;
  published: number;
  failed: number;
  /** FAILED without a failureReason. */
  failedWithoutReason: number;
  /** Neither PUBLISHED nor FAILED `settleMs` after the fault cleared. */
  stuck: number;
  /** Posts on the networks beyond one per PUBLISHED publication. */
  duplicates: number;
  /** PUBLISHED publications with no post on their network. */
  missingPosts: number;
  /**
   * Publications, posts and batches whose events the subscriber heard wrong: the final state
   * never heard, a state heard after the final one or out of lifecycle order, nothing heard for
   * one that had events committed, or more heard than were committed.
   */
  eventsMissing: number;
  /** Events heard over the subscriptions (publications, posts, batches). */
  eventsHeard: number;
  /** The generation batches and how each ended. */
  batches: BatchOutcome;
  subscriberDropped: boolean;
  /** /ready on the surviving api while the fault lasted and after: the codes in order, with what they named. */
  readySeen: string[];
  /** 503 naming the expected dependency seen while down (true when none is expected and 200 held). */
  readyOk: boolean;
  /** ms from clearing the fault until /ready answered 200 on every api. */
  readyAfterMs: number | undefined;
  /** ms from clearing the fault until the last publication settled. */
  settledAfterMs: number | undefined;
  syncsCompleted: number;
  syncsFailed: number;
  failureReasons: Record<string, number>;
  details: string[];
}

const networks: Platform[] = ['TIKTOK', 'INSTAGRAM', 'FACEBOOK', 'TELEGRAM', 'VK', 'YOUTUBE'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Tenant = Awaited<ReturnType<typeof seedTenant>>;
type Account = SeededAccount & { chatId?: number };

/** An account on each emulated network for the organization, stored as the connect flows store them. */
async function connectAccounts(db: Database, vault: TokenVault, emulators: EmulatorInstances, tenant: Tenant) {
  const accounts = new Map<Platform, Account>();
  const { tiktok, instagram, facebook, telegram, vk, youtube } = emulators;
  if (!tiktok || !instagram || !facebook || !telegram || !vk || !youtube) throw new Error('an emulator is missing');
  const tiktokUser = tiktok.createUser();
  const tiktokTokens = tiktok.issueTokens(tiktokUser.openId);
  accounts.set(
    'TIKTOK',
    await connectNetworkAccount(db, vault, {
      tenant,
      platform: 'TIKTOK',
      platformAccountId: tiktokUser.openId,
      accessToken: tiktokTokens.access_token,
      refreshToken: tiktokTokens.refresh_token,
      accessTokenExpiresAt: new Date(Date.now() + tiktokTokens.expires_in * 1000),
      scopes: tiktokTokens.scope.split(','),
    }),
  );
  const ig = instagram.issueToken();
  accounts.set(
    'INSTAGRAM',
    await connectNetworkAccount(db, vault, {
      tenant,
      platform: 'INSTAGRAM',
      platformAccountId: ig.igUserId,
      accessToken: ig.accessToken,
      refreshToken: ig.accessToken,
      accessTokenExpiresAt: new Date(Date.now() + ig.expiresIn * 1000),
    }),
  );
  const person = facebook.createUser({ pages: 1, instagram: false });
  const userToken = facebook.issueUserToken(person.id);
  const pageId = person.pageIds[0]!;
  accounts.set(
    'FACEBOOK',
    await connectNetworkAccount(db, vault, {
      tenant,
      platform: 'FACEBOOK',
      platformAccountId: pageId,
      accessToken: facebook.issuePageToken(userToken, pageId),
      refreshToken: userToken,
    }),
  );
  const channel = telegram.createChannel({ title: 'Fault harness', adminBots: [{ id: telegram.serverBotId }] });
  accounts.set('TELEGRAM', {
    ...(await connectNetworkAccount(db, vault, {
      tenant,
      platform: 'TELEGRAM',
      platformAccountId: String(channel.id),
      accessToken: telegram.botToken,
    })),
    chatId: channel.id,
  });
  const member = vk.createUser({ groups: 1 });
  const vkTokens = vk.issueTokens(member.id);
  accounts.set(
    'VK',
    await connectNetworkAccount(db, vault, {
      tenant,
      platform: 'VK',
      platformAccountId: String(member.groupIds[0]!),
      accessToken: vkTokens.access_token,
      refreshToken: packVkRefreshToken(vkTokens.deviceId, vkTokens.refresh_token),
      accessTokenExpiresAt: new Date(Date.now() + vkTokens.expires_in * 1000),
    }),
  );
  const yt = youtube.issueToken();
  accounts.set(
    'YOUTUBE',
    await connectNetworkAccount(db, vault, {
      tenant,
      platform: 'YOUTUBE',
      platformAccountId: yt.channelId,
      accessToken: yt.accessToken,
      refreshToken: yt.refreshToken,
      accessTokenExpiresAt: new Date(Date.now() + yt.expiresIn * 1000),
    }),
  );
  return accounts;
}

/** Posts each network holds for the account: what the platform shows its audience. */
function postsOn(
  emulators: EmulatorInstances,
  platform: Platform,
  account: SeededAccount & { chatId?: number },
): number {
  switch (platform) {
    case 'TIKTOK':
      // A post counts once its media arrived (upload or pull finished) and it did not fail.
      return emulators
        .tiktok!.listPosts()
        .filter((post) => post.openId === account.openId && !post.failReason && (post.videoId || post.readyAt)).length;
    case 'INSTAGRAM':
      return emulators.instagram!.media.filter((item) => item.igUserId === account.openId).length;
    case 'FACEBOOK':
      return emulators.facebook!.posts.filter((post) => post.pageId === account.openId).length;
    case 'TELEGRAM':
      // A media group is several messages and one post.
      return new Set(
        emulators.telegram!.messagesIn(account.chatId!).map((message) => message.mediaGroupId ?? message.message_id),
      ).size;
    case 'VK':
      return emulators.vk!.posts.filter((post) => post.groupId === Number(account.openId)).length;
    case 'YOUTUBE':
      return emulators.youtube!.videosOf(account.openId).length;
    default:
      return 0;
  }
}

async function readyOnce(url: string): Promise<string> {
  try {
    const response = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(5_000) });
    const body = (await response.json()) as Record<string, { ok?: boolean }>;
    const failing = ['database', 'temporal', 'worker'].filter((name) => body[name]?.ok === false);
    return failing.length ? `${response.status}[${failing.join(',')}]` : String(response.status);
  } catch {
    return 'no answer';
  }
}

/** Which publications a 'publication.changed' event should end on, from PostgreSQL. */
async function finalStates(db: Database, ids: string[]) {
  return db.publication.findMany({
    where: { id: { in: ids } },
    select: { id: true, state: true, platform: true, failureReason: true, socialAccountId: true },
  });
}

export async function runFault(stack: FaultStack, fault: FaultName, options: FaultOptions): Promise<FaultResult> {
  const say = options.log ?? (() => {});
  const db = createPrismaClient({ databaseUrl: stack.databaseUrl });
  const temporal = new TemporalClient({ connection: await Connection.connect({ address: stack.temporalAddress }) });
  const vault = createVault(parseKeyRing(stack.env.PRESSROOM_TOKEN_KEYS!));
  const storage: ObjectStorage = createLocalStorage({
    root: stack.env.PRESSROOM_MEDIA_DIR!,
    signer: createUrlSigner({
      baseUrl: stack.env.PRESSROOM_MEDIA_BASE_URL!,
      secret: stack.env.PRESSROOM_MEDIA_SECRET!,
    }),
  });
  const emulators = stack.emulators.instances;
  let subscriber: Subscriber | undefined;
  const details: string[] = [];
  try {
    // ── a fresh organization: two accounts on every network (each network paces its posts per
    // account: TikTok lets one account start 6 a minute), a subscriber on the api that survives ──
    const tenant = await seedTenant(db);
    const sets = [
      await connectAccounts(db, vault, emulators, tenant),
      await connectAccounts(db, vault, emulators, tenant),
    ];
    const accounts: Array<[Platform, Account]> = sets.flatMap((set) => [...set]);
    const secret = randomSecret();
    const expiresAt = new Date(Date.now() + 3_600_000);
    await db.session.create({ data: { userId: tenant.userId, tokenHash: sha256(secret), expiresAt } });
    const cookie = sessionCookie(
      { SESSION_SECRET: stack.env.SESSION_SECRET!, SESSION_TTL_HOURS: 1, COOKIE_SECURE: true },
      secret,
      expiresAt,
    ).split(';')[0]!;
    subscriber = await subscribePublications(
      `${stack.apiUrls[1].replace('http', 'ws')}/graphql`,
      cookie,
      tenant.organizationId,
    );
    await subscriber.watchPosts(tenant.brandId);
    const floor = await eventFloor(db);

    // ── posts across the networks (one YouTube upload a round: its quota is 6 a day) ──
    const ids: string[] = [];
    const others = networks.length - 1;
    for (let index = 0; index < options.posts; index++) {
      const platform = index === 0 ? 'YOUTUBE' : networks[index % others]!;
      const account = sets[Math.floor(index / others) % sets.length]!.get(platform)!;
      const publication =
        platform === 'YOUTUBE'
          ? await createVideoPublication(db, storage, account, { bytes: 300_000, platform })
          : await createCarouselPublication(db, storage, account, { platform, slides: 2 });
      ids.push(publication.id);
    }
    const startedAt = Date.now();
    await Promise.all(ids.map((id) => schedulePublication(temporal, id)));
    const syncs: Array<WorkflowHandle> = [];
    for (const [, account] of accounts.slice(0, options.syncs)) {
      syncs.push(await startAccountSync(temporal, account.socialAccountId));
    }
    say(`${fault}: ${ids.length} publications scheduled, ${syncs.length} syncs started`);

    // ── the fault, once publishing is under way ──
    for (let waited = 0; waited < 15_000; waited += 250) {
      const moving = await db.publication.count({ where: { id: { in: ids }, state: { not: 'SCHEDULED' } } });
      if (moving >= Math.max(1, Math.floor(ids.length / 5))) break;
      await sleep(250);
    }
    // ── batches generating as the fault comes (created by the api that survives) ──
    const batchIds = await createBatches(db, stack.apiUrls[1], cookie, tenant, options);
    for (const batchId of batchIds) await subscriber.watchBatch(batchId);
    const batchFloor = await eventFloor(db);
    if (batchIds.length) say(`${fault}: ${batchIds.length} batches of ${options.batchSize} posts generating`);
    const readySeen: string[] = [];
    let watching = true;
    const clear: { at?: number } = {};
    let readyAfterMs: number | undefined;
    // /ready on the surviving api throughout; once the fault is cleared, also when both answer 200.
    const watchReady = (async () => {
      while (watching) {
        const [first, seen] = await Promise.all(stack.apiUrls.map(readyOnce));
        if (readySeen.at(-1) !== seen) readySeen.push(seen!);
        if (clear.at !== undefined && readyAfterMs === undefined && first === '200' && seen === '200') {
          readyAfterMs = Date.now() - clear.at;
        }
        await sleep(500);
      }
    })();
    const injectedAt = Date.now();
    say(`${fault}: injected ${((injectedAt - startedAt) / 1000).toFixed(1)} s after scheduling`);
    if (fault === 'postgres') {
      const crashed = await stack.crashPostgres();
      details.push(`PostgreSQL crashed: postmaster ${crashed.postmaster} and ${crashed.children} children SIGKILLed`);
    }
    if (fault === 'temporal') await stack.stopTemporal();
    if (fault === 'worker') await stack.kill('worker');
    if (fault === 'api') await stack.kill('api-0');
    if (fault === 'emulator') emulators[options.stalled]!.server.stall();
    if (fault === 'listen') {
      // Every api's LISTEN connection cut, twice over the window.
      for (let cut = 0; cut < 2; cut++) {
        const admin = new pg.Client({ connectionString: stack.databaseUrl });
        await admin.connect();
        const { rowCount } = await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'pressroom-events'`,
        );
        await admin.end();
        details.push(`LISTEN connections cut: ${rowCount}`);
        await sleep(options.holdMs / 2);
      }
    } else {
      await sleep(options.holdMs);
    }
    // ── cleared ──
    if (fault === 'postgres') await stack.startPostgres();
    if (fault === 'temporal') await stack.startTemporal();
    if (fault === 'worker') await stack.start('worker');
    if (fault === 'api') await stack.start('api-0');
    if (fault === 'emulator') emulators[options.stalled]!.server.resume();
    const cleared = (clear.at = Date.now());
    say(`${fault}: cleared after ${((cleared - injectedAt) / 1000).toFixed(1)} s`);

    // ── every batch ends and every publication settles (or is stuck), each timed on its own ──
    const batchesEnded = batchIds.length
      ? checkBatches(db, batchIds, options.batchSize, cleared, cleared + options.settleMs)
      : Promise.resolve(emptyBatchOutcome());
    let settledAfterMs: number | undefined;
    let states = [] as Awaited<ReturnType<typeof finalStates>>;
    while (Date.now() - cleared < options.settleMs) {
      states = await finalStates(db, ids).catch(() => states);
      if (states.length === ids.length && states.every((p) => p.state === 'PUBLISHED' || p.state === 'FAILED')) {
        settledAfterMs = Date.now() - cleared;
        break;
      }
      await sleep(500);
    }
    const batches = await batchesEnded;
    for (let waited = 0; readyAfterMs === undefined && waited < 60_000; waited += 500) await sleep(500);
    watching = false;
    await watchReady;

    // ── events: what the subscriber heard against what PostgreSQL went through (a little slack for delivery) ──
    states = await finalStates(db, ids);
    const scope = { organizationId: tenant.organizationId, publicationIds: ids, floor, batchIds, batchFloor };
    let heard: HeardCheck = await checkEvents(db, subscriber, scope);
    for (let waited = 0; heard.wrong > 0 && waited < 10_000; waited += 500) {
      await sleep(500);
      heard = await checkEvents(db, subscriber, scope);
    }

    // ── syncs end, one way or the other ──
    let syncsCompleted = 0;
    let syncsFailed = 0;
    await Promise.all(
      syncs.map(async (handle) => {
        const outcome = await Promise.race([
          handle.result().then(
            () => 'completed',
            () => 'failed',
          ),
          sleep(60_000).then(() => 'running'),
        ]);
        if (outcome === 'completed') syncsCompleted++;
        else syncsFailed++;
        if (outcome !== 'completed') details.push(`sync ${handle.workflowId}: ${outcome}`);
      }),
    );

    // ── what the networks hold ──
    let duplicates = 0;
    let missingPosts = 0;
    for (const [platform, account] of accounts) {
      const own = states.filter((p) => p.socialAccountId === account.socialAccountId);
      const published = own.filter((p) => p.state === 'PUBLISHED');
      // A publication still unsettled (counted as stuck) may have its post already.
      const unsettled = own.filter((p) => p.state !== 'PUBLISHED' && p.state !== 'FAILED').length;
      const held = postsOn(emulators, platform, account);
      if (held > published.length + unsettled) {
        duplicates += held - published.length - unsettled;
        details.push(`${platform}: ${held} posts for ${published.length} PUBLISHED`);
      }
      if (held < published.length) {
        missingPosts += published.length - held;
        details.push(`${platform}: ${held} posts for ${published.length} PUBLISHED`);
      }
    }
    const failureReasons: Record<string, number> = {};
    for (const p of states.filter((p) => p.state === 'FAILED')) {
      const key = `${p.platform}: ${(p.failureReason ?? '(none)').slice(0, 80)}`;
      failureReasons[key] = (failureReasons[key] ?? 0) + 1;
    }
    for (const line of batches.details.filter((line) => line.startsWith('batch post failed: '))) {
      const key = `batch post: ${line.slice('batch post failed: '.length, 'batch post failed: '.length + 80)}`;
      failureReasons[key] = (failureReasons[key] ?? 0) + 1;
    }
    const stuck = states.filter((p) => p.state !== 'PUBLISHED' && p.state !== 'FAILED');
    for (const p of stuck) details.push(`stuck: ${p.id} ${p.platform} ${p.state}`);
    for (const problem of heard.problems.slice(0, 20)) details.push(`events: ${problem}`);
    if (heard.problems.length > 20) details.push(`events: ${heard.problems.length - 20} more`);
    details.push(...batches.details.filter((line) => !line.startsWith('batch post failed')));
    if (subscriber.errors.length) details.push(`subscriber errors: ${subscriber.errors.slice(0, 3).join(' | ')}`);
    const expected = expectedDependency[fault];
    const readyOk = expected
      ? readySeen.some((seen) => seen.startsWith('503') && seen.includes(expected)) && readyAfterMs !== undefined
      : readySeen.every((seen) => seen === '200');
    return {
      fault,
      posts: ids.length,
      published: states.filter((p) => p.state === 'PUBLISHED').length,
      failed: states.filter((p) => p.state === 'FAILED').length,
      failedWithoutReason: states.filter((p) => p.state === 'FAILED' && !p.failureReason).length,
      stuck: stuck.length,
      duplicates,
      missingPosts,
      eventsMissing: heard.wrong,
      eventsHeard: heard.heard,
      batches,
      subscriberDropped: subscriber.dropped,
      readySeen,
      readyOk,
      readyAfterMs,
      settledAfterMs,
      syncsCompleted,
      syncsFailed,
      failureReasons,
      details,
    };
  } finally {
    await subscriber?.close().catch(() => {});
    await temporal.connection.close().catch(() => {});
    await db.$disconnect().catch(() => {});
  }
}

/** Whether a fault's result meets the acceptance (see the README). */
export function passed(result: FaultResult): boolean {
  return (
    result.stuck === 0 &&
    result.failedWithoutReason === 0 &&
    result.batches.stuck === 0 &&
    result.batches.duplicates === 0 &&
    result.batches.missing === 0 &&
    result.batches.inconsistent === 0 &&
    result.duplicates === 0 &&
    result.missingPosts === 0 &&
    (result.eventsMissing === 0 || result.subscriberDropped) &&
    result.readyOk
  );
}
