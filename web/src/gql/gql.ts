/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
  '\n  mutation CreateOrganization($name: String!, $slug: String!) {\n    createOrganization(name: $name, slug: $slug) {\n      __typename\n      ... on MutationCreateOrganizationSuccess {\n        data {\n          id\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n': typeof types.CreateOrganizationDocument;
  '\n  query ShellCounts($organizationId: ID!, $brandId: ID!) {\n    organization(id: $organizationId) {\n      id\n      inReview: posts(brandId: $brandId, status: [IN_REVIEW], first: 100) {\n        edges {\n          node {\n            id\n          }\n        }\n      }\n      failed: publications(state: [FAILED], first: 100) {\n        edges {\n          node {\n            id\n          }\n        }\n      }\n    }\n    viewer {\n      id\n      notifications(first: 1, unreadOnly: true) {\n        totalCount\n      }\n    }\n  }\n': typeof types.ShellCountsDocument;
  '\n  subscription ShellNotification($organizationId: ID!) {\n    notificationReceived(organizationId: $organizationId) {\n      id\n      subject\n    }\n  }\n': typeof types.ShellNotificationDocument;
  '\n  subscription ShellPublication($organizationId: ID!) {\n    publicationChanged(organizationId: $organizationId) {\n      id\n      state\n      failureReason\n      failureCategory\n      attemptCount\n      publishedAt\n      platformUrl\n    }\n  }\n': typeof types.ShellPublicationDocument;
  '\n  subscription ShellPost($brandId: ID!) {\n    postChanged(brandId: $brandId) {\n      id\n      status\n    }\n  }\n': typeof types.ShellPostDocument;
  '\n  mutation SignOut {\n    signOut\n  }\n': typeof types.SignOutDocument;
  '\n  query Accounts($brandId: ID!) {\n    node(id: $brandId) {\n      id\n      ... on Brand {\n        name\n        socialAccounts {\n          id\n          platform\n          displayName\n          username\n          status\n          lastError\n          lastSyncedAt\n          connectedAt\n        }\n      }\n    }\n  }\n': typeof types.AccountsDocument;
  '\n  mutation SyncAccountNow($id: ID!) {\n    syncAccountNow(socialAccountId: $id) {\n      __typename\n      ... on MutationSyncAccountNowSuccess {\n        data {\n          id\n          lastSyncedAt\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n': typeof types.SyncAccountNowDocument;
  '\n  fragment BatchProgressFields on Batch {\n    id\n    status\n    brief\n    count\n    generatedCount\n    failedCount\n    posts(first: 50) {\n      edges {\n        node {\n          id\n          status\n          title\n          caption\n          slides {\n            position\n            heading\n            imageUrl\n          }\n        }\n      }\n    }\n  }\n': typeof types.BatchProgressFieldsFragmentDoc;
  '\n  query Batch($id: ID!) {\n    node(id: $id) {\n      id\n      ...BatchProgressFields\n    }\n  }\n': typeof types.BatchDocument;
  '\n  subscription BatchProgress($id: ID!) {\n    batchProgress(id: $id) {\n      ...BatchProgressFields\n    }\n  }\n': typeof types.BatchProgressDocument;
  '\n  query Home($organizationId: ID!, $brandId: ID!) {\n    organization(id: $organizationId) {\n      id\n      inReview: posts(brandId: $brandId, status: [IN_REVIEW], first: 100) {\n        edges {\n          node {\n            id\n          }\n        }\n      }\n      approved: posts(brandId: $brandId, status: [APPROVED], first: 20) {\n        edges {\n          node {\n            id\n            title\n            caption\n            slides {\n              position\n              heading\n            }\n          }\n        }\n      }\n      failed: publications(state: [FAILED], first: 100) {\n        edges {\n          node {\n            id\n          }\n        }\n      }\n      upcoming: publications(state: [SCHEDULED, PUBLISHING], first: 5) {\n        edges {\n          node {\n            id\n            state\n            scheduledAt\n            post {\n              id\n              title\n              caption\n            }\n            socialAccount {\n              id\n              displayName\n            }\n          }\n        }\n      }\n    }\n  }\n': typeof types.HomeDocument;
  '\n  mutation SchedulePost($id: ID!, $scheduledAt: DateTime!) {\n    schedulePost(id: $id, scheduledAt: $scheduledAt) {\n      __typename\n      ... on MutationSchedulePostSuccess {\n        data {\n          id\n          status\n          scheduledAt\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n': typeof types.SchedulePostDocument;
  '\n  query Inbox {\n    viewer {\n      id\n      notifications(first: 50) {\n        totalCount\n        edges {\n          node {\n            id\n            kind\n            subject\n            body\n            createdAt\n            readAt\n            organizationId\n          }\n        }\n      }\n    }\n  }\n': typeof types.InboxDocument;
  '\n  subscription InboxNotification($organizationId: ID!) {\n    notificationReceived(organizationId: $organizationId) {\n      id\n    }\n  }\n': typeof types.InboxNotificationDocument;
  '\n  mutation MarkNotificationsRead($ids: [ID!]!) {\n    markNotificationsRead(ids: $ids) {\n      __typename\n      ... on MutationMarkNotificationsReadSuccess {\n        data\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n': typeof types.MarkNotificationsReadDocument;
  '\n  query BatchTargets($brandId: ID!) {\n    node(id: $brandId) {\n      id\n      ... on Brand {\n        name\n        socialAccounts {\n          id\n          platform\n          displayName\n          status\n        }\n      }\n    }\n  }\n': typeof types.BatchTargetsDocument;
  '\n  mutation CreateBatch($brandId: ID!, $brief: String!, $count: Int!, $platforms: [Platform!]!) {\n    createBatch(brandId: $brandId, brief: $brief, count: $count, platforms: $platforms) {\n      __typename\n      ... on MutationCreateBatchSuccess {\n        data {\n          id\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n': typeof types.CreateBatchDocument;
  '\n  fragment PublicationRow on Publication {\n    id\n    state\n    platform\n    scheduledAt\n    publishedAt\n    failureReason\n    failureCategory\n    attemptCount\n    platformUrl\n    post {\n      id\n      title\n      caption\n    }\n    socialAccount {\n      id\n      displayName\n      username\n    }\n  }\n': typeof types.PublicationRowFragmentDoc;
  '\n  query Publications($organizationId: ID!, $state: [PublicationState!], $socialAccountId: ID) {\n    organization(id: $organizationId) {\n      id\n      publications(first: 50, state: $state, socialAccountId: $socialAccountId) {\n        edges {\n          node {\n            ...PublicationRow\n          }\n        }\n      }\n      brands(first: 20) {\n        edges {\n          node {\n            id\n            socialAccounts {\n              id\n              displayName\n              platform\n            }\n          }\n        }\n      }\n    }\n  }\n': typeof types.PublicationsDocument;
  '\n  query PublicationAttempts($id: ID!) {\n    node(id: $id) {\n      id\n      ... on Publication {\n        attempts {\n          number\n          step\n          status\n          responseCode\n          failureReason\n          failureCategory\n          startedAt\n          finishedAt\n          triggeredBy {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n': typeof types.PublicationAttemptsDocument;
  '\n  subscription PublicationChanged($organizationId: ID!) {\n    publicationChanged(organizationId: $organizationId) {\n      ...PublicationRow\n    }\n  }\n': typeof types.PublicationChangedDocument;
  '\n  mutation RetryPublication($id: ID!) {\n    retryPublication(id: $id) {\n      __typename\n      ... on MutationRetryPublicationSuccess {\n        data {\n          ...PublicationRow\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n': typeof types.RetryPublicationDocument;
  '\n  mutation CancelPublication($id: ID!) {\n    cancelPublication(id: $id) {\n      __typename\n      ... on MutationCancelPublicationSuccess {\n        data {\n          ...PublicationRow\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n': typeof types.CancelPublicationDocument;
  '\n  query ReviewQueue($organizationId: ID!, $brandId: ID!) {\n    organization(id: $organizationId) {\n      id\n      posts(brandId: $brandId, status: [IN_REVIEW], first: 20) {\n        edges {\n          node {\n            id\n            title\n            caption\n            hashtags\n            status\n            version\n            format\n            brand {\n              id\n              name\n            }\n            slides {\n              position\n              heading\n              body\n              imageUrl\n            }\n            reviews {\n              decision\n              comment\n              createdAt\n              reviewer {\n                id\n                name\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n': typeof types.ReviewQueueDocument;
  '\n  subscription ReviewPostChanged($brandId: ID!) {\n    postChanged(brandId: $brandId) {\n      id\n      status\n    }\n  }\n': typeof types.ReviewPostChangedDocument;
  '\n  mutation ApprovePost($id: ID!, $comment: String) {\n    approvePost(id: $id, comment: $comment) {\n      __typename\n      ... on MutationApprovePostSuccess {\n        data {\n          id\n          status\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n': typeof types.ApprovePostDocument;
  '\n  mutation RejectPost($id: ID!, $comment: String) {\n    rejectPost(id: $id, comment: $comment) {\n      __typename\n      ... on MutationRejectPostSuccess {\n        data {\n          id\n          status\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n': typeof types.RejectPostDocument;
  '\n  mutation SignIn($email: String!, $password: String!) {\n    signIn(email: $email, password: $password) {\n      __typename\n      ... on MutationSignInSuccess {\n        data {\n          id\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n': typeof types.SignInDocument;
  '\n  mutation SignUp($email: String!, $name: String!, $password: String!) {\n    signUp(email: $email, name: $name, password: $password) {\n      __typename\n      ... on MutationSignUpSuccess {\n        data {\n          id\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n': typeof types.SignUpDocument;
  '\n  query Viewer {\n    viewer {\n      id\n      name\n      email\n      memberships {\n        id\n        role\n        organization {\n          id\n          name\n          settings {\n            requiredApprovals\n            timezone\n          }\n          brands(first: 20) {\n            edges {\n              node {\n                id\n                name\n                accentColor\n                requiredApprovals\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n': typeof types.ViewerDocument;
};
const documents: Documents = {
  '\n  mutation CreateOrganization($name: String!, $slug: String!) {\n    createOrganization(name: $name, slug: $slug) {\n      __typename\n      ... on MutationCreateOrganizationSuccess {\n        data {\n          id\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n':
    types.CreateOrganizationDocument,
  '\n  query ShellCounts($organizationId: ID!, $brandId: ID!) {\n    organization(id: $organizationId) {\n      id\n      inReview: posts(brandId: $brandId, status: [IN_REVIEW], first: 100) {\n        edges {\n          node {\n            id\n          }\n        }\n      }\n      failed: publications(state: [FAILED], first: 100) {\n        edges {\n          node {\n            id\n          }\n        }\n      }\n    }\n    viewer {\n      id\n      notifications(first: 1, unreadOnly: true) {\n        totalCount\n      }\n    }\n  }\n':
    types.ShellCountsDocument,
  '\n  subscription ShellNotification($organizationId: ID!) {\n    notificationReceived(organizationId: $organizationId) {\n      id\n      subject\n    }\n  }\n':
    types.ShellNotificationDocument,
  '\n  subscription ShellPublication($organizationId: ID!) {\n    publicationChanged(organizationId: $organizationId) {\n      id\n      state\n      failureReason\n      failureCategory\n      attemptCount\n      publishedAt\n      platformUrl\n    }\n  }\n':
    types.ShellPublicationDocument,
  '\n  subscription ShellPost($brandId: ID!) {\n    postChanged(brandId: $brandId) {\n      id\n      status\n    }\n  }\n':
    types.ShellPostDocument,
  '\n  mutation SignOut {\n    signOut\n  }\n': types.SignOutDocument,
  '\n  query Accounts($brandId: ID!) {\n    node(id: $brandId) {\n      id\n      ... on Brand {\n        name\n        socialAccounts {\n          id\n          platform\n          displayName\n          username\n          status\n          lastError\n          lastSyncedAt\n          connectedAt\n        }\n      }\n    }\n  }\n':
    types.AccountsDocument,
  '\n  mutation SyncAccountNow($id: ID!) {\n    syncAccountNow(socialAccountId: $id) {\n      __typename\n      ... on MutationSyncAccountNowSuccess {\n        data {\n          id\n          lastSyncedAt\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n':
    types.SyncAccountNowDocument,
  '\n  fragment BatchProgressFields on Batch {\n    id\n    status\n    brief\n    count\n    generatedCount\n    failedCount\n    posts(first: 50) {\n      edges {\n        node {\n          id\n          status\n          title\n          caption\n          slides {\n            position\n            heading\n            imageUrl\n          }\n        }\n      }\n    }\n  }\n':
    types.BatchProgressFieldsFragmentDoc,
  '\n  query Batch($id: ID!) {\n    node(id: $id) {\n      id\n      ...BatchProgressFields\n    }\n  }\n':
    types.BatchDocument,
  '\n  subscription BatchProgress($id: ID!) {\n    batchProgress(id: $id) {\n      ...BatchProgressFields\n    }\n  }\n':
    types.BatchProgressDocument,
  '\n  query Home($organizationId: ID!, $brandId: ID!) {\n    organization(id: $organizationId) {\n      id\n      inReview: posts(brandId: $brandId, status: [IN_REVIEW], first: 100) {\n        edges {\n          node {\n            id\n          }\n        }\n      }\n      approved: posts(brandId: $brandId, status: [APPROVED], first: 20) {\n        edges {\n          node {\n            id\n            title\n            caption\n            slides {\n              position\n              heading\n            }\n          }\n        }\n      }\n      failed: publications(state: [FAILED], first: 100) {\n        edges {\n          node {\n            id\n          }\n        }\n      }\n      upcoming: publications(state: [SCHEDULED, PUBLISHING], first: 5) {\n        edges {\n          node {\n            id\n            state\n            scheduledAt\n            post {\n              id\n              title\n              caption\n            }\n            socialAccount {\n              id\n              displayName\n            }\n          }\n        }\n      }\n    }\n  }\n':
    types.HomeDocument,
  '\n  mutation SchedulePost($id: ID!, $scheduledAt: DateTime!) {\n    schedulePost(id: $id, scheduledAt: $scheduledAt) {\n      __typename\n      ... on MutationSchedulePostSuccess {\n        data {\n          id\n          status\n          scheduledAt\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n':
    types.SchedulePostDocument,
  '\n  query Inbox {\n    viewer {\n      id\n      notifications(first: 50) {\n        totalCount\n        edges {\n          node {\n            id\n            kind\n            subject\n            body\n            createdAt\n            readAt\n            organizationId\n          }\n        }\n      }\n    }\n  }\n':
    types.InboxDocument,
  '\n  subscription InboxNotification($organizationId: ID!) {\n    notificationReceived(organizationId: $organizationId) {\n      id\n    }\n  }\n':
    types.InboxNotificationDocument,
  '\n  mutation MarkNotificationsRead($ids: [ID!]!) {\n    markNotificationsRead(ids: $ids) {\n      __typename\n      ... on MutationMarkNotificationsReadSuccess {\n        data\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n':
    types.MarkNotificationsReadDocument,
  '\n  query BatchTargets($brandId: ID!) {\n    node(id: $brandId) {\n      id\n      ... on Brand {\n        name\n        socialAccounts {\n          id\n          platform\n          displayName\n          status\n        }\n      }\n    }\n  }\n':
    types.BatchTargetsDocument,
  '\n  mutation CreateBatch($brandId: ID!, $brief: String!, $count: Int!, $platforms: [Platform!]!) {\n    createBatch(brandId: $brandId, brief: $brief, count: $count, platforms: $platforms) {\n      __typename\n      ... on MutationCreateBatchSuccess {\n        data {\n          id\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n':
    types.CreateBatchDocument,
  '\n  fragment PublicationRow on Publication {\n    id\n    state\n    platform\n    scheduledAt\n    publishedAt\n    failureReason\n    failureCategory\n    attemptCount\n    platformUrl\n    post {\n      id\n      title\n      caption\n    }\n    socialAccount {\n      id\n      displayName\n      username\n    }\n  }\n':
    types.PublicationRowFragmentDoc,
  '\n  query Publications($organizationId: ID!, $state: [PublicationState!], $socialAccountId: ID) {\n    organization(id: $organizationId) {\n      id\n      publications(first: 50, state: $state, socialAccountId: $socialAccountId) {\n        edges {\n          node {\n            ...PublicationRow\n          }\n        }\n      }\n      brands(first: 20) {\n        edges {\n          node {\n            id\n            socialAccounts {\n              id\n              displayName\n              platform\n            }\n          }\n        }\n      }\n    }\n  }\n':
    types.PublicationsDocument,
  '\n  query PublicationAttempts($id: ID!) {\n    node(id: $id) {\n      id\n      ... on Publication {\n        attempts {\n          number\n          step\n          status\n          responseCode\n          failureReason\n          failureCategory\n          startedAt\n          finishedAt\n          triggeredBy {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n':
    types.PublicationAttemptsDocument,
  '\n  subscription PublicationChanged($organizationId: ID!) {\n    publicationChanged(organizationId: $organizationId) {\n      ...PublicationRow\n    }\n  }\n':
    types.PublicationChangedDocument,
  '\n  mutation RetryPublication($id: ID!) {\n    retryPublication(id: $id) {\n      __typename\n      ... on MutationRetryPublicationSuccess {\n        data {\n          ...PublicationRow\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n':
    types.RetryPublicationDocument,
  '\n  mutation CancelPublication($id: ID!) {\n    cancelPublication(id: $id) {\n      __typename\n      ... on MutationCancelPublicationSuccess {\n        data {\n          ...PublicationRow\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n':
    types.CancelPublicationDocument,
  '\n  query ReviewQueue($organizationId: ID!, $brandId: ID!) {\n    organization(id: $organizationId) {\n      id\n      posts(brandId: $brandId, status: [IN_REVIEW], first: 20) {\n        edges {\n          node {\n            id\n            title\n            caption\n            hashtags\n            status\n            version\n            format\n            brand {\n              id\n              name\n            }\n            slides {\n              position\n              heading\n              body\n              imageUrl\n            }\n            reviews {\n              decision\n              comment\n              createdAt\n              reviewer {\n                id\n                name\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n':
    types.ReviewQueueDocument,
  '\n  subscription ReviewPostChanged($brandId: ID!) {\n    postChanged(brandId: $brandId) {\n      id\n      status\n    }\n  }\n':
    types.ReviewPostChangedDocument,
  '\n  mutation ApprovePost($id: ID!, $comment: String) {\n    approvePost(id: $id, comment: $comment) {\n      __typename\n      ... on MutationApprovePostSuccess {\n        data {\n          id\n          status\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n':
    types.ApprovePostDocument,
  '\n  mutation RejectPost($id: ID!, $comment: String) {\n    rejectPost(id: $id, comment: $comment) {\n      __typename\n      ... on MutationRejectPostSuccess {\n        data {\n          id\n          status\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n':
    types.RejectPostDocument,
  '\n  mutation SignIn($email: String!, $password: String!) {\n    signIn(email: $email, password: $password) {\n      __typename\n      ... on MutationSignInSuccess {\n        data {\n          id\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n':
    types.SignInDocument,
  '\n  mutation SignUp($email: String!, $name: String!, $password: String!) {\n    signUp(email: $email, name: $name, password: $password) {\n      __typename\n      ... on MutationSignUpSuccess {\n        data {\n          id\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n':
    types.SignUpDocument,
  '\n  query Viewer {\n    viewer {\n      id\n      name\n      email\n      memberships {\n        id\n        role\n        organization {\n          id\n          name\n          settings {\n            requiredApprovals\n            timezone\n          }\n          brands(first: 20) {\n            edges {\n              node {\n                id\n                name\n                accentColor\n                requiredApprovals\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n':
    types.ViewerDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation CreateOrganization($name: String!, $slug: String!) {\n    createOrganization(name: $name, slug: $slug) {\n      __typename\n      ... on MutationCreateOrganizationSuccess {\n        data {\n          id\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n',
): (typeof documents)['\n  mutation CreateOrganization($name: String!, $slug: String!) {\n    createOrganization(name: $name, slug: $slug) {\n      __typename\n      ... on MutationCreateOrganizationSuccess {\n        data {\n          id\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query ShellCounts($organizationId: ID!, $brandId: ID!) {\n    organization(id: $organizationId) {\n      id\n      inReview: posts(brandId: $brandId, status: [IN_REVIEW], first: 100) {\n        edges {\n          node {\n            id\n          }\n        }\n      }\n      failed: publications(state: [FAILED], first: 100) {\n        edges {\n          node {\n            id\n          }\n        }\n      }\n    }\n    viewer {\n      id\n      notifications(first: 1, unreadOnly: true) {\n        totalCount\n      }\n    }\n  }\n',
): (typeof documents)['\n  query ShellCounts($organizationId: ID!, $brandId: ID!) {\n    organization(id: $organizationId) {\n      id\n      inReview: posts(brandId: $brandId, status: [IN_REVIEW], first: 100) {\n        edges {\n          node {\n            id\n          }\n        }\n      }\n      failed: publications(state: [FAILED], first: 100) {\n        edges {\n          node {\n            id\n          }\n        }\n      }\n    }\n    viewer {\n      id\n      notifications(first: 1, unreadOnly: true) {\n        totalCount\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  subscription ShellNotification($organizationId: ID!) {\n    notificationReceived(organizationId: $organizationId) {\n      id\n      subject\n    }\n  }\n',
): (typeof documents)['\n  subscription ShellNotification($organizationId: ID!) {\n    notificationReceived(organizationId: $organizationId) {\n      id\n      subject\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  subscription ShellPublication($organizationId: ID!) {\n    publicationChanged(organizationId: $organizationId) {\n      id\n      state\n      failureReason\n      failureCategory\n      attemptCount\n      publishedAt\n      platformUrl\n    }\n  }\n',
): (typeof documents)['\n  subscription ShellPublication($organizationId: ID!) {\n    publicationChanged(organizationId: $organizationId) {\n      id\n      state\n      failureReason\n      failureCategory\n      attemptCount\n      publishedAt\n      platformUrl\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  subscription ShellPost($brandId: ID!) {\n    postChanged(brandId: $brandId) {\n      id\n      status\n    }\n  }\n',
): (typeof documents)['\n  subscription ShellPost($brandId: ID!) {\n    postChanged(brandId: $brandId) {\n      id\n      status\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation SignOut {\n    signOut\n  }\n',
): (typeof documents)['\n  mutation SignOut {\n    signOut\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query Accounts($brandId: ID!) {\n    node(id: $brandId) {\n      id\n      ... on Brand {\n        name\n        socialAccounts {\n          id\n          platform\n          displayName\n          username\n          status\n          lastError\n          lastSyncedAt\n          connectedAt\n        }\n      }\n    }\n  }\n',
): (typeof documents)['\n  query Accounts($brandId: ID!) {\n    node(id: $brandId) {\n      id\n      ... on Brand {\n        name\n        socialAccounts {\n          id\n          platform\n          displayName\n          username\n          status\n          lastError\n          lastSyncedAt\n          connectedAt\n        }\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation SyncAccountNow($id: ID!) {\n    syncAccountNow(socialAccountId: $id) {\n      __typename\n      ... on MutationSyncAccountNowSuccess {\n        data {\n          id\n          lastSyncedAt\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n',
): (typeof documents)['\n  mutation SyncAccountNow($id: ID!) {\n    syncAccountNow(socialAccountId: $id) {\n      __typename\n      ... on MutationSyncAccountNowSuccess {\n        data {\n          id\n          lastSyncedAt\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  fragment BatchProgressFields on Batch {\n    id\n    status\n    brief\n    count\n    generatedCount\n    failedCount\n    posts(first: 50) {\n      edges {\n        node {\n          id\n          status\n          title\n          caption\n          slides {\n            position\n            heading\n            imageUrl\n          }\n        }\n      }\n    }\n  }\n',
): (typeof documents)['\n  fragment BatchProgressFields on Batch {\n    id\n    status\n    brief\n    count\n    generatedCount\n    failedCount\n    posts(first: 50) {\n      edges {\n        node {\n          id\n          status\n          title\n          caption\n          slides {\n            position\n            heading\n            imageUrl\n          }\n        }\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query Batch($id: ID!) {\n    node(id: $id) {\n      id\n      ...BatchProgressFields\n    }\n  }\n',
): (typeof documents)['\n  query Batch($id: ID!) {\n    node(id: $id) {\n      id\n      ...BatchProgressFields\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  subscription BatchProgress($id: ID!) {\n    batchProgress(id: $id) {\n      ...BatchProgressFields\n    }\n  }\n',
): (typeof documents)['\n  subscription BatchProgress($id: ID!) {\n    batchProgress(id: $id) {\n      ...BatchProgressFields\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query Home($organizationId: ID!, $brandId: ID!) {\n    organization(id: $organizationId) {\n      id\n      inReview: posts(brandId: $brandId, status: [IN_REVIEW], first: 100) {\n        edges {\n          node {\n            id\n          }\n        }\n      }\n      approved: posts(brandId: $brandId, status: [APPROVED], first: 20) {\n        edges {\n          node {\n            id\n            title\n            caption\n            slides {\n              position\n              heading\n            }\n          }\n        }\n      }\n      failed: publications(state: [FAILED], first: 100) {\n        edges {\n          node {\n            id\n          }\n        }\n      }\n      upcoming: publications(state: [SCHEDULED, PUBLISHING], first: 5) {\n        edges {\n          node {\n            id\n            state\n            scheduledAt\n            post {\n              id\n              title\n              caption\n            }\n            socialAccount {\n              id\n              displayName\n            }\n          }\n        }\n      }\n    }\n  }\n',
): (typeof documents)['\n  query Home($organizationId: ID!, $brandId: ID!) {\n    organization(id: $organizationId) {\n      id\n      inReview: posts(brandId: $brandId, status: [IN_REVIEW], first: 100) {\n        edges {\n          node {\n            id\n          }\n        }\n      }\n      approved: posts(brandId: $brandId, status: [APPROVED], first: 20) {\n        edges {\n          node {\n            id\n            title\n            caption\n            slides {\n              position\n              heading\n            }\n          }\n        }\n      }\n      failed: publications(state: [FAILED], first: 100) {\n        edges {\n          node {\n            id\n          }\n        }\n      }\n      upcoming: publications(state: [SCHEDULED, PUBLISHING], first: 5) {\n        edges {\n          node {\n            id\n            state\n            scheduledAt\n            post {\n              id\n              title\n              caption\n            }\n            socialAccount {\n              id\n              displayName\n            }\n          }\n        }\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation SchedulePost($id: ID!, $scheduledAt: DateTime!) {\n    schedulePost(id: $id, scheduledAt: $scheduledAt) {\n      __typename\n      ... on MutationSchedulePostSuccess {\n        data {\n          id\n          status\n          scheduledAt\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n',
): (typeof documents)['\n  mutation SchedulePost($id: ID!, $scheduledAt: DateTime!) {\n    schedulePost(id: $id, scheduledAt: $scheduledAt) {\n      __typename\n      ... on MutationSchedulePostSuccess {\n        data {\n          id\n          status\n          scheduledAt\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query Inbox {\n    viewer {\n      id\n      notifications(first: 50) {\n        totalCount\n        edges {\n          node {\n            id\n            kind\n            subject\n            body\n            createdAt\n            readAt\n            organizationId\n          }\n        }\n      }\n    }\n  }\n',
): (typeof documents)['\n  query Inbox {\n    viewer {\n      id\n      notifications(first: 50) {\n        totalCount\n        edges {\n          node {\n            id\n            kind\n            subject\n            body\n            createdAt\n            readAt\n            organizationId\n          }\n        }\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  subscription InboxNotification($organizationId: ID!) {\n    notificationReceived(organizationId: $organizationId) {\n      id\n    }\n  }\n',
): (typeof documents)['\n  subscription InboxNotification($organizationId: ID!) {\n    notificationReceived(organizationId: $organizationId) {\n      id\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation MarkNotificationsRead($ids: [ID!]!) {\n    markNotificationsRead(ids: $ids) {\n      __typename\n      ... on MutationMarkNotificationsReadSuccess {\n        data\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n',
): (typeof documents)['\n  mutation MarkNotificationsRead($ids: [ID!]!) {\n    markNotificationsRead(ids: $ids) {\n      __typename\n      ... on MutationMarkNotificationsReadSuccess {\n        data\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query BatchTargets($brandId: ID!) {\n    node(id: $brandId) {\n      id\n      ... on Brand {\n        name\n        socialAccounts {\n          id\n          platform\n          displayName\n          status\n        }\n      }\n    }\n  }\n',
): (typeof documents)['\n  query BatchTargets($brandId: ID!) {\n    node(id: $brandId) {\n      id\n      ... on Brand {\n        name\n        socialAccounts {\n          id\n          platform\n          displayName\n          status\n        }\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation CreateBatch($brandId: ID!, $brief: String!, $count: Int!, $platforms: [Platform!]!) {\n    createBatch(brandId: $brandId, brief: $brief, count: $count, platforms: $platforms) {\n      __typename\n      ... on MutationCreateBatchSuccess {\n        data {\n          id\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n',
): (typeof documents)['\n  mutation CreateBatch($brandId: ID!, $brief: String!, $count: Int!, $platforms: [Platform!]!) {\n    createBatch(brandId: $brandId, brief: $brief, count: $count, platforms: $platforms) {\n      __typename\n      ... on MutationCreateBatchSuccess {\n        data {\n          id\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  fragment PublicationRow on Publication {\n    id\n    state\n    platform\n    scheduledAt\n    publishedAt\n    failureReason\n    failureCategory\n    attemptCount\n    platformUrl\n    post {\n      id\n      title\n      caption\n    }\n    socialAccount {\n      id\n      displayName\n      username\n    }\n  }\n',
): (typeof documents)['\n  fragment PublicationRow on Publication {\n    id\n    state\n    platform\n    scheduledAt\n    publishedAt\n    failureReason\n    failureCategory\n    attemptCount\n    platformUrl\n    post {\n      id\n      title\n      caption\n    }\n    socialAccount {\n      id\n      displayName\n      username\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query Publications($organizationId: ID!, $state: [PublicationState!], $socialAccountId: ID) {\n    organization(id: $organizationId) {\n      id\n      publications(first: 50, state: $state, socialAccountId: $socialAccountId) {\n        edges {\n          node {\n            ...PublicationRow\n          }\n        }\n      }\n      brands(first: 20) {\n        edges {\n          node {\n            id\n            socialAccounts {\n              id\n              displayName\n              platform\n            }\n          }\n        }\n      }\n    }\n  }\n',
): (typeof documents)['\n  query Publications($organizationId: ID!, $state: [PublicationState!], $socialAccountId: ID) {\n    organization(id: $organizationId) {\n      id\n      publications(first: 50, state: $state, socialAccountId: $socialAccountId) {\n        edges {\n          node {\n            ...PublicationRow\n          }\n        }\n      }\n      brands(first: 20) {\n        edges {\n          node {\n            id\n            socialAccounts {\n              id\n              displayName\n              platform\n            }\n          }\n        }\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query PublicationAttempts($id: ID!) {\n    node(id: $id) {\n      id\n      ... on Publication {\n        attempts {\n          number\n          step\n          status\n          responseCode\n          failureReason\n          failureCategory\n          startedAt\n          finishedAt\n          triggeredBy {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n',
): (typeof documents)['\n  query PublicationAttempts($id: ID!) {\n    node(id: $id) {\n      id\n      ... on Publication {\n        attempts {\n          number\n          step\n          status\n          responseCode\n          failureReason\n          failureCategory\n          startedAt\n          finishedAt\n          triggeredBy {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  subscription PublicationChanged($organizationId: ID!) {\n    publicationChanged(organizationId: $organizationId) {\n      ...PublicationRow\n    }\n  }\n',
): (typeof documents)['\n  subscription PublicationChanged($organizationId: ID!) {\n    publicationChanged(organizationId: $organizationId) {\n      ...PublicationRow\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation RetryPublication($id: ID!) {\n    retryPublication(id: $id) {\n      __typename\n      ... on MutationRetryPublicationSuccess {\n        data {\n          ...PublicationRow\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n',
): (typeof documents)['\n  mutation RetryPublication($id: ID!) {\n    retryPublication(id: $id) {\n      __typename\n      ... on MutationRetryPublicationSuccess {\n        data {\n          ...PublicationRow\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation CancelPublication($id: ID!) {\n    cancelPublication(id: $id) {\n      __typename\n      ... on MutationCancelPublicationSuccess {\n        data {\n          ...PublicationRow\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n',
): (typeof documents)['\n  mutation CancelPublication($id: ID!) {\n    cancelPublication(id: $id) {\n      __typename\n      ... on MutationCancelPublicationSuccess {\n        data {\n          ...PublicationRow\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query ReviewQueue($organizationId: ID!, $brandId: ID!) {\n    organization(id: $organizationId) {\n      id\n      posts(brandId: $brandId, status: [IN_REVIEW], first: 20) {\n        edges {\n          node {\n            id\n            title\n            caption\n            hashtags\n            status\n            version\n            format\n            brand {\n              id\n              name\n            }\n            slides {\n              position\n              heading\n              body\n              imageUrl\n            }\n            reviews {\n              decision\n              comment\n              createdAt\n              reviewer {\n                id\n                name\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n',
): (typeof documents)['\n  query ReviewQueue($organizationId: ID!, $brandId: ID!) {\n    organization(id: $organizationId) {\n      id\n      posts(brandId: $brandId, status: [IN_REVIEW], first: 20) {\n        edges {\n          node {\n            id\n            title\n            caption\n            hashtags\n            status\n            version\n            format\n            brand {\n              id\n              name\n            }\n            slides {\n              position\n              heading\n              body\n              imageUrl\n            }\n            reviews {\n              decision\n              comment\n              createdAt\n              reviewer {\n                id\n                name\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  subscription ReviewPostChanged($brandId: ID!) {\n    postChanged(brandId: $brandId) {\n      id\n      status\n    }\n  }\n',
): (typeof documents)['\n  subscription ReviewPostChanged($brandId: ID!) {\n    postChanged(brandId: $brandId) {\n      id\n      status\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation ApprovePost($id: ID!, $comment: String) {\n    approvePost(id: $id, comment: $comment) {\n      __typename\n      ... on MutationApprovePostSuccess {\n        data {\n          id\n          status\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n',
): (typeof documents)['\n  mutation ApprovePost($id: ID!, $comment: String) {\n    approvePost(id: $id, comment: $comment) {\n      __typename\n      ... on MutationApprovePostSuccess {\n        data {\n          id\n          status\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation RejectPost($id: ID!, $comment: String) {\n    rejectPost(id: $id, comment: $comment) {\n      __typename\n      ... on MutationRejectPostSuccess {\n        data {\n          id\n          status\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n',
): (typeof documents)['\n  mutation RejectPost($id: ID!, $comment: String) {\n    rejectPost(id: $id, comment: $comment) {\n      __typename\n      ... on MutationRejectPostSuccess {\n        data {\n          id\n          status\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation SignIn($email: String!, $password: String!) {\n    signIn(email: $email, password: $password) {\n      __typename\n      ... on MutationSignInSuccess {\n        data {\n          id\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n',
): (typeof documents)['\n  mutation SignIn($email: String!, $password: String!) {\n    signIn(email: $email, password: $password) {\n      __typename\n      ... on MutationSignInSuccess {\n        data {\n          id\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  mutation SignUp($email: String!, $name: String!, $password: String!) {\n    signUp(email: $email, name: $name, password: $password) {\n      __typename\n      ... on MutationSignUpSuccess {\n        data {\n          id\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n',
): (typeof documents)['\n  mutation SignUp($email: String!, $name: String!, $password: String!) {\n    signUp(email: $email, name: $name, password: $password) {\n      __typename\n      ... on MutationSignUpSuccess {\n        data {\n          id\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n'];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(
  source: '\n  query Viewer {\n    viewer {\n      id\n      name\n      email\n      memberships {\n        id\n        role\n        organization {\n          id\n          name\n          settings {\n            requiredApprovals\n            timezone\n          }\n          brands(first: 20) {\n            edges {\n              node {\n                id\n                name\n                accentColor\n                requiredApprovals\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n',
): (typeof documents)['\n  query Viewer {\n    viewer {\n      id\n      name\n      email\n      memberships {\n        id\n        role\n        organization {\n          id\n          name\n          settings {\n            requiredApprovals\n            timezone\n          }\n          brands(first: 20) {\n            edges {\n              node {\n                id\n                name\n                accentColor\n                requiredApprovals\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n'];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> =
  TDocumentNode extends DocumentNode<infer TType, any> ? TType : never;
