import { CATEGORIES, SEVERITIES, STRATEGIES } from "@bulwark/schema";

type Say = (line?: string) => void;
interface Finding {
  severity: string;
  taxonomy: { category: string; strategy: string };
}

function count<T>(items: T[], key: (t: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const i of items) m.set(key(i), (m.get(key(i)) ?? 0) + 1);
  return m;
}

export function printReportStats(
  say: Say,
  reports: { id: string; source: string; status: string; error: string | null; stats: unknown }[],
) {
  say();
  for (const r of reports) {
    say(`  ${r.source.padEnd(14)} ${r.id}  ${r.status}  ${r.error ?? JSON.stringify(r.stats)}`);
  }
}

/** Open findings per severity, category and strategy, in the taxonomy's order. */
export function printSummary(say: Say, findings: Finding[]) {
  say();
  say(`Open findings: ${findings.length}`);
  const bySev = count(findings, (f) => f.severity);
  say(`  by severity: ${SEVERITIES.map((s) => `${s} ${bySev.get(s) ?? 0}`).join(" · ")}`);
  const byCat = count(findings, (f) => f.taxonomy.category);
  const byStrat = count(findings, (f) => f.taxonomy.strategy);
  say("  by category and strategy:");
  for (const c of CATEGORIES) {
    say(`    ${c.id.padEnd(5)} ${String(byCat.get(c.id) ?? 0).padStart(5)}  ${c.name}`);
    for (const s of STRATEGIES.filter((x) => x.category === c.id)) {
      const n = byStrat.get(s.id) ?? 0;
      if (n > 0) say(`          ${s.id.padEnd(13)} ${String(n).padStart(5)}  ${s.name}`);
    }
  }
}
