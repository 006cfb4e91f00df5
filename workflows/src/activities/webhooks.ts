import type { Database } from '@pressroom/db';
import type { TokenVault } from '@pressroom/db/vault';
import { checkWebhookUrl, signatureHeader, webhookSecretContext } from '../webhooks/index.js';
import { createNotifier } from './notifications.js';

export interface WebhookSettings {
  /** Wait before the second attempt; each later wait doubles ... */
  retryInitialMs: number;
  /** ... up to this ... */
  retryMaxMs: number;
  /** ... and no attempt starts later than this after the delivery was made (then it FAILED). */
  retryForMs: number;
  /** Failed attempts in a row after which an endpoint is disabled and its owners and admins told. */
  failureThreshold: number;
  /** How long a receiver has to answer. */
  timeoutMs: number;
  /** Lets deliveries reach loopback and private addresses (WEBHOOKS_ALLOW_PRIVATE_URLS). */
  allowPrivateUrls: boolean;
}

// A day of retries: 30 s, 1 min, 2 min ... capped at an hour, about 30 attempts in all.
export const defaultWebhookSettings: WebhookSettings = {
  retryInitialMs: 30_000,
  retryMaxMs: 3_600_000,
  retryForMs: 24 * 3_600_000,
  failureThreshold: 50,
  timeoutMs: 10_000,
  allowPrivateUrls: false,
};

export interface WebhookDependencies {
  db: Database;
  vault: TokenVault;
  webhookSettings?: Partial<WebhookSettings>;
  /** For tests: how host names resolve (the system resolver otherwise). */
  resolveHost?: (host: string) => Promise<string[]>;
}

/** What the workflow does next: stop (delivered, given up, endpoint gone) or wait and try again. */
export type WebhookAttemptOutcome = { done: true; delivered: boolean } | { done: false; retryInMs: number };

export function createWebhookActivities(deps: WebhookDependencies) {
  const { db, vault } = deps;
  const settings = { ...defaultWebhookSettings, ...deps.webhookSettings };
  const notifier = createNotifier({ db });

  async function disableEndpoint(endpoint: { id: string; organizationId: string; url: string }, failures: number) {
    const reason = `${failures} delivery attempts in a row failed`;
    const disabled = await db.webhookEndpoint.updateMany({
      where: { id: endpoint.id, enabled: true },
      data: { enabled: false, disabledReason: reason, disabledAt: new Date() },
    });
    if (disabled.count === 0) return; // Another attempt disabled it first: told once.
    await notifier.notify({
      organizationId: endpoint.organizationId,
      userIds: await notifier.members(endpoint.organizationId, ['OWNER', 'ADMIN']),
      kind: 'webhook.disabled',
      key: `webhook.disabled:${endpoint.id}:${Date.now()}`,
      subject: 'A webhook endpoint was disabled',
      body: `Deliveries to ${endpoint.url} kept failing (${reason}), so it was disabled. Fix the receiver, then enable it again.`,
      payload: { webhookEndpointId: endpoint.id },
    });
  }

  return {
    /**
     * One attempt of one delivery: a signed POST, recorded with its status code (or why no
     * answer came). Never throws for a receiver's failure: the workflow owns the backoff, so
     * every attempt is a row an operator can read.
     */
    async attemptWebhookDelivery(input: { deliveryId: string }): Promise<WebhookAttemptOutcome> {
      const delivery = await db.webhookDelivery.findUnique({
        where: { id: input.deliveryId },
        include: { endpoint: true },
      });
      if (!delivery || delivery.status === 'SUCCEEDED') return { done: true, delivered: !!delivery };
      const endpoint = delivery.endpoint;
      if (!endpoint.enabled) {
        await db.webhookDelivery.update({
          where: { id: delivery.id },
          data: { status: 'FAILED', nextAttemptAt: null },
        });
        return { done: true, delivered: false };
      }
      const number = delivery.attemptCount + 1;
      const started = performance.now();
      let statusCode: number | null = null;
      let error: string | null = null;
      const check = await checkWebhookUrl(endpoint.url, {
        allowPrivate: settings.allowPrivateUrls,
        ...(deps.resolveHost ? { resolve: deps.resolveHost } : {}),
      });
      if (!check.ok) {
        error = `refused: ${check.reason}`;
      } else {
        const context = webhookSecretContext(endpoint);
        const secrets = [vault.decrypt(endpoint.secretKeyId, endpoint.secretCiphertext, context)];
        if (
          endpoint.previousSecretCiphertext &&
          endpoint.previousSecretKeyId &&
          endpoint.previousSecretExpiresAt &&
          endpoint.previousSecretExpiresAt > new Date()
        ) {
          secrets.push(vault.decrypt(endpoint.previousSecretKeyId, endpoint.previousSecretCiphertext, context));
        }
        try {
          const response = await fetch(check.url, {
            method: 'POST',
            redirect: 'manual', // A redirect could lead to an address the check refused.
            signal: AbortSignal.timeout(settings.timeoutMs),
            headers: {
              'content-type': 'application/json',
              'user-agent': 'Pressroom-Webhooks/1',
              'pressroom-event': delivery.eventType,
              'pressroom-delivery': delivery.eventId,
              'pressroom-signature': signatureHeader(secrets, delivery.body, Math.floor(Date.now() / 1000)),
            },
            body: delivery.body,
          });
          statusCode = response.status;
          await response.body?.cancel();
          if (statusCode < 200 || statusCode >= 300) error = `HTTP ${statusCode}`;
        } catch (failure) {
          const cause = (failure as Error & { cause?: Error }).cause;
          error =
            (failure as Error).name === 'TimeoutError'
              ? `no answer within ${settings.timeoutMs} ms`
              : (cause?.message ?? (failure as Error).message);
        }
      }
      const durationMs = Math.round(performance.now() - started);
      const delivered = error === null;
      const waitMs = Math.min(settings.retryInitialMs * 2 ** (number - 1), settings.retryMaxMs);
      const giveUp = !delivered && Date.now() + waitMs > delivery.createdAt.getTime() + settings.retryForMs;
      // The attempt, the delivery's state and the endpoint's failure count change together, so
      // a reader never sees a delivered event on an endpoint still counting failures.
      const { failures, overThreshold } = await db.$transaction(async (tx) => {
        await tx.webhookDeliveryAttempt.create({
          data: {
            organizationId: delivery.organizationId,
            deliveryId: delivery.id,
            number,
            statusCode,
            durationMs,
            error,
          },
        });
        const counted = await tx.webhookEndpoint.update({
          where: { id: endpoint.id },
          data: { consecutiveFailures: delivered ? 0 : { increment: 1 } },
          select: { consecutiveFailures: true },
        });
        const over = !delivered && counted.consecutiveFailures >= settings.failureThreshold;
        const finished = delivered || giveUp || over;
        await tx.webhookDelivery.update({
          where: { id: delivery.id },
          data: {
            attemptCount: number,
            status: delivered ? 'SUCCEEDED' : finished ? 'FAILED' : 'PENDING',
            deliveredAt: delivered ? new Date() : null,
            nextAttemptAt: finished ? null : new Date(Date.now() + waitMs),
          },
        });
        return { failures: counted.consecutiveFailures, overThreshold: over };
      });
      if (delivered) return { done: true, delivered: true };
      if (overThreshold) {
        await disableEndpoint(endpoint, failures);
        return { done: true, delivered: false };
      }
      return giveUp ? { done: true, delivered: false } : { done: false, retryInMs: waitMs };
    },
  };
}

export type WebhookActivities = ReturnType<typeof createWebhookActivities>;
