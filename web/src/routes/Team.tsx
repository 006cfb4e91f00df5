// Team: members and their roles, invites, and API tokens (a token's secret is shown once).
// Managing people and tokens is offered only to roles that may (members:manage, tokens:manage).
import { createMutation } from '@urql/solid';
import { createSignal, For, Show } from 'solid-js';
import {
  ConfirmButton,
  createLiveQuery,
  DialogActions,
  Empty,
  Field,
  FormDialog,
  notify,
  notifyProblem,
  PageHeader,
  ProblemNotice,
  Skeleton,
  Time,
} from '../components/ui';
import { graphql } from '../gql';
import type { ApiTokenScope, Role } from '../gql/graphql';
import { outcomeOf, problemOf } from '../lib/errors';
import { textOf } from '../lib/forms';
import { useSession } from '../session';
import './team.css';

const MembersDocument = graphql(`
  query TeamMembers($organizationId: ID!) {
    organization(id: $organizationId) {
      id
      settings {
        departedMemberMediaRetentionDays
      }
      members(first: 100) {
        edges {
          node {
            id
            role
            firstName
            lastName
            createdAt
            user {
              id
              name
              email
            }
          }
        }
      }
    }
  }
`);

const UpdateProfileDocument = graphql(`
  mutation UpdateMemberProfile($membershipId: ID!, $firstName: String, $lastName: String) {
    updateMemberProfile(membershipId: $membershipId, firstName: $firstName, lastName: $lastName) {
      __typename
      ... on MutationUpdateMemberProfileSuccess {
        data {
          id
          firstName
          lastName
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const InvitesDocument = graphql(`
  query TeamInvites($organizationId: ID!) {
    organization(id: $organizationId) {
      id
      invites(first: 100) {
        edges {
          node {
            id
            email
            role
            createdAt
            expiresAt
            acceptedAt
            revokedAt
          }
        }
      }
    }
  }
`);

const TokensDocument = graphql(`
  query TeamTokens($organizationId: ID!) {
    organization(id: $organizationId) {
      id
      apiTokens(first: 100) {
        edges {
          node {
            id
            name
            prefix
            scopes
            createdAt
            lastUsedAt
            expiresAt
            revokedAt
          }
        }
      }
    }
  }
`);

const ChangeRoleDocument = graphql(`
  mutation ChangeMemberRole($membershipId: ID!, $role: Role!) {
    changeMemberRole(membershipId: $membershipId, role: $role) {
      __typename
      ... on MutationChangeMemberRoleSuccess {
        data {
          id
          role
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const RemoveMemberDocument = graphql(`
  mutation RemoveMember($membershipId: ID!) {
    removeMember(membershipId: $membershipId) {
      __typename
      ... on MutationRemoveMemberSuccess {
        data
      }
      ... on Error {
        message
      }
    }
  }
`);

const InviteDocument = graphql(`
  mutation InviteMember($organizationId: ID!, $email: String!, $role: Role!) {
    inviteMember(organizationId: $organizationId, email: $email, role: $role) {
      __typename
      ... on MutationInviteMemberSuccess {
        data {
          invite {
            id
          }
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const RevokeInviteDocument = graphql(`
  mutation RevokeInvite($id: ID!) {
    revokeInvite(id: $id) {
      __typename
      ... on MutationRevokeInviteSuccess {
        data {
          id
          revokedAt
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const CreateTokenDocument = graphql(`
  mutation CreateApiToken($organizationId: ID!, $name: String!, $scopes: [ApiTokenScope!]!) {
    createApiToken(organizationId: $organizationId, name: $name, scopes: $scopes) {
      __typename
      ... on MutationCreateApiTokenSuccess {
        data {
          token
          apiToken {
            id
          }
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const RevokeTokenDocument = graphql(`
  mutation RevokeApiToken($id: ID!) {
    revokeApiToken(id: $id) {
      __typename
      ... on MutationRevokeApiTokenSuccess {
        data {
          id
          revokedAt
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const roles: Role[] = ['OWNER', 'ADMIN', 'EDITOR', 'REVIEWER', 'ANALYST'];
// Every scope the api offers, in the order people look for them; `satisfies` makes the build
// fail when the api adds a scope this list does not offer yet.
const scopeOrder = {
  POSTS_READ: true,
  POSTS_WRITE: true,
  POSTS_REVIEW: true,
  POSTS_SCHEDULE: true,
  PUBLISH_RETRY: true,
  BRANDS_READ: true,
  BRANDS_WRITE: true,
  MEDIA_READ: true,
  MEDIA_WRITE: true,
  AI_USE: true,
  ANALYTICS_READ: true,
  ADS_READ: true,
  ADS_BULK: true,
  ADS_ALERTS: true,
  WEBHOOKS_READ: true,
  WEBHOOKS_WRITE: true,
  MEMBERS_READ: true,
  ORG_READ: true,
  AUDIT_READ: true,
} satisfies Record<ApiTokenScope, true>;
const scopes = (Object.keys(scopeOrder) as ApiTokenScope[]).map((value) => ({
  value,
  // POSTS_READ is shown as the api names it: posts:read.
  label: value.toLowerCase().replace('_', ':'),
}));
const roleName = (role: string) => role[0] + role.slice(1).toLowerCase();

interface MemberRow {
  id: string;
  firstName?: string | null;
  lastName?: string | null;
  user: { name: string; email: string };
}

/** The staff record's names when someone has set them, else the account's display name. */
const displayName = (member: MemberRow) =>
  [member.firstName, member.lastName].filter(Boolean).join(' ') || member.user.name || member.user.email;

/** First and last name of a staff record: each member edits their own, members:manage anyone's. */
function EditNames(props: { member: MemberRow; onSaved: () => void }) {
  const [open, setOpen] = createSignal(false);
  const [saving, setSaving] = createSignal(false);
  const [problem, setProblem] = createSignal<ReturnType<typeof problemOf> | null>(null);
  const [, update] = createMutation(UpdateProfileDocument);
  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setSaving(true);
    const answer = await update({
      membershipId: props.member.id,
      firstName: textOf(form, 'firstName'),
      lastName: textOf(form, 'lastName'),
    });
    setSaving(false);
    const outcome = outcomeOf(answer, answer.data?.updateMemberProfile);
    if (!outcome.ok) return setProblem(outcome.problem);
    setOpen(false);
    notify('Names saved');
    props.onSaved();
  };
  return (
    <FormDialog
      open={open()}
      onOpenChange={(isOpen) => {
        setOpen(isOpen);
        if (!isOpen) setProblem(null);
      }}
      trigger="Edit names"
      triggerClass="button small"
      triggerAriaLabel={`Edit names of ${displayName(props.member)}`}
      title={<>Names of {displayName(props.member)}</>}
      description="The staff record's first and last name in this organization. Leave one empty to clear it."
    >
      <form class="form" onSubmit={(event) => void onSubmit(event)}>
        <Field label="First name" for="member-first-name">
          <input
            id="member-first-name"
            name="firstName"
            class="input"
            maxLength={100}
            autocomplete="off"
            value={props.member.firstName ?? ''}
          />
        </Field>
        <Field label="Last name" for="member-last-name">
          <input
            id="member-last-name"
            name="lastName"
            class="input"
            maxLength={100}
            autocomplete="off"
            value={props.member.lastName ?? ''}
          />
        </Field>
        <Show when={problem()}>{(shown) => <ProblemNotice problem={shown()} />}</Show>
        <DialogActions submit="Save" disabled={saving()} />
      </form>
    </FormDialog>
  );
}

export default function Team() {
  const session = useSession();
  const organizationId = () => session.organization()?.id ?? '';
  const manageMembers = () => session.can('members:manage');
  const manageTokens = () => session.can('tokens:manage');

  const [members, refetchMembers] = createLiveQuery({
    query: MembersDocument,
    variables: () => ({ organizationId: organizationId() }),
    pause: () => !organizationId(),
  });
  const [invites, refetchInvites] = createLiveQuery({
    query: InvitesDocument,
    variables: () => ({ organizationId: organizationId() }),
    pause: () => !organizationId() || !manageMembers(),
  });
  const [tokens, refetchTokens] = createLiveQuery({
    query: TokensDocument,
    variables: () => ({ organizationId: organizationId() }),
    pause: () => !organizationId() || !manageTokens(),
  });

  const [, changeRole] = createMutation(ChangeRoleDocument);
  const [, removeMember] = createMutation(RemoveMemberDocument);
  const [inviting, invite] = createMutation(InviteDocument);
  const [, revokeInvite] = createMutation(RevokeInviteDocument);
  const [creating, createToken] = createMutation(CreateTokenDocument);
  const [, revokeToken] = createMutation(RevokeTokenDocument);

  const [inviteEmail, setInviteEmail] = createSignal('');
  const [inviteRole, setInviteRole] = createSignal<Role>('EDITOR');
  const [tokenName, setTokenName] = createSignal('');
  const [tokenScopes, setTokenScopes] = createSignal<ApiTokenScope[]>(['POSTS_READ']);
  const [secret, setSecret] = createSignal<string | null>(null);

  const departedDays = () => members.data?.organization?.settings?.departedMemberMediaRetentionDays ?? 30;
  const memberRows = () => members.data?.organization?.members.edges.map((edge) => edge.node) ?? [];
  const pendingInvites = () =>
    (invites.data?.organization?.invites.edges.map((edge) => edge.node) ?? []).filter(
      (row) => !row.acceptedAt && !row.revokedAt,
    );
  const liveTokens = () =>
    (tokens.data?.organization?.apiTokens.edges.map((edge) => edge.node) ?? []).filter((row) => !row.revokedAt);

  const onRole = async (membershipId: string, role: Role) => {
    const answer = await changeRole({ membershipId, role });
    const outcome = outcomeOf(answer, answer.data?.changeMemberRole);
    if (!outcome.ok) return notifyProblem(outcome.problem);
    notify(`Role changed to ${roleName(role)}`);
    refetchMembers();
  };
  const onRemove = async (membershipId: string, name: string) => {
    const answer = await removeMember({ membershipId });
    const outcome = outcomeOf(answer, answer.data?.removeMember);
    if (!outcome.ok) return notifyProblem(outcome.problem);
    notify(`${name} removed`);
    refetchMembers();
  };
  const onInvite = async (event: SubmitEvent) => {
    event.preventDefault();
    const answer = await invite({ organizationId: organizationId(), email: inviteEmail(), role: inviteRole() });
    const outcome = outcomeOf(answer, answer.data?.inviteMember);
    if (!outcome.ok) return notifyProblem(outcome.problem);
    notify(`Invitation sent to ${inviteEmail()}`);
    setInviteEmail('');
    refetchInvites();
  };
  const onRevokeInvite = async (id: string) => {
    const answer = await revokeInvite({ id });
    const outcome = outcomeOf(answer, answer.data?.revokeInvite);
    if (!outcome.ok) return notifyProblem(outcome.problem);
    notify('Invitation revoked');
    refetchInvites();
  };
  const onCreateToken = async (event: SubmitEvent) => {
    event.preventDefault();
    const answer = await createToken({ organizationId: organizationId(), name: tokenName(), scopes: tokenScopes() });
    const outcome = outcomeOf(answer, answer.data?.createApiToken);
    if (!outcome.ok) return notifyProblem(outcome.problem);
    setSecret(outcome.data.token);
    setTokenName('');
    refetchTokens();
  };
  const onRevokeToken = async (id: string, name: string) => {
    const answer = await revokeToken({ id });
    const outcome = outcomeOf(answer, answer.data?.revokeApiToken);
    if (!outcome.ok) return notifyProblem(outcome.problem);
    notify(`Token “${name}” revoked`);
    refetchTokens();
  };

  return (
    <>
      <PageHeader title="Team" />
      <section class="card team-section" aria-labelledby="members-title">
        <h2 class="section-title" id="members-title">
          Members
        </h2>
        <Show
          when={!members.error}
          fallback={<ProblemNotice problem={problemOf(members.error!)} onRetry={refetchMembers} />}
        >
          <Show when={members.data} fallback={<Skeleton rows={4} label="Loading members" />}>
            <table class="table responsive" aria-label="Members">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                  <th scope="col">Joined</th>
                  <th scope="col" class="actions">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                <For each={memberRows()}>
                  {(member) => {
                    const self = () => member.user.id === session.viewer()?.id;
                    return (
                      <tr data-member={member.user.email}>
                        <td>
                          {displayName(member)}
                          <Show when={(member.firstName || member.lastName) && member.user.name}>
                            <span class="member-account-name">Account: {member.user.name}</span>
                          </Show>
                        </td>
                        <td data-label="Email">{member.user.email}</td>
                        <td data-label="Role">
                          <Show when={manageMembers() && !self()} fallback={roleName(member.role)}>
                            <select
                              class="select"
                              aria-label={`Role of ${member.user.name || member.user.email}`}
                              value={member.role}
                              onChange={(event) => void onRole(member.id, event.currentTarget.value as Role)}
                            >
                              <For each={roles}>{(role) => <option value={role}>{roleName(role)}</option>}</For>
                            </select>
                          </Show>
                        </td>
                        <td data-label="Joined">
                          <Time at={member.createdAt} />
                        </td>
                        <td class="actions">
                          <Show when={manageMembers() || self()}>
                            <EditNames member={member} onSaved={refetchMembers} />
                          </Show>
                          <Show when={manageMembers() && !self()}>
                            <ConfirmButton
                              label="Remove"
                              title={`Remove ${displayName(member)}?`}
                              description={`They lose access to this organization at once; their past work stays. Their uploads to the media library are deleted after ${departedDays()} days unless they rejoin first.`}
                              confirmLabel="Remove"
                              onConfirm={() => onRemove(member.id, displayName(member))}
                            />
                          </Show>
                        </td>
                      </tr>
                    );
                  }}
                </For>
              </tbody>
            </table>
          </Show>
        </Show>
      </section>

      <Show when={manageMembers()}>
        <section class="card team-section" aria-labelledby="invites-title">
          <h2 class="section-title" id="invites-title">
            Invitations
          </h2>
          <form class="inline-form team-form" onSubmit={(event) => void onInvite(event)}>
            <Field label="Email" for="invite-email">
              <input
                id="invite-email"
                class="input"
                type="email"
                required
                value={inviteEmail()}
                onInput={(event) => setInviteEmail(event.currentTarget.value)}
              />
            </Field>
            <Field label="Role" for="invite-role">
              <select
                id="invite-role"
                class="select"
                value={inviteRole()}
                onChange={(event) => setInviteRole(event.currentTarget.value as Role)}
              >
                <For each={roles}>{(role) => <option value={role}>{roleName(role)}</option>}</For>
              </select>
            </Field>
            <button type="submit" class="button primary" disabled={inviting.fetching}>
              Invite
            </button>
          </form>
          <Show
            when={!invites.error}
            fallback={<ProblemNotice problem={problemOf(invites.error!)} onRetry={refetchInvites} />}
          >
            <Show when={invites.data} fallback={<Skeleton rows={2} label="Loading invitations" />}>
              <Show
                when={pendingInvites().length > 0}
                fallback={<p class="muted">No open invitations. Invite someone by email above.</p>}
              >
                <ul class="list" aria-label="Open invitations">
                  <For each={pendingInvites()}>
                    {(row) => (
                      <li class="list-row" data-invite={row.email}>
                        <span class="list-title">{row.email}</span>
                        <span>{roleName(row.role)}</span>
                        <span class="muted small">
                          expires <Time at={row.expiresAt} />
                        </span>
                        <ConfirmButton
                          label="Revoke"
                          title={`Revoke the invitation to ${row.email}?`}
                          description="The link in their mail stops working."
                          confirmLabel="Revoke"
                          onConfirm={() => onRevokeInvite(row.id)}
                        />
                      </li>
                    )}
                  </For>
                </ul>
              </Show>
            </Show>
          </Show>
        </section>
      </Show>

      <Show when={manageTokens()}>
        <section class="card team-section" aria-labelledby="tokens-title">
          <h2 class="section-title" id="tokens-title">
            API tokens
          </h2>
          <Show when={secret()}>
            {(token) => (
              <div class="banner token-secret" role="status">
                <p>
                  <strong>Copy this token now.</strong> It is shown once; only its hash is kept.
                </p>
                <code data-testid="token-secret">{token()}</code>
                <div class="form-actions">
                  <button
                    type="button"
                    class="button"
                    onClick={() => void navigator.clipboard?.writeText(token()).then(() => notify('Copied'))}
                  >
                    Copy
                  </button>
                  <button type="button" class="button" onClick={() => setSecret(null)}>
                    Done
                  </button>
                </div>
              </div>
            )}
          </Show>
          <form class="form" onSubmit={(event) => void onCreateToken(event)}>
            <Field label="Token name" for="token-name">
              <input
                id="token-name"
                class="input"
                required
                value={tokenName()}
                onInput={(event) => setTokenName(event.currentTarget.value)}
              />
            </Field>
            <fieldset class="scopes">
              <legend>Scopes</legend>
              <For each={scopes}>
                {(scope) => (
                  <label class="check">
                    <input
                      type="checkbox"
                      checked={tokenScopes().includes(scope.value)}
                      onChange={(event) =>
                        setTokenScopes(
                          event.currentTarget.checked
                            ? [...tokenScopes(), scope.value]
                            : tokenScopes().filter((value) => value !== scope.value),
                        )
                      }
                    />
                    <code>{scope.label}</code>
                  </label>
                )}
              </For>
            </fieldset>
            <div class="form-actions">
              <button type="submit" class="button primary" disabled={creating.fetching || tokenScopes().length === 0}>
                Create token
              </button>
            </div>
          </form>
          <Show
            when={!tokens.error}
            fallback={<ProblemNotice problem={problemOf(tokens.error!)} onRetry={refetchTokens} />}
          >
            <Show when={tokens.data} fallback={<Skeleton rows={2} label="Loading tokens" />}>
              <Show
                when={liveTokens().length > 0}
                fallback={
                  <Empty title="No API tokens.">{<p class="muted">Create one above for scripts and the SDK.</p>}</Empty>
                }
              >
                <table class="table responsive" aria-label="API tokens">
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Prefix</th>
                      <th scope="col">Scopes</th>
                      <th scope="col">Last used</th>
                      <th scope="col" class="actions">
                        <span class="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={liveTokens()}>
                      {(row) => (
                        <tr data-token={row.name}>
                          <td>{row.name}</td>
                          <td data-label="Prefix">
                            <code>{row.prefix}…</code>
                          </td>
                          <td data-label="Scopes" class="small">
                            {row.scopes.join(', ')}
                          </td>
                          <td data-label="Last used">
                            <Time at={row.lastUsedAt} fallback="never" />
                          </td>
                          <td class="actions">
                            <ConfirmButton
                              label="Revoke"
                              title={`Revoke “${row.name}”?`}
                              description="Anything using it is refused from now on. This cannot be undone."
                              confirmLabel="Revoke token"
                              onConfirm={() => onRevokeToken(row.id, row.name)}
                            />
                          </td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </Show>
            </Show>
          </Show>
        </section>
      </Show>
    </>
  );
}
