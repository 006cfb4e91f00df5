import type { Platform } from '@pressroom/db';
import type { IssuedTokens } from '../accounts.js';
import type { ConnectableAccount, OAuthConnector } from '../connect.js';
import { isPlatformError, PlatformError } from '../errors.js';
import { facebookCodeChallenge, type FacebookClient } from './client.js';

/**
 * Meta login: Pages (publish, read engagement and insights, video) and the Instagram
 * professional accounts linked to them (publish, insights).
 */
export const metaScopes = [
  'pages_show_list',
  'pages_manage_posts',
  'pages_read_engagement',
  'read_insights',
  'publish_video',
  'business_management',
  'instagram_basic',
  'instagram_content_publish',
  'instagram_manage_insights',
];

/**
 * Each chosen Page or Instagram account is stored with the page token (which does not expire
 * when derived from a long-lived user token) and, as its refresh token, the long-lived user
 * token it was derived from: Meta has no refresh token, and deriving the page token again
 * from a re-exchanged user token is its refresh.
 */
function accountsOf(pages: Awaited<ReturnType<FacebookClient['pages']>>, user: IssuedTokens, scopes: string[]) {
  const tokens = (pageToken: string): IssuedTokens => ({
    accessToken: pageToken,
    refreshToken: user.accessToken,
    ...(user.accessTokenExpiresAt ? { refreshTokenExpiresAt: user.accessTokenExpiresAt } : {}),
    scopes,
  });
  const accounts: ConnectableAccount[] = [];
  for (const page of pages) {
    accounts.push({
      platform: 'FACEBOOK',
      platformAccountId: page.id,
      displayName: page.name,
      avatarUrl: page.picture?.data?.url,
      tokens: tokens(page.access_token),
    });
    const ig = page.instagram_business_account;
    if (ig) {
      accounts.push({
        platform: 'INSTAGRAM',
        platformAccountId: ig.id,
        displayName: ig.name ?? ig.username ?? page.name,
        username: ig.username,
        avatarUrl: ig.profile_picture_url,
        tokens: tokens(page.access_token),
      });
    }
  }
  return accounts;
}

export function metaConnector(client: FacebookClient, scopes: string[] = metaScopes): OAuthConnector {
  return {
    platform: 'FACEBOOK',
    accountPlatforms: ['FACEBOOK', 'INSTAGRAM'],
    scopes,
    codeChallenge: facebookCodeChallenge,
    authorizeUrl: (params) => client.authorizeUrl(params),
    async exchangeCode(params) {
      const short = await client.exchangeCode(params);
      // The short-lived token lasts about two hours; the long-lived one about sixty days.
      return { ...(await client.exchangeLongLived(short.accessToken)), scopes };
    },
    async accounts(tokens) {
      return accountsOf(await client.pages(tokens.accessToken), tokens, tokens.scopes ?? scopes);
    },
    // Every page and Instagram account of one person shares that person's grant to the app.
    sharedGrant: {
      owner: (userToken) =>
        client.me(userToken).then(
          (me) => me.id,
          () => undefined,
        ),
    },
    revoke: (userToken) => client.revoke(userToken),
  };
}

/**
 * The refresh of a Page or Instagram account connected through Meta login: the long-lived
 * user token is exchanged again and the account's page token derived from it. A page the
 * person no longer grants is a refusal (the account needs connecting again).
 */
export function metaRefresh(client: FacebookClient, account: { platform: Platform; platformAccountId: string }) {
  return async (userToken: string): Promise<IssuedTokens> => {
    let user: IssuedTokens;
    try {
      user = await client.exchangeLongLived(userToken);
    } catch (error) {
      // The user token itself is dead (expired, or the app removed): only a new login helps.
      if (!isPlatformError(error, 'TOKEN_EXPIRED')) throw error;
      throw new PlatformError(`the Meta login ended (${error.reason}); connect the account again`, {
        category: 'REJECTED_BY_PLATFORM',
        platform: 'facebook',
        operation: 'refresh',
        code: error.code,
      });
    }
    const found = accountsOf(await client.pages(user.accessToken), user, []).find(
      (candidate) =>
        candidate.platform === account.platform && candidate.platformAccountId === account.platformAccountId,
    );
    if (!found) {
      throw new PlatformError('the login no longer grants this account', {
        category: 'REJECTED_BY_PLATFORM',
        platform: 'facebook',
        operation: 'refresh',
      });
    }
    const { scopes: _unchanged, ...tokens } = found.tokens;
    return tokens;
  };
}

/**
 * Whether an account was connected through Meta login (Facebook login: its token is a page
 * token and its refresh token the person's long-lived user token) rather than Instagram
 * login (an Instagram user token that refreshes itself). Meta login always asks for
 * `pages_show_list` (it lists the person's Pages); Instagram login's scopes are
 * `instagram_business_*` and never name Pages.
 */
export function connectedThroughMeta(scopes: readonly string[]): boolean {
  return scopes.includes('pages_show_list');
}

/**
 * The refresh of an Instagram professional account, by how it was connected: Meta login
 * derives the page token again from a re-exchanged user token (`metaRefresh`); Instagram
 * login exchanges its long-lived token for a new one (`ig_refresh_token`). Sending a Meta
 * account's user token to Instagram's refresh fails, and would mark a healthy account dead.
 */
export function instagramRefresh(clients: {
  instagram: { refreshLongLivedToken(token: string): Promise<{ accessToken: string; accessTokenExpiresAt: Date }> };
  facebook?: FacebookClient;
}) {
  return async (
    refreshToken: string,
    account: { platformAccountId: string; scopes: readonly string[] },
  ): Promise<IssuedTokens> => {
    if (connectedThroughMeta(account.scopes)) {
      if (!clients.facebook) {
        throw new PlatformError('this account was connected through Meta login and the worker has no Meta app', {
          category: 'REJECTED_BY_PLATFORM',
          platform: 'instagram',
          operation: 'refresh',
        });
      }
      return metaRefresh(clients.facebook, { platform: 'INSTAGRAM', platformAccountId: account.platformAccountId })(
        refreshToken,
      );
    }
    // Instagram login: a long-lived token renews itself, and the new one replaces both stored tokens.
    const fresh = await clients.instagram.refreshLongLivedToken(refreshToken);
    return {
      accessToken: fresh.accessToken,
      refreshToken: fresh.accessToken,
      accessTokenExpiresAt: fresh.accessTokenExpiresAt,
    };
  };
}
