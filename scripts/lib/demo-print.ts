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

interface HistoryPoint {
  at: string;
  score: number;
  open: Record<string, number>;
}

const SPARK = "▁▂▃▄▅▆▇█";

/** The last 7 UTC days of the posture score as a line: one value per day, · where no point exists yet. */
export function printTrend(say: Say, points: HistoryPoint[], days: string[]) {
  const byDay = new Map(points.map((p) => [p.at, p]));
  const cells = days.map((d) => byDay.get(d));
  const spark = cells
    .map((p) =>
      p ? (SPARK[Math.min(SPARK.length - 1, Math.floor((p.score / 101) * SPARK.length))] ?? "·") : "·",
    )
    .join("");
  const values = cells.map((p, i) => `${days[i]?.slice(5)} ${p ? p.score : "·"}`).join("  ");
  say(`  7-day trend ${spark}  ${values}`);
  const first = cells.find((p) => p);
  const last = cells.at(-1);
  if (first && last && first !== last) {
    const d = last.score - first.score;
    say(
      `    score ${d >= 0 ? "+" : ""}${d} since ${first.at}; open critical ${first.open.critical ?? 0} → ${last.open.critical ?? 0}`,
    );
  }
}

interface Group {
  ruleId: string;
  image?: string | null;
  severity: string;
  title: string;
  workloads: number;
  namespaces: number;
  clusters: number;
}

/** The vulnerability groups that touch the most workloads, worst first. */
export function printTopGroups(say: Say, groups: Group[]) {
  say("  top vulnerability groups (one line per CVE and image):");
  if (groups.length === 0) say("    none open");
  for (const g of groups) {
    const title = g.title.length > 60 ? `${g.title.slice(0, 57)}…` : g.title;
    say(
      `    ${g.severity.padEnd(8)} ${g.ruleId.padEnd(16)} ${g.workloads} workload(s), ${g.namespaces} namespace(s), ${g.clusters} cluster(s)  ${g.image ?? ""}`,
    );
    say(`             ${title}`);
  }
}
