import type { FindingResource } from "@bulwark/schema";
import { resolveOwner } from "../owner.js";
import type { KeepOpen } from "../tolerance.js";
import { ReportParseError } from "../types.js";
import { expectRec, isRec, optArr, optStr, type Rec, reqStr } from "../util.js";
import { imageFromTarget, inferClass } from "./context.js";
import { keepOf, type Scope, type Sink, walkResult } from "./result.js";

/** The shapes Trivy has shipped for `--format json`. */
export type TrivyFormat = "legacy-array" | "report-v2" | "k8s-resources" | "k8s-summary" | "k8s-legacy";

/**
 * Recognise a Trivy report positively, by the structure Trivy writes (a document of another tool, or `{}`, is
 * refused here rather than read as an empty scan that would resolve every open finding):
 * - SchemaVersion 2 (trivy ≥ 0.20): `Results` may be missing or empty — the genuinely empty scan;
 * - trivy k8s: a `ClusterName` string and `Resources`, `Findings`, or (≤ 0.41) `Vulnerabilities` /
 *   `Misconfigurations` lists; empty lists are the empty scan;
 * - before 0.20: a non-empty array of Results, each with a `Target` (an empty array says nothing).
 */
export function detectFormat(report: unknown): TrivyFormat {
  if (Array.isArray(report)) {
    if (report.length === 0)
      throw new ReportParseError(
        "$",
        "an empty array is not a Trivy report (an empty scan has SchemaVersion 2)",
      );
    return "legacy-array";
  }
  if (!isRec(report)) throw new ReportParseError("$", "expected a Trivy JSON report (an object or an array)");
  const listOrNull = (k: string) => k in report && (report[k] === null || Array.isArray(report[k]));
  if (typeof report.ClusterName === "string") {
    if (listOrNull("Resources")) return "k8s-resources";
    if (listOrNull("Findings")) return "k8s-summary";
    if (listOrNull("Vulnerabilities") || listOrNull("Misconfigurations")) return "k8s-legacy";
    if ("Resources" in report) throw new ReportParseError("$.Resources", "expected an array");
    throw new ReportParseError("$.Resources", "expected the list of scanned resources of a trivy k8s report");
  }
  if ("SchemaVersion" in report) {
    if (report.SchemaVersion !== 2) throw new ReportParseError("$.SchemaVersion", "expected 2");
    return "report-v2";
  }
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
  for (let i = 0; i < results.length; i++)
    sink.entries.entry({}, () => walkResult(results[i], `$.Results[${i}]`, scope, sink));
}

/** Trivy < 0.20: a top-level array of `{Target, Type, Vulnerabilities}` (Vulnerabilities may be null). */
export function walkLegacyArray(report: readonly unknown[], sink: Sink): void {
  // no ArtifactName: an image scan names its image in the os-pkgs Target "<image> (<distro>)"
  let image: string | null = null;
  for (let i = 0; i < report.length && image === null; i++) {
    const r = report[i];
    if (!isRec(r) || typeof r.Type !== "string" || typeof r.Target !== "string") continue;
    if (inferClass(null, r.Type) === "os-pkgs") image = imageFromTarget(r.Target);
  }
  const scope: Scope = { resource: NO_RESOURCE, k8s: false, image };
  for (let i = 0; i < report.length; i++)
    sink.entries.entry({}, () => walkResult(report[i], `$[${i}]`, scope, sink));
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
export function walkK8sResource(raw: unknown, at: string, sink: Sink, errors: { count: number }): void {
  const o = expectRec(raw, at);
  // what a resource without a readable Kind or Name may have produced: as much of its name as is known
  const partial: KeepOpen = {};
  if (typeof o.Namespace === "string") partial.namespace = o.Namespace;
  else if (!("Namespace" in o)) partial.namespace = null;
  sink.entries.entry(partial, () => walkK8sResourceOf(o, at, sink, errors));
}

function walkK8sResourceOf(o: Rec, at: string, sink: Sink, errors: { count: number }): void {
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
  const keep = keepOf(scope.resource);
  for (let i = 0; i < results.length; i++)
    sink.entries.entry(keep, () => walkResult(results[i], `${at}.Results[${i}]`, scope, sink));
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
    for (let i = 0; i < list.length; i++) {
      const rat = `$.${key}[${i}]`;
      const item = list[i];
      if (!isRec(item)) sink.entries.skip(rat, "expected an object", {});
      else walkK8sResource(item, rat, sink, errors);
    }
    resources += list.length;
  }
  return { resources, errors: errors.count };
}
