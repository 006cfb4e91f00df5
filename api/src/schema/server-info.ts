import rootPackage from '../../../package.json' with { type: 'json' };
import { connectableNetworks } from '../routes/platform.js';
import { builder } from './builder.js';

interface ServerInfoShape {
  version: string;
  node: string;
  connectableNetworks: string[];
  telegramServerBot: boolean;
}

const ServerInfo = builder.objectRef<ServerInfoShape>('ServerInfo').implement({
  description: 'What this api instance is running.',
  fields: (t) => ({
    version: t.exposeString('version', { description: "Pressroom's release." }),
    node: t.exposeString('node', { description: 'Node.js version of the api process.' }),
    connectableNetworks: t.exposeStringList('connectableNetworks', {
      description:
        'Networks this instance can connect, by their `/connect/<name>` name: the OAuth networks whose app credentials are configured (`tiktok`, `facebook` for Facebook Pages and Instagram, `youtube`, `vk`), and `telegram`.',
    }),
    telegramServerBot: t.exposeBoolean('telegramServerBot', {
      description:
        "Whether the server has its own Telegram bot, so a channel can be connected without a bot token of one's own.",
    }),
  }),
});

builder.queryField('serverInfo', (t) =>
  t.field({
    type: ServerInfo,
    resolve: (_root, _args, ctx) => ({
      version: rootPackage.version,
      node: process.versions.node,
      connectableNetworks: connectableNetworks(ctx.config),
      telegramServerBot: Boolean(ctx.config.TELEGRAM_BOT_TOKEN),
    }),
  }),
);
