import { Prisma } from '@pressroom/db';
import { z } from 'zod';
import { ownHostNames } from '../config.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors.js';
import { recordAudit } from './audit.js';
import { authorize, inTransaction, parseInput, type ServiceContext } from './context.js';
import { color, slug, title } from './validation.js';

const voice = z.string().max(5_000, 'at most 5000 characters');

const createBrandInput = z.object({
  organizationId: z.string(),
  name: title,
  slug,
  voice: voice.optional(),
  primaryColor: color.optional(),
  secondaryColor: color.optional(),
  accentColor: color.optional(),
});

export async function createBrand(ctx: ServiceContext, input: z.input<typeof createBrandInput>) {
  const { organizationId, ...data } = parseInput(createBrandInput, input);
  authorize(ctx, organizationId, 'brands:manage', 'organization');
  try {
    return await inTransaction(ctx, async (tx) => {
      const brand = await tx.brand.create({ data: { organizationId, ...data } });
      await recordAudit(tx, ctx.meta, {
        organizationId,
        action: 'brand.create',
        targetType: 'Brand',
        targetId: brand.id,
        metadata: { name: brand.name, slug: brand.slug },
      });
      return brand;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new ConflictError('A brand with that slug exists.');
    }
    throw error;
  }
}

const updateBrandInput = z.object({
  brandId: z.string(),
  name: title.optional(),
  voice: voice.optional(),
  primaryColor: color.optional(),
  secondaryColor: color.optional(),
  accentColor: color.optional(),
  /** A CSS font-family list, as the renderer and the dashboard use it. */
  fontFamily: z
    .string()
    .trim()
    .min(1, 'required')
    .max(200, 'at most 200 characters')
    .regex(/^[\p{L}\p{N} ,'"_-]+$/u, 'font names separated by commas')
    .optional(),
  requiredApprovals: z.number().int().min(0).max(10).nullish(),
  /** Appended to every AI image prompt of the brand; "" for none. */
  imageStyle: z.string().trim().max(300, 'at most 300 characters').optional(),
  /** A host name served with the brand's blog; null takes it away. */
  customDomain: z
    .string()
    .trim()
    .toLowerCase()
    .max(253, 'at most 253 characters')
    .regex(
      /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
      'a host name such as blog.example.com (no scheme, port or path)',
    )
    .nullish(),
});

export async function updateBrand(ctx: ServiceContext, input: z.input<typeof updateBrandInput>) {
  const { brandId, ...data } = parseInput(updateBrandInput, input);
  const existing = await ctx.db.brand.findUnique({ where: { id: brandId } });
  if (!existing) throw new NotFoundError('brand');
  authorize(ctx, existing.organizationId, 'brands:write', 'brand');
  if (data.customDomain && ownHostNames(ctx.config).has(data.customDomain)) {
    // The api's own name answers GraphQL and the dashboard; a brand cannot take it over.
    const message = "the api's own host name cannot be a blog's";
    throw new InvalidInputError(`customDomain: ${message}`, [{ path: 'customDomain', message }]);
  }
  try {
    return await inTransaction(ctx, async (tx) => {
      const brand = await tx.brand.update({ where: { id: brandId }, data });
      await recordAudit(tx, ctx.meta, {
        organizationId: brand.organizationId,
        action: 'brand.update',
        targetType: 'Brand',
        targetId: brand.id,
        metadata: {
          fields: Object.keys(data).filter((key) => data[key as keyof typeof data] !== undefined),
          ...(data.customDomain !== undefined ? { customDomain: data.customDomain } : {}),
        },
      });
      return brand;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new ConflictError('Another brand has that custom domain.');
    }
    throw error;
  }
}

export async function deleteBrand(ctx: ServiceContext, brandId: string) {
  const existing = await ctx.db.brand.findUnique({ where: { id: brandId } });
  if (!existing) throw new NotFoundError('brand');
  authorize(ctx, existing.organizationId, 'brands:manage', 'brand');
  return inTransaction(ctx, async (tx) => {
    await tx.brand.delete({ where: { id: brandId } });
    await recordAudit(tx, ctx.meta, {
      organizationId: existing.organizationId,
      action: 'brand.delete',
      targetType: 'Brand',
      targetId: existing.id,
      metadata: { name: existing.name, slug: existing.slug },
    });
    return existing;
  });
}

const documentContent = z.string().min(1, 'required').max(100_000, 'at most 100000 characters');

const addDocumentInput = z.object({ brandId: z.string(), title, content: documentContent });

export async function addKnowledgeDocument(ctx: ServiceContext, input: z.input<typeof addDocumentInput>) {
  const data = parseInput(addDocumentInput, input);
  const brand = await ctx.db.brand.findUnique({ where: { id: data.brandId } });
  if (!brand) throw new NotFoundError('brand');
  authorize(ctx, brand.organizationId, 'brands:write', 'brand');
  return inTransaction(ctx, async (tx) => {
    const document = await tx.brandKnowledgeDocument.create({
      data: { organizationId: brand.organizationId, brandId: brand.id, title: data.title, content: data.content },
    });
    await recordAudit(tx, ctx.meta, {
      organizationId: brand.organizationId,
      action: 'knowledge_document.create',
      targetType: 'BrandKnowledgeDocument',
      targetId: document.id,
    });
    return document;
  });
}

const updateDocumentInput = z.object({
  documentId: z.string(),
  title: title.optional(),
  content: documentContent.optional(),
});

export async function updateKnowledgeDocument(ctx: ServiceContext, input: z.input<typeof updateDocumentInput>) {
  const { documentId, ...data } = parseInput(updateDocumentInput, input);
  const existing = await ctx.db.brandKnowledgeDocument.findUnique({ where: { id: documentId } });
  if (!existing) throw new NotFoundError('knowledge document');
  authorize(ctx, existing.organizationId, 'brands:write', 'knowledge document');
  return inTransaction(ctx, async (tx) => {
    const document = await tx.brandKnowledgeDocument.update({ where: { id: documentId }, data });
    await recordAudit(tx, ctx.meta, {
      organizationId: existing.organizationId,
      action: 'knowledge_document.update',
      targetType: 'BrandKnowledgeDocument',
      targetId: document.id,
    });
    return document;
  });
}

export async function deleteKnowledgeDocument(ctx: ServiceContext, documentId: string) {
  const existing = await ctx.db.brandKnowledgeDocument.findUnique({ where: { id: documentId } });
  if (!existing) throw new NotFoundError('knowledge document');
  authorize(ctx, existing.organizationId, 'brands:write', 'knowledge document');
  return inTransaction(ctx, async (tx) => {
    await tx.brandKnowledgeDocument.delete({ where: { id: documentId } });
    await recordAudit(tx, ctx.meta, {
      organizationId: existing.organizationId,
      action: 'knowledge_document.delete',
      targetType: 'BrandKnowledgeDocument',
      targetId: existing.id,
    });
    return existing;
  });
}
