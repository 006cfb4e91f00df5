import pino from 'pino';

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

export function createLogger(level: string, name: string) {
  return pino({ name, level, redact: { paths: redactedPaths, censor: '[redacted]' } });
}

export type Logger = ReturnType<typeof createLogger>;
