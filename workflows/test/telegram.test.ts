import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TelegramEmulator } from '../src/emulators/telegram.js';
import { createTelegramClient, type TelegramClient } from '../src/platforms/telegram/index.js';
import { caught, servedStorage, solidImage } from './helpers.js';

describe('Telegram client against the Telegram emulator', () => {
  let emulator: TelegramEmulator;
  let client: TelegramClient;
  let baseUrl: string;
  let media: Awaited<ReturnType<typeof servedStorage>>;
  const waits: number[] = [];
  let chat = 1000;

  beforeAll(async () => {
    emulator = new TelegramEmulator();
    baseUrl = await emulator.start();
    client = createTelegramClient({
      botToken: emulator.botToken,
      baseUrl,
      http: {
        sleep: (ms) => {
          waits.push(ms);
          emulator.server.clock.advance(ms);
          return Promise.resolve();
        },
      },
    });
    media = await servedStorage();
    for (const n of [1, 2, 3]) {
      await media.storage.put(`tg/${n}.jpg`, await solidImage(1080, 1350, 'jpeg'), { contentType: 'image/jpeg' });
    }
  });
  afterAll(async () => {
    await emulator.stop();
    await media.close();
  });
  beforeEach(() => {
    waits.length = 0;
    chat++;
  });

  it('sends a message, a photo and a media group', async () => {
    const message = await client.sendMessage(chat, 'New post ready for review');
    expect(message).toMatchObject({ chat: { id: chat }, text: 'New post ready for review' });
    emulator.server.clock.advance(1_000);
    const photo = await client.sendPhoto(chat, media.storage.signedUrl('tg/1.jpg'), 'Slide 1');
    expect(photo.photo?.length).toBeGreaterThan(0);
    emulator.server.clock.advance(1_000);
    const group = await client.sendMediaGroup(
      chat,
      [1, 2, 3].map((n) => ({ type: 'photo' as const, media: media.storage.signedUrl(`tg/${n}.jpg`) })),
    );
    expect(group).toHaveLength(3);
    expect(new Set(group.map((m) => m.media_group_id)).size).toBe(1);
    expect(emulator.messages.filter((m) => m.chatId === chat)).toHaveLength(5);
  });

  it('waits out a flood limit by parameters.retry_after', async () => {
    await client.sendMessage(chat, 'one');
    await client.sendMessage(chat, 'two');
    expect(waits).toEqual([1000]);
    expect(emulator.messages.filter((m) => m.chatId === chat).map((m) => m.text)).toEqual(['one', 'two']);
  });

  it('refuses a wrong bot token without putting it in the error', async () => {
    const wrong = createTelegramClient({ botToken: '123:not-the-token', baseUrl });
    const error = await caught(wrong.sendMessage(chat, 'hi'));
    expect(error).toMatchObject({ category: 'REJECTED_BY_PLATFORM', status: 401 });
    expect(error.message).not.toContain('not-the-token');
  });

  it('refuses a photo it cannot download, and reports a 5xx on a send as OUTCOME_UNKNOWN', async () => {
    const missing = await caught(client.sendPhoto(chat, media.storage.signedUrl('tg/missing.jpg')));
    expect(missing).toMatchObject({ category: 'REJECTED_BY_PLATFORM', status: 400 });
    emulator.server.inject({ pathPrefix: '/bot' }, { kind: 'status', status: 502 });
    const unknown = await caught(client.sendMessage(chat, 'maybe sent'));
    expect(unknown.category).toBe('OUTCOME_UNKNOWN');
    expect(waits).toEqual([]);
  });
});
