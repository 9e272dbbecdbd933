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

/** Slack Block Kit's limits (api.slack.com/reference/block-kit): what the receiver test checks too. */
export const SLACK_LIMITS = {
  blocks: 50,
  sectionText: 3000,
  headerText: 150,
  field: 2000,
  fields: 10,
  contextElements: 10,
  fallbackText: 4000,
} as const;

type Text = { type: "mrkdwn" | "plain_text"; text: string };
export type SlackBlock =
  | { type: "header"; text: Text }
  | { type: "section"; text?: Text; fields?: Text[] }
  | { type: "context"; elements: Text[] }
  | { type: "divider" };

export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

/** Slack's mrkdwn escapes: &, < and > (everything else is shown as typed). */
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const clip = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);
const mrkdwn = (text: string, n: number = SLACK_LIMITS.sectionText): Text => ({
  type: "mrkdwn",
  text: clip(text, n),
});
const linkTo = (url: string, label: string) => `<${url}|${esc(label).replace(/\|/g, "¦")}>`;

/**
 * Lines as few sections as possible, each under the text limit, stopping at `budget` sections; what does not
 * fit becomes an overflow line pointing at `moreUrl`.
 */
function sections(lines: string[], budget: number, moreUrl: string, extraMore = 0): SlackBlock[] {
  const blocks: SlackBlock[] = [];
  let current = "";
  let shown = 0;
  const room = SLACK_LIMITS.sectionText - 400; // keep space for the overflow line and its link
  for (const line of lines) {
    const l = clip(line, room);
    if (current && current.length + 1 + l.length > room) {
      if (blocks.length + 1 >= budget) break;
      blocks.push({ type: "section", text: mrkdwn(current) });
      current = "";
    }
    current = current ? `${current}\n${l}` : l;
    shown++;
  }
  const left = lines.length - shown + extraMore;
  if (left > 0) current = `${current}\n…and ${left} more: ${linkTo(moreUrl, "see all")}`;
  if (current) blocks.push({ type: "section", text: mrkdwn(current) });
  return blocks;
}

/** The summary as Block Kit: within every limit whatever the number of items (an overflow line says how many more). */
export function renderSlack(s: Summary): SlackMessage {
  const blocks: SlackBlock[] = [];
  const title = s.kind === "instant" ? "Bulwark alert" : "Bulwark summary";
  blocks.push({
    type: "header",
    text: { type: "plain_text", text: clip(`${title}: ${s.rule.name}`, SLACK_LIMITS.headerText) },
  });
  blocks.push({ type: "context", elements: [mrkdwn(esc(`${s.tenant.name} · ${periodLine(s)}`))] });
  const late = lateNote(s);
  if (late) blocks.push({ type: "section", text: mrkdwn(`:warning: *${esc(late)}*`) });
  const fields: Text[] = [];
  if (s.posture) fields.push(mrkdwn(`*Posture*\n${postureLine(s.posture)}`, SLACK_LIMITS.field));
  if (s.report)
    fields.push(
      mrkdwn(`*Snapshot*\n${esc(`${s.report.source} on ${s.report.cluster.name}`)}`, SLACK_LIMITS.field),
    );
  fields.push(mrkdwn(`*New*\n${severityLine(s.changes.new)}`, SLACK_LIMITS.field));
  fields.push(mrkdwn(`*Reopened*\n${severityLine(s.changes.reopened)}`, SLACK_LIMITS.field));
  fields.push(mrkdwn(`*Resolved*\n${severityLine(s.changes.resolved)}`, SLACK_LIMITS.field));
  if (s.kind !== "instant") {
    const breaches = total(s.sla.breaches);
    fields.push(
      mrkdwn(`*SLA breaches*\n${breaches === 0 ? "none" : severityLine(s.sla.breaches)}`, SLACK_LIMITS.field),
    );
  }
  blocks.push({ type: "section", fields: fields.slice(0, SLACK_LIMITS.fields) });
  if (s.posture && s.posture.strategies.length > 0) {
    const lines = s.posture.strategies.map(
      (m) => `• ${esc(m.name)} (${m.id}): ${m.previousScore} → ${m.score} (${signed(m.change)})`,
    );
    blocks.push(...sections(["*Strategies that moved*", ...lines], 2, s.links.posture));
  }
  // what follows shares the remaining budget; the footer needs two blocks
  const budget = () => SLACK_LIMITS.blocks - blocks.length - 2;
  if (s.topNew.items.length > 0) {
    blocks.push({ type: "divider" });
    const heading = s.kind === "instant" ? "*New findings*" : "*Top new critical and high*";
    const lines = s.topNew.items.map(
      (g) => `• *[${g.severity}]* ${linkTo(g.link, g.ruleId)} ${esc(g.title)} _(${groupExtent(g)})_`,
    );
    blocks.push(...sections([heading, ...lines], Math.min(10, budget()), s.links.changes, s.topNew.more));
  }
  if (s.kind !== "instant") {
    if (s.sla.items.length > 0 && budget() > 1) {
      const lines = s.sla.items.map(
        (b) =>
          `• *[${b.severity}]* ${linkTo(b.link, b.title)} ${esc([b.cluster, b.resource].filter(Boolean).join(" "))}, ${b.overdueDays} days overdue`,
      );
      blocks.push(...sections(["*SLA breaches*", ...lines], Math.min(5, budget()), s.links.sla, s.sla.more));
    }
    const x = s.expiringSuppressions;
    if ((x.items.length > 0 || x.findings > 0) && budget() > 1) {
      const lines = x.items.map(
        (i) =>
          `• ${esc(i.selector || i.id)}: “${esc(i.reason)}”, ends ${esc(localTime(i.expiresAt, s.period.timezone))}`,
      );
      const head = `*Suppressions ending within 7 days* (${x.findings} findings return)`;
      blocks.push(...sections([head, ...lines], Math.min(3, budget()), s.links.findings, x.more));
    }
    if (s.silentClusters.length > 0 && budget() > 1) {
      const lines = s.silentClusters.map(
        (c) =>
          `• ${esc(c.name)}: ${c.lastReportAt ? `last report ${c.silentHours} h ago` : "never reported"}`,
      );
      blocks.push(...sections(["*Silent clusters*", ...lines], Math.min(3, budget()), s.links.findings));
    }
  }
  blocks.push({ type: "divider" });
  blocks.push({
    type: "context",
    elements: [
      mrkdwn(
        `${linkTo(s.links.changes, "Changes")} · ${linkTo(s.links.findings, "Findings")} · ${linkTo(s.links.sla, "SLA")} · ${linkTo(s.links.posture, "Posture")}`,
      ),
      mrkdwn(esc(`Scope: ${filtersLine(s)} · rule ${s.rule.id}`)),
    ],
  });
  return { text: clip(headline(s), SLACK_LIMITS.fallbackText), blocks: blocks.slice(0, SLACK_LIMITS.blocks) };
}
