import type { Database } from '@pressroom/db';
import type { Logger } from './logger.js';

export interface ApiContext {
  db: Database;
  logger: Logger;
  requestId: string;
}
