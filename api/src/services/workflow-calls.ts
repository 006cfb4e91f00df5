import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import { ConflictError, WorkflowUnavailableError } from '../errors.js';

/** Answers from Temporal that are not outages: the caller maps them to its own errors. */
function isWorkflowAnswer(error: unknown): boolean {
  return error instanceof WorkflowNotFoundError || error instanceof WorkflowExecutionAlreadyStartedError;
}

/** A workflow's validator refused the update: its reason, as a sentence for the caller. */
function refusalOf(error: WorkflowUpdateFailedError): ConflictError {
  const reason = error.cause instanceof Error ? error.cause.message : error.message;
  return new ConflictError(`${reason.charAt(0).toUpperCase()}${reason.slice(1)}${reason.endsWith('.') ? '' : '.'}`);
}

/**
 * Asks a running workflow for a decision (an update or a query) within `timeoutMs`. An update
 * waits for a worker to take it, so without this an outage would hold the request forever;
 * past the deadline the caller gets UNAVAILABLE and may ask again. An update the workflow
 * refuses is a CONFLICT carrying the workflow's reason.
 */
export async function askWorkflow<T>(temporal: Client, timeoutMs: number, call: () => Promise<T>): Promise<T> {
  try {
    return await temporal.withDeadline(Date.now() + timeoutMs, call);
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) throw refusalOf(error);
    if (isWorkflowAnswer(error)) throw error;
    throw new WorkflowUnavailableError(
      'The workflows did not answer in time, so nothing was changed; try again in a moment.',
      { cause: error },
    );
  }
}
