import type { FindingResource } from "@bulwark/schema";
import { resolveOwner } from "../owner.js";
import { ReportParseError } from "../types.js";
import { isRec, optArr, optStr, type Rec } from "../util.js";

/**
 * Which workload a trivy-operator report is about. The operator labels every report with the scanned
 * object (`trivy-operator.resource.{kind,name,namespace}`, `trivy-operator.container.name`; Starboard used
 * `starboard.*`) and makes that object the report's controller ownerReference. The ownerReference is read
 * first: label values are capped at 63 characters, the reference holds the full name (and some reports,
 * e.g. InfraAssessmentReports of static pods, carry no name label at all).
 */
const PREFIXES = ["trivy-operator", "starboard"] as const;

function labelsOf(meta: Rec, at: string): Rec | null {
  const labels = meta.labels;
  if (labels === undefined || labels === null) return null;
  if (!isRec(labels)) throw new ReportParseError(`${at}.labels`, "expected an object");
  return labels;
}

function label(labels: Rec | null, key: string): string | null {
  if (!labels) return null;
  for (const p of PREFIXES) {
    const v = labels[`${p}.${key}`];
    if (typeof v === "string" && v.length > 0) return v;
  }
  return null;
}

function controllerRef(meta: Rec, at: string): { kind: string; name: string } | null {
  const refs = optArr(meta.ownerReferences, `${at}.ownerReferences`);
  let first: { kind: string; name: string } | null = null;
  for (let i = 0; i < refs.length; i++) {
    const rat = `${at}.ownerReferences[${i}]`;
    const r = refs[i];
    if (!isRec(r)) throw new ReportParseError(rat, "expected an object");
    const kind = optStr(r, "kind", rat);
    const name = optStr(r, "name", rat);
    if (!kind || !name) continue;
    if (r.controller === true) return { kind, name };
    first ??= { kind, name };
  }
  return first;
}

export interface ReportTarget {
  resource: FindingResource;
  /** the scanned object as labelled (e.g. ReplicaSet web-7d4b9c8f5d), before owner resolution */
  scanned: { kind: string | null; name: string | null };
}

/** `metadata` of one report → the owning workload and the container the report is about. */
export function reportTarget(metadata: unknown, at: string, clusterScoped: boolean): ReportTarget {
  if (!isRec(metadata)) throw new ReportParseError(at, "expected an object");
  const labels = labelsOf(metadata, at);
  const ref = controllerRef(metadata, at);
  const kind = ref?.kind ?? label(labels, "resource.kind");
  const name = ref?.name ?? label(labels, "resource.name");
  const namespace = clusterScoped
    ? null
    : (label(labels, "resource.namespace") ?? optStr(metadata, "namespace", at) ?? null);
  // a report on a ReplicaSet / Pod / Job names its Deployment / CronJob: redeployments keep the finding
  const owner = kind && name ? resolveOwner({ kind, name }) : null;
  return {
    resource: {
      kind: owner?.kind ?? kind,
      namespace: namespace === "" ? null : namespace,
      name: owner?.name ?? name,
      container: label(labels, "container.name"),
      image: null,
    },
    scanned: { kind, name },
  };
}

/** `report.registry.server` + `report.artifact.{repository,tag,digest}` → `server/repository:tag`. */
export function imageOf(report: Rec, at: string): string | null {
  const artifact = report.artifact;
  if (!isRec(artifact)) return null;
  const repository = optStr(artifact, "repository", `${at}.artifact`);
  if (!repository) return null;
  const registry = report.registry;
  const server = isRec(registry) ? optStr(registry, "server", `${at}.registry`) : null;
  const tag = optStr(artifact, "tag", `${at}.artifact`);
  const digest = optStr(artifact, "digest", `${at}.artifact`);
  const base = server ? `${server}/${repository}` : repository;
  return tag ? `${base}:${tag}` : digest ? `${base}@${digest}` : base;
}
