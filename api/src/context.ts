import type { Database } from '@pressroom/db';
import type { ObjectStorage } from '@pressroom/workflows/storage';
import type { Client } from '@temporalio/client';
import type { Viewer } from './auth/viewer.js';
import type { EventHub } from './events/hub.js';
import type { ApiConfig } from './config.js';
import type { Logger } from './logger.js';
import type { RequestMeta } from './services/audit.js';
import type { Mailer, ServiceContext } from './services/context.js';

export interface ApiContext {
  db: Database;
  logger: Logger;
  config: ApiConfig;
  mailer: Mailer;
  requestId: string;
  ip: string | null;
  userAgent: string | null;
  viewer: Viewer | null;
  /** Why the credential sent identifies nobody (an expired or ended session), for UNAUTHENTICATED's message. */
  lapsedCredential: string | null;
  /**
   * The viewer as of now: a subscription asks before each event, so a demotion, a removal or
   * a revoked token stops the stream (over HTTP it is simply `viewer`).
   */
  currentViewer(): Promise<Viewer | null>;
  /** This instance's live events (see events/hub.ts). */
  events: EventHub;
  /** Where brand assets are kept (local folder by default, or S3-compatible); absent on the subscription socket, where nothing uploads. */
  storage?: ObjectStorage;
  /** Starts and signals workflows; absent on the subscription socket, where nothing mutates. */
  temporal?: Client;
  /** Adds a Set-Cookie header to the response (sign in, rotation, sign out). */
  setCookie(value: string): void;
}

export function requestMeta(ctx: ApiContext): RequestMeta {
  return {
    viewer: ctx.viewer,
    lapsedCredential: ctx.lapsedCredential,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    requestId: ctx.requestId,
  };
}

/** What resolvers hand to services: the same request, without GraphQL. */
export function services(ctx: ApiContext): ServiceContext {
  return { db: ctx.db, config: ctx.config, mailer: ctx.mailer, meta: requestMeta(ctx) };
}
