import type { Summary } from "@bulwark/schema";

type Counts = Summary["changes"]["new"];
const ORDER = ["critical", "high", "medium", "low", "info"] as const;

/** "2 critical · 5 high", or "none". */
export function severityLine(c: Counts | Summary["sla"]["breaches"]): string {
  const parts = ORDER.filter((s) => (c as Record<string, number>)[s]).map(
    (s) => `${(c as Record<string, number>)[s]} ${s}`,
  );
  return parts.length > 0 ? parts.join(" · ") : "none";
}

export function total(c: Counts | Summary["sla"]["breaches"]): number {
  return Object.values(c).reduce((a, b) => a + b, 0);
}

/** A time in the rule's zone: "Mon 23 Nov 2026, 08:00". */
export function localTime(iso: string, timezone: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone: timezone,
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(new Date(iso));
}

export function periodLine(s: Summary): string {
  const tz = s.period.timezone;
  if (s.kind === "instant") return `${localTime(s.period.end, tz)} (${tz})`;
  return `${localTime(s.period.start, tz)} → ${localTime(s.period.end, tz)} (${tz})`;
}

/** "+3", "−2", "±0" (a real minus sign, readable in every client). */
export function signed(n: number): string {
  return n > 0 ? `+${n}` : n < 0 ? `−${-n}` : "±0";
}

export function postureLine(p: NonNullable<Summary["posture"]>): string {
  return p.change === null ? `${p.score}/100` : `${p.score}/100 (${signed(p.change)})`;
}

export function groupExtent(g: Summary["topNew"]["items"][number]): string {
  const parts = [`${g.workloads} workload${g.workloads === 1 ? "" : "s"}`];
  if (g.namespaces > 1) parts.push(`${g.namespaces} namespaces`);
  if (g.clusters > 1) parts.push(`${g.clusters} clusters`);
  return parts.join(", ");
}

export function filtersLine(s: Summary): string {
  const f = s.filters;
  const parts: string[] = [];
  if (f.clusters.length) parts.push(`clusters ${f.clusters.map((c) => c.name).join(", ")}`);
  if (f.namespaces.length) parts.push(`namespaces ${f.namespaces.join(", ")}`);
  if (f.sources.length) parts.push(`sources ${f.sources.join(", ")}`);
  if (f.categories.length) parts.push(`categories ${f.categories.join(", ")}`);
  if (f.strategies.length) parts.push(`strategies ${f.strategies.join(", ")}`);
  if (f.minSeverity) parts.push(`${f.minSeverity} and above`);
  return parts.length > 0 ? parts.join(" · ") : "all findings";
}

/** One subject line, for the mail subject and Slack's notification text. */
export function headline(s: Summary): string {
  const late = s.period.late ? "(late) " : "";
  if (s.kind === "instant") {
    const n = total(s.changes.new) + total(s.changes.reopened);
    const where = s.report ? ` in ${s.report.cluster.name} (${s.report.source})` : "";
    return `${late}${s.rule.name}: ${n} new finding${n === 1 ? "" : "s"}${where}`;
  }
  const crit = s.changes.new.critical + s.changes.reopened.critical;
  const high = s.changes.new.high + s.changes.reopened.high;
  const parts = [
    crit || high
      ? `${crit} new critical, ${high} new high`
      : s.unchanged
        ? "no changes"
        : "no new critical or high",
  ];
  if (s.posture) parts.push(`score ${postureLine(s.posture)}`);
  return `${late}${s.rule.name}: ${parts.join(" · ")}`;
}

export function lateNote(s: Summary): string | null {
  if (!s.period.late) return null;
  return `Sent late: the service was down at the scheduled time. This summary covers everything since ${localTime(
    s.period.start,
    s.period.timezone,
  )}.`;
}
