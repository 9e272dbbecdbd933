import {
  type Channel,
  DestinationError,
  postJson,
  renderEmail,
  renderSlack,
  renderWebhook,
  webhookHeaders,
} from "@bulwark/notify";
import { type Mailer, mailDomain } from "@bulwark/runtime";
import type { Summary } from "@bulwark/schema";

export interface SendOutcome {
  ok: boolean;
  /** HTTP status or SMTP reply code, when the other side answered */
  code: number | null;
  /** what went wrong, readable by the tenant (no URL, no secret) */
  error: string | null;
  /** worth another attempt (timeouts, 5xx, 429, SMTP 4xx); false for what will not change by itself */
  retryable: boolean;
  /** the receiver's Retry-After, in ms */
  retryAfterMs?: number;
}

export interface ChannelDeps {
  mailer: Mailer | null;
  allowPrivate: boolean;
  timeoutMs: number;
}

const NETWORK_HINT: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "DNS lookup failed",
  ETIMEDOUT: "timed out",
  EHOSTUNREACH: "host unreachable",
};

function networkFailure(e: unknown): SendOutcome {
  if (e instanceof DestinationError)
    return { ok: false, code: null, error: `refused: ${e.message}`, retryable: false };
  const err = e as NodeJS.ErrnoException;
  const hint = err.code ? NETWORK_HINT[err.code] : undefined;
  return {
    ok: false,
    code: null,
    error: hint ? `${hint} (${err.code})` : err.message.slice(0, 300),
    retryable: true,
  };
}

function httpOutcome(status: number, body: string, retryAfter?: string): SendOutcome {
  if (status >= 200 && status < 300) return { ok: true, code: status, error: null, retryable: false };
  const detail = body.replace(/\s+/g, " ").trim().slice(0, 200);
  const error = `HTTP ${status}${detail ? `: ${detail}` : ""}`;
  if (status >= 300 && status < 400) {
    return { ok: false, code: status, error: `${error} (redirects are not followed)`, retryable: false };
  }
  const retryable = status === 408 || status === 425 || status === 429 || status >= 500;
  const secs = retryAfter ? Number.parseInt(retryAfter, 10) : Number.NaN;
  return {
    ok: false,
    code: status,
    error,
    retryable,
    ...(Number.isFinite(secs) ? { retryAfterMs: Math.min(secs, 3600) * 1000 } : {}),
  };
}

async function sendEmail(
  deps: ChannelDeps,
  to: string[],
  summary: Summary,
  deliveryId: string,
): Promise<SendOutcome> {
  if (!deps.mailer) {
    return {
      ok: false,
      code: null,
      error: "email is not configured on this server (SMTP_URL)",
      retryable: false,
    };
  }
  const mail = renderEmail(summary);
  try {
    const r = await deps.mailer.send({
      to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      // the same Message-ID on every attempt: mail systems and clients recognise a resend
      messageId: `<${deliveryId}@${mailDomain(deps.mailer.from)}>`,
      headers: { "X-Bulwark-Delivery": deliveryId, "Auto-Submitted": "auto-generated" },
    });
    const code = Number.parseInt(r.response.slice(0, 3), 10);
    if (r.accepted.length === 0) {
      return {
        ok: false,
        code: Number.isFinite(code) ? code : null,
        error: `every recipient was refused: ${r.response}`,
        retryable: false,
      };
    }
    const partial = r.rejected.length > 0 ? `refused recipients: ${r.rejected.join(", ")}` : null;
    return { ok: true, code: Number.isFinite(code) ? code : 250, error: partial, retryable: false };
  } catch (e) {
    const err = e as Error & { responseCode?: number; response?: string; code?: string };
    if (typeof err.responseCode === "number") {
      return {
        ok: false,
        code: err.responseCode,
        error: `SMTP ${err.response ?? err.responseCode}`.slice(0, 300),
        // 4xx: the server asks to come back later; 5xx: it will not take this message
        retryable: err.responseCode < 500,
      };
    }
    return networkFailure(e);
  }
}

/** Send a stored summary through a channel: one attempt, its outcome classified. */
export async function sendThrough(
  deps: ChannelDeps,
  channel: Channel,
  summary: Summary,
  deliveryId: string,
): Promise<SendOutcome> {
  if (channel.type === "email") return sendEmail(deps, channel.to, summary, deliveryId);
  const policy = { allowPrivate: deps.allowPrivate, timeoutMs: deps.timeoutMs };
  try {
    if (channel.type === "slack") {
      const r = await postJson(channel.webhookUrl, JSON.stringify(renderSlack(summary)), {}, policy);
      return httpOutcome(r.status, r.body, r.headers["retry-after"]);
    }
    const body = JSON.stringify(renderWebhook(summary, deliveryId));
    const r = await postJson(channel.url, body, webhookHeaders(channel.secret, deliveryId, body), policy);
    return httpOutcome(r.status, r.body, r.headers["retry-after"]);
  } catch (e) {
    return networkFailure(e);
  }
}
