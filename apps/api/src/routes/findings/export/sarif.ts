import type { FindingRow } from "@bulwark/insights";
import { CATEGORIES, STRATEGIES } from "@bulwark/schema";

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

function ruleJson(f: FindingRow): Record<string, unknown> {
  const help = f.remediation ? `${f.title}\n\nRemediation: ${f.remediation}` : f.title;
  return {
    id: f.rule_id,
    name: f.rule_id,
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

function resultJson(f: FindingRow, ruleIndex: number): Record<string, unknown> {
  const path = [f.cluster_name, f.resource_namespace, f.resource_kind, f.resource_name, f.resource_container]
    .filter((p): p is string => Boolean(p))
    .join("/");
  const where = path || f.cluster_name;
  return {
    ruleId: f.rule_id,
    ruleIndex,
    level: LEVEL[f.severity] ?? "warning",
    message: { text: `${f.title} (${where})` },
    locations: [
      {
        logicalLocations: [
          { name: f.resource_name ?? f.cluster_name, fullyQualifiedName: where, kind: "resource" },
        ],
      },
    ],
    // the stable identity across scans: code-scanning tools match results by it
    partialFingerprints: { "bulwarkFinding/v1": f.fingerprint },
    ...(f.status === "suppressed" ? { suppressions: [{ kind: "external", status: "accepted" }] } : {}),
    properties: {
      findingId: f.id,
      severity: f.severity,
      status: f.status,
      cluster: { id: f.cluster_id, name: f.cluster_name },
      resource: {
        kind: f.resource_kind,
        namespace: f.resource_namespace,
        name: f.resource_name,
        container: f.resource_container,
        image: f.resource_image,
      },
      taxonomy: { category: f.category, strategy: f.strategy, nist: f.nist, mapped: f.mapped },
      firstSeenAt: f.first_seen_at.toISOString(),
      lastSeenAt: f.last_seen_at.toISOString(),
    },
  };
}

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
  rows(batch: readonly FindingRow[]): string[] {
    const out: string[] = [];
    for (const f of batch) {
      if (f.source !== this.source) {
        out.push(this.closeRun(), `${this.firstRun ? "" : ","}{"results":[`);
        this.firstRun = false;
        this.source = f.source;
      }
      let rule = this.rules.get(f.rule_id);
      if (!rule) {
        rule = { index: this.rules.size, json: ruleJson(f) };
        this.rules.set(f.rule_id, rule);
      }
      out.push(`${this.firstResult ? "" : ","}${JSON.stringify(resultJson(f, rule.index))}`);
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
