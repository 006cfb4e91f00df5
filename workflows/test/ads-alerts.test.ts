// Ads alerts end to end on the emulators: the facts sync fires a spend breach once however
// often it re-reads the day, its email reaches the Resend emulator and its message the Telegram
// emulator exactly once, and every delivery is recorded with the provider's reference. An ad
// rejected in review fires once and is told in the app to owners and admins; cost per
// conversion fires once per breaching day; a Telegram answer lost in transit ends UNKNOWN and
// is never sent again, while a lost Resend answer is asked again under its idempotency key.
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AdsAlertKind, Database, NotificationChannel } from '@pressroom/db';
import { adsConnectionTokenContext } from '@pressroom/db/vault';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResendEmulator } from '../src/emulators/resend.js';
import { TelegramEmulator } from '../src/emulators/telegram.js';
import { TikTokAdsEmulator } from '../src/emulators/tiktok-ads.js';
import { createResendSender } from '../src/platforms/resend/index.js';
import { createTelegramClient } from '../src/platforms/telegram/index.js';
import { createTikTokAdsClient } from '../src/platforms/tiktok-ads/index.js';
import { createTikTokClient } from '../src/platforms/tiktok/index.js';
import { createLocalStorage, createUrlSigner } from '../src/storage/index.js';
import { syncAdsInventoryWorkflow } from '../src/workflows/ads.js';
import { syncAdsFactsWorkflow } from '../src/workflows/ads-backfill.js';
import { seedTenant, testVault } from './helpers.js';
import { startWorkerHarness, type WorkerHarness } from './support/worker-harness.js';

const taskQueue = `ads-alerts-test-${randomBytes(4).toString('hex')}`;

function newChatId(): string {
  return `-100${1_000_000_000 + Math.floor(Math.random() * 8_999_999_999)}`;
}

describe('ads alerts', () => {
  let harness: WorkerHarness;
  let db: Database;
  let client: Client;
  const ads = new TikTokAdsEmulator({ advertiserRequestsPerSecond: 10, appRequestsPerSecond: 20 });
  const resend = new ResendEmulator({ apiKeys: ['re_alerts'], requestsPerSecond: 50 });
  const telegram = new TelegramEmulator();
  const vault = testVault();
  let adsUrl = '';

  beforeAll(async () => {
    let resendUrl: string, telegramUrl: string;
    [adsUrl, resendUrl, telegramUrl] = await Promise.all([ads.start(), resend.start(), telegram.start()]);
    harness = await startWorkerHarness({
      taskQueue,
      activities: () => ({
        vault,
        tiktok: createTikTokClient({ clientKey: 'x', clientSecret: 'x', authBaseUrl: adsUrl, apiBaseUrl: adsUrl }),
        storage: createLocalStorage({
          root: join(tmpdir(), `pressroom-alerts-${randomBytes(4).toString('hex')}`),
          signer: createUrlSigner({ baseUrl: 'http://127.0.0.1:9/media', secret: 'x'.repeat(32) }),
        }),
        tiktokAds: createTikTokAdsClient({ apiBaseUrl: adsUrl, appId: ads.appId, secret: ads.secret }),
        adsSettings: { minCallIntervalMs: 20, pageSize: 50 },
        // Three days: every sync reads them all again (revisionDays), as TikTok revises them.
        adsFactsSettings: {
          backfillDays: 3,
          revisionDays: 3,
          pageSize: 100,
          minCallIntervalMs: 20,
          now: () => ads.clock.now(),
        },
        email: createResendSender({ apiKey: 're_alerts', baseUrl: resendUrl, http: { maxRetries: 0 } }),
        telegram: createTelegramClient({ botToken: telegram.botToken, baseUrl: telegramUrl, http: { maxRetries: 0 } }),
      }),
      cleanups: [() => ads.stop(), () => resend.stop(), () => telegram.stop()],
    });
    ({ db, client } = harness);
  });
  afterAll(() => harness?.close());

  async function connected() {
    const owner = ads.createAdvertiserOwner({ advertisers: 1, campaigns: 1, adGroups: 1, ads: 2 });
    const { accessToken } = ads.issueToken(owner.userId);
    const tenant = await seedTenant(db);
    const id = randomBytes(8).toString('hex');
    const sealed = vault.encrypt(accessToken, adsConnectionTokenContext({ id, organizationId: tenant.organizationId }));
    await db.adsConnection.create({
      data: {
        id,
        organizationId: tenant.organizationId,
        accessTokenCiphertext: sealed.ciphertext,
        tokenKeyId: sealed.keyId,
      },
    });
    await inventory(id);
    return { owner, tenant, connectionId: id };
  }

  const inventory = (connectionId: string) =>
    client.workflow.execute(syncAdsInventoryWorkflow, {
      taskQueue,
      workflowId: `alerts-inv-${randomBytes(6).toString('hex')}`,
      args: [{ connectionId }],
    });
  const syncFacts = (connectionId: string) =>
    client.workflow.execute(syncAdsFactsWorkflow, {
      taskQueue,
      workflowId: `alerts-facts-${randomBytes(6).toString('hex')}`,
      args: [{ connectionId }],
    });

  /** The advertiser's day of `at` (a rule watches days from the one it was created on). */
  const dayOf = (at: Date, timeZone: string | null) =>
    new Intl.DateTimeFormat('en-CA', {
      timeZone: timeZone || 'UTC',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(at);
  const isoDay = (day: Date) => day.toISOString().slice(0, 10);

  async function rule(
    organizationId: string,
    kind: AdsAlertKind,
    fields: {
      thresholdCents?: bigint;
      channels: NotificationChannel[];
      email?: string;
      chat?: string;
      enabled?: boolean;
    },
  ) {
    return db.adsAlertRule.create({
      data: {
        organizationId,
        name: `${kind} ${randomBytes(3).toString('hex')}`,
        kind,
        thresholdCents: fields.thresholdCents ?? null,
        channels: fields.channels,
        emailRecipients: fields.email ? [fields.email] : [],
        telegramChatId: fields.chat ?? null,
        enabled: fields.enabled ?? true,
      },
    });
  }

  it('fires a spend breach once across two syncs, reaching email and Telegram once each; a disabled rule fires nothing', async () => {
    const { tenant, connectionId } = await connected();
    const chat = newChatId();
    const email = `alerts-${randomBytes(3).toString('hex')}@example.test`;
    const channels: NotificationChannel[] = ['IN_APP', 'EMAIL', 'TELEGRAM'];
    // One cent: every day with any spend breaches.
    const spend = await rule(tenant.organizationId, 'DAILY_SPEND_ABOVE', { thresholdCents: 1n, channels, email, chat });
    const disabled = await rule(tenant.organizationId, 'DAILY_SPEND_ABOVE', {
      thresholdCents: 1n,
      channels,
      email,
      chat,
      enabled: false,
    });

    await syncFacts(connectionId);
    await syncFacts(connectionId);

    const advertiser = await db.advertiser.findFirstOrThrow({ where: { connectionId } });
    // The rule watches the days from its creation on (today): the backfilled days before it do not fire.
    const watchedFrom = dayOf(spend.createdAt, advertiser.timezone);
    const breachingDays = (
      await db.adsDailyFact.findMany({
        where: { objectId: advertiser.id, level: 'ADVERTISER', spendCents: { gt: 1n } },
      })
    ).filter((fact) => isoDay(fact.day) >= watchedFrom).length;
    expect(breachingDays).toBeGreaterThan(0);
    const events = await db.adsAlertEvent.findMany({ where: { ruleId: spend.id }, include: { deliveries: true } });
    expect(events).toHaveLength(breachingDays);
    expect(new Set(events.map((event) => event.breachKey)).size).toBe(breachingDays);
    expect(await db.adsAlertEvent.count({ where: { ruleId: disabled.id } })).toBe(0);

    for (const event of events) {
      expect(event.message).toMatch(/^Spend [\d,]+\.\d\d USD on \d{4}-\d\d-\d\d above 0\.01 /);
      expect(event.deliveries.map((d) => d.channel).sort()).toEqual(['EMAIL', 'IN_APP', 'TELEGRAM']);
      for (const delivery of event.deliveries) {
        expect(delivery).toMatchObject({ status: 'SENT', attempts: 1, error: null });
        expect(delivery.providerReference).toBeTruthy();
        expect(delivery.sentAt).toBeInstanceOf(Date);
      }
      const mail = event.deliveries.find((d) => d.channel === 'EMAIL')!;
      // Exactly one email per breach at the provider, keyed by its delivery.
      const sent = resend.emails.filter((e) => e.idempotencyKey === mail.id);
      expect(sent).toHaveLength(1);
      expect(sent[0]!.id).toBe(mail.providerReference);
      expect(sent[0]!.to).toEqual([email]);
    }
    expect(resend.emails.filter((e) => e.to.includes(email))).toHaveLength(breachingDays);
    const messages = telegram.messages.filter((m) => String(m.chatId) === chat);
    expect(messages).toHaveLength(breachingDays);
    const references = events.map((e) => e.deliveries.find((d) => d.channel === 'TELEGRAM')!.providerReference);
    expect(messages.map((m) => String(m.message_id)).sort()).toEqual([...references].sort());
    // In-app: the owner is told once per breach, as a notification (notificationReceived streams those).
    const notifications = await db.notification.findMany({
      where: { organizationId: tenant.organizationId, kind: 'ads.alert' },
    });
    expect(notifications).toHaveLength(breachingDays);
    const ruleRow = await db.adsAlertRule.findUniqueOrThrow({ where: { id: spend.id } });
    expect(ruleRow.lastFiredAt).toBeInstanceOf(Date);
    // Each delivery's move to SENT was announced once (adsAlertEventChanged streams those).
    const announced = await db.$queryRaw<Array<{ eventId: string; deliveryId: string }>>`
      SELECT "payload"->>'eventId' AS "eventId", "payload"->>'deliveryId' AS "deliveryId" FROM "DomainEvent"
      WHERE "organizationId" = ${tenant.organizationId} AND "kind" = 'ads.alert.delivery_changed'`;
    expect(announced.map((a) => `${a.eventId}/${a.deliveryId}`).sort()).toEqual(
      events.flatMap((event) => event.deliveries.map((d) => `${event.id}/${d.id}`)).sort(),
    );
  });

  it('records a refused Telegram message FAILED while the email is SENT', async () => {
    const { tenant, connectionId } = await connected();
    const chat = newChatId();
    const email = `alerts-${randomBytes(3).toString('hex')}@example.test`;
    const spend = await rule(tenant.organizationId, 'DAILY_SPEND_ABOVE', {
      thresholdCents: 1n,
      channels: ['EMAIL', 'TELEGRAM'],
      email,
      chat,
    });
    telegram.server.inject(
      { method: 'POST', pathPrefix: '/bot' },
      { kind: 'status', status: 403, message: 'Forbidden: bot was kicked from the supergroup chat' },
      50,
    );
    try {
      await syncFacts(connectionId);
    } finally {
      telegram.server.clearFaults();
    }
    const deliveries = await db.adsAlertDelivery.findMany({ where: { event: { ruleId: spend.id } } });
    expect(deliveries.length).toBeGreaterThan(0);
    for (const delivery of deliveries) {
      if (delivery.channel === 'EMAIL') {
        expect(delivery).toMatchObject({ status: 'SENT', attempts: 1 });
        expect(delivery.providerReference).toBeTruthy();
      } else {
        expect(delivery).toMatchObject({ status: 'FAILED', attempts: 1, providerReference: null });
        expect(delivery.error).toMatch(/kicked/);
      }
    }
    expect(telegram.messages.filter((m) => String(m.chatId) === chat)).toHaveLength(0);
  });

  it('fires CONNECTION_BROKEN once when the token is refused, however many syncs see it', async () => {
    const { owner, tenant, connectionId } = await connected();
    const chat = newChatId();
    const broken = await rule(tenant.organizationId, 'CONNECTION_BROKEN', { channels: ['IN_APP', 'TELEGRAM'], chat });
    ads.revokeTokens(owner.userId);
    expect(await inventory(connectionId)).toMatchObject({ state: 'RECONNECT_NEEDED' });
    await inventory(connectionId);
    await syncFacts(connectionId);
    const connection = await db.adsConnection.findUniqueOrThrow({ where: { id: connectionId } });
    expect(connection.status).toBe('RECONNECT_NEEDED');
    const events = await db.adsAlertEvent.findMany({ where: { ruleId: broken.id }, include: { deliveries: true } });
    expect(events).toHaveLength(1);
    expect(events[0]!.breachKey).toMatch(new RegExp(`^connection:${connectionId}:`));
    expect(events[0]!.deliveries.map((d) => d.status)).toEqual(['SENT', 'SENT']);
    expect(telegram.messages.filter((m) => String(m.chatId) === chat)).toHaveLength(1);
  });
  it('fires AD_REJECTED once when review rejects an ad, not again on the next syncs; owners and admins are told in the app, an editor is not', async () => {
    const { tenant, connectionId } = await connected();
    const suffix = randomBytes(3).toString('hex');
    const admin = await db.user.create({
      data: { email: `admin-${suffix}@example.test`, name: 'Admin', passwordHash: 'scrypt$unused' },
    });
    const editor = await db.user.create({
      data: { email: `editor-${suffix}@example.test`, name: 'Editor', passwordHash: 'scrypt$unused' },
    });
    await db.membership.createMany({
      data: [
        { organizationId: tenant.organizationId, userId: admin.id, role: 'ADMIN' },
        { organizationId: tenant.organizationId, userId: editor.id, role: 'EDITOR' },
      ],
    });
    const chat = newChatId();
    const rejected = await rule(tenant.organizationId, 'AD_REJECTED', { channels: ['IN_APP', 'TELEGRAM'], chat });

    // Nothing is rejected yet.
    await inventory(connectionId);
    expect(await db.adsAlertEvent.count({ where: { ruleId: rejected.id } })).toBe(0);

    const ad = await db.adsAd.findFirstOrThrow({ where: { advertiser: { connectionId } }, orderBy: { name: 'asc' } });
    ads.reviewAd(ad.platformId, 'AD_STATUS_REJECT');
    await inventory(connectionId);
    await inventory(connectionId);
    await syncFacts(connectionId);

    const events = await db.adsAlertEvent.findMany({ where: { ruleId: rejected.id }, include: { deliveries: true } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'AD_REJECTED', breachKey: `ad:${ad.id}:AD_STATUS_REJECT` });
    expect(events[0]!.message).toContain(ad.name);
    expect(events[0]!.deliveries.map((d) => [d.channel, d.status]).sort()).toEqual([
      ['IN_APP', 'SENT'],
      ['TELEGRAM', 'SENT'],
    ]);
    expect(telegram.messages.filter((m) => String(m.chatId) === chat)).toHaveLength(1);

    const notifications = await db.notification.findMany({
      where: { organizationId: tenant.organizationId, kind: 'ads.alert' },
    });
    expect(notifications.map((n) => n.userId).sort()).toEqual([tenant.userId, admin.id].sort());
    for (const notification of notifications) {
      expect(notification).toMatchObject({ channel: 'IN_APP', status: 'SENT', body: events[0]!.message });
      expect(notification.payload).toMatchObject({ adsAlertEventId: events[0]!.id, kind: 'AD_REJECTED' });
    }
    // notificationReceived streams these: one notification.created event per member told.
    const created = await db.$queryRaw<Array<{ userId: string }>>`
      SELECT "payload"->>'userId' AS "userId" FROM "DomainEvent"
      WHERE "organizationId" = ${tenant.organizationId} AND "kind" = 'notification.created'`;
    expect(created.map((e) => e.userId).sort()).toEqual([tenant.userId, admin.id].sort());
  });

  it('fires AD_REJECTED for an ad that is paused as well as rejected: its review status shows through the pause', async () => {
    const { owner, tenant, connectionId } = await connected();
    const rejected = await rule(tenant.organizationId, 'AD_REJECTED', { channels: ['IN_APP'] });
    const [first, second] = await db.adsAd.findMany({
      where: { advertiser: { connectionId } },
      orderBy: { name: 'asc' },
      include: { advertiser: true },
    });
    // Both ads paused through the Marketing API, then review rejects the first one.
    const { accessToken } = ads.issueToken(owner.userId);
    const api = createTikTokAdsClient({ apiBaseUrl: adsUrl, appId: ads.appId, secret: ads.secret });
    const paused = await api.updateStatus(accessToken, {
      advertiserId: first!.advertiser.platformAdvertiserId,
      level: 'AD',
      ids: [first!.platformId, second!.platformId],
      status: 'DISABLE',
    });
    expect(paused.partial).toBe(false);
    ads.reviewAd(first!.platformId, 'AD_STATUS_REJECT');
    await inventory(connectionId);
    await inventory(connectionId);

    // As TikTok answers: the pause is the operation status, the rejection the secondary one.
    const stored = await db.adsAd.findMany({
      where: { id: { in: [first!.id, second!.id] } },
      orderBy: { name: 'asc' },
    });
    expect(stored.map((ad) => [ad.operationStatus, ad.secondaryStatus])).toEqual([
      ['DISABLE', 'AD_STATUS_REJECT'],
      ['DISABLE', 'AD_STATUS_DISABLE'],
    ]);
    const events = await db.adsAlertEvent.findMany({ where: { ruleId: rejected.id }, include: { deliveries: true } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'AD_REJECTED', breachKey: `ad:${first!.id}:AD_STATUS_REJECT` });
    expect(events[0]!.deliveries.map((d) => [d.channel, d.status])).toEqual([['IN_APP', 'SENT']]);
  });

  it("fires COST_PER_CONVERSION_ABOVE once per breaching day from the rule's creation on, also when the days are read again and new days come", async () => {
    const { tenant, connectionId } = await connected();
    const advertiser = await db.advertiser.findFirstOrThrow({ where: { connectionId } });
    // A first read with no rule yet: days before the rule, re-read by every later sync.
    await syncFacts(connectionId);
    // One cent: every day with conversions breaches (a conversion costs far more).
    const target = 1n;
    const cpc = await rule(tenant.organizationId, 'COST_PER_CONVERSION_ABOVE', {
      thresholdCents: target,
      channels: ['IN_APP'],
    });
    const watchedFrom = dayOf(cpc.createdAt, advertiser.timezone);
    const breachingDays = async () =>
      (
        await db.adsDailyFact.findMany({
          where: { objectId: advertiser.id, level: 'ADVERTISER', conversions: { gt: 0n } },
        })
      ).filter((fact) => fact.spendCents > target * fact.conversions);
    const keyOf = (fact: { day: Date }) => `advertiser:${advertiser.id}:${isoDay(fact.day)}`;

    await syncFacts(connectionId);
    await syncFacts(connectionId);
    const all = await breachingDays();
    const history = all.filter((fact) => isoDay(fact.day) < watchedFrom);
    // The re-read days before the rule breach too, and fire nothing: a new rule does not flood.
    expect(history.length).toBeGreaterThan(0);
    const events = await db.adsAlertEvent.findMany({ where: { ruleId: cpc.id } });
    expect(events.map((e) => e.breachKey).sort()).toEqual(
      all
        .filter((fact) => isoDay(fact.day) >= watchedFrom)
        .map(keyOf)
        .sort(),
    );
    for (const event of events) {
      expect(event.message).toMatch(/^Cost per conversion [\d,]+\.\d\d USD on \d{4}-\d\d-\d\d above [\d,]+\.\d\d /);
    }

    // Two days later: the new days breaching fire, the ones already told keep their one event,
    // and the days before the rule still fire nothing.
    ads.clock.advance(2 * 86_400_000);
    await syncFacts(connectionId);
    const watched = (await breachingDays()).filter((fact) => isoDay(fact.day) >= watchedFrom);
    const later = await db.adsAlertEvent.findMany({ where: { ruleId: cpc.id } });
    expect(later.length).toBeGreaterThan(events.length);
    expect(later.map((e) => e.breachKey).sort()).toEqual(
      [...new Set([...events.map((e) => e.breachKey), ...watched.map(keyOf)])].sort(),
    );
    for (const event of events) {
      expect(later.find((e) => e.id === event.id)).toMatchObject({ firedAt: event.firedAt });
    }
  });

  it('ends a Telegram message whose answer was lost UNKNOWN and never sends it again; a lost Resend answer is resent under its idempotency key and reaches the inbox once', async () => {
    const { tenant, connectionId } = await connected();
    const chat = newChatId();
    const email = `alerts-${randomBytes(3).toString('hex')}@example.test`;
    const rejected = await rule(tenant.organizationId, 'AD_REJECTED', {
      channels: ['EMAIL', 'TELEGRAM'],
      email,
      chat,
    });
    const ad = await db.adsAd.findFirstOrThrow({ where: { advertiser: { connectionId } }, orderBy: { name: 'asc' } });
    ads.reviewAd(ad.platformId, 'AD_STATUS_REJECT');
    // The message is posted, then the connection drops before the answer; the same for the email.
    telegram.server.inject({ method: 'POST', pathPrefix: '/bot' }, { kind: 'lost-response' }, 1);
    resend.server.inject({ method: 'POST', pathPrefix: '/emails' }, { kind: 'lost-response' }, 1);
    try {
      await inventory(connectionId);
    } finally {
      telegram.server.clearFaults();
      resend.server.clearFaults();
    }
    const byChannel = async () => {
      const rows = await db.adsAlertDelivery.findMany({ where: { event: { ruleId: rejected.id } } });
      return Object.fromEntries(rows.map((row) => [row.channel, row]));
    };
    let deliveries = await byChannel();
    expect(deliveries.TELEGRAM).toMatchObject({ status: 'UNKNOWN', attempts: 1, providerReference: null });
    expect(deliveries.TELEGRAM!.error).toBeTruthy();
    // Resend's Idempotency-Key makes asking again safe: left PENDING for the next run.
    expect(deliveries.EMAIL).toMatchObject({ status: 'PENDING', attempts: 1 });
    expect(telegram.messages.filter((m) => String(m.chatId) === chat)).toHaveLength(1);

    // Later syncs deliver what is pending and leave the unknown one alone.
    await inventory(connectionId);
    await syncFacts(connectionId);
    deliveries = await byChannel();
    expect(deliveries.TELEGRAM).toMatchObject({ status: 'UNKNOWN', attempts: 1 });
    expect(telegram.messages.filter((m) => String(m.chatId) === chat)).toHaveLength(1);
    expect(deliveries.EMAIL).toMatchObject({ status: 'SENT', attempts: 2 });
    const mails = resend.emails.filter((e) => e.to.includes(email));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.id).toBe(deliveries.EMAIL!.providerReference);
  });
});
