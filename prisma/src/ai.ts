import type { AiProvider, Prisma } from '../generated/client/client.js';

/** What an organization may use AI for; each is opted into on its own. */
export const aiFeatures = ['text', 'images'] as const;
export type AiFeature = (typeof aiFeatures)[number];

/** An organization's AI settings, as the api and the worker both read them. */
export interface AiPolicy {
  text: boolean;
  images: boolean;
  /** null: the server's configured provider. */
  provider: AiProvider | null;
  textModel: string | null;
  imageModel: string | null;
}

/** Off for everything: an organization without a settings row has opted into nothing. */
export const aiPolicyOff: AiPolicy = { text: false, images: false, provider: null, textModel: null, imageModel: null };

type SettingsReader = { organizationSettings: Pick<Prisma.TransactionClient['organizationSettings'], 'findUnique'> };

export async function readAiPolicy(db: SettingsReader, organizationId: string): Promise<AiPolicy> {
  const settings = await db.organizationSettings.findUnique({
    where: { organizationId },
    select: { aiTextEnabled: true, aiImagesEnabled: true, aiProvider: true, aiTextModel: true, aiImageModel: true },
  });
  if (!settings) return aiPolicyOff;
  return {
    text: settings.aiTextEnabled,
    images: settings.aiImagesEnabled,
    provider: settings.aiProvider,
    textModel: settings.aiTextModel,
    imageModel: settings.aiImageModel,
  };
}

export function aiFeatureEnabled(policy: AiPolicy, feature: AiFeature): boolean {
  return feature === 'text' ? policy.text : policy.images;
}

/** The sentence both the api's typed error and the worker's failure give. */
export function aiDisabledMessage(feature: AiFeature): string {
  return feature === 'text'
    ? 'AI text generation is turned off for this organization; an owner or admin can turn it on in its settings.'
    : 'AI images are turned off for this organization; an owner or admin can turn them on in its settings.';
}
