import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { GovernanceActivities, RetentionCounts } from '../activities/governance.js';

// Each step is idempotent (deletes by cutoff, stable storage keys, erasures that can repeat),
// so retries are safe; a platform refusing to revoke is retried for a while before the
// request is marked FAILED for an operator.
const governance = proxyActivities<GovernanceActivities>({
  startToCloseTimeout: '10m',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '5m', maximumAttempts: 10 },
});

/** Daily (from its Schedule): each organization's retention, one activity per organization. */
export async function retentionWorkflow(): Promise<{ organizations: number; totals: RetentionCounts }> {
  const nowMs = workflowInfo().startTime.getTime();
  const organizations = await governance.listOrganizations();
  const totals: RetentionCounts = {
    accountSnapshots: 0,
    videoSnapshots: 0,
    requestLogs: 0,
    auditEvents: 0,
    media: 0,
    contactSubmissions: 0,
    departedMemberUploads: 0,
  };
  for (const organizationId of organizations) {
    const counts = await governance.applyRetention({ organizationId, nowMs });
    for (const key of Object.keys(totals) as Array<keyof RetentionCounts>) totals[key] += counts[key] ?? 0;
  }
  return { organizations: organizations.length, totals };
}

export async function exportDataWorkflow(input: { requestId: string }): Promise<{ storageKey: string }> {
  try {
    return await governance.exportData(input);
  } catch (error) {
    await governance.failRequest({ kind: 'export', requestId: input.requestId, reason: (error as Error).message });
    throw error;
  }
}

export async function deletionWorkflow(input: { requestId: string }): Promise<{ revokedAccounts: number }> {
  try {
    return await governance.deleteSubject(input);
  } catch (error) {
    await governance.failRequest({ kind: 'deletion', requestId: input.requestId, reason: (error as Error).message });
    throw error;
  }
}
