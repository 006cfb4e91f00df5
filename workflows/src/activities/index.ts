import type { Database } from '@pressroom/db';

export interface ActivityDependencies {
  db: Database;
}

/**
 * Activities are built from their dependencies so tests can hand in their own. The domain
 * activities (generate, publish, sync, retention...) are added here as they land.
 */
export function createActivities(_deps: ActivityDependencies) {
  return {};
}

export type Activities = ReturnType<typeof createActivities>;
