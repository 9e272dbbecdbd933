/**
 * The worker's Prometheus metrics: the queues' depth (read from BullMQ at scrape time), every job's outcome and
 * duration, failures (final or to be retried), and per source the reports processed and those whose content
 * could not be parsed. One registry per worker, so several workers in one process (tests) never collide.
 */
import type { Queue } from "bullmq";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

const QUEUE_STATES = ["waiting", "active", "delayed", "failed", "prioritized", "waiting-children"] as const;
const SCRAPE_TIMEOUT_MS = 1_000;

export interface WorkerMetrics {
  registry: Registry;
  jobs: Counter<"queue" | "outcome">;
  jobDuration: Histogram<"queue" | "outcome">;
  jobFailures: Counter<"queue" | "final">;
  reports: Counter<"source" | "outcome">;
  parseErrors: Counter<"source">;
}

export function createWorkerMetrics(queues: Queue[]): WorkerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: "bulwark_queue_jobs",
    help: "Jobs in each queue, by state (absent, not zero, when Redis does not answer)",
    labelNames: ["queue", "state"],
    registers: [registry],
    async collect() {
      this.reset();
      for (const queue of queues) {
        const counts = await Promise.race([
          queue.getJobCounts(...QUEUE_STATES).catch(() => null),
          new Promise<null>((r) => setTimeout(() => r(null), SCRAPE_TIMEOUT_MS).unref()),
        ]);
        if (!counts) continue;
        for (const state of QUEUE_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
      }
    },
  });
  return {
    registry,
    jobs: new Counter({
      name: "bulwark_worker_jobs_total",
      help: "Jobs run, by queue and outcome (done, superseded, skipped, failed: the report's content; waiting: an older report of its scope is unfinished, checked again in 2 s; error: retried)",
      labelNames: ["queue", "outcome"],
      registers: [registry],
    }),
    jobDuration: new Histogram({
      name: "bulwark_worker_job_duration_seconds",
      help: "Job duration, by queue and outcome",
      labelNames: ["queue", "outcome"],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers: [registry],
    }),
    jobFailures: new Counter({
      name: "bulwark_worker_job_failures_total",
      help: "Jobs that threw, by queue; final=true when no attempt is left (the report is recorded failed)",
      labelNames: ["queue", "final"],
      registers: [registry],
    }),
    reports: new Counter({
      name: "bulwark_reports_processed_total",
      help: "Reports processed, by source and outcome",
      labelNames: ["source", "outcome"],
      registers: [registry],
    }),
    parseErrors: new Counter({
      name: "bulwark_report_parse_errors_total",
      help: "Reports whose content could not be parsed for their source (they end failed), by source",
      labelNames: ["source"],
      registers: [registry],
    }),
  };
}
