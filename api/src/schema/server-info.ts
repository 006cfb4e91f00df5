import rootPackage from '../../../package.json' with { type: 'json' };
import { builder } from './builder.js';

interface ServerInfoShape {
  version: string;
  node: string;
}

const ServerInfo = builder.objectRef<ServerInfoShape>('ServerInfo').implement({
  description: 'What this api instance is running.',
  fields: (t) => ({
    version: t.exposeString('version', { description: "Pressroom's release." }),
    node: t.exposeString('node', { description: 'Node.js version of the api process.' }),
  }),
});

builder.queryField('serverInfo', (t) =>
  t.field({
    type: ServerInfo,
    resolve: () => ({ version: rootPackage.version, node: process.versions.node }),
  }),
);
