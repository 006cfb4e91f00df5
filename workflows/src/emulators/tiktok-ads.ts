import { createHash, randomBytes } from 'node:crypto';
import { EmulatorClock, EmulatorServer, type EmulatorRequest, type EmulatorResponse } from './core.js';

// The TikTok Marketing API emulator (Business API v1.3): the TikTok for Business OAuth
// (portal consent → auth_code, single use → long-term access token; the authorized
// advertisers), the inventory reads (business centers, advertisers, identities, pixels,
// catalogs, audiences, campaigns, ad groups, ads) paged by page/page_size, and
// report/integrated/get with daily facts that are revised for the most recent days. Every
// answer is HTTP 200 with {code, message, request_id, data}; the token travels in an
// `Access-Token` header. Wire format as in shared/PLATFORMS.md.

export interface TikTokAdsEmulatorOptions {
  clock?: EmulatorClock;
  appId?: string;
  secret?: string;
  /** Calls per second per app (40100 past it). */
  appRequestsPerSecond?: number;
  /** Calls per second per advertiser (40133 past it). */
  advertiserRequestsPerSecond?: number;
  /** Largest page_size any list accepts (1000). */
  maxPageSize?: number;
  /** Most ids one call may name (40011 past it). */
  maxIdsPerCall?: number;
  /** Days before "today" whose facts are still revised upwards (today is day 0). */
  revisionDays?: number;
  /** How long an auth_code may be exchanged (TikTok: 1 hour). */
  authCodeTtlSeconds?: number;
}

export type AdsOperationStatus = 'ENABLE' | 'DISABLE' | 'DELETE';

export interface EmulatedBusinessCenter {
  bcId: string;
  name: string;
  currency: string;
  timezone: string;
}

export interface EmulatedAdvertiser {
  advertiserId: string;
  name: string;
  bcId: string;
  status: string;
  currency: string;
  timezone: string;
  ownerUserId: string;
}

export interface EmulatedCampaign {
  campaignId: string;
  advertiserId: string;
  name: string;
  objectiveType: string;
  budgetMode: 'BUDGET_MODE_DAY' | 'BUDGET_MODE_TOTAL' | 'BUDGET_MODE_INFINITE';
  budget: number;
  operationStatus: AdsOperationStatus;
  createTime: number;
}

export interface EmulatedAdGroup {
  adgroupId: string;
  campaignId: string;
  advertiserId: string;
  name: string;
  budgetMode: 'BUDGET_MODE_DAY' | 'BUDGET_MODE_TOTAL' | 'BUDGET_MODE_INFINITE';
  budget: number;
  operationStatus: AdsOperationStatus;
  createTime: number;
}

export interface EmulatedAd {
  adId: string;
  adgroupId: string;
  campaignId: string;
  advertiserId: string;
  name: string;
  operationStatus: AdsOperationStatus;
  /** What review said: AD_STATUS_DELIVERY_OK, AD_STATUS_REJECT ... */
  secondaryStatus: string;
  createTime: number;
}

export interface EmulatedAdsAsset {
  id: string;
  name: string;
  kind: 'identity' | 'pixel' | 'catalog' | 'audience';
  /** The advertiser (identities, pixels, audiences) or business center (catalogs) it belongs to. */
  ownerId: string;
}

/** One line of the request log: what was asked and what the API answered. */
export interface TikTokAdsLogEntry {
  at: number;
  method: string;
  path: string;
  requestId: string;
  code: number;
  advertiserId?: string;
  /** A POST's JSON body, as sent (bulk jobs check it for items applied twice). */
  body?: unknown;
}

/** The metrics report/integrated/get knows, in the order the emulator computes them. */
export const tiktokAdsCountMetrics = [
  'spend',
  'impressions',
  'clicks',
  'reach',
  'conversion',
  'video_play_actions',
  'video_views_p25',
  'video_views_p50',
  'video_views_p75',
  'video_views_p100',
  'likes',
  'comments',
  'shares',
  'follows',
] as const;
export const tiktokAdsRatioMetrics = ['ctr', 'cpc', 'cpm', 'cost_per_conversion', 'frequency'] as const;
export type TikTokAdsCountMetric = (typeof tiktokAdsCountMetrics)[number];
export type TikTokAdsMetric = TikTokAdsCountMetric | (typeof tiktokAdsRatioMetrics)[number];

/** One day's counts; spend in cents (minor units of the advertiser's currency). */
export type DailyCounts = Record<TikTokAdsCountMetric, number>;

export type TikTokAdsDataLevel = 'AUCTION_ADVERTISER' | 'AUCTION_CAMPAIGN' | 'AUCTION_ADGROUP' | 'AUCTION_AD';

const levelDimension: Record<TikTokAdsDataLevel, string> = {
  AUCTION_ADVERTISER: 'advertiser_id',
  AUCTION_CAMPAIGN: 'campaign_id',
  AUCTION_ADGROUP: 'adgroup_id',
  AUCTION_AD: 'ad_id',
};

const levelField = {
  AUCTION_ADVERTISER: 'advertiserId',
  AUCTION_CAMPAIGN: 'campaignId',
  AUCTION_ADGROUP: 'adgroupId',
  AUCTION_AD: 'adId',
} as const;

const dayMs = 86_400_000;

/** YYYY-MM-DD of an epoch-ms instant, in UTC (the emulator keeps every advertiser on UTC days). */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function dayIndex(day: string): number {
  return Math.floor(Date.parse(`${day}T00:00:00Z`) / dayMs);
}

/**
 * The final (fully settled) counts of one ad on one day: a pure function of the ad id and the
 * day, so tests and the benchmark can compute what the API will answer without asking it.
 */
export function settledCounts(adId: string, day: string): DailyCounts {
  const hash = createHash('sha256').update(`${adId}|${day}`).digest();
  const n = (offset: number, modulo: number) => hash.readUInt32BE(offset) % modulo;
  const impressions = 200 + n(0, 20_000);
  const clicks = Math.floor((impressions * (5 + n(4, 45))) / 1000);
  const spend = clicks * (15 + n(8, 85));
  const reach = Math.floor((impressions * (60 + n(12, 35))) / 100);
  const plays = Math.floor((impressions * (30 + n(16, 50))) / 100);
  return {
    spend,
    impressions,
    clicks,
    reach,
    conversion: Math.floor(clicks / (4 + n(20, 20))),
    video_play_actions: plays,
    video_views_p25: Math.floor(plays * 0.7),
    video_views_p50: Math.floor(plays * 0.45),
    video_views_p75: Math.floor(plays * 0.3),
    video_views_p100: Math.floor(plays * 0.18),
    likes: Math.floor(plays / (20 + n(24, 30))),
    comments: Math.floor(plays / (200 + n(28, 300))),
    shares: Math.floor(plays / (150 + (hash[2] ?? 0))),
    follows: Math.floor(plays / (300 + (hash[3] ?? 0))),
  };
}

/**
 * An ad's `secondary_status` as ad/get answers it. `operation_status` is what the advertiser
 * set (ENABLE / DISABLE); `secondary_status` is the one delivery status shown for the ad, and
 * review's verdict is part of it: a rejected ad stays AD_STATUS_REJECT (or the AUDIT_DENY
 * variant) when it is also paused, as Ads Manager keeps showing it "Not approved", since the
 * rejection still has to be fixed before it can run. Only a paused ad that review let through
 * (or has not decided on) reads AD_STATUS_DISABLE.
 */
export function adSecondaryStatus(ad: Pick<EmulatedAd, 'operationStatus' | 'secondaryStatus'>): string {
  if (ad.operationStatus === 'ENABLE') return ad.secondaryStatus;
  return /REJECT|AUDIT_DENY/.test(ad.secondaryStatus) ? ad.secondaryStatus : 'AD_STATUS_DISABLE';
}

/**
 * What the API says about one ad on one day when `ageDays` have passed since (0 = today):
 * recent days grow towards their settled values, as TikTok's attribution catches up.
 */
export function countsAtAge(adId: string, day: string, ageDays: number, revisionDays: number): DailyCounts {
  const settled = settledCounts(adId, day);
  if (ageDays >= revisionDays) return settled;
  const share = (ageDays + 1) / (revisionDays + 1);
  const partial = {} as DailyCounts;
  for (const metric of tiktokAdsCountMetrics) partial[metric] = Math.floor(settled[metric] * share);
  return partial;
}

/** A query or body field as text; lists and objects are not text. */
function scalar(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' ? String(value) : '';
}

function ratio(numerator: number, denominator: number, scale = 1): string {
  return denominator === 0 ? '0.00' : ((numerator * scale) / denominator).toFixed(2);
}

/** The API's metric strings for summed counts (spend and ratios as decimals, counts as integers). */
export function metricStrings(counts: DailyCounts): Record<TikTokAdsMetric, string> {
  const out = {} as Record<TikTokAdsMetric, string>;
  for (const metric of tiktokAdsCountMetrics) {
    out[metric] = metric === 'spend' ? (counts.spend / 100).toFixed(2) : String(counts[metric]);
  }
  out.ctr = ratio(counts.clicks, counts.impressions, 100);
  out.cpc = ratio(counts.spend / 100, counts.clicks);
  out.cpm = ratio(counts.spend / 100, counts.impressions, 1000);
  out.cost_per_conversion = ratio(counts.spend / 100, counts.conversion);
  out.frequency = ratio(counts.impressions, counts.reach);
  return out;
}

function emptyCounts(): DailyCounts {
  const counts = {} as DailyCounts;
  for (const metric of tiktokAdsCountMetrics) counts[metric] = 0;
  return counts;
}

/**
 * Above the ad level TikTok counts reach in distinct people: someone reached by two ads of a
 * campaign counts once for the campaign, so its reach is less than the sum of its ads'. The
 * emulator keeps a deterministic share (70-95 %) of the summed reach per object and day, which
 * a store that summed its ads' reach would get wrong.
 */
export function distinctReach(level: TikTokAdsDataLevel, id: string, day: string, summedReach: number): number {
  if (level === 'AUCTION_AD') return summedReach;
  const share = 70 + (createHash('sha256').update(`reach|${level}|${id}|${day}`).digest().readUInt32BE(0) % 26);
  return Math.floor((summedReach * share) / 100);
}

export function addCounts(into: DailyCounts, add: DailyCounts): DailyCounts {
  for (const metric of tiktokAdsCountMetrics) into[metric] += add[metric];
  return into;
}

interface ReportRow {
  id: string;
  day?: string;
  counts: DailyCounts;
}

export interface AdsToken {
  userId: string;
  advertiserIds: string[];
  revoked: boolean;
}

export interface AuthCode {
  userId: string;
  redirectUri: string;
  expiresAt: number;
  used: boolean;
}

/** Thrown inside a handler to answer with the envelope's error code. */
class ApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** Everything the emulated TikTok for Business holds, as JSON (what `npm start` keeps across restarts). */
export interface TikTokAdsEmulatorState {
  appId: string;
  secret: string;
  businessCenters: EmulatedBusinessCenter[];
  advertisers: EmulatedAdvertiser[];
  campaigns: EmulatedCampaign[];
  adGroups: EmulatedAdGroup[];
  ads: EmulatedAd[];
  assets: EmulatedAdsAsset[];
  tokens: Array<[string, AdsToken]>;
  codes: Array<[string, AuthCode]>;
  refusals: Array<[string, string]>;
  consentingUserId?: string;
  /** The last id handed out (ids keep growing after a restart). */
  nextId: string;
}

export class TikTokAdsEmulator {
  readonly server: EmulatorServer;
  /** The app's credentials (kept across a restart by restore(), as the api and worker hold them). */
  appId: string;
  secret: string;
  readonly businessCenters = new Map<string, EmulatedBusinessCenter>();
  readonly advertisers = new Map<string, EmulatedAdvertiser>();
  readonly campaigns = new Map<string, EmulatedCampaign>();
  readonly adGroups = new Map<string, EmulatedAdGroup>();
  readonly ads = new Map<string, EmulatedAd>();
  readonly assets = new Map<string, EmulatedAdsAsset>();
  /** Every platform call with its answer's code, in order. */
  readonly log: TikTokAdsLogEntry[] = [];
  /** Who approves the next consent; a test sets it. */
  consentingUserId?: string;
  /** The next consent is declined (the person pressed Cancel). */
  declineNext = false;
  /**
   * Objects (campaign, ad group or ad ids) whose status and budget changes TikTok refuses,
   * with the message it gives for each (an ad in review, a locked campaign ...).
   */
  readonly refusals = new Map<string, string>();
  private readonly tokens = new Map<string, AdsToken>();
  private readonly codes = new Map<string, AuthCode>();
  private readonly options: Required<Omit<TikTokAdsEmulatorOptions, 'clock' | 'appId' | 'secret'>>;
  private nextId = 7_000_000_000_000_000_000n;

  constructor(options: TikTokAdsEmulatorOptions = {}) {
    this.appId = options.appId ?? String(7_100_000_000_000_000_000n + BigInt(Math.floor(Math.random() * 1e9)));
    this.secret = options.secret ?? randomBytes(20).toString('hex');
    this.options = {
      appRequestsPerSecond: options.appRequestsPerSecond ?? 20,
      advertiserRequestsPerSecond: options.advertiserRequestsPerSecond ?? 10,
      maxPageSize: options.maxPageSize ?? 1000,
      maxIdsPerCall: options.maxIdsPerCall ?? 100,
      revisionDays: options.revisionDays ?? 3,
      authCodeTtlSeconds: options.authCodeTtlSeconds ?? 3600,
    };
    this.server = new EmulatorServer({
      name: 'tiktok-ads',
      clock: options.clock,
      state: () => ({
        businessCenters: [...this.businessCenters.values()],
        advertisers: [...this.advertisers.values()],
        campaigns: this.campaigns.size,
        adGroups: this.adGroups.size,
        ads: this.ads.size,
        log: this.log,
      }),
      // Refusals for a test that drives the stack `npm start` runs (the dashboard's bulk job
      // test): `{ids, message?}` refused from now on; DELETE with `{ids}` takes them again.
      // `POST /__admin/ads/review` with `{adId, status}` sets an ad's review result (alerts test).
      admin: (method, path, input) => {
        if (method === 'POST' && path === '/__admin/ads/review') {
          const adId = typeof input.adId === 'string' ? input.adId : '';
          if (!this.ads.has(adId) || typeof input.status !== 'string') return { status: 404, body: { error: 'no ad' } };
          this.reviewAd(adId, input.status);
          return { status: 200, body: { adId, status: input.status } };
        }
        if (path !== '/__admin/refusals') return undefined;
        const ids = Array.isArray(input.ids) ? input.ids.map(String) : [];
        if (method === 'POST') {
          this.refuseChanges(ids, typeof input.message === 'string' ? input.message : undefined);
          return { status: 201, body: { refused: this.refusals.size } };
        }
        if (method === 'DELETE') {
          this.allowChanges(ids);
          return { status: 200, body: { refused: this.refusals.size } };
        }
        return undefined;
      },
      // An injected fault keeps the Marketing API's envelope: HTTP 200 with the code when the
      // test asks for a status 200 (rate limits, partial success), else the status it asked for.
      errorBody: (status, code, message) => ({
        code: Number(code) || (status >= 500 ? 50000 : 40000),
        message,
        request_id: this.requestId(),
        data: {},
      }),
    });
    this.routes();
  }

  get clock(): EmulatorClock {
    return this.server.clock;
  }

  get revisionDays(): number {
    return this.options.revisionDays;
  }

  start(port?: number): Promise<string> {
    return this.server.start(port);
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  /** Everything the platform holds (see TikTokAdsEmulatorState); the request log is left out. */
  snapshot(): TikTokAdsEmulatorState {
    return structuredClone({
      appId: this.appId,
      secret: this.secret,
      businessCenters: [...this.businessCenters.values()],
      advertisers: [...this.advertisers.values()],
      campaigns: [...this.campaigns.values()],
      adGroups: [...this.adGroups.values()],
      ads: [...this.ads.values()],
      assets: [...this.assets.values()],
      tokens: [...this.tokens],
      codes: [...this.codes],
      refusals: [...this.refusals],
      ...(this.consentingUserId ? { consentingUserId: this.consentingUserId } : {}),
      nextId: String(this.nextId),
    });
  }

  /** Takes back what snapshot() gave, replacing whatever the emulator held. */
  restore(state: TikTokAdsEmulatorState): void {
    const copy = structuredClone(state);
    const refill = <T>(map: Map<string, T>, entries: Array<[string, T]>) => {
      map.clear();
      for (const [key, value] of entries) map.set(key, value);
    };
    this.appId = copy.appId;
    this.secret = copy.secret;
    refill(
      this.businessCenters,
      copy.businessCenters.map((bc) => [bc.bcId, bc]),
    );
    refill(
      this.advertisers,
      copy.advertisers.map((advertiser) => [advertiser.advertiserId, advertiser]),
    );
    refill(
      this.campaigns,
      copy.campaigns.map((campaign) => [campaign.campaignId, campaign]),
    );
    refill(
      this.adGroups,
      copy.adGroups.map((group) => [group.adgroupId, group]),
    );
    refill(
      this.ads,
      copy.ads.map((ad) => [ad.adId, ad]),
    );
    refill(
      this.assets,
      copy.assets.map((asset) => [asset.id, asset]),
    );
    refill(this.tokens, copy.tokens);
    refill(this.codes, copy.codes);
    refill(this.refusals, copy.refusals);
    this.consentingUserId = copy.consentingUserId;
    this.nextId = BigInt(copy.nextId);
    this.reportCache = undefined;
  }

  /** Today (UTC) on the emulator clock. */
  today(): string {
    return utcDay(this.clock.now());
  }

  private id(): string {
    this.nextId += 1n + BigInt(Math.floor(Math.random() * 1000));
    return String(this.nextId);
  }

  private requestId(): string {
    return `${utcDay(this.clock.now()).replaceAll('-', '')}${randomBytes(10).toString('hex').toUpperCase()}`;
  }

  /**
   * A person with a business center holding `advertisers` ad accounts, each with
   * `campaigns` × `adGroups` × `ads` and a few identities, pixels, audiences; the center has
   * a catalog. Returns the person's id (set it as `consentingUserId`) and the ids made.
   */
  createAdvertiserOwner(
    shape: {
      advertisers?: number;
      campaigns?: number;
      adGroups?: number;
      ads?: number;
      currency?: string;
      timezone?: string;
    } = {},
  ) {
    const userId = `user_${randomBytes(6).toString('hex')}`;
    const currency = shape.currency ?? 'USD';
    const timezone = shape.timezone ?? 'Etc/GMT';
    const bc: EmulatedBusinessCenter = { bcId: this.id(), name: `Emulated BC ${userId.slice(5)}`, currency, timezone };
    this.businessCenters.set(bc.bcId, bc);
    this.asset('catalog', bc.bcId, 'Product catalog');
    const advertiserIds: string[] = [];
    const createTime = Math.floor(this.clock.now() / 1000) - 400 * 86_400;
    for (let a = 0; a < (shape.advertisers ?? 1); a++) {
      const advertiser: EmulatedAdvertiser = {
        advertiserId: this.id(),
        name: `Emulated Advertiser ${a + 1}`,
        bcId: bc.bcId,
        status: 'STATUS_ENABLE',
        currency,
        timezone,
        ownerUserId: userId,
      };
      this.advertisers.set(advertiser.advertiserId, advertiser);
      advertiserIds.push(advertiser.advertiserId);
      this.asset('identity', advertiser.advertiserId, 'Brand identity');
      this.asset('pixel', advertiser.advertiserId, 'Website pixel');
      this.asset('audience', advertiser.advertiserId, 'Customer list');
      this.asset('audience', advertiser.advertiserId, 'Lookalike 1%');
      for (let c = 0; c < (shape.campaigns ?? 2); c++) {
        const campaign: EmulatedCampaign = {
          campaignId: this.id(),
          advertiserId: advertiser.advertiserId,
          name: `Campaign ${c + 1}`,
          objectiveType: c % 2 ? 'TRAFFIC' : 'CONVERSIONS',
          budgetMode: 'BUDGET_MODE_DAY',
          budget: 100 + 50 * c,
          operationStatus: 'ENABLE',
          createTime,
        };
        this.campaigns.set(campaign.campaignId, campaign);
        for (let g = 0; g < (shape.adGroups ?? 2); g++) {
          const group: EmulatedAdGroup = {
            adgroupId: this.id(),
            campaignId: campaign.campaignId,
            advertiserId: advertiser.advertiserId,
            name: `Ad group ${c + 1}.${g + 1}`,
            budgetMode: 'BUDGET_MODE_DAY',
            budget: 50 + 10 * g,
            operationStatus: 'ENABLE',
            createTime,
          };
          this.adGroups.set(group.adgroupId, group);
          for (let d = 0; d < (shape.ads ?? 2); d++) {
            const ad: EmulatedAd = {
              adId: this.id(),
              adgroupId: group.adgroupId,
              campaignId: campaign.campaignId,
              advertiserId: advertiser.advertiserId,
              name: `Ad ${c + 1}.${g + 1}.${d + 1}`,
              operationStatus: 'ENABLE',
              secondaryStatus: 'AD_STATUS_DELIVERY_OK',
              createTime,
            };
            this.ads.set(ad.adId, ad);
          }
        }
      }
    }
    return { userId, bcId: bc.bcId, advertiserIds };
  }

  private asset(kind: EmulatedAdsAsset['kind'], ownerId: string, name: string): EmulatedAdsAsset {
    const asset = { id: this.id(), kind, ownerId, name };
    this.assets.set(asset.id, asset);
    return asset;
  }

  /** Issues a token for `userId` without the consent page (for tests that start connected). */
  issueToken(userId: string): { accessToken: string; advertiserIds: string[] } {
    const advertiserIds = [...this.advertisers.values()]
      .filter((advertiser) => advertiser.ownerUserId === userId)
      .map((advertiser) => advertiser.advertiserId);
    const accessToken = randomBytes(20).toString('hex');
    this.tokens.set(accessToken, { userId, advertiserIds, revoked: false });
    return { accessToken, advertiserIds };
  }

  /** The auth_code the consent page would hand out for `userId` (for tests that skip the browser). */
  grantAuthCode(userId: string, redirectUri = 'http://127.0.0.1/ads/connected'): string {
    const code = randomBytes(16).toString('hex');
    this.codes.set(code, {
      userId,
      redirectUri,
      expiresAt: this.clock.now() + this.options.authCodeTtlSeconds * 1000,
      used: false,
    });
    return code;
  }

  /** Whether `accessToken` was issued and still works. */
  tokenWorks(accessToken: string): boolean {
    const token = this.tokens.get(accessToken);
    return !!token && !token.revoked;
  }

  /** The person removed the app's access in TikTok: the token stops working (40105). */
  revokeTokens(userId: string): void {
    for (const token of this.tokens.values()) if (token.userId === userId) token.revoked = true;
  }

  /** TikTok refuses every status or budget change of `ids` from now on, with `message`. */
  refuseChanges(ids: Iterable<string>, message = 'The ad is under review and cannot be modified now.'): void {
    for (const id of ids) this.refusals.set(id, message);
  }

  /** The cause of a refusal is gone: changes of `ids` are taken again. */
  allowChanges(ids: Iterable<string>): void {
    for (const id of ids) this.refusals.delete(id);
  }

  /** TikTok's review decided about an ad: `AD_STATUS_REJECT`, `AD_STATUS_DELIVERY_OK` ... */
  reviewAd(adId: string, secondaryStatus: string): void {
    const ad = this.ads.get(adId);
    if (!ad) throw new Error(`no ad ${adId}`);
    ad.secondaryStatus = secondaryStatus;
  }

  /** The status and budget calls (status/update, campaign/update, adgroup/budget/update) in the log. */
  writeCalls(): TikTokAdsLogEntry[] {
    return this.log.filter((entry) => entry.method === 'POST' && !entry.path.includes('/oauth2/'));
  }

  /** Deleting an object: it is no longer listed (TikTok's default listing leaves deleted objects out). */
  deleteCampaign(campaignId: string): void {
    const campaign = this.campaigns.get(campaignId);
    if (!campaign) return;
    campaign.operationStatus = 'DELETE';
    for (const group of this.adGroups.values()) if (group.campaignId === campaignId) group.operationStatus = 'DELETE';
    for (const ad of this.ads.values()) if (ad.campaignId === campaignId) ad.operationStatus = 'DELETE';
  }

  /** The facts of one ad on one day as the API answers them now (undefined for days not yet begun). */
  adCounts(adId: string, day: string): DailyCounts | undefined {
    const age = dayIndex(this.today()) - dayIndex(day);
    if (age < 0) return undefined;
    return countsAtAge(adId, day, age, this.options.revisionDays);
  }

  /** The ads whose facts make up the row of `id` at `level`. */
  adsUnder(level: TikTokAdsDataLevel, id: string): EmulatedAd[] {
    return [...this.ads.values()].filter((ad) => ad[levelField[level]] === id);
  }

  /** The counts of `id` at `level` on one day as the API answers them now (reach de-duplicated above ads). */
  levelCounts(level: TikTokAdsDataLevel, id: string, day: string): DailyCounts | undefined {
    let sum: DailyCounts | undefined;
    for (const ad of this.adsUnder(level, id)) {
      const counts = this.adCounts(ad.adId, day);
      if (counts) sum = addCounts(sum ?? emptyCounts(), counts);
    }
    if (sum) sum.reach = distinctReach(level, id, day, sum.reach);
    return sum;
  }

  /** The daily counts of `id` at `level` over [from, to], added up: what tests compare reports with. */
  totals(level: TikTokAdsDataLevel, id: string, from: string, to: string): DailyCounts {
    const sum = emptyCounts();
    for (let day = dayIndex(from); day <= dayIndex(to); day++) {
      const counts = this.levelCounts(level, id, utcDay(day * dayMs));
      if (counts) addCounts(sum, counts);
    }
    return sum;
  }

  private envelope(data: unknown, code = 0, message = 'OK'): EmulatorResponse {
    return { status: 200, body: { code, message, request_id: this.requestId(), data } };
  }

  private record(request: EmulatorRequest, response: EmulatorResponse, advertiserId?: string): EmulatorResponse {
    const body = response.body as { code: number; request_id: string };
    let parsed: unknown;
    if (request.method === 'POST' && request.body.length) {
      try {
        parsed = request.json();
      } catch {
        parsed = undefined;
      }
    }
    this.log.push({
      at: this.clock.now(),
      method: request.method,
      path: request.path,
      requestId: body.request_id,
      code: body.code,
      ...(advertiserId ? { advertiserId } : {}),
      ...(parsed !== undefined ? { body: parsed } : {}),
    });
    return response;
  }

  /** Query parameters, or the JSON body's fields for POSTs. */
  private params(request: EmulatorRequest): Record<string, unknown> {
    if (request.method === 'POST') return request.json<Record<string, unknown>>();
    const out: Record<string, unknown> = {};
    for (const [key, value] of request.query) {
      // Lists and objects travel JSON-encoded in the query string, as the real API wants them.
      out[key] = /^[[{]/.test(value) ? JSON.parse(value) : value;
    }
    return out;
  }

  private authorize(request: EmulatorRequest): AdsToken {
    const header = request.headers['access-token'];
    const value = Array.isArray(header) ? header[0] : header;
    if (!value) throw new ApiError(40104, 'Access token is null, please check the Access-Token header.');
    const token = this.tokens.get(value);
    if (!token || token.revoked) throw new ApiError(40105, 'The access token is invalid or has been revoked.');
    return token;
  }

  private pace(advertiserId?: string): void {
    if (this.server.rateLimit(`app:${this.appId}`, this.options.appRequestsPerSecond, 1000) > 0) {
      throw new ApiError(40100, 'Too many requests. Please retry in some time.');
    }
    if (
      advertiserId &&
      this.server.rateLimit(`advertiser:${advertiserId}`, this.options.advertiserRequestsPerSecond, 1000) > 0
    ) {
      throw new ApiError(40133, 'The QPS of this advertiser has reached the limit. Please retry later.');
    }
  }

  private advertiserOf(token: AdsToken, params: Record<string, unknown>): EmulatedAdvertiser {
    const advertiserId = scalar(params.advertiser_id);
    if (!advertiserId) throw new ApiError(40002, 'advertiser_id: Missing data for required field.');
    const advertiser = this.advertisers.get(advertiserId);
    if (!advertiser || !token.advertiserIds.includes(advertiserId)) {
      throw new ApiError(40001, `No permission to operate advertiser ${advertiserId}.`);
    }
    return advertiser;
  }

  private page<T>(items: T[], params: Record<string, unknown>) {
    const page = Number(params.page ?? 1);
    const pageSize = Number(params.page_size ?? 10);
    if (!Number.isInteger(page) || page < 1) throw new ApiError(40002, 'page: Must be greater than or equal to 1.');
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > this.options.maxPageSize) {
      throw new ApiError(40002, `page_size: Must be between 1 and ${this.options.maxPageSize}.`);
    }
    return {
      list: items.slice((page - 1) * pageSize, page * pageSize),
      page_info: {
        page,
        page_size: pageSize,
        total_number: items.length,
        total_page: Math.ceil(items.length / pageSize),
      },
    };
  }

  private idFilter(params: Record<string, unknown>, field: string): string[] | undefined {
    const filtering = params.filtering as Record<string, unknown> | undefined;
    const ids = filtering?.[field];
    if (ids === undefined) return undefined;
    if (!Array.isArray(ids)) throw new ApiError(40002, `filtering.${field}: Not a valid list.`);
    if (ids.length > this.options.maxIdsPerCall) {
      throw new ApiError(40011, `filtering.${field}: Too many ids; at most ${this.options.maxIdsPerCall}.`);
    }
    return ids.map(String);
  }

  /** Registers an API route that answers in the envelope, checks the token and paces calls. */
  private api(
    method: 'GET' | 'POST',
    path: string,
    handler: (context: { request: EmulatorRequest; params: Record<string, unknown>; token: AdsToken }) => {
      data: unknown;
      code?: number;
      message?: string;
      advertiserId?: string;
    },
    options: { auth?: boolean } = {},
  ): void {
    this.server.route(method, `/open_api/v1.3/${path}`, (request) => {
      let advertiserId: string | undefined;
      try {
        const params = this.params(request);
        advertiserId = params.advertiser_id !== undefined ? scalar(params.advertiser_id) : undefined;
        const token =
          options.auth === false
            ? ({ userId: '', advertiserIds: [], revoked: false } as AdsToken)
            : this.authorize(request);
        this.pace(advertiserId);
        const result = handler({ request, params, token });
        return this.record(request, this.envelope(result.data, result.code, result.message), advertiserId);
      } catch (error) {
        if (error instanceof ApiError)
          return this.record(request, this.envelope({}, error.code, error.message), advertiserId);
        if (error instanceof SyntaxError) {
          return this.record(request, this.envelope({}, 40002, 'The request is not valid JSON.'), advertiserId);
        }
        throw error;
      }
    });
  }

  private routes(): void {
    // Consent: the person approves at once (as the consenting user) and is sent back with the code.
    this.server.route('GET', '/portal/auth', (request) => {
      const redirect = request.query.get('redirect_uri');
      const state = request.query.get('state') ?? '';
      if (request.query.get('app_id') !== this.appId || !redirect) {
        return { status: 400, body: 'unknown app_id or missing redirect_uri' };
      }
      const target = new URL(redirect);
      if (this.declineNext || !this.consentingUserId) {
        this.declineNext = false;
        target.searchParams.set('state', state);
        target.searchParams.set('error', 'access_denied');
        return { status: 302, headers: { location: target.toString() } };
      }
      const code = this.grantAuthCode(this.consentingUserId, redirect);
      target.searchParams.set('auth_code', code);
      target.searchParams.set('code', code);
      target.searchParams.set('state', state);
      return { status: 302, headers: { location: target.toString() } };
    });

    this.api(
      'POST',
      'oauth2/access_token/',
      ({ params }) => {
        if (scalar(params.app_id) !== this.appId || params.secret !== this.secret) {
          throw new ApiError(40001, 'The app_id or secret is not correct.');
        }
        const code = this.codes.get(scalar(params.auth_code));
        if (!code || code.used || code.expiresAt <= this.clock.now()) {
          throw new ApiError(40110, 'The auth_code has been used or has expired.');
        }
        code.used = true;
        const issued = this.issueToken(code.userId);
        return {
          data: { access_token: issued.accessToken, advertiser_ids: issued.advertiserIds, scope: [1, 2, 3, 4, 5] },
        };
      },
      { auth: false },
    );

    // The app gives up a token (disconnect): it stops working at once. A token already
    // revoked or unknown is refused with 40105, as any call with it would be.
    this.api(
      'POST',
      'oauth2/revoke_token/',
      ({ params }) => {
        if (scalar(params.app_id) !== this.appId || params.secret !== this.secret) {
          throw new ApiError(40001, 'The app_id or secret is not correct.');
        }
        const token = this.tokens.get(scalar(params.access_token));
        if (!token || token.revoked) throw new ApiError(40105, 'The access token is invalid or has been revoked.');
        token.revoked = true;
        return { data: {} };
      },
      { auth: false },
    );

    this.api('GET', 'oauth2/advertiser/get/', ({ params, token }) => {
      if (scalar(params.app_id) !== this.appId || params.secret !== this.secret) {
        throw new ApiError(40001, 'The app_id or secret is not correct.');
      }
      return {
        data: {
          list: token.advertiserIds.map((id) => ({
            advertiser_id: id,
            advertiser_name: this.advertisers.get(id)?.name ?? '',
          })),
        },
      };
    });

    this.api('GET', 'bc/get/', ({ params, token }) => {
      const bcIds = new Set(token.advertiserIds.map((id) => this.advertisers.get(id)?.bcId));
      const centers = [...this.businessCenters.values()].filter((bc) => bcIds.has(bc.bcId));
      return {
        data: this.page(
          centers.map((bc) => ({
            bc_info: { bc_id: bc.bcId, name: bc.name, currency: bc.currency, timezone: bc.timezone, status: 'ENABLE' },
            user_role: 'ADMIN',
          })),
          params,
        ),
      };
    });

    this.api('GET', 'advertiser/info/', ({ params, token }) => {
      const ids = params.advertiser_ids;
      if (!Array.isArray(ids) || ids.length === 0)
        throw new ApiError(40002, 'advertiser_ids: Missing data for required field.');
      if (ids.length > this.options.maxIdsPerCall) {
        throw new ApiError(40011, `advertiser_ids: Too many ids; at most ${this.options.maxIdsPerCall}.`);
      }
      const allowed = ids.map(String).filter((id) => token.advertiserIds.includes(id) && this.advertisers.has(id));
      const list = allowed.map((id) => {
        const advertiser = this.advertisers.get(id)!;
        return {
          advertiser_id: id,
          name: advertiser.name,
          status: advertiser.status,
          currency: advertiser.currency,
          timezone: advertiser.timezone,
          owner_bc_id: advertiser.bcId,
        };
      });
      // Some ids answered, others not permitted: the call partly succeeded.
      if (allowed.length < ids.length) {
        return {
          data: { list },
          code: 20001,
          message: `No permission for ${ids.length - allowed.length} of the advertisers.`,
        };
      }
      return { data: { list } };
    });

    this.api('GET', 'identity/get/', ({ params, token }) => {
      const advertiser = this.advertiserOf(token, params);
      const paged = this.page(this.assetsOf('identity', advertiser.advertiserId), params);
      return {
        data: {
          identity_list: paged.list.map((asset) => ({
            identity_id: asset.id,
            identity_type: 'CUSTOMIZED_USER',
            display_name: asset.name,
          })),
          page_info: paged.page_info,
        },
      };
    });

    this.api('GET', 'pixel/list/', ({ params, token }) => {
      const advertiser = this.advertiserOf(token, params);
      const paged = this.page(this.assetsOf('pixel', advertiser.advertiserId), params);
      return {
        data: {
          pixels: paged.list.map((asset) => ({
            pixel_id: asset.id,
            pixel_code: `C${asset.id.slice(-10)}`,
            pixel_name: asset.name,
            activity_status: 'ACTIVE',
          })),
          page_info: paged.page_info,
        },
      };
    });

    this.api('GET', 'catalog/get/', ({ params, token }) => {
      const bcId = scalar(params.bc_id);
      const reachable = token.advertiserIds.some((id) => this.advertisers.get(id)?.bcId === bcId);
      if (!reachable) throw new ApiError(40001, `No permission to operate business center ${bcId}.`);
      const paged = this.page(this.assetsOf('catalog', bcId), params);
      return {
        data: {
          list: paged.list.map((asset) => ({ catalog_id: asset.id, catalog_name: asset.name, catalog_type: 'ECOM' })),
          page_info: paged.page_info,
        },
      };
    });

    this.api('GET', 'dmp/custom_audience/list/', ({ params, token }) => {
      const advertiser = this.advertiserOf(token, params);
      const paged = this.page(this.assetsOf('audience', advertiser.advertiserId), params);
      return {
        data: {
          list: paged.list.map((asset) => ({
            audience_id: asset.id,
            name: asset.name,
            audience_type: asset.name.startsWith('Lookalike') ? 'Lookalike Audience' : 'Customer File',
            is_valid: true,
          })),
          page_info: paged.page_info,
        },
      };
    });

    this.api('GET', 'campaign/get/', ({ params, token }) => {
      const advertiser = this.advertiserOf(token, params);
      const only = this.idFilter(params, 'campaign_ids');
      const campaigns = [...this.campaigns.values()].filter(
        (c) =>
          c.advertiserId === advertiser.advertiserId &&
          c.operationStatus !== 'DELETE' &&
          (!only || only.includes(c.campaignId)),
      );
      const paged = this.page(campaigns, params);
      return {
        data: {
          list: paged.list.map((c) => ({
            campaign_id: c.campaignId,
            advertiser_id: c.advertiserId,
            campaign_name: c.name,
            objective_type: c.objectiveType,
            budget_mode: c.budgetMode,
            budget: c.budget,
            operation_status: c.operationStatus,
            secondary_status: c.operationStatus === 'ENABLE' ? 'CAMPAIGN_STATUS_ENABLE' : 'CAMPAIGN_STATUS_DISABLE',
            create_time: new Date(c.createTime * 1000).toISOString().replace('T', ' ').slice(0, 19),
          })),
          page_info: paged.page_info,
        },
      };
    });

    this.api('GET', 'adgroup/get/', ({ params, token }) => {
      const advertiser = this.advertiserOf(token, params);
      const only = this.idFilter(params, 'adgroup_ids');
      const groups = [...this.adGroups.values()].filter(
        (g) =>
          g.advertiserId === advertiser.advertiserId &&
          g.operationStatus !== 'DELETE' &&
          (!only || only.includes(g.adgroupId)),
      );
      const paged = this.page(groups, params);
      return {
        data: {
          list: paged.list.map((g) => ({
            adgroup_id: g.adgroupId,
            campaign_id: g.campaignId,
            advertiser_id: g.advertiserId,
            adgroup_name: g.name,
            budget_mode: g.budgetMode,
            budget: g.budget,
            operation_status: g.operationStatus,
            secondary_status: g.operationStatus === 'ENABLE' ? 'ADGROUP_STATUS_DELIVERY_OK' : 'ADGROUP_STATUS_DISABLE',
          })),
          page_info: paged.page_info,
        },
      };
    });

    this.api('GET', 'ad/get/', ({ params, token }) => {
      const advertiser = this.advertiserOf(token, params);
      const only = this.idFilter(params, 'ad_ids');
      const ads = [...this.ads.values()].filter(
        (ad) =>
          ad.advertiserId === advertiser.advertiserId &&
          ad.operationStatus !== 'DELETE' &&
          (!only || only.includes(ad.adId)),
      );
      const paged = this.page(ads, params);
      return {
        data: {
          list: paged.list.map((ad) => ({
            ad_id: ad.adId,
            adgroup_id: ad.adgroupId,
            campaign_id: ad.campaignId,
            advertiser_id: ad.advertiserId,
            ad_name: ad.name,
            operation_status: ad.operationStatus,
            secondary_status: adSecondaryStatus(ad),
          })),
          page_info: paged.page_info,
        },
      };
    });

    // Status changes of many objects at once, at most `maxIdsPerCall` ids (40011 past it). Each
    // id is taken or refused on its own: some refused is a partial success (20001) listing
    // them in error_list; all refused is a failure with the first refusal's message.
    for (const level of ['campaign', 'adgroup', 'ad'] as const) {
      this.api('POST', `${level}/status/update/`, ({ params, token }) => {
        const advertiser = this.advertiserOf(token, params);
        const idsKey = `${level}_ids`;
        const ids = this.writeIds(params[idsKey], idsKey);
        const status = scalar(params.operation_status);
        if (status !== 'ENABLE' && status !== 'DISABLE' && status !== 'DELETE') {
          throw new ApiError(40002, 'operation_status: Must be one of ENABLE, DISABLE, DELETE.');
        }
        return this.eachWrite(
          level,
          ids,
          (object) => {
            object.operationStatus = status;
          },
          advertiser,
          { [idsKey]: undefined, status },
        );
      });
    }

    // A campaign's budget: one campaign a call.
    this.api('POST', 'campaign/update/', ({ params, token }) => {
      const advertiser = this.advertiserOf(token, params);
      const campaignId = scalar(params.campaign_id);
      if (!campaignId) throw new ApiError(40002, 'campaign_id: Missing data for required field.');
      const budget = Number(params.budget);
      if (params.budget !== undefined && !(budget > 0)) throw new ApiError(40002, 'budget: Must be greater than 0.');
      const answer = this.eachWrite(
        'campaign',
        [campaignId],
        (object) => {
          if (params.budget !== undefined) (object as EmulatedCampaign).budget = budget;
        },
        advertiser,
        {},
      );
      return { data: { campaign_id: campaignId }, code: answer.code, message: answer.message };
    });

    // Ad group budgets, many at once: `budget: [{adgroup_id, budget}]`.
    this.api('POST', 'adgroup/budget/update/', ({ params, token }) => {
      const advertiser = this.advertiserOf(token, params);
      if (!Array.isArray(params.budget)) throw new ApiError(40002, 'budget: Not a valid list.');
      const entries = params.budget as Array<{ adgroup_id?: unknown; budget?: unknown }>;
      const ids = this.writeIds(
        entries.map((entry) => scalar(entry.adgroup_id)),
        'budget',
      );
      const budgets = new Map(entries.map((entry) => [scalar(entry.adgroup_id), Number(entry.budget)]));
      if ([...budgets.values()].some((value) => !(value > 0))) {
        throw new ApiError(40002, 'budget.budget: Must be greater than 0.');
      }
      return this.eachWrite(
        'adgroup',
        ids,
        (object) => {
          (object as EmulatedAdGroup).budget = budgets.get((object as EmulatedAdGroup).adgroupId)!;
        },
        advertiser,
        { adgroup_ids: undefined },
      );
    });

    this.api('GET', 'report/integrated/get/', ({ params, token }) => {
      const advertiser = this.advertiserOf(token, params);
      if ((params.report_type ?? 'BASIC') !== 'BASIC')
        throw new ApiError(40002, 'report_type: only BASIC is emulated.');
      const level = (scalar(params.data_level) || 'AUCTION_AD') as TikTokAdsDataLevel;
      const idDimension = levelDimension[level];
      if (!idDimension) throw new ApiError(40002, `data_level: ${level} is not a valid choice.`);
      const dimensions = params.dimensions;
      if (!Array.isArray(dimensions) || !dimensions.includes(idDimension)) {
        throw new ApiError(40002, `dimensions: must include ${idDimension} for ${level}.`);
      }
      const byDay = dimensions.includes('stat_time_day');
      const metrics = (Array.isArray(params.metrics) ? params.metrics : ['spend', 'impressions']).map(String);
      const known = new Set<string>([...tiktokAdsCountMetrics, ...tiktokAdsRatioMetrics]);
      const unknown = metrics.find((metric) => !known.has(metric));
      if (unknown) throw new ApiError(40002, `metrics: ${unknown} is not a valid metric.`);
      const start = scalar(params.start_date);
      const end = scalar(params.end_date);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(start) || !/^\d{4}-\d{2}-\d{2}$/.test(end) || start > end) {
        throw new ApiError(40002, 'start_date/end_date: give YYYY-MM-DD with start_date <= end_date.');
      }
      if (byDay && dayIndex(end) - dayIndex(start) + 1 > 30) {
        throw new ApiError(40002, 'The time span cannot exceed 30 days when stat_time_day is a dimension.');
      }
      // Paging through a large report asks the same question once per page: keep the last answer
      // while nothing it depends on (the day, the ads) changed.
      const cacheKey = JSON.stringify([advertiser.advertiserId, level, byDay, start, end, this.today(), this.ads.size]);
      const ordered =
        this.reportCache?.key === cacheKey
          ? this.reportCache.rows
          : this.reportRows(advertiser, level, byDay, start, end);
      this.reportCache = { key: cacheKey, rows: ordered };
      const paged = this.page(ordered, params);
      return {
        data: {
          list: paged.list.map((row) => {
            const strings = metricStrings(row.counts);
            return {
              dimensions: { [idDimension]: row.id, ...(row.day ? { stat_time_day: `${row.day} 00:00:00` } : {}) },
              metrics: Object.fromEntries(metrics.map((metric) => [metric, strings[metric as TikTokAdsMetric]])),
            };
          }),
          page_info: paged.page_info,
        },
      };
    });
  }

  private reportCache?: { key: string; rows: ReportRow[] };

  private reportRows(
    advertiser: EmulatedAdvertiser,
    level: TikTokAdsDataLevel,
    byDay: boolean,
    start: string,
    end: string,
  ): ReportRow[] {
    const field = levelField;
    // Rows per (object, day): deleted objects keep their history, as in TikTok's reports.
    const daily = new Map<string, ReportRow>();
    const ads = [...this.ads.values()].filter((ad) => ad.advertiserId === advertiser.advertiserId);
    for (const ad of ads) {
      const id = ad[field[level]];
      for (let day = dayIndex(start); day <= dayIndex(end); day++) {
        const date = utcDay(day * dayMs);
        const counts = this.adCounts(ad.adId, date);
        if (!counts) continue;
        const key = `${id}|${date}`;
        const row = daily.get(key) ?? { id, day: date, counts: emptyCounts() };
        addCounts(row.counts, counts);
        daily.set(key, row);
      }
    }
    for (const row of daily.values()) row.counts.reach = distinctReach(level, row.id, row.day!, row.counts.reach);
    let rows = daily;
    if (!byDay) {
      // A period without the day dimension: the days added up (a simplification: TikTok would
      // de-duplicate people across the days too).
      rows = new Map();
      for (const row of daily.values()) {
        const total = rows.get(row.id) ?? { id: row.id, counts: emptyCounts() };
        addCounts(total.counts, row.counts);
        rows.set(row.id, total);
      }
    }
    return [...rows.values()].sort((a, b) =>
      a.id === b.id ? (a.day ?? '').localeCompare(b.day ?? '') : a.id < b.id ? -1 : 1,
    );
  }

  private writeIds(value: unknown, field: string): string[] {
    if (!Array.isArray(value) || value.length === 0)
      throw new ApiError(40002, `${field}: Missing data for required field.`);
    if (value.length > this.options.maxIdsPerCall) {
      throw new ApiError(40011, `${field}: Too many ids; at most ${this.options.maxIdsPerCall}.`);
    }
    return value.map(String);
  }

  private objectOf(level: 'campaign' | 'adgroup' | 'ad', id: string) {
    return level === 'campaign'
      ? this.campaigns.get(id)
      : level === 'adgroup'
        ? this.adGroups.get(id)
        : this.ads.get(id);
  }

  /**
   * Applies `change` to each object that exists under the advertiser and is not refused; the
   * answer lists the ids taken under `<level>_ids` (when `data` has that key) and the others in
   * error_list. All refused: a failure carrying the first refusal's message.
   */
  private eachWrite(
    level: 'campaign' | 'adgroup' | 'ad',
    ids: string[],
    change: (object: EmulatedCampaign | EmulatedAdGroup | EmulatedAd) => void,
    advertiser: EmulatedAdvertiser,
    data: Record<string, unknown>,
  ): { data: unknown; code: number; message: string } {
    const idKey = `${level}_id`;
    const taken: string[] = [];
    const errors: Array<Record<string, string>> = [];
    for (const id of ids) {
      const object = this.objectOf(level, id);
      const refusal = this.refusals.get(id);
      if (!object || object.advertiserId !== advertiser.advertiserId || object.operationStatus === 'DELETE') {
        errors.push({ [idKey]: id, error_message: `${level}_id ${id} does not exist.` });
      } else if (refusal) {
        errors.push({ [idKey]: id, error_message: refusal });
      } else {
        change(object);
        taken.push(id);
      }
    }
    const listed = `${level}_ids` in data ? { ...data, [`${level}_ids`]: taken } : data;
    if (errors.length === 0) return { data: listed, code: 0, message: 'OK' };
    if (taken.length === 0) throw new ApiError(40002, errors[0]!.error_message!);
    return {
      data: { ...listed, error_list: errors },
      code: 20001,
      message: `Partial success: ${errors.length} of ${ids.length} failed.`,
    };
  }

  private assetsOf(kind: EmulatedAdsAsset['kind'], ownerId: string): EmulatedAdsAsset[] {
    return [...this.assets.values()].filter((asset) => asset.kind === kind && asset.ownerId === ownerId);
  }
}
