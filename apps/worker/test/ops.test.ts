/**
 * The worker as an operator runs it: /healthz, /readyz and /metrics on its own port (queue depth, job outcomes
 * and durations, reports and parse errors per source), and log lines that carry the upload's X-Request-Id,
 * also when the job was lost by Redis and re-enqueued by the maintenance sweep.
 */
import { Writable } from "node:stream";
import { startApi } from "@bulwark/api/server";
import { createLogger, createRedis, createReportQueue, type Logger } from "@bulwark/runtime";
import { JOBS } from "@bulwark/schema";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../../test/support/context.js";
import { signRequest } from "../../collector/src/signing.js";
import { sweep } from "../src/maintenance/sweep.js";
import { startWorker } from "../src/worker.js";

let ctx: TestContext;
let api: Awaited<ReturnType<typeof startApi>>;
let key: { keyId: string; secret: string };
let token: string;

function capture(): { logger: Logger; lines: () => Record<string, unknown>[] } {
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk, _e, done) {
      raw.push(String(chunk));
      done();
    },
  });
  return { logger: pino({ level: "info" }, stream), lines: () => raw.map((l) => JSON.parse(l)) };
}

async function json<T>(path: string, auth: string, body?: unknown): Promise<T> {
  const res = await fetch(new URL(path, api.url), {
    method: body ? "POST" : "GET",
    headers: { authorization: `Bearer ${auth}`, "content-type": "application/json" },
    body: body ? JSON.stringify(body) : undefined,
  });
  return (await res.json()) as T;
}

async function uploadWithRequestId(requestId: string, report: unknown): Promise<string> {
  const body = Buffer.from(
    JSON.stringify({ schemaVersion: 1, source: "kube-bench", collectedAt: new Date().toISOString(), report }),
  );
  const res = await fetch(new URL("/v1/reports", api.url), {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-request-id": requestId,
      ...signRequest({ method: "POST", path: "/v1/reports", body, ...key }),
    },
    body,
  });
  return ((await res.json()) as { reportId: string }).reportId;
}

async function settled(id: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const r = await json<{ status: string }>(`/v1/reports/${id}`, token);
    if (r.status === "done" || r.status === "failed") return r.status;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`report ${id} not processed`);
}

const BENCH = (n: number) => ({
  Controls: [
    {
      id: "4",
      version: "cis-1.8",
      text: "Worker Node",
      node_type: "node",
      tests: [
        {
          section: "4.2",
          desc: "Kubelet",
          results: [{ test_number: `4.2.${n}`, test_desc: "x", status: "FAIL", scored: true }],
        },
      ],
    },
  ],
});

beforeAll(async () => {
  ctx = await createTestContext();
  api = await startApi(ctx.config, createLogger("silent"));
  token = (await json<{ token: string }>("/admin/v1/tenants", ctx.config.ADMIN_TOKEN, { name: "ops" })).token;
  key = (await json<{ key: { keyId: string; secret: string } }>("/v1/clusters", token, { name: "ops-1" }))
    .key;
});
afterAll(async () => {
  await api?.close();
  await ctx?.close();
});

describe("the worker's operations port and logs", () => {
  it("serves health, readiness and metrics, and logs each job with its upload's request id", async () => {
    const log = capture();
    const worker = await startWorker(ctx.config, log.logger);
    try {
      expect(worker.opsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${worker.opsUrl}/healthz`)).status).toBe(200);
      const ready = await fetch(`${worker.opsUrl}/readyz`);
      expect(await ready.json()).toEqual({ status: "ok", checks: { database: "ok", redis: "ok" } });

      const good = await uploadWithRequestId("req-good-0001", BENCH(1));
      const bad = await uploadWithRequestId("req-bad-0002", { Controls: [{ id: 1, tests: "nope" }] });
      expect(await settled(good)).toBe("done");
      expect(await settled(bad)).toBe("failed");

      const byReport = (id: string) => log.lines().filter((l) => l.reportId === id);
      expect(byReport(good).length).toBeGreaterThan(0);
      for (const l of byReport(good)) expect(l.requestId).toBe("req-good-0001");
      expect(byReport(bad).find((l) => l.msg === "report failed")?.requestId).toBe("req-bad-0002");

      const metrics = await (await fetch(`${worker.opsUrl}/metrics`)).text();
      expect(metrics).toMatch(/bulwark_reports_processed_total\{source="kube-bench",outcome="done"\} 1/);
      expect(metrics).toMatch(/bulwark_reports_processed_total\{source="kube-bench",outcome="failed"\} 1/);
      expect(metrics).toMatch(/bulwark_report_parse_errors_total\{source="kube-bench"\} 1/);
      expect(metrics).toMatch(/bulwark_worker_jobs_total\{queue="reports",outcome="done"\} 1/);
      expect(metrics).toMatch(
        /bulwark_worker_job_duration_seconds_count\{queue="reports",outcome="done"\} 1/,
      );
      expect(metrics).toMatch(/bulwark_queue_jobs\{queue="reports",state="waiting"\} 0/);
      expect(metrics).toContain("process_cpu_seconds_total");
    } finally {
      await worker.close();
    }
  });

  it("keeps the request id when Redis lost the job and the sweep enqueued it again", async () => {
    // no worker yet: the upload waits in the queue; then Redis "loses" it
    const id = await uploadWithRequestId("req-swept-0003", BENCH(2));
    const redis = createRedis(ctx.config.REDIS_URL, "worker");
    const queue = createReportQueue(redis, ctx.config.QUEUE_PREFIX);
    try {
      const job = await queue.getJob(JOBS.normalizeReport.jobId({ tenantId: "", reportId: id }));
      await job?.remove();
      const swept = await sweep({
        pool: ctx.pool,
        queue,
        logger: createLogger("silent"),
        retentionDays: 30,
        graceSeconds: 0,
      });
      expect(swept.requeued).toBeGreaterThanOrEqual(1);
    } finally {
      await queue.close();
      redis.disconnect();
    }
    const log = capture();
    const worker = await startWorker(ctx.config, log.logger);
    try {
      expect(await settled(id)).toBe("done");
      const applied = log.lines().find((l) => l.reportId === id && l.msg === "report applied");
      expect(applied?.requestId).toBe("req-swept-0003");
    } finally {
      await worker.close();
    }
  });

  it("a taken metrics port is a start-up error naming METRICS_PORT", async () => {
    const first = await startWorker(ctx.config, createLogger("silent"));
    try {
      const port = Number(new URL(first.opsUrl).port);
      await expect(
        startWorker({ ...ctx.config, METRICS_PORT: port }, createLogger("silent")),
      ).rejects.toThrow(`the worker's metrics port ${port} is taken: set METRICS_PORT to a free port`);
    } finally {
      await first.close();
    }
  });
});
