import { readFileSync } from "node:fs";
import type { FindingDraft } from "@bulwark/schema";
import { parseAllDocuments } from "yaml";
import { analyzeMesh, type MeshAnalysis } from "../../src/mesh/index.js";

type Obj = { kind?: string; metadata?: { name?: string; namespace?: string } };

/** Multi-document YAML → a Kubernetes List, as the collector (or a test) sends it. */
export function toList(yaml: string): { apiVersion: string; kind: string; items: unknown[] } {
  const items = parseAllDocuments(yaml)
    .map((d) => d.toJS() as unknown)
    .filter((d) => d !== null && d !== undefined);
  return { apiVersion: "v1", kind: "List", items };
}

export const HARDENED = readFileSync(new URL("../fixtures/mesh/hardened.yaml", import.meta.url), "utf8");

const keyOf = (o: Obj) =>
  `${o.kind}/${o.metadata?.namespace ?? ""}/${o.metadata?.name ?? ""}`.replace("//", "/");

/**
 * The hardened mesh, minus the objects named in `without` (`Kind/ns/name` or `Kind/name`), plus `extra`.
 * An extra object with the key of a baseline one replaces it.
 */
export function mesh(extra = "", without: readonly string[] = []): MeshAnalysis {
  const added = toList(extra).items as Obj[];
  const replaced = new Set([...without, ...added.map(keyOf)]);
  const base = (toList(HARDENED).items as Obj[]).filter((o) => !replaced.has(keyOf(o)));
  return analyzeMesh({ kind: "List", items: [...base, ...added] });
}

export function findingsOf(r: MeshAnalysis, ruleId: string): FindingDraft[] {
  return r.findings.filter((f) => f.ruleId === ruleId);
}

/** `Kind/ns/name` of each finding of a rule, for compact assertions. */
export function resourcesOf(r: MeshAnalysis, ruleId: string): string[] {
  return findingsOf(r, ruleId).map((f) =>
    [f.resource.kind, f.resource.namespace, f.resource.name].filter(Boolean).join("/"),
  );
}

/** The mesh config ConfigMap with a different mesh (replaces the baseline's). */
export function meshConfig(mesh: string): string {
  const indented = mesh
    .trim()
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
  return `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: istio, namespace: istio-system }\ndata:\n  mesh: |\n${indented}\n`;
}

/** The baseline's mesh config text, with some lines replaced, for rules on one mesh setting. */
export function baselineMesh(overrides: Record<string, string>): string {
  const lines = [
    "rootNamespace: istio-system",
    "outboundTrafficPolicy: { mode: REGISTRY_ONLY }",
    "meshMTLS: { minProtocolVersion: TLSV1_3 }",
    "pathNormalization: { normalization: DECODE_AND_MERGE_SLASHES }",
    "accessLogFile: /dev/stdout",
    "defaultProviders: { tracing: [otel], metrics: [prometheus] }",
    'defaultServiceExportTo: ["."]',
    'defaultVirtualServiceExportTo: ["."]',
    'defaultDestinationRuleExportTo: ["."]',
    "defaultConfig: { image: { imageType: distroless } }",
  ];
  const out = lines.filter((l) => !((l.split(":")[0] as string) in overrides));
  for (const v of Object.values(overrides)) if (v) out.push(v);
  return meshConfig(out.join("\n"));
}
