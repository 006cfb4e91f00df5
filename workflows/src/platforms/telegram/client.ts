import { PlatformError, categoryForStatus, type FailureCategory } from '../errors.js';
import { createHttpClient, jsonBody, type HttpClientOptions, type HttpResponse } from '../http.js';

export interface TelegramClientOptions {
  botToken: string;
  /** `https://api.telegram.org` or an emulator. */
  baseUrl?: string;
  http?: Omit<HttpClientOptions, 'platform' | 'classify'>;
}

export interface TelegramMessage {
  message_id: number;
  date: number;
  chat: { id: number; type: string };
  text?: string;
  caption?: string;
  photo?: Array<{ file_id: string; width: number; height: number }>;
  media_group_id?: string;
}

export type InputMediaPhoto = { type: 'photo'; media: string; caption?: string; parse_mode?: 'HTML' | 'MarkdownV2' };
export type InputMediaVideo = { type: 'video'; media: string; caption?: string; parse_mode?: 'HTML' | 'MarkdownV2' };

const platform = 'telegram';

export function classifyTelegramResponse(
  response: HttpResponse,
  request: { operation: string; idempotent: boolean },
): PlatformError | null {
  let body: { ok?: boolean; error_code?: number; description?: string; parameters?: { retry_after?: number } };
  try {
    body = response.json();
  } catch {
    return response.status < 300
      ? null
      : new PlatformError(`HTTP ${response.status}`, {
          category: categoryForStatus(response.status, request.idempotent),
          platform,
          operation: request.operation,
          status: response.status,
        });
  }
  if (body.ok) return null;
  // The HTTP status mirrors error_code; where they differ, the HTTP answer is what happened.
  const status = response.status >= 400 ? response.status : (body.error_code ?? response.status);
  // A bot token is not refreshable: 401 means the token is wrong or revoked at @BotFather.
  const category: FailureCategory =
    status === 429
      ? 'RATE_LIMITED'
      : status === 401
        ? 'REJECTED_BY_PLATFORM'
        : categoryForStatus(status, request.idempotent);
  return new PlatformError(body.description ?? `error ${status}`, {
    category,
    platform,
    operation: request.operation,
    status,
    code: String(status),
    retryAfterMs: body.parameters?.retry_after !== undefined ? body.parameters.retry_after * 1000 : undefined,
  });
}

/**
 * The Bot API. The token is part of every URL (`/bot<token>/method`), so errors and retries
 * name only the method, never the URL.
 */
export function createTelegramClient(options: TelegramClientOptions) {
  const http = createHttpClient({ ...options.http, platform, classify: classifyTelegramResponse });
  const base = options.baseUrl ?? 'https://api.telegram.org';

  async function call<T>(method: string, params: Record<string, unknown>, read = false): Promise<T> {
    const payload = jsonBody(params);
    const response = await http.send({
      operation: method,
      method: 'POST',
      url: new URL(`/bot${options.botToken}/${method}`, base).toString(),
      // Sending is not idempotent (no dedup on Telegram's side); a 429 is retried, as nothing was sent.
      idempotent: read,
      ...payload,
    });
    return response.json<{ result: T }>().result;
  }

  return {
    sendMessage(chatId: number | string, text: string, extra: { parse_mode?: 'HTML' | 'MarkdownV2' } = {}) {
      return call<TelegramMessage>('sendMessage', { chat_id: chatId, text, ...extra });
    },
    /** `photo` is a URL Telegram downloads (a signed storage URL) or a file_id. */
    sendPhoto(chatId: number | string, photo: string, caption?: string) {
      return call<TelegramMessage>('sendPhoto', { chat_id: chatId, photo, ...(caption ? { caption } : {}) });
    },
    /** `video` is a URL Telegram downloads (a signed storage URL) or a file_id. */
    sendVideo(chatId: number | string, video: string, caption?: string) {
      return call<TelegramMessage>('sendVideo', { chat_id: chatId, video, ...(caption ? { caption } : {}) });
    },
    /** Subscribers of a channel: the only audience number the Bot API gives (no per-message views). */
    getChatMemberCount(chatId: number | string) {
      return call<number>('getChatMemberCount', { chat_id: chatId }, true);
    },
    sendMediaGroup(chatId: number | string, media: Array<InputMediaPhoto | InputMediaVideo>) {
      if (media.length < 2 || media.length > 10) throw new Error('a media group holds 2 to 10 items');
      return call<TelegramMessage[]>('sendMediaGroup', { chat_id: chatId, media });
    },
  };
}

export type TelegramClient = ReturnType<typeof createTelegramClient>;
