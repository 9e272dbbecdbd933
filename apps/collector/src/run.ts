/**
 * One collector run: the two cluster uploads, then one upload per --file, each delivered on its own so one
 * failure never stops the others. All uploads of a run share a runId and, for the cluster, one collectedAt.
 */
import { randomUUID } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { VERSION } from "./args.js";
import type { CollectorConfig } from "./config.js";
import { type DeliverContext, deliver, type Envelope, type UploadOutcome } from "./deliver.js";
import { type FileReport, isoSeconds, mergeKubeBench, readFileReport } from "./files.js";
import type { UploadSource } from "./kube/catalog.js";
import { type KubeReader, kubeReader, loadKubeConfig } from "./kube/client.js";
import type { ManifestEntry } from "./kube/collect.js";
import { clusterGatherer } from "./kube/gather.js";
import { type RetryDeps, realRetryDeps } from "./retry.js";
import { DEFAULT_LIMITS, splitEnvelope } from "./split.js";
import { waitForUploads } from "./wait.js";

export interface RunSummary {
  runId: string;
  collectedAt: string;
  dryRun: boolean;
  /** every upload was sent (or written) */
  ok: boolean;
  /** --wait: every sent report was processed (done); false when one failed or the wait ran out */
  processed?: boolean;
  uploads: UploadOutcome[];
  /** every kind the collector meant to read: read, partly read, or skipped and why */
  manifest: ManifestEntry[];
}

export interface RunDeps {
  /** a ready reader instead of one built from the kubeconfig */
  reader?: KubeReader;
  fetchImpl?: typeof fetch;
  retry?: Partial<RetryDeps>;
  progress?: (line: string) => void;
}

const CLUSTER_UPLOADS: readonly UploadSource[] = ["trivy-operator", "mesh-config"];

function clusterReader(config: CollectorConfig, deps: RunDeps): KubeReader {
  if (deps.reader) return deps.reader;
  const source = { kubeconfig: config.kubeconfig, context: config.context, inCluster: config.inCluster };
  return kubeReader(loadKubeConfig(source));
}

export async function runCollector(config: CollectorConfig, deps: RunDeps = {}): Promise<RunSummary> {
  const progress = deps.progress ?? (() => {});
  const retry: RetryDeps = { ...realRetryDeps, ...deps.retry };
  const runId = randomUUID();
  const collectedAt = isoSeconds(retry.now());
  const uploads: UploadOutcome[] = [];
  let manifest: ManifestEntry[] = [];
  if (config.dryRun) await mkdir(config.out as string, { recursive: true });
  const ctx: DeliverContext = { config, retry, fetchImpl: deps.fetchImpl, sequence: 0 };
  retry.onRetry ??= ({ attempt, delayMs, reason }) =>
    progress(`  attempt ${attempt} failed (${reason}); retrying in ${(delayMs / 1000).toFixed(1)} s`);
  const limits = {
    maxBodyBytes: config.maxUploadMb * 1024 * 1024,
    maxJsonBytes: DEFAULT_LIMITS.maxJsonBytes,
  };
  const send = async (whole: Envelope, extra: Partial<UploadOutcome> = {}) => {
    // a report over the upload limits goes as several snapshots, each scoped to the namespaces it holds
    const parts = splitEnvelope(whole, limits);
    for (let i = 0; i < parts.length; i++) {
      const { envelope, encoded } = parts[i] as (typeof parts)[number];
      ctx.sequence += 1;
      const outcome: UploadOutcome = { ...(await deliver(envelope, ctx, encoded)), ...extra };
      if (parts.length > 1) outcome.part = `${i + 1}/${parts.length}`;
      progress(
        `upload ${envelope.source}${outcome.part ? ` part ${outcome.part}` : ""}: ${outcome.status}${outcome.reportId ? ` ${outcome.reportId}` : ""}${outcome.path ? ` → ${outcome.path}` : ""}`,
      );
      uploads.push(outcome);
    }
  };

  if (config.cluster) {
    try {
      const gatherer = await clusterGatherer(clusterReader(config, deps), {
        pageSize: config.pageSize,
        istioNamespace: config.istioNamespace,
        onlyNamespaces: config.namespaces,
      });
      for (const source of CLUSTER_UPLOADS) {
        progress(`gathering ${source}`);
        const g = await gatherer.gather(source, progress);
        if (g.state !== "ready") {
          uploads.push({ source, status: g.state, reason: g.reason });
          continue;
        }
        const envelope: Envelope = { schemaVersion: 1, source, collectedAt, runId, report: g.report };
        if (source === "mesh-config") envelope.tool = { name: "bulwark-collector", version: VERSION };
        if (g.scope) envelope.scope = g.scope;
        envelope.manifest = g.manifest.map(({ upload: _upload, ...entry }) => entry);
        // the List is referenced by the envelope only: it can be collected once this upload is done
        await send(envelope, { items: g.report.items.length });
      }
      manifest = gatherer.manifest();
    } catch (e) {
      const reason = `cannot read the cluster: ${(e as Error).message}`;
      for (const source of CLUSTER_UPLOADS) {
        if (!uploads.some((u) => u.source === source)) uploads.push({ source, status: "failed", reason });
      }
    }
  }

  const read = await Promise.all(config.files.map((f) => readFileReport(f.source, f.path, retry.now())));
  // kube-bench runs once per node: its reports go as one snapshot, at the place of the first one. If one
  // node's report is unreadable nothing is sent for kube-bench, since the rest would resolve that node's findings.
  const benches = read.filter(
    (r): r is Extract<FileReport, { ok: true }> => r.ok && r.source === "kube-bench",
  );
  const benchBroken = read.some((r) => !r.ok && r.source === "kube-bench");
  let benchSent = false;
  for (const r of read) {
    if (!r.ok) {
      uploads.push({ source: r.source, status: "failed", path: r.path, reason: r.reason });
      continue;
    }
    if (r.source === "kube-bench") {
      if (benchSent || benchBroken) continue;
      benchSent = true;
      const merged = mergeKubeBench(benches);
      await send({
        schemaVersion: 1,
        source: merged.source,
        collectedAt: merged.collectedAt,
        runId,
        report: merged.report,
      });
      continue;
    }
    await send({ schemaVersion: 1, source: r.source, collectedAt: r.collectedAt, runId, report: r.report });
  }

  const summary: RunSummary = {
    runId,
    collectedAt,
    dryRun: config.dryRun,
    ok: uploads.every((u) => u.status !== "failed"),
    uploads,
    manifest,
  };
  if (config.wait) {
    await waitForUploads(uploads, config, { retry, fetchImpl: deps.fetchImpl, progress });
    summary.processed = uploads.every((u) => u.processing === undefined || u.processing === "done");
  }
  return summary;
}
