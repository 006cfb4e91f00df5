import type { AiProvider } from '@pressroom/db';
import { aiDisabledMessage, aiFeatureEnabled, readAiPolicy, type AiFeature, type AiPolicy } from '@pressroom/db/ai';
import { z } from 'zod';
import { AiDisabledError } from '../errors.js';
import { recordAudit } from './audit.js';
import { authorize, inTransaction, parseInput, requireUser, type ServiceContext } from './context.js';

export type { AiFeature, AiPolicy };

/**
 * The one check before anything that would send an organization's data to an AI provider
 * (a batch to write, an image to make, a video to look at): throws AiDisabledError, a typed
 * result, unless the organization opted into `feature`. The worker checks again in its
 * activities (`@pressroom/db/ai`), so turning it off also stops work already queued.
 */
export async function assertAiAllowed(
  db: Parameters<typeof readAiPolicy>[0],
  organizationId: string,
  feature: AiFeature,
): Promise<AiPolicy> {
  const policy = await readAiPolicy(db, organizationId);
  if (!aiFeatureEnabled(policy, feature)) throw new AiDisabledError(aiDisabledMessage(feature), feature);
  return policy;
}

/** A provider's model id: letters, digits and the punctuation model names use. */
const modelName = z
  .string()
  .trim()
  .min(1, 'required')
  .max(100, 'at most 100 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/, 'a model id such as claude-sonnet-4-5 or gpt-4o-mini');

const setAiInput = z.object({
  organizationId: z.string(),
  text: z.boolean().optional(),
  images: z.boolean().optional(),
  /** null: back to the server's provider / model. */
  provider: z
    .enum(['ANTHROPIC', 'OPENAI'] satisfies AiProvider[])
    .nullable()
    .optional(),
  textModel: modelName.nullable().optional(),
  imageModel: modelName.nullable().optional(),
});

/**
 * Turns AI features on or off and picks the provider and models. People with org:manage
 * (owners and admins) only; audited with what it was and what it is now.
 */
export async function setOrganizationAi(ctx: ServiceContext, input: z.input<typeof setAiInput>) {
  const data = parseInput(setAiInput, input);
  authorize(ctx, data.organizationId, 'org:manage', 'organization');
  requireUser(ctx);
  return inTransaction(ctx, async (tx) => {
    const before = await readAiPolicy(tx, data.organizationId);
    const change = {
      aiTextEnabled: data.text,
      aiImagesEnabled: data.images,
      aiProvider: data.provider,
      aiTextModel: data.textModel,
      aiImageModel: data.imageModel,
    };
    const settings = await tx.organizationSettings.upsert({
      where: { organizationId: data.organizationId },
      create: { organizationId: data.organizationId, ...change },
      update: change,
    });
    const after = await readAiPolicy(tx, data.organizationId);
    await recordAudit(tx, ctx.meta, {
      organizationId: data.organizationId,
      action: 'organization.ai_update',
      targetType: 'Organization',
      targetId: data.organizationId,
      metadata: { before: { ...before }, after: { ...after } },
    });
    return settings;
  });
}
