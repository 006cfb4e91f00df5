import type { IssuedTokens } from '../accounts.js';
import type { OAuthConnector } from '../connect.js';
import { PlatformError } from '../errors.js';
import { staticAccessToken } from '../tokens.js';
import { vkCodeChallenge, type VkClient } from './client.js';

/** Posting on community walls with photos, and reading the communities the person administers. */
export const vkScopes = ['wall', 'photos', 'groups'];

/**
 * VK ID binds refresh tokens to the device_id of the login, so the stored refresh token
 * carries it: `<device_id> <refresh_token>` (neither contains a space), encrypted as one.
 */
export function packVkRefreshToken(deviceId: string, refreshToken: string): string {
  return `${deviceId} ${refreshToken}`;
}

export function unpackVkRefreshToken(packed: string): { deviceId: string; refreshToken: string } {
  const at = packed.indexOf(' ');
  if (at < 0) {
    throw new PlatformError('the stored VK grant has no device id', {
      category: 'REJECTED_BY_PLATFORM',
      platform: 'vk',
      operation: 'refresh',
    });
  }
  return { deviceId: packed.slice(0, at), refreshToken: packed.slice(at + 1) };
}

/** The refresh for stored VK accounts (VK ID rotates the refresh token: the new one is stored). */
export function vkRefresh(client: VkClient) {
  return async (packed: string): Promise<IssuedTokens> => {
    const { deviceId, refreshToken } = unpackVkRefreshToken(packed);
    const { userId: _user, ...tokens } = await client.refresh(refreshToken, deviceId);
    return {
      ...tokens,
      ...(tokens.refreshToken ? { refreshToken: packVkRefreshToken(deviceId, tokens.refreshToken) } : {}),
    };
  };
}

export function vkConnector(client: VkClient, scopes: string[] = vkScopes): OAuthConnector {
  return {
    platform: 'VK',
    scopes,
    codeChallenge: vkCodeChallenge,
    authorizeUrl: (params) => client.authorizeUrl(params),
    async exchangeCode(params) {
      const deviceId = params.callback.get('device_id');
      if (!deviceId) {
        throw new PlatformError('the callback carried no device_id', {
          category: 'REJECTED_BY_PLATFORM',
          platform: 'vk',
          operation: 'oauth2/auth',
        });
      }
      const { userId: _user, ...tokens } = await client.exchangeCode({ ...params, deviceId });
      return {
        ...tokens,
        ...(tokens.refreshToken ? { refreshToken: packVkRefreshToken(deviceId, tokens.refreshToken) } : {}),
      };
    },
    async accounts(tokens) {
      const groups = await client.adminGroups(staticAccessToken(tokens.accessToken));
      return groups.map((group) => ({
        platform: 'VK' as const,
        platformAccountId: String(group.id),
        displayName: group.name,
        username: group.screen_name,
        avatarUrl: group.photo_200,
        tokens,
      }));
    },
    // A rotating refresh token cannot serve two stored accounts: one community per consent.
    maxChoices: 1,
    async revoke(token) {
      // Disconnect hands over the stored refresh token; VK ID revokes by either token.
      await client.revoke(token.includes(' ') ? unpackVkRefreshToken(token).refreshToken : token);
    },
  };
}
