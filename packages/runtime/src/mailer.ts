import nodemailer from "nodemailer";
import type { Config } from "./config.js";

export interface MailMessage {
  to: string | string[];
  subject: string;
  text: string;
  html?: string;
}

/**
 * The shared e-mail channel (invitations now, scheduled summaries later): SMTP through nodemailer, configured
 * by SMTP_URL and MAIL_FROM. Not configured means no mailer at all (createMailer returns null) and each caller
 * says what it does instead, so nothing pretends to have sent mail.
 */
export interface Mailer {
  readonly from: string;
  /** resolves once the SMTP server accepted the message for every recipient; rejects otherwise */
  send(message: MailMessage): Promise<{ messageId: string }>;
  close(): void;
}

const TIMEOUT_MS = 10_000;

export function createMailer(config: Pick<Config, "SMTP_URL" | "MAIL_FROM">): Mailer | null {
  if (!config.SMTP_URL) return null;
  const from = config.MAIL_FROM;
  if (!from) throw new Error("MAIL_FROM is required with SMTP_URL");
  const transport = nodemailer.createTransport({
    url: config.SMTP_URL,
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: TIMEOUT_MS,
  });
  return {
    from,
    async send(message) {
      const info = await transport.sendMail({ from, ...message });
      const rejected = (info.rejected ?? []).map(String);
      if (rejected.length > 0) throw new Error(`the SMTP server refused ${rejected.join(", ")}`);
      return { messageId: String(info.messageId) };
    },
    close() {
      transport.close();
    },
  };
}
