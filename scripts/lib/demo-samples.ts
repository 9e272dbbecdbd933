import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { uploadReport as UploadReport } from "@bulwark/collector";
import type { DemoClient } from "./demo-client.js";

export interface FinishedReport {
  id: string;
  source: string;
  status: string;
  error: string | null;
  stats: unknown;
}

/**
 * Upload the project's sample reports through the real signed path (as a collector would) and wait until the
 * worker has finished each one. The trivy and kube-bench samples are the tools' own output; trivy-operator and
 * mesh-config are the collector's uploads of the test suite's fake cluster.
 */
export async function uploadSamples(
  say: (m?: string) => void,
  opts: {
    root: string;
    baseUrl: string;
    key: { keyId: string; secret: string };
    client: DemoClient;
    uploadReport: typeof UploadReport;
  },
): Promise<FinishedReport[]> {
  const { root, baseUrl, client, uploadReport } = opts;
  const state = opts.key;
  const samples = [
    { file: "samples/trivy-k8s.json", source: "trivy", tool: { name: "trivy", version: "0.58.1" } },
    { file: "samples/kube-bench.json", source: "kube-bench", tool: { name: "kube-bench", version: "0.9.2" } },
    // as the collector reads a cluster (its --dry-run output against the test suite's fake API server)
    { file: "samples/trivy-operator.json", source: "trivy-operator", tool: { name: "bulwark-collector" } },
    { file: "samples/mesh-config.json", source: "mesh-config", tool: { name: "bulwark-collector" } },
  ];
  const reportIds: string[] = [];
  for (const s of samples) {
    const envelope = {
      schemaVersion: 1,
      source: s.source,
      collectedAt: new Date().toISOString(),
      tool: s.tool,
      report: JSON.parse(readFileSync(resolve(root, s.file), "utf8")),
    };
    const r = await uploadReport(envelope, { baseUrl, keyId: state.keyId, secret: state.secret });
    const body = r.body as { reportId?: string; detail?: string };
    if (!body.reportId)
      throw new Error(`upload of ${s.file} answered ${r.status}: ${JSON.stringify(r.body)}`);
    say(`- uploaded ${s.file} (signed, gzip): ${r.status} → ${body.reportId}`);
    reportIds.push(body.reportId);
  }
  const finished: FinishedReport[] = [];
  for (const id of reportIds) {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const rep = await client.get<FinishedReport>(`/v1/reports/${id}`);
      if (rep.status === "done" || rep.status === "failed") {
        finished.push(rep);
        break;
      }
      if (Date.now() > deadline) throw new Error(`report ${id} still ${rep.status} after 120 s`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return finished;
}
