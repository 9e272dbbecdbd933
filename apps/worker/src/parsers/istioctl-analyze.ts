import {
  type FindingDraft,
  type FindingResource,
  istioctlCodeMapping,
  istioctlFallbackStrategy,
  type Severity,
} from "@bulwark/schema";
import { resolveOwner } from "./owner.js";
import { capString, place } from "./taxonomy.js";
import { Entries } from "./tolerance.js";
import { type Parser, ReportParseError } from "./types.js";
import { expectRec, isRec, optStr, reqStr } from "./util.js";

/**
 * `istioctl analyze -o json`: an array of `{code, level, message, origin?, reference?, documentationUrl}`.
 * One draft per message; ruleId is the IST code.
 */

/**
 * Error → high, Warning → medium, Info → low. Info is not dropped to `info`: Istio files real coverage gaps
 * there (IST0102 NamespaceNotInjected, IST0118 protocol sniffing).
 */
export function istioctlSeverity(level: string | null): Severity {
  switch ((level ?? "").toLowerCase()) {
    case "error":
      return "high";
    case "warning":
    case "warn":
      return "medium";
    case "info":
      return "low";
    default:
      return "info";
  }
}

// kinds never namespaced: their origin has no namespace, so a dot in the name is part of the name
const CLUSTER_SCOPED = new Set([
  "Namespace",
  "Node",
  "MutatingWebhookConfiguration",
  "ValidatingWebhookConfiguration",
  "ClusterRole",
  "ClusterRoleBinding",
  "CustomResourceDefinition",
  "GatewayClass",
  "PersistentVolume",
]);

/**
 * `Kind namespace/name` (current istioctl), `Kind name.namespace` (before 1.6: the namespace is always
 * appended for namespaced kinds, and namespaces hold no dots, so the last dot splits), `Kind name`.
 */
export function resourceOfOrigin(origin: string | null): FindingResource {
  const none: FindingResource = { kind: null, namespace: null, name: null, container: null, image: null };
  if (!origin) return none;
  const space = origin.indexOf(" ");
  if (space <= 0) return { ...none, name: origin };
  const kind = origin.slice(0, space);
  const full = origin.slice(space + 1).trim();
  let namespace: string | null = null;
  let name = full;
  const slash = full.indexOf("/");
  if (slash >= 0) {
    namespace = full.slice(0, slash) || null;
    name = full.slice(slash + 1);
  } else if (!CLUSTER_SCOPED.has(kind) && full.lastIndexOf(".") > 0) {
    const dot = full.lastIndexOf(".");
    namespace = full.slice(dot + 1);
    name = full.slice(0, dot);
  }
  if (kind === "Namespace") namespace = null;
  const owner = name ? resolveOwner({ kind, name }) : null;
  return { ...none, kind: owner?.kind ?? kind, namespace, name: owner?.name ?? (name || null) };
}

export const parseIstioctlAnalyze: Parser = (report) => {
  // a clean run prints `[]`; Go's nil slice marshals as null
  const messages =
    report === null
      ? []
      : Array.isArray(report)
        ? report
        : isRec(report) && Array.isArray(report.messages)
          ? report.messages
          : null;
  if (messages === null) throw new ReportParseError("$", "expected an array of istioctl analyze messages");
  const base = Array.isArray(report) || report === null ? "$" : "$.messages";
  const findings: FindingDraft[] = [];
  const entries = new Entries();
  for (let i = 0; i < messages.length; i++) {
    const at = `${base}[${i}]`;
    const raw = messages[i];
    const code = isRec(raw) && typeof raw.code === "string" && IST_CODE.test(raw.code) ? raw.code : null;
    const d = entries.entry(code ? { ruleId: code } : {}, () => messageDraft(raw, at));
    if (d) findings.push(d);
  }
  const skipped = entries.finish("messages");
  return { findings, ...(skipped ? { skipped } : {}), meta: { messages: messages.length } };
};

// every istioctl analyzer message code is IST + four digits (IST0101 ReferencedResourceNotFound, …)
const IST_CODE = /^IST\d{4}$/;

function messageDraft(raw: unknown, at: string): FindingDraft {
  const m = expectRec(raw, at);
  const code = reqStr(m, "code", at);
  if (!IST_CODE.test(code)) throw new ReportParseError(`${at}.code`, "expected an istioctl code (IST0000)");
  const level = optStr(m, "level", at);
  const message = optStr(m, "message", at);
  const origin = optStr(m, "origin", at);
  const row = istioctlCodeMapping(code);
  const placed = place(row, istioctlFallbackStrategy());
  const url = optStr(m, "documentationUrl", at);
  const details: Record<string, unknown> = {
    level,
    name: row?.note ?? null,
    message: capString(message, 1000),
    origin,
    reference: optStr(m, "reference", at),
  };
  if (placed.also) details.also = placed.also;
  return {
    ruleId: code,
    title: capString(message, 200) || row?.note || code,
    severity: istioctlSeverity(level),
    resource: resourceOfOrigin(origin),
    taxonomy: placed.taxonomy,
    remediation: null,
    references: url ? [url] : [],
    details,
    identity: [],
  };
}
