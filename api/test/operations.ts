// Every mutation (and the permission-gated reads) as data: how to make a fresh target for it
// in a seeded organization, and what it should leave in the audit log. The matrix, audit and
// cross-tenant tests all walk this one list, and a test fails if a Mutation field is missing.
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Role } from '@pressroom/db';
import { emulatedImage } from '@pressroom/workflows/emulators';
import { randomSecret, sha256 } from '../src/auth/secrets.js';
import { decodeGlobalId } from '../src/schema/ids.js';
import { gid, seedUser, unique, type SeededOrganization, type TestApi } from './kit.js';

export interface Prepared {
  variables: Record<string, unknown>;
  /** Raw id of the object the audit event should name, when known before the call. */
  targetId?: string;
}

export interface Operation {
  name: string;
  kind: 'query' | 'mutation';
  document: string;
  /** `actor`: the member about to call (OWNER when not said), for targets bound to a person. */
  prepare(api: TestApi, org: SeededOrganization, actor?: Role): Promise<Prepared>;
  /** For mutations: the audit action and target type written. */
  audit?: { action: string; targetType: string; organizationScoped: boolean };
}

const result = `__typename ... on Error { code message }`;

/** A processed image whose 640 preview is a real PNG, for the AI to look at. */
async function freshImageForAi(api: TestApi, org: SeededOrganization) {
  const { variables, targetId } = await freshMediaAsset(api, org);
  const variant = `org/${org.organization.id}/library/${targetId}/w640.png`;
  await mkdir(join(api.mediaDir, dirname(variant)), { recursive: true });
  await writeFile(join(api.mediaDir, variant), await emulatedImage(targetId, 64, 80));
  // Local storage keeps each object's content type beside it, as storage.put writes it.
  await writeFile(join(api.mediaDir, `${variant}.meta`), JSON.stringify({ contentType: 'image/png' }));
  await api.db.mediaAsset.update({ where: { id: targetId }, data: { variantKeys: { '640': variant } } });
  return { variables, targetId };
}

/** A VIDEO post with its file's row (the review runs after the mutation answers). */
async function freshVideoPost(api: TestApi, org: SeededOrganization) {
  const post = await api.db.post.create({
    data: { organizationId: org.organization.id, brandId: org.brand.id, format: 'VIDEO', caption: 'clip' },
  });
  await api.db.media.create({
    data: {
      organizationId: org.organization.id,
      postId: post.id,
      kind: 'VIDEO',
      status: 'READY',
      contentType: 'video/mp4',
      storageKey: `org/${org.organization.id}/posts/${post.id}/video.mp4`,
      width: 1080,
      height: 1920,
      durationMs: 5000,
    },
  });
  return { variables: { id: gid('Post', post.id) }, targetId: post.id };
}

async function freshPost(
  api: TestApi,
  org: SeededOrganization,
  status: 'DRAFT' | 'IN_REVIEW' | 'APPROVED' | 'SCHEDULED',
) {
  const post = await api.db.post.create({
    data: {
      organizationId: org.organization.id,
      brandId: org.brand.id,
      status,
      caption: 'fresh',
      scheduledAt: status === 'SCHEDULED' ? new Date(Date.now() + 86_400_000) : null,
    },
  });
  await withRenderedSlide(api, post);
  return { variables: { id: gid('Post', post.id) }, targetId: post.id };
}

/** An endpoint registered through the api by the owner (its secret is sealed by the api's vault). */
async function freshWebhookEndpoint(org: SeededOrganization) {
  const response = await org.members.OWNER.client.gql<{
    createWebhookEndpoint: { endpoint: { id: string } };
  }>(
    `mutation($id: ID!) { createWebhookEndpoint(organizationId: $id, url: "https://203.0.113.10/hooks", events: ["post.approved"]) {
      ... on MutationCreateWebhookEndpointSuccess { data { endpoint { id } } } } }`,
    { id: org.organization.gid },
  );
  const endpoint = (response.body.data as unknown as { createWebhookEndpoint: { data: { endpoint: { id: string } } } })
    .createWebhookEndpoint.data.endpoint;
  return { variables: { id: endpoint.id }, targetId: decodeGlobalId(endpoint.id).id };
}

/** A processed image in the brand's media library, made directly in the database. */
async function freshMediaAsset(api: TestApi, org: SeededOrganization) {
  const id = randomBytes(16).toString('hex');
  const asset = await api.db.mediaAsset.create({
    data: {
      id,
      organizationId: org.organization.id,
      brandId: org.brand.id,
      filename: 'library.jpg',
      kind: 'IMAGE',
      contentType: 'image/jpeg',
      byteSize: 10n,
      storageKey: `uploads/${id}`,
      status: 'READY',
    },
  });
  return { variables: { id: gid('MediaAsset', asset.id) }, targetId: asset.id };
}

/** A processed image whose 1080 variant is stored (bytes need not be a real JPEG: composing copies them). */
async function freshComposableImage(api: TestApi, org: SeededOrganization) {
  const { variables, targetId } = await freshMediaAsset(api, org);
  const variant = `org/${org.organization.id}/library/${targetId}/w1080.jpg`;
  await mkdir(join(api.mediaDir, dirname(variant)), { recursive: true });
  await writeFile(join(api.mediaDir, variant), randomBytes(64));
  await api.db.mediaAsset.update({ where: { id: targetId }, data: { variantKeys: { '1080': variant } } });
  return { variables: { brandId: org.brand.gid, assetId: variables.id } };
}

/** A connection made directly in the database (no token: nothing calls TikTok). */
async function freshAdsConnection(api: TestApi, org: SeededOrganization) {
  const connection = await api.db.adsConnection.create({
    data: { organizationId: org.organization.id, displayName: 'TikTok for Business' },
  });
  return { variables: { id: gid('AdsConnection', connection.id) }, targetId: connection.id };
}

/** An ad of a connection of the organization, made directly in the database. */
async function freshAd(api: TestApi, org: SeededOrganization) {
  const organizationId = org.organization.id;
  const connection = await api.db.adsConnection.create({
    data: { organizationId, displayName: 'TikTok for Business' },
  });
  const advertiser = await api.db.advertiser.create({
    data: { organizationId, connectionId: connection.id, platformAdvertiserId: unique('adv') },
  });
  const seen = { lastSeenAt: new Date(), operationStatus: 'ENABLE' };
  const campaign = await api.db.adsCampaign.create({
    data: { organizationId, advertiserId: advertiser.id, platformId: unique('cmp'), ...seen },
  });
  const adGroup = await api.db.adsAdGroup.create({
    data: { organizationId, advertiserId: advertiser.id, campaignId: campaign.id, platformId: unique('grp'), ...seen },
  });
  const ad = await api.db.adsAd.create({
    data: {
      organizationId,
      advertiserId: advertiser.id,
      campaignId: campaign.id,
      adGroupId: adGroup.id,
      platformId: unique('ad'),
      ...seen,
    },
  });
  return { connection, advertiser, ad };
}

/** A bulk job on a fresh ad: previewed (not run yet), or finished with its one item failed. */
async function freshBulkJob(api: TestApi, org: SeededOrganization, status: 'PREVIEW' | 'PARTIALLY_FAILED') {
  const { connection, advertiser, ad } = await freshAd(api, org);
  const job = await api.db.adsBulkJob.create({
    data: {
      organizationId: org.organization.id,
      connectionId: connection.id,
      level: 'AD',
      action: 'PAUSE',
      status,
      run: status === 'PREVIEW' ? 0 : 1,
      items: {
        create: {
          objectId: ad.id,
          platformAdvertiserId: advertiser.platformAdvertiserId,
          platformId: ad.platformId,
          previousStatus: 'ENABLE',
          status: status === 'PREVIEW' ? 'PENDING' : 'FAILED',
          message: status === 'PREVIEW' ? null : 'Ad is under review and cannot be modified.',
        },
      },
    },
  });
  return { variables: { id: gid('AdsBulkJob', job.id) }, targetId: job.id };
}

/** A report view saved by `actor` (private, so only they may change it). */
async function freshReportView(api: TestApi, org: SeededOrganization, actor: Role = 'OWNER') {
  const view = await api.db.adsReportView.create({
    data: {
      organizationId: org.organization.id,
      ownerId: org.members[actor].userId,
      name: unique('view'),
      report: { level: 'CAMPAIGN', from: '2026-11-01', to: '2026-11-30' },
    },
  });
  return { variables: { id: gid('AdsReportView', view.id) }, targetId: view.id };
}

async function freshAlertRule(api: TestApi, org: SeededOrganization) {
  const rule = await api.db.adsAlertRule.create({
    data: {
      organizationId: org.organization.id,
      name: unique('rule'),
      kind: 'CONNECTION_BROKEN',
      channels: ['IN_APP'],
    },
  });
  return { variables: { id: gid('AdsAlertRule', rule.id) }, targetId: rule.id };
}

/** A slide with a rendered image, which a carousel needs before it can be scheduled. */
export async function withRenderedSlide(api: TestApi, post: { id: string; organizationId: string }) {
  const media = await api.db.media.create({
    data: {
      organizationId: post.organizationId,
      postId: post.id,
      kind: 'IMAGE',
      status: 'READY',
      contentType: 'image/jpeg',
      byteSize: 1,
      storageKey: `org/${post.organizationId}/media/${post.id}-0.jpg`,
    },
  });
  await api.db.slide.upsert({
    where: { postId_position: { postId: post.id, position: 0 } },
    update: { mediaId: media.id },
    create: { postId: post.id, position: 0, heading: 'Slide', mediaId: media.id },
  });
}

async function freshMember(api: TestApi, org: SeededOrganization, role: 'EDITOR' = 'EDITOR') {
  const user = await seedUser(api.db, 'Target');
  const membership = await api.db.membership.create({
    data: { organizationId: org.organization.id, userId: user.id, role },
  });
  return membership;
}

export const operations: Operation[] = [
  // ── reads gated by permission ──
  {
    name: 'organization.posts',
    kind: 'query',
    document: `query($id: ID!) { organization(id: $id) { posts(first: 5) { edges { node { id caption } } } } }`,
    prepare: (_api, org) => Promise.resolve({ variables: { id: org.organization.gid } }),
  },
  {
    name: 'organization.mediaAssets',
    kind: 'query',
    document: `query($id: ID!) { organization(id: $id) { mediaAssets(first: 5) { edges { node { id status } } } mediaUsage { usedBytes } } }`,
    prepare: (_api, org) => Promise.resolve({ variables: { id: org.organization.gid } }),
  },
  {
    name: 'organization.publications',
    kind: 'query',
    document: `query($id: ID!) { organization(id: $id) { publications(first: 5, state: [PUBLISHED]) { edges { node { id state } } } } }`,
    prepare: (_api, org) => Promise.resolve({ variables: { id: org.organization.gid } }),
  },
  {
    name: 'organization.members',
    kind: 'query',
    document: `query($id: ID!) { organization(id: $id) { members(first: 5) { edges { node { role user { email } } } } } }`,
    prepare: (_api, org) => Promise.resolve({ variables: { id: org.organization.gid } }),
  },
  {
    name: 'organization.invites',
    kind: 'query',
    document: `query($id: ID!) { organization(id: $id) { invites(first: 5) { edges { node { email } } } } }`,
    prepare: (_api, org) => Promise.resolve({ variables: { id: org.organization.gid } }),
  },
  {
    name: 'organization.apiTokens',
    kind: 'query',
    document: `query($id: ID!) { organization(id: $id) { apiTokens(first: 5) { edges { node { prefix } } } } }`,
    prepare: (_api, org) => Promise.resolve({ variables: { id: org.organization.gid } }),
  },
  {
    name: 'organization.contactSubmissions',
    kind: 'query',
    document: `query($id: ID!) { organization(id: $id) { contactSubmissions(first: 5) { edges { node { message status } } } } }`,
    prepare: (_api, org) => Promise.resolve({ variables: { id: org.organization.gid } }),
  },
  {
    name: 'organization.auditEvents',
    kind: 'query',
    document: `query($id: ID!) { organization(id: $id) { auditEvents(first: 5) { edges { node { action } } } } }`,
    prepare: (_api, org) => Promise.resolve({ variables: { id: org.organization.gid } }),
  },
  {
    name: 'auditLogCsv',
    kind: 'query',
    document: `query($id: ID!) { auditLogCsv(organizationId: $id) }`,
    prepare: (_api, org) => Promise.resolve({ variables: { id: org.organization.gid } }),
  },
  {
    name: 'Publication.latestMetrics',
    kind: 'query',
    document: `query($id: ID!) { node(id: $id) { ... on Post { latestPublication { latestMetrics { viewCount } } } } }`,
    prepare: (_api, org) => Promise.resolve({ variables: { id: org.posts.published.gid } }),
  },
  {
    name: 'node(SocialAccount)',
    kind: 'query',
    document: `query($id: ID!) { node(id: $id) { ... on SocialAccount { displayName status } } }`,
    prepare: async (api, org) => {
      const account = await api.db.socialAccount.create({
        data: {
          organizationId: org.organization.id,
          brandId: org.brand.id,
          platform: 'TIKTOK',
          platformAccountId: unique('node-acct'),
        },
      });
      return { variables: { id: gid('SocialAccount', account.id) } };
    },
  },
  {
    name: 'node(DataExportRequest)',
    kind: 'query',
    document: `query($id: ID!) { node(id: $id) { ... on DataExportRequest { status } } }`,
    prepare: async (api, org) => {
      const request = await api.db.dataExportRequest.create({
        data: { organizationId: org.organization.id, scope: 'ORGANIZATION' },
      });
      return { variables: { id: gid('DataExportRequest', request.id) } };
    },
  },
  // ── mutations on an organization ──
  {
    name: 'updateOrganization',
    kind: 'mutation',
    document: `mutation($id: ID!) { updateOrganization(id: $id, name: "Renamed", timezone: "Europe/Berlin") { ${result} } }`,
    prepare: (_api, org) => Promise.resolve({ variables: { id: org.organization.gid }, targetId: org.organization.id }),
    audit: { action: 'organization.update', targetType: 'Organization', organizationScoped: true },
  },
  {
    name: 'setOrganizationAi',
    kind: 'mutation',
    document: `mutation($id: ID!) { setOrganizationAi(organizationId: $id, text: true, images: false) { ${result} } }`,
    prepare: (_api, org) => Promise.resolve({ variables: { id: org.organization.gid }, targetId: org.organization.id }),
    audit: { action: 'organization.ai_update', targetType: 'Organization', organizationScoped: true },
  },
  {
    name: 'setContactSubmissionStatus',
    kind: 'mutation',
    document: `mutation($id: ID!) { setContactSubmissionStatus(id: $id, status: ANSWERED) { ${result} } }`,
    prepare: async (api, org) => {
      const submission = await api.db.contactSubmission.create({
        data: {
          organizationId: org.organization.id,
          name: 'Visitor',
          contact: 'visitor@example.test',
          contactKind: 'EMAIL',
          category: 'General',
          message: 'Hello',
          ip: '192.0.2.1',
          userAgent: 'test',
          state: { create: { organizationId: org.organization.id, status: 'NEW' } },
        },
      });
      return { variables: { id: gid('ContactSubmission', submission.id) }, targetId: submission.id };
    },
    audit: { action: 'contact_submission.set_status', targetType: 'ContactSubmission', organizationScoped: true },
  },
  {
    name: 'eraseContactSender',
    kind: 'mutation',
    document: `mutation($id: ID!, $contact: String!) { eraseContactSender(organizationId: $id, contact: $contact) { ${result} } }`,
    prepare: async (api, org) => {
      const contact = `${unique('sender')
        .toLowerCase()
        .replace(/[^a-z0-9]/g, '')}@example.test`;
      await api.db.contactSubmission.create({
        data: {
          organizationId: org.organization.id,
          name: 'Visitor',
          contact,
          contactKind: 'EMAIL',
          category: 'General',
          message: 'Please forget me',
          ip: '192.0.2.1',
          userAgent: 'test',
        },
      });
      return { variables: { id: org.organization.gid, contact }, targetId: org.organization.id };
    },
    audit: { action: 'contact_sender.erase', targetType: 'Organization', organizationScoped: true },
  },
  {
    name: 'inviteMember',
    kind: 'mutation',
    document: `mutation($id: ID!, $email: String!) { inviteMember(organizationId: $id, email: $email, role: EDITOR) { ${result} ... on MutationInviteMemberSuccess { data { token invite { id } } } } }`,
    prepare: (_api, org) =>
      Promise.resolve({
        variables: { id: org.organization.gid, email: `${unique('new')}@example.test` },
      }),
    audit: { action: 'invite.create', targetType: 'Invite', organizationScoped: true },
  },
  {
    name: 'revokeInvite',
    kind: 'mutation',
    document: `mutation($id: ID!) { revokeInvite(id: $id) { ${result} } }`,
    prepare: async (api, org) => {
      const invite = await api.db.invite.create({
        data: {
          organizationId: org.organization.id,
          email: `${unique('x')}@example.test`,
          role: 'ANALYST',
          tokenHash: sha256(randomSecret()),
          expiresAt: new Date(Date.now() + 86_400_000),
        },
      });
      return { variables: { id: gid('Invite', invite.id) }, targetId: invite.id };
    },
    audit: { action: 'invite.revoke', targetType: 'Invite', organizationScoped: true },
  },
  {
    name: 'changeMemberRole',
    kind: 'mutation',
    document: `mutation($id: ID!) { changeMemberRole(membershipId: $id, role: REVIEWER) { ${result} } }`,
    prepare: async (api, org) => {
      const membership = await freshMember(api, org);
      return { variables: { id: gid('Membership', membership.id) }, targetId: membership.id };
    },
    audit: { action: 'member.change_role', targetType: 'Membership', organizationScoped: true },
  },
  {
    name: 'updateMemberProfile',
    kind: 'mutation',
    document: `mutation($id: ID!) { updateMemberProfile(membershipId: $id, firstName: "Kim", lastName: "Lee") { ${result} } }`,
    prepare: async (api, org) => {
      const membership = await freshMember(api, org);
      return { variables: { id: gid('Membership', membership.id) }, targetId: membership.id };
    },
    audit: { action: 'member.update_profile', targetType: 'Membership', organizationScoped: true },
  },
  {
    name: 'removeMember',
    kind: 'mutation',
    document: `mutation($id: ID!) { removeMember(membershipId: $id) { ${result} } }`,
    prepare: async (api, org) => {
      const membership = await freshMember(api, org);
      return { variables: { id: gid('Membership', membership.id) }, targetId: membership.id };
    },
    audit: { action: 'member.remove', targetType: 'Membership', organizationScoped: true },
  },
  {
    name: 'createApiToken',
    kind: 'mutation',
    document: `mutation($id: ID!) { createApiToken(organizationId: $id, name: "CI", scopes: [POSTS_READ]) { ${result} ... on MutationCreateApiTokenSuccess { data { token } } } }`,
    prepare: (_api, org) => Promise.resolve({ variables: { id: org.organization.gid } }),
    audit: { action: 'api_token.create', targetType: 'ApiToken', organizationScoped: true },
  },
  {
    name: 'revokeApiToken',
    kind: 'mutation',
    document: `mutation($id: ID!) { revokeApiToken(id: $id) { ${result} } }`,
    prepare: async (api, org) => {
      const token = await api.db.apiToken.create({
        data: {
          organizationId: org.organization.id,
          name: 'old',
          prefix: 'prt_old',
          tokenHash: sha256(randomSecret()),
          scopes: ['posts:read'],
        },
      });
      return { variables: { id: gid('ApiToken', token.id) }, targetId: token.id };
    },
    audit: { action: 'api_token.revoke', targetType: 'ApiToken', organizationScoped: true },
  },
  // ── brands ──
  {
    name: 'createBrand',
    kind: 'mutation',
    document: `mutation($id: ID!, $slug: String!) { createBrand(organizationId: $id, name: "New brand", slug: $slug, voice: "Warm") { ${result} } }`,
    prepare: (_api, org) =>
      Promise.resolve({ variables: { id: org.organization.gid, slug: unique('b').toLowerCase() } }),
    audit: { action: 'brand.create', targetType: 'Brand', organizationScoped: true },
  },
  {
    name: 'updateBrand',
    kind: 'mutation',
    document: `mutation($id: ID!) { updateBrand(id: $id, voice: "Dry and precise", primaryColor: "#000000") { ${result} } }`,
    prepare: (_api, org) => Promise.resolve({ variables: { id: org.brand.gid }, targetId: org.brand.id }),
    audit: { action: 'brand.update', targetType: 'Brand', organizationScoped: true },
  },
  {
    name: 'deleteBrand',
    kind: 'mutation',
    document: `mutation($id: ID!) { deleteBrand(id: $id) { ${result} } }`,
    prepare: async (api, org) => {
      const brand = await api.db.brand.create({
        data: { organizationId: org.organization.id, name: 'Doomed', slug: unique('doomed').toLowerCase() },
      });
      return { variables: { id: gid('Brand', brand.id) }, targetId: brand.id };
    },
    audit: { action: 'brand.delete', targetType: 'Brand', organizationScoped: true },
  },
  {
    name: 'addKnowledgeDocument',
    kind: 'mutation',
    document: `mutation($id: ID!) { addKnowledgeDocument(brandId: $id, title: "Tone", content: "We never shout.") { ${result} } }`,
    prepare: (_api, org) => Promise.resolve({ variables: { id: org.brand.gid } }),
    audit: { action: 'knowledge_document.create', targetType: 'BrandKnowledgeDocument', organizationScoped: true },
  },
  {
    name: 'updateKnowledgeDocument',
    kind: 'mutation',
    document: `mutation($id: ID!) { updateKnowledgeDocument(id: $id, content: "Updated") { ${result} } }`,
    prepare: (_api, org) => Promise.resolve({ variables: { id: org.document.gid }, targetId: org.document.id }),
    audit: { action: 'knowledge_document.update', targetType: 'BrandKnowledgeDocument', organizationScoped: true },
  },
  {
    name: 'deleteKnowledgeDocument',
    kind: 'mutation',
    document: `mutation($id: ID!) { deleteKnowledgeDocument(id: $id) { ${result} } }`,
    prepare: async (api, org) => {
      const doc = await api.db.brandKnowledgeDocument.create({
        data: { organizationId: org.organization.id, brandId: org.brand.id, title: 'T', content: 'C' },
      });
      return { variables: { id: gid('BrandKnowledgeDocument', doc.id) }, targetId: doc.id };
    },
    audit: { action: 'knowledge_document.delete', targetType: 'BrandKnowledgeDocument', organizationScoped: true },
  },
  {
    name: 'deleteBrandAsset',
    kind: 'mutation',
    document: `mutation($id: ID!) { deleteBrandAsset(id: $id) { ${result} } }`,
    prepare: async (api, org) => {
      const asset = await api.db.brandAsset.create({
        data: {
          organizationId: org.organization.id,
          brandId: org.brand.id,
          kind: 'IMAGE',
          filename: 'old.png',
          contentType: 'image/png',
          byteSize: 1,
          sha256: 'x',
          storageKey: `org/${org.organization.id}/assets/${unique('asset')}`,
        },
      });
      return { variables: { id: gid('BrandAsset', asset.id) }, targetId: asset.id };
    },
    audit: { action: 'brand_asset.delete', targetType: 'BrandAsset', organizationScoped: true },
  },
  // ── content ──
  {
    name: 'createBatch',
    kind: 'mutation',
    document: `mutation($id: ID!) { createBatch(brandId: $id, brief: "Autumn launch", count: 3, platforms: [TIKTOK, INSTAGRAM]) { ${result} } }`,
    prepare: (_api, org) => Promise.resolve({ variables: { id: org.brand.gid } }),
    audit: { action: 'batch.create', targetType: 'Batch', organizationScoped: true },
  },
  {
    name: 'createPost',
    kind: 'mutation',
    document: `mutation($id: ID!) { createPost(brandId: $id, caption: "Hello", hashtags: ["autumn"], slides: [{ heading: "One", body: "Two" }]) { ${result} } }`,
    prepare: (_api, org) => Promise.resolve({ variables: { id: org.brand.gid } }),
    audit: { action: 'post.create', targetType: 'Post', organizationScoped: true },
  },
  {
    name: 'updatePost',
    kind: 'mutation',
    document: `mutation($id: ID!) { updatePost(id: $id, expectedVersion: 1, caption: "Edited", slides: [{ heading: "New" }]) { ${result} } }`,
    prepare: (api, org) => freshPost(api, org, 'DRAFT'),
    audit: { action: 'post.update', targetType: 'Post', organizationScoped: true },
  },
  {
    name: 'deletePost',
    kind: 'mutation',
    document: `mutation($id: ID!) { deletePost(id: $id) { ${result} } }`,
    prepare: (api, org) => freshPost(api, org, 'DRAFT'),
    audit: { action: 'post.delete', targetType: 'Post', organizationScoped: true },
  },
  {
    name: 'submitPostForReview',
    kind: 'mutation',
    document: `mutation($id: ID!) { submitPostForReview(id: $id) { ${result} } }`,
    prepare: (api, org) => freshPost(api, org, 'DRAFT'),
    audit: { action: 'post.submit_for_review', targetType: 'Post', organizationScoped: true },
  },
  {
    name: 'approvePost',
    kind: 'mutation',
    document: `mutation($id: ID!) { approvePost(id: $id, comment: "Lovely") { ${result} } }`,
    prepare: (api, org) => freshPost(api, org, 'IN_REVIEW'),
    audit: { action: 'post.approve', targetType: 'Post', organizationScoped: true },
  },
  {
    name: 'rejectPost',
    kind: 'mutation',
    document: `mutation($id: ID!) { rejectPost(id: $id, comment: "Off brand") { ${result} } }`,
    prepare: (api, org) => freshPost(api, org, 'IN_REVIEW'),
    audit: { action: 'post.reject', targetType: 'Post', organizationScoped: true },
  },
  {
    name: 'schedulePost',
    kind: 'mutation',
    document: `mutation($id: ID!, $at: DateTime!) { schedulePost(id: $id, scheduledAt: $at) { ${result} } }`,
    prepare: async (api, org) => {
      const prepared = await freshPost(api, org, 'APPROVED');
      return { ...prepared, variables: { ...prepared.variables, at: new Date(Date.now() + 3_600_000).toISOString() } };
    },
    audit: { action: 'post.schedule', targetType: 'Post', organizationScoped: true },
  },
  {
    name: 'reschedulePost',
    kind: 'mutation',
    document: `mutation($id: ID!, $at: DateTime!) { reschedulePost(id: $id, scheduledAt: $at) { ${result} } }`,
    prepare: async (api, org) => {
      const prepared = await scheduledPost(api, org);
      return { ...prepared, variables: { ...prepared.variables, at: new Date(Date.now() + 7_200_000).toISOString() } };
    },
    audit: { action: 'post.reschedule', targetType: 'Post', organizationScoped: true },
  },
  {
    name: 'unschedulePost',
    kind: 'mutation',
    document: `mutation($id: ID!) { unschedulePost(id: $id) { ${result} } }`,
    prepare: (api, org) => scheduledPost(api, org),
    audit: { action: 'post.unschedule', targetType: 'Post', organizationScoped: true },
  },
  {
    name: 'cancelPublication',
    kind: 'mutation',
    document: `mutation($id: ID!) { cancelPublication(id: $id) { ${result} } }`,
    prepare: async (api, org) => {
      const { publicationId } = await scheduledPost(api, org);
      return { variables: { id: gid('Publication', publicationId) }, targetId: publicationId };
    },
    audit: { action: 'publication.cancel', targetType: 'Publication', organizationScoped: true },
  },
  {
    name: 'unpublishArticle',
    kind: 'mutation',
    document: `mutation($id: ID!) { unpublishArticle(id: $id) { ${result} } }`,
    prepare: (api, org) => liveArticle(api, org),
    audit: { action: 'article.unpublish', targetType: 'Post', organizationScoped: true },
  },
  {
    name: 'republishArticle',
    kind: 'mutation',
    document: `mutation($id: ID!) { republishArticle(id: $id) { ${result} } }`,
    prepare: (api, org) => takenDownArticle(api, org),
    audit: { action: 'article.republish', targetType: 'Post', organizationScoped: true },
  },
];

/** A PUBLISHED article that went out through its BLOG publication and was taken down since. */
async function takenDownArticle(api: TestApi, org: SeededOrganization) {
  const prepared = await liveArticle(api, org);
  await api.db.article.update({
    where: { postId: prepared.targetId },
    data: { publishedAt: null, unpublishedAt: new Date() },
  });
  const blog = await api.db.socialAccount.upsert({
    where: {
      organizationId_platform_platformAccountId: {
        organizationId: org.organization.id,
        platform: 'BLOG',
        platformAccountId: org.brand.id,
      },
    },
    update: {},
    create: {
      organizationId: org.organization.id,
      brandId: org.brand.id,
      platform: 'BLOG',
      platformAccountId: org.brand.id,
    },
  });
  await api.db.publication.create({
    data: {
      organizationId: org.organization.id,
      postId: prepared.targetId,
      socialAccountId: blog.id,
      platform: 'BLOG',
      state: 'PUBLISHED',
      scheduledAt: new Date(Date.now() - 120_000),
      publishedAt: new Date(Date.now() - 120_000),
    },
  });
  return prepared;
}

/** A PUBLISHED article live on its brand's blog. */
async function liveArticle(api: TestApi, org: SeededOrganization) {
  const slug = unique('live').toLowerCase();
  const post = await api.db.post.create({
    data: {
      organizationId: org.organization.id,
      brandId: org.brand.id,
      format: 'ARTICLE',
      status: 'PUBLISHED',
      title: 'Live article',
      article: {
        create: {
          organizationId: org.organization.id,
          brandId: org.brand.id,
          slug,
          metaTitle: 'Live article',
          metaDescription: 'A live article.',
          keywords: ['live'],
          outline: [],
          body: '# Live article',
          excerpt: 'A live article.',
          readingMinutes: 1,
          publishedAt: new Date(Date.now() - 60_000),
        },
      },
    },
  });
  return { variables: { id: gid('Post', post.id) }, targetId: post.id };
}

/**
 * A SCHEDULED post with its publication, as schedulePost leaves them, but with no publish
 * workflow running: the mutations treat a publication whose workflow is gone as cancellable.
 */
async function scheduledPost(api: TestApi, org: SeededOrganization) {
  const prepared = await freshPost(api, org, 'SCHEDULED');
  const account = await api.db.socialAccount.findFirstOrThrow({ where: { organizationId: org.organization.id } });
  const publication = await api.db.publication.create({
    data: {
      organizationId: org.organization.id,
      postId: prepared.targetId,
      socialAccountId: account.id,
      platform: account.platform,
      scheduledAt: new Date(Date.now() + 86_400_000),
    },
  });
  return { ...prepared, publicationId: publication.id };
}

operations.push({
  name: 'retryPublication',
  kind: 'mutation',
  document: `mutation($id: ID!) { retryPublication(id: $id) { ${result} } }`,
  prepare: async (api, org) => {
    const { targetId: postId } = await freshPost(api, org, 'APPROVED');
    // An account of its own: others here get synced (and, with no tokens, revoked) or deleted.
    const account = await api.db.socialAccount.findUniqueOrThrow({
      where: { id: (await freshAccount(api, org)).targetId },
    });
    const publication = await api.db.publication.create({
      data: {
        organizationId: org.organization.id,
        postId,
        socialAccountId: account.id,
        platform: account.platform,
        state: 'FAILED',
        failureCategory: 'TRANSIENT',
        scheduledAt: new Date(),
        attemptCount: 1,
      },
    });
    return { variables: { id: gid('Publication', publication.id) }, targetId: publication.id };
  },
  audit: { action: 'publication.retry', targetType: 'Publication', organizationScoped: true },
});

/** A FAILED publication whose outcome TikTok may still have (no attempt to ask about). */
async function failedPublication(api: TestApi, org: SeededOrganization) {
  const { targetId: postId } = await freshPost(api, org, 'APPROVED');
  const account = await api.db.socialAccount.findUniqueOrThrow({
    where: { id: (await freshAccount(api, org)).targetId },
  });
  const publication = await api.db.publication.create({
    data: {
      organizationId: org.organization.id,
      postId,
      socialAccountId: account.id,
      platform: account.platform,
      state: 'FAILED',
      failureCategory: 'OUTCOME_UNKNOWN',
      failureReason: 'TikTok could not be asked',
      scheduledAt: new Date(),
      attemptCount: 1,
    },
  });
  return { variables: { id: gid('Publication', publication.id) }, targetId: publication.id };
}

operations.push(
  {
    name: 'checkPublication',
    kind: 'mutation',
    document: `mutation($id: ID!) { checkPublication(id: $id) { ${result} } }`,
    prepare: failedPublication,
    audit: { action: 'publication.check', targetType: 'Publication', organizationScoped: true },
  },
  {
    name: 'markPublicationPublished',
    kind: 'mutation',
    document: `mutation($id: ID!) {
      markPublicationPublished(id: $id, url: "https://www.tiktok.com/@creator/video/7400000000000000001") { ${result} } }`,
    prepare: failedPublication,
    audit: { action: 'publication.mark_published', targetType: 'Publication', organizationScoped: true },
  },
);

async function freshAccount(api: TestApi, org: SeededOrganization) {
  const account = await api.db.socialAccount.create({
    data: {
      organizationId: org.organization.id,
      brandId: org.brand.id,
      platform: 'TIKTOK',
      platformAccountId: unique('acct'),
    },
  });
  return { variables: { id: gid('SocialAccount', account.id) }, targetId: account.id };
}

// ── workflows the api starts ──
operations.push(
  {
    name: 'syncAccountNow',
    kind: 'mutation',
    document: `mutation($id: ID!) { syncAccountNow(socialAccountId: $id) { ${result} } }`,
    prepare: (api, org) => freshAccount(api, org),
    audit: { action: 'social_account.sync_now', targetType: 'SocialAccount', organizationScoped: true },
  },
  {
    name: 'requestDataExport',
    kind: 'mutation',
    document: `mutation($id: ID!) { requestDataExport(organizationId: $id) { ${result} } }`,
    prepare: (_api, org) => Promise.resolve({ variables: { id: org.organization.gid } }),
    audit: { action: 'data_export.request', targetType: 'DataExportRequest', organizationScoped: true },
  },
  {
    name: 'requestAccountDeletion',
    kind: 'mutation',
    document: `mutation($id: ID!) { requestAccountDeletion(id: $id) { ${result} } }`,
    // A social account here; users and organizations are in governance.test.ts.
    prepare: async (api, org) => {
      const { variables } = await freshAccount(api, org);
      return { variables };
    },
    audit: { action: 'deletion.request', targetType: 'DeletionRequest', organizationScoped: true },
  },
  {
    name: 'setPostVersion',
    kind: 'mutation',
    document: `mutation($id: ID!) { setPostVersion(id: $id, network: INSTAGRAM, caption: "For the grid") { ${result} } }`,
    prepare: (api, org) => freshPost(api, org, 'DRAFT'),
    audit: { action: 'post.set_version', targetType: 'Post', organizationScoped: true },
  },
  {
    name: 'createWebhookEndpoint',
    kind: 'mutation',
    // A public documentation address: registration resolves nothing and calls nothing.
    document: `mutation($id: ID!) { createWebhookEndpoint(organizationId: $id, url: "https://203.0.113.10/hooks", events: ["post.approved"]) { ${result} } }`,
    prepare: (_api, org) => Promise.resolve({ variables: { id: org.organization.gid } }),
    audit: { action: 'webhook_endpoint.create', targetType: 'WebhookEndpoint', organizationScoped: true },
  },
  {
    name: 'updateWebhookEndpoint',
    kind: 'mutation',
    document: `mutation($id: ID!) { updateWebhookEndpoint(id: $id, description: "Renamed") { ${result} } }`,
    prepare: (_api, org) => freshWebhookEndpoint(org),
    audit: { action: 'webhook_endpoint.update', targetType: 'WebhookEndpoint', organizationScoped: true },
  },
  {
    name: 'rotateWebhookEndpointSecret',
    kind: 'mutation',
    document: `mutation($id: ID!) { rotateWebhookEndpointSecret(id: $id) { ${result} } }`,
    prepare: (_api, org) => freshWebhookEndpoint(org),
    audit: { action: 'webhook_endpoint.rotate_secret', targetType: 'WebhookEndpoint', organizationScoped: true },
  },
  {
    name: 'deleteWebhookEndpoint',
    kind: 'mutation',
    document: `mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { ${result} } }`,
    prepare: (_api, org) => freshWebhookEndpoint(org),
    audit: { action: 'webhook_endpoint.delete', targetType: 'WebhookEndpoint', organizationScoped: true },
  },
  {
    name: 'redeliverWebhookDelivery',
    kind: 'mutation',
    document: `mutation($id: ID!) { redeliverWebhookDelivery(id: $id) { ${result} } }`,
    prepare: async (api, org) => {
      const { targetId: endpointId } = await freshWebhookEndpoint(org);
      const delivery = await api.db.webhookDelivery.create({
        data: {
          organizationId: org.organization.id,
          endpointId,
          eventId: unique('evt'),
          eventType: 'post.approved',
          body: '{}',
          status: 'FAILED',
        },
      });
      return { variables: { id: gid('WebhookDelivery', delivery.id) }, targetId: delivery.id };
    },
    audit: { action: 'webhook_delivery.redeliver', targetType: 'WebhookDelivery', organizationScoped: true },
  },
);

operations.push(
  {
    name: 'updateMediaAsset',
    kind: 'mutation',
    document: `mutation($id: ID!) { updateMediaAsset(id: $id, folder: "campaigns", tags: ["spring"]) { ${result} } }`,
    prepare: (api, org) => freshMediaAsset(api, org),
    audit: { action: 'media_asset.update', targetType: 'MediaAsset', organizationScoped: true },
  },
  {
    name: 'deleteMediaAsset',
    kind: 'mutation',
    document: `mutation($id: ID!) { deleteMediaAsset(id: $id) { ${result} } }`,
    prepare: (api, org) => freshMediaAsset(api, org),
    audit: { action: 'media_asset.delete', targetType: 'MediaAsset', organizationScoped: true },
  },
  {
    name: 'composePostFromMedia',
    kind: 'mutation',
    document: `mutation($brandId: ID!, $assetId: ID!) { composePostFromMedia(brandId: $brandId, mediaAssetIds: [$assetId], caption: "From the library", versions: [{ network: INSTAGRAM, caption: "For Instagram" }]) { ${result} } }`,
    prepare: (api, org) => freshComposableImage(api, org),
    audit: { action: 'post.compose', targetType: 'Post', organizationScoped: true },
  },
  {
    name: 'setArticleHeroImage',
    kind: 'mutation',
    document: `mutation($id: ID!, $assetId: ID) { setArticleHeroImage(id: $id, mediaAssetId: $assetId) { ${result} } }`,
    prepare: async (api, org) => {
      const { variables } = await freshComposableImage(api, org);
      const article = await liveArticle(api, org);
      return { variables: { id: article.variables.id, assetId: variables.assetId }, targetId: article.targetId };
    },
    audit: { action: 'article.set_hero', targetType: 'Post', organizationScoped: true },
  },
  {
    name: 'suggestCaptionsForMedia',
    kind: 'mutation',
    document: `mutation($id: ID!) { suggestCaptionsForMedia(mediaAssetIds: [$id], networks: [INSTAGRAM]) { ${result} } }`,
    prepare: (api, org) => freshImageForAi(api, org),
    audit: { action: 'media.ai_suggest', targetType: 'MediaAsset', organizationScoped: true },
  },
  {
    name: 'requestVideoReview',
    kind: 'mutation',
    document: `mutation($id: ID!) { requestVideoReview(postId: $id) { ${result} } }`,
    prepare: (api, org) => freshVideoPost(api, org),
    audit: { action: 'post.video_review_request', targetType: 'Post', organizationScoped: true },
  },
  {
    name: 'organization.adsConnections',
    kind: 'query',
    document: `query($id: ID!) { organization(id: $id) { adsConnections(first: 5) { edges { node { status advertisers { name } } } } } }`,
    prepare: (_api, org) => Promise.resolve({ variables: { id: org.organization.gid } }),
  },
  {
    name: 'startAdsConnect',
    kind: 'mutation',
    document: `mutation($id: ID!) { startAdsConnect(organizationId: $id) { ${result} } }`,
    prepare: (_api, org) => Promise.resolve({ variables: { id: org.organization.gid } }),
    audit: { action: 'ads_connection.start', targetType: 'AdsConnectState', organizationScoped: true },
  },
  {
    name: 'completeAdsConnect',
    kind: 'mutation',
    document: `mutation($id: ID!, $state: String!, $code: String!) { completeAdsConnect(organizationId: $id, state: $state, authCode: $code) { ${result} } }`,
    // A consent granted on the emulator, and the pending state of the member about to complete it.
    prepare: async (api, org, actor = 'OWNER') => {
      const owner = api.tiktokAds.createAdvertiserOwner({ campaigns: 0 });
      const state = `st.${randomSecret()}`;
      await api.db.adsConnectState.create({
        data: {
          organizationId: org.organization.id,
          userId: org.members[actor].userId,
          stateHash: sha256(state),
          redirectUri: 'http://127.0.0.1/ads/connected',
          expiresAt: new Date(Date.now() + 600_000),
        },
      });
      return { variables: { id: org.organization.gid, state, code: api.tiktokAds.grantAuthCode(owner.userId) } };
    },
    audit: { action: 'ads_connection.connect', targetType: 'AdsConnection', organizationScoped: true },
  },
  {
    name: 'syncAdsConnectionNow',
    kind: 'mutation',
    document: `mutation($id: ID!) { syncAdsConnectionNow(id: $id) { ${result} } }`,
    prepare: (api, org) => freshAdsConnection(api, org),
    audit: { action: 'ads_connection.sync', targetType: 'AdsConnection', organizationScoped: true },
  },
  {
    name: 'disconnectAdsConnection',
    kind: 'mutation',
    document: `mutation($id: ID!) { disconnectAdsConnection(id: $id) { ${result} } }`,
    prepare: (api, org) => freshAdsConnection(api, org),
    audit: { action: 'ads_connection.disconnect', targetType: 'AdsConnection', organizationScoped: true },
  },
  {
    name: 'organization.adsBulkJobs',
    kind: 'query',
    document: `query($id: ID!) { organization(id: $id) { adsBulkJobs(first: 5) { edges { node { status counts { total } } } } } }`,
    prepare: (_api, org) => Promise.resolve({ variables: { id: org.organization.gid } }),
  },
  {
    name: 'previewAdsBulkJob',
    kind: 'mutation',
    document: `mutation($ids: [ID!]!) { previewAdsBulkJob(objectIds: $ids, action: PAUSE) { ${result} } }`,
    prepare: async (api, org) => {
      const { ad } = await freshAd(api, org);
      return { variables: { ids: [gid('AdsAd', ad.id)] } };
    },
    audit: { action: 'ads_bulk_job.preview', targetType: 'AdsBulkJob', organizationScoped: true },
  },
  {
    name: 'runAdsBulkJob',
    kind: 'mutation',
    document: `mutation($id: ID!) { runAdsBulkJob(id: $id) { ${result} } }`,
    prepare: (api, org) => freshBulkJob(api, org, 'PREVIEW'),
    audit: { action: 'ads_bulk_job.run', targetType: 'AdsBulkJob', organizationScoped: true },
  },
  {
    name: 'retryAdsBulkJobFailures',
    kind: 'mutation',
    document: `mutation($id: ID!) { retryAdsBulkJobFailures(id: $id) { ${result} } }`,
    prepare: (api, org) => freshBulkJob(api, org, 'PARTIALLY_FAILED'),
    audit: { action: 'ads_bulk_job.retry', targetType: 'AdsBulkJob', organizationScoped: true },
  },
  {
    name: 'organization.adsReportViews',
    kind: 'query',
    document: `query($id: ID!) { organization(id: $id) { adsReportViews { name shared editable } } }`,
    prepare: (_api, org) => Promise.resolve({ variables: { id: org.organization.gid } }),
  },
  {
    name: 'saveAdsReportView',
    kind: 'mutation',
    document: `mutation($input: SaveAdsReportViewInput!) { saveAdsReportView(input: $input) { ${result} } }`,
    prepare: (_api, org) =>
      Promise.resolve({
        variables: {
          input: {
            organizationId: org.organization.gid,
            name: 'Last month by campaign',
            shared: true,
            report: { level: 'CAMPAIGN', from: '2026-11-01', to: '2026-11-30' },
          },
        },
      }),
    audit: { action: 'ads_report_view.create', targetType: 'AdsReportView', organizationScoped: true },
  },
  {
    name: 'exportAdsReportCsv',
    kind: 'mutation',
    document: `mutation($id: ID!, $advertiserId: ID!) { exportAdsReportCsv(organizationId: $id, report: { level: CAMPAIGN, from: "2026-11-01", to: "2026-11-30", advertiserIds: [$advertiserId] }) { ${result} } }`,
    // One advertiser: the organization's others (made by other operations) may differ in currency.
    prepare: async (api, org) => {
      const { advertiser } = await freshAd(api, org);
      return {
        variables: { id: org.organization.gid, advertiserId: gid('Advertiser', advertiser.id) },
        targetId: org.organization.id,
      };
    },
    audit: { action: 'ads_report.export', targetType: 'Organization', organizationScoped: true },
  },
  {
    name: 'deleteAdsReportView',
    kind: 'mutation',
    document: `mutation($id: ID!) { deleteAdsReportView(id: $id) { ${result} } }`,
    prepare: (api, org, actor) => freshReportView(api, org, actor),
    audit: { action: 'ads_report_view.delete', targetType: 'AdsReportView', organizationScoped: true },
  },
  {
    name: 'organization.adsAlertRules',
    kind: 'query',
    document: `query($id: ID!) { organization(id: $id) { adsAlertRules { name kind threshold channels enabled } } }`,
    prepare: (_api, org) => Promise.resolve({ variables: { id: org.organization.gid } }),
  },
  {
    name: 'organization.adsAlertEvents',
    kind: 'query',
    document: `query($id: ID!) { organization(id: $id) { adsAlertEvents(first: 5) { edges { node { kind message breachKey deliveries { status } } } } } }`,
    prepare: (_api, org) => Promise.resolve({ variables: { id: org.organization.gid } }),
  },
  {
    name: 'createAdsAlertRule',
    kind: 'mutation',
    document: `mutation($input: AdsAlertRuleInput!) { createAdsAlertRule(input: $input) { ${result} } }`,
    prepare: async (api, org) => {
      const { advertiser } = await freshAd(api, org);
      return {
        variables: {
          input: {
            organizationId: org.organization.gid,
            name: 'Spend above 1,000',
            kind: 'DAILY_SPEND_ABOVE',
            threshold: 1000,
            advertiserIds: [gid('Advertiser', advertiser.id)],
            channels: ['IN_APP', 'EMAIL'],
            emailRecipients: ['ads@example.com'],
            enabled: true,
          },
        },
      };
    },
    audit: { action: 'ads_alert_rule.create', targetType: 'AdsAlertRule', organizationScoped: true },
  },
  {
    name: 'updateAdsAlertRule',
    kind: 'mutation',
    document: `mutation($id: ID!, $input: AdsAlertRuleInput!) { updateAdsAlertRule(id: $id, input: $input) { ${result} } }`,
    prepare: async (api, org) => {
      const { variables, targetId } = await freshAlertRule(api, org);
      return {
        variables: {
          ...variables,
          input: {
            organizationId: org.organization.gid,
            name: 'Connection broken',
            kind: 'CONNECTION_BROKEN',
            channels: ['TELEGRAM'],
            telegramChatId: '-1001234567890',
            enabled: true,
          },
        },
        targetId,
      };
    },
    audit: { action: 'ads_alert_rule.update', targetType: 'AdsAlertRule', organizationScoped: true },
  },
  {
    name: 'deleteAdsAlertRule',
    kind: 'mutation',
    document: `mutation($id: ID!) { deleteAdsAlertRule(id: $id) { ${result} } }`,
    prepare: (api, org) => freshAlertRule(api, org),
    audit: { action: 'ads_alert_rule.delete', targetType: 'AdsAlertRule', organizationScoped: true },
  },
);

export const operationByName = new Map(operations.map((operation) => [operation.name, operation]));
