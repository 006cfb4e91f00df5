import type { ObjectStorage } from '@pressroom/workflows/storage';
import { services, type ApiContext } from '../context.js';
import * as assets from '../services/assets.js';
import { blogBaseUrl } from '../services/blog.js';
import * as brands from '../services/brands.js';
import { apiBaseUrl } from '../config.js';
import { builder, connectionComplexity } from './builder.js';
import { objectMutationErrors } from './errors.js';
import { idFor, selection } from './ids.js';
import { inViewerOrganizations, Organization } from './organization.js';

export const Brand = builder.prismaNode('Brand', {
  id: { field: 'id' },
  // Only the columns the requested fields need (see Post in content.ts).
  select: { id: true, organizationId: true },
  findUnique: (id, ctx) => ({ id, organizationId: inViewerOrganizations(ctx.viewer) }),
  authScopes: (brand) => ({ permission: { organizationId: brand.organizationId, permission: 'brands:read' } }),
  fields: (t) => ({
    name: t.exposeString('name'),
    slug: t.exposeString('slug'),
    voice: t.exposeString('voice', { description: 'How the brand speaks; given to the AI with every brief.' }),
    primaryColor: t.exposeString('primaryColor'),
    secondaryColor: t.exposeString('secondaryColor'),
    accentColor: t.exposeString('accentColor'),
    fontFamily: t.exposeString('fontFamily'),
    imageStyle: t.exposeString('imageStyle', {
      description: 'Added to every AI image prompt of the brand (e.g. "flat pastel illustration"); empty for none.',
    }),
    requiredApprovals: t.exposeInt('requiredApprovals', { nullable: true }),
    customDomain: t.exposeString('customDomain', {
      nullable: true,
      description: "A host name whose requests are answered with this brand's public blog (at its root).",
    }),
    blogUrl: t.string({
      description:
        "The address of the brand's public blog: its custom domain, else /b/<organization>/<brand>/ on the api.",
      select: {
        id: true,
        name: true,
        slug: true,
        customDomain: true,
        primaryColor: true,
        secondaryColor: true,
        accentColor: true,
        fontFamily: true,
        organization: { select: { slug: true } },
      },
      resolve: (brand, _args, ctx) =>
        `${blogBaseUrl({ ...brand, organizationSlug: brand.organization.slug }, apiBaseUrl(ctx.config))}/`,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    organization: t.relation('organization'),
    knowledgeDocuments: t.relatedConnection('knowledgeDocuments', {
      cursor: 'id',
      totalCount: true,
      query: { orderBy: { createdAt: 'asc' } },
      complexity: connectionComplexity,
    }),
  }),
});

export const BrandKnowledgeDocument = builder.prismaNode('BrandKnowledgeDocument', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, organizationId: inViewerOrganizations(ctx.viewer) }),
  authScopes: (doc) => ({ permission: { organizationId: doc.organizationId, permission: 'brands:read' } }),
  fields: (t) => ({
    title: t.exposeString('title'),
    content: t.exposeString('content'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    brand: t.relation('brand'),
  }),
});

builder.prismaObjectField(Organization, 'brands', (t) =>
  t.relatedConnection('brands', {
    cursor: 'id',
    authScopes: (org) => ({ permission: { organizationId: org.id, permission: 'brands:read' } }),
    query: { orderBy: { name: 'asc' } },
    complexity: connectionComplexity,
  }),
);

builder.mutationField('createBrand', (t) =>
  t.prismaField({
    type: Brand,
    authScopes: { authenticated: true },
    errors: { types: objectMutationErrors },
    args: {
      organizationId: t.arg.globalID(),
      name: t.arg.string(),
      slug: t.arg.string(),
      voice: t.arg.string({ required: false }),
      primaryColor: t.arg.string({ required: false }),
      secondaryColor: t.arg.string({ required: false }),
      accentColor: t.arg.string({ required: false }),
    },
    resolve: async (query, _root, { organizationId, ...args }, ctx) => {
      const brand = await brands.createBrand(services(ctx), {
        organizationId: idFor(organizationId, 'Organization'),
        name: args.name,
        slug: args.slug,
        voice: args.voice ?? undefined,
        primaryColor: args.primaryColor ?? undefined,
        secondaryColor: args.secondaryColor ?? undefined,
        accentColor: args.accentColor ?? undefined,
      });
      return ctx.db.brand.findUniqueOrThrow({ ...selection(query), where: { id: brand.id } });
    },
  }),
);

builder.mutationField('updateBrand', (t) =>
  t.prismaField({
    type: Brand,
    authScopes: { authenticated: true },
    errors: { types: objectMutationErrors },
    args: {
      id: t.arg.globalID(),
      name: t.arg.string({ required: false }),
      voice: t.arg.string({ required: false }),
      primaryColor: t.arg.string({ required: false }),
      secondaryColor: t.arg.string({ required: false }),
      accentColor: t.arg.string({ required: false }),
      fontFamily: t.arg.string({ required: false }),
      imageStyle: t.arg.string({ required: false }),
      requiredApprovals: t.arg.int({ required: false }),
      customDomain: t.arg.string({
        required: false,
        description: "A host name (blog.example.com) for the brand's blog; null removes it.",
      }),
    },
    resolve: async (query, _root, { id, ...args }, ctx) => {
      const brand = await brands.updateBrand(services(ctx), {
        brandId: idFor(id, 'Brand'),
        name: args.name ?? undefined,
        voice: args.voice ?? undefined,
        primaryColor: args.primaryColor ?? undefined,
        secondaryColor: args.secondaryColor ?? undefined,
        accentColor: args.accentColor ?? undefined,
        fontFamily: args.fontFamily ?? undefined,
        imageStyle: args.imageStyle ?? undefined,
        requiredApprovals: args.requiredApprovals,
        customDomain: args.customDomain,
      });
      return ctx.db.brand.findUniqueOrThrow({ ...selection(query), where: { id: brand.id } });
    },
  }),
);

builder.mutationField('deleteBrand', (t) =>
  t.globalID({
    description: 'Deletes the brand with its documents, batches and posts; returns its id.',
    authScopes: { authenticated: true },
    errors: { types: objectMutationErrors },
    args: { id: t.arg.globalID() },
    resolve: async (_root, args, ctx) => {
      const brand = await brands.deleteBrand(services(ctx), idFor(args.id, 'Brand'));
      return { type: 'Brand', id: brand.id };
    },
  }),
);

builder.mutationField('addKnowledgeDocument', (t) =>
  t.prismaField({
    type: BrandKnowledgeDocument,
    authScopes: { authenticated: true },
    errors: { types: objectMutationErrors },
    args: { brandId: t.arg.globalID(), title: t.arg.string(), content: t.arg.string() },
    resolve: async (query, _root, args, ctx) => {
      const document = await brands.addKnowledgeDocument(services(ctx), {
        brandId: idFor(args.brandId, 'Brand'),
        title: args.title,
        content: args.content,
      });
      return ctx.db.brandKnowledgeDocument.findUniqueOrThrow({ ...selection(query), where: { id: document.id } });
    },
  }),
);

builder.mutationField('updateKnowledgeDocument', (t) =>
  t.prismaField({
    type: BrandKnowledgeDocument,
    authScopes: { authenticated: true },
    errors: { types: objectMutationErrors },
    args: {
      id: t.arg.globalID(),
      title: t.arg.string({ required: false }),
      content: t.arg.string({ required: false }),
    },
    resolve: async (query, _root, args, ctx) => {
      const document = await brands.updateKnowledgeDocument(services(ctx), {
        documentId: idFor(args.id, 'BrandKnowledgeDocument'),
        title: args.title ?? undefined,
        content: args.content ?? undefined,
      });
      return ctx.db.brandKnowledgeDocument.findUniqueOrThrow({ ...selection(query), where: { id: document.id } });
    },
  }),
);

builder.mutationField('deleteKnowledgeDocument', (t) =>
  t.globalID({
    authScopes: { authenticated: true },
    errors: { types: objectMutationErrors },
    args: { id: t.arg.globalID() },
    resolve: async (_root, args, ctx) => {
      const document = await brands.deleteKnowledgeDocument(services(ctx), idFor(args.id, 'BrandKnowledgeDocument'));
      return { type: 'BrandKnowledgeDocument', id: document.id };
    },
  }),
);

export function storageOf(ctx: ApiContext): ObjectStorage {
  if (!ctx.storage) throw new Error('no object storage on this transport');
  return ctx.storage;
}

const AssetKind = builder.enumType('AssetKind', {
  values: ['LOGO', 'IMAGE', 'FONT', 'VIDEO', 'DOCUMENT'] as const,
});

export const BrandAsset = builder.prismaNode('BrandAsset', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, organizationId: inViewerOrganizations(ctx.viewer) }),
  authScopes: (asset) => ({ permission: { organizationId: asset.organizationId, permission: 'brands:read' } }),
  fields: (t) => ({
    kind: t.expose('kind', { type: AssetKind }),
    filename: t.exposeString('filename'),
    contentType: t.exposeString('contentType'),
    byteSize: t.exposeInt('byteSize'),
    sha256: t.exposeString('sha256'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    brand: t.relation('brand'),
    uploadedBy: t.relation('uploadedBy', { nullable: true }),
  }),
});

builder.prismaObjectField(Brand, 'assets', (t) =>
  t.relatedConnection('assets', {
    cursor: 'id',
    totalCount: true,
    query: { orderBy: { createdAt: 'desc' } },
    complexity: connectionComplexity,
  }),
);

builder.mutationField('uploadBrandAsset', (t) =>
  t.prismaField({
    type: BrandAsset,
    description:
      'Multipart upload (send the x-pressroom-csrf header). Images, fonts, videos and documents, each checked by type, size and content.',
    authScopes: { authenticated: true },
    errors: { types: objectMutationErrors },
    args: { brandId: t.arg.globalID(), kind: t.arg({ type: AssetKind }), file: t.arg({ type: 'File' }) },
    resolve: async (query, _root, args, ctx) => {
      const asset = await assets.uploadBrandAsset(services(ctx), storageOf(ctx), {
        brandId: idFor(args.brandId, 'Brand'),
        kind: args.kind,
        filename: args.file.name,
        contentType: args.file.type,
        bytes: Buffer.from(await args.file.arrayBuffer()),
      });
      return ctx.db.brandAsset.findUniqueOrThrow({ ...selection(query), where: { id: asset.id } });
    },
  }),
);

builder.mutationField('deleteBrandAsset', (t) =>
  t.globalID({
    authScopes: { authenticated: true },
    errors: { types: objectMutationErrors },
    args: { id: t.arg.globalID() },
    resolve: async (_root, args, ctx) => {
      const asset = await assets.deleteBrandAsset(services(ctx), storageOf(ctx), idFor(args.id, 'BrandAsset'));
      return { type: 'BrandAsset', id: asset.id };
    },
  }),
);
