// The worker's configuration and the dependencies built from it: with the env `npm start`
// hands the worker, every provider is wired to its emulator and works.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrismaClient, type Database } from '@pressroom/db';
import { createTestDatabase, type TestDatabase } from '@pressroom/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStackConfig } from '../../scripts/stack/config.js';
import { startEmulators, type RunningEmulators } from '../../scripts/stack/emulators.js';
import { sharedServiceEnv } from '../../scripts/stack/secrets.js';
import { loadWorkerConfig } from '../src/config.js';
import { activityDependenciesFromConfig } from '../src/dependencies.js';

const base = {
  DATABASE_URL: 'postgresql://postgres:postgres@127.0.0.1:5432/pressroom',
  TEMPORAL_ADDRESS: '127.0.0.1:7233',
};

describe('loadWorkerConfig', () => {
  it('picks the provider whose key is set when none is named (Anthropic, then Resend, first)', () => {
    expect(loadWorkerConfig({ ...base, OPENAI_API_KEY: 'k' })).toMatchObject({ AI_PROVIDER: 'openai' });
    expect(loadWorkerConfig({ ...base, OPENAI_API_KEY: 'k', ANTHROPIC_API_KEY: 'k' })).toMatchObject({
      AI_PROVIDER: 'anthropic',
    });
    expect(loadWorkerConfig({ ...base, SMTP_HOST: 'mail.example.test' })).toMatchObject({ EMAIL_PROVIDER: 'smtp' });
    expect(loadWorkerConfig({ ...base, SMTP_HOST: 'mail.example.test', RESEND_API_KEY: 'k' })).toMatchObject({
      EMAIL_PROVIDER: 'resend',
    });
    expect(loadWorkerConfig(base)).toMatchObject({ AI_PROVIDER: undefined, EMAIL_PROVIDER: undefined });
  });

  it('names the missing variable when a named provider is not configured', () => {
    expect(() => loadWorkerConfig({ ...base, AI_PROVIDER: 'openai', ANTHROPIC_API_KEY: 'k' })).toThrow(
      'invalid configuration: OPENAI_API_KEY: must be set when AI_PROVIDER=openai',
    );
    expect(() => loadWorkerConfig({ ...base, EMAIL_PROVIDER: 'smtp' })).toThrow(
      'invalid configuration: SMTP_HOST: must be set when EMAIL_PROVIDER=smtp',
    );
    expect(() => loadWorkerConfig({ ...base, AI_PROVIDER: 'gemini' })).toThrow(/^invalid configuration: AI_PROVIDER:/);
    expect(() => loadWorkerConfig({ ...base, SMTP_HOST: 'h', SMTP_PORT: 'twenty-five' })).toThrow(
      /^invalid configuration: SMTP_PORT:/,
    );
  });
});

describe('activityDependenciesFromConfig', () => {
  let dataDir: string;
  let emulators: RunningEmulators;
  /** The secrets and media folder `npm start` hands the api and the worker with the emulators' env. */
  let shared: Record<string, string>;
  let database: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'pressroom-worker-config-'));
    await chmod(dataDir, 0o755);
    // No real credentials: every service is emulated, as on a first `npm start`.
    const stackConfig = loadStackConfig({ PRESSROOM_DATA_DIR: dataDir });
    emulators = await startEmulators(stackConfig);
    shared = await sharedServiceEnv(stackConfig);
    database = await createTestDatabase();
    db = createPrismaClient({ databaseUrl: database.url });
  });
  afterAll(async () => {
    await emulators?.stop();
    await db?.$disconnect();
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function emulatorState<T>(baseUrl: string | undefined): Promise<T> {
    return (await fetch(`${baseUrl}/__admin/state`)).json() as Promise<T>;
  }

  it('wires the AI provider, the email sender and the Telegram bot from the stack’s env', async () => {
    const warnings: string[] = [];
    const config = loadWorkerConfig({ ...base, ...shared, ...emulators.env });
    const deps = activityDependenciesFromConfig(config, db, (message) => warnings.push(message));
    expect(warnings).toEqual([]);
    expect(deps.ai?.provider).toBe('anthropic');
    expect(deps.email?.provider).toBe('resend');

    const [post] = await deps.ai!.generatePosts({
      brand: { name: 'Acme Coffee', voice: 'Warm' },
      knowledge: [{ title: 'Beans', content: 'Single-origin beans from Huila, roasted weekly.' }],
      brief: 'Why we roast weekly',
      postCount: 1,
      slidesPerPost: 3,
      platform: 'TIKTOK',
    });
    expect(post?.slides).toHaveLength(3);

    await deps.email!.send({
      from: 'Pressroom <notifications@pressroom.local>',
      to: ['rita@example.test'],
      subject: '1 new post to review',
      text: 'A post is waiting.',
      idempotencyKey: 'worker-config-test',
    });
    const resend = await emulatorState<{ emails: Array<{ subject: string }> }>(emulators.env.RESEND_BASE_URL);
    expect(resend.emails.map((sent) => sent.subject)).toEqual(['1 new post to review']);

    await deps.telegram!.sendMessage('-1001000000001', '1 new post to review');
    const telegram = await emulatorState<{ messages: Array<{ chatId: number; text: string }> }>(
      emulators.env.TELEGRAM_API_BASE_URL,
    );
    expect(telegram.messages).toMatchObject([{ chatId: -1001000000001, text: '1 new post to review' }]);
  });

  it('chooses OpenAI and SMTP when they are named', async () => {
    const config = loadWorkerConfig({
      ...base,
      ...shared,
      ...emulators.env,
      AI_PROVIDER: 'openai',
      EMAIL_PROVIDER: 'smtp',
    });
    const deps = activityDependenciesFromConfig(config, db, () => {});
    expect(deps.ai?.provider).toBe('openai');
    expect(deps.email?.provider).toBe('smtp');
    const sent = await deps.email!.send({
      from: 'Pressroom <notifications@pressroom.local>',
      to: ['rita@example.test'],
      subject: 'Over SMTP',
      text: 'Sent through the SMTP emulator.',
      idempotencyKey: 'worker-config-smtp',
    });
    expect(sent.id).toBeTruthy();
  });

  it('warns once each when no AI provider or no email sender is configured', () => {
    const warnings: string[] = [];
    const deps = activityDependenciesFromConfig(
      loadWorkerConfig({ ...base, PRESSROOM_TOKEN_KEYS: shared.PRESSROOM_TOKEN_KEYS! }),
      db,
      (message) => warnings.push(message),
    );
    expect(deps).toMatchObject({ ai: undefined, email: undefined, telegram: undefined });
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/no AI provider is configured/);
    expect(warnings[1]).toMatch(/no email sender is configured/);
  });
});
