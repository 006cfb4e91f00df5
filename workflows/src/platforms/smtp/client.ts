import nodemailer from 'nodemailer';
import type { EmailSender } from '../email/types.js';
import { PlatformError, type FailureCategory } from '../errors.js';

export interface SmtpSenderOptions {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure?: boolean;
  /** Refuse to send without TLS (set for any server outside this machine). */
  requireTLS?: boolean;
  user?: string;
  password?: string;
  timeoutMs?: number;
}

const platform = 'smtp';

/**
 * What went wrong, told apart by the server's reply: a 4xx means the server kept nothing
 * (retry), a 5xx is a refusal. Without a reply only a refused connection is known to have
 * sent nothing; a connection that closed or timed out may have dropped after the message
 * was accepted (nodemailer reports both as command CONN), so it is OUTCOME_UNKNOWN.
 */
export function classifySmtpFailure(error: unknown): PlatformError {
  const failure = error as { code?: string; originalCode?: string; responseCode?: number; command?: string };
  const neverConnected = failure.originalCode === 'ECONNREFUSED' || failure.originalCode === 'ENOTFOUND';
  const category: FailureCategory =
    failure.code === 'EAUTH'
      ? 'REJECTED_BY_PLATFORM'
      : failure.responseCode && failure.responseCode >= 500
        ? 'REJECTED_BY_PLATFORM'
        : failure.responseCode && failure.responseCode >= 400
          ? 'TRANSIENT'
          : neverConnected
            ? 'TRANSIENT'
            : 'OUTCOME_UNKNOWN';
  return new PlatformError(failure.responseCode ? `SMTP ${failure.responseCode}` : (failure.code ?? 'SMTP failure'), {
    category,
    platform,
    operation: failure.command ?? 'send',
    code: failure.responseCode ? String(failure.responseCode) : (failure.originalCode ?? failure.code),
    status: failure.responseCode,
  });
}

export function createSmtpSender(options: SmtpSenderOptions): EmailSender {
  const transport = nodemailer.createTransport({
    host: options.host,
    port: options.port,
    secure: options.secure ?? false,
    requireTLS: options.requireTLS ?? false,
    auth: options.user ? { user: options.user, pass: options.password ?? '' } : undefined,
    connectionTimeout: options.timeoutMs ?? 30_000,
    greetingTimeout: options.timeoutMs ?? 30_000,
    socketTimeout: options.timeoutMs ?? 60_000,
    // Never log the conversation: it carries the credentials.
    logger: false,
    debug: false,
  });
  return {
    provider: platform,
    async send(message) {
      try {
        const info = await transport.sendMail({
          from: message.from,
          to: message.to,
          subject: message.subject,
          html: message.html,
          text: message.text,
          messageId: `<${message.idempotencyKey.replace(/[^A-Za-z0-9._-]/g, '_')}@pressroom>`,
        });
        return { id: info.messageId };
      } catch (error) {
        throw classifySmtpFailure(error);
      }
    },
  };
}
