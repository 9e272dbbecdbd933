import { LAST_SEEN, SUPPRESSED_NOW } from "@bulwark/insights";
import { CATEGORIES, STRATEGIES } from "@bulwark/schema";
import { sql } from "drizzle-orm";
import { isoSql } from "./ndjson.js";

/** GitHub code scanning reads `security-severity` (0–10) to rank results; these sit in its bands. */
const SECURITY_SEVERITY: Record<string, string> = {
  critical: "9.5",
  high: "8.0",
  medium: "5.5",
  low: "3.0",
  info: "0.0",
};
const LEVEL: Record<string, "error" | "warning" | "note"> = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "note",
  info: "note",
};
const CATEGORY_NAME = new Map(CATEGORIES.map((c) => [c.id as string, c.name]));
const STRATEGY_NAME = new Map(STRATEGIES.map((s) => [s.id as string, s.name]));

interface RuleEntry {
  index: number;
  json: Record<string, unknown>;
}

function ruleJson(ruleId: string, f: RuleFields): Record<string, unknown> {
  const help = f.remediation ? `${f.title}\n\nRemediation: ${f.remediation}` : f.title;
  return {
    id: ruleId,
    name: ruleId,
    shortDescription: { text: f.title },
    help: { text: help },
    ...helpUri(f.references),
    defaultConfiguration: { level: LEVEL[f.severity] ?? "warning" },
    properties: {
      "security-severity": SECURITY_SEVERITY[f.severity] ?? "0.0",
      tags: ["security", f.category, f.strategy],
      category: { id: f.category, name: CATEGORY_NAME.get(f.category) ?? f.category },
      strategy: { id: f.strategy, name: STRATEGY_NAME.get(f.strategy) ?? f.strategy },
      nist: f.nist,
      mapped: f.mapped,
    },
  };
}

const STATUS = sql`(case when f.status = 'open' and ${SUPPRESSED_NOW} then 'suppressed' else f.status end)`;
/** the resource's path, cluster first (empty parts left out), or the cluster alone */
const WHERE = sql`coalesce(nullif(concat_ws('/', nullif(c.name, ''), nullif(f.resource_namespace, ''),
  nullif(f.resource_kind, ''), nullif(f.resource_name, ''), nullif(f.resource_container, '')), ''), c.name)`;
const RULE_START = sql`(lag(f.rule_id) over (order by f.source, f.rule_id, f.id) is distinct from f.rule_id
  or lag(f.source) over (order by f.source, f.rule_id, f.id) is distinct from f.source)`;

/**
 * What each SARIF row selects (rows ordered by source, rule, id): the result's JSON written by Postgres, all but
 * `ruleIndex` (the writer's count) and `suppressions` (added for a suppressed finding); and, on the first row of
 * each rule only, the columns its rule entry is made of. Building each result from a parsed row was most of a
 * SARIF export's CPU and garbage.
 */
export const SARIF_COLUMNS = sql`f.source, f.rule_id, ${STATUS} as status,
  json_build_object(
    'ruleId', f.rule_id,
    'level', case f.severity when 'critical' then 'error' when 'high' then 'error' when 'medium' then 'warning'
      when 'low' then 'note' when 'info' then 'note' else 'warning' end,
    'message', json_build_object('text', f.title || ' (' || ${WHERE} || ')'),
    'locations', json_build_array(json_build_object('logicalLocations', json_build_array(json_build_object(
      'name', coalesce(f.resource_name, c.name), 'fullyQualifiedName', ${WHERE}, 'kind', 'resource')))),
    'partialFingerprints', json_build_object('bulwarkFinding/v1', f.fingerprint),
    'properties', json_build_object(
      'findingId', f.id,
      'severity', f.severity,
      'status', ${STATUS},
      'cluster', json_build_object('id', f.cluster_id, 'name', c.name),
      'resource', json_build_object('kind', f.resource_kind, 'namespace', f.resource_namespace,
        'name', f.resource_name, 'container', f.resource_container, 'image', f.resource_image),
      'taxonomy', json_build_object('category', f.category, 'strategy', f.strategy, 'nist', f.nist,
        'mapped', f.mapped),
      'firstSeenAt', ${isoSql(sql`f.first_seen_at`)},
      'lastSeenAt', ${isoSql(LAST_SEEN)})
  )::text as result_json,
  case when ${RULE_START} then json_build_object('title', f.title, 'severity', f.severity,
    'remediation', f.remediation, 'references', f."references", 'category', f.category,
    'strategy', f.strategy, 'nist', f.nist, 'mapped', f.mapped)::text end as rule_json`;

export interface SarifRow {
  source: string;
  rule_id: string;
  status: string;
  result_json: string;
  /** on a rule's first row */
  rule_json: string | null;
}

interface RuleFields {
  title: string;
  severity: string;
  remediation: string | null;
  references: string[];
  category: string;
  strategy: string;
  nist: string[];
  mapped: boolean;
}

const SUPPRESSED = '"suppressions":[{"kind":"external","status":"accepted"}],';

/**
 * SARIF 2.1.0 written as the rows arrive (ordered by source, then rule): one run per source, its results
 * first and its tool (with the rules the results referenced) when the run closes, so only the current run's
 * rules are held in memory. JSON member order carries no meaning, so the log is the same as one built whole.
 */
/**
 * The first reference that is an absolute http(s) URL: SARIF's helpUri must be a URI, and a scanner's
 * references are free text (a report can carry anything there).
 */
function helpUri(references: readonly string[]): { helpUri?: string } {
  for (const r of references) {
    if (!/^https?:\/\//i.test(r)) continue;
    try {
      return { helpUri: new URL(r).href };
    } catch {
      // not a URL after all: try the next one
    }
  }
  return {};
}

export class SarifWriter {
  private source: string | null = null;
  private rules = new Map<string, RuleEntry>();
  private firstResult = true;
  private firstRun = true;

  begin(): string {
    return '{"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0","runs":[';
  }

  /** the batch's text, in pieces (a result each, and a run's boundaries) */
  rows(batch: readonly SarifRow[]): string[] {
    const out: string[] = [];
    for (const f of batch) {
      if (f.source !== this.source) {
        out.push(this.closeRun(), `${this.firstRun ? "" : ","}{"results":[`);
        this.firstRun = false;
        this.source = f.source;
      }
      let rule = this.rules.get(f.rule_id);
      if (!rule) {
        if (!f.rule_json) throw new Error(`SARIF export: rule ${f.rule_id} without its first row`);
        rule = { index: this.rules.size, json: ruleJson(f.rule_id, JSON.parse(f.rule_json) as RuleFields) };
        this.rules.set(f.rule_id, rule);
      }
      // the result's JSON as Postgres wrote it, with the members only the writer knows put first
      const own = `"ruleIndex":${rule.index},${f.status === "suppressed" ? SUPPRESSED : ""}`;
      out.push(`${this.firstResult ? "" : ","}{${own}${f.result_json.slice(1)}`);
      this.firstResult = false;
    }
    return out;
  }

  end(): string {
    return `${this.closeRun()}]}`;
  }

  private closeRun(): string {
    if (this.source === null) return "";
    const tool = {
      driver: {
        name: `bulwark/${this.source}`,
        fullName: `Bulwark findings from ${this.source}`,
        rules: [...this.rules.values()].map((r) => r.json),
      },
    };
    const run = `],"tool":${JSON.stringify(tool)},"columnKind":"unicodeCodePoints","properties":{"source":${JSON.stringify(this.source)}}}`;
    this.source = null;
    this.rules = new Map();
    this.firstResult = true;
    return run;
  }
}
