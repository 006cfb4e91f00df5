import { createTelegramClient, type TelegramMessage } from '../../platforms/telegram/index.js';
import { PublishRefusal, type NetworkPublisher, type PublishContext } from './types.js';

/**
 * Channel posts through the Bot API with the account's own bot (its token is the account's
 * access token; the channel is the account's platform id, `-100…` or `@name`). Text, a photo,
 * a video, or a media group of 2–10. Telegram has nothing to prepare or process and no
 * idempotency: a send whose answer was lost cannot be looked up through the Bot API (a bot
 * cannot read a channel's history), so it is `unknowable` and left to an operator.
 */
export function createTelegramPublisher(options: { baseUrl?: string }): NetworkPublisher {
  const clientFor = async (ctx: PublishContext) =>
    createTelegramClient({
      botToken: await ctx.tokens.accessToken(),
      ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
      // One try per send: a timeout must not be repeated blindly (there is no dedup).
      http: { maxRetries: 0 },
    });

  const linkOf = (chat: string, messageId: string) => {
    if (chat.startsWith('@')) return `https://t.me/${chat.slice(1)}/${messageId}`;
    // Private channels: t.me/c/<id without -100>/<message>.
    const internal = chat.startsWith('-100') ? chat.slice(4) : chat.replace(/^-/, '');
    return `https://t.me/c/${internal}/${messageId}`;
  };

  return {
    platform: 'TELEGRAM',
    label: 'Telegram',
    async prepare() {},
    async init() {},
    async upload() {},
    status() {
      return Promise.resolve({ kind: 'ready' as const });
    },
    async publish(ctx) {
      const telegram = await clientFor(ctx);
      const chat = ctx.platformAccountId;
      const { post } = ctx;
      let sent: TelegramMessage | TelegramMessage[];
      if (post.format === 'VIDEO') {
        if (!post.video) throw new PublishRefusal('the post has no ready video to send', 'REJECTED_BY_PLATFORM');
        sent = await telegram.sendVideo(chat, post.video.url, post.text);
      } else if (post.images.length === 0) {
        sent = await telegram.sendMessage(chat, post.text);
      } else if (post.images.length === 1) {
        sent = await telegram.sendPhoto(chat, post.images[0]!.url, post.text);
      } else {
        sent = await telegram.sendMediaGroup(
          chat,
          post.images.map((image, index) => ({
            type: 'photo' as const,
            media: image.url,
            ...(index === 0 && post.text ? { caption: post.text } : {}),
          })),
        );
      }
      const first = Array.isArray(sent) ? sent[0]! : sent;
      const postId = String(first.message_id);
      return { postId, url: linkOf(chat, postId) };
    },
    find() {
      return Promise.resolve({
        kind: 'unknowable' as const,
        reason:
          'Telegram did not answer the send and its Bot API cannot say whether the message arrived: check the channel, then mark the publication published or retry it',
      });
    },
    urlOf(ctx, postId) {
      return linkOf(ctx.platformAccountId, postId);
    },
  };
}
