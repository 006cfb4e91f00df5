import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Database } from '@pressroom/db';
import type { ApiConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { exportPath, openAdsReportCsvExport, streamAdsReportCsv } from '../services/ads-export.js';
import type { Mailer } from '../services/context.js';

export interface AdsExportRouteOptions {
  db: Database;
  config: ApiConfig;
  logger: Logger;
  mailer: Mailer;
  requestIdOf: (req: IncomingMessage) => string;
}

/**
 * GET /ads/exports/report.csv?token=…: a report's CSV through the signed link
 * exportAdsReportCsv handed out. Answers true for what it serves.
 */
export function createAdsExportRoutes(options: AdsExportRouteOptions) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== exportPath) return false;
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET', 'content-type': 'text/plain; charset=utf-8' }).end('Use GET.');
      return true;
    }
    const opened = await openAdsReportCsvExport(options, url.searchParams.get('token') ?? '', {
      ip: req.socket.remoteAddress ?? null,
      userAgent: req.headers['user-agent'] ?? null,
      requestId: options.requestIdOf(req),
    });
    if ('status' in opened) {
      res.writeHead(opened.status, { 'content-type': 'text/plain; charset=utf-8' }).end(opened.message);
      return true;
    }
    const { level, from, to } = opened.query.input;
    res.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="ads-${level.toLowerCase()}-${from}-${to}.csv"`,
      'cache-control': 'no-store',
    });
    try {
      await streamAdsReportCsv(opened.ctx, opened.query, res);
    } catch (error) {
      // Headers are out: the only way left to say it failed is to cut the response short.
      options.logger.warn({ err: error }, 'ads report CSV export failed');
      res.destroy();
    }
    return true;
  };
}
