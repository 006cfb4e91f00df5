import type { ContactKind, ContactStatus, Database } from '@pressroom/db';
import { z } from 'zod';
import { spendCost } from '../auth/rate-limit.js';
import type { ApiConfig } from '../config.js';
import { NotFoundError } from '../errors.js';
import { recordAudit } from './audit.js';
import { authorize, inTransaction, parseInput, requireUser, type ServiceContext } from './context.js';

/** Largest contact form body accepted (JSON or form-encoded); 413 past it. */
export const contactFormMaxBytes = 16 * 1024;

const email = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const telegramUsername = /^@?[A-Za-z][A-Za-z0-9_]{4,31}$/;
const phone = /^\+?[0-9][0-9 ()-]{5,22}$/;

/** How to answer: an email address, a Telegram username, or a phone number (7 to 15 digits). */
export function contactKindOf(contact: string): ContactKind | null {
  if (email.test(contact)) return 'EMAIL';
  if (phone.test(contact)) {
    const digits = contact.replace(/\D/g, '').length;
    return digits >= 7 && digits <= 15 ? 'PHONE' : null;
  }
  if (telegramUsername.test(contact)) return 'TELEGRAM';
  return null;
}

const noNul = (value: string) => !value.includes('\u0000');
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'required')
    .max(max, `at most ${max} characters`)
    .refine(noNul, 'must not contain NUL characters');

export const contactSubmissionInput = z.object({
  name: text(100),
  contact: text(100).refine(
    (value) => contactKindOf(value) !== null,
    'a Telegram username, a phone number or an email',
  ),
  category: text(60),
  message: text(5_000),
  /** The honeypot: people never see it, form-filling bots do. */
  website: z.string().max(1_000).optional(),
});

export type ContactSubmissionInput = z.input<typeof contactSubmissionInput>;

export type SubmitOutcome =
  | { kind: 'accepted'; id: string; notify: boolean }
  | { kind: 'not_found' }
  | { kind: 'rate_limited'; retryAfterSeconds: number }
  | { kind: 'invalid'; issues: Array<{ path: string; message: string }> };

/** The public form's organization, by its slug; deleted ones are gone. */
export async function contactFormOrganization(db: Database, slug: string) {
  return db.organization.findFirst({ where: { slug, deletedAt: null }, select: { id: true, name: true, slug: true } });
}

/**
 * Takes one submission from `address`'s bucket and then from everyone's; Retry-After is the
 * time until the refusing bucket holds one again.
 */
async function admit(db: Database, config: ApiConfig, address: string): Promise<number | null> {
  const buckets = [
    {
      key: `contact:address:${address}`,
      limit: config.CONTACT_FORM_ADDRESS_LIMIT,
      rate: config.CONTACT_FORM_ADDRESS_LIMIT / config.CONTACT_FORM_ADDRESS_WINDOW_SECONDS,
    },
    {
      key: 'contact:global',
      limit: config.CONTACT_FORM_GLOBAL_LIMIT,
      rate: config.CONTACT_FORM_GLOBAL_LIMIT / config.CONTACT_FORM_GLOBAL_WINDOW_SECONDS,
    },
  ];
  for (const bucket of buckets) {
    const spent = await spendCost(db, bucket.key, 1, bucket.limit, bucket.rate);
    if (!spent.allowed) return Math.max(1, Math.ceil((1 - spent.currentlyAvailable) / bucket.rate));
  }
  return null;
}

/**
 * A public contact form submission: rate-limited per address and for the whole server, then
 * validated and stored (append-only) with its inbox state. Honeypot ones are stored as SPAM and
 * nobody is told; the caller starts the notification of the others.
 */
export async function submitContactForm(
  db: Database,
  config: ApiConfig,
  input: { slug: string; body: unknown; ip: string; userAgent: string },
): Promise<SubmitOutcome> {
  const organization = await contactFormOrganization(db, input.slug);
  if (!organization) return { kind: 'not_found' };
  const retryAfterSeconds = await admit(db, config, input.ip);
  if (retryAfterSeconds !== null) return { kind: 'rate_limited', retryAfterSeconds };
  const parsed = contactSubmissionInput.safeParse(input.body);
  if (!parsed.success) {
    return {
      kind: 'invalid',
      issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    };
  }
  const data = parsed.data;
  const honeypot = (data.website ?? '').trim() !== '';
  // One statement (a nested write is atomic): no interactive transaction to wait for under a
  // burst, so a submission the limits let through is never dropped for want of a connection.
  const submission = await db.contactSubmission.create({
    data: {
      organizationId: organization.id,
      name: data.name,
      contact: data.contact,
      contactKind: contactKindOf(data.contact)!,
      category: data.category,
      message: data.message,
      ip: input.ip,
      userAgent: input.userAgent.slice(0, 500),
      honeypot,
      state: { create: { organizationId: organization.id, status: honeypot ? 'SPAM' : 'NEW' } },
    },
    select: { id: true },
  });
  return { kind: 'accepted', id: submission.id, notify: !honeypot };
}

const setStatusInput = z.object({ submissionId: z.string(), status: z.enum(['NEW', 'ANSWERED', 'SPAM']) });

/** The inbox status lives beside the submission, which never changes. Owners and admins; audited. */
export async function setContactSubmissionStatus(ctx: ServiceContext, input: z.input<typeof setStatusInput>) {
  const data = parseInput(setStatusInput, input);
  const submission = await ctx.db.contactSubmission.findUnique({ where: { id: data.submissionId } });
  if (!submission) throw new NotFoundError('contact submission');
  authorize(ctx, submission.organizationId, 'org:manage', 'contact submission');
  const viewer = requireUser(ctx);
  return inTransaction(ctx, async (tx) => {
    const before = await tx.contactSubmissionState.findUnique({ where: { submissionId: submission.id } });
    const state = await tx.contactSubmissionState.upsert({
      where: { submissionId: submission.id },
      create: {
        submissionId: submission.id,
        organizationId: submission.organizationId,
        status: data.status,
        updatedById: viewer.userId,
      },
      update: { status: data.status, updatedById: viewer.userId },
    });
    await recordAudit(tx, ctx.meta, {
      organizationId: submission.organizationId,
      action: 'contact_submission.set_status',
      targetType: 'ContactSubmission',
      targetId: submission.id,
      metadata: { from: before?.status ?? null, to: data.status satisfies ContactStatus },
    });
    return state;
  });
}

const eraseSenderInput = z.object({
  organizationId: z.string(),
  contact: z
    .string()
    .trim()
    .min(1, 'required')
    .max(100, 'at most 100 characters')
    .refine((value) => contactKindOf(value) !== null, 'a Telegram username, a phone number or an email'),
});

/**
 * A privacy request from one sender: every submission of theirs to this organization is
 * deleted (an email matched case-insensitively, a Telegram username without its @, a phone
 * number by its digits), with its inbox status and the in-app notifications that quoted it.
 * Owners and admins; audited without the contact itself (the audit log outlives the erasure).
 * The table stays append-only: the database function erase_contact_sender() sets a flag that
 * lets its trigger delete this sender's rows and no others.
 */
export async function eraseContactSender(ctx: ServiceContext, input: z.input<typeof eraseSenderInput>) {
  const data = parseInput(eraseSenderInput, input);
  authorize(ctx, data.organizationId, 'org:manage', 'organization');
  const kind = contactKindOf(data.contact)!;
  return inTransaction(ctx, async (tx) => {
    const erased = await tx.$queryRaw<Array<{ id: string }>>`
      SELECT erased AS id FROM erase_contact_sender(${data.organizationId}, ${kind}::"ContactKind", ${data.contact}) AS erased`;
    const ids = erased.map((row) => row.id);
    const notifications = ids.length
      ? await tx.notification.deleteMany({
          where: {
            organizationId: data.organizationId,
            kind: 'contact.received',
            OR: ids.map((id) => ({ payload: { path: ['contactSubmissionId'], equals: id } })),
          },
        })
      : { count: 0 };
    await recordAudit(tx, ctx.meta, {
      organizationId: data.organizationId,
      action: 'contact_sender.erase',
      targetType: 'Organization',
      targetId: data.organizationId,
      metadata: { contactKind: kind, submissionIds: ids, notifications: notifications.count },
    });
    return { erased: ids.length, contactKind: kind };
  });
}
