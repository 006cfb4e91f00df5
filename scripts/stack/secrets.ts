import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StackConfig } from './config.js';
import { StackError } from './errors.js';

/**
 * Secrets the api and the worker must share and keep across restarts: the token key ring
 * (stored tokens stay readable), the media URL key (signed URLs stay valid) and the session
 * cookie key (people stay signed in).
 */
export interface StackSecrets {
  tokenKeys: string;
  mediaSecret: string;
  sessionSecret: string;
}

function made(): StackSecrets {
  return {
    tokenKeys: `local-1:${randomBytes(32).toString('base64')}`,
    mediaSecret: randomBytes(32).toString('base64url'),
    sessionSecret: randomBytes(32).toString('base64url'),
  };
}

/**
 * Reads `<dataDir>/secrets.json`, making what is missing once (a file from an older version
 * gains the secrets it lacks; the ones it has are never replaced).
 */
export async function stackSecrets(dataDir: string): Promise<StackSecrets> {
  const file = join(dataDir, 'secrets.json');
  let text: string | undefined;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  let kept: Partial<StackSecrets> = {};
  try {
    if (text !== undefined) kept = JSON.parse(text) as Partial<StackSecrets>;
  } catch {
    // Made anew, stored tokens would no longer decrypt: the person decides.
    throw new StackError(`${file} is not valid JSON; repair it, or delete it to make new secrets.`);
  }
  const secrets = { ...made(), ...kept };
  if (Object.keys(made()).some((key) => !kept[key as keyof StackSecrets])) {
    await mkdir(dataDir, { recursive: true });
    // Written aside and renamed: a stop halfway never leaves a truncated file.
    await writeFile(`${file}.tmp`, JSON.stringify(secrets), { mode: 0o600 });
    await rename(`${file}.tmp`, file);
  }
  return secrets;
}

/**
 * What the api and the worker both get from the data folder: the shared secrets (a value set
 * in the environment wins) and the media folder with the URL it is served under.
 */
export async function sharedServiceEnv(config: StackConfig) {
  const secrets = await stackSecrets(config.PRESSROOM_DATA_DIR);
  return {
    PRESSROOM_TOKEN_KEYS: config.PRESSROOM_TOKEN_KEYS ?? secrets.tokenKeys,
    PRESSROOM_MEDIA_SECRET: config.PRESSROOM_MEDIA_SECRET ?? secrets.mediaSecret,
    SESSION_SECRET: config.SESSION_SECRET ?? secrets.sessionSecret,
    PRESSROOM_MEDIA_DIR: join(config.PRESSROOM_DATA_DIR, 'media'),
    PRESSROOM_MEDIA_BASE_URL: `http://${config.HOST}:${config.PORT}/media`,
  };
}
