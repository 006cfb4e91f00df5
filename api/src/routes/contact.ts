import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Database } from '@pressroom/db';
import { notifyContactSubmission } from '@pressroom/workflows/client';
import type { Client } from '@temporalio/client';
import type { ApiConfig } from '../config.js';
import type { Logger } from '../logger.js';
import {
  contactFormMaxBytes,
  contactFormOrganization,
  submitContactForm,
  type SubmitOutcome,
} from '../services/contact.js';

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The address the request came from (IPv4 without its IPv6-mapped prefix). */
function addressOf(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? 'unknown';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  if (Number(req.headers['content-length'] ?? 0) > contactFormMaxBytes) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > contactFormMaxBytes) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function formPage(organization: { name: string; slug: string }, notice = ''): string {
  const name = escapeHtml(organization.name);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Contact ${name}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}label{display:block;margin-top:1rem}
input,select,textarea{width:100%;padding:.5rem;font:inherit;box-sizing:border-box}button{margin-top:1rem;padding:.5rem 1rem;font:inherit}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}.notice{padding:.75rem;background:#eef}</style></head>
<body><main><h1>Contact ${name}</h1>${notice ? `<p class="notice" role="status">${notice}</p>` : ''}
<form method="post" action="/contact/${encodeURIComponent(organization.slug)}">
<label for="name">Your name</label><input id="name" name="name" required maxlength="100" autocomplete="name">
<label for="contact">How to reach you (Telegram @username, phone or email)</label><input id="contact" name="contact" required maxlength="100">
<label for="category">About</label><select id="category" name="category"><option>General</option><option>Sales</option><option>Support</option><option>Press</option></select>
<label for="message">Message</label><textarea id="message" name="message" required maxlength="5000" rows="6"></textarea>
<div class="hp" aria-hidden="true"><label for="website">Leave this empty</label><input id="website" name="website" tabindex="-1" autocomplete="off"></div>
<button type="submit">Send</button></form></main></body></html>`;
}

/**
 * The public contact form of each organization, by its slug: `GET /contact/<slug>` is an HTML
 * page meant to be embedded (an iframe on the organization's site), `POST /contact/<slug>` takes
 * JSON (answered in JSON, from any origin) or the page's form (answered with the page). No
 * credentials: cookies are neither read nor set.
 */
export function createContactRoutes(deps: { db: Database; config: ApiConfig; logger: Logger; temporal?: Client }) {
  const { db, config, logger, temporal } = deps;
  const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'content-type' };

  function answer(
    res: ServerResponse,
    status: number,
    json: boolean,
    body: unknown,
    headers: Record<string, string> = {},
  ) {
    if (json) {
      res.writeHead(status, { 'content-type': 'application/json', ...cors, ...headers }).end(JSON.stringify(body));
    } else {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers }).end(String(body));
    }
  }

  function notify(outcome: Extract<SubmitOutcome, { kind: 'accepted' }>) {
    if (!outcome.notify || !temporal) return;
    // The submission is stored whatever happens here; a failed start is logged for an operator.
    notifyContactSubmission(temporal, outcome.id, { taskQueue: config.TEMPORAL_TASK_QUEUE }).catch((error: unknown) =>
      logger.error({ err: error, contactSubmissionId: outcome.id }, 'could not start the contact notification'),
    );
  }

  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const match = /^\/contact\/([a-z0-9-]{1,64})\/?$/.exec(path);
    if (!match) return false;
    try {
      await handle(req, res, match[1]!);
    } catch (error) {
      // Nothing was stored, or it was and only the answer failed: either way the sender is told
      // to send again, never left with a reset connection.
      logger.error({ err: error }, 'contact form request failed');
      if (!res.headersSent) answer(res, 503, true, { error: 'UNAVAILABLE' }, { 'retry-after': '5' });
    }
    return true;
  };

  async function handle(req: IncomingMessage, res: ServerResponse, slug: string): Promise<boolean> {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...cors, 'access-control-allow-methods': 'POST', 'access-control-max-age': '600' }).end();
      return true;
    }
    if (req.method === 'GET') {
      const organization = await contactFormOrganization(db, slug);
      if (!organization) answer(res, 404, false, 'Not found');
      else answer(res, 200, false, formPage(organization), { 'cache-control': 'no-store' });
      return true;
    }
    if (req.method !== 'POST') {
      answer(res, 405, true, { error: 'METHOD_NOT_ALLOWED' }, { allow: 'GET, POST, OPTIONS' });
      return true;
    }
    const type = req.headers['content-type']?.toLowerCase() ?? '';
    const json = type.startsWith('application/json');
    const raw = await readBody(req);
    if (!raw) {
      answer(res, 413, json, json ? { error: 'TOO_LARGE', maxBytes: contactFormMaxBytes } : 'Too large');
      req.resume();
      return true;
    }
    let body: unknown;
    if (json) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        answer(res, 400, true, { error: 'BAD_REQUEST', message: 'The body is not JSON.' });
        return true;
      }
    } else {
      body = Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
    }
    const outcome = await submitContactForm(db, config, {
      slug,
      body,
      ip: addressOf(req),
      userAgent: req.headers['user-agent'] ?? '',
    });
    switch (outcome.kind) {
      case 'not_found':
        answer(res, 404, json, json ? { error: 'NOT_FOUND' } : 'Not found');
        return true;
      case 'rate_limited':
        answer(
          res,
          429,
          json,
          json
            ? { error: 'RATE_LIMITED', retryAfterSeconds: outcome.retryAfterSeconds }
            : 'Too many messages; try again later.',
          { 'retry-after': String(outcome.retryAfterSeconds) },
        );
        return true;
      case 'invalid': {
        if (json) {
          answer(res, 400, true, { error: 'BAD_USER_INPUT', issues: outcome.issues });
        } else {
          const organization = (await contactFormOrganization(db, slug))!;
          const notice = outcome.issues.map((issue) => escapeHtml(`${issue.path}: ${issue.message}`)).join('<br>');
          answer(res, 400, false, formPage(organization, notice));
        }
        return true;
      }
      case 'accepted': {
        notify(outcome);
        if (json) answer(res, 201, true, { id: outcome.id, status: 'received' });
        else {
          const organization = (await contactFormOrganization(db, slug))!;
          answer(res, 201, false, formPage(organization, 'Thank you, your message was sent.'));
        }
        return true;
      }
    }
  }
}
