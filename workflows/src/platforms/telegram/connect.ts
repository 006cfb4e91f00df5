import { PlatformError } from '../errors.js';
import { createHttpClient, jsonBody, type HttpClientOptions } from '../http.js';
import { classifyTelegramResponse } from './client.js';

export interface TelegramChannel {
  chatId: string;
  title: string;
  username?: string;
  botUsername: string;
}

/**
 * Checks that a bot may post in a channel before it is connected: the token is a bot's
 * (getMe), the chat exists (getChat), and the bot is an administrator of it allowed to post
 * (getChatMember). Telegram has no OAuth: the bot's token is the credential.
 */
export async function verifyTelegramChannel(
  params: { botToken: string; chat: string; baseUrl?: string },
  http?: Omit<HttpClientOptions, 'platform' | 'classify'>,
): Promise<TelegramChannel> {
  const client = createHttpClient({ ...http, platform: 'telegram', classify: classifyTelegramResponse });
  const base = params.baseUrl ?? 'https://api.telegram.org';
  async function call<T>(method: string, body: Record<string, unknown>): Promise<T> {
    const response = await client.send({
      operation: method,
      method: 'POST',
      url: new URL(`/bot${params.botToken}/${method}`, base).toString(),
      idempotent: true,
      ...jsonBody(body),
    });
    return response.json<{ result: T }>().result;
  }
  const refused = (message: string, code: string) =>
    new PlatformError(message, { category: 'REJECTED_BY_PLATFORM', platform: 'telegram', operation: 'connect', code });

  const bot = await call<{ id: number; is_bot: boolean; username: string }>('getMe', {});
  // A channel is named by its numeric id or its public @username.
  const chat = await call<{ id: number; type: string; title?: string; username?: string }>('getChat', {
    chat_id: params.chat,
  });
  if (chat.type !== 'channel' && chat.type !== 'supergroup') {
    throw refused(`the chat is a ${chat.type}, not a channel`, 'not_a_channel');
  }
  const member = await call<{ status: string; can_post_messages?: boolean }>('getChatMember', {
    chat_id: chat.id,
    user_id: bot.id,
  });
  if (member.status !== 'administrator' && member.status !== 'creator') {
    throw refused(`@${bot.username} is not an administrator of the channel`, 'bot_not_admin');
  }
  if (chat.type === 'channel' && member.can_post_messages === false) {
    throw refused(`@${bot.username} may not post messages in the channel`, 'bot_cannot_post');
  }
  return {
    chatId: String(chat.id),
    title: chat.title ?? chat.username ?? String(chat.id),
    ...(chat.username ? { username: chat.username } : {}),
    botUsername: bot.username,
  };
}
