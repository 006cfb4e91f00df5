import { Writable } from 'node:stream';
import pino from 'pino';
import { expect, test } from 'vitest';
import { createLogger, redactedPaths } from '../src/logger.js';

test('secrets are censored wherever they sit in a log line', () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const logger = pino({ redact: { paths: redactedPaths, censor: '[redacted]' } }, sink);
  logger.info(
    {
      password: 'p1',
      variables: { newPassword: 'p2', currentPassword: 'p3', token: 't1', caption: 'kept' },
      req: { headers: { cookie: 'c1', authorization: 'Bearer prt_x', 'set-cookie': 's1', 'user-agent': 'kept' } },
      apiToken: { tokenHash: 'h1', secret: 's2' },
    },
    'request',
  );
  const line = lines.join('');
  for (const secret of ['p1', 'p2', 'p3', 't1', 'c1', 'prt_x', 's1', 'h1', 's2'])
    expect(line).not.toContain(`"${secret}`);
  expect(line).toContain('kept');
  expect(line.match(/\[redacted\]/g)?.length).toBe(9);
});

function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, sink };
}

test('for a person at a terminal: one short readable line per entry, secrets still censored', () => {
  const { lines, sink } = capture();
  const logger = createLogger('info', 'api', 'pretty', sink);
  logger.info({ url: 'http://127.0.0.1:4000', password: 'p1' }, 'api listening');
  logger.debug({ path: '/graphql' }, 'request');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\] INFO \(api\): api listening \{.*"url":"http:\/\/127\.0\.0\.1:4000"/);
  expect(lines[0]).not.toContain('p1');
  expect(lines[0]).not.toContain('"pid"');
});

test('for a log collector (the default): one JSON object per line', () => {
  const { lines, sink } = capture();
  createLogger('info', 'api', undefined, sink).info({ password: 'p1' }, 'api listening');
  expect(lines).toHaveLength(1);
  expect(JSON.parse(lines[0]!)).toMatchObject({ level: 30, name: 'api', msg: 'api listening', password: '[redacted]' });
});
