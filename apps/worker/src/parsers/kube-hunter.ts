import {
  type FindingDraft,
  type FindingResource,
  kubeHunterCategoryStrategy,
  kubeHunterMapping,
  type Severity,
} from "@bulwark/schema";
import { capString, place } from "./taxonomy.js";
import { Entries } from "./tolerance.js";
import { type Parser, ReportParseError } from "./types.js";
import { expectRec, isRec, optArr, optStr, reqStr } from "./util.js";

/**
 * `kube-hunter --report json`: `{nodes[], services[], vulnerabilities[]}`. One draft per vulnerability;
 * ruleId is the vid (KHV002…), or the vulnerability name for hunters that report `vid: "None"`.
 * kube-hunter sees endpoints, not objects: a `host:port` location is the Service-like endpoint it probed
 * (the `services[]` entry names it), a bare host a Node, `Local to Pod (<pod>)` the pod it ran in.
 */
export function kubeHunterSeverity(s: string | null): Severity {
  switch ((s ?? "").toLowerCase()) {
    case "high":
      return "high";
    case "medium":
      return "medium";
    case "low":
      return "low";
    default:
      return "info";
  }
}

const LOCAL = "Local to Pod";
const PORT = /^\d+$/;

interface Located {
  resource: FindingResource;
  /** the location without the hunter pod's generated name */
  key: string;
}

function locate(location: string, services: Map<string, string>): Located {
  const none: FindingResource = { kind: null, namespace: null, name: null, container: null, image: null };
  // the hunter's own pod name is random per run: identity keeps only "Local to Pod"
  if (location.startsWith(LOCAL)) return { resource: { ...none, kind: "Pod" }, key: LOCAL };
  const colon = location.lastIndexOf(":");
  const hasPort = colon > 0 && PORT.test(location.slice(colon + 1));
  const kind = hasPort ? "Service" : "Node";
  return { resource: { ...none, kind, name: location || null }, key: services.get(location) ?? location };
}

function serviceNames(raw: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const list = optArr(raw, "$.services");
  for (const s of list) {
    if (isRec(s) && typeof s.location === "string" && typeof s.service === "string")
      out.set(s.location, s.service);
  }
  return out;
}

export const parseKubeHunter: Parser = (report) => {
  if (!isRec(report)) throw new ReportParseError("$", "expected a kube-hunter JSON report (an object)");
  // kube-hunter's JSON report always has its three lists; `{}` or another tool's output is not a hunt
  if (!("vulnerabilities" in report)) throw new ReportParseError("$.vulnerabilities", "expected an array");
  if (!("nodes" in report) && !("services" in report))
    throw new ReportParseError("$.nodes", "expected a kube-hunter report (nodes, services, vulnerabilities)");
  const vulns = optArr(report.vulnerabilities, "$.vulnerabilities");
  const services = serviceNames(report.services);
  const findings: FindingDraft[] = [];
  const entries = new Entries();
  for (let i = 0; i < vulns.length; i++) {
    const at = `$.vulnerabilities[${i}]`;
    const raw = vulns[i];
    const location = isRec(raw) && typeof raw.location === "string" ? raw.location : null;
    const keep = location === null ? {} : { kind: locate(location, services).resource.kind };
    const d = entries.entry(keep, () => vulnDraft(raw, at, services));
    if (d) findings.push(d);
  }
  const skipped = entries.finish("vulnerabilities");
  return {
    findings,
    ...(skipped ? { skipped } : {}),
    meta: {
      nodes: optArr(report.nodes, "$.nodes").length,
      services: services.size,
      vulnerabilities: vulns.length,
    },
  };
};

function vulnDraft(raw: unknown, at: string, services: Map<string, string>): FindingDraft {
  const v = expectRec(raw, at);
  const name = reqStr(v, "vulnerability", at);
  const vid = optStr(v, "vid", at);
  const ruleId = vid && vid !== "None" ? vid : name;
  const category = optStr(v, "category", at);
  const location = optStr(v, "location", at) ?? "";
  const { resource, key } = locate(location, services);
  const placed = place(
    kubeHunterMapping(ruleId) ?? kubeHunterMapping(name),
    kubeHunterCategoryStrategy(category),
  );
  const reference = optStr(v, "avd_reference", at);
  const details: Record<string, unknown> = {
    vid,
    category,
    toolSeverity: optStr(v, "severity", at),
    location,
    service: services.get(location) ?? null,
    hunter: optStr(v, "hunter", at),
    evidence: capString(optStr(v, "evidence", at), 500),
  };
  if (placed.also) details.also = placed.also;
  return {
    ruleId,
    title: name,
    severity: kubeHunterSeverity(optStr(v, "severity", at)),
    resource,
    taxonomy: placed.taxonomy,
    remediation: null,
    references: reference ? [reference] : [],
    details: { ...details, description: capString(optStr(v, "description", at), 1000) },
    identity: [key],
  };
}
