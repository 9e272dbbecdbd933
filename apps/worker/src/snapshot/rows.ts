import { type FindingDraft, fingerprint, newId, SEVERITY_RANK, type Source } from "@bulwark/schema";
import { copyBool, copyInt, copyJson, copyText, copyTextArray } from "./copy-text.js";

/** Columns of the staging table, in COPY order. */
export const INCOMING_COLUMNS = [
  "new_id",
  "fingerprint",
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

export const INCOMING_DDL = `CREATE TEMP TABLE incoming (
  new_id text NOT NULL, fingerprint text NOT NULL, rule_id text NOT NULL, title text NOT NULL,
  severity text NOT NULL, severity_rank smallint NOT NULL, category text NOT NULL, strategy text NOT NULL,
  nist text[] NOT NULL, mapped boolean NOT NULL, resource_kind text, resource_namespace text, resource_name text,
  resource_container text, resource_image text, remediation text, "references" text[] NOT NULL,
  details jsonb NOT NULL
) ON COMMIT DROP`;

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

export function encodeRow({ fingerprint: fp, draft: d }: IdentifiedDraft): string {
  return [
    newId("finding"),
    fp,
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

/** Rows encoded in chunks so a large snapshot streams without one giant string. */
export function* encodeChunks(rows: readonly IdentifiedDraft[], chunkSize = 2_000): Generator<string> {
  for (let i = 0; i < rows.length; i += chunkSize) {
    let chunk = "";
    const end = Math.min(rows.length, i + chunkSize);
    for (let j = i; j < end; j++) chunk += `${encodeRow(rows[j] as IdentifiedDraft)}\n`;
    yield chunk;
  }
}
