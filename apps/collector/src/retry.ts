/**
 * Sending one upload until it lands or cannot: network errors, 429 and 5xx are retried with capped
 * exponential backoff and full jitter (so a fleet that failed together does not retry together); 429 and 503
 * wait at least their Retry-After; any other 4xx is final, since the same request would fail the same way.
 * Each attempt is signed anew: the server refuses a nonce it has seen.
 */
import { type EncodedEnvelope, postEncoded, type UploadOptions } from "./upload.js";

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** a Retry-After longer than this ends the run's attempts instead of blocking it */
  maxRetryAfterMs: number;
  /** per attempt */
  timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 300_000,
  timeoutMs: 60_000,
};

export interface RetryDeps {
  sleep: (ms: number) => Promise<void>;
  /** in [0, 1) */
  random: () => number;
  now: () => number;
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
}

export const realRetryDeps: RetryDeps = {
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  random: Math.random,
  now: Date.now,
};

export type SendResult =
  | { ok: true; status: number; body: unknown; attempts: number }
  | { ok: false; status?: number; reason: string; attempts: number };

/** Retry-After as milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** A one-line reason from a problem+json body: status, title, detail, the first bad fields, the request id. */
export function describeFailure(status: number, body: unknown): string {
  if (typeof body !== "object" || body === null) return `${status} ${String(body).slice(0, 200)}`.trim();
  const p = body as { title?: unknown; detail?: unknown; requestId?: unknown; errors?: unknown };
  const parts = [String(status), typeof p.title === "string" ? p.title : ""];
  if (typeof p.detail === "string") parts.push(`: ${p.detail}`);
  if (Array.isArray(p.errors) && p.errors.length > 0) {
    const errs = p.errors
      .slice(0, 3)
      .map((e: { location?: unknown; message?: unknown }) => `${e.location}: ${e.message}`);
    parts.push(` [${errs.join("; ")}${p.errors.length > 3 ? "; …" : ""}]`);
  }
  if (typeof p.requestId === "string") parts.push(` (request ${p.requestId})`);
  return parts.join(" ").replace(/ :/g, ":").replace(/\s+/g, " ").trim();
}

export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number): number {
  return Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)));
}

export async function sendWithRetry(
  encoded: EncodedEnvelope,
  opts: UploadOptions,
  policy: RetryPolicy = DEFAULT_RETRY,
  deps: RetryDeps = realRetryDeps,
): Promise<SendResult> {
  let last: { status?: number; reason: string } = { reason: "not attempted" };
  for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
    let waitAtLeast = 0;
    try {
      const res = await postEncoded(encoded, { ...opts, signal: AbortSignal.timeout(policy.timeoutMs) });
      if (res.status >= 200 && res.status < 300)
        return { ok: true, status: res.status, body: res.body, attempts: attempt };
      last = { status: res.status, reason: describeFailure(res.status, res.body) };
      if (res.status < 500 && res.status !== 429) return { ok: false, ...last, attempts: attempt };
      if (res.status === 429 || res.status === 503) {
        const after = parseRetryAfter(res.headers.get("retry-after"), deps.now());
        if (after !== undefined && after > policy.maxRetryAfterMs) {
          return {
            ok: false,
            ...last,
            reason: `${last.reason}; the server asked to wait ${Math.ceil(after / 1000)} s`,
            attempts: attempt,
          };
        }
        waitAtLeast = after ?? 0;
      }
    } catch (e) {
      const err = e as Error & { cause?: { code?: string; message?: string } };
      const detail =
        err.name === "TimeoutError"
          ? `no answer within ${policy.timeoutMs / 1000} s`
          : (err.cause?.code ?? err.cause?.message ?? err.message);
      last = { reason: `network error: ${detail}` };
    }
    if (attempt === policy.maxAttempts) break;
    // full jitter on top of what Retry-After demands; never sooner than the server asked
    const delayMs = waitAtLeast + backoffMs(attempt, policy, deps.random);
    deps.onRetry?.({ attempt, delayMs, reason: last.reason });
    await deps.sleep(delayMs);
  }
  return {
    ok: false,
    ...last,
    reason: `gave up after ${policy.maxAttempts} attempts: ${last.reason}`,
    attempts: policy.maxAttempts,
  };
}
