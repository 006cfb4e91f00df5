import type { AdsAlertKind, AdsAlertRule, NotificationChannel } from '@pressroom/db';
import { z } from 'zod';
import { InvalidInputError, NotFoundError } from '../errors.js';
import { recordAudit } from './audit.js';
import { authorize, inTransaction, parseInput, type ServiceContext } from './context.js';
import { telegramChatId } from './organizations.js';

// Alert rules: what to watch in an organization's ads (spend or cost per conversion above a
// threshold, a rejected ad, a broken connection) and whom to tell. Managing them needs
// ads:alerts; the worker checks them after each sync (workflows/src/activities/ads-alerts.ts).

/** The kinds that compare money with a threshold; the others take none. */
const thresholdKinds: ReadonlySet<AdsAlertKind> = new Set(['DAILY_SPEND_ABOVE', 'COST_PER_CONVERSION_ABOVE']);

const ruleInput = z
  .object({
    organizationId: z.string(),
    name: z.string().trim().min(1, 'a name').max(120, 'at most 120 characters'),
    kind: z.enum(['DAILY_SPEND_ABOVE', 'COST_PER_CONVERSION_ABOVE', 'AD_REJECTED', 'CONNECTION_BROKEN']),
    threshold: z
      .number()
      .finite()
      .positive('must be greater than 0')
      .max(1_000_000_000, 'at most 1,000,000,000')
      .nullish(),
    advertiserIds: z.array(z.string().min(1)).max(500, 'at most 500 advertisers').nullish(),
    channels: z
      .array(z.enum(['IN_APP', 'EMAIL', 'TELEGRAM']))
      .min(1, 'at least one channel')
      .transform((channels) => [...new Set(channels)]),
    emailRecipients: z
      .array(z.string().trim().toLowerCase().email('an email address'))
      .max(20, 'at most 20 recipients')
      .nullish()
      .transform((emails) => (emails ? [...new Set(emails)] : [])),
    telegramChatId: telegramChatId.nullish(),
    enabled: z.boolean(),
  })
  .superRefine((input, issues) => {
    if (thresholdKinds.has(input.kind) && input.threshold == null) {
      issues.addIssue({
        code: 'custom',
        path: ['threshold'],
        message: 'This kind of rule needs an amount to compare with.',
      });
    }
    if (!thresholdKinds.has(input.kind) && input.threshold != null) {
      issues.addIssue({ code: 'custom', path: ['threshold'], message: 'This kind of rule takes no amount.' });
    }
    if (input.channels.includes('EMAIL') && input.emailRecipients.length === 0) {
      issues.addIssue({ code: 'custom', path: ['emailRecipients'], message: 'Email needs at least one recipient.' });
    }
    if (input.channels.includes('TELEGRAM') && !input.telegramChatId) {
      issues.addIssue({ code: 'custom', path: ['telegramChatId'], message: 'Telegram needs a chat id or @channel.' });
    }
  });

export type AdsAlertRuleInput = z.input<typeof ruleInput>;

/** The rule's columns from a checked input: money in cents, unused targets dropped. */
async function ruleData(ctx: ServiceContext, raw: AdsAlertRuleInput) {
  const input = parseInput(ruleInput, raw);
  authorize(ctx, input.organizationId, 'ads:alerts', 'Organization');
  const advertiserIds = [...new Set(input.advertiserIds ?? [])];
  if (advertiserIds.length > 0) {
    // Another organization's advertiser answers like a missing one.
    const found = await ctx.db.advertiser.count({
      where: { id: { in: advertiserIds }, organizationId: input.organizationId },
    });
    if (found !== advertiserIds.length) {
      throw new InvalidInputError('Some advertisers were not found.', [
        { path: 'advertiserIds', message: 'not found' },
      ]);
    }
  }
  const channels = input.channels as NotificationChannel[];
  return {
    organizationId: input.organizationId,
    name: input.name,
    kind: input.kind,
    thresholdCents: input.threshold == null ? null : BigInt(Math.round(input.threshold * 100)),
    advertiserIds,
    channels,
    // Targets of channels the rule does not use are not kept, so a rule never reads as
    // sending where it does not.
    emailRecipients: channels.includes('EMAIL') ? input.emailRecipients : [],
    telegramChatId: channels.includes('TELEGRAM') ? (input.telegramChatId ?? null) : null,
    enabled: input.enabled,
  };
}

function auditMetadata(rule: AdsAlertRule) {
  return {
    name: rule.name,
    kind: rule.kind,
    threshold: rule.thresholdCents === null ? null : Number(rule.thresholdCents) / 100,
    channels: rule.channels,
    advertisers: rule.advertiserIds.length,
    enabled: rule.enabled,
  };
}

export async function createAdsAlertRule(ctx: ServiceContext, raw: AdsAlertRuleInput): Promise<AdsAlertRule> {
  const data = await ruleData(ctx, raw);
  return inTransaction(ctx, async (tx) => {
    const rule = await tx.adsAlertRule.create({ data });
    await recordAudit(tx, ctx.meta, {
      organizationId: rule.organizationId,
      action: 'ads_alert_rule.create',
      targetType: 'AdsAlertRule',
      targetId: rule.id,
      metadata: auditMetadata(rule),
    });
    return rule;
  });
}

async function ownRule(ctx: ServiceContext, id: string, organizationId?: string) {
  const rule = await ctx.db.adsAlertRule.findUnique({ where: { id } });
  if (!rule || (organizationId && rule.organizationId !== organizationId)) throw new NotFoundError('alert rule');
  authorize(ctx, rule.organizationId, 'ads:alerts', 'alert rule');
  return rule;
}

export async function updateAdsAlertRule(
  ctx: ServiceContext,
  id: string,
  raw: AdsAlertRuleInput,
): Promise<AdsAlertRule> {
  await ownRule(ctx, id, raw.organizationId);
  const data = await ruleData(ctx, raw);
  return inTransaction(ctx, async (tx) => {
    const rule = await tx.adsAlertRule.update({ where: { id }, data });
    await recordAudit(tx, ctx.meta, {
      organizationId: rule.organizationId,
      action: 'ads_alert_rule.update',
      targetType: 'AdsAlertRule',
      targetId: rule.id,
      metadata: auditMetadata(rule),
    });
    return rule;
  });
}

/** Deletes a rule; its past events stay in the organization's history without it. */
export async function deleteAdsAlertRule(ctx: ServiceContext, id: string): Promise<string> {
  const rule = await ownRule(ctx, id);
  return inTransaction(ctx, async (tx) => {
    await tx.adsAlertRule.delete({ where: { id } });
    await recordAudit(tx, ctx.meta, {
      organizationId: rule.organizationId,
      action: 'ads_alert_rule.delete',
      targetType: 'AdsAlertRule',
      targetId: rule.id,
      metadata: auditMetadata(rule),
    });
    return rule.id;
  });
}
