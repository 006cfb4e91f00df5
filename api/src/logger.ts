import pino from 'pino';
import pretty from 'pino-pretty';

const secretKeys = [
  'password',
  'currentPassword',
  'newPassword',
  'passwordHash',
  'token',
  'tokenHash',
  'accessToken',
  'refreshToken',
  'secret',
  'authorization',
  'cookie',
  'set-cookie',
];

// Secrets never reach a log line: these keys are censored at the top level, one and two
// levels down (e.g. `variables.password`, `req.headers.cookie`).
export const redactedPaths = [
  ...secretKeys.map((key) => `["${key}"]`),
  ...secretKeys.map((key) => `*["${key}"]`),
  ...secretKeys.map((key) => `*.*["${key}"]`),
];

/** `json`: one JSON object per line (for log collectors); `pretty`: one readable line (for people). */
export type LogFormat = 'json' | 'pretty';

/** The api's logger, writing to stdout unless given another destination (tests). */
export function createLogger(
  level: string,
  name: string,
  format: LogFormat = 'json',
  destination: NodeJS.WritableStream = process.stdout,
) {
  const options = { name, level, redact: { paths: redactedPaths, censor: '[redacted]' } };
  if (format === 'json') return pino(options, destination);
  return pino(
    options,
    pretty({ destination, sync: true, singleLine: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' }),
  );
}

export type Logger = ReturnType<typeof createLogger>;
