import { randomUUID } from 'node:crypto';
import type { Database } from '@pressroom/db';
import type { PublishedDomainEvent } from '@pressroom/db/events';
import { createVault, generateKeyRingEntry, parseKeyRing, type TokenVault } from '@pressroom/db/vault';
import { startWebhookDelivery } from '@pressroom/workflows/client';
import {
  checkWebhookUrl,
  newWebhookSecret,
  webhookEventTypes,
  webhookSecretContext,
  type WebhookEventBody,
} from '@pressroom/workflows/webhooks';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import type { ApiConfig } from '../config.js';
import { ConflictError, DomainError, NotFoundError, WorkflowNotStartedError } from '../errors.js';
import type { Logger } from '../logger.js';
import { encodeGlobalId } from '../schema/ids.js';
import { recordAudit } from './audit.js';
import { authorize, inTransaction, parseInput, type ServiceContext } from './context.js';

/** A URL that resolves to an address webhooks may not reach (SSRF), unless an admin allowed private URLs. */
export class UnsafeWebhookUrlError extends DomainError {
  constructor(readonly reason: string) {
    super(`This URL cannot receive webhooks: ${reason}.`, 'BAD_USER_INPUT');
  }
}

// A rotated-out secret is still signed with for a day, so receivers can switch without a gap.
const previousSecretGraceMs = 24 * 3_600_000;

const vaults = new WeakMap<ApiConfig, TokenVault>();
function vaultOf(config: ApiConfig): TokenVault {
  let vault = vaults.get(config);
  if (!vault) {
    vault = createVault(
      parseKeyRing(
        config.PRESSROOM_TOKEN_KEYS ?? generateKeyRingEntry('ephemeral'),
        config.PRESSROOM_TOKEN_KEY_CURRENT,
      ),
    );
    vaults.set(config, vault);
  }
  return vault;
}

const eventList = z
  .array(z.enum(webhookEventTypes as unknown as [string, ...string[]]))
  .min(1, 'subscribe to at least one event')
  .transform((events) => [...new Set(events)]);

const endpointInput = z.object({
  organizationId: z.string(),
  url: z.string().url().max(2048),
  events: eventList,
  description: z.string().max(500).default(''),
});

async function assertSafeUrl(config: ApiConfig, url: string) {
  const check = await checkWebhookUrl(url, { allowPrivate: config.WEBHOOKS_ALLOW_PRIVATE_URLS });
  if (!check.ok) throw new UnsafeWebhookUrlError(check.reason);
}

function encryptSecret(config: ApiConfig, endpoint: { id: string; organizationId: string }, secret: string) {
  const { keyId, ciphertext } = vaultOf(config).encrypt(secret, webhookSecretContext(endpoint));
  return { secretKeyId: keyId, secretCiphertext: ciphertext };
}

export async function createWebhookEndpoint(ctx: ServiceContext, input: z.input<typeof endpointInput>) {
  const data = parseInput(endpointInput, input);
  const viewer = authorize(ctx, data.organizationId, 'webhooks:write', 'organization');
  await assertSafeUrl(ctx.config, data.url);
  const id = randomUUID();
  const secret = newWebhookSecret();
  const endpoint = await inTransaction(ctx, async (tx) => {
    const created = await tx.webhookEndpoint.create({
      data: {
        id,
        organizationId: data.organizationId,
        url: data.url,
        events: data.events,
        description: data.description,
        ...encryptSecret(ctx.config, { id, organizationId: data.organizationId }, secret),
        createdById: viewer.kind === 'user' ? viewer.userId : null,
      },
    });
    await recordAudit(tx, ctx.meta, {
      organizationId: data.organizationId,
      action: 'webhook_endpoint.create',
      targetType: 'WebhookEndpoint',
      targetId: created.id,
      metadata: { url: data.url, events: data.events },
    });
    return created;
  });
  return { endpoint, secret };
}

async function endpointFor(ctx: ServiceContext, id: string, permission: 'webhooks:read' | 'webhooks:write') {
  const endpoint = await ctx.db.webhookEndpoint.findUnique({ where: { id } });
  if (!endpoint) throw new NotFoundError('webhook endpoint');
  authorize(ctx, endpoint.organizationId, permission, 'webhook endpoint');
  return endpoint;
}

const updateInput = z.object({
  url: z.string().url().max(2048).nullish(),
  events: eventList.nullish(),
  description: z.string().max(500).nullish(),
  enabled: z.boolean().nullish(),
});

export async function updateWebhookEndpoint(ctx: ServiceContext, id: string, input: z.input<typeof updateInput>) {
  const data = parseInput(updateInput, input);
  const existing = await endpointFor(ctx, id, 'webhooks:write');
  if (data.url) await assertSafeUrl(ctx.config, data.url);
  return inTransaction(ctx, async (tx) => {
    const updated = await tx.webhookEndpoint.update({
      where: { id },
      data: {
        ...(data.url ? { url: data.url } : {}),
        ...(data.events ? { events: data.events } : {}),
        ...(data.description != null ? { description: data.description } : {}),
        // Enabling again starts the failure count afresh.
        ...(data.enabled === true
          ? { enabled: true, disabledReason: null, disabledAt: null, consecutiveFailures: 0 }
          : {}),
        ...(data.enabled === false && existing.enabled
          ? { enabled: false, disabledReason: 'disabled by a member', disabledAt: new Date() }
          : {}),
      },
    });
    await recordAudit(tx, ctx.meta, {
      organizationId: existing.organizationId,
      action: 'webhook_endpoint.update',
      targetType: 'WebhookEndpoint',
      targetId: id,
      metadata: { url: updated.url, events: updated.events, enabled: updated.enabled },
    });
    return updated;
  });
}

export async function rotateWebhookEndpointSecret(ctx: ServiceContext, id: string) {
  const existing = await endpointFor(ctx, id, 'webhooks:write');
  const secret = newWebhookSecret();
  const endpoint = await inTransaction(ctx, async (tx) => {
    const updated = await tx.webhookEndpoint.update({
      where: { id },
      data: {
        ...encryptSecret(ctx.config, existing, secret),
        previousSecretCiphertext: existing.secretCiphertext,
        previousSecretKeyId: existing.secretKeyId,
        previousSecretExpiresAt: new Date(Date.now() + previousSecretGraceMs),
      },
    });
    await recordAudit(tx, ctx.meta, {
      organizationId: existing.organizationId,
      action: 'webhook_endpoint.rotate_secret',
      targetType: 'WebhookEndpoint',
      targetId: id,
    });
    return updated;
  });
  return { endpoint, secret };
}

export async function deleteWebhookEndpoint(ctx: ServiceContext, id: string) {
  const existing = await endpointFor(ctx, id, 'webhooks:write');
  await inTransaction(ctx, async (tx) => {
    await tx.webhookEndpoint.delete({ where: { id } });
    await recordAudit(tx, ctx.meta, {
      organizationId: existing.organizationId,
      action: 'webhook_endpoint.delete',
      targetType: 'WebhookEndpoint',
      targetId: id,
      metadata: { url: existing.url },
    });
  });
  return existing;
}

/** Sends a delivery again (same event id and body), with its attempts continuing where they stopped. */
export async function redeliverWebhook(ctx: ServiceContext, temporal: Client | undefined, deliveryId: string) {
  const delivery = await ctx.db.webhookDelivery.findUnique({ where: { id: deliveryId }, include: { endpoint: true } });
  if (!delivery) throw new NotFoundError('webhook delivery');
  authorize(ctx, delivery.organizationId, 'webhooks:write', 'webhook delivery');
  if (delivery.status === 'PENDING') throw new ConflictError('This delivery is still being attempted.');
  if (!delivery.endpoint.enabled) throw new ConflictError('Its endpoint is disabled; enable it first.');
  const updated = await inTransaction(ctx, async (tx) => {
    const row = await tx.webhookDelivery.update({
      where: { id: deliveryId },
      // Its backoff restarts: the day of retries counts from now.
      data: { status: 'PENDING', createdAt: new Date(), nextAttemptAt: new Date() },
    });
    await recordAudit(tx, ctx.meta, {
      organizationId: delivery.organizationId,
      action: 'webhook_delivery.redeliver',
      targetType: 'WebhookDelivery',
      targetId: deliveryId,
    });
    return row;
  });
  if (!temporal) throw new WorkflowNotStartedError('No workflow client.');
  try {
    await startWebhookDelivery(temporal, deliveryId, delivery.attemptCount, {
      taskQueue: ctx.config.TEMPORAL_TASK_QUEUE,
    });
  } catch (error) {
    await ctx.db.webhookDelivery.update({ where: { id: deliveryId }, data: { status: delivery.status } });
    throw new WorkflowNotStartedError('The redelivery could not be started; nothing was sent. Try again.', {
      cause: error,
    });
  }
  return updated;
}

/** The state an event's object is in now, as a webhook type and its data (global ids, as GraphQL gives them). */
async function describe(
  db: Database,
  event: PublishedDomainEvent,
): Promise<{ type: string; data: Record<string, unknown> } | null> {
  switch (event.kind) {
    case 'publication.changed': {
      const { publicationId } = event.payload as { publicationId: string };
      const row = await db.publication.findUnique({ where: { id: publicationId } });
      if (!row) return null;
      return {
        type: `publication.${row.state.toLowerCase()}`,
        data: {
          id: encodeGlobalId('Publication', row.id),
          postId: encodeGlobalId('Post', row.postId),
          socialAccountId: encodeGlobalId('SocialAccount', row.socialAccountId),
          platform: row.platform,
          state: row.state,
          scheduledAt: row.scheduledAt?.toISOString() ?? null,
          publishedAt: row.publishedAt?.toISOString() ?? null,
          platformPostId: row.platformPostId,
          platformUrl: row.platformUrl,
          failureCategory: row.failureCategory,
        },
      };
    }
    case 'post.changed': {
      const { postId } = event.payload as { postId: string };
      const row = await db.post.findUnique({ where: { id: postId } });
      if (!row) return null;
      return {
        type: `post.${row.status.toLowerCase()}`,
        data: {
          id: encodeGlobalId('Post', row.id),
          brandId: encodeGlobalId('Brand', row.brandId),
          batchId: row.batchId ? encodeGlobalId('Batch', row.batchId) : null,
          status: row.status,
          scheduledAt: row.scheduledAt?.toISOString() ?? null,
        },
      };
    }
    case 'batch.progress': {
      const { batchId } = event.payload as { batchId: string };
      const row = await db.batch.findUnique({ where: { id: batchId } });
      if (!row) return null;
      return {
        type: `batch.${row.status.toLowerCase()}`,
        data: {
          id: encodeGlobalId('Batch', row.id),
          brandId: encodeGlobalId('Brand', row.brandId),
          status: row.status,
          count: row.count,
        },
      };
    }
    case 'metrics.updated': {
      const { socialAccountId } = event.payload as { socialAccountId: string };
      const row = await db.socialAccount.findUnique({ where: { id: socialAccountId } });
      if (!row) return null;
      return {
        type: 'metrics.updated',
        data: {
          socialAccountId: encodeGlobalId('SocialAccount', row.id),
          platform: row.platform,
          lastSyncedAt: row.lastSyncedAt?.toISOString() ?? null,
        },
      };
    }
    case 'account.changed': {
      // The status the event announced, not the row's current one: a grant that expires and is
      // reconnected a moment later still tells receivers both steps, in order.
      const { socialAccountId, status, previousStatus } = event.payload as {
        socialAccountId: string;
        status: string;
        previousStatus: string | null;
      };
      const row = await db.socialAccount.findUnique({ where: { id: socialAccountId } });
      if (!row) return null;
      return {
        type: `account.${status.toLowerCase()}`,
        data: {
          id: encodeGlobalId('SocialAccount', row.id),
          brandId: encodeGlobalId('Brand', row.brandId),
          platform: row.platform,
          platformAccountId: row.platformAccountId,
          displayName: row.displayName,
          status,
          previousStatus,
          lastError: status === 'ACTIVE' ? null : row.lastError,
        },
      };
    }
    default:
      return null;
  }
}

/**
 * Turns domain events (the outbox every change writes, heard on this instance's LISTEN
 * connection) into webhook deliveries. Every api instance hears every event; the unique
 * (endpoint, event) row decides which instance starts the delivery, so each is sent once.
 */
export function createWebhookDispatcher(deps: { db: Database; temporal: Client; config: ApiConfig; logger: Logger }) {
  const { db } = deps;
  return async (event: PublishedDomainEvent): Promise<void> => {
    const enabled = await db.webhookEndpoint.count({ where: { organizationId: event.organizationId, enabled: true } });
    if (enabled === 0) return;
    const described = await describe(db, event);
    if (!described) return;
    const endpoints = await db.webhookEndpoint.findMany({
      where: { organizationId: event.organizationId, enabled: true, events: { has: described.type } },
      select: { id: true },
    });
    if (endpoints.length === 0) return;
    const eventId = `evt_${event.id}`;
    const body: WebhookEventBody = {
      id: eventId,
      type: described.type,
      createdAt: event.createdAt,
      organizationId: encodeGlobalId('Organization', event.organizationId),
      data: described.data,
    };
    const made = await db.webhookDelivery.createManyAndReturn({
      data: endpoints.map((endpoint) => ({
        organizationId: event.organizationId,
        endpointId: endpoint.id,
        eventId,
        eventType: described.type,
        body: JSON.stringify(body),
        nextAttemptAt: new Date(),
      })),
      skipDuplicates: true,
      select: { id: true },
    });
    for (const delivery of made) {
      await startWebhookDelivery(deps.temporal, delivery.id, 0, { taskQueue: deps.config.TEMPORAL_TASK_QUEUE }).catch(
        (error: Error) => deps.logger.error({ err: error, deliveryId: delivery.id }, 'webhook delivery not started'),
      );
    }
  };
}
