import {
  condition,
  continueAsNew,
  defineSignal,
  getExternalWorkflowHandle,
  log,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';

// One rate gate per (platform, account token, endpoint class): a long-running workflow that
// hands out permits one at a time, in the order they were asked for. Each permit carries a
// `notBeforeMs`: `intervalMs` after the previous holder's call was answered (the holder
// reports that time when it releases). The holder's activity waits until then before it
// sends, so calls ARRIVE at the platform at least intervalMs apart however late or slow a
// holder was: with intervalMs = window / limit the platform never counts more than `limit`
// calls in any sliding window. The gate itself sets no timers (the dev server's timers are
// coarse, about a second), and a queue of 100 publications costs no polling: each waiter
// waits on a signal.

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
  lastAnsweredAtMs?: number;
}

export const requestPermitSignal = defineSignal<[PermitRequest]>('requestPermit');
/**
 * Sent by a holder once its call was answered (`answeredAtMs`, no earlier than the answer), or
 * by a waiter that no longer needs the permit.
 */
export const releasePermitSignal = defineSignal<[{ requestId: string; answeredAtMs?: number }]>('releasePermit');
/** Sent by the gate to the requester's workflow: it may call at `notBeforeMs` (epoch ms) or later. */
export const permitGrantedSignal = defineSignal<[{ requestId: string; notBeforeMs: number }]>('permitGranted');

export function rateGateWorkflowId(key: string): string {
  return `rate-gate:${key}`;
}

// History stays small: each permit is a handful of events; continue well before the limits.
const grantsPerRun = 300;

export async function rateGateWorkflow(input: RateGateInput): Promise<void> {
  const queue: PermitRequest[] = [...(input.queue ?? [])];
  const released = new Map<string, number | undefined>();
  let lastAnsweredAtMs = input.lastAnsweredAtMs ?? 0;
  setHandler(requestPermitSignal, (request) => {
    if (!queue.some((queued) => queued.requestId === request.requestId)) queue.push(request);
  });
  setHandler(releasePermitSignal, ({ requestId, answeredAtMs }) => {
    const index = queue.findIndex((queued) => queued.requestId === requestId);
    if (index >= 0) queue.splice(index, 1);
    else released.set(requestId, answeredAtMs);
  });

  for (let grants = 0; ; grants++) {
    if (grants >= grantsPerRun || workflowInfo().continueAsNewSuggested) {
      return continueAsNew<typeof rateGateWorkflow>({ ...input, queue, lastAnsweredAtMs });
    }
    if (!(await condition(() => queue.length > 0, input.idleMs))) return;
    const next = queue.shift()!;
    released.clear();
    try {
      await getExternalWorkflowHandle(next.requesterWorkflowId).signal(permitGrantedSignal, {
        requestId: next.requestId,
        notBeforeMs: lastAnsweredAtMs + input.intervalMs,
      });
    } catch (error) {
      // The requester finished meanwhile: nobody will use this permit.
      log.warn('rate gate: requester is gone', { key: input.key, error: (error as Error).message });
      continue;
    }
    if (await condition(() => released.has(next.requestId), input.leaseMs)) {
      lastAnsweredAtMs = Math.max(lastAnsweredAtMs, released.get(next.requestId) ?? Date.now());
    } else {
      // The holder is presumed dead; whatever it sent has arrived by now.
      log.warn('rate gate: lease expired without a release', { key: input.key, requestId: next.requestId });
      lastAnsweredAtMs = Date.now();
    }
  }
}
