import type { Role } from '@pressroom/db';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  roles,
  seedApiToken,
  seedOrganization,
  startTestApi,
  type GraphQLResponse,
  type SeededOrganization,
  type TestApi,
} from './kit.js';
import { operationByName, operations, type Operation } from './operations.js';

// The policy as the product describes it, written out by hand (not derived from the code):
// O = OWNER, A = ADMIN, E = EDITOR, R = REVIEWER, N = ANALYST.
const allowed: Record<string, string> = {
  'organization.posts': 'OAERN',
  'organization.publications': 'OAERN',
  'organization.mediaAssets': 'OAERN',
  'organization.members': 'OAERN',
  'organization.invites': 'OA',
  'organization.apiTokens': 'OA',
  'organization.contactSubmissions': 'OA',
  'organization.auditEvents': 'OA',
  auditLogCsv: 'OA',
  'Publication.latestMetrics': 'OAEN',
  'node(SocialAccount)': 'OAERN',
  'node(DataExportRequest)': 'OA',
  updateOrganization: 'OA',
  setOrganizationAi: 'OA',
  setContactSubmissionStatus: 'OA',
  eraseContactSender: 'OA',
  inviteMember: 'OA',
  revokeInvite: 'OA',
  changeMemberRole: 'OA',
  updateMemberProfile: 'OA',
  removeMember: 'OA',
  createApiToken: 'OA',
  revokeApiToken: 'OA',
  createBrand: 'OA',
  updateBrand: 'OAE',
  deleteBrand: 'OA',
  addKnowledgeDocument: 'OAE',
  updateKnowledgeDocument: 'OAE',
  deleteKnowledgeDocument: 'OAE',
  deleteBrandAsset: 'OAE',
  createBatch: 'OAE',
  createPost: 'OAE',
  updatePost: 'OAE',
  deletePost: 'OAE',
  submitPostForReview: 'OAE',
  approvePost: 'OAR',
  rejectPost: 'OAR',
  schedulePost: 'OAE',
  reschedulePost: 'OAE',
  unschedulePost: 'OAE',
  unpublishArticle: 'OAE',
  republishArticle: 'OAE',
  cancelPublication: 'OAE',
  retryPublication: 'OA',
  checkPublication: 'OA',
  markPublicationPublished: 'OA',
  syncAccountNow: 'OAEN',
  requestDataExport: 'OA',
  requestAccountDeletion: 'OA',
  setPostVersion: 'OAE',
  createWebhookEndpoint: 'OA',
  updateWebhookEndpoint: 'OA',
  rotateWebhookEndpointSecret: 'OA',
  deleteWebhookEndpoint: 'OA',
  redeliverWebhookDelivery: 'OA',
  updateMediaAsset: 'OAE',
  deleteMediaAsset: 'OAE',
  composePostFromMedia: 'OAE',
  setArticleHeroImage: 'OAE',
  suggestCaptionsForMedia: 'OAE',
  requestVideoReview: 'OAE',
  'organization.adsConnections': 'OAEN',
  startAdsConnect: 'OA',
  completeAdsConnect: 'OA',
  syncAdsConnectionNow: 'OA',
  disconnectAdsConnection: 'OA',
  'organization.adsBulkJobs': 'OAEN',
  previewAdsBulkJob: 'OA',
  runAdsBulkJob: 'OA',
  retryAdsBulkJobFailures: 'OA',
  'organization.adsReportViews': 'OAEN',
  saveAdsReportView: 'OAEN',
  deleteAdsReportView: 'OAEN',
  exportAdsReportCsv: 'OAEN',
  'organization.adsAlertRules': 'OAEN',
  'organization.adsAlertEvents': 'OAEN',
  createAdsAlertRule: 'OA',
  updateAdsAlertRule: 'OA',
  deleteAdsAlertRule: 'OA',
};
const letter: Record<Role, string> = { OWNER: 'O', ADMIN: 'A', EDITOR: 'E', REVIEWER: 'R', ANALYST: 'N' };

let api: TestApi;
let org: SeededOrganization;
beforeAll(async () => {
  api = await startTestApi({}, { worker: {} });
  org = await seedOrganization(api);
});
afterAll(() => api?.close());

function firstError(response: GraphQLResponse) {
  return response.body.errors?.[0]?.extensions?.code;
}

/** Allowed: no error and a success result. Denied: FORBIDDEN, and no data for that field. */
function outcome(operation: Operation, response: GraphQLResponse): string {
  if (firstError(response) === 'FORBIDDEN') return 'denied';
  if (response.body.errors) return `error: ${JSON.stringify(response.body.errors)}`;
  const data = response.body.data as Record<string, { __typename?: string } | null>;
  if (operation.kind === 'mutation') {
    const typename = Object.values(data)[0]?.__typename ?? '';
    return typename.endsWith('Success') ? 'allowed' : `result: ${JSON.stringify(data)}`;
  }
  return 'allowed';
}

test('the matrix names every operation the catalogue has', () => {
  expect(Object.keys(allowed).sort()).toEqual(operations.map((operation) => operation.name).sort());
});

describe.each(roles)('%s', (role) => {
  test.each(Object.keys(allowed))('%s', async (name) => {
    const operation = operationByName.get(name)!;
    const prepared = await operation.prepare(api, org, role);
    const response = await org.members[role].client.gql(operation.document, prepared.variables);
    expect(outcome(operation, response)).toBe(allowed[name]!.includes(letter[role]) ? 'allowed' : 'denied');
  });
});

describe('API tokens act only within their scopes', () => {
  const scopeCases: Array<{ scopes: string[]; operation: string; expected: 'allowed' | 'denied' }> = [
    { scopes: ['posts:read'], operation: 'organization.posts', expected: 'allowed' },
    { scopes: ['analytics:read'], operation: 'organization.posts', expected: 'denied' },
    { scopes: ['posts:read'], operation: 'createPost', expected: 'denied' },
    { scopes: ['posts:write'], operation: 'createPost', expected: 'allowed' },
    { scopes: ['posts:write'], operation: 'approvePost', expected: 'denied' },
    { scopes: ['posts:review'], operation: 'approvePost', expected: 'allowed' },
    { scopes: ['posts:read', 'analytics:read'], operation: 'Publication.latestMetrics', expected: 'allowed' },
    { scopes: ['posts:read'], operation: 'Publication.latestMetrics', expected: 'denied' },
    { scopes: ['audit:read'], operation: 'organization.auditEvents', expected: 'allowed' },
    { scopes: ['brands:read'], operation: 'node(SocialAccount)', expected: 'allowed' },
    { scopes: ['posts:read'], operation: 'node(SocialAccount)', expected: 'denied' },
    { scopes: ['org:read', 'audit:read'], operation: 'node(DataExportRequest)', expected: 'denied' },
    { scopes: ['publish:retry'], operation: 'retryPublication', expected: 'allowed' },
    { scopes: ['posts:write'], operation: 'retryPublication', expected: 'denied' },
    { scopes: ['analytics:read'], operation: 'syncAccountNow', expected: 'allowed' },
    { scopes: ['ads:read'], operation: 'organization.adsConnections', expected: 'allowed' },
    { scopes: ['analytics:read'], operation: 'organization.adsConnections', expected: 'denied' },
    // Connecting needs a person at TikTok's consent page: no token scope reaches it.
    { scopes: ['ads:read', 'ads:bulk'], operation: 'startAdsConnect', expected: 'denied' },
    { scopes: ['ads:read', 'ads:bulk'], operation: 'disconnectAdsConnection', expected: 'denied' },
    { scopes: ['ads:bulk'], operation: 'runAdsBulkJob', expected: 'allowed' },
    { scopes: ['ads:read'], operation: 'retryAdsBulkJobFailures', expected: 'denied' },
    { scopes: ['ads:read'], operation: 'organization.adsBulkJobs', expected: 'allowed' },
    { scopes: ['ads:read'], operation: 'organization.adsReportViews', expected: 'allowed' },
    // A view belongs to a person: tokens read shared views but save none.
    { scopes: ['ads:read'], operation: 'saveAdsReportView', expected: 'denied' },
    { scopes: ['ads:read'], operation: 'exportAdsReportCsv', expected: 'allowed' },
    { scopes: ['analytics:read'], operation: 'exportAdsReportCsv', expected: 'denied' },
    { scopes: ['ads:alerts'], operation: 'createAdsAlertRule', expected: 'allowed' },
    { scopes: ['ads:read', 'ads:bulk'], operation: 'updateAdsAlertRule', expected: 'denied' },
    { scopes: ['ads:read'], operation: 'organization.adsAlertEvents', expected: 'allowed' },
    { scopes: ['brands:read'], operation: 'syncAccountNow', expected: 'denied' },
    { scopes: ['media:read'], operation: 'organization.mediaAssets', expected: 'allowed' },
    { scopes: ['posts:read'], operation: 'organization.mediaAssets', expected: 'denied' },
    { scopes: ['media:write'], operation: 'deleteMediaAsset', expected: 'allowed' },
    { scopes: ['media:read', 'brands:write'], operation: 'updateMediaAsset', expected: 'denied' },
    // org:manage and brands:manage are never token scopes:
    { scopes: ['org:read', 'brands:write', 'audit:read'], operation: 'requestDataExport', expected: 'denied' },
    { scopes: ['org:read', 'brands:write', 'audit:read'], operation: 'requestAccountDeletion', expected: 'denied' },
    // People-only, whatever the token carries:
    {
      scopes: ['posts:read', 'posts:write', 'brands:write', 'audit:read'],
      operation: 'createApiToken',
      expected: 'denied',
    },
    {
      scopes: ['posts:read', 'posts:write', 'brands:write', 'audit:read'],
      operation: 'inviteMember',
      expected: 'denied',
    },
    {
      scopes: ['posts:read', 'posts:write', 'brands:write', 'audit:read'],
      operation: 'updateOrganization',
      expected: 'denied',
    },
  ];
  test.each(scopeCases)('$scopes → $operation: $expected', async ({ scopes, operation: name, expected }) => {
    const operation = operationByName.get(name)!;
    const { client } = await seedApiToken(api, org.organization.id, scopes);
    const prepared = await operation.prepare(api, org);
    expect(outcome(operation, await client.gql(operation.document, prepared.variables))).toBe(expected);
  });
});

test('without a session or token, everything answers UNAUTHENTICATED', async () => {
  const anonymous = api.anonymous();
  for (const operation of operations) {
    const prepared = await operation.prepare(api, org);
    const response = await anonymous.gql(operation.document, prepared.variables);
    if (operation.kind === 'query' && response.body.data && !response.body.errors) {
      // Queries that start at `organization(id:)` find nothing for nobody.
      expect(Object.values(response.body.data)[0], operation.name).toBeNull();
    } else {
      expect(firstError(response), operation.name).toBe('UNAUTHENTICATED');
    }
  }
});
