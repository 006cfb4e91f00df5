import { randomBytes } from 'node:crypto';
import { EmulatorClock, EmulatorServer, type EmulatorResponse } from './core.js';

// The Telegram Bot API emulator: sendMessage, sendPhoto (the photo URL is downloaded),
// sendMediaGroup; per-chat flood limits answered with 429 and parameters.retry_after.

export interface TelegramEmulatorOptions {
  clock?: EmulatorClock;
  /** Messages per second in one private chat (~1). */
  perChatPerSecond?: number;
  /** Messages per minute in one group (negative chat id) (~20). */
  perGroupPerMinute?: number;
}

export interface EmulatedTelegramMessage {
  message_id: number;
  chatId: number;
  method: 'sendMessage' | 'sendPhoto' | 'sendVideo' | 'sendMediaGroup';
  text?: string;
  caption?: string;
  photoUrl?: string;
  videoUrl?: string;
  mediaGroupId?: string;
  date: number;
}

export interface TelegramEmulatorState {
  botToken: string;
  messages: EmulatedTelegramMessage[];
  nextMessageId: number;
  bots: Array<[string, { id: number; username: string }]>;
  channels: Array<{ id: number; title: string; username?: string; admins: Array<[number, boolean]>; members: number }>;
}

function fail(errorCode: number, description: string, retryAfter?: number): EmulatorResponse {
  return {
    status: errorCode,
    body: {
      ok: false,
      error_code: errorCode,
      description,
      ...(retryAfter !== undefined ? { parameters: { retry_after: retryAfter } } : {}),
    },
  };
}

export class TelegramEmulator {
  readonly server: EmulatorServer;
  /** The server's bot (kept across a restart by restore(): accounts connected with it store it). */
  botToken = `${100000 + Math.floor(Math.random() * 899999)}:${randomBytes(17).toString('base64url')}`;
  readonly messages: EmulatedTelegramMessage[] = [];
  private nextMessageId = 1;
  /** Bots other than the server's (a brand's own bot), by token. */
  private readonly bots = new Map<string, { id: number; username: string }>();
  /** Channels and who administers them, for getChat / getChatMember. */
  readonly channels = new Map<
    number,
    { id: number; title: string; username?: string; admins: Map<number, boolean>; members: number }
  >();
  private readonly serverBot = { id: 6_000_000_001, username: 'pressroom_emulated_bot' };

  constructor(private readonly options: TelegramEmulatorOptions = {}) {
    this.server = new EmulatorServer({
      name: 'telegram',
      state: () => ({ messages: this.messages }),
      clock: options.clock,
      errorBody: (status, _code, message) => ({
        ok: false,
        error_code: status,
        description: message,
        ...(status === 429 ? { parameters: { retry_after: 3 } } : {}),
      }),
    });
    this.chatRoutes();
    this.server.route('POST', '/bot:token/:method', async (request) => {
      if (request.params.token !== this.botToken) return fail(401, 'Unauthorized');
      const body = request.json<{
        chat_id?: number | string;
        text?: string;
        photo?: string;
        video?: string;
        caption?: string;
        media?: Array<{ type: string; media: string; caption?: string }>;
      }>();
      const chatId = Number(body.chat_id);
      if (!Number.isFinite(chatId) || chatId === 0) return fail(400, 'Bad Request: chat not found');
      const method = request.params.method;
      if (method !== 'sendMessage' && method !== 'sendPhoto' && method !== 'sendVideo' && method !== 'sendMediaGroup') {
        return fail(404, 'Not Found');
      }
      const limited = this.flood(chatId);
      if (limited) return fail(429, `Too Many Requests: retry after ${limited}`, limited);
      const date = Math.floor(this.server.clock.now() / 1000);
      const record = (fields: Partial<EmulatedTelegramMessage>) => {
        const message: EmulatedTelegramMessage = {
          message_id: this.nextMessageId++,
          chatId,
          method,
          date,
          ...fields,
        };
        this.messages.push(message);
        return message;
      };
      const render = (message: EmulatedTelegramMessage) => ({
        message_id: message.message_id,
        date: message.date,
        chat: { id: chatId, type: chatId < 0 ? 'supergroup' : 'private' },
        ...(message.text !== undefined ? { text: message.text } : {}),
        ...(message.caption ? { caption: message.caption } : {}),
        ...(message.photoUrl
          ? { photo: [{ file_id: `AgAC${randomBytes(12).toString('base64url')}`, width: 1080, height: 1350 }] }
          : {}),
        ...(message.videoUrl ? { video: { file_id: `BAAC${randomBytes(12).toString('base64url')}` } } : {}),
        ...(message.mediaGroupId ? { media_group_id: message.mediaGroupId } : {}),
      });

      if (method === 'sendMessage') {
        if (!body.text) return fail(400, 'Bad Request: message text is empty');
        if (body.text.length > 4096) return fail(400, 'Bad Request: message is too long');
        return { status: 200, body: { ok: true, result: render(record({ text: body.text })) } };
      }
      if (method === 'sendPhoto') {
        if (!body.photo) return fail(400, 'Bad Request: there is no photo in the request');
        if (!(await this.downloadable(body.photo))) {
          return fail(400, 'Bad Request: wrong file identifier/HTTP URL specified');
        }
        if ((body.caption ?? '').length > 1024) return fail(400, 'Bad Request: message caption is too long');
        return {
          status: 200,
          body: { ok: true, result: render(record({ photoUrl: body.photo, caption: body.caption })) },
        };
      }
      if (method === 'sendVideo') {
        if (!body.video) return fail(400, 'Bad Request: there is no video in the request');
        if (!(await this.downloadable(body.video))) {
          return fail(400, 'Bad Request: wrong file identifier/HTTP URL specified');
        }
        if ((body.caption ?? '').length > 1024) return fail(400, 'Bad Request: message caption is too long');
        return {
          status: 200,
          body: { ok: true, result: render(record({ videoUrl: body.video, caption: body.caption })) },
        };
      }
      const media = body.media ?? [];
      if (media.length < 2 || media.length > 10) {
        return fail(400, 'Bad Request: media group must include 2-10 items');
      }
      for (const item of media) {
        if (!(await this.downloadable(item.media))) return fail(400, 'Bad Request: failed to get HTTP URL content');
      }
      const groupId = String(BigInt(`0x${randomBytes(7).toString('hex')}`));
      const sent = media.map((item) =>
        record({
          ...(item.type === 'video' ? { videoUrl: item.media } : { photoUrl: item.media }),
          caption: item.caption,
          mediaGroupId: groupId,
        }),
      );
      return { status: 200, body: { ok: true, result: sent.map(render) } };
    });
  }

  /** A bot of its own (as @BotFather makes one); its token answers getMe/getChat/getChatMember. */
  createBot(username = `brand_${randomBytes(3).toString('hex')}_bot`): { token: string; id: number; username: string } {
    const bot = { id: 6_000_000_100 + this.bots.size, username };
    const token = `${bot.id}:${randomBytes(17).toString('base64url')}`;
    this.bots.set(token, bot);
    return { token, ...bot };
  }

  /** What a restart must keep: the server's bot, other bots, channels and the messages sent. */
  snapshot(): TelegramEmulatorState {
    return structuredClone({
      botToken: this.botToken,
      messages: this.messages,
      nextMessageId: this.nextMessageId,
      bots: [...this.bots],
      channels: [...this.channels.values()].map((channel) => ({ ...channel, admins: [...channel.admins] })),
    });
  }

  /** Takes back what snapshot() gave, replacing whatever the emulator held. */
  restore(state: TelegramEmulatorState): void {
    const copy = structuredClone(state);
    this.botToken = copy.botToken;
    this.messages.splice(0, this.messages.length, ...copy.messages);
    this.nextMessageId = copy.nextMessageId;
    this.bots.clear();
    for (const [token, bot] of copy.bots) this.bots.set(token, bot);
    this.channels.clear();
    for (const channel of copy.channels) this.channels.set(channel.id, { ...channel, admins: new Map(channel.admins) });
  }

  /** The bot's token revoked at @BotFather: every call with it answers 401 from now on. */
  revokeBot(token: string): void {
    this.bots.delete(token);
  }

  /** A channel; `admins` maps bot ids to whether they may post (`canPost`). */
  createChannel(
    options: {
      title?: string;
      username?: string;
      adminBots?: Array<{ id: number; canPost?: boolean }>;
      /** Subscribers, as getChatMemberCount reports them (250 unless told). */
      members?: number;
    } = {},
  ) {
    const id = -1_001_000_000_000 - this.channels.size - 1;
    const channel = {
      id,
      title: options.title ?? 'Emulated Channel',
      ...(options.username ? { username: options.username } : {}),
      admins: new Map((options.adminBots ?? []).map((bot) => [bot.id, bot.canPost ?? true])),
      members: options.members ?? 250,
    };
    this.channels.set(id, channel);
    return channel;
  }

  get serverBotId(): number {
    return this.serverBot.id;
  }

  /** getMe, getChat, getChatMember: what connecting a channel checks. */
  private chatRoutes(): void {
    const bot = (token: string) => (token === this.botToken ? this.serverBot : this.bots.get(token));
    const find = (chatId: unknown) =>
      typeof chatId === 'string' && chatId.startsWith('@')
        ? [...this.channels.values()].find((channel) => `@${channel.username}` === chatId)
        : this.channels.get(Number(chatId));
    this.server.route('POST', '/bot:token/getMe', (request) => {
      const me = bot(request.params.token!);
      if (!me) return fail(401, 'Unauthorized');
      return {
        status: 200,
        body: { ok: true, result: { id: me.id, is_bot: true, first_name: me.username, username: me.username } },
      };
    });
    this.server.route('POST', '/bot:token/getChat', (request) => {
      if (!bot(request.params.token!)) return fail(401, 'Unauthorized');
      const channel = find(request.json<{ chat_id?: unknown }>().chat_id);
      if (!channel) return fail(400, 'Bad Request: chat not found');
      return {
        status: 200,
        body: {
          ok: true,
          result: {
            id: channel.id,
            type: 'channel',
            title: channel.title,
            ...(channel.username ? { username: channel.username } : {}),
          },
        },
      };
    });
    // The only audience number the Bot API gives; it has no views or reactions per message.
    this.server.route('POST', '/bot:token/getChatMemberCount', (request) => {
      if (!bot(request.params.token!)) return fail(401, 'Unauthorized');
      const channel = find(request.json<{ chat_id?: unknown }>().chat_id);
      if (!channel) return fail(400, 'Bad Request: chat not found');
      return { status: 200, body: { ok: true, result: channel.members } };
    });
    this.server.route('POST', '/bot:token/getChatMember', (request) => {
      const me = bot(request.params.token!);
      if (!me) return fail(401, 'Unauthorized');
      const body = request.json<{ chat_id?: unknown; user_id?: number }>();
      const channel = find(body.chat_id);
      if (!channel) return fail(400, 'Bad Request: chat not found');
      const canPost = channel.admins.get(Number(body.user_id));
      const result =
        canPost === undefined
          ? { status: 'left', user: { id: body.user_id, is_bot: true } }
          : { status: 'administrator', user: { id: body.user_id, is_bot: true }, can_post_messages: canPost };
      return { status: 200, body: { ok: true, result } };
    });
  }

  /** Seconds to wait when the chat is over its flood limit, else 0 (the send is counted). */
  private flood(chatId: number): number {
    return chatId < 0
      ? this.server.rateLimit(`chat:${chatId}`, this.options.perGroupPerMinute ?? 20, 60_000)
      : this.server.rateLimit(`chat:${chatId}`, this.options.perChatPerSecond ?? 1, 1_000);
  }

  private async downloadable(url: string): Promise<boolean> {
    if (!/^https?:\/\//.test(url)) return true; // a file_id
    try {
      return (await fetch(url, { signal: AbortSignal.timeout(10_000) })).ok;
    } catch {
      return false;
    }
  }

  /** Messages in one chat (a channel: its negative id), oldest first. */
  messagesIn(chatId: number | string): EmulatedTelegramMessage[] {
    return this.messages.filter((message) => message.chatId === Number(chatId));
  }

  start(port?: number): Promise<string> {
    return this.server.start(port);
  }

  stop(): Promise<void> {
    return this.server.stop();
  }
}
