import type { FindingResource } from "@bulwark/schema";
import { resolveOwner } from "../owner.js";
import { ReportParseError } from "../types.js";
import { expectRec, isRec, optArr, optStr, type Rec, reqStr } from "../util.js";
import { imageFromTarget, inferClass } from "./context.js";
import { type Scope, type Sink, walkResult } from "./result.js";

/** The shapes Trivy has shipped for `--format json`. */
export type TrivyFormat = "legacy-array" | "report-v2" | "k8s-resources" | "k8s-summary" | "k8s-legacy";

export function detectFormat(report: unknown): TrivyFormat {
  if (Array.isArray(report)) return "legacy-array";
  if (!isRec(report)) throw new ReportParseError("$", "expected a Trivy JSON report (an object or an array)");
  if ("Resources" in report) return "k8s-resources";
  if ("Findings" in report) return "k8s-summary";
  if ("SchemaVersion" in report || "Results" in report || "ArtifactName" in report) return "report-v2";
  if ("ClusterName" in report || "Vulnerabilities" in report || "Misconfigurations" in report)
    return "k8s-legacy";
  throw new ReportParseError(
    "$",
    "expected SchemaVersion/Results (trivy ≥0.20) or ClusterName with Resources/Findings (trivy k8s)",
  );
}

const NO_RESOURCE: FindingResource = {
  kind: null,
  namespace: null,
  name: null,
  container: null,
  image: null,
};

/** SchemaVersion 2: `trivy image|fs|repo|config|sbom`. Results may be missing (nothing to report). */
export function walkReportV2(report: Rec, sink: Sink): void {
  const version = report.SchemaVersion;
  if (version !== undefined && version !== null && version !== 2) {
    throw new ReportParseError("$.SchemaVersion", "expected 2");
  }
  const artifactName = optStr(report, "ArtifactName", "$");
  const artifactType = optStr(report, "ArtifactType", "$");
  const metadata = report.Metadata;
  const isImage =
    artifactType === "container_image" ||
    (artifactType === null &&
      isRec(metadata) &&
      (metadata.ImageID !== undefined || metadata.RepoTags !== undefined));
  // an image is named by its reference; a file tree by the scanned path, and its findings by file (identity)
  const scope: Scope = isImage
    ? { resource: NO_RESOURCE, k8s: false, image: artifactName }
    : { resource: { ...NO_RESOURCE, name: artifactName }, k8s: false, image: null };
  const results = optArr(report.Results, "$.Results");
  for (let i = 0; i < results.length; i++) walkResult(results[i], `$.Results[${i}]`, scope, sink);
}

/** Trivy < 0.20: a top-level array of `{Target, Type, Vulnerabilities}` (Vulnerabilities may be null). */
export function walkLegacyArray(report: readonly unknown[], sink: Sink): void {
  // no ArtifactName: an image scan names its image in the os-pkgs Target "<image> (<distro>)"
  let image: string | null = null;
  for (let i = 0; i < report.length && image === null; i++) {
    const r = expectRec(report[i], `$[${i}]`);
    const type = optStr(r, "Type", `$[${i}]`);
    if (inferClass(null, type) === "os-pkgs") image = imageFromTarget(optStr(r, "Target", `$[${i}]`));
  }
  const scope: Scope = { resource: NO_RESOURCE, k8s: false, image };
  for (let i = 0; i < report.length; i++) walkResult(report[i], `$[${i}]`, scope, sink);
}

function firstRepoTag(metadata: unknown, at: string): string | null {
  // one object in some releases, an array of per-image objects in others
  const list = Array.isArray(metadata) ? metadata : metadata ? [metadata] : [];
  for (let i = 0; i < list.length; i++) {
    const mat = Array.isArray(metadata) ? `${at}[${i}]` : at;
    const m = expectRec(list[i], mat);
    const tags = optArr(m.RepoTags, `${mat}.RepoTags`);
    if (typeof tags[0] === "string") return tags[0];
  }
  return null;
}

/** One trivy k8s resource object `{Namespace?, Kind, Name, Metadata?, Results[], Error?}`. */
function walkK8sResource(raw: unknown, at: string, sink: Sink, errors: { count: number }): void {
  const o = expectRec(raw, at);
  const kind = reqStr(o, "Kind", at);
  const name = reqStr(o, "Name", at);
  const namespace = optStr(o, "Namespace", at);
  if (optStr(o, "Error", at)) errors.count++;
  const results = optArr(o.Results, `${at}.Results`);
  // a resource appears once per image: the first os-pkgs Target names it, else the image metadata
  let image: string | null = null;
  for (let i = 0; i < results.length && image === null; i++) {
    const r = results[i];
    if (isRec(r) && r.Class === "os-pkgs" && typeof r.Target === "string") image = imageFromTarget(r.Target);
  }
  image ??= firstRepoTag(o.Metadata, `${at}.Metadata`);
  const owner = resolveOwner({ kind, name });
  const scope: Scope = {
    resource: { kind: owner.kind, namespace, name: owner.name, container: null, image: null },
    k8s: true,
    image,
  };
  for (let i = 0; i < results.length; i++) walkResult(results[i], `${at}.Results[${i}]`, scope, sink);
}

/** trivy k8s: v0.42+ `Resources[]` / `--report summary` `Findings[]`; v0.27–0.41 `Vulnerabilities[]` + `Misconfigurations[]`. */
export function walkK8s(
  report: Rec,
  keys: readonly string[],
  sink: Sink,
): { resources: number; errors: number } {
  const errors = { count: 0 };
  let resources = 0;
  for (const key of keys) {
    const list = optArr(report[key], `$.${key}`);
    for (let i = 0; i < list.length; i++) walkK8sResource(list[i], `$.${key}[${i}]`, sink, errors);
    resources += list.length;
  }
  return { resources, errors: errors.count };
}
