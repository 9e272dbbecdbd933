import { createHash } from "node:crypto";
import { type FindingDraft, fingerprint, newId, SEVERITY_RANK, type Source } from "@bulwark/schema";
import { copyBool, copyInt, copyJson, copyText, copyTextArray } from "./copy-text.js";

/** Columns of the staging table, in COPY order. */
export const INCOMING_COLUMNS = [
  "fingerprint",
  "changed",
  "content_hash",
  "new_id",
  "rule_id",
  "title",
  "severity",
  "severity_rank",
  "category",
  "strategy",
  "nist",
  "mapped",
  "resource_kind",
  "resource_namespace",
  "resource_name",
  "resource_container",
  "resource_image",
  "remediation",
  "references",
  "details",
] as const;

/**
 * Every finding of the snapshot has a row (the resolve step reads which are present); only a `changed` one
 * carries its content, an unchanged one (open, same scope, same content hash) is just its fingerprint.
 */
export const INCOMING_DDL = `CREATE TEMP TABLE incoming (
  fingerprint text NOT NULL, changed boolean NOT NULL, content_hash text NOT NULL, new_id text, rule_id text,
  title text, severity text, severity_rank smallint, category text, strategy text, nist text[],
  mapped boolean, resource_kind text, resource_namespace text, resource_name text, resource_container text,
  resource_image text, remediation text, "references" text[], details jsonb
) ON COMMIT DROP`;

/** the content columns of an unchanged finding's row */
const NO_CONTENT = Array.from({ length: INCOMING_COLUMNS.length - 3 }, () => "\\N").join("\t");

export interface IdentifiedDraft {
  fingerprint: string;
  draft: FindingDraft;
}

/**
 * One row per fingerprint: a tool that reports the same issue twice (a resource listed once per scanner,
 * an image used by two pods of one workload) yields one finding. The first occurrence wins.
 */
export function dedupeByFingerprint(source: Source, drafts: readonly FindingDraft[]): IdentifiedDraft[] {
  const seen = new Map<string, IdentifiedDraft>();
  for (const d of drafts) {
    const fp = fingerprint(source, d);
    if (!seen.has(fp)) seen.set(fp, { fingerprint: fp, draft: d });
  }
  return [...seen.values()];
}

/** The finding's content as COPY text (rule_id … details): what its content hash is taken over. */
export function encodeContent(d: FindingDraft): string {
  return [
    copyText(d.ruleId),
    copyText(d.title),
    d.severity,
    copyInt(SEVERITY_RANK[d.severity]),
    d.taxonomy.category,
    d.taxonomy.strategy,
    copyTextArray(d.taxonomy.nist),
    copyBool(d.taxonomy.mapped),
    copyText(d.resource.kind),
    copyText(d.resource.namespace),
    copyText(d.resource.name),
    copyText(d.resource.container),
    copyText(d.resource.image),
    copyText(d.remediation),
    copyTextArray(d.references),
    copyJson(d.details),
  ].join("\t");
}

export function contentHash(content: string): string {
  return createHash("md5").update(content).digest("base64");
}

/**
 * One incoming row. `knownHash` is the content hash of the finding as stored when it is open and attached
 * to this snapshot's scope: equal hashes make an unchanged row, which carries no content and writes nothing.
 */
export function encodeRow({ fingerprint: fp, draft: d }: IdentifiedDraft, knownHash?: string): string {
  const content = encodeContent(d);
  const hash = contentHash(content);
  if (hash === knownHash) return `${fp}\tf\t${hash}\t${NO_CONTENT}`;
  return `${fp}\tt\t${hash}\t${newId("finding")}\t${content}`;
}
