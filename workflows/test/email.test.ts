import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ResendEmulator } from '../src/emulators/resend.js';
import { SmtpEmulator } from '../src/emulators/smtp.js';
import type { EmailMessage } from '../src/platforms/email/index.js';
import { createResendSender } from '../src/platforms/resend/index.js';
import { createSmtpSender } from '../src/platforms/smtp/index.js';
import { caught } from './helpers.js';

const message = (key: string): EmailMessage => ({
  from: 'Pressroom <notify@pressroom.test>',
  to: ['reviewer@acme.test'],
  subject: 'A post is waiting for your review',
  html: '<p>Three ways to brew better coffee</p>',
  text: 'Three ways to brew better coffee',
  idempotencyKey: key,
});

describe('Resend client against the Resend emulator', () => {
  let emulator: ResendEmulator;
  let baseUrl: string;
  const waits: number[] = [];
  const sender = () =>
    createResendSender({
      apiKey: 're_test',
      baseUrl,
      http: {
        timeoutMs: 300,
        sleep: (ms) => {
          waits.push(ms);
          emulator.server.clock.advance(ms);
          return Promise.resolve();
        },
      },
    });

  beforeAll(async () => {
    emulator = new ResendEmulator({ apiKeys: ['re_test'] });
    baseUrl = await emulator.start();
  });
  afterAll(async () => {
    await emulator.stop();
  });
  beforeEach(() => {
    waits.length = 0;
    emulator.server.resetRateLimits();
  });

  it('sends once per idempotency key, and refuses the same key for another email', async () => {
    const first = await sender().send(message('notification-1'));
    const again = await sender().send(message('notification-1'));
    expect(again.id).toBe(first.id);
    expect(emulator.emails.filter((email) => email.idempotencyKey === 'notification-1')).toHaveLength(1);
    emulator.server.resetRateLimits();
    const other = await caught(sender().send({ ...message('notification-1'), subject: 'Something else' }));
    expect(other).toMatchObject({ category: 'REJECTED_BY_PLATFORM', status: 409, code: 'invalid_idempotent_request' });
  });

  it('retries a lost answer and a 5xx safely thanks to the key: one email arrives', async () => {
    emulator.server.inject({ pathPrefix: '/emails' }, { kind: 'lost-response' });
    emulator.server.inject({ pathPrefix: '/emails' }, { kind: 'status', status: 500 });
    const sent = await sender().send(message('notification-2'));
    expect(emulator.emails.filter((email) => email.idempotencyKey === 'notification-2')).toEqual([
      expect.objectContaining({ id: sent.id }),
    ]);
    expect(waits).toEqual([500, 1000]);
  });

  it('waits out the 2 requests/s limit by retry-after, and refuses a bad key or a bad email', async () => {
    const client = sender();
    await client.send(message('notification-3'));
    await client.send(message('notification-4'));
    await client.send(message('notification-5'));
    expect(waits).toEqual([1000]);

    const wrongKey = createResendSender({ apiKey: 're_wrong', baseUrl });
    expect(await caught(wrongKey.send(message('notification-6')))).toMatchObject({
      category: 'REJECTED_BY_PLATFORM',
      status: 403,
      code: 'invalid_api_key',
    });
    emulator.server.resetRateLimits();
    const invalid = await caught(sender().send({ ...message('notification-7'), html: undefined, text: undefined }));
    expect(invalid).toMatchObject({ category: 'REJECTED_BY_PLATFORM', status: 422, code: 'validation_error' });
  });
});

describe('SMTP sender against the SMTP emulator', () => {
  let smtp: SmtpEmulator;
  let port: number;
  beforeAll(async () => {
    smtp = new SmtpEmulator({ user: 'pressroom', password: 'smtp-secret' });
    port = await smtp.start();
  });
  afterAll(async () => {
    await smtp.stop();
  });

  const sender = (password = 'smtp-secret') =>
    createSmtpSender({ host: '127.0.0.1', port, user: 'pressroom', password, timeoutMs: 2000 });

  it('delivers a message with AUTH, its Message-ID taken from the idempotency key', async () => {
    const sent = await sender().send(message('notification-42'));
    expect(sent.id).toBe('<notification-42@pressroom>');
    const received = smtp.messages.at(-1)!;
    expect(received).toMatchObject({ from: 'notify@pressroom.test', to: ['reviewer@acme.test'], user: 'pressroom' });
    expect(received.data).toContain('Subject: A post is waiting for your review');
    expect(received.data).toContain('Message-ID: <notification-42@pressroom>');
  });

  it('classifies refusals: bad credentials and 5xx are rejections, 4xx is transient, a lost answer is unknown', async () => {
    expect(await caught(sender('wrong').send(message('n-1')))).toMatchObject({ category: 'REJECTED_BY_PLATFORM' });
    smtp.failNextData({ code: 451, text: '4.3.0 Try again later' });
    expect(await caught(sender().send(message('n-2')))).toMatchObject({ category: 'TRANSIENT', code: '451' });
    smtp.failNextData({ code: 554, text: '5.7.1 Rejected' });
    expect(await caught(sender().send(message('n-3')))).toMatchObject({ category: 'REJECTED_BY_PLATFORM' });
    smtp.failNextData('drop');
    const before = smtp.messages.length;
    expect(await caught(sender().send(message('n-4')))).toMatchObject({ category: 'OUTCOME_UNKNOWN' });
    expect(smtp.messages.length).toBe(before + 1);
    const refused = createSmtpSender({ host: '127.0.0.1', port: 1, timeoutMs: 2000 });
    expect(await caught(refused.send(message('n-5')))).toMatchObject({ category: 'TRANSIENT', code: 'ECONNREFUSED' });
  });
});
