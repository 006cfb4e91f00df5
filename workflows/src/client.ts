import { Client, Connection } from '@temporalio/client';

/** Every Pressroom workflow and activity runs on this task queue. */
export const taskQueue = 'pressroom';

export interface TemporalClientOptions {
  address: string;
  namespace: string;
}

/**
 * The typed entry point the api uses to start and signal workflows. The connection is lazy,
 * so creating the client never blocks on Temporal being up.
 */
export function connectTemporalClient(options: TemporalClientOptions): Client {
  return new Client({ connection: Connection.lazy({ address: options.address }), namespace: options.namespace });
}
