import type { ContactKind as ContactKindValue, ContactStatus as ContactStatusValue } from '@pressroom/db';
import { services } from '../context.js';
import * as contact from '../services/contact.js';
import { builder, connectionComplexity } from './builder.js';
import { objectMutationErrors } from './errors.js';
import { idFor, selection } from './ids.js';
import { inViewerOrganizations, Organization } from './organization.js';

const ContactKind = builder.enumType('ContactKind', {
  values: ['TELEGRAM', 'PHONE', 'EMAIL'] as const satisfies readonly ContactKindValue[],
});

const ContactStatus = builder.enumType('ContactStatus', {
  values: ['NEW', 'ANSWERED', 'SPAM'] as const satisfies readonly ContactStatusValue[],
});

export const ContactSubmission = builder.prismaNode('ContactSubmission', {
  id: { field: 'id' },
  description:
    "A message sent through the organization's public contact form (never changed; its status is kept beside it).",
  findUnique: (id, ctx) => ({ id, organizationId: inViewerOrganizations(ctx.viewer) }),
  authScopes: (submission) => ({
    permission: { organizationId: submission.organizationId, permission: 'org:manage' },
  }),
  fields: (t) => ({
    name: t.exposeString('name'),
    contact: t.exposeString('contact'),
    contactKind: t.expose('contactKind', { type: ContactKind }),
    category: t.exposeString('category'),
    message: t.exposeString('message'),
    ip: t.exposeString('ip', { description: 'The address it came from.' }),
    userAgent: t.exposeString('userAgent'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    status: t.field({
      type: ContactStatus,
      select: { state: { select: { status: true } }, honeypot: true },
      description: 'NEW, ANSWERED or SPAM (honeypot-filled submissions start as SPAM).',
      resolve: (submission) => submission.state?.status ?? (submission.honeypot ? 'SPAM' : 'NEW'),
    }),
  }),
});

builder.prismaObjectField(Organization, 'contactSubmissions', (t) =>
  t.relatedConnection('contactSubmissions', {
    cursor: 'id',
    description: 'The contact form inbox, newest first (owners and admins).',
    authScopes: (org) => ({ permission: { organizationId: org.id, permission: 'org:manage' } }),
    args: { status: t.arg({ type: ContactStatus, required: false }) },
    query: (args) => ({
      where: args.status ? { state: { status: args.status } } : {},
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    }),
    complexity: connectionComplexity,
  }),
);

builder.prismaObjectField(Organization, 'contactFormUrl', (t) =>
  t.string({
    select: { slug: true },
    description: 'The public contact form: an HTML page to embed (an iframe on your site) that also takes JSON POSTs.',
    authScopes: (org) => ({ permission: { organizationId: org.id, permission: 'org:read' } }),
    resolve: (org, _args, ctx) =>
      `${ctx.config.PUBLIC_BASE_URL ?? `http://${ctx.config.HOST}:${ctx.config.PORT}`}/contact/${encodeURIComponent(org.slug)}`,
  }),
);

builder.mutationField('setContactSubmissionStatus', (t) =>
  t.prismaField({
    type: ContactSubmission,
    description: 'Marks a contact form submission NEW, ANSWERED or SPAM (owners and admins; audited).',
    authScopes: { person: true },
    errors: { types: objectMutationErrors },
    args: { id: t.arg.globalID(), status: t.arg({ type: ContactStatus }) },
    resolve: async (query, _root, args, ctx) => {
      const state = await contact.setContactSubmissionStatus(services(ctx), {
        submissionId: idFor(args.id, 'ContactSubmission'),
        status: args.status,
      });
      return ctx.db.contactSubmission.findUniqueOrThrow({ ...selection(query), where: { id: state.submissionId } });
    },
  }),
);

const ContactSenderErasure = builder.objectRef<{ erased: number; contactKind: ContactKindValue }>(
  'ContactSenderErasure',
);
ContactSenderErasure.implement({
  description: "What a sender's erasure removed.",
  fields: (t) => ({
    erased: t.exposeInt('erased', { description: 'Submissions deleted (0 when the sender had none).' }),
    contactKind: t.expose('contactKind', { type: ContactKind }),
  }),
});

builder.mutationField('eraseContactSender', (t) =>
  t.field({
    type: ContactSenderErasure,
    description:
      "A sender's privacy request: deletes every contact form submission of theirs to the organization (an email case-insensitively, a Telegram username with or without @, a phone number by its digits), their inbox status and the in-app notifications that quoted them. Owners and admins; audited without the contact.",
    authScopes: { person: true },
    errors: { types: objectMutationErrors },
    args: { organizationId: t.arg.globalID(), contact: t.arg.string() },
    resolve: (_root, args, ctx) =>
      contact.eraseContactSender(services(ctx), {
        organizationId: idFor(args.organizationId, 'Organization'),
        contact: args.contact,
      }),
  }),
);
