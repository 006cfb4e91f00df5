import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import { WorkflowUnavailableError } from '../errors.js';

/** Answers from a workflow that are decisions, not outages: the caller maps them to its own errors. */
function isWorkflowAnswer(error: unknown): boolean {
  return (
    error instanceof WorkflowUpdateFailedError ||
    error instanceof WorkflowNotFoundError ||
    error instanceof WorkflowExecutionAlreadyStartedError
  );
}

/**
 * Asks a running workflow for a decision (an update or a query) within `timeoutMs`. An update
 * waits for a worker to take it, so without this an outage would hold the request forever;
 * past the deadline the caller gets UNAVAILABLE and may ask again.
 */
export async function askWorkflow<T>(temporal: Client, timeoutMs: number, call: () => Promise<T>): Promise<T> {
  try {
    return await temporal.withDeadline(Date.now() + timeoutMs, call);
  } catch (error) {
    if (isWorkflowAnswer(error)) throw error;
    throw new WorkflowUnavailableError(
      'The workflows did not answer in time, so nothing was changed; try again in a moment.',
      { cause: error },
    );
  }
}
