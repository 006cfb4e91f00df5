// A live api with an in-process worker (real workflows), the TikTok and Anthropic emulators on
// loopback, and an organization with a connected TikTok account: what the sdk tests drive.
// By path, not by package name: the sdk is published, and must not depend on the private
// workspace packages its tests start.
import { createVault, parseKeyRing } from '../../prisma/src/vault.js';
import { AnthropicEmulator, TikTokEmulator } from '../../workflows/src/emulators/index.js';
import { createAnthropicGenerator, saveConnectedAccount } from '../../workflows/src/platforms/index.js';
import WebSocket from 'ws';
import { Pressroom, type PressroomOptions } from '../src/index.js';
import {
  gid,
  seedApiToken,
  seedOrganization,
  startTestApi,
  type SeededOrganization,
  type TestApi,
  type TestApiOptions,
} from '../../api/test/kit.js';

export interface Stack {
  api: TestApi;
  org: SeededOrganization;
  tiktok: TikTokEmulator;
  /** The connected TikTok account's global id. */
  accountGid: string;
  /** A Pressroom client with a new token holding `scopes`. */
  client(scopes: string[], options?: Partial<PressroomOptions>): Promise<{ pressroom: Pressroom; token: string }>;
  close(): Promise<void>;
}

export async function startStack(
  env: Record<string, string> = {},
  worker: Pick<NonNullable<TestApiOptions['worker']>, 'webhookSettings'> = {},
): Promise<Stack> {
  const tiktok = new TikTokEmulator({ processingMs: 300 });
  const tiktokUrl = await tiktok.start();
  const anthropic = new AnthropicEmulator({ apiKeys: ['sdk-test-key'], requestsPerMinute: 10_000 });
  const anthropicUrl = await anthropic.start();
  const api = await startTestApi(
    {
      TIKTOK_CLIENT_KEY: 'pressroom-emulated-client',
      TIKTOK_CLIENT_SECRET: 'pressroom-emulated-secret',
      TIKTOK_AUTH_BASE_URL: tiktokUrl,
      TIKTOK_API_BASE_URL: tiktokUrl,
      WORKFLOW_UPDATE_TIMEOUT_MS: '20000',
      ...env,
    },
    {
      worker: {
        ...worker,
        publishSettings: { pollInitialMs: 200, pollMaxMs: 500 },
        activities: {
          ai: createAnthropicGenerator({ apiKey: 'sdk-test-key', baseUrl: anthropicUrl, http: { backoffBaseMs: 10 } }),
          contentSettings: { slidesPerPost: 2 },
        },
      },
    },
  );
  const org = await seedOrganization(api);
  const creator = tiktok.createUser();
  const issued = tiktok.issueTokens(creator.openId);
  const vault = createVault(parseKeyRing(api.config.PRESSROOM_TOKEN_KEYS!));
  const account = await saveConnectedAccount(api.db, vault, {
    organizationId: org.organization.id,
    brandId: org.brand.id,
    platform: 'TIKTOK',
    platformAccountId: creator.openId,
    displayName: creator.displayName,
    tokens: {
      accessToken: issued.access_token,
      refreshToken: issued.refresh_token,
      accessTokenExpiresAt: new Date(Date.now() + issued.expires_in * 1000),
      refreshTokenExpiresAt: new Date(Date.now() + issued.refresh_expires_in * 1000),
      scopes: issued.scope.split(','),
    },
  });
  // The seeded account has no tokens: only the connected one is a publishing target.
  await api.db.socialAccount.updateMany({
    where: { organizationId: org.organization.id, id: { not: account.id } },
    data: { status: 'REVOKED' },
  });
  const clients: Pressroom[] = [];
  return {
    api,
    org,
    tiktok,
    accountGid: gid('SocialAccount', account.id),
    async client(scopes, options = {}) {
      const { token } = await seedApiToken(api, org.organization.id, scopes);
      const pressroom = new Pressroom({ url: api.url, token, webSocketImpl: WebSocket, ...options });
      clients.push(pressroom);
      return { pressroom, token };
    },
    async close() {
      await Promise.allSettled(clients.map((client) => client.close()));
      await api.close();
      await Promise.allSettled([tiktok.stop(), anthropic.stop()]);
    },
  };
}
