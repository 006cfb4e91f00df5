// Who is signed in, and which organization and brand they are looking at (remembered in
// localStorage, so the dashboard opens where they left it).
import { createQuery, useClient } from '@urql/solid';
import { createContext, createEffect, createMemo, createSignal, useContext, type ParentProps } from 'solid-js';
import { graphql } from './gql';
import type { ViewerQuery } from './gql/graphql';
import { problemOf, type Problem } from './lib/errors';
import type { Permission, Role } from './lib/permissions';

export const ViewerDocument = graphql(`
  query Viewer {
    viewer {
      id
      name
      email
      memberships {
        id
        role
        permissions
        organization {
          id
          name
          settings {
            requiredApprovals
            timezone
          }
          brands(first: 20) {
            edges {
              node {
                id
                name
                accentColor
                requiredApprovals
              }
            }
          }
        }
      }
    }
  }
`);

type Viewer = NonNullable<ViewerQuery['viewer']>;
export type Membership = Viewer['memberships'][number];
export type Brand = Membership['organization']['brands']['edges'][number]['node'];

const organizationKey = 'pressroom.organization';
const brandKey = 'pressroom.brand';

function remembered(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function remember(key: string, value: string) {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Private windows may refuse storage; the choice then lasts for this page only.
  }
}

function createSession() {
  const client = useClient();
  const [viewerResult, refetchViewer] = createQuery({ query: ViewerDocument, requestPolicy: 'cache-and-network' });
  const [chosenOrganization, setChosenOrganization] = createSignal(remembered(organizationKey));
  const [chosenBrand, setChosenBrand] = createSignal(remembered(brandKey));

  const viewer = () => viewerResult.data?.viewer ?? null;
  const loading = () => viewerResult.fetching && viewerResult.data === undefined;
  const problem = (): Problem | null => (viewerResult.error ? problemOf(viewerResult.error) : null);
  const membership = createMemo(() => {
    const memberships = viewer()?.memberships ?? [];
    return memberships.find((m) => m.organization.id === chosenOrganization()) ?? memberships[0] ?? null;
  });
  const brands = () => membership()?.organization.brands.edges.map((edge) => edge.node) ?? [];
  const brand = createMemo(() => brands().find((b) => b.id === chosenBrand()) ?? brands()[0] ?? null);

  // Keep the remembered choice when it still exists, else the first one.
  createEffect(() => {
    const current = membership();
    if (current) remember(organizationKey, current.organization.id);
  });
  createEffect(() => {
    const current = brand();
    if (current) remember(brandKey, current.id);
  });

  return {
    viewer,
    loading,
    problem,
    membership,
    organization: () => membership()?.organization ?? null,
    role: (): Role | null => membership()?.role ?? null,
    brands,
    brand,
    can: (permission: Permission) => membership()?.permissions.includes(permission) ?? false,
    requiredApprovals: () => brand()?.requiredApprovals ?? membership()?.organization.settings?.requiredApprovals ?? 1,
    chooseOrganization: (id: string) => {
      setChosenOrganization(id);
      setChosenBrand(null);
    },
    chooseBrand: (id: string) => setChosenBrand(id),
    refetch: () => refetchViewer({ requestPolicy: 'network-only' }),
    /** Reads the viewer again (after signing in or out) and resolves once the screen knows. */
    reload: async () => {
      await client.query(ViewerDocument, {}, { requestPolicy: 'network-only' }).toPromise();
    },
  };
}

export type Session = ReturnType<typeof createSession>;
const SessionContext = createContext<Session>();

export function SessionProvider(props: ParentProps) {
  const session = createSession();
  return <SessionContext.Provider value={session}>{props.children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
