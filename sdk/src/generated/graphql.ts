/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type AssetKind =
  | 'DOCUMENT'
  | 'FONT'
  | 'IMAGE'
  | 'LOGO'
  | 'VIDEO';

export type AttemptStatus =
  | 'FAILED'
  | 'OUTCOME_UNKNOWN'
  | 'RUNNING'
  | 'SUCCEEDED';

export type AuditEventFilter = {
  /** e.g. post.approve, member.change_role */
  actions?: Array<string> | null | undefined;
  /** A User id. */
  actor?: string | null | undefined;
  since?: string | null | undefined;
  target?: string | null | undefined;
  until?: string | null | undefined;
};

export type BatchStatus =
  | 'CANCELLED'
  | 'FAILED'
  | 'GENERATING'
  | 'PARTIAL'
  | 'QUEUED'
  | 'READY';

export type DeletionScope =
  | 'ORGANIZATION'
  | 'SOCIAL_ACCOUNT'
  | 'USER';

/** Why a publication or attempt failed, as an operator decides what to do about it. */
export type FailureCategory =
  | 'CANCELLED'
  | 'OUTCOME_UNKNOWN'
  | 'RATE_LIMITED'
  | 'REJECTED_BY_PLATFORM'
  | 'TOKEN_EXPIRED'
  | 'TRANSIENT';

export type Platform =
  | 'BLOG'
  | 'FACEBOOK'
  | 'INSTAGRAM'
  | 'TELEGRAM'
  | 'TIKTOK'
  | 'VK'
  | 'YOUTUBE';

export type PostFormat =
  | 'ARTICLE'
  | 'CAROUSEL'
  | 'SCRIPT'
  | 'TEXT'
  | 'VIDEO';

export type PostStatus =
  | 'APPROVED'
  | 'DRAFT'
  | 'FAILED'
  | 'GENERATING'
  | 'GENERATION_FAILED'
  | 'IN_REVIEW'
  | 'PUBLISHED'
  | 'PUBLISHING'
  | 'REJECTED'
  | 'SCHEDULED';

/** Something an operator can do with a publication now (given the permission it needs). */
export type PublicationAction =
  /** cancelPublication (posts:schedule) */
  | 'CANCEL'
  /** checkPublication (publish:retry): ask the platform again what became of the post */
  | 'CHECK'
  /** markPublicationPublished (publish:retry): the post is there, at this URL */
  | 'MARK_PUBLISHED'
  /** retryPublication (publish:retry); after an unknown outcome it looks for the post first */
  | 'RETRY';

export type PublicationState =
  | 'CANCELLED'
  | 'FAILED'
  | 'PUBLISHED'
  | 'PUBLISHING'
  | 'SCHEDULED';

export type PublishStep =
  | 'INIT'
  | 'POLL'
  | 'RECONCILE'
  | 'TOKEN'
  | 'UPLOAD';

export type RequestStatus =
  | 'COMPLETED'
  | 'FAILED'
  | 'PENDING'
  | 'RUNNING';

export type ReviewDecision =
  | 'APPROVED'
  | 'CHANGES_REQUESTED'
  | 'REJECTED';

export type Role =
  | 'ADMIN'
  | 'ANALYST'
  | 'EDITOR'
  | 'OWNER'
  | 'REVIEWER';

export type SlideInput = {
  body?: string | null | undefined;
  heading?: string | null | undefined;
};

export type SocialAccountStatus =
  | 'ACTIVE'
  | 'DISCONNECTED'
  | 'ERROR'
  | 'REVOKED'
  | 'TOKEN_EXPIRED';

export type WebhookDeliveryStatus =
  | 'FAILED'
  | 'PENDING'
  | 'SUCCEEDED';

export type SocialAccountsQueryVariables = Exact<{
  brandId: string;
}>;


export type SocialAccountsQuery = { node:
    | { __typename: 'AdsAd' }
    | { __typename: 'AdsAdGroup' }
    | { __typename: 'AdsAlertEvent' }
    | { __typename: 'AdsAlertRule' }
    | { __typename: 'AdsBulkJob' }
    | { __typename: 'AdsCampaign' }
    | { __typename: 'AdsConnection' }
    | { __typename: 'AdsReportView' }
    | { __typename: 'Advertiser' }
    | { __typename: 'ApiToken' }
    | { __typename: 'Batch' }
    | { __typename: 'Brand', socialAccounts: Array<{ id: string, platform: Platform, displayName: string, username: string | null, status: SocialAccountStatus, connectedAt: string, lastSyncedAt: string | null, lastError: string | null }> }
    | { __typename: 'BrandAsset' }
    | { __typename: 'BrandKnowledgeDocument' }
    | { __typename: 'ContactSubmission' }
    | { __typename: 'DataExportRequest' }
    | { __typename: 'DeletionRequest' }
    | { __typename: 'Invite' }
    | { __typename: 'MediaAsset' }
    | { __typename: 'Membership' }
    | { __typename: 'Notification' }
    | { __typename: 'Organization' }
    | { __typename: 'Post' }
    | { __typename: 'Publication' }
    | { __typename: 'SocialAccount' }
    | { __typename: 'User' }
    | { __typename: 'WebhookDelivery' }
    | { __typename: 'WebhookEndpoint' }
   | null };

export type SocialAccountQueryVariables = Exact<{
  id: string;
}>;


export type SocialAccountQuery = { node:
    | { __typename: 'AdsAd' }
    | { __typename: 'AdsAdGroup' }
    | { __typename: 'AdsAlertEvent' }
    | { __typename: 'AdsAlertRule' }
    | { __typename: 'AdsBulkJob' }
    | { __typename: 'AdsCampaign' }
    | { __typename: 'AdsConnection' }
    | { __typename: 'AdsReportView' }
    | { __typename: 'Advertiser' }
    | { __typename: 'ApiToken' }
    | { __typename: 'Batch' }
    | { __typename: 'Brand' }
    | { __typename: 'BrandAsset' }
    | { __typename: 'BrandKnowledgeDocument' }
    | { __typename: 'ContactSubmission' }
    | { __typename: 'DataExportRequest' }
    | { __typename: 'DeletionRequest' }
    | { __typename: 'Invite' }
    | { __typename: 'MediaAsset' }
    | { __typename: 'Membership' }
    | { __typename: 'Notification' }
    | { __typename: 'Organization' }
    | { __typename: 'Post' }
    | { __typename: 'Publication' }
    | { __typename: 'SocialAccount', id: string, platform: Platform, displayName: string, username: string | null, status: SocialAccountStatus, connectedAt: string, lastSyncedAt: string | null, lastError: string | null }
    | { __typename: 'User' }
    | { __typename: 'WebhookDelivery' }
    | { __typename: 'WebhookEndpoint' }
   | null };

export type SyncAccountNowMutationVariables = Exact<{
  socialAccountId: string;
}>;


export type SyncAccountNowMutation = { result:
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'MutationSyncAccountNowSuccess', data: { id: string, platform: Platform, displayName: string, username: string | null, status: SocialAccountStatus, connectedAt: string, lastSyncedAt: string | null, lastError: string | null } }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string, issues: Array<{ path: string, message: string }> }
   };

export type RequestAccountDeletionMutationVariables = Exact<{
  id: string;
}>;


export type RequestAccountDeletionMutation = { result:
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'MutationRequestAccountDeletionSuccess', data: { id: string, scope: DeletionScope, status: RequestStatus, createdAt: string } }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string, issues: Array<{ path: string, message: string }> }
   };

export type PublicationMetricsQueryVariables = Exact<{
  id: string;
  from: string;
  to: string;
  last?: number | null | undefined;
}>;


export type PublicationMetricsQuery = { node:
    | { __typename: 'AdsAd' }
    | { __typename: 'AdsAdGroup' }
    | { __typename: 'AdsAlertEvent' }
    | { __typename: 'AdsAlertRule' }
    | { __typename: 'AdsBulkJob' }
    | { __typename: 'AdsCampaign' }
    | { __typename: 'AdsConnection' }
    | { __typename: 'AdsReportView' }
    | { __typename: 'Advertiser' }
    | { __typename: 'ApiToken' }
    | { __typename: 'Batch' }
    | { __typename: 'Brand' }
    | { __typename: 'BrandAsset' }
    | { __typename: 'BrandKnowledgeDocument' }
    | { __typename: 'ContactSubmission' }
    | { __typename: 'DataExportRequest' }
    | { __typename: 'DeletionRequest' }
    | { __typename: 'Invite' }
    | { __typename: 'MediaAsset' }
    | { __typename: 'Membership' }
    | { __typename: 'Notification' }
    | { __typename: 'Organization' }
    | { __typename: 'Post' }
    | { __typename: 'Publication', latestMetrics: { capturedAt: string | null, viewCount: string, likeCount: string, commentCount: string, shareCount: string } | null, metricSnapshots: Array<{ capturedAt: string, viewCount: string, likeCount: string, commentCount: string, shareCount: string }> }
    | { __typename: 'SocialAccount' }
    | { __typename: 'User' }
    | { __typename: 'WebhookDelivery' }
    | { __typename: 'WebhookEndpoint' }
   | null };

export type AccountMetricsQueryVariables = Exact<{
  id: string;
  from: string;
  to: string;
  last?: number | null | undefined;
}>;


export type AccountMetricsQuery = { node:
    | { __typename: 'AdsAd' }
    | { __typename: 'AdsAdGroup' }
    | { __typename: 'AdsAlertEvent' }
    | { __typename: 'AdsAlertRule' }
    | { __typename: 'AdsBulkJob' }
    | { __typename: 'AdsCampaign' }
    | { __typename: 'AdsConnection' }
    | { __typename: 'AdsReportView' }
    | { __typename: 'Advertiser' }
    | { __typename: 'ApiToken' }
    | { __typename: 'Batch' }
    | { __typename: 'Brand' }
    | { __typename: 'BrandAsset' }
    | { __typename: 'BrandKnowledgeDocument' }
    | { __typename: 'ContactSubmission' }
    | { __typename: 'DataExportRequest' }
    | { __typename: 'DeletionRequest' }
    | { __typename: 'Invite' }
    | { __typename: 'MediaAsset' }
    | { __typename: 'Membership' }
    | { __typename: 'Notification' }
    | { __typename: 'Organization' }
    | { __typename: 'Post' }
    | { __typename: 'Publication' }
    | { __typename: 'SocialAccount', latestSnapshot: { capturedAt: string, followerCount: number, followingCount: number, likesCount: string, videoCount: number } | null, snapshots: Array<{ capturedAt: string, followerCount: number, followingCount: number, likesCount: string, videoCount: number }> }
    | { __typename: 'User' }
    | { __typename: 'WebhookDelivery' }
    | { __typename: 'WebhookEndpoint' }
   | null };

export type AccountMetricsUpdatedSubscriptionVariables = Exact<{
  socialAccountId: string;
}>;


export type AccountMetricsUpdatedSubscription = { accountMetricsUpdated: { id: string, platform: Platform, displayName: string, username: string | null, status: SocialAccountStatus, connectedAt: string, lastSyncedAt: string | null, lastError: string | null, latestSnapshot: { capturedAt: string, followerCount: number, followingCount: number, likesCount: string, videoCount: number } | null } | null };

export type AuditEventsQueryVariables = Exact<{
  organizationId: string;
  filter?: AuditEventFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type AuditEventsQuery = { organization: { auditEvents: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, action: string, actor: string | null, targetType: string | null, targetId: string | null, metadata: string | null, requestId: string | null, ip: string | null, userAgent: string | null, createdAt: string } }> } } | null };

export type AuditLogCsvQueryVariables = Exact<{
  organizationId: string;
  filter?: AuditEventFilter | null | undefined;
}>;


export type AuditLogCsvQuery = { auditLogCsv: string };

export type AuditRecordedSubscriptionVariables = Exact<{
  organizationId: string;
}>;


export type AuditRecordedSubscription = { auditRecorded: { id: string, action: string, actor: string | null, targetType: string | null, targetId: string | null, metadata: string | null, requestId: string | null, ip: string | null, userAgent: string | null, createdAt: string } | null };

export type BatchesQueryVariables = Exact<{
  organizationId: string;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type BatchesQuery = { organization: { batches: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, brief: string, count: number, format: PostFormat, platforms: Array<Platform>, status: BatchStatus, generatedCount: number, failedCount: number, createdAt: string, completedAt: string | null, brand: { id: string } } }> } } | null };

export type BatchQueryVariables = Exact<{
  id: string;
}>;


export type BatchQuery = { node:
    | { __typename: 'AdsAd' }
    | { __typename: 'AdsAdGroup' }
    | { __typename: 'AdsAlertEvent' }
    | { __typename: 'AdsAlertRule' }
    | { __typename: 'AdsBulkJob' }
    | { __typename: 'AdsCampaign' }
    | { __typename: 'AdsConnection' }
    | { __typename: 'AdsReportView' }
    | { __typename: 'Advertiser' }
    | { __typename: 'ApiToken' }
    | { __typename: 'Batch', id: string, brief: string, count: number, format: PostFormat, platforms: Array<Platform>, status: BatchStatus, generatedCount: number, failedCount: number, createdAt: string, completedAt: string | null, brand: { id: string } }
    | { __typename: 'Brand' }
    | { __typename: 'BrandAsset' }
    | { __typename: 'BrandKnowledgeDocument' }
    | { __typename: 'ContactSubmission' }
    | { __typename: 'DataExportRequest' }
    | { __typename: 'DeletionRequest' }
    | { __typename: 'Invite' }
    | { __typename: 'MediaAsset' }
    | { __typename: 'Membership' }
    | { __typename: 'Notification' }
    | { __typename: 'Organization' }
    | { __typename: 'Post' }
    | { __typename: 'Publication' }
    | { __typename: 'SocialAccount' }
    | { __typename: 'User' }
    | { __typename: 'WebhookDelivery' }
    | { __typename: 'WebhookEndpoint' }
   | null };

export type BatchPostsQueryVariables = Exact<{
  id: string;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type BatchPostsQuery = { node:
    | { __typename: 'AdsAd' }
    | { __typename: 'AdsAdGroup' }
    | { __typename: 'AdsAlertEvent' }
    | { __typename: 'AdsAlertRule' }
    | { __typename: 'AdsBulkJob' }
    | { __typename: 'AdsCampaign' }
    | { __typename: 'AdsConnection' }
    | { __typename: 'AdsReportView' }
    | { __typename: 'Advertiser' }
    | { __typename: 'ApiToken' }
    | { __typename: 'Batch', posts: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, title: string, caption: string, hashtags: Array<string>, format: PostFormat, status: PostStatus, version: number, scheduledAt: string | null, publishedAt: string | null, createdAt: string, updatedAt: string, brand: { id: string }, batch: { id: string } | null, slides: Array<{ position: number, heading: string, body: string, imageUrl: string | null }> } }> } }
    | { __typename: 'Brand' }
    | { __typename: 'BrandAsset' }
    | { __typename: 'BrandKnowledgeDocument' }
    | { __typename: 'ContactSubmission' }
    | { __typename: 'DataExportRequest' }
    | { __typename: 'DeletionRequest' }
    | { __typename: 'Invite' }
    | { __typename: 'MediaAsset' }
    | { __typename: 'Membership' }
    | { __typename: 'Notification' }
    | { __typename: 'Organization' }
    | { __typename: 'Post' }
    | { __typename: 'Publication' }
    | { __typename: 'SocialAccount' }
    | { __typename: 'User' }
    | { __typename: 'WebhookDelivery' }
    | { __typename: 'WebhookEndpoint' }
   | null };

export type CreateBatchMutationVariables = Exact<{
  brandId: string;
  brief: string;
  count: number;
  platforms: Array<Platform> | Platform;
  format?: PostFormat | null | undefined;
}>;


export type CreateBatchMutation = { result:
    | { __typename: 'AiDisabledError', code: string, message: string }
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'MutationCreateBatchSuccess', data: { id: string, brief: string, count: number, format: PostFormat, platforms: Array<Platform>, status: BatchStatus, generatedCount: number, failedCount: number, createdAt: string, completedAt: string | null, brand: { id: string } } }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string, issues: Array<{ path: string, message: string }> }
   };

export type BatchProgressSubscriptionVariables = Exact<{
  id: string;
}>;


export type BatchProgressSubscription = { batchProgress: { id: string, brief: string, count: number, format: PostFormat, platforms: Array<Platform>, status: BatchStatus, generatedCount: number, failedCount: number, createdAt: string, completedAt: string | null, brand: { id: string } } | null };

export type BrandsQueryVariables = Exact<{
  organizationId: string;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type BrandsQuery = { organization: { brands: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, name: string, slug: string, voice: string, primaryColor: string, secondaryColor: string, accentColor: string, fontFamily: string, requiredApprovals: number | null, createdAt: string } }> } } | null };

export type BrandQueryVariables = Exact<{
  id: string;
}>;


export type BrandQuery = { node:
    | { __typename: 'AdsAd' }
    | { __typename: 'AdsAdGroup' }
    | { __typename: 'AdsAlertEvent' }
    | { __typename: 'AdsAlertRule' }
    | { __typename: 'AdsBulkJob' }
    | { __typename: 'AdsCampaign' }
    | { __typename: 'AdsConnection' }
    | { __typename: 'AdsReportView' }
    | { __typename: 'Advertiser' }
    | { __typename: 'ApiToken' }
    | { __typename: 'Batch' }
    | { __typename: 'Brand', id: string, name: string, slug: string, voice: string, primaryColor: string, secondaryColor: string, accentColor: string, fontFamily: string, requiredApprovals: number | null, createdAt: string }
    | { __typename: 'BrandAsset' }
    | { __typename: 'BrandKnowledgeDocument' }
    | { __typename: 'ContactSubmission' }
    | { __typename: 'DataExportRequest' }
    | { __typename: 'DeletionRequest' }
    | { __typename: 'Invite' }
    | { __typename: 'MediaAsset' }
    | { __typename: 'Membership' }
    | { __typename: 'Notification' }
    | { __typename: 'Organization' }
    | { __typename: 'Post' }
    | { __typename: 'Publication' }
    | { __typename: 'SocialAccount' }
    | { __typename: 'User' }
    | { __typename: 'WebhookDelivery' }
    | { __typename: 'WebhookEndpoint' }
   | null };

export type KnowledgeDocumentsQueryVariables = Exact<{
  brandId: string;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type KnowledgeDocumentsQuery = { node:
    | { __typename: 'AdsAd' }
    | { __typename: 'AdsAdGroup' }
    | { __typename: 'AdsAlertEvent' }
    | { __typename: 'AdsAlertRule' }
    | { __typename: 'AdsBulkJob' }
    | { __typename: 'AdsCampaign' }
    | { __typename: 'AdsConnection' }
    | { __typename: 'AdsReportView' }
    | { __typename: 'Advertiser' }
    | { __typename: 'ApiToken' }
    | { __typename: 'Batch' }
    | { __typename: 'Brand', knowledgeDocuments: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, title: string, content: string, createdAt: string, updatedAt: string } }> } }
    | { __typename: 'BrandAsset' }
    | { __typename: 'BrandKnowledgeDocument' }
    | { __typename: 'ContactSubmission' }
    | { __typename: 'DataExportRequest' }
    | { __typename: 'DeletionRequest' }
    | { __typename: 'Invite' }
    | { __typename: 'MediaAsset' }
    | { __typename: 'Membership' }
    | { __typename: 'Notification' }
    | { __typename: 'Organization' }
    | { __typename: 'Post' }
    | { __typename: 'Publication' }
    | { __typename: 'SocialAccount' }
    | { __typename: 'User' }
    | { __typename: 'WebhookDelivery' }
    | { __typename: 'WebhookEndpoint' }
   | null };

export type BrandAssetsQueryVariables = Exact<{
  brandId: string;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type BrandAssetsQuery = { node:
    | { __typename: 'AdsAd' }
    | { __typename: 'AdsAdGroup' }
    | { __typename: 'AdsAlertEvent' }
    | { __typename: 'AdsAlertRule' }
    | { __typename: 'AdsBulkJob' }
    | { __typename: 'AdsCampaign' }
    | { __typename: 'AdsConnection' }
    | { __typename: 'AdsReportView' }
    | { __typename: 'Advertiser' }
    | { __typename: 'ApiToken' }
    | { __typename: 'Batch' }
    | { __typename: 'Brand', assets: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, kind: AssetKind, filename: string, contentType: string, byteSize: number, sha256: string, createdAt: string } }> } }
    | { __typename: 'BrandAsset' }
    | { __typename: 'BrandKnowledgeDocument' }
    | { __typename: 'ContactSubmission' }
    | { __typename: 'DataExportRequest' }
    | { __typename: 'DeletionRequest' }
    | { __typename: 'Invite' }
    | { __typename: 'MediaAsset' }
    | { __typename: 'Membership' }
    | { __typename: 'Notification' }
    | { __typename: 'Organization' }
    | { __typename: 'Post' }
    | { __typename: 'Publication' }
    | { __typename: 'SocialAccount' }
    | { __typename: 'User' }
    | { __typename: 'WebhookDelivery' }
    | { __typename: 'WebhookEndpoint' }
   | null };

export type UpdateBrandMutationVariables = Exact<{
  id: string;
  name?: string | null | undefined;
  voice?: string | null | undefined;
  primaryColor?: string | null | undefined;
  secondaryColor?: string | null | undefined;
  accentColor?: string | null | undefined;
  requiredApprovals?: number | null | undefined;
}>;


export type UpdateBrandMutation = { result:
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'MutationUpdateBrandSuccess', data: { id: string, name: string, slug: string, voice: string, primaryColor: string, secondaryColor: string, accentColor: string, fontFamily: string, requiredApprovals: number | null, createdAt: string } }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string, issues: Array<{ path: string, message: string }> }
   };

export type AddKnowledgeDocumentMutationVariables = Exact<{
  brandId: string;
  title: string;
  content: string;
}>;


export type AddKnowledgeDocumentMutation = { result:
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'MutationAddKnowledgeDocumentSuccess', data: { id: string, title: string, content: string, createdAt: string, updatedAt: string } }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string, issues: Array<{ path: string, message: string }> }
   };

export type UpdateKnowledgeDocumentMutationVariables = Exact<{
  id: string;
  title?: string | null | undefined;
  content?: string | null | undefined;
}>;


export type UpdateKnowledgeDocumentMutation = { result:
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'MutationUpdateKnowledgeDocumentSuccess', data: { id: string, title: string, content: string, createdAt: string, updatedAt: string } }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string, issues: Array<{ path: string, message: string }> }
   };

export type DeleteKnowledgeDocumentMutationVariables = Exact<{
  id: string;
}>;


export type DeleteKnowledgeDocumentMutation = { result:
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'MutationDeleteKnowledgeDocumentSuccess', data: string }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string, issues: Array<{ path: string, message: string }> }
   };

export type DeleteBrandAssetMutationVariables = Exact<{
  id: string;
}>;


export type DeleteBrandAssetMutation = { result:
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'MutationDeleteBrandAssetSuccess', data: string }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string, issues: Array<{ path: string, message: string }> }
   };

type ErrorFields_AdsPlatformError_Fragment = { __typename: 'AdsPlatformError', code: string, message: string };

type ErrorFields_AiDisabledError_Fragment = { __typename: 'AiDisabledError', code: string, message: string };

type ErrorFields_ConflictError_Fragment = { __typename: 'ConflictError', code: string, message: string };

type ErrorFields_InvalidCredentialsError_Fragment = { __typename: 'InvalidCredentialsError', code: string, message: string };

type ErrorFields_NetworkLimitsError_Fragment = { __typename: 'NetworkLimitsError', code: string, message: string };

type ErrorFields_NotFoundError_Fragment = { __typename: 'NotFoundError', code: string, message: string };

type ErrorFields_RateLimitedError_Fragment = { __typename: 'RateLimitedError', retryAfterSeconds: number, code: string, message: string };

type ErrorFields_UnsafeWebhookUrlError_Fragment = { __typename: 'UnsafeWebhookUrlError', code: string, message: string };

type ErrorFields_ValidationError_Fragment = { __typename: 'ValidationError', code: string, message: string, issues: Array<{ path: string, message: string }> };

type ErrorFields_VersionConflictError_Fragment = { __typename: 'VersionConflictError', code: string, message: string };

export type ErrorFieldsFragment =
  | ErrorFields_AdsPlatformError_Fragment
  | ErrorFields_AiDisabledError_Fragment
  | ErrorFields_ConflictError_Fragment
  | ErrorFields_InvalidCredentialsError_Fragment
  | ErrorFields_NetworkLimitsError_Fragment
  | ErrorFields_NotFoundError_Fragment
  | ErrorFields_RateLimitedError_Fragment
  | ErrorFields_UnsafeWebhookUrlError_Fragment
  | ErrorFields_ValidationError_Fragment
  | ErrorFields_VersionConflictError_Fragment
;

export type PageInfoFieldsFragment = { hasNextPage: boolean, endCursor: string | null };

export type OrganizationFieldsFragment = { id: string, name: string, slug: string, createdAt: string };

export type BrandFieldsFragment = { id: string, name: string, slug: string, voice: string, primaryColor: string, secondaryColor: string, accentColor: string, fontFamily: string, requiredApprovals: number | null, createdAt: string };

export type KnowledgeDocumentFieldsFragment = { id: string, title: string, content: string, createdAt: string, updatedAt: string };

export type BrandAssetFieldsFragment = { id: string, kind: AssetKind, filename: string, contentType: string, byteSize: number, sha256: string, createdAt: string };

export type BatchFieldsFragment = { id: string, brief: string, count: number, format: PostFormat, platforms: Array<Platform>, status: BatchStatus, generatedCount: number, failedCount: number, createdAt: string, completedAt: string | null, brand: { id: string } };

export type SlideFieldsFragment = { position: number, heading: string, body: string, imageUrl: string | null };

export type PostFieldsFragment = { id: string, title: string, caption: string, hashtags: Array<string>, format: PostFormat, status: PostStatus, version: number, scheduledAt: string | null, publishedAt: string | null, createdAt: string, updatedAt: string, brand: { id: string }, batch: { id: string } | null, slides: Array<{ position: number, heading: string, body: string, imageUrl: string | null }> };

export type ReviewFieldsFragment = { decision: ReviewDecision, comment: string | null, createdAt: string, reviewer: { id: string, name: string } | null };

export type MetricsFieldsFragment = { capturedAt: string | null, viewCount: string, likeCount: string, commentCount: string, shareCount: string };

export type PublicationFieldsFragment = { id: string, platform: Platform, state: PublicationState, scheduledAt: string, publishedAt: string | null, platformUrl: string | null, platformPostId: string | null, attemptCount: number, failureCategory: FailureCategory | null, failureReason: string | null, outcomeUnknown: boolean, actions: Array<PublicationAction>, post: { id: string }, socialAccount: { id: string } };

export type SocialAccountFieldsFragment = { id: string, platform: Platform, displayName: string, username: string | null, status: SocialAccountStatus, connectedAt: string, lastSyncedAt: string | null, lastError: string | null };

export type AccountSnapshotFieldsFragment = { capturedAt: string, followerCount: number, followingCount: number, likesCount: string, videoCount: number };

export type AuditEventFieldsFragment = { id: string, action: string, actor: string | null, targetType: string | null, targetId: string | null, metadata: string | null, requestId: string | null, ip: string | null, userAgent: string | null, createdAt: string };

export type MembershipFieldsFragment = { id: string, role: Role, createdAt: string, user: { id: string, name: string, email: string } };

export type MembersQueryVariables = Exact<{
  organizationId: string;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type MembersQuery = { organization: { members: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, role: Role, createdAt: string, user: { id: string, name: string, email: string } } }> } } | null };

export type OrganizationsQueryVariables = Exact<{ [key: string]: never; }>;


export type OrganizationsQuery = { organizations: Array<{ id: string, name: string, slug: string, createdAt: string }> };

export type ServerInfoQueryVariables = Exact<{ [key: string]: never; }>;


export type ServerInfoQuery = { serverInfo: { version: string, node: string } };

export type PostsQueryVariables = Exact<{
  organizationId: string;
  brandId?: string | null | undefined;
  status?: Array<PostStatus> | PostStatus | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type PostsQuery = { organization: { posts: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, title: string, caption: string, hashtags: Array<string>, format: PostFormat, status: PostStatus, version: number, scheduledAt: string | null, publishedAt: string | null, createdAt: string, updatedAt: string, brand: { id: string }, batch: { id: string } | null, slides: Array<{ position: number, heading: string, body: string, imageUrl: string | null }> } }> } } | null };

export type PostQueryVariables = Exact<{
  id: string;
}>;


export type PostQuery = { node:
    | { __typename: 'AdsAd' }
    | { __typename: 'AdsAdGroup' }
    | { __typename: 'AdsAlertEvent' }
    | { __typename: 'AdsAlertRule' }
    | { __typename: 'AdsBulkJob' }
    | { __typename: 'AdsCampaign' }
    | { __typename: 'AdsConnection' }
    | { __typename: 'AdsReportView' }
    | { __typename: 'Advertiser' }
    | { __typename: 'ApiToken' }
    | { __typename: 'Batch' }
    | { __typename: 'Brand' }
    | { __typename: 'BrandAsset' }
    | { __typename: 'BrandKnowledgeDocument' }
    | { __typename: 'ContactSubmission' }
    | { __typename: 'DataExportRequest' }
    | { __typename: 'DeletionRequest' }
    | { __typename: 'Invite' }
    | { __typename: 'MediaAsset' }
    | { __typename: 'Membership' }
    | { __typename: 'Notification' }
    | { __typename: 'Organization' }
    | { __typename: 'Post', id: string, title: string, caption: string, hashtags: Array<string>, format: PostFormat, status: PostStatus, version: number, scheduledAt: string | null, publishedAt: string | null, createdAt: string, updatedAt: string, reviews: Array<{ decision: ReviewDecision, comment: string | null, createdAt: string, reviewer: { id: string, name: string } | null }>, publications: Array<{ id: string, platform: Platform, state: PublicationState, scheduledAt: string, publishedAt: string | null, platformUrl: string | null, platformPostId: string | null, attemptCount: number, failureCategory: FailureCategory | null, failureReason: string | null, outcomeUnknown: boolean, actions: Array<PublicationAction>, post: { id: string }, socialAccount: { id: string } }>, brand: { id: string }, batch: { id: string } | null, slides: Array<{ position: number, heading: string, body: string, imageUrl: string | null }> }
    | { __typename: 'Publication' }
    | { __typename: 'SocialAccount' }
    | { __typename: 'User' }
    | { __typename: 'WebhookDelivery' }
    | { __typename: 'WebhookEndpoint' }
   | null };

export type CreatePostMutationVariables = Exact<{
  brandId: string;
  title?: string | null | undefined;
  caption?: string | null | undefined;
  hashtags?: Array<string> | string | null | undefined;
  format?: PostFormat | null | undefined;
  slides?: Array<SlideInput> | SlideInput | null | undefined;
}>;


export type CreatePostMutation = { result:
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'MutationCreatePostSuccess', data: { id: string, title: string, caption: string, hashtags: Array<string>, format: PostFormat, status: PostStatus, version: number, scheduledAt: string | null, publishedAt: string | null, createdAt: string, updatedAt: string, brand: { id: string }, batch: { id: string } | null, slides: Array<{ position: number, heading: string, body: string, imageUrl: string | null }> } }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string, issues: Array<{ path: string, message: string }> }
   };

export type UpdatePostMutationVariables = Exact<{
  id: string;
  expectedVersion: number;
  title?: string | null | undefined;
  caption?: string | null | undefined;
  hashtags?: Array<string> | string | null | undefined;
  slides?: Array<SlideInput> | SlideInput | null | undefined;
}>;


export type UpdatePostMutation = { result:
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'MutationUpdatePostSuccess', data: { id: string, title: string, caption: string, hashtags: Array<string>, format: PostFormat, status: PostStatus, version: number, scheduledAt: string | null, publishedAt: string | null, createdAt: string, updatedAt: string, brand: { id: string }, batch: { id: string } | null, slides: Array<{ position: number, heading: string, body: string, imageUrl: string | null }> } }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string, issues: Array<{ path: string, message: string }> }
    | { __typename: 'VersionConflictError', code: string, message: string }
   };

export type DeletePostMutationVariables = Exact<{
  id: string;
}>;


export type DeletePostMutation = { result:
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'MutationDeletePostSuccess', data: string }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string, issues: Array<{ path: string, message: string }> }
   };

export type SubmitPostForReviewMutationVariables = Exact<{
  id: string;
}>;


export type SubmitPostForReviewMutation = { result:
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'MutationSubmitPostForReviewSuccess', data: { id: string, title: string, caption: string, hashtags: Array<string>, format: PostFormat, status: PostStatus, version: number, scheduledAt: string | null, publishedAt: string | null, createdAt: string, updatedAt: string, brand: { id: string }, batch: { id: string } | null, slides: Array<{ position: number, heading: string, body: string, imageUrl: string | null }> } }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string, issues: Array<{ path: string, message: string }> }
   };

export type SchedulePostMutationVariables = Exact<{
  id: string;
  scheduledAt: string;
  socialAccountIds?: Array<string> | string | null | undefined;
}>;


export type SchedulePostMutation = { result:
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'MutationSchedulePostSuccess', data: { id: string, title: string, caption: string, hashtags: Array<string>, format: PostFormat, status: PostStatus, version: number, scheduledAt: string | null, publishedAt: string | null, createdAt: string, updatedAt: string, brand: { id: string }, batch: { id: string } | null, slides: Array<{ position: number, heading: string, body: string, imageUrl: string | null }> } }
    | { __typename: 'NetworkLimitsError', code: string, message: string }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string, issues: Array<{ path: string, message: string }> }
   };

export type ReschedulePostMutationVariables = Exact<{
  id: string;
  scheduledAt: string;
}>;


export type ReschedulePostMutation = { result:
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'MutationReschedulePostSuccess', data: { id: string, title: string, caption: string, hashtags: Array<string>, format: PostFormat, status: PostStatus, version: number, scheduledAt: string | null, publishedAt: string | null, createdAt: string, updatedAt: string, brand: { id: string }, batch: { id: string } | null, slides: Array<{ position: number, heading: string, body: string, imageUrl: string | null }> } }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string, issues: Array<{ path: string, message: string }> }
   };

export type UnschedulePostMutationVariables = Exact<{
  id: string;
}>;


export type UnschedulePostMutation = { result:
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'MutationUnschedulePostSuccess', data: { id: string, title: string, caption: string, hashtags: Array<string>, format: PostFormat, status: PostStatus, version: number, scheduledAt: string | null, publishedAt: string | null, createdAt: string, updatedAt: string, brand: { id: string }, batch: { id: string } | null, slides: Array<{ position: number, heading: string, body: string, imageUrl: string | null }> } }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string, issues: Array<{ path: string, message: string }> }
   };

export type PostChangedSubscriptionVariables = Exact<{
  brandId: string;
}>;


export type PostChangedSubscription = { postChanged: { id: string, title: string, caption: string, hashtags: Array<string>, format: PostFormat, status: PostStatus, version: number, scheduledAt: string | null, publishedAt: string | null, createdAt: string, updatedAt: string, brand: { id: string }, batch: { id: string } | null, slides: Array<{ position: number, heading: string, body: string, imageUrl: string | null }> } | null };

export type PublicationsQueryVariables = Exact<{
  organizationId: string;
  state?: Array<PublicationState> | PublicationState | null | undefined;
  socialAccountId?: string | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type PublicationsQuery = { organization: { publications: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, platform: Platform, state: PublicationState, scheduledAt: string, publishedAt: string | null, platformUrl: string | null, platformPostId: string | null, attemptCount: number, failureCategory: FailureCategory | null, failureReason: string | null, outcomeUnknown: boolean, actions: Array<PublicationAction>, post: { id: string }, socialAccount: { id: string } } }> } } | null };

export type PublicationQueryVariables = Exact<{
  id: string;
}>;


export type PublicationQuery = { node:
    | { __typename: 'AdsAd' }
    | { __typename: 'AdsAdGroup' }
    | { __typename: 'AdsAlertEvent' }
    | { __typename: 'AdsAlertRule' }
    | { __typename: 'AdsBulkJob' }
    | { __typename: 'AdsCampaign' }
    | { __typename: 'AdsConnection' }
    | { __typename: 'AdsReportView' }
    | { __typename: 'Advertiser' }
    | { __typename: 'ApiToken' }
    | { __typename: 'Batch' }
    | { __typename: 'Brand' }
    | { __typename: 'BrandAsset' }
    | { __typename: 'BrandKnowledgeDocument' }
    | { __typename: 'ContactSubmission' }
    | { __typename: 'DataExportRequest' }
    | { __typename: 'DeletionRequest' }
    | { __typename: 'Invite' }
    | { __typename: 'MediaAsset' }
    | { __typename: 'Membership' }
    | { __typename: 'Notification' }
    | { __typename: 'Organization' }
    | { __typename: 'Post' }
    | { __typename: 'Publication', id: string, platform: Platform, state: PublicationState, scheduledAt: string, publishedAt: string | null, platformUrl: string | null, platformPostId: string | null, attemptCount: number, failureCategory: FailureCategory | null, failureReason: string | null, outcomeUnknown: boolean, actions: Array<PublicationAction>, attempts: Array<{ number: number, step: PublishStep, status: AttemptStatus, responseCode: number | null, failureCategory: FailureCategory | null, failureReason: string | null, startedAt: string, finishedAt: string | null }>, post: { id: string }, socialAccount: { id: string } }
    | { __typename: 'SocialAccount' }
    | { __typename: 'User' }
    | { __typename: 'WebhookDelivery' }
    | { __typename: 'WebhookEndpoint' }
   | null };

export type CancelPublicationMutationVariables = Exact<{
  id: string;
}>;


export type CancelPublicationMutation = { result:
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'MutationCancelPublicationSuccess', data: { id: string, platform: Platform, state: PublicationState, scheduledAt: string, publishedAt: string | null, platformUrl: string | null, platformPostId: string | null, attemptCount: number, failureCategory: FailureCategory | null, failureReason: string | null, outcomeUnknown: boolean, actions: Array<PublicationAction>, post: { id: string }, socialAccount: { id: string } } }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string, issues: Array<{ path: string, message: string }> }
   };

export type RetryPublicationMutationVariables = Exact<{
  id: string;
}>;


export type RetryPublicationMutation = { result:
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'MutationRetryPublicationSuccess', data: { id: string, platform: Platform, state: PublicationState, scheduledAt: string, publishedAt: string | null, platformUrl: string | null, platformPostId: string | null, attemptCount: number, failureCategory: FailureCategory | null, failureReason: string | null, outcomeUnknown: boolean, actions: Array<PublicationAction>, post: { id: string }, socialAccount: { id: string } } }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string, issues: Array<{ path: string, message: string }> }
   };

export type CheckPublicationMutationVariables = Exact<{
  id: string;
}>;


export type CheckPublicationMutation = { result:
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'MutationCheckPublicationSuccess', data: { id: string, platform: Platform, state: PublicationState, scheduledAt: string, publishedAt: string | null, platformUrl: string | null, platformPostId: string | null, attemptCount: number, failureCategory: FailureCategory | null, failureReason: string | null, outcomeUnknown: boolean, actions: Array<PublicationAction>, post: { id: string }, socialAccount: { id: string } } }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string, issues: Array<{ path: string, message: string }> }
   };

export type MarkPublicationPublishedMutationVariables = Exact<{
  id: string;
  url: string;
}>;


export type MarkPublicationPublishedMutation = { result:
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'MutationMarkPublicationPublishedSuccess', data: { id: string, platform: Platform, state: PublicationState, scheduledAt: string, publishedAt: string | null, platformUrl: string | null, platformPostId: string | null, attemptCount: number, failureCategory: FailureCategory | null, failureReason: string | null, outcomeUnknown: boolean, actions: Array<PublicationAction>, post: { id: string }, socialAccount: { id: string } } }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string, issues: Array<{ path: string, message: string }> }
   };

export type PublicationChangedSubscriptionVariables = Exact<{
  organizationId: string;
}>;


export type PublicationChangedSubscription = { publicationChanged: { id: string, platform: Platform, state: PublicationState, scheduledAt: string, publishedAt: string | null, platformUrl: string | null, platformPostId: string | null, attemptCount: number, failureCategory: FailureCategory | null, failureReason: string | null, outcomeUnknown: boolean, actions: Array<PublicationAction>, post: { id: string }, socialAccount: { id: string } } | null };

export type ApprovePostMutationVariables = Exact<{
  id: string;
  comment?: string | null | undefined;
}>;


export type ApprovePostMutation = { result:
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'MutationApprovePostSuccess', data: { id: string, title: string, caption: string, hashtags: Array<string>, format: PostFormat, status: PostStatus, version: number, scheduledAt: string | null, publishedAt: string | null, createdAt: string, updatedAt: string, brand: { id: string }, batch: { id: string } | null, slides: Array<{ position: number, heading: string, body: string, imageUrl: string | null }> } }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string, issues: Array<{ path: string, message: string }> }
    | { __typename: 'VersionConflictError', code: string, message: string }
   };

export type RejectPostMutationVariables = Exact<{
  id: string;
  comment?: string | null | undefined;
}>;


export type RejectPostMutation = { result:
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'MutationRejectPostSuccess', data: { id: string, title: string, caption: string, hashtags: Array<string>, format: PostFormat, status: PostStatus, version: number, scheduledAt: string | null, publishedAt: string | null, createdAt: string, updatedAt: string, brand: { id: string }, batch: { id: string } | null, slides: Array<{ position: number, heading: string, body: string, imageUrl: string | null }> } }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string, issues: Array<{ path: string, message: string }> }
    | { __typename: 'VersionConflictError', code: string, message: string }
   };

export type PostReviewsQueryVariables = Exact<{
  id: string;
}>;


export type PostReviewsQuery = { node:
    | { __typename: 'AdsAd' }
    | { __typename: 'AdsAdGroup' }
    | { __typename: 'AdsAlertEvent' }
    | { __typename: 'AdsAlertRule' }
    | { __typename: 'AdsBulkJob' }
    | { __typename: 'AdsCampaign' }
    | { __typename: 'AdsConnection' }
    | { __typename: 'AdsReportView' }
    | { __typename: 'Advertiser' }
    | { __typename: 'ApiToken' }
    | { __typename: 'Batch' }
    | { __typename: 'Brand' }
    | { __typename: 'BrandAsset' }
    | { __typename: 'BrandKnowledgeDocument' }
    | { __typename: 'ContactSubmission' }
    | { __typename: 'DataExportRequest' }
    | { __typename: 'DeletionRequest' }
    | { __typename: 'Invite' }
    | { __typename: 'MediaAsset' }
    | { __typename: 'Membership' }
    | { __typename: 'Notification' }
    | { __typename: 'Organization' }
    | { __typename: 'Post', reviews: Array<{ decision: ReviewDecision, comment: string | null, createdAt: string, reviewer: { id: string, name: string } | null }> }
    | { __typename: 'Publication' }
    | { __typename: 'SocialAccount' }
    | { __typename: 'User' }
    | { __typename: 'WebhookDelivery' }
    | { __typename: 'WebhookEndpoint' }
   | null };

export type WebhookEndpointFieldsFragment = { id: string, url: string, description: string, events: Array<string>, enabled: boolean, disabledReason: string | null, disabledAt: string | null, consecutiveFailures: number, createdAt: string };

export type WebhookDeliveryFieldsFragment = { id: string, eventId: string, eventType: string, body: string, status: WebhookDeliveryStatus, attemptCount: number, nextAttemptAt: string | null, deliveredAt: string | null, createdAt: string, endpoint: { id: string }, attempts: Array<{ number: number, statusCode: number | null, durationMs: number, error: string | null, createdAt: string }> };

export type WebhookEventTypesQueryVariables = Exact<{ [key: string]: never; }>;


export type WebhookEventTypesQuery = { webhookEventTypes: Array<string> };

export type WebhookEndpointsQueryVariables = Exact<{
  organizationId: string;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type WebhookEndpointsQuery = { organization: { webhookEndpoints: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, url: string, description: string, events: Array<string>, enabled: boolean, disabledReason: string | null, disabledAt: string | null, consecutiveFailures: number, createdAt: string } }> } } | null };

export type WebhookEndpointQueryVariables = Exact<{
  id: string;
}>;


export type WebhookEndpointQuery = { node:
    | { __typename: 'AdsAd' }
    | { __typename: 'AdsAdGroup' }
    | { __typename: 'AdsAlertEvent' }
    | { __typename: 'AdsAlertRule' }
    | { __typename: 'AdsBulkJob' }
    | { __typename: 'AdsCampaign' }
    | { __typename: 'AdsConnection' }
    | { __typename: 'AdsReportView' }
    | { __typename: 'Advertiser' }
    | { __typename: 'ApiToken' }
    | { __typename: 'Batch' }
    | { __typename: 'Brand' }
    | { __typename: 'BrandAsset' }
    | { __typename: 'BrandKnowledgeDocument' }
    | { __typename: 'ContactSubmission' }
    | { __typename: 'DataExportRequest' }
    | { __typename: 'DeletionRequest' }
    | { __typename: 'Invite' }
    | { __typename: 'MediaAsset' }
    | { __typename: 'Membership' }
    | { __typename: 'Notification' }
    | { __typename: 'Organization' }
    | { __typename: 'Post' }
    | { __typename: 'Publication' }
    | { __typename: 'SocialAccount' }
    | { __typename: 'User' }
    | { __typename: 'WebhookDelivery' }
    | { __typename: 'WebhookEndpoint', id: string, url: string, description: string, events: Array<string>, enabled: boolean, disabledReason: string | null, disabledAt: string | null, consecutiveFailures: number, createdAt: string }
   | null };

export type WebhookDeliveriesQueryVariables = Exact<{
  endpointId: string;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type WebhookDeliveriesQuery = { node:
    | { __typename: 'AdsAd' }
    | { __typename: 'AdsAdGroup' }
    | { __typename: 'AdsAlertEvent' }
    | { __typename: 'AdsAlertRule' }
    | { __typename: 'AdsBulkJob' }
    | { __typename: 'AdsCampaign' }
    | { __typename: 'AdsConnection' }
    | { __typename: 'AdsReportView' }
    | { __typename: 'Advertiser' }
    | { __typename: 'ApiToken' }
    | { __typename: 'Batch' }
    | { __typename: 'Brand' }
    | { __typename: 'BrandAsset' }
    | { __typename: 'BrandKnowledgeDocument' }
    | { __typename: 'ContactSubmission' }
    | { __typename: 'DataExportRequest' }
    | { __typename: 'DeletionRequest' }
    | { __typename: 'Invite' }
    | { __typename: 'MediaAsset' }
    | { __typename: 'Membership' }
    | { __typename: 'Notification' }
    | { __typename: 'Organization' }
    | { __typename: 'Post' }
    | { __typename: 'Publication' }
    | { __typename: 'SocialAccount' }
    | { __typename: 'User' }
    | { __typename: 'WebhookDelivery' }
    | { __typename: 'WebhookEndpoint', deliveries: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, eventId: string, eventType: string, body: string, status: WebhookDeliveryStatus, attemptCount: number, nextAttemptAt: string | null, deliveredAt: string | null, createdAt: string, endpoint: { id: string }, attempts: Array<{ number: number, statusCode: number | null, durationMs: number, error: string | null, createdAt: string }> } }> } }
   | null };

export type WebhookDeliveryQueryVariables = Exact<{
  id: string;
}>;


export type WebhookDeliveryQuery = { node:
    | { __typename: 'AdsAd' }
    | { __typename: 'AdsAdGroup' }
    | { __typename: 'AdsAlertEvent' }
    | { __typename: 'AdsAlertRule' }
    | { __typename: 'AdsBulkJob' }
    | { __typename: 'AdsCampaign' }
    | { __typename: 'AdsConnection' }
    | { __typename: 'AdsReportView' }
    | { __typename: 'Advertiser' }
    | { __typename: 'ApiToken' }
    | { __typename: 'Batch' }
    | { __typename: 'Brand' }
    | { __typename: 'BrandAsset' }
    | { __typename: 'BrandKnowledgeDocument' }
    | { __typename: 'ContactSubmission' }
    | { __typename: 'DataExportRequest' }
    | { __typename: 'DeletionRequest' }
    | { __typename: 'Invite' }
    | { __typename: 'MediaAsset' }
    | { __typename: 'Membership' }
    | { __typename: 'Notification' }
    | { __typename: 'Organization' }
    | { __typename: 'Post' }
    | { __typename: 'Publication' }
    | { __typename: 'SocialAccount' }
    | { __typename: 'User' }
    | { __typename: 'WebhookDelivery', id: string, eventId: string, eventType: string, body: string, status: WebhookDeliveryStatus, attemptCount: number, nextAttemptAt: string | null, deliveredAt: string | null, createdAt: string, endpoint: { id: string }, attempts: Array<{ number: number, statusCode: number | null, durationMs: number, error: string | null, createdAt: string }> }
    | { __typename: 'WebhookEndpoint' }
   | null };

export type CreateWebhookEndpointMutationVariables = Exact<{
  organizationId: string;
  url: string;
  events: Array<string> | string;
  description?: string | null | undefined;
}>;


export type CreateWebhookEndpointMutation = { result:
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'MutationCreateWebhookEndpointSuccess', data: { secret: string, endpoint: { id: string, url: string, description: string, events: Array<string>, enabled: boolean, disabledReason: string | null, disabledAt: string | null, consecutiveFailures: number, createdAt: string } } }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'UnsafeWebhookUrlError', reason: string, code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string, issues: Array<{ path: string, message: string }> }
   };

export type UpdateWebhookEndpointMutationVariables = Exact<{
  id: string;
  url?: string | null | undefined;
  events?: Array<string> | string | null | undefined;
  description?: string | null | undefined;
  enabled?: boolean | null | undefined;
}>;


export type UpdateWebhookEndpointMutation = { result:
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'MutationUpdateWebhookEndpointSuccess', data: { id: string, url: string, description: string, events: Array<string>, enabled: boolean, disabledReason: string | null, disabledAt: string | null, consecutiveFailures: number, createdAt: string } }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'UnsafeWebhookUrlError', reason: string, code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string, issues: Array<{ path: string, message: string }> }
   };

export type RotateWebhookEndpointSecretMutationVariables = Exact<{
  id: string;
}>;


export type RotateWebhookEndpointSecretMutation = { result:
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'MutationRotateWebhookEndpointSecretSuccess', data: { secret: string, endpoint: { id: string, url: string, description: string, events: Array<string>, enabled: boolean, disabledReason: string | null, disabledAt: string | null, consecutiveFailures: number, createdAt: string } } }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string, issues: Array<{ path: string, message: string }> }
   };

export type DeleteWebhookEndpointMutationVariables = Exact<{
  id: string;
}>;


export type DeleteWebhookEndpointMutation = { result:
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'MutationDeleteWebhookEndpointSuccess', data: string }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string, issues: Array<{ path: string, message: string }> }
   };

export type RedeliverWebhookDeliveryMutationVariables = Exact<{
  id: string;
}>;


export type RedeliverWebhookDeliveryMutation = { result:
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'MutationRedeliverWebhookDeliverySuccess', data: { id: string, eventId: string, eventType: string, body: string, status: WebhookDeliveryStatus, attemptCount: number, nextAttemptAt: string | null, deliveredAt: string | null, createdAt: string, endpoint: { id: string }, attempts: Array<{ number: number, statusCode: number | null, durationMs: number, error: string | null, createdAt: string }> } }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string, issues: Array<{ path: string, message: string }> }
   };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const ErrorFieldsFragmentDoc = new TypedDocumentString(`
    fragment ErrorFields on Error {
  __typename
  code
  message
  ... on ValidationError {
    issues {
      path
      message
    }
  }
  ... on RateLimitedError {
    retryAfterSeconds
  }
}
    `, {"fragmentName":"ErrorFields"}) as unknown as TypedDocumentString<ErrorFieldsFragment, unknown>;
export const PageInfoFieldsFragmentDoc = new TypedDocumentString(`
    fragment PageInfoFields on PageInfo {
  hasNextPage
  endCursor
}
    `, {"fragmentName":"PageInfoFields"}) as unknown as TypedDocumentString<PageInfoFieldsFragment, unknown>;
export const OrganizationFieldsFragmentDoc = new TypedDocumentString(`
    fragment OrganizationFields on Organization {
  id
  name
  slug
  createdAt
}
    `, {"fragmentName":"OrganizationFields"}) as unknown as TypedDocumentString<OrganizationFieldsFragment, unknown>;
export const BrandFieldsFragmentDoc = new TypedDocumentString(`
    fragment BrandFields on Brand {
  id
  name
  slug
  voice
  primaryColor
  secondaryColor
  accentColor
  fontFamily
  requiredApprovals
  createdAt
}
    `, {"fragmentName":"BrandFields"}) as unknown as TypedDocumentString<BrandFieldsFragment, unknown>;
export const KnowledgeDocumentFieldsFragmentDoc = new TypedDocumentString(`
    fragment KnowledgeDocumentFields on BrandKnowledgeDocument {
  id
  title
  content
  createdAt
  updatedAt
}
    `, {"fragmentName":"KnowledgeDocumentFields"}) as unknown as TypedDocumentString<KnowledgeDocumentFieldsFragment, unknown>;
export const BrandAssetFieldsFragmentDoc = new TypedDocumentString(`
    fragment BrandAssetFields on BrandAsset {
  id
  kind
  filename
  contentType
  byteSize
  sha256
  createdAt
}
    `, {"fragmentName":"BrandAssetFields"}) as unknown as TypedDocumentString<BrandAssetFieldsFragment, unknown>;
export const BatchFieldsFragmentDoc = new TypedDocumentString(`
    fragment BatchFields on Batch {
  id
  brief
  count
  format
  platforms
  status
  generatedCount
  failedCount
  createdAt
  completedAt
  brand {
    id
  }
}
    `, {"fragmentName":"BatchFields"}) as unknown as TypedDocumentString<BatchFieldsFragment, unknown>;
export const SlideFieldsFragmentDoc = new TypedDocumentString(`
    fragment SlideFields on Slide {
  position
  heading
  body
  imageUrl
}
    `, {"fragmentName":"SlideFields"}) as unknown as TypedDocumentString<SlideFieldsFragment, unknown>;
export const PostFieldsFragmentDoc = new TypedDocumentString(`
    fragment PostFields on Post {
  id
  title
  caption
  hashtags
  format
  status
  version
  scheduledAt
  publishedAt
  createdAt
  updatedAt
  brand {
    id
  }
  batch {
    id
  }
  slides {
    ...SlideFields
  }
}
    fragment SlideFields on Slide {
  position
  heading
  body
  imageUrl
}`, {"fragmentName":"PostFields"}) as unknown as TypedDocumentString<PostFieldsFragment, unknown>;
export const ReviewFieldsFragmentDoc = new TypedDocumentString(`
    fragment ReviewFields on Review {
  decision
  comment
  createdAt
  reviewer {
    id
    name
  }
}
    `, {"fragmentName":"ReviewFields"}) as unknown as TypedDocumentString<ReviewFieldsFragment, unknown>;
export const MetricsFieldsFragmentDoc = new TypedDocumentString(`
    fragment MetricsFields on VideoMetrics {
  capturedAt
  viewCount
  likeCount
  commentCount
  shareCount
}
    `, {"fragmentName":"MetricsFields"}) as unknown as TypedDocumentString<MetricsFieldsFragment, unknown>;
export const PublicationFieldsFragmentDoc = new TypedDocumentString(`
    fragment PublicationFields on Publication {
  id
  platform
  state
  scheduledAt
  publishedAt
  platformUrl
  platformPostId
  attemptCount
  failureCategory
  failureReason
  outcomeUnknown
  actions
  post {
    id
  }
  socialAccount {
    id
  }
}
    `, {"fragmentName":"PublicationFields"}) as unknown as TypedDocumentString<PublicationFieldsFragment, unknown>;
export const SocialAccountFieldsFragmentDoc = new TypedDocumentString(`
    fragment SocialAccountFields on SocialAccount {
  id
  platform
  displayName
  username
  status
  connectedAt
  lastSyncedAt
  lastError
}
    `, {"fragmentName":"SocialAccountFields"}) as unknown as TypedDocumentString<SocialAccountFieldsFragment, unknown>;
export const AccountSnapshotFieldsFragmentDoc = new TypedDocumentString(`
    fragment AccountSnapshotFields on AccountSnapshot {
  capturedAt
  followerCount
  followingCount
  likesCount
  videoCount
}
    `, {"fragmentName":"AccountSnapshotFields"}) as unknown as TypedDocumentString<AccountSnapshotFieldsFragment, unknown>;
export const AuditEventFieldsFragmentDoc = new TypedDocumentString(`
    fragment AuditEventFields on AuditEvent {
  id
  action
  actor
  targetType
  targetId
  metadata
  requestId
  ip
  userAgent
  createdAt
}
    `, {"fragmentName":"AuditEventFields"}) as unknown as TypedDocumentString<AuditEventFieldsFragment, unknown>;
export const MembershipFieldsFragmentDoc = new TypedDocumentString(`
    fragment MembershipFields on Membership {
  id
  role
  createdAt
  user {
    id
    name
    email
  }
}
    `, {"fragmentName":"MembershipFields"}) as unknown as TypedDocumentString<MembershipFieldsFragment, unknown>;
export const WebhookEndpointFieldsFragmentDoc = new TypedDocumentString(`
    fragment WebhookEndpointFields on WebhookEndpoint {
  id
  url
  description
  events
  enabled
  disabledReason
  disabledAt
  consecutiveFailures
  createdAt
}
    `, {"fragmentName":"WebhookEndpointFields"}) as unknown as TypedDocumentString<WebhookEndpointFieldsFragment, unknown>;
export const WebhookDeliveryFieldsFragmentDoc = new TypedDocumentString(`
    fragment WebhookDeliveryFields on WebhookDelivery {
  id
  eventId
  eventType
  body
  status
  attemptCount
  nextAttemptAt
  deliveredAt
  createdAt
  endpoint {
    id
  }
  attempts {
    number
    statusCode
    durationMs
    error
    createdAt
  }
}
    `, {"fragmentName":"WebhookDeliveryFields"}) as unknown as TypedDocumentString<WebhookDeliveryFieldsFragment, unknown>;
export const SocialAccountsDocument = new TypedDocumentString(`
    query SocialAccounts($brandId: ID!) {
  node(id: $brandId) {
    __typename
    ... on Brand {
      socialAccounts {
        ...SocialAccountFields
      }
    }
  }
}
    fragment SocialAccountFields on SocialAccount {
  id
  platform
  displayName
  username
  status
  connectedAt
  lastSyncedAt
  lastError
}`) as unknown as TypedDocumentString<SocialAccountsQuery, SocialAccountsQueryVariables>;
export const SocialAccountDocument = new TypedDocumentString(`
    query SocialAccount($id: ID!) {
  node(id: $id) {
    __typename
    ... on SocialAccount {
      ...SocialAccountFields
    }
  }
}
    fragment SocialAccountFields on SocialAccount {
  id
  platform
  displayName
  username
  status
  connectedAt
  lastSyncedAt
  lastError
}`) as unknown as TypedDocumentString<SocialAccountQuery, SocialAccountQueryVariables>;
export const SyncAccountNowDocument = new TypedDocumentString(`
    mutation SyncAccountNow($socialAccountId: ID!) {
  result: syncAccountNow(socialAccountId: $socialAccountId) {
    ...ErrorFields
    ... on MutationSyncAccountNowSuccess {
      __typename
      data {
        ...SocialAccountFields
      }
    }
  }
}
    fragment ErrorFields on Error {
  __typename
  code
  message
  ... on ValidationError {
    issues {
      path
      message
    }
  }
  ... on RateLimitedError {
    retryAfterSeconds
  }
}
fragment SocialAccountFields on SocialAccount {
  id
  platform
  displayName
  username
  status
  connectedAt
  lastSyncedAt
  lastError
}`) as unknown as TypedDocumentString<SyncAccountNowMutation, SyncAccountNowMutationVariables>;
export const RequestAccountDeletionDocument = new TypedDocumentString(`
    mutation RequestAccountDeletion($id: ID!) {
  result: requestAccountDeletion(id: $id) {
    ...ErrorFields
    ... on MutationRequestAccountDeletionSuccess {
      __typename
      data {
        id
        scope
        status
        createdAt
      }
    }
  }
}
    fragment ErrorFields on Error {
  __typename
  code
  message
  ... on ValidationError {
    issues {
      path
      message
    }
  }
  ... on RateLimitedError {
    retryAfterSeconds
  }
}`) as unknown as TypedDocumentString<RequestAccountDeletionMutation, RequestAccountDeletionMutationVariables>;
export const PublicationMetricsDocument = new TypedDocumentString(`
    query PublicationMetrics($id: ID!, $from: DateTime!, $to: DateTime!, $last: Int) {
  node(id: $id) {
    __typename
    ... on Publication {
      latestMetrics {
        ...MetricsFields
      }
      metricSnapshots(from: $from, to: $to, last: $last) {
        capturedAt
        viewCount
        likeCount
        commentCount
        shareCount
      }
    }
  }
}
    fragment MetricsFields on VideoMetrics {
  capturedAt
  viewCount
  likeCount
  commentCount
  shareCount
}`) as unknown as TypedDocumentString<PublicationMetricsQuery, PublicationMetricsQueryVariables>;
export const AccountMetricsDocument = new TypedDocumentString(`
    query AccountMetrics($id: ID!, $from: DateTime!, $to: DateTime!, $last: Int) {
  node(id: $id) {
    __typename
    ... on SocialAccount {
      latestSnapshot {
        ...AccountSnapshotFields
      }
      snapshots(from: $from, to: $to, last: $last) {
        ...AccountSnapshotFields
      }
    }
  }
}
    fragment AccountSnapshotFields on AccountSnapshot {
  capturedAt
  followerCount
  followingCount
  likesCount
  videoCount
}`) as unknown as TypedDocumentString<AccountMetricsQuery, AccountMetricsQueryVariables>;
export const AccountMetricsUpdatedDocument = new TypedDocumentString(`
    subscription AccountMetricsUpdated($socialAccountId: ID!) {
  accountMetricsUpdated(socialAccountId: $socialAccountId) {
    ...SocialAccountFields
    latestSnapshot {
      ...AccountSnapshotFields
    }
  }
}
    fragment SocialAccountFields on SocialAccount {
  id
  platform
  displayName
  username
  status
  connectedAt
  lastSyncedAt
  lastError
}
fragment AccountSnapshotFields on AccountSnapshot {
  capturedAt
  followerCount
  followingCount
  likesCount
  videoCount
}`) as unknown as TypedDocumentString<AccountMetricsUpdatedSubscription, AccountMetricsUpdatedSubscriptionVariables>;
export const AuditEventsDocument = new TypedDocumentString(`
    query AuditEvents($organizationId: ID!, $filter: AuditEventFilter, $first: Int, $after: String) {
  organization(id: $organizationId) {
    auditEvents(filter: $filter, first: $first, after: $after) {
      pageInfo {
        ...PageInfoFields
      }
      edges {
        node {
          ...AuditEventFields
        }
      }
    }
  }
}
    fragment PageInfoFields on PageInfo {
  hasNextPage
  endCursor
}
fragment AuditEventFields on AuditEvent {
  id
  action
  actor
  targetType
  targetId
  metadata
  requestId
  ip
  userAgent
  createdAt
}`) as unknown as TypedDocumentString<AuditEventsQuery, AuditEventsQueryVariables>;
export const AuditLogCsvDocument = new TypedDocumentString(`
    query AuditLogCsv($organizationId: ID!, $filter: AuditEventFilter) {
  auditLogCsv(organizationId: $organizationId, filter: $filter)
}
    `) as unknown as TypedDocumentString<AuditLogCsvQuery, AuditLogCsvQueryVariables>;
export const AuditRecordedDocument = new TypedDocumentString(`
    subscription AuditRecorded($organizationId: ID!) {
  auditRecorded(organizationId: $organizationId) {
    ...AuditEventFields
  }
}
    fragment AuditEventFields on AuditEvent {
  id
  action
  actor
  targetType
  targetId
  metadata
  requestId
  ip
  userAgent
  createdAt
}`) as unknown as TypedDocumentString<AuditRecordedSubscription, AuditRecordedSubscriptionVariables>;
export const BatchesDocument = new TypedDocumentString(`
    query Batches($organizationId: ID!, $first: Int, $after: String) {
  organization(id: $organizationId) {
    batches(first: $first, after: $after) {
      pageInfo {
        ...PageInfoFields
      }
      edges {
        node {
          ...BatchFields
        }
      }
    }
  }
}
    fragment PageInfoFields on PageInfo {
  hasNextPage
  endCursor
}
fragment BatchFields on Batch {
  id
  brief
  count
  format
  platforms
  status
  generatedCount
  failedCount
  createdAt
  completedAt
  brand {
    id
  }
}`) as unknown as TypedDocumentString<BatchesQuery, BatchesQueryVariables>;
export const BatchDocument = new TypedDocumentString(`
    query Batch($id: ID!) {
  node(id: $id) {
    __typename
    ... on Batch {
      ...BatchFields
    }
  }
}
    fragment BatchFields on Batch {
  id
  brief
  count
  format
  platforms
  status
  generatedCount
  failedCount
  createdAt
  completedAt
  brand {
    id
  }
}`) as unknown as TypedDocumentString<BatchQuery, BatchQueryVariables>;
export const BatchPostsDocument = new TypedDocumentString(`
    query BatchPosts($id: ID!, $first: Int, $after: String) {
  node(id: $id) {
    __typename
    ... on Batch {
      posts(first: $first, after: $after) {
        pageInfo {
          ...PageInfoFields
        }
        edges {
          node {
            ...PostFields
          }
        }
      }
    }
  }
}
    fragment PageInfoFields on PageInfo {
  hasNextPage
  endCursor
}
fragment SlideFields on Slide {
  position
  heading
  body
  imageUrl
}
fragment PostFields on Post {
  id
  title
  caption
  hashtags
  format
  status
  version
  scheduledAt
  publishedAt
  createdAt
  updatedAt
  brand {
    id
  }
  batch {
    id
  }
  slides {
    ...SlideFields
  }
}`) as unknown as TypedDocumentString<BatchPostsQuery, BatchPostsQueryVariables>;
export const CreateBatchDocument = new TypedDocumentString(`
    mutation CreateBatch($brandId: ID!, $brief: String!, $count: Int!, $platforms: [Platform!]!, $format: PostFormat) {
  result: createBatch(
    brandId: $brandId
    brief: $brief
    count: $count
    platforms: $platforms
    format: $format
  ) {
    ...ErrorFields
    ... on MutationCreateBatchSuccess {
      __typename
      data {
        ...BatchFields
      }
    }
  }
}
    fragment ErrorFields on Error {
  __typename
  code
  message
  ... on ValidationError {
    issues {
      path
      message
    }
  }
  ... on RateLimitedError {
    retryAfterSeconds
  }
}
fragment BatchFields on Batch {
  id
  brief
  count
  format
  platforms
  status
  generatedCount
  failedCount
  createdAt
  completedAt
  brand {
    id
  }
}`) as unknown as TypedDocumentString<CreateBatchMutation, CreateBatchMutationVariables>;
export const BatchProgressDocument = new TypedDocumentString(`
    subscription BatchProgress($id: ID!) {
  batchProgress(id: $id) {
    ...BatchFields
  }
}
    fragment BatchFields on Batch {
  id
  brief
  count
  format
  platforms
  status
  generatedCount
  failedCount
  createdAt
  completedAt
  brand {
    id
  }
}`) as unknown as TypedDocumentString<BatchProgressSubscription, BatchProgressSubscriptionVariables>;
export const BrandsDocument = new TypedDocumentString(`
    query Brands($organizationId: ID!, $first: Int, $after: String) {
  organization(id: $organizationId) {
    brands(first: $first, after: $after) {
      pageInfo {
        ...PageInfoFields
      }
      edges {
        node {
          ...BrandFields
        }
      }
    }
  }
}
    fragment PageInfoFields on PageInfo {
  hasNextPage
  endCursor
}
fragment BrandFields on Brand {
  id
  name
  slug
  voice
  primaryColor
  secondaryColor
  accentColor
  fontFamily
  requiredApprovals
  createdAt
}`) as unknown as TypedDocumentString<BrandsQuery, BrandsQueryVariables>;
export const BrandDocument = new TypedDocumentString(`
    query Brand($id: ID!) {
  node(id: $id) {
    __typename
    ... on Brand {
      ...BrandFields
    }
  }
}
    fragment BrandFields on Brand {
  id
  name
  slug
  voice
  primaryColor
  secondaryColor
  accentColor
  fontFamily
  requiredApprovals
  createdAt
}`) as unknown as TypedDocumentString<BrandQuery, BrandQueryVariables>;
export const KnowledgeDocumentsDocument = new TypedDocumentString(`
    query KnowledgeDocuments($brandId: ID!, $first: Int, $after: String) {
  node(id: $brandId) {
    __typename
    ... on Brand {
      knowledgeDocuments(first: $first, after: $after) {
        pageInfo {
          ...PageInfoFields
        }
        edges {
          node {
            ...KnowledgeDocumentFields
          }
        }
      }
    }
  }
}
    fragment PageInfoFields on PageInfo {
  hasNextPage
  endCursor
}
fragment KnowledgeDocumentFields on BrandKnowledgeDocument {
  id
  title
  content
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<KnowledgeDocumentsQuery, KnowledgeDocumentsQueryVariables>;
export const BrandAssetsDocument = new TypedDocumentString(`
    query BrandAssets($brandId: ID!, $first: Int, $after: String) {
  node(id: $brandId) {
    __typename
    ... on Brand {
      assets(first: $first, after: $after) {
        pageInfo {
          ...PageInfoFields
        }
        edges {
          node {
            ...BrandAssetFields
          }
        }
      }
    }
  }
}
    fragment PageInfoFields on PageInfo {
  hasNextPage
  endCursor
}
fragment BrandAssetFields on BrandAsset {
  id
  kind
  filename
  contentType
  byteSize
  sha256
  createdAt
}`) as unknown as TypedDocumentString<BrandAssetsQuery, BrandAssetsQueryVariables>;
export const UpdateBrandDocument = new TypedDocumentString(`
    mutation UpdateBrand($id: ID!, $name: String, $voice: String, $primaryColor: String, $secondaryColor: String, $accentColor: String, $requiredApprovals: Int) {
  result: updateBrand(
    id: $id
    name: $name
    voice: $voice
    primaryColor: $primaryColor
    secondaryColor: $secondaryColor
    accentColor: $accentColor
    requiredApprovals: $requiredApprovals
  ) {
    ...ErrorFields
    ... on MutationUpdateBrandSuccess {
      __typename
      data {
        ...BrandFields
      }
    }
  }
}
    fragment ErrorFields on Error {
  __typename
  code
  message
  ... on ValidationError {
    issues {
      path
      message
    }
  }
  ... on RateLimitedError {
    retryAfterSeconds
  }
}
fragment BrandFields on Brand {
  id
  name
  slug
  voice
  primaryColor
  secondaryColor
  accentColor
  fontFamily
  requiredApprovals
  createdAt
}`) as unknown as TypedDocumentString<UpdateBrandMutation, UpdateBrandMutationVariables>;
export const AddKnowledgeDocumentDocument = new TypedDocumentString(`
    mutation AddKnowledgeDocument($brandId: ID!, $title: String!, $content: String!) {
  result: addKnowledgeDocument(
    brandId: $brandId
    title: $title
    content: $content
  ) {
    ...ErrorFields
    ... on MutationAddKnowledgeDocumentSuccess {
      __typename
      data {
        ...KnowledgeDocumentFields
      }
    }
  }
}
    fragment ErrorFields on Error {
  __typename
  code
  message
  ... on ValidationError {
    issues {
      path
      message
    }
  }
  ... on RateLimitedError {
    retryAfterSeconds
  }
}
fragment KnowledgeDocumentFields on BrandKnowledgeDocument {
  id
  title
  content
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<AddKnowledgeDocumentMutation, AddKnowledgeDocumentMutationVariables>;
export const UpdateKnowledgeDocumentDocument = new TypedDocumentString(`
    mutation UpdateKnowledgeDocument($id: ID!, $title: String, $content: String) {
  result: updateKnowledgeDocument(id: $id, title: $title, content: $content) {
    ...ErrorFields
    ... on MutationUpdateKnowledgeDocumentSuccess {
      __typename
      data {
        ...KnowledgeDocumentFields
      }
    }
  }
}
    fragment ErrorFields on Error {
  __typename
  code
  message
  ... on ValidationError {
    issues {
      path
      message
    }
  }
  ... on RateLimitedError {
    retryAfterSeconds
  }
}
fragment KnowledgeDocumentFields on BrandKnowledgeDocument {
  id
  title
  content
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<UpdateKnowledgeDocumentMutation, UpdateKnowledgeDocumentMutationVariables>;
export const DeleteKnowledgeDocumentDocument = new TypedDocumentString(`
    mutation DeleteKnowledgeDocument($id: ID!) {
  result: deleteKnowledgeDocument(id: $id) {
    ...ErrorFields
    ... on MutationDeleteKnowledgeDocumentSuccess {
      __typename
      data
    }
  }
}
    fragment ErrorFields on Error {
  __typename
  code
  message
  ... on ValidationError {
    issues {
      path
      message
    }
  }
  ... on RateLimitedError {
    retryAfterSeconds
  }
}`) as unknown as TypedDocumentString<DeleteKnowledgeDocumentMutation, DeleteKnowledgeDocumentMutationVariables>;
export const DeleteBrandAssetDocument = new TypedDocumentString(`
    mutation DeleteBrandAsset($id: ID!) {
  result: deleteBrandAsset(id: $id) {
    ...ErrorFields
    ... on MutationDeleteBrandAssetSuccess {
      __typename
      data
    }
  }
}
    fragment ErrorFields on Error {
  __typename
  code
  message
  ... on ValidationError {
    issues {
      path
      message
    }
  }
  ... on RateLimitedError {
    retryAfterSeconds
  }
}`) as unknown as TypedDocumentString<DeleteBrandAssetMutation, DeleteBrandAssetMutationVariables>;
export const MembersDocument = new TypedDocumentString(`
    query Members($organizationId: ID!, $first: Int, $after: String) {
  organization(id: $organizationId) {
    members(first: $first, after: $after) {
      pageInfo {
        ...PageInfoFields
      }
      edges {
        node {
          ...MembershipFields
        }
      }
    }
  }
}
    fragment PageInfoFields on PageInfo {
  hasNextPage
  endCursor
}
fragment MembershipFields on Membership {
  id
  role
  createdAt
  user {
    id
    name
    email
  }
}`) as unknown as TypedDocumentString<MembersQuery, MembersQueryVariables>;
export const OrganizationsDocument = new TypedDocumentString(`
    query Organizations {
  organizations {
    ...OrganizationFields
  }
}
    fragment OrganizationFields on Organization {
  id
  name
  slug
  createdAt
}`) as unknown as TypedDocumentString<OrganizationsQuery, OrganizationsQueryVariables>;
export const ServerInfoDocument = new TypedDocumentString(`
    query ServerInfo {
  serverInfo {
    version
    node
  }
}
    `) as unknown as TypedDocumentString<ServerInfoQuery, ServerInfoQueryVariables>;
export const PostsDocument = new TypedDocumentString(`
    query Posts($organizationId: ID!, $brandId: ID, $status: [PostStatus!], $first: Int, $after: String) {
  organization(id: $organizationId) {
    posts(brandId: $brandId, status: $status, first: $first, after: $after) {
      pageInfo {
        ...PageInfoFields
      }
      edges {
        node {
          ...PostFields
        }
      }
    }
  }
}
    fragment PageInfoFields on PageInfo {
  hasNextPage
  endCursor
}
fragment SlideFields on Slide {
  position
  heading
  body
  imageUrl
}
fragment PostFields on Post {
  id
  title
  caption
  hashtags
  format
  status
  version
  scheduledAt
  publishedAt
  createdAt
  updatedAt
  brand {
    id
  }
  batch {
    id
  }
  slides {
    ...SlideFields
  }
}`) as unknown as TypedDocumentString<PostsQuery, PostsQueryVariables>;
export const PostDocument = new TypedDocumentString(`
    query Post($id: ID!) {
  node(id: $id) {
    __typename
    ... on Post {
      ...PostFields
      reviews {
        ...ReviewFields
      }
      publications {
        ...PublicationFields
      }
    }
  }
}
    fragment SlideFields on Slide {
  position
  heading
  body
  imageUrl
}
fragment PostFields on Post {
  id
  title
  caption
  hashtags
  format
  status
  version
  scheduledAt
  publishedAt
  createdAt
  updatedAt
  brand {
    id
  }
  batch {
    id
  }
  slides {
    ...SlideFields
  }
}
fragment ReviewFields on Review {
  decision
  comment
  createdAt
  reviewer {
    id
    name
  }
}
fragment PublicationFields on Publication {
  id
  platform
  state
  scheduledAt
  publishedAt
  platformUrl
  platformPostId
  attemptCount
  failureCategory
  failureReason
  outcomeUnknown
  actions
  post {
    id
  }
  socialAccount {
    id
  }
}`) as unknown as TypedDocumentString<PostQuery, PostQueryVariables>;
export const CreatePostDocument = new TypedDocumentString(`
    mutation CreatePost($brandId: ID!, $title: String, $caption: String, $hashtags: [String!], $format: PostFormat, $slides: [SlideInput!]) {
  result: createPost(
    brandId: $brandId
    title: $title
    caption: $caption
    hashtags: $hashtags
    format: $format
    slides: $slides
  ) {
    ...ErrorFields
    ... on MutationCreatePostSuccess {
      __typename
      data {
        ...PostFields
      }
    }
  }
}
    fragment ErrorFields on Error {
  __typename
  code
  message
  ... on ValidationError {
    issues {
      path
      message
    }
  }
  ... on RateLimitedError {
    retryAfterSeconds
  }
}
fragment SlideFields on Slide {
  position
  heading
  body
  imageUrl
}
fragment PostFields on Post {
  id
  title
  caption
  hashtags
  format
  status
  version
  scheduledAt
  publishedAt
  createdAt
  updatedAt
  brand {
    id
  }
  batch {
    id
  }
  slides {
    ...SlideFields
  }
}`) as unknown as TypedDocumentString<CreatePostMutation, CreatePostMutationVariables>;
export const UpdatePostDocument = new TypedDocumentString(`
    mutation UpdatePost($id: ID!, $expectedVersion: Int!, $title: String, $caption: String, $hashtags: [String!], $slides: [SlideInput!]) {
  result: updatePost(
    id: $id
    expectedVersion: $expectedVersion
    title: $title
    caption: $caption
    hashtags: $hashtags
    slides: $slides
  ) {
    ...ErrorFields
    ... on MutationUpdatePostSuccess {
      __typename
      data {
        ...PostFields
      }
    }
  }
}
    fragment ErrorFields on Error {
  __typename
  code
  message
  ... on ValidationError {
    issues {
      path
      message
    }
  }
  ... on RateLimitedError {
    retryAfterSeconds
  }
}
fragment SlideFields on Slide {
  position
  heading
  body
  imageUrl
}
fragment PostFields on Post {
  id
  title
  caption
  hashtags
  format
  status
  version
  scheduledAt
  publishedAt
  createdAt
  updatedAt
  brand {
    id
  }
  batch {
    id
  }
  slides {
    ...SlideFields
  }
}`) as unknown as TypedDocumentString<UpdatePostMutation, UpdatePostMutationVariables>;
export const DeletePostDocument = new TypedDocumentString(`
    mutation DeletePost($id: ID!) {
  result: deletePost(id: $id) {
    ...ErrorFields
    ... on MutationDeletePostSuccess {
      __typename
      data
    }
  }
}
    fragment ErrorFields on Error {
  __typename
  code
  message
  ... on ValidationError {
    issues {
      path
      message
    }
  }
  ... on RateLimitedError {
    retryAfterSeconds
  }
}`) as unknown as TypedDocumentString<DeletePostMutation, DeletePostMutationVariables>;
export const SubmitPostForReviewDocument = new TypedDocumentString(`
    mutation SubmitPostForReview($id: ID!) {
  result: submitPostForReview(id: $id) {
    ...ErrorFields
    ... on MutationSubmitPostForReviewSuccess {
      __typename
      data {
        ...PostFields
      }
    }
  }
}
    fragment ErrorFields on Error {
  __typename
  code
  message
  ... on ValidationError {
    issues {
      path
      message
    }
  }
  ... on RateLimitedError {
    retryAfterSeconds
  }
}
fragment SlideFields on Slide {
  position
  heading
  body
  imageUrl
}
fragment PostFields on Post {
  id
  title
  caption
  hashtags
  format
  status
  version
  scheduledAt
  publishedAt
  createdAt
  updatedAt
  brand {
    id
  }
  batch {
    id
  }
  slides {
    ...SlideFields
  }
}`) as unknown as TypedDocumentString<SubmitPostForReviewMutation, SubmitPostForReviewMutationVariables>;
export const SchedulePostDocument = new TypedDocumentString(`
    mutation SchedulePost($id: ID!, $scheduledAt: DateTime!, $socialAccountIds: [ID!]) {
  result: schedulePost(
    id: $id
    scheduledAt: $scheduledAt
    socialAccountIds: $socialAccountIds
  ) {
    ...ErrorFields
    ... on MutationSchedulePostSuccess {
      __typename
      data {
        ...PostFields
      }
    }
  }
}
    fragment ErrorFields on Error {
  __typename
  code
  message
  ... on ValidationError {
    issues {
      path
      message
    }
  }
  ... on RateLimitedError {
    retryAfterSeconds
  }
}
fragment SlideFields on Slide {
  position
  heading
  body
  imageUrl
}
fragment PostFields on Post {
  id
  title
  caption
  hashtags
  format
  status
  version
  scheduledAt
  publishedAt
  createdAt
  updatedAt
  brand {
    id
  }
  batch {
    id
  }
  slides {
    ...SlideFields
  }
}`) as unknown as TypedDocumentString<SchedulePostMutation, SchedulePostMutationVariables>;
export const ReschedulePostDocument = new TypedDocumentString(`
    mutation ReschedulePost($id: ID!, $scheduledAt: DateTime!) {
  result: reschedulePost(id: $id, scheduledAt: $scheduledAt) {
    ...ErrorFields
    ... on MutationReschedulePostSuccess {
      __typename
      data {
        ...PostFields
      }
    }
  }
}
    fragment ErrorFields on Error {
  __typename
  code
  message
  ... on ValidationError {
    issues {
      path
      message
    }
  }
  ... on RateLimitedError {
    retryAfterSeconds
  }
}
fragment SlideFields on Slide {
  position
  heading
  body
  imageUrl
}
fragment PostFields on Post {
  id
  title
  caption
  hashtags
  format
  status
  version
  scheduledAt
  publishedAt
  createdAt
  updatedAt
  brand {
    id
  }
  batch {
    id
  }
  slides {
    ...SlideFields
  }
}`) as unknown as TypedDocumentString<ReschedulePostMutation, ReschedulePostMutationVariables>;
export const UnschedulePostDocument = new TypedDocumentString(`
    mutation UnschedulePost($id: ID!) {
  result: unschedulePost(id: $id) {
    ...ErrorFields
    ... on MutationUnschedulePostSuccess {
      __typename
      data {
        ...PostFields
      }
    }
  }
}
    fragment ErrorFields on Error {
  __typename
  code
  message
  ... on ValidationError {
    issues {
      path
      message
    }
  }
  ... on RateLimitedError {
    retryAfterSeconds
  }
}
fragment SlideFields on Slide {
  position
  heading
  body
  imageUrl
}
fragment PostFields on Post {
  id
  title
  caption
  hashtags
  format
  status
  version
  scheduledAt
  publishedAt
  createdAt
  updatedAt
  brand {
    id
  }
  batch {
    id
  }
  slides {
    ...SlideFields
  }
}`) as unknown as TypedDocumentString<UnschedulePostMutation, UnschedulePostMutationVariables>;
export const PostChangedDocument = new TypedDocumentString(`
    subscription PostChanged($brandId: ID!) {
  postChanged(brandId: $brandId) {
    ...PostFields
  }
}
    fragment SlideFields on Slide {
  position
  heading
  body
  imageUrl
}
fragment PostFields on Post {
  id
  title
  caption
  hashtags
  format
  status
  version
  scheduledAt
  publishedAt
  createdAt
  updatedAt
  brand {
    id
  }
  batch {
    id
  }
  slides {
    ...SlideFields
  }
}`) as unknown as TypedDocumentString<PostChangedSubscription, PostChangedSubscriptionVariables>;
export const PublicationsDocument = new TypedDocumentString(`
    query Publications($organizationId: ID!, $state: [PublicationState!], $socialAccountId: ID, $first: Int, $after: String) {
  organization(id: $organizationId) {
    publications(
      state: $state
      socialAccountId: $socialAccountId
      first: $first
      after: $after
    ) {
      pageInfo {
        ...PageInfoFields
      }
      edges {
        node {
          ...PublicationFields
        }
      }
    }
  }
}
    fragment PageInfoFields on PageInfo {
  hasNextPage
  endCursor
}
fragment PublicationFields on Publication {
  id
  platform
  state
  scheduledAt
  publishedAt
  platformUrl
  platformPostId
  attemptCount
  failureCategory
  failureReason
  outcomeUnknown
  actions
  post {
    id
  }
  socialAccount {
    id
  }
}`) as unknown as TypedDocumentString<PublicationsQuery, PublicationsQueryVariables>;
export const PublicationDocument = new TypedDocumentString(`
    query Publication($id: ID!) {
  node(id: $id) {
    __typename
    ... on Publication {
      ...PublicationFields
      attempts {
        number
        step
        status
        responseCode
        failureCategory
        failureReason
        startedAt
        finishedAt
      }
    }
  }
}
    fragment PublicationFields on Publication {
  id
  platform
  state
  scheduledAt
  publishedAt
  platformUrl
  platformPostId
  attemptCount
  failureCategory
  failureReason
  outcomeUnknown
  actions
  post {
    id
  }
  socialAccount {
    id
  }
}`) as unknown as TypedDocumentString<PublicationQuery, PublicationQueryVariables>;
export const CancelPublicationDocument = new TypedDocumentString(`
    mutation CancelPublication($id: ID!) {
  result: cancelPublication(id: $id) {
    ...ErrorFields
    ... on MutationCancelPublicationSuccess {
      __typename
      data {
        ...PublicationFields
      }
    }
  }
}
    fragment ErrorFields on Error {
  __typename
  code
  message
  ... on ValidationError {
    issues {
      path
      message
    }
  }
  ... on RateLimitedError {
    retryAfterSeconds
  }
}
fragment PublicationFields on Publication {
  id
  platform
  state
  scheduledAt
  publishedAt
  platformUrl
  platformPostId
  attemptCount
  failureCategory
  failureReason
  outcomeUnknown
  actions
  post {
    id
  }
  socialAccount {
    id
  }
}`) as unknown as TypedDocumentString<CancelPublicationMutation, CancelPublicationMutationVariables>;
export const RetryPublicationDocument = new TypedDocumentString(`
    mutation RetryPublication($id: ID!) {
  result: retryPublication(id: $id) {
    ...ErrorFields
    ... on MutationRetryPublicationSuccess {
      __typename
      data {
        ...PublicationFields
      }
    }
  }
}
    fragment ErrorFields on Error {
  __typename
  code
  message
  ... on ValidationError {
    issues {
      path
      message
    }
  }
  ... on RateLimitedError {
    retryAfterSeconds
  }
}
fragment PublicationFields on Publication {
  id
  platform
  state
  scheduledAt
  publishedAt
  platformUrl
  platformPostId
  attemptCount
  failureCategory
  failureReason
  outcomeUnknown
  actions
  post {
    id
  }
  socialAccount {
    id
  }
}`) as unknown as TypedDocumentString<RetryPublicationMutation, RetryPublicationMutationVariables>;
export const CheckPublicationDocument = new TypedDocumentString(`
    mutation CheckPublication($id: ID!) {
  result: checkPublication(id: $id) {
    ...ErrorFields
    ... on MutationCheckPublicationSuccess {
      __typename
      data {
        ...PublicationFields
      }
    }
  }
}
    fragment ErrorFields on Error {
  __typename
  code
  message
  ... on ValidationError {
    issues {
      path
      message
    }
  }
  ... on RateLimitedError {
    retryAfterSeconds
  }
}
fragment PublicationFields on Publication {
  id
  platform
  state
  scheduledAt
  publishedAt
  platformUrl
  platformPostId
  attemptCount
  failureCategory
  failureReason
  outcomeUnknown
  actions
  post {
    id
  }
  socialAccount {
    id
  }
}`) as unknown as TypedDocumentString<CheckPublicationMutation, CheckPublicationMutationVariables>;
export const MarkPublicationPublishedDocument = new TypedDocumentString(`
    mutation MarkPublicationPublished($id: ID!, $url: String!) {
  result: markPublicationPublished(id: $id, url: $url) {
    ...ErrorFields
    ... on MutationMarkPublicationPublishedSuccess {
      __typename
      data {
        ...PublicationFields
      }
    }
  }
}
    fragment ErrorFields on Error {
  __typename
  code
  message
  ... on ValidationError {
    issues {
      path
      message
    }
  }
  ... on RateLimitedError {
    retryAfterSeconds
  }
}
fragment PublicationFields on Publication {
  id
  platform
  state
  scheduledAt
  publishedAt
  platformUrl
  platformPostId
  attemptCount
  failureCategory
  failureReason
  outcomeUnknown
  actions
  post {
    id
  }
  socialAccount {
    id
  }
}`) as unknown as TypedDocumentString<MarkPublicationPublishedMutation, MarkPublicationPublishedMutationVariables>;
export const PublicationChangedDocument = new TypedDocumentString(`
    subscription PublicationChanged($organizationId: ID!) {
  publicationChanged(organizationId: $organizationId) {
    ...PublicationFields
  }
}
    fragment PublicationFields on Publication {
  id
  platform
  state
  scheduledAt
  publishedAt
  platformUrl
  platformPostId
  attemptCount
  failureCategory
  failureReason
  outcomeUnknown
  actions
  post {
    id
  }
  socialAccount {
    id
  }
}`) as unknown as TypedDocumentString<PublicationChangedSubscription, PublicationChangedSubscriptionVariables>;
export const ApprovePostDocument = new TypedDocumentString(`
    mutation ApprovePost($id: ID!, $comment: String) {
  result: approvePost(id: $id, comment: $comment) {
    ...ErrorFields
    ... on MutationApprovePostSuccess {
      __typename
      data {
        ...PostFields
      }
    }
  }
}
    fragment ErrorFields on Error {
  __typename
  code
  message
  ... on ValidationError {
    issues {
      path
      message
    }
  }
  ... on RateLimitedError {
    retryAfterSeconds
  }
}
fragment SlideFields on Slide {
  position
  heading
  body
  imageUrl
}
fragment PostFields on Post {
  id
  title
  caption
  hashtags
  format
  status
  version
  scheduledAt
  publishedAt
  createdAt
  updatedAt
  brand {
    id
  }
  batch {
    id
  }
  slides {
    ...SlideFields
  }
}`) as unknown as TypedDocumentString<ApprovePostMutation, ApprovePostMutationVariables>;
export const RejectPostDocument = new TypedDocumentString(`
    mutation RejectPost($id: ID!, $comment: String) {
  result: rejectPost(id: $id, comment: $comment) {
    ...ErrorFields
    ... on MutationRejectPostSuccess {
      __typename
      data {
        ...PostFields
      }
    }
  }
}
    fragment ErrorFields on Error {
  __typename
  code
  message
  ... on ValidationError {
    issues {
      path
      message
    }
  }
  ... on RateLimitedError {
    retryAfterSeconds
  }
}
fragment SlideFields on Slide {
  position
  heading
  body
  imageUrl
}
fragment PostFields on Post {
  id
  title
  caption
  hashtags
  format
  status
  version
  scheduledAt
  publishedAt
  createdAt
  updatedAt
  brand {
    id
  }
  batch {
    id
  }
  slides {
    ...SlideFields
  }
}`) as unknown as TypedDocumentString<RejectPostMutation, RejectPostMutationVariables>;
export const PostReviewsDocument = new TypedDocumentString(`
    query PostReviews($id: ID!) {
  node(id: $id) {
    __typename
    ... on Post {
      reviews {
        ...ReviewFields
      }
    }
  }
}
    fragment ReviewFields on Review {
  decision
  comment
  createdAt
  reviewer {
    id
    name
  }
}`) as unknown as TypedDocumentString<PostReviewsQuery, PostReviewsQueryVariables>;
export const WebhookEventTypesDocument = new TypedDocumentString(`
    query WebhookEventTypes {
  webhookEventTypes
}
    `) as unknown as TypedDocumentString<WebhookEventTypesQuery, WebhookEventTypesQueryVariables>;
export const WebhookEndpointsDocument = new TypedDocumentString(`
    query WebhookEndpoints($organizationId: ID!, $first: Int, $after: String) {
  organization(id: $organizationId) {
    webhookEndpoints(first: $first, after: $after) {
      pageInfo {
        ...PageInfoFields
      }
      edges {
        node {
          ...WebhookEndpointFields
        }
      }
    }
  }
}
    fragment PageInfoFields on PageInfo {
  hasNextPage
  endCursor
}
fragment WebhookEndpointFields on WebhookEndpoint {
  id
  url
  description
  events
  enabled
  disabledReason
  disabledAt
  consecutiveFailures
  createdAt
}`) as unknown as TypedDocumentString<WebhookEndpointsQuery, WebhookEndpointsQueryVariables>;
export const WebhookEndpointDocument = new TypedDocumentString(`
    query WebhookEndpoint($id: ID!) {
  node(id: $id) {
    __typename
    ... on WebhookEndpoint {
      ...WebhookEndpointFields
    }
  }
}
    fragment WebhookEndpointFields on WebhookEndpoint {
  id
  url
  description
  events
  enabled
  disabledReason
  disabledAt
  consecutiveFailures
  createdAt
}`) as unknown as TypedDocumentString<WebhookEndpointQuery, WebhookEndpointQueryVariables>;
export const WebhookDeliveriesDocument = new TypedDocumentString(`
    query WebhookDeliveries($endpointId: ID!, $first: Int, $after: String) {
  node(id: $endpointId) {
    __typename
    ... on WebhookEndpoint {
      deliveries(first: $first, after: $after) {
        pageInfo {
          ...PageInfoFields
        }
        edges {
          node {
            ...WebhookDeliveryFields
          }
        }
      }
    }
  }
}
    fragment PageInfoFields on PageInfo {
  hasNextPage
  endCursor
}
fragment WebhookDeliveryFields on WebhookDelivery {
  id
  eventId
  eventType
  body
  status
  attemptCount
  nextAttemptAt
  deliveredAt
  createdAt
  endpoint {
    id
  }
  attempts {
    number
    statusCode
    durationMs
    error
    createdAt
  }
}`) as unknown as TypedDocumentString<WebhookDeliveriesQuery, WebhookDeliveriesQueryVariables>;
export const WebhookDeliveryDocument = new TypedDocumentString(`
    query WebhookDelivery($id: ID!) {
  node(id: $id) {
    __typename
    ... on WebhookDelivery {
      ...WebhookDeliveryFields
    }
  }
}
    fragment WebhookDeliveryFields on WebhookDelivery {
  id
  eventId
  eventType
  body
  status
  attemptCount
  nextAttemptAt
  deliveredAt
  createdAt
  endpoint {
    id
  }
  attempts {
    number
    statusCode
    durationMs
    error
    createdAt
  }
}`) as unknown as TypedDocumentString<WebhookDeliveryQuery, WebhookDeliveryQueryVariables>;
export const CreateWebhookEndpointDocument = new TypedDocumentString(`
    mutation CreateWebhookEndpoint($organizationId: ID!, $url: String!, $events: [String!]!, $description: String) {
  result: createWebhookEndpoint(
    organizationId: $organizationId
    url: $url
    events: $events
    description: $description
  ) {
    ...ErrorFields
    ... on UnsafeWebhookUrlError {
      reason
    }
    ... on MutationCreateWebhookEndpointSuccess {
      __typename
      data {
        secret
        endpoint {
          ...WebhookEndpointFields
        }
      }
    }
  }
}
    fragment ErrorFields on Error {
  __typename
  code
  message
  ... on ValidationError {
    issues {
      path
      message
    }
  }
  ... on RateLimitedError {
    retryAfterSeconds
  }
}
fragment WebhookEndpointFields on WebhookEndpoint {
  id
  url
  description
  events
  enabled
  disabledReason
  disabledAt
  consecutiveFailures
  createdAt
}`) as unknown as TypedDocumentString<CreateWebhookEndpointMutation, CreateWebhookEndpointMutationVariables>;
export const UpdateWebhookEndpointDocument = new TypedDocumentString(`
    mutation UpdateWebhookEndpoint($id: ID!, $url: String, $events: [String!], $description: String, $enabled: Boolean) {
  result: updateWebhookEndpoint(
    id: $id
    url: $url
    events: $events
    description: $description
    enabled: $enabled
  ) {
    ...ErrorFields
    ... on UnsafeWebhookUrlError {
      reason
    }
    ... on MutationUpdateWebhookEndpointSuccess {
      __typename
      data {
        ...WebhookEndpointFields
      }
    }
  }
}
    fragment ErrorFields on Error {
  __typename
  code
  message
  ... on ValidationError {
    issues {
      path
      message
    }
  }
  ... on RateLimitedError {
    retryAfterSeconds
  }
}
fragment WebhookEndpointFields on WebhookEndpoint {
  id
  url
  description
  events
  enabled
  disabledReason
  disabledAt
  consecutiveFailures
  createdAt
}`) as unknown as TypedDocumentString<UpdateWebhookEndpointMutation, UpdateWebhookEndpointMutationVariables>;
export const RotateWebhookEndpointSecretDocument = new TypedDocumentString(`
    mutation RotateWebhookEndpointSecret($id: ID!) {
  result: rotateWebhookEndpointSecret(id: $id) {
    ...ErrorFields
    ... on MutationRotateWebhookEndpointSecretSuccess {
      __typename
      data {
        secret
        endpoint {
          ...WebhookEndpointFields
        }
      }
    }
  }
}
    fragment ErrorFields on Error {
  __typename
  code
  message
  ... on ValidationError {
    issues {
      path
      message
    }
  }
  ... on RateLimitedError {
    retryAfterSeconds
  }
}
fragment WebhookEndpointFields on WebhookEndpoint {
  id
  url
  description
  events
  enabled
  disabledReason
  disabledAt
  consecutiveFailures
  createdAt
}`) as unknown as TypedDocumentString<RotateWebhookEndpointSecretMutation, RotateWebhookEndpointSecretMutationVariables>;
export const DeleteWebhookEndpointDocument = new TypedDocumentString(`
    mutation DeleteWebhookEndpoint($id: ID!) {
  result: deleteWebhookEndpoint(id: $id) {
    ...ErrorFields
    ... on MutationDeleteWebhookEndpointSuccess {
      __typename
      data
    }
  }
}
    fragment ErrorFields on Error {
  __typename
  code
  message
  ... on ValidationError {
    issues {
      path
      message
    }
  }
  ... on RateLimitedError {
    retryAfterSeconds
  }
}`) as unknown as TypedDocumentString<DeleteWebhookEndpointMutation, DeleteWebhookEndpointMutationVariables>;
export const RedeliverWebhookDeliveryDocument = new TypedDocumentString(`
    mutation RedeliverWebhookDelivery($id: ID!) {
  result: redeliverWebhookDelivery(id: $id) {
    ...ErrorFields
    ... on MutationRedeliverWebhookDeliverySuccess {
      __typename
      data {
        ...WebhookDeliveryFields
      }
    }
  }
}
    fragment ErrorFields on Error {
  __typename
  code
  message
  ... on ValidationError {
    issues {
      path
      message
    }
  }
  ... on RateLimitedError {
    retryAfterSeconds
  }
}
fragment WebhookDeliveryFields on WebhookDelivery {
  id
  eventId
  eventType
  body
  status
  attemptCount
  nextAttemptAt
  deliveredAt
  createdAt
  endpoint {
    id
  }
  attempts {
    number
    statusCode
    durationMs
    error
    createdAt
  }
}`) as unknown as TypedDocumentString<RedeliverWebhookDeliveryMutation, RedeliverWebhookDeliveryMutationVariables>;