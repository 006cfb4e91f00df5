import {
  condition,
  continueAsNew,
  defineSignal,
  getExternalWorkflowHandle,
  log,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';

// One rate gate per (platform, account token, endpoint class): a long-running workflow that
// hands out permits one at a time, in the order they were asked for. The next permit is
// granted only `intervalMs` after the holder released the previous one, i.e. after the
// platform had answered it, so calls ARRIVE at the platform at least intervalMs apart however
// late or slow a holder was: with intervalMs = window / limit the platform never counts more
// than `limit` calls in any sliding window. Waiting is a durable timer on the requester's
// side, so a queue of 100 publications costs no polling.

export interface PermitRequest {
  requesterWorkflowId: string;
  requestId: string;
}

export interface RateGateInput {
  key: string;
  intervalMs: number;
  /** A holder that neither releases nor answers within this is presumed gone. */
  leaseMs: number;
  /** The gate ends after this long with nobody waiting; the next request starts it again. */
  idleMs: number;
  /** Carried over continue-as-new. */
  queue?: PermitRequest[];
}

export const requestPermitSignal = defineSignal<[PermitRequest]>('requestPermit');
/** Sent by a holder when its call is answered, or by a waiter that no longer needs the permit. */
export const releasePermitSignal = defineSignal<[{ requestId: string }]>('releasePermit');
/** Sent by the gate to the requester's workflow. */
export const permitGrantedSignal = defineSignal<[{ requestId: string }]>('permitGranted');

export function rateGateWorkflowId(key: string): string {
  return `rate-gate:${key}`;
}

// History stays small: each permit is a handful of events; continue well before the limits.
const grantsPerRun = 300;

export async function rateGateWorkflow(input: RateGateInput): Promise<void> {
  const queue: PermitRequest[] = [...(input.queue ?? [])];
  const released = new Set<string>();
  setHandler(requestPermitSignal, (request) => {
    if (!queue.some((queued) => queued.requestId === request.requestId)) queue.push(request);
  });
  setHandler(releasePermitSignal, ({ requestId }) => {
    const index = queue.findIndex((queued) => queued.requestId === requestId);
    if (index >= 0) queue.splice(index, 1);
    else released.add(requestId);
  });

  for (let grants = 0; ; grants++) {
    if (grants >= grantsPerRun || workflowInfo().continueAsNewSuggested) {
      return continueAsNew<typeof rateGateWorkflow>({ ...input, queue });
    }
    if (!(await condition(() => queue.length > 0, input.idleMs))) return;
    const next = queue.shift()!;
    released.clear();
    try {
      await getExternalWorkflowHandle(next.requesterWorkflowId).signal(permitGrantedSignal, {
        requestId: next.requestId,
      });
    } catch (error) {
      // The requester finished meanwhile: nobody will use this permit.
      log.warn('rate gate: requester is gone', { key: input.key, error: (error as Error).message });
      continue;
    }
    if (!(await condition(() => released.has(next.requestId), input.leaseMs))) {
      log.warn('rate gate: lease expired without a release', { key: input.key, requestId: next.requestId });
    }
    await sleep(input.intervalMs);
  }
}
