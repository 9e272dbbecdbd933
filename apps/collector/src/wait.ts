/**
 * --wait: follow each sent upload until the server has processed it (GET /v1/uploads/{id}, signed with the
 * cluster's key like the upload). A report whose content the server could not use ends `failed` with the
 * server's error: the run then exits 3, so a CronJob's failure shows what an upload alone would hide.
 */
import type { CollectorConfig } from "./config.js";
import type { UploadOutcome } from "./deliver.js";
import type { RetryDeps } from "./retry.js";
import { signRequest } from "./signing.js";

export interface Processed {
  status: "done" | "failed" | "timeout";
  /** the server's error for a failed report, or why the wait ended */
  error?: string;
  stats?: unknown;
}

const POLL_FIRST_MS = 1_000;
const POLL_MAX_MS = 10_000;

async function poll(
  reportId: string,
  config: CollectorConfig,
  fetchImpl: typeof fetch,
): Promise<
  { status: string; error: string | null; stats?: unknown } | { transient: string } | { final: string }
> {
  const path = `/v1/uploads/${encodeURIComponent(reportId)}`;
  const headers = signRequest({
    method: "GET",
    path,
    body: new Uint8Array(0),
    keyId: config.keyId as string,
    secret: config.keySecret as string,
  });
  let res: Response;
  try {
    res = await fetchImpl(new URL(path, config.url), {
      headers,
      signal: AbortSignal.timeout(config.timeoutSeconds * 1000),
    });
  } catch (e) {
    return { transient: (e as Error).message };
  }
  const text = await res.text();
  if (res.status === 200)
    return JSON.parse(text) as { status: string; error: string | null; stats?: unknown };
  if (res.status === 429 || res.status >= 500) return { transient: `${res.status}` };
  let detail = text.slice(0, 300);
  try {
    detail = (JSON.parse(text) as { detail?: string }).detail ?? detail;
  } catch {
    // not JSON
  }
  return { final: `${res.status} ${detail}` };
}

/** Wait for one report; resolves with its outcome, never throws. */
export async function waitForReport(
  reportId: string,
  config: CollectorConfig,
  deps: { retry: RetryDeps; fetchImpl?: typeof fetch | undefined; progress: (line: string) => void },
): Promise<Processed> {
  const deadline = deps.retry.now() + config.waitSeconds * 1000;
  let delay = POLL_FIRST_MS;
  let lastProblem = "";
  for (;;) {
    const r = await poll(reportId, config, deps.fetchImpl ?? fetch);
    if ("final" in r) return { status: "failed", error: `cannot follow ${reportId}: ${r.final}` };
    if ("transient" in r) lastProblem = r.transient;
    else if (r.status === "done") return { status: "done", stats: r.stats };
    else if (r.status === "failed") return { status: "failed", error: r.error ?? "failed (no error given)" };
    if (deps.retry.now() + delay > deadline)
      return {
        status: "timeout",
        error: `not processed within ${config.waitSeconds} s${lastProblem ? ` (last problem: ${lastProblem})` : ""}`,
      };
    await deps.retry.sleep(delay);
    delay = Math.min(POLL_MAX_MS, delay * 2);
  }
}

/** Follow every upload that reached the server, one after another (the worker takes them in turn anyway). */
export async function waitForUploads(
  uploads: UploadOutcome[],
  config: CollectorConfig,
  deps: { retry: RetryDeps; fetchImpl?: typeof fetch | undefined; progress: (line: string) => void },
): Promise<void> {
  for (const u of uploads) {
    if (!u.reportId || (u.status !== "sent" && u.status !== "duplicate")) continue;
    deps.progress(`waiting for ${u.source} ${u.reportId}`);
    const p = await waitForReport(u.reportId, config, deps);
    u.processing = p.status;
    if (p.error) u.processingError = p.error;
    deps.progress(`  ${u.source} ${u.reportId}: ${p.status}${p.error ? `: ${p.error}` : ""}`);
  }
}
