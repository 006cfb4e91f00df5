import type { OAuthConnector } from '../connect.js';
import { staticAccessToken } from '../tokens.js';
import { tiktokCodeChallenge, type TikTokClient } from './client.js';

/** Scopes Pressroom asks for: profile and stats for analytics, video list for sync, publish. */
export const tiktokScopes = [
  'user.info.basic',
  'user.info.profile',
  'user.info.stats',
  'video.list',
  'video.publish',
  'video.upload',
];

export function tiktokConnector(client: TikTokClient, scopes: string[] = tiktokScopes): OAuthConnector {
  return {
    platform: 'TIKTOK',
    scopes,
    codeChallenge: tiktokCodeChallenge,
    authorizeUrl: (params) => client.authorizeUrl(params),
    async exchangeCode(params) {
      const tokens = await client.exchangeCode(params);
      return { ...tokens, platformAccountId: tokens.openId };
    },
    async profile(accessToken) {
      const user = await client.userInfo(staticAccessToken(accessToken), [
        'open_id',
        'display_name',
        'avatar_url',
        'username',
      ]);
      return { displayName: user.display_name ?? '', username: user.username, avatarUrl: user.avatar_url };
    },
    revoke: (token) => client.revoke(token),
  };
}
