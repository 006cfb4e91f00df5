export interface EmailMessage {
  from: string;
  to: string[];
  subject: string;
  html?: string;
  text?: string;
  /**
   * Notification.idempotencyKey: Resend delivers once per key for 24 h; over SMTP it becomes
   * the Message-ID, so a duplicate is at least recognisable.
   */
  idempotencyKey: string;
}

/** How notifications leave Pressroom: Resend's HTTP API or any SMTP server. */
export interface EmailSender {
  readonly provider: string;
  send(message: EmailMessage): Promise<{ id: string }>;
}
