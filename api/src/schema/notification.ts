import { services } from '../context.js';
import * as notifications from '../services/notifications.js';
import { InvalidInputError } from '../errors.js';
import { builder, connectionComplexity } from './builder.js';
import { idFor } from './ids.js';
import { User } from './user.js';

/** Where a notification points, from its payload: the post, publication, batch or account it is about. */
const subjectKinds = [
  ['postId', 'Post'],
  ['publicationId', 'Publication'],
  ['batchId', 'Batch'],
  ['socialAccountId', 'SocialAccount'],
] as const;

export const Notification = builder.prismaNode('Notification', {
  id: { field: 'id' },
  description: 'Something a member was told in the app (the same news also goes by email, and Telegram for reviewers).',
  // Only one's own in-app notifications are found by id.
  findUnique: (id, ctx) => ({ id, channel: 'IN_APP', userId: ctx.viewer?.kind === 'user' ? ctx.viewer.userId : '' }),
  fields: (t) => ({
    kind: t.exposeString('kind', {
      description:
        'batch.ready_for_review, review.reminder, review.escalated, publication.failed, social_account.revoked',
    }),
    subject: t.exposeString('subject'),
    body: t.exposeString('body'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    readAt: t.expose('readAt', { type: 'DateTime', nullable: true }),
    organizationId: t.globalID({ resolve: (row) => ({ type: 'Organization', id: row.organizationId }) }),
    subjectId: t.globalID({
      nullable: true,
      description: 'The object it is about, to open it.',
      resolve: (row) => {
        const payload = (row.payload ?? {}) as Record<string, unknown>;
        for (const [key, type] of subjectKinds) {
          if (typeof payload[key] === 'string') return { type, id: payload[key] };
        }
        return null;
      },
    }),
  }),
});

builder.prismaObjectField(User, 'notifications', (t) =>
  t.relatedConnection('notifications', {
    cursor: 'id',
    description: "The viewer's own in-app notifications, newest first.",
    authScopes: (user, _args, ctx) => ctx.viewer?.kind === 'user' && ctx.viewer.userId === user.id,
    args: { unreadOnly: t.arg.boolean({ required: false }) },
    query: (args) => ({
      where: { channel: 'IN_APP', ...(args.unreadOnly ? { readAt: null } : {}) },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    }),
    totalCount: true,
    complexity: connectionComplexity,
  }),
);

builder.mutationField('markNotificationsRead', (t) =>
  t.int({
    description: "Marks the viewer's own notifications read; answers how many changed.",
    authScopes: { person: true },
    errors: { types: [InvalidInputError] },
    args: { ids: t.arg.globalIDList() },
    resolve: (_root, args, ctx) =>
      notifications.markNotificationsRead(services(ctx), {
        notificationIds: args.ids.map((id) => idFor(id, 'Notification')),
      }),
  }),
);
