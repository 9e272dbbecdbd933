import { Entries } from "../tolerance.js";
import type { Parser } from "../types.js";
import { optStr, type Rec } from "../util.js";
import { emptyCounts } from "./context.js";
import type { Sink } from "./result.js";
import { detectFormat, walkK8s, walkLegacyArray, walkReportV2 } from "./shapes.js";

function trivyVersion(report: Rec): string | null {
  const t = report.Trivy;
  return t && typeof t === "object" && "Version" in t && typeof t.Version === "string" ? t.Version : null;
}

/**
 * `trivy image|fs|repo|config|k8s --format json`, every shape Trivy has shipped. One draft per reported
 * vulnerability, failing misconfiguration and secret; no deduplication (the writer merges by fingerprint).
 */
export const parseTrivy: Parser = (report) => {
  const format = detectFormat(report);
  const sink: Sink = { findings: [], counts: emptyCounts(), entries: new Entries() };
  const meta: Record<string, unknown> = { format };
  if (format === "legacy-array") {
    walkLegacyArray(report as readonly unknown[], sink);
  } else {
    const r = report as Rec;
    if (format === "report-v2") {
      walkReportV2(r, sink);
      meta.artifactName = optStr(r, "ArtifactName", "$");
      meta.artifactType = optStr(r, "ArtifactType", "$");
      meta.trivyVersion = trivyVersion(r);
    } else {
      const keys =
        format === "k8s-resources"
          ? ["Resources"]
          : format === "k8s-summary"
            ? ["Findings"]
            : ["Vulnerabilities", "Misconfigurations"];
      const { resources, errors } = walkK8s(r, keys, sink);
      meta.clusterName = optStr(r, "ClusterName", "$");
      meta.resources = resources;
      meta.resourceErrors = errors;
    }
  }
  meta.counts = sink.counts;
  const skipped = sink.entries.finish("entries");
  return { findings: sink.findings, meta, ...(skipped ? { skipped } : {}) };
};
