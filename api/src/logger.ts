import pino from 'pino';

// Secrets never reach a log line: these paths are censored wherever they appear.
export const redactedPaths = [
  'password',
  '*.password',
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'refreshToken',
  '*.refreshToken',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
];

export function createLogger(level: string, name: string) {
  return pino({ name, level, redact: { paths: redactedPaths, censor: '[redacted]' } });
}

export type Logger = ReturnType<typeof createLogger>;
