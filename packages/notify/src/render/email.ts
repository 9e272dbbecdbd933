import type { Summary } from "@bulwark/schema";
import {
  filtersLine,
  groupExtent,
  headline,
  lateNote,
  localTime,
  periodLine,
  postureLine,
  severityLine,
  signed,
  total,
} from "./format.js";

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

/** The plain-text part: complete on its own, readable in any client. */
function text(s: Summary): string {
  const out: string[] = [];
  out.push(s.kind === "instant" ? `Bulwark alert — ${s.rule.name}` : `Bulwark summary — ${s.rule.name}`);
  out.push(`${s.tenant.name} · ${periodLine(s)}`);
  const late = lateNote(s);
  if (late) out.push("", late);
  if (s.report) out.push(`Snapshot ${s.report.id}: ${s.report.source} on ${s.report.cluster.name}`);
  if (s.posture) {
    out.push("", `Posture: ${postureLine(s.posture)}`);
    for (const m of s.posture.strategies) {
      out.push(`  ${m.name} (${m.id}): ${m.previousScore} → ${m.score} (${signed(m.change)})`);
    }
  }
  out.push("", "Changes");
  out.push(`  New:      ${severityLine(s.changes.new)}`);
  out.push(`  Reopened: ${severityLine(s.changes.reopened)}`);
  out.push(`  Resolved: ${severityLine(s.changes.resolved)}`);
  if (s.topNew.items.length > 0) {
    out.push("", s.kind === "instant" ? "New findings" : "Top new critical and high");
    for (const g of s.topNew.items) {
      out.push(`  - [${g.severity}] ${g.ruleId} — ${g.title} (${groupExtent(g)})`, `    ${g.link}`);
    }
    if (s.topNew.more > 0) out.push(`  …and ${s.topNew.more} more: ${s.links.changes}`);
  }
  if (s.kind !== "instant") {
    const breaches = total(s.sla.breaches);
    out.push(
      "",
      `SLA breaches: ${breaches === 0 ? "none" : `${breaches} (${severityLine(s.sla.breaches)})`}`,
    );
    for (const b of s.sla.items) {
      const where = [b.cluster, b.resource].filter(Boolean).join(" ");
      out.push(`  - [${b.severity}] ${b.title} — ${where}, ${b.overdueDays} days overdue`, `    ${b.link}`);
    }
    if (s.sla.more > 0) out.push(`  …and ${s.sla.more} more: ${s.links.sla}`);
    const x = s.expiringSuppressions;
    if (x.items.length > 0 || x.findings > 0) {
      out.push(
        "",
        `Suppressions ending within 7 days: ${x.items.length + x.more} (${x.findings} findings return)`,
      );
      for (const i of x.items) {
        out.push(
          `  - ${i.selector || i.id}: "${i.reason}", ends ${localTime(i.expiresAt, s.period.timezone)}`,
        );
      }
      if (x.more > 0) out.push(`  …and ${x.more} more`);
    }
    if (s.silentClusters.length > 0) {
      out.push("", "Silent clusters (no report received lately)");
      for (const c of s.silentClusters) {
        out.push(
          `  - ${c.name}: ${c.lastReportAt ? `last report ${c.silentHours} h ago` : "never reported"}`,
        );
      }
    }
  }
  out.push("", "Links");
  out.push(`  Changes:  ${s.links.changes}`, `  Findings: ${s.links.findings}`);
  if (s.kind !== "instant") out.push(`  SLA:      ${s.links.sla}`, `  Posture:  ${s.links.posture}`);
  out.push("", `Scope: ${filtersLine(s)}`);
  out.push(`Sent by the notification rule "${s.rule.name}" (${s.rule.id}): ${s.links.rule}`);
  return `${out.join("\n")}\n`;
}

const H2 = 'style="font-size:16px;margin:20px 0 6px"';
const TD = 'style="padding:2px 12px 2px 0;vertical-align:top"';

function a(href: string, label: string): string {
  return `<a href="${esc(href)}">${esc(label)}</a>`;
}

/** The HTML part: the same content, no images, inline styles only (mail clients drop stylesheets). */
function html(s: Summary): string {
  const parts: string[] = [];
  const title = s.kind === "instant" ? "Bulwark alert" : "Bulwark summary";
  parts.push(`<h1 style="font-size:20px;margin:0 0 4px">${title}: ${esc(s.rule.name)}</h1>`);
  parts.push(`<p style="color:#555;margin:0">${esc(s.tenant.name)} · ${esc(periodLine(s))}</p>`);
  const late = lateNote(s);
  if (late) parts.push(`<p style="background:#fff3cd;padding:8px"><strong>${esc(late)}</strong></p>`);
  if (s.report) {
    parts.push(
      `<p>Snapshot ${esc(s.report.id)}: ${esc(s.report.source)} on ${esc(s.report.cluster.name)}</p>`,
    );
  }
  if (s.posture) {
    parts.push(`<h2 ${H2}>Posture: ${esc(postureLine(s.posture))}</h2>`);
    if (s.posture.strategies.length > 0) {
      parts.push("<table>");
      for (const m of s.posture.strategies) {
        parts.push(
          `<tr><td ${TD}>${esc(m.name)} (${esc(m.id)})</td><td ${TD}>${m.previousScore} → ${m.score}</td><td ${TD}>${esc(signed(m.change))}</td></tr>`,
        );
      }
      parts.push("</table>");
    }
  }
  parts.push(`<h2 ${H2}>Changes</h2><table>`);
  for (const [label, c] of [
    ["New", s.changes.new],
    ["Reopened", s.changes.reopened],
    ["Resolved", s.changes.resolved],
  ] as const) {
    parts.push(`<tr><td ${TD}><strong>${label}</strong></td><td ${TD}>${esc(severityLine(c))}</td></tr>`);
  }
  parts.push("</table>");
  if (s.topNew.items.length > 0) {
    parts.push(`<h2 ${H2}>${s.kind === "instant" ? "New findings" : "Top new critical and high"}</h2><ul>`);
    for (const g of s.topNew.items) {
      parts.push(
        `<li><strong>[${esc(g.severity)}]</strong> ${a(g.link, g.ruleId)} — ${esc(g.title)} (${esc(groupExtent(g))})</li>`,
      );
    }
    if (s.topNew.more > 0)
      parts.push(`<li>…and ${s.topNew.more} more: ${a(s.links.changes, "all changes")}</li>`);
    parts.push("</ul>");
  }
  if (s.kind !== "instant") {
    const breaches = total(s.sla.breaches);
    parts.push(
      `<h2 ${H2}>SLA breaches: ${breaches === 0 ? "none" : `${breaches} (${esc(severityLine(s.sla.breaches))})`}</h2>`,
    );
    if (s.sla.items.length > 0) {
      parts.push("<ul>");
      for (const b of s.sla.items) {
        const where = [b.cluster, b.resource].filter(Boolean).join(" ");
        parts.push(
          `<li>[${esc(b.severity)}] ${a(b.link, b.title)} — ${esc(where)}, ${b.overdueDays} days overdue</li>`,
        );
      }
      if (s.sla.more > 0) parts.push(`<li>…and ${s.sla.more} more: ${a(s.links.sla, "SLA report")}</li>`);
      parts.push("</ul>");
    }
    const x = s.expiringSuppressions;
    if (x.items.length > 0 || x.findings > 0) {
      parts.push(
        `<h2 ${H2}>Suppressions ending within 7 days: ${x.items.length + x.more} (${x.findings} findings return)</h2><ul>`,
      );
      for (const i of x.items) {
        parts.push(
          `<li>${esc(i.selector || i.id)}: “${esc(i.reason)}”, ends ${esc(localTime(i.expiresAt, s.period.timezone))}</li>`,
        );
      }
      if (x.more > 0) parts.push(`<li>…and ${x.more} more</li>`);
      parts.push("</ul>");
    }
    if (s.silentClusters.length > 0) {
      parts.push(`<h2 ${H2}>Silent clusters</h2><ul>`);
      for (const c of s.silentClusters) {
        parts.push(
          `<li>${esc(c.name)}: ${c.lastReportAt ? `last report ${c.silentHours} h ago` : "never reported"}</li>`,
        );
      }
      parts.push("</ul>");
    }
  }
  parts.push(
    `<p style="margin-top:20px">${a(s.links.changes, "Changes")} · ${a(s.links.findings, "Findings")} · ${a(s.links.sla, "SLA")} · ${a(s.links.posture, "Posture history")}</p>`,
  );
  parts.push(
    `<p style="color:#777;font-size:12px">Scope: ${esc(filtersLine(s))}. Sent by the notification rule “${esc(s.rule.name)}” (${a(s.links.rule, s.rule.id)}).</p>`,
  );
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(headline(s))}</title></head><body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;font-size:14px;color:#222;max-width:720px">${parts.join("")}</body></html>`;
}

export function renderEmail(s: Summary): RenderedEmail {
  return { subject: `[Bulwark] ${headline(s)}`.slice(0, 200), text: text(s), html: html(s) };
}
