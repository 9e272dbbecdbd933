import { SEVERITIES } from "@bulwark/schema";
import type { NistReport, NistStrategy } from "../../services/compliance/nist.js";

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};
/** Every value that reaches the page goes through here: finding titles come from scanned workloads. */
export const esc = (v: unknown) => String(v ?? "").replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);

const pct = (x: number | null) => (x === null ? "–" : `${Math.round(x * 100)} %`);

function strategySection(s: NistStrategy): string {
  const open = SEVERITIES.map((sev) => `<td>${s.open[sev]}</td>`).join("");
  const evidence = s.evidence.length
    ? `<table class="ev"><thead><tr><th>Severity</th><th>Check</th><th>Finding</th><th>Cluster</th><th>Resource</th></tr></thead><tbody>${s.evidence
        .map(
          (e) =>
            `<tr><td class="sev ${esc(e.severity)}">${esc(e.severity)}</td><td>${esc(e.ruleId)}</td><td>${esc(e.title)}</td><td>${esc(e.cluster)}</td><td>${esc(e.resource ?? "–")}</td></tr>`,
        )
        .join("")}</tbody></table>`
    : `<p class="none">No open finding.</p>`;
  const coverage = s.coverage
    ? `<p>Mesh coverage (${esc(s.coverage.fact)}): ${s.coverage.count} of ${s.coverage.total} workloads, ${pct(s.coverage.share)}.</p>`
    : "";
  return `<section id="${esc(s.id)}">
<h3>${esc(s.id)} — ${esc(s.name)} <span class="score">${s.score}</span></h3>
<p class="covers">${esc(s.covers)}. NIST: ${s.nist.map(esc).join("; ")}.</p>
<table class="nums"><thead><tr><th>Checks evaluated</th><th>Passing</th><th>Failing</th><th>Accepted</th>${SEVERITIES.map((sev) => `<th>Open ${sev}</th>`).join("")}</tr></thead>
<tbody><tr><td>${s.checks}</td><td>${s.passing}</td><td>${s.failing}</td><td>${s.accepted}</td>${open}</tr></tbody></table>
${coverage}${evidence}
</section>`;
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;color:#111;max-width:1100px;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:2px solid #333}h3{margin-top:1.4rem}
table{border-collapse:collapse;width:100%;margin:.4rem 0}th,td{border:1px solid #999;padding:.25rem .4rem;text-align:left;vertical-align:top}
th{background:#eee}.score{float:right;border:2px solid #333;border-radius:4px;padding:0 .4rem}
.sev.critical{color:#8b0000;font-weight:700}.sev.high{color:#a33a00;font-weight:700}.covers,.none{color:#444}
section{break-inside:avoid}@media print{body{margin:0;max-width:none}h2{break-before:page}h2:first-of-type{break-before:auto}}`;

/** A self-contained printable page (no script, no external asset). */
export function nistHtml(r: NistReport): string {
  const scope = r.cluster ? `cluster ${esc(r.cluster.name)}` : "all clusters";
  const sources = r.sources.length
    ? r.sources
        .map((s) => `${esc(s.source)} (${s.clusters} cluster(s), last ${esc(s.lastCollectedAt)})`)
        .join(", ")
    : "no report applied yet";
  const byCategory = new Map<string, NistStrategy[]>();
  for (const s of r.strategies) byCategory.set(s.category.id, [...(byCategory.get(s.category.id) ?? []), s]);
  const body = [...byCategory.values()]
    .map(
      (list) =>
        `<h2>${esc(list[0]?.category.id)} — ${esc(list[0]?.category.name)}</h2>${list.map(strategySection).join("")}`,
    )
    .join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>NIST SP 800-204 report — ${scope}</title><style>${STYLE}</style></head><body>
<h1>NIST SP 800-204 security strategies — ${scope}</h1>
<p>Generated ${esc(r.generatedAt)}. Sources: ${sources}.</p>
<p>A check counts as evaluated once it has produced a finding in this scope; it is failing while an open, unsuppressed finding remains, accepted while its open findings are all suppressed, and passing once all are resolved. Scores: 100·50/(50+W), W = 10·critical + 5·high + 2·medium + 1·low open.</p>
${body}</body></html>`;
}
