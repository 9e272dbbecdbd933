import type { ReportQueue } from "@bulwark/runtime";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

export interface Metrics {
  registry: Registry;
  httpRequests: Counter<"method" | "route" | "status">;
  httpDuration: Histogram<"method" | "route" | "status">;
  reportsIngested: Counter<"source" | "outcome">;
}

const QUEUE_STATES = ["waiting", "active", "delayed", "failed", "prioritized", "waiting-children"] as const;
const QUEUE_SCRAPE_TIMEOUT_MS = 1_000;

/** One registry per app instance, so several apps in one process (tests) never collide. */
export function createMetrics(queue?: ReportQueue): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  if (queue) {
    // the normalization backlog, read from BullMQ at scrape time; absent (not zero) when Redis does not answer
    new Gauge({
      name: "bulwark_queue_jobs",
      help: "Normalization jobs in the reports queue, by state",
      labelNames: ["queue", "state"],
      registers: [registry],
      async collect() {
        this.reset();
        const counts = await Promise.race([
          queue.getJobCounts(...QUEUE_STATES).catch(() => null),
          new Promise<null>((r) => setTimeout(() => r(null), QUEUE_SCRAPE_TIMEOUT_MS).unref()),
        ]);
        if (!counts) return;
        for (const state of QUEUE_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
      },
    });
  }
  return {
    registry,
    httpRequests: new Counter({
      name: "bulwark_http_requests_total",
      help: "HTTP requests by method, route and status",
      labelNames: ["method", "route", "status"],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: "bulwark_http_request_duration_seconds",
      help: "HTTP request duration",
      labelNames: ["method", "route", "status"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    reportsIngested: new Counter({
      name: "bulwark_reports_ingested_total",
      help: "POST /v1/reports outcomes by source (unknown before the body is parsed) and outcome",
      labelNames: ["source", "outcome"],
      registers: [registry],
    }),
  };
}
