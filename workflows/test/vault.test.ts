import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createPrismaClient, type Database } from '@pressroom/db';
import { createTestDatabase, type TestDatabase } from '@pressroom/db/testing';
import { oauthStateChoicesContext, oauthStateContext, reencryptSecrets, VaultError } from '@pressroom/db/vault';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TikTokEmulator } from '../src/emulators/tiktok.js';
import { createAccountTokenSource, saveConnectedAccount } from '../src/platforms/accounts.js';
import { createTikTokClient, type TikTokClient } from '../src/platforms/tiktok/index.js';
import { webhookSecretContext } from '../src/webhooks/index.js';
import { seedTenant, testVault } from './helpers.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

describe('token vault', () => {
  const k1 = randomBytes(32);
  const k2 = randomBytes(32);

  it('stores IV ‖ tag ‖ ciphertext and refuses tampering, another context or an unknown key', () => {
    const vault = testVault([['k1', k1]]);
    const sealed = vault.encrypt('act.secret-token', 'ctx');
    expect(sealed.keyId).toBe('k1');
    expect(sealed.ciphertext.length).toBe(12 + 16 + Buffer.byteLength('act.secret-token'));
    expect(vault.decrypt('k1', sealed.ciphertext, 'ctx')).toBe('act.secret-token');
    // A fresh IV each time.
    expect(Buffer.from(vault.encrypt('act.secret-token', 'ctx').ciphertext)).not.toEqual(
      Buffer.from(sealed.ciphertext),
    );
    const tampered = Uint8Array.from(sealed.ciphertext);
    tampered[tampered.length - 1]! ^= 1;
    expect(() => vault.decrypt('k1', tampered, 'ctx')).toThrow(VaultError);
    expect(() => vault.decrypt('k1', sealed.ciphertext, 'other-row')).toThrow(VaultError);
    expect(() => vault.decrypt('k9', sealed.ciphertext, 'ctx')).toThrow(/not in the key ring/);
  });

  it('keeps decrypting under old keys after the current key changes', () => {
    const old = testVault([['k1', k1]]).encrypt('rft.x', 'ctx');
    const rotated = testVault(
      [
        ['k2', k2],
        ['k1', k1],
      ],
      'k2',
    );
    expect(rotated.decrypt(old.keyId, old.ciphertext, 'ctx')).toBe('rft.x');
    expect(rotated.encrypt('rft.x', 'ctx').keyId).toBe('k2');
  });

  describe('stored accounts', () => {
    let database: TestDatabase;
    let db: Database;
    let emulator: TikTokEmulator;
    let client: TikTokClient;

    beforeAll(async () => {
      database = await createTestDatabase();
      db = createPrismaClient({ databaseUrl: database.url });
      emulator = new TikTokEmulator();
      const baseUrl = await emulator.start();
      client = createTikTokClient({
        clientKey: emulator.clientKey,
        clientSecret: emulator.clientSecret,
        authBaseUrl: baseUrl,
        apiBaseUrl: baseUrl,
      });
    });
    afterAll(async () => {
      await emulator.stop();
      await db.$disconnect();
      await database.drop();
    });

    async function connect(vault: ReturnType<typeof testVault>) {
      const tenant = await seedTenant(db);
      const user = emulator.createUser();
      const issued = emulator.issueTokens(user.openId);
      const account = await saveConnectedAccount(db, vault, {
        organizationId: tenant.organizationId,
        brandId: tenant.brandId,
        platform: 'TIKTOK',
        platformAccountId: user.openId,
        displayName: user.displayName,
        tokens: {
          accessToken: issued.access_token,
          refreshToken: issued.refresh_token,
          accessTokenExpiresAt: new Date(Date.now() + issued.expires_in * 1000),
        },
      });
      return { account, issued, tenant };
    }

    it('holds no plaintext token in the raw database row', async () => {
      const { account, issued } = await connect(testVault([['k1', k1]]));
      const raw = new pg.Client({ connectionString: database.url });
      await raw.connect();
      try {
        const { rows } = await raw.query<Record<string, unknown>>('SELECT * FROM "SocialAccount" WHERE id = $1', [
          account.id,
        ]);
        expect(rows).toHaveLength(1);
        const row = rows[0]!;
        expect(Buffer.isBuffer(row.accessTokenCiphertext)).toBe(true);
        for (const secret of [issued.access_token, issued.refresh_token]) {
          for (const value of Object.values(row)) {
            if (Buffer.isBuffer(value)) {
              expect(value.includes(Buffer.from(secret))).toBe(false);
              expect(value.toString('latin1')).not.toContain(secret.slice(4, 20));
            } else {
              expect(JSON.stringify(value) ?? '').not.toContain(secret.slice(4, 20));
            }
          }
        }
        expect(row.tokenKeyId).toBe('k1');
      } finally {
        await raw.end();
      }
    });

    it('re-encrypts every account and pending connect under the new key; every account stays usable', async () => {
      const v1 = testVault([['k1', k1]]);
      const connected = [await connect(v1), await connect(v1), await connect(v1)];
      const { tenant } = connected[0]!;
      const stateHash = randomBytes(32).toString('hex');
      await db.oAuthState.create({
        data: {
          organizationId: tenant.organizationId,
          brandId: tenant.brandId,
          userId: tenant.userId,
          platform: 'TIKTOK',
          stateHash,
          codeVerifierCiphertext: v1.encrypt(
            'verifier-1',
            oauthStateContext({ organizationId: tenant.organizationId, stateHash }),
          ).ciphertext,
          // A consent waiting for the person to choose accounts carries sealed choices as well.
          choicesCiphertext: v1.encrypt(
            '[{"platformAccountId":"page-1"}]',
            oauthStateChoicesContext({ organizationId: tenant.organizationId, stateHash }),
          ).ciphertext,
          tokenKeyId: 'k1',
          redirectUri: 'http://127.0.0.1/connect/tiktok/callback',
          expiresAt: new Date(Date.now() + 600_000),
        },
      });

      // A webhook endpoint's signing secret, and the one its last rotation replaced.
      const endpointId = `endpoint-${stateHash.slice(0, 8)}`;
      const webhookContext = webhookSecretContext({ id: endpointId, organizationId: tenant.organizationId });
      await db.webhookEndpoint.create({
        data: {
          id: endpointId,
          organizationId: tenant.organizationId,
          url: 'https://hooks.example.com/in',
          events: ['post.draft'],
          secretCiphertext: v1.encrypt('whsec_current', webhookContext).ciphertext,
          secretKeyId: 'k1',
          previousSecretCiphertext: v1.encrypt('whsec_previous', webhookContext).ciphertext,
          previousSecretKeyId: 'k1',
        },
      });

      const v2 = testVault(
        [
          ['k2', k2],
          ['k1', k1],
        ],
        'k2',
      );
      const result = await reencryptSecrets(db, v2);
      expect(result.webhookEndpoints).toBe(1);
      const endpoint = await db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId } });
      const onlyNewKey = testVault([['k2', k2]]);
      expect(endpoint).toMatchObject({ secretKeyId: 'k2', previousSecretKeyId: 'k2' });
      expect(onlyNewKey.decrypt('k2', endpoint.secretCiphertext, webhookContext)).toBe('whsec_current');
      expect(onlyNewKey.decrypt('k2', endpoint.previousSecretCiphertext!, webhookContext)).toBe('whsec_previous');
      expect(result.socialAccounts).toBeGreaterThanOrEqual(3);
      expect(result.oauthStates).toBe(1);
      expect(await db.socialAccount.count({ where: { tokenKeyId: 'k1' } })).toBe(0);
      expect(await reencryptSecrets(db, v2)).toEqual({
        socialAccounts: 0,
        oauthStates: 0,
        webhookEndpoints: 0,
        adsConnections: 0,
      });

      // With k1 gone from the ring, every account still works against the platform.
      const onlyK2 = testVault([['k2', k2]]);
      for (const { account, issued } of connected) {
        const source = createAccountTokenSource({
          db,
          vault: onlyK2,
          accountId: account.id,
          refresh: (token) => client.refresh(token),
        });
        expect(await source.accessToken()).toBe(issued.access_token);
        expect((await client.userInfo(source)).open_id).toBe(account.platformAccountId);
      }
      const state = await db.oAuthState.findUniqueOrThrow({ where: { stateHash } });
      expect(
        onlyK2.decrypt(
          state.tokenKeyId,
          state.codeVerifierCiphertext,
          oauthStateContext({ organizationId: tenant.organizationId, stateHash }),
        ),
      ).toBe('verifier-1');
      expect(
        onlyK2.decrypt(
          state.tokenKeyId,
          state.choicesCiphertext!,
          oauthStateChoicesContext({ organizationId: tenant.organizationId, stateHash }),
        ),
      ).toBe('[{"platformAccountId":"page-1"}]');
    });

    it('rotates through the command a person runs (pnpm --filter @pressroom/db tokens:rotate)', async () => {
      const { account, issued } = await connect(testVault([['k1', k1]]));
      const k3 = randomBytes(32);
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'prisma/src/cli.ts', 'tokens:rotate'], {
        cwd: repoRoot,
        encoding: 'utf8',
        env: {
          ...process.env,
          DATABASE_URL: database.url,
          PRESSROOM_TOKEN_KEYS: `k3:${k3.toString('base64')},k2:${k2.toString('base64')},k1:${k1.toString('base64')}`,
          PRESSROOM_TOKEN_KEY_CURRENT: 'k3',
        },
      });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(
        /Re-encrypted \d+ social accounts, \d+ pending connects, \d+ webhook secrets and \d+ ads connections under key "k3"/,
      );
      const source = createAccountTokenSource({
        db,
        vault: testVault([['k3', k3]]),
        accountId: account.id,
        refresh: (token) => client.refresh(token),
      });
      expect(await source.accessToken()).toBe(issued.access_token);
    });
  });
});
