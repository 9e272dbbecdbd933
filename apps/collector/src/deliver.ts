/** One upload's way out: written to a file for an audit (--dry-run), or signed and sent with retries. */
import { createHash } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { CollectorConfig } from "./config.js";
import type { ManifestEntry } from "./kube/collect.js";
import { type RetryDeps, type RetryPolicy, sendWithRetry } from "./retry.js";
import { contentHeaders, type EncodedEnvelope, encodeEnvelope, REPORTS_PATH } from "./upload.js";

export interface Envelope {
  schemaVersion: 1;
  source: string;
  collectedAt: string;
  runId: string;
  tool?: { name: string; version?: string };
  /** `{ namespaces }`; the parts of a split report also use `clusterScoped` / `excludeNamespaces` */
  scope?: { namespaces?: string[]; clusterScoped?: true; excludeNamespaces?: string[] };
  /** what was and was not read for this upload (envelope extension): unreadable kinds keep their findings */
  manifest?: Omit<ManifestEntry, "upload">[];
  report: Record<string, unknown> | unknown[];
}

export interface UploadOutcome {
  source: string;
  status: "sent" | "duplicate" | "written" | "skipped" | "failed";
  reportId?: string;
  httpStatus?: number;
  attempts?: number;
  /** the envelope's JSON and the gzip body actually sent */
  bytes?: { json: number; body: number };
  items?: number;
  scope?: Envelope["scope"];
  /** "2/5" when the report was split into scoped snapshots to fit the upload limits */
  part?: string;
  /** the --file read, or the --dry-run file written */
  path?: string;
  reason?: string;
  /** --wait: what the server made of the report */
  processing?: "done" | "failed" | "timeout";
  /** --wait: the server's error for a failed report, or why the wait ended */
  processingError?: string;
}

export interface DeliverContext {
  config: CollectorConfig;
  retry: RetryDeps;
  fetchImpl?: typeof fetch | undefined;
  /** numbers the dry-run files in upload order */
  sequence: number;
}

/** The headers a send would carry, without what only exists at send time or must not be written down. */
function auditHeaders(config: CollectorConfig, base: Record<string, string>): Record<string, string> {
  return {
    ...base,
    "X-Bulwark-Key": config.keyId ?? "(BULWARK_KEY_ID, not set for this dry run)",
    "X-Bulwark-Timestamp": "(Unix seconds at the time of sending)",
    "X-Bulwark-Nonce": "(random, new for each attempt)",
    "X-Bulwark-Signature": "(v1=HMAC-SHA256 with the key secret; computed when sending, not written)",
  };
}

export async function deliver(
  envelope: Envelope,
  ctx: DeliverContext,
  preEncoded?: EncodedEnvelope,
): Promise<UploadOutcome> {
  const { config } = ctx;
  const encoded = preEncoded ?? encodeEnvelope(envelope, true);
  const base: UploadOutcome = {
    source: envelope.source,
    status: "failed",
    bytes: { json: encoded.json.length, body: encoded.body.length },
  };
  if (envelope.scope) base.scope = envelope.scope;
  // the configuration schema guarantees --out with --dry-run, and url, key id and secret without it
  if (config.dryRun) {
    const path = join(
      config.out as string,
      `${String(ctx.sequence).padStart(2, "0")}-${envelope.source}.json`,
    );
    const audit = {
      request: {
        method: "POST",
        url: config.url ? new URL(REPORTS_PATH, config.url).toString() : `(BULWARK_URL)${REPORTS_PATH}`,
        headers: auditHeaders(config, contentHeaders(encoded)),
      },
      body: {
        note: "the envelope below, serialised as compact JSON and gzipped, is the request body",
        jsonBytes: encoded.json.length,
        gzipBytes: encoded.body.length,
        jsonSha256: createHash("sha256").update(encoded.json).digest("hex"),
      },
      envelope,
    };
    await writeFile(path, `${JSON.stringify(audit, null, 2)}\n`, { mode: 0o600 });
    return { ...base, status: "written", path };
  }
  const policy: RetryPolicy = {
    maxAttempts: config.maxAttempts,
    baseDelayMs: 500,
    maxDelayMs: 30_000,
    maxRetryAfterMs: 300_000,
    timeoutMs: config.timeoutSeconds * 1000,
  };
  const opts = {
    baseUrl: config.url as string,
    keyId: config.keyId as string,
    secret: config.keySecret as string,
    ...(ctx.fetchImpl ? { fetchImpl: ctx.fetchImpl } : {}),
  };
  const res = await sendWithRetry(encoded, opts, policy, ctx.retry);
  if (!res.ok) {
    const failed: UploadOutcome = { ...base, status: "failed", attempts: res.attempts, reason: res.reason };
    if (res.status !== undefined) failed.httpStatus = res.status;
    return failed;
  }
  const body = res.body as { reportId?: unknown; duplicate?: unknown };
  const outcome: UploadOutcome = {
    ...base,
    status: body.duplicate === true ? "duplicate" : "sent",
    httpStatus: res.status,
    attempts: res.attempts,
  };
  if (typeof body.reportId === "string") outcome.reportId = body.reportId;
  return outcome;
}
