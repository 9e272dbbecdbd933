import { readFileSync } from "node:fs";
import { startApi } from "@bulwark/api/server";
import { uploadReport } from "@bulwark/collector";
import { createLogger } from "@bulwark/runtime";
import { JOBS } from "@bulwark/schema";
import { startWorker } from "@bulwark/worker";
import { Worker } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimReport } from "../../apps/worker/src/jobs/report-state.js";
import { createTestContext, type TestContext } from "../support/context.js";

/**
 * "Nothing accepted is lost" when a worker dies mid-job: a worker takes the job, claims the report
 * (status processing) and disappears without finishing. Once its lock lapses, another worker takes the job
 * over and the report ends done, with the findings a single clean run would have produced.
 */
const bench = JSON.parse(readFileSync(new URL("../../samples/kube-bench.json", import.meta.url), "utf8"));
const logger = createLogger("silent");
let ctx: TestContext;
let api: Awaited<ReturnType<typeof startApi>>;
let worker: Awaited<ReturnType<typeof startWorker>> | null = null;

beforeAll(async () => {
  ctx = await createTestContext({ WORKER_LOCK_MS: 1_000 });
  api = await startApi(ctx.config, logger);
});
afterAll(async () => {
  await worker?.close();
  await api?.close();
  await ctx?.close();
});

async function json<T>(path: string, token: string, body?: unknown): Promise<T> {
  const res = await fetch(new URL(path, api.url), {
    method: body ? "POST" : "GET",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body ? JSON.stringify(body) : undefined,
  });
  return (await res.json()) as T;
}

describe("a worker that dies mid-job", () => {
  it("loses the job to another worker, and the report still ends done", async () => {
    const { token } = await json<{ token: string }>("/admin/v1/tenants", ctx.config.ADMIN_TOKEN, {
      name: "crash",
    });
    const { key } = await json<{ key: { keyId: string; secret: string } }>("/v1/clusters", token, {
      name: "prod",
    });
    const envelope = {
      schemaVersion: 1,
      source: "kube-bench",
      collectedAt: new Date().toISOString(),
      report: bench,
    };
    const up = await uploadReport(envelope, { baseUrl: api.url, ...key });
    expect(up.status).toBe(202);
    const reportId = (up.body as { reportId: string }).reportId;

    // the doomed worker: takes the job, claims the report, then is gone without completing anything
    const doomed = new Worker(JOBS.normalizeReport.queue, null, {
      connection: ctx.redis,
      prefix: ctx.config.QUEUE_PREFIX,
      lockDuration: 1_000,
      autorun: false,
    });
    const job = await doomed.getNextJob("doomed-token");
    if (!job) throw new Error("the doomed worker got no job");
    expect(job.id).toBe(`report-${reportId}`);
    const { tenantId } = job.data as { tenantId: string };
    expect(await claimReport(ctx.pool, tenantId, reportId)).not.toBeNull();
    await doomed.close(true);
    const mid = await json<{ status: string }>(`/v1/reports/${reportId}`, token);
    expect(mid.status).toBe("processing");

    worker = await startWorker(ctx.config, logger);
    let report: { status: string; stats: { findings: number } | null } = { status: "", stats: null };
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      report = await json(`/v1/reports/${reportId}`, token);
      if (report.status === "done" || report.status === "failed") break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(report.status).toBe("done");
    expect(report.stats?.findings).toBe(13);
  });
});
