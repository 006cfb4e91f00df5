import { Writable } from 'node:stream';
import pino from 'pino';
import { expect, test } from 'vitest';
import { redactedPaths } from '../src/logger.js';

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
