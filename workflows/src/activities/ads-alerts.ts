import type { AdsAlertKind, AdsAlertRule, Database, NotificationChannel, Prisma } from '@pressroom/db';
import { emitEvent } from '@pressroom/db/events';
import type { EmailSender } from '../platforms/email/index.js';
import { isPlatformError } from '../platforms/errors.js';
import type { TelegramClient } from '../platforms/telegram/index.js';
import { dayIn } from './advertiser-day.js';
import { defaultEmailFrom } from './notifications.js';

// Ads alerts: rules checked after each facts window is merged, after each inventory sync and
// when a connection breaks. A breach is an AdsAlertEvent whose breachKey names what breached
// (advertiser + day, ad + review status, connection + the time it broke); the unique
// (ruleId, breachKey) makes a breach fire once however many syncs, retries or workers see it.
// Each event's deliveries are rows too, sent at most once (see deliverAdsAlerts).

export interface AdsAlertDependencies {
  db: Database;
  /** Without one, EMAIL deliveries stay PENDING. */
  email?: EmailSender;
  emailFrom?: string;
  /** The server's bot; without one, TELEGRAM deliveries stay PENDING. */
  telegram?: TelegramClient;
}

type Tx = Prisma.TransactionClient;

interface Breach {
  advertiserId: string | null;
  breachKey: string;
  message: string;
}

const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const amount = (cents: bigint | number) => money.format(Number(cents) / 100);

/** Rules of `kinds` in the organization that watch `advertiserId` (all, when they name none). */
async function rulesFor(db: Database | Tx, organizationId: string, kinds: AdsAlertKind[], advertiserId?: string) {
  const rules = await db.adsAlertRule.findMany({ where: { organizationId, enabled: true, kind: { in: kinds } } });
  return rules.filter(
    (rule) => !advertiserId || rule.advertiserIds.length === 0 || rule.advertiserIds.includes(advertiserId),
  );
}

/**
 * Records the breaches of one rule that are new, with their deliveries, and announces them
 * (adsAlertFired), all in the caller's transaction. Returns how many fired now.
 */
async function fire(tx: Tx, rule: AdsAlertRule, breaches: Breach[]): Promise<number> {
  if (breaches.length === 0) return 0;
  // ON CONFLICT DO NOTHING: only events made now come back.
  const made = await tx.adsAlertEvent.createManyAndReturn({
    data: breaches.map((breach) => ({
      organizationId: rule.organizationId,
      ruleId: rule.id,
      kind: rule.kind,
      message: breach.message,
      advertiserId: breach.advertiserId,
      breachKey: breach.breachKey,
    })),
    skipDuplicates: true,
    select: { id: true },
  });
  if (made.length === 0) return 0;
  const targets: Array<{ channel: NotificationChannel; target: string }> = [];
  for (const channel of rule.channels) {
    if (channel === 'IN_APP') targets.push({ channel, target: 'app' });
    if (channel === 'EMAIL') for (const email of rule.emailRecipients) targets.push({ channel, target: email });
    if (channel === 'TELEGRAM' && rule.telegramChatId) targets.push({ channel, target: rule.telegramChatId });
  }
  await tx.adsAlertDelivery.createMany({
    data: made.flatMap((event) => targets.map((target) => ({ eventId: event.id, ...target }))),
    skipDuplicates: true,
  });
  await tx.adsAlertRule.update({ where: { id: rule.id }, data: { lastFiredAt: new Date() } });
  for (const event of made) {
    await emitEvent(tx, {
      kind: 'ads.alert.fired',
      organizationId: rule.organizationId,
      payload: { eventId: event.id },
    });
  }
  return made.length;
}

function advertiserLabel(advertiser: { name: string; platformAdvertiserId: string }) {
  return advertiser.name || advertiser.platformAdvertiserId;
}

/**
 * DAILY_SPEND_ABOVE and COST_PER_CONVERSION_ABOVE on the advertiser-level facts of
 * [from, to] (the window just merged). A day revised upward by a later read is the same
 * breach: it does not fire again. A rule watches the days from the one it was created on (the
 * advertiser's day) onward: the days before it, read again each sync or backfilled, are
 * history, and a new rule does not fire once for each of them.
 */
export async function checkAdsFactsAlerts(
  db: Database,
  input: { advertiserId: string; from: string; to: string },
): Promise<number> {
  const advertiser = await db.advertiser.findUnique({ where: { id: input.advertiserId } });
  if (!advertiser) return 0;
  const rules = await rulesFor(
    db,
    advertiser.organizationId,
    ['DAILY_SPEND_ABOVE', 'COST_PER_CONVERSION_ABOVE'],
    advertiser.id,
  );
  if (rules.length === 0) return 0;
  const days = await db.adsDailyFact.findMany({
    where: {
      objectId: advertiser.id,
      level: 'ADVERTISER',
      day: { gte: new Date(`${input.from}T00:00:00Z`), lte: new Date(`${input.to}T00:00:00Z`) },
    },
    select: { day: true, spendCents: true, conversions: true },
    orderBy: { day: 'asc' },
  });
  const currency = advertiser.currency ? ` ${advertiser.currency}` : '';
  const label = advertiserLabel(advertiser);
  let fired = 0;
  for (const rule of rules) {
    const threshold = rule.thresholdCents;
    if (threshold === null) continue;
    const watchedFrom = dayIn(rule.createdAt.getTime(), advertiser.timezone);
    const breaches: Breach[] = [];
    for (const fact of days) {
      const day = fact.day.toISOString().slice(0, 10);
      if (day < watchedFrom) continue;
      if (rule.kind === 'DAILY_SPEND_ABOVE' && fact.spendCents > threshold) {
        breaches.push({
          advertiserId: advertiser.id,
          breachKey: `advertiser:${advertiser.id}:${day}`,
          message: `Spend ${amount(fact.spendCents)}${currency} on ${day} above ${amount(threshold)} (${label})`,
        });
      }
      // spend / conversions > threshold, in integers: spend > threshold × conversions.
      if (
        rule.kind === 'COST_PER_CONVERSION_ABOVE' &&
        fact.conversions > 0n &&
        fact.spendCents > threshold * fact.conversions
      ) {
        const costCents = Number(fact.spendCents) / Number(fact.conversions);
        breaches.push({
          advertiserId: advertiser.id,
          breachKey: `advertiser:${advertiser.id}:${day}`,
          message: `Cost per conversion ${amount(Math.round(costCents))}${currency} on ${day} above ${amount(threshold)} (${label}, ${fact.conversions} conversions)`,
        });
      }
    }
    fired += await db.$transaction((tx) => fire(tx, rule, breaches));
  }
  return fired;
}

/** TikTok's review statuses that mean an ad was refused. */
const rejected = /REJECT|AUDIT_DENY/;

/** AD_REJECTED: ads of the connection (not deleted) whose review status says rejected, once per ad and status. */
export async function checkAdsInventoryAlerts(db: Database, input: { connectionId: string }): Promise<number> {
  const connection = await db.adsConnection.findUnique({ where: { id: input.connectionId } });
  if (!connection) return 0;
  const rules = await rulesFor(db, connection.organizationId, ['AD_REJECTED']);
  if (rules.length === 0) return 0;
  const ads = await db.adsAd.findMany({
    where: {
      advertiser: { connectionId: connection.id },
      deletedAt: null,
      secondaryStatus: { not: null },
    },
    select: {
      id: true,
      name: true,
      platformId: true,
      secondaryStatus: true,
      advertiserId: true,
      advertiser: { select: { name: true, platformAdvertiserId: true } },
    },
  });
  const refused = ads.filter((ad) => rejected.test(ad.secondaryStatus ?? ''));
  let fired = 0;
  for (const rule of rules) {
    const breaches = refused
      .filter((ad) => rule.advertiserIds.length === 0 || rule.advertiserIds.includes(ad.advertiserId))
      .map((ad) => ({
        advertiserId: ad.advertiserId,
        breachKey: `ad:${ad.id}:${ad.secondaryStatus}`,
        message: `Ad “${ad.name || ad.platformId}” rejected (${ad.secondaryStatus}) (${advertiserLabel(ad.advertiser)})`,
      }));
    fired += await db.$transaction((tx) => fire(tx, rule, breaches));
  }
  return fired;
}

/**
 * CONNECTION_BROKEN, in the transaction that moved the connection from ACTIVE to a broken
 * status: the move happens once, so the breach (connection + the time it broke) fires once.
 */
export async function fireConnectionBroken(
  tx: Tx,
  connection: { id: string; organizationId: string; displayName: string | null },
  brokenAt: Date,
  reason: string,
): Promise<number> {
  const rules = await rulesFor(tx, connection.organizationId, ['CONNECTION_BROKEN']);
  let fired = 0;
  for (const rule of rules) {
    fired += await fire(tx, rule, [
      {
        advertiserId: null,
        breachKey: `connection:${connection.id}:${brokenAt.toISOString()}`,
        message: `Connection ${connection.displayName ?? 'TikTok for Business'} broken: ${reason}`,
      },
    ]);
  }
  return fired;
}

/**
 * Moves a delivery on and announces it (adsAlertEventChanged) in one transaction, so a screen
 * showing the event hears of each status it reaches. The claim (PENDING → SENDING) is not
 * announced: it reads as PENDING all the same.
 */
async function settle(
  db: Database,
  delivery: { id: string; event: { id: string; organizationId: string } },
  where: Prisma.AdsAlertDeliveryWhereInput,
  data: Prisma.AdsAlertDeliveryUpdateManyMutationInput,
): Promise<void> {
  await db.$transaction(async (tx) => {
    const moved = await tx.adsAlertDelivery.updateMany({ where: { ...where, id: delivery.id }, data });
    if (moved.count > 0) await announceDelivery(tx, delivery.event, delivery.id);
  });
}

function announceDelivery(tx: Tx, event: { id: string; organizationId: string }, deliveryId: string) {
  return emitEvent(tx, {
    kind: 'ads.alert.delivery_changed',
    organizationId: event.organizationId,
    payload: { eventId: event.id, deliveryId },
  });
}

/** A stuck SENDING row older than this was left by a worker that died mid-call. */
const abandonedAfterMs = 10 * 60_000;
/** Deliveries refused for a passing reason (rate limit, outage) are tried this often, then FAILED. */
const maxAttempts = 5;

/**
 * Sends the organization's PENDING alert deliveries, each at most once: a row is claimed
 * (PENDING → SENDING) before its call, so two runs never send one row; SENT keeps the
 * provider's reference; a definite refusal is FAILED; a call whose answer was lost is UNKNOWN
 * (maybe delivered, never resent) — except email over Resend, whose Idempotency-Key (the
 * delivery id) makes resending safe, so it stays PENDING for the next run.
 */
export async function deliverAdsAlerts(deps: AdsAlertDependencies, organizationId: string): Promise<void> {
  const { db } = deps;
  const resendable = deps.email?.provider === 'resend';
  // A worker died between claiming and settling: whether it sent is not known.
  const abandoned = await db.adsAlertDelivery.findMany({
    where: {
      status: 'SENDING',
      updatedAt: { lt: new Date(Date.now() - abandonedAfterMs) },
      event: { organizationId },
    },
    select: { id: true, channel: true, event: { select: { id: true, organizationId: true } } },
  });
  for (const row of abandoned) {
    const again = row.channel === 'EMAIL' && resendable;
    await settle(
      db,
      row,
      { status: 'SENDING' },
      again
        ? { status: 'PENDING' }
        : { status: 'UNKNOWN', error: 'The worker stopped before the answer came: maybe delivered, not resent.' },
    );
  }
  const pending = await db.adsAlertDelivery.findMany({
    where: { status: 'PENDING', event: { organizationId } },
    include: { event: true },
    orderBy: { createdAt: 'asc' },
  });
  for (const delivery of pending) {
    if (delivery.channel === 'EMAIL' && !deps.email) continue;
    if (delivery.channel === 'TELEGRAM' && !deps.telegram) continue;
    const claimed = await db.adsAlertDelivery.updateMany({
      where: { id: delivery.id, status: 'PENDING' },
      data: { status: 'SENDING', attempts: { increment: 1 } },
    });
    if (claimed.count === 0) continue;
    const attempts = delivery.attempts + 1;
    const subject = `Pressroom ads alert: ${delivery.event.message}`;
    if (delivery.channel === 'IN_APP') {
      await tellMembers(db, delivery.id, delivery.event, subject);
      continue;
    }
    try {
      const reference =
        delivery.channel === 'EMAIL'
          ? (
              await deps.email!.send({
                from: deps.emailFrom ?? defaultEmailFrom,
                to: [delivery.target],
                subject,
                text: `${delivery.event.message}\n\nFired at ${delivery.event.firedAt.toISOString()}.`,
                idempotencyKey: delivery.id,
              })
            ).id
          : String((await deps.telegram!.sendMessage(delivery.target, subject)).message_id);
      await settle(db, delivery, {}, { status: 'SENT', providerReference: reference, sentAt: new Date(), error: null });
    } catch (error) {
      const message = (error as Error).message.slice(0, 1000);
      const refused = isPlatformError(error, 'REJECTED_BY_PLATFORM') || isPlatformError(error, 'TOKEN_EXPIRED');
      // Nothing was done at the provider: safe to try again later.
      const passing = isPlatformError(error, 'RATE_LIMITED') || isPlatformError(error, 'TRANSIENT');
      const status =
        refused || ((passing || (delivery.channel === 'EMAIL' && resendable)) && attempts >= maxAttempts)
          ? 'FAILED'
          : passing || (delivery.channel === 'EMAIL' && resendable)
            ? 'PENDING'
            : 'UNKNOWN';
      await settle(db, delivery, {}, { status, error: message });
    }
  }
}

/** In-app: one notification per owner and admin, made with the delivery in one transaction. */
async function tellMembers(
  db: Database,
  deliveryId: string,
  event: { id: string; organizationId: string; message: string; kind: string },
  subject: string,
) {
  await db.$transaction(async (tx) => {
    const members = await tx.membership.findMany({
      where: { organizationId: event.organizationId, role: { in: ['OWNER', 'ADMIN'] }, user: { deletedAt: null } },
      select: { userId: true },
    });
    const made = await tx.notification.createManyAndReturn({
      data: members.map((member) => ({
        organizationId: event.organizationId,
        userId: member.userId,
        channel: 'IN_APP' as const,
        kind: 'ads.alert',
        subject,
        body: event.message,
        payload: { adsAlertEventId: event.id, kind: event.kind },
        status: 'SENT' as const,
        sentAt: new Date(),
        idempotencyKey: `ads-alert:${deliveryId}:${member.userId}`,
      })),
      skipDuplicates: true,
      select: { id: true, userId: true },
    });
    for (const row of made) {
      await emitEvent(tx, {
        kind: 'notification.created',
        organizationId: event.organizationId,
        payload: { notificationId: row.id, userId: row.userId! },
      });
    }
    await tx.adsAlertDelivery.update({
      where: { id: deliveryId },
      data: { status: 'SENT', providerReference: `${members.length} members`, sentAt: new Date() },
    });
    await announceDelivery(tx, event, deliveryId);
  });
}
