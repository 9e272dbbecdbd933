import nodemailer from "nodemailer";

export interface MailerConfig {
  SMTP_URL?: string | undefined;
  MAIL_FROM?: string | undefined;
  /** one attempt's limit: connection, greeting and each socket read */
  NOTIFY_SEND_TIMEOUT_MS?: number;
}

export interface MailMessage {
  to: string | string[];
  subject: string;
  text: string;
  html?: string;
  /** a stable Message-ID (`<id@domain>`): a resend of the same message is recognisable as one */
  messageId?: string;
  headers?: Record<string, string>;
}

export interface MailResult {
  messageId: string;
  /** the server's final reply, e.g. "250 OK: queued" */
  response: string;
  accepted: string[];
  rejected: string[];
}

export interface Mailer {
  readonly from: string;
  send(message: MailMessage): Promise<MailResult>;
  close(): void;
}

/** The domain of an address ("Name <a@b.example>" → "b.example"), for Message-IDs. */
export function mailDomain(from: string): string {
  const m = /@([^>\s]+)>?\s*$/.exec(from);
  return m?.[1] ?? "bulwark.invalid";
}

/**
 * Outgoing mail over SMTP (nodemailer): null when SMTP_URL is not configured. The URL carries any
 * credentials; it is never logged. Each send opens its own connection (no pool), so a worker that dies
 * mid-dialogue leaves no half-sent message: the server only queues what it acknowledged after DATA.
 */
export function createMailer(config: MailerConfig): Mailer | null {
  if (!config.SMTP_URL) return null;
  if (!config.MAIL_FROM) throw new Error("MAIL_FROM is required with SMTP_URL");
  const timeout = config.NOTIFY_SEND_TIMEOUT_MS ?? 15_000;
  const transport = nodemailer.createTransport({
    url: config.SMTP_URL,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    // message content never names files or URLs to attach; refuse them outright
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const from = config.MAIL_FROM;
  return {
    from,
    async send(message) {
      const info = await transport.sendMail({
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html ? { html: message.html } : {}),
        ...(message.messageId ? { messageId: message.messageId } : {}),
        ...(message.headers ? { headers: message.headers } : {}),
      });
      return {
        messageId: String(info.messageId),
        response: String(info.response ?? ""),
        accepted: (info.accepted ?? []).map(String),
        rejected: (info.rejected ?? []).map(String),
      };
    },
    close() {
      transport.close();
    },
  };
}
