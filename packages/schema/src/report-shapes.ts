/**
 * Whether a scanner's JSON report has the top-level shape its source's parser reads, as a reason or null.
 * The collector checks a `--file` report with this before sending it, so a file of the wrong kind (a
 * Polaris report given as kube-bench, a trivy table instead of JSON) fails the run at once instead of being
 * "sent" and failing later, unseen. Only the outer shape: the worker's parsers judge every entry.
 */
import type { Source } from "./sources.js";

const isRec = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const SHAPES: Partial<Record<Source, { expect: string; ok: (r: unknown) => boolean }>> = {
  "kube-bench": {
    expect: "kube-bench run --json output: an object with a Controls array, or an array of controls",
    ok: (r) => Array.isArray(r) || (isRec(r) && Array.isArray(r.Controls)),
  },
  polaris: {
    expect: "polaris audit --format json output: an object with Results",
    ok: (r) => isRec(r) && ("Results" in r || "PolarisOutputVersion" in r),
  },
  popeye: {
    expect: "popeye --out json output: an object with popeye.sections",
    ok: (r) => {
      const root = isRec(r) && isRec(r.popeye) ? r.popeye : r;
      return isRec(root) && (Array.isArray(root.sections) || Array.isArray(root.sanitizers));
    },
  },
  trivy: {
    expect: "trivy --format json output: SchemaVersion/Results, or ClusterName with Resources (trivy k8s)",
    ok: (r) =>
      Array.isArray(r) ||
      (isRec(r) &&
        ["Resources", "Findings", "SchemaVersion", "Results", "ArtifactName", "ClusterName"].some(
          (k) => k in r,
        )),
  },
  kubescape: {
    expect: "kubescape scan --format json output: an object with results, resources or summaryDetails",
    ok: (r) =>
      isRec(r) && (Array.isArray(r.results) || Array.isArray(r.resources) || isRec(r.summaryDetails)),
  },
  "kube-hunter": {
    expect: "kube-hunter --report json output: an object with vulnerabilities",
    ok: (r) => isRec(r) && "vulnerabilities" in r,
  },
  "istioctl-analyze": {
    expect: "istioctl analyze -o json output: an array of messages",
    ok: (r) => r === null || Array.isArray(r) || (isRec(r) && Array.isArray(r.messages)),
  },
};

export function reportShapeProblem(source: Source, report: unknown): string | null {
  const shape = SHAPES[source];
  if (!shape || shape.ok(report)) return null;
  const keys = isRec(report) ? Object.keys(report).slice(0, 6) : [];
  const seen = Array.isArray(report)
    ? "an array"
    : keys.length > 0
      ? `an object with ${keys.join(", ")}${Object.keys(report as object).length > 6 ? ", …" : ""}`
      : typeof report === "object"
        ? "an empty object"
        : `JSON ${typeof report}`;
  return `not a ${source} report: expected ${shape.expect}; found ${seen}`;
}
