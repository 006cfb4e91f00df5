// The frame around every signed-in screen: sidebar (organization and brand switcher, the
// sections this role may use, with counts), top bar (live state, inbox, the person's menu).
import { Dialog } from '@kobalte/core/dialog';
import { DropdownMenu } from '@kobalte/core/dropdown-menu';
import { A, useLocation, useNavigate } from '@solidjs/router';
import { createMutation } from '@urql/solid';
import { createEffect, createSignal, For, on, onCleanup, Show, type ParentProps } from 'solid-js';
import { liveState, restartLive } from '../client';
import { graphql } from '../gql';
import type { Permission } from '../lib/permissions';
import { useSession } from '../session';
import { CreateOrganization, NoBrand } from './CreateOrganization';
import { createLiveQuery, Empty, onLiveEvent, Toasts } from './ui';

const ShellCountsDocument = graphql(`
  query ShellCounts($organizationId: ID!, $brandId: ID!) {
    organization(id: $organizationId) {
      id
      inReview: posts(brandId: $brandId, status: [IN_REVIEW], first: 1) {
        totalCount
      }
      failed: publications(state: [FAILED], first: 1) {
        totalCount
      }
    }
    viewer {
      id
      notifications(first: 1, unreadOnly: true) {
        totalCount
      }
    }
  }
`);

const ShellNotificationDocument = graphql(`
  subscription ShellNotification($organizationId: ID!) {
    notificationReceived(organizationId: $organizationId) {
      id
      subject
    }
  }
`);

const ShellPublicationDocument = graphql(`
  subscription ShellPublication($organizationId: ID!) {
    publicationChanged(organizationId: $organizationId) {
      id
      state
      failureReason
      failureCategory
      attemptCount
      publishedAt
      platformUrl
    }
  }
`);

const ShellPostDocument = graphql(`
  subscription ShellPost($brandId: ID!) {
    postChanged(brandId: $brandId) {
      id
      status
    }
  }
`);

const SignOutDocument = graphql(`
  mutation SignOut {
    signOut
  }
`);

interface Section {
  href: string;
  label: string;
  key: string;
  needs?: Permission;
  count?: () => number | undefined;
  countLabel?: string;
}

/** Screens that show one brand's work: without a brand there is nothing for them to show. */
function brandScoped(path: string): boolean {
  return ['/', '/batches', '/review', '/calendar', '/accounts', '/analytics', '/brand', '/library'].some(
    (prefix) => path === prefix || (prefix !== '/' && path.startsWith(`${prefix}/`)),
  );
}

export default function Shell(props: ParentProps) {
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = createSignal(false);
  const [shortcutsOpen, setShortcutsOpen] = createSignal(false);
  const organizationId = () => session.organization()?.id ?? '';
  const brandId = () => session.brand()?.id ?? '';

  const [counts, refetchCounts] = createLiveQuery({
    query: ShellCountsDocument,
    variables: () => ({ organizationId: organizationId(), brandId: brandId() }),
    pause: () => !organizationId() || !brandId(),
  });
  // Live: a count changes when what it counts changes.
  onLiveEvent(
    {
      query: ShellNotificationDocument,
      variables: () => ({ organizationId: organizationId() }),
      pause: () => !organizationId(),
    },
    () => refetchCounts(),
  );
  onLiveEvent(
    {
      query: ShellPublicationDocument,
      variables: () => ({ organizationId: organizationId() }),
      pause: () => !organizationId(),
    },
    () => refetchCounts(),
  );
  onLiveEvent({ query: ShellPostDocument, variables: () => ({ brandId: brandId() }), pause: () => !brandId() }, () =>
    refetchCounts(),
  );
  const unread = () => counts.data?.viewer?.notifications.totalCount ?? 0;
  createEffect(
    on(
      () => session.organization()?.id,
      () => setMenuOpen(false),
    ),
  );
  createEffect(
    on(
      () => location.pathname,
      () => setMenuOpen(false),
    ),
  );

  const sections: Section[] = [
    { href: '/', label: 'Home', key: 'h' },
    { href: '/batches/new', label: 'New batch', key: 'n', needs: 'posts:write' },
    {
      href: '/review',
      label: 'Review',
      key: 'r',
      needs: 'posts:review',
      count: () => counts.data?.organization?.inReview.totalCount,
      countLabel: 'waiting',
    },
    { href: '/calendar', label: 'Calendar', key: 'c' },
    {
      href: '/publications',
      label: 'Publications',
      key: 'p',
      count: () => counts.data?.organization?.failed.totalCount,
      countLabel: 'failed',
    },
    { href: '/analytics', label: 'Analytics', key: 'y', needs: 'analytics:read' },
    { href: '/library', label: 'Library', key: 'm', needs: 'media:read' },
    { href: '/accounts', label: 'Accounts', key: 'a' },
    { href: '/ads', label: 'Ads', key: 'd', needs: 'ads:read' },
    { href: '/inbox', label: 'Inbox', key: 'i', count: unread, countLabel: 'unread' },
    { href: '/messages', label: 'Messages', key: 'e', needs: 'org:manage' },
    { href: '/brand', label: 'Brand', key: 'b' },
    { href: '/team', label: 'Team', key: 't' },
    { href: '/audit', label: 'Audit', key: 'l', needs: 'audit:read' },
    { href: '/settings', label: 'Settings', key: 's', needs: 'org:manage' },
    { href: '/webhooks', label: 'Webhooks', key: 'w', needs: 'webhooks:write' },
  ];
  // Without an organization there is only home (to create one) and one's own inbox.
  const visible = () =>
    sections.filter((section) =>
      session.organization()
        ? !section.needs || session.can(section.needs)
        : section.href === '/' || section.href === '/inbox',
    );

  // `g` then a section's letter goes there (as in Linear).
  let awaitingSection = false;
  const onKey = (event: KeyboardEvent) => {
    const target = event.target as HTMLElement | null;
    if (event.metaKey || event.ctrlKey || event.altKey) return;
    if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
    if (awaitingSection) {
      awaitingSection = false;
      const section = visible().find((s) => s.key === event.key);
      if (section) navigate(section.href);
      return;
    }
    if (event.key === 'g') awaitingSection = true;
    else if (event.key === '?') setShortcutsOpen(true);
  };
  document.addEventListener('keydown', onKey);
  onCleanup(() => document.removeEventListener('keydown', onKey));

  const [, signOut] = createMutation(SignOutDocument);
  const doSignOut = async () => {
    const result = await signOut({});
    if (result.error) return;
    restartLive();
    await session.reload();
    navigate('/sign-in');
  };

  return (
    <div class="app" classList={{ 'menu-open': menuOpen() }}>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <aside class="sidebar" id="sidebar" aria-label="Sections">
        <Show when={session.organization()}>
          <div class="switcher">
            <label class="visually-hidden" for="organization-switcher">
              Organization
            </label>
            <select
              id="organization-switcher"
              class="select"
              value={organizationId()}
              onChange={(event) => session.chooseOrganization(event.currentTarget.value)}
            >
              <For each={session.viewer()?.memberships ?? []}>
                {(membership) => <option value={membership.organization.id}>{membership.organization.name}</option>}
              </For>
            </select>
            <Show when={session.brands().length > 0}>
              <label class="visually-hidden" for="brand-switcher">
                Brand
              </label>
              <select
                id="brand-switcher"
                class="select"
                value={brandId()}
                onChange={(event) => session.chooseBrand(event.currentTarget.value)}
              >
                <For each={session.brands()}>{(brand) => <option value={brand.id}>{brand.name}</option>}</For>
              </select>
            </Show>
          </div>
        </Show>
        <nav aria-label="Main">
          <ul class="nav">
            <For each={visible()}>
              {(section) => (
                <li>
                  <A href={section.href} end={section.href === '/'} activeClass="active" class="nav-link">
                    <span>{section.label}</span>
                    <Show when={section.count?.()}>
                      {(count) => (
                        <span class="nav-count" aria-label={`${count()} ${section.countLabel}`}>
                          {count() >= 100 ? '99+' : count()}
                        </span>
                      )}
                    </Show>
                  </A>
                </li>
              )}
            </For>
          </ul>
        </nav>
      </aside>
      <div class="main-column">
        <header class="topbar">
          <button
            type="button"
            class="icon-button menu-button"
            aria-controls="sidebar"
            aria-expanded={menuOpen()}
            onClick={() => setMenuOpen(!menuOpen())}
          >
            <span aria-hidden="true">☰</span>
            <span class="visually-hidden">Menu</span>
          </button>
          <span class="brand-mark">Pressroom</span>
          <div class="topbar-right">
            <Show when={liveState() === 'reconnecting'}>
              <span class="live-state" role="status">
                Reconnecting…
              </span>
            </Show>
            <A href="/inbox" class="icon-button bell" aria-label={`Inbox, ${unread()} unread`}>
              <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
                <path
                  fill="currentColor"
                  d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z"
                />
              </svg>
              <Show when={unread() > 0}>
                <span class="bell-count" data-testid="unread-count">
                  {unread()}
                </span>
              </Show>
            </A>
            <DropdownMenu>
              <DropdownMenu.Trigger class="person-button" aria-label="Your account">
                <span class="avatar" aria-hidden="true">
                  {(session.viewer()?.name ?? '?').slice(0, 1).toUpperCase()}
                </span>
              </DropdownMenu.Trigger>
              <DropdownMenu.Portal>
                <DropdownMenu.Content class="menu">
                  <div class="menu-header">
                    <strong>{session.viewer()?.name}</strong>
                    <span class="muted">{session.viewer()?.email}</span>
                    <span class="muted">{session.role()?.toLowerCase()}</span>
                  </div>
                  <DropdownMenu.Item class="menu-item" onSelect={() => void doSignOut()}>
                    Sign out
                  </DropdownMenu.Item>
                </DropdownMenu.Content>
              </DropdownMenu.Portal>
            </DropdownMenu>
          </div>
        </header>
        <main id="main" class="content" tabindex="-1">
          <Show
            when={session.organization() || location.pathname === '/accept-invite'}
            fallback={
              <Empty title="You are not a member of any organization yet.">
                <p class="muted">Ask an owner to invite you, or create your own organization.</p>
                <CreateOrganization />
              </Empty>
            }
          >
            <Show when={session.brand() || !brandScoped(location.pathname)} fallback={<NoBrand />}>
              {props.children}
            </Show>
          </Show>
        </main>
      </div>
      <Dialog open={shortcutsOpen()} onOpenChange={setShortcutsOpen}>
        <Dialog.Portal>
          <Dialog.Overlay class="overlay" />
          <div class="dialog-position">
            <Dialog.Content class="dialog">
              <Dialog.Title class="dialog-title">Keyboard shortcuts</Dialog.Title>
              <dl class="facts shortcuts">
                <For each={visible()}>
                  {(section) => (
                    <>
                      <dt>
                        <kbd>g</kbd> <kbd>{section.key}</kbd>
                      </dt>
                      <dd>Go to {section.label.toLowerCase()}</dd>
                    </>
                  )}
                </For>
                <Show when={session.can('posts:review')}>
                  <dt>
                    <kbd>j</kbd> <kbd>k</kbd>
                  </dt>
                  <dd>Next / previous post in review</dd>
                  <dt>
                    <kbd>a</kbd> <kbd>r</kbd>
                  </dt>
                  <dd>Approve / reject it</dd>
                  <dt>
                    <kbd>c</kbd>
                  </dt>
                  <dd>Write a review comment</dd>
                </Show>
                <dt>
                  <kbd>Esc</kbd>
                </dt>
                <dd>Close a drawer or dialog</dd>
              </dl>
              <div class="dialog-actions">
                <Dialog.CloseButton class="button" aria-label="Close">
                  Close
                </Dialog.CloseButton>
              </div>
            </Dialog.Content>
          </div>
        </Dialog.Portal>
      </Dialog>
      <Toasts />
    </div>
  );
}
