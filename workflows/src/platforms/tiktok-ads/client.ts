import { PlatformError, categoryForServerError, categoryForStatus, type FailureCategory } from '../errors.js';
import { createHttpClient, type HttpClientOptions, type HttpResponse } from '../http.js';

export interface TikTokAdsClientOptions {
  /** `https://business-api.tiktok.com` or an emulator; paths start with `/open_api/v1.3/`. */
  apiBaseUrl: string;
  /** Where the consent page lives (`https://business-api.tiktok.com` too). */
  portalBaseUrl?: string;
  appId?: string;
  secret?: string;
  http?: Omit<HttpClientOptions, 'platform' | 'classify'>;
  /** Told about every answer's request_id (for logs and support tickets). */
  onAnswer?: (event: { operation: string; code: number; requestId?: string }) => void;
}

/** The Marketing API's envelope, around every answer. */
export interface TikTokAdsEnvelope<T> {
  code: number;
  message: string;
  request_id?: string;
  data: T;
}

export interface TikTokAdsPageInfo {
  page: number;
  page_size: number;
  total_number: number;
  total_page: number;
}

/** An answer the API gave with code 20001: some of it was done, `message` says what was not. */
export interface TikTokAdsAnswer<T> {
  data: T;
  partial: boolean;
  message: string;
  requestId?: string;
}

const platform = 'tiktok-ads';

/** A request field: lists and objects travel JSON-encoded (in the query string for GETs). */
type ParamValue =
  | string
  | number
  | boolean
  | readonly string[]
  | ReadonlyArray<Record<string, unknown>>
  | Record<string, unknown>
  | undefined;
/** The largest page the Marketing API hands out. */
export const tiktokAdsMaxPageSize = 1000;
/** The most ids one call may name (40011 past it). */
export const tiktokAdsMaxIds = 100;
/** Days one daily report may span. */
export const tiktokAdsMaxReportDays = 30;

/** Envelope codes and what they mean for the caller. */
export const tiktokAdsCodes = {
  ok: 0,
  partialSuccess: 20001,
  permission: 40001,
  invalidParameter: 40002,
  tooManyIds: 40011,
  appRateLimit: 40100,
  missingToken: 40104,
  invalidToken: 40105,
  authCodeUsed: 40110,
  advertiserRateLimit: 40133,
} as const;

/** The failure category of an envelope code (never 0 or 20001, which are answers). */
export function tiktokAdsCategory(code: number, status: number, idempotent: boolean): FailureCategory {
  switch (code) {
    case tiktokAdsCodes.appRateLimit:
    case tiktokAdsCodes.advertiserRateLimit:
      return 'RATE_LIMITED';
    // A long-term token that no longer works (revoked by the person, or the app's access
    // removed): there is no refresh, the connection must be made again.
    case tiktokAdsCodes.permission:
    case tiktokAdsCodes.missingToken:
    case tiktokAdsCodes.invalidToken:
      return 'TOKEN_EXPIRED';
    default:
      if (code >= 50000) return categoryForServerError(status, idempotent);
      if (status >= 300) return categoryForStatus(status, idempotent);
      return 'REJECTED_BY_PLATFORM';
  }
}

/**
 * Every answer is HTTP 200 with `{code, message, request_id, data}`: code 0 and 20001 are
 * answers, every other code is a classified failure. A non-JSON or non-2xx answer is
 * classified by its status.
 */
export function classifyTikTokAdsResponse(
  response: HttpResponse,
  request: { operation: string; idempotent: boolean },
): PlatformError | null {
  let body: Partial<TikTokAdsEnvelope<unknown>> | undefined;
  try {
    body = response.json();
  } catch {
    body = undefined;
  }
  if (body && typeof body.code === 'number') {
    if (body.code === tiktokAdsCodes.ok || body.code === tiktokAdsCodes.partialSuccess) {
      return response.status < 300 ? null : tiktokAdsError(body.code, body, response.status, request);
    }
    return tiktokAdsError(body.code, body, response.status, request);
  }
  if (response.status < 300) {
    return new PlatformError('the answer is not the Marketing API envelope', {
      category: request.idempotent ? 'TRANSIENT' : 'OUTCOME_UNKNOWN',
      platform,
      operation: request.operation,
      status: response.status,
    });
  }
  return new PlatformError(`HTTP ${response.status}`, {
    category: categoryForStatus(response.status, request.idempotent),
    platform,
    operation: request.operation,
    status: response.status,
  });
}

function tiktokAdsError(
  code: number,
  body: Partial<TikTokAdsEnvelope<unknown>>,
  status: number,
  request: { operation: string; idempotent: boolean },
): PlatformError {
  const category = tiktokAdsCategory(code, status, request.idempotent);
  return new PlatformError(body.message ?? `code ${code}`, {
    category,
    platform,
    operation: request.operation,
    code: String(code),
    status,
    requestId: body.request_id,
    // The limits are per second: a second is what "retry in some time" means.
    retryAfterMs: category === 'RATE_LIMITED' ? 1_000 : undefined,
  });
}

export interface TikTokAdsAdvertiserInfo {
  advertiser_id: string;
  name: string;
  status: string;
  currency: string;
  timezone: string;
  owner_bc_id?: string;
}

export interface TikTokAdsCampaign {
  campaign_id: string;
  advertiser_id: string;
  campaign_name: string;
  objective_type?: string;
  budget_mode?: string;
  budget?: number;
  operation_status: string;
  secondary_status?: string;
}

export interface TikTokAdsAdGroup {
  adgroup_id: string;
  campaign_id: string;
  advertiser_id: string;
  adgroup_name: string;
  budget_mode?: string;
  budget?: number;
  operation_status: string;
  secondary_status?: string;
}

export interface TikTokAdsAd {
  ad_id: string;
  adgroup_id: string;
  campaign_id: string;
  advertiser_id: string;
  ad_name: string;
  operation_status: string;
  secondary_status?: string;
}

export interface TikTokAdsReportRow {
  dimensions: Record<string, string>;
  metrics: Record<string, string>;
}

export type TikTokAdsDataLevel = 'AUCTION_ADVERTISER' | 'AUCTION_CAMPAIGN' | 'AUCTION_ADGROUP' | 'AUCTION_AD';

/** The objects a bulk change names: campaigns, ad groups or ads. */
export type TikTokAdsObjectLevel = 'CAMPAIGN' | 'ADGROUP' | 'AD';

const objectKey = { CAMPAIGN: 'campaign', ADGROUP: 'adgroup', AD: 'ad' } as const;

/** What a change of many objects did: the ids taken, and each refused one with TikTok's message. */
export interface TikTokAdsWriteAnswer {
  succeeded: string[];
  failed: Array<{ id: string; message: string }>;
  /** 20001: some were taken, some refused. */
  partial: boolean;
  requestId?: string;
}

/** An object's current settings, as a bulk job compares them with what it wants. */
export interface TikTokAdsObjectState {
  id: string;
  operationStatus: string;
  budget: number | null;
}

export interface TikTokAdsPage<T> {
  list: T[];
  pageInfo: TikTokAdsPageInfo;
}

/**
 * TikTok Marketing API (Business API v1.3): the TikTok for Business OAuth (auth_code → a
 * long-term token, the advertisers it reaches) and the reads inventory and reporting need,
 * each list one page at a time (the caller paces pages; see `listAll`).
 */
export function createTikTokAdsClient(options: TikTokAdsClientOptions) {
  const http = createHttpClient({ ...options.http, platform, classify: classifyTikTokAdsResponse });
  const app = () => {
    if (!options.appId || !options.secret) throw new Error('the TikTok Marketing API app is not configured');
    return { appId: options.appId, secret: options.secret };
  };

  async function call<T>(
    operation: string,
    params: Record<string, ParamValue>,
    settings: { method?: 'GET' | 'POST'; token?: string; idempotent?: boolean } = {},
  ): Promise<TikTokAdsAnswer<T>> {
    const method = settings.method ?? 'GET';
    const url = new URL(`/open_api/v1.3/${operation}/`, options.apiBaseUrl);
    const headers: Record<string, string> = {};
    if (settings.token) headers['access-token'] = settings.token;
    let body: string | undefined;
    if (method === 'GET') {
      for (const [key, value] of Object.entries(params)) {
        if (value === undefined) continue;
        // Lists and objects travel JSON-encoded in the query string.
        url.searchParams.set(key, typeof value === 'object' ? JSON.stringify(value) : String(value));
      }
    } else {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(params);
    }
    const response = await http.send({
      operation,
      method,
      url: url.toString(),
      headers,
      body,
      idempotent: settings.idempotent ?? method === 'GET',
    });
    const envelope = response.json<TikTokAdsEnvelope<T>>();
    options.onAnswer?.({ operation, code: envelope.code, requestId: envelope.request_id });
    return {
      data: envelope.data,
      partial: envelope.code === tiktokAdsCodes.partialSuccess,
      message: envelope.message,
      requestId: envelope.request_id,
    };
  }

  async function page<T>(
    operation: string,
    token: string,
    params: Record<string, ParamValue>,
    listKey: string,
  ): Promise<TikTokAdsPage<T>> {
    const answer = await call<Record<string, unknown>>(operation, params, { token });
    return {
      list: (answer.data[listKey] as T[] | undefined) ?? [],
      pageInfo: answer.data.page_info as TikTokAdsPageInfo,
    };
  }

  const pageParams = (pageNumber: number, pageSize: number) => ({
    page: pageNumber,
    page_size: Math.min(pageSize, tiktokAdsMaxPageSize),
  });

  function writeAnswer(
    answer: TikTokAdsAnswer<Record<string, unknown>>,
    level: TikTokAdsObjectLevel,
    sent: readonly string[],
  ): TikTokAdsWriteAnswer {
    const idKey = `${objectKey[level]}_id`;
    const errors = (answer.data?.error_list as Array<Record<string, unknown>> | undefined) ?? [];
    const failed = errors.map((error) => ({
      id: String(error[idKey]),
      message: typeof error.error_message === 'string' ? error.error_message : answer.message,
    }));
    const refused = new Set(failed.map((item) => item.id));
    // The answer lists what was taken; when it does not (a single-object call), everything
    // not refused was taken.
    const listed = answer.data?.[`${idKey}s`] as unknown[] | undefined;
    const succeeded = listed ? listed.map(String) : sent.filter((id) => !refused.has(id));
    return { succeeded, failed, partial: answer.partial, requestId: answer.requestId };
  }

  return {
    /** The consent page; TikTok sends the person back to `redirectUri` with `auth_code` and `state`. */
    authorizeUrl(params: { redirectUri: string; state: string }): string {
      const target = new URL('/portal/auth', options.portalBaseUrl ?? options.apiBaseUrl);
      target.search = new URLSearchParams({
        app_id: app().appId,
        state: params.state,
        redirect_uri: params.redirectUri,
      }).toString();
      return target.toString();
    },

    /** An auth_code is single use (40110 the second time): never retried. */
    async exchangeAuthCode(authCode: string) {
      const answer = await call<{ access_token: string; advertiser_ids: string[]; scope?: number[] }>(
        'oauth2/access_token',
        { app_id: app().appId, secret: app().secret, auth_code: authCode },
        { method: 'POST', idempotent: false },
      );
      return {
        accessToken: answer.data.access_token,
        advertiserIds: answer.data.advertiser_ids.map(String),
        scope: answer.data.scope ?? [],
      };
    },

    /** Gives the token up (disconnecting): TikTok stops taking it at once. Safe to repeat. */
    async revokeToken(token: string): Promise<void> {
      await call<unknown>(
        'oauth2/revoke_token',
        { app_id: app().appId, secret: app().secret, access_token: token },
        { method: 'POST', idempotent: true },
      );
    },

    /** The advertisers the token reaches. */
    async authorizedAdvertisers(token: string) {
      const answer = await call<{ list: Array<{ advertiser_id: string; advertiser_name: string }> }>(
        'oauth2/advertiser/get',
        { app_id: app().appId, secret: app().secret },
        { token },
      );
      return answer.data.list.map((item) => ({ advertiserId: String(item.advertiser_id), name: item.advertiser_name }));
    },

    businessCenters(token: string, pageNumber = 1, pageSize = 50) {
      return page<{ bc_info: { bc_id: string; name: string; currency?: string; timezone?: string; status?: string } }>(
        'bc/get',
        token,
        pageParams(pageNumber, pageSize),
        'list',
      );
    },

    /** At most 100 ids a call: more are asked in chunks. A partial answer lists the reachable ones. */
    async advertiserInfo(token: string, advertiserIds: string[]) {
      const out: TikTokAdsAdvertiserInfo[] = [];
      let partial = false;
      for (let start = 0; start < advertiserIds.length; start += tiktokAdsMaxIds) {
        const answer = await call<{ list: TikTokAdsAdvertiserInfo[] }>(
          'advertiser/info',
          { advertiser_ids: advertiserIds.slice(start, start + tiktokAdsMaxIds) },
          { token },
        );
        partial ||= answer.partial;
        out.push(...answer.data.list.map((item) => ({ ...item, advertiser_id: String(item.advertiser_id) })));
      }
      return { list: out, partial };
    },

    identities(token: string, advertiserId: string, pageNumber = 1, pageSize = 100) {
      return page<{ identity_id: string; identity_type: string; display_name: string }>(
        'identity/get',
        token,
        { advertiser_id: advertiserId, ...pageParams(pageNumber, pageSize) },
        'identity_list',
      );
    },

    pixels(token: string, advertiserId: string, pageNumber = 1, pageSize = 100) {
      return page<{ pixel_id: string; pixel_code: string; pixel_name: string; activity_status?: string }>(
        'pixel/list',
        token,
        { advertiser_id: advertiserId, ...pageParams(pageNumber, pageSize) },
        'pixels',
      );
    },

    catalogs(token: string, bcId: string, pageNumber = 1, pageSize = 100) {
      return page<{ catalog_id: string; catalog_name: string; catalog_type?: string }>(
        'catalog/get',
        token,
        { bc_id: bcId, ...pageParams(pageNumber, pageSize) },
        'list',
      );
    },

    audiences(token: string, advertiserId: string, pageNumber = 1, pageSize = 100) {
      return page<{ audience_id: string; name: string; audience_type?: string; is_valid?: boolean }>(
        'dmp/custom_audience/list',
        token,
        { advertiser_id: advertiserId, ...pageParams(pageNumber, pageSize) },
        'list',
      );
    },

    campaigns(token: string, advertiserId: string, pageNumber = 1, pageSize = tiktokAdsMaxPageSize) {
      return page<TikTokAdsCampaign>(
        'campaign/get',
        token,
        { advertiser_id: advertiserId, ...pageParams(pageNumber, pageSize) },
        'list',
      );
    },

    adGroups(token: string, advertiserId: string, pageNumber = 1, pageSize = tiktokAdsMaxPageSize) {
      return page<TikTokAdsAdGroup>(
        'adgroup/get',
        token,
        { advertiser_id: advertiserId, ...pageParams(pageNumber, pageSize) },
        'list',
      );
    },

    ads(token: string, advertiserId: string, pageNumber = 1, pageSize = tiktokAdsMaxPageSize) {
      return page<TikTokAdsAd>(
        'ad/get',
        token,
        { advertiser_id: advertiserId, ...pageParams(pageNumber, pageSize) },
        'list',
      );
    },

    /**
     * Enables, pauses (DISABLE) or deletes up to 100 objects of one advertiser. Never retried
     * after a lost answer (the caller reads the objects back before it sends again); a rate-limit
     * refusal changed nothing and is waited out.
     */
    async updateStatus(
      token: string,
      params: {
        advertiserId: string;
        level: TikTokAdsObjectLevel;
        ids: readonly string[];
        status: 'ENABLE' | 'DISABLE' | 'DELETE';
      },
    ): Promise<TikTokAdsWriteAnswer> {
      const key = objectKey[params.level];
      const answer = await call<Record<string, unknown>>(
        `${key}/status/update`,
        {
          advertiser_id: params.advertiserId,
          [`${key}_ids`]: params.ids,
          operation_status: params.status,
          ...(params.level === 'ADGROUP' ? { allow_partial_success: true } : {}),
        },
        { method: 'POST', token, idempotent: false },
      );
      return writeAnswer(answer, params.level, params.ids);
    },

    /** A campaign's budget (one campaign a call). */
    async updateCampaignBudget(token: string, params: { advertiserId: string; campaignId: string; budget: number }) {
      const answer = await call<Record<string, unknown>>(
        'campaign/update',
        { advertiser_id: params.advertiserId, campaign_id: params.campaignId, budget: params.budget },
        { method: 'POST', token, idempotent: false },
      );
      return writeAnswer(answer, 'CAMPAIGN', [params.campaignId]);
    },

    /** Ad group budgets, up to 100 a call. */
    async updateAdGroupBudgets(
      token: string,
      params: { advertiserId: string; budgets: ReadonlyArray<{ id: string; budget: number }> },
    ) {
      const answer = await call<Record<string, unknown>>(
        'adgroup/budget/update',
        {
          advertiser_id: params.advertiserId,
          budget: params.budgets.map((item) => ({ adgroup_id: item.id, budget: item.budget })),
        },
        { method: 'POST', token, idempotent: false },
      );
      return writeAnswer(
        answer,
        'ADGROUP',
        params.budgets.map((item) => item.id),
      );
    },

    /** The current status and budget of up to 100 objects (those TikTok no longer lists are left out). */
    async objectStates(
      token: string,
      params: { advertiserId: string; level: TikTokAdsObjectLevel; ids: readonly string[] },
    ): Promise<TikTokAdsObjectState[]> {
      const key = objectKey[params.level];
      const answer = await call<{ list?: Array<Record<string, unknown>> }>(
        `${key}/get`,
        {
          advertiser_id: params.advertiserId,
          filtering: { [`${key}_ids`]: [...params.ids] },
          page: 1,
          page_size: Math.max(1, params.ids.length),
        },
        { token },
      );
      return (answer.data.list ?? []).map((item) => ({
        id: String(item[`${key}_id`]),
        operationStatus: String(item.operation_status),
        budget: typeof item.budget === 'number' ? item.budget : null,
      }));
    },

    /** One page of daily facts (`stat_time_day`) at `level`, for at most 30 days. */
    report(
      token: string,
      params: {
        advertiserId: string;
        level: TikTokAdsDataLevel;
        metrics: readonly string[];
        startDate: string;
        endDate: string;
        page?: number;
        pageSize?: number;
      },
    ) {
      const idDimension = {
        AUCTION_ADVERTISER: 'advertiser_id',
        AUCTION_CAMPAIGN: 'campaign_id',
        AUCTION_ADGROUP: 'adgroup_id',
        AUCTION_AD: 'ad_id',
      }[params.level];
      return page<TikTokAdsReportRow>(
        'report/integrated/get',
        token,
        {
          advertiser_id: params.advertiserId,
          report_type: 'BASIC',
          data_level: params.level,
          dimensions: [idDimension, 'stat_time_day'],
          metrics: params.metrics,
          start_date: params.startDate,
          end_date: params.endDate,
          ...pageParams(params.page ?? 1, params.pageSize ?? tiktokAdsMaxPageSize),
        },
        'list',
      );
    },
  };
}

export type TikTokAdsClient = ReturnType<typeof createTikTokAdsClient>;

/**
 * Every page of a paged list, one after another: `fetchPage(n)` is called for n = 1, 2 ...
 * until `total_page` is reached (an empty page ends early too, should the total shrink).
 */
export async function* allPages<T>(fetchPage: (pageNumber: number) => Promise<TikTokAdsPage<T>>): AsyncGenerator<T[]> {
  for (let pageNumber = 1; ; pageNumber++) {
    const current = await fetchPage(pageNumber);
    if (current.list.length > 0) yield current.list;
    if (current.list.length === 0 || pageNumber >= (current.pageInfo?.total_page ?? 0)) return;
  }
}
