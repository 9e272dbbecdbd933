import { createHash } from "node:crypto";
import type { Severity } from "./severity.js";
import type { Source } from "./sources.js";
import type { Taxonomy } from "./taxonomy.js";

export interface FindingResource {
  kind: string | null;
  namespace: string | null;
  name: string | null;
  container: string | null;
  image: string | null;
}

/** What a parser produces for one finding, before identity and storage. */
export interface FindingDraft {
  ruleId: string;
  title: string;
  severity: Severity;
  resource: FindingResource;
  taxonomy: Taxonomy;
  remediation: string | null;
  references: string[];
  details: Record<string, unknown>;
  /**
   * Extra parts of the finding's identity beyond source, rule and resource: e.g. the package and
   * the lang-pkgs target of a vulnerability. Never a tag, digest, pod name or timestamp.
   */
  identity: (string | null)[];
}

export const EMPTY_RESOURCE: FindingResource = {
  kind: null,
  namespace: null,
  name: null,
  container: null,
  image: null,
};

/**
 * The image repository without tag or digest: `ghcr.io:443/org/app:1.2@sha256:…` → `ghcr.io:443/org/app`.
 * Identity uses the repository so that a new tag of the same image keeps the finding.
 */
export function imageRepository(image: string | null | undefined): string | null {
  if (!image) return null;
  let ref = image.trim();
  const at = ref.indexOf("@");
  if (at >= 0) ref = ref.slice(0, at);
  const slash = ref.lastIndexOf("/");
  const colon = ref.lastIndexOf(":");
  if (colon > slash) ref = ref.slice(0, colon);
  return ref;
}

/**
 * A finding's stable identity (contract §2.1): source, rule, the owning workload, container, image repository
 * and the parser's extra identity parts. The cluster is not part of it, so one issue has the same fingerprint
 * in every cluster (a suppression by fingerprint can span clusters); storage is unique per cluster.
 */
export function fingerprint(source: Source, d: FindingDraft): string {
  const parts = [
    source,
    d.ruleId,
    d.resource.kind,
    d.resource.namespace,
    d.resource.name,
    d.resource.container,
    imageRepository(d.resource.image),
    ...d.identity,
  ];
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
}
