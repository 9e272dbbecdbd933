import type { RuleRow } from "../../services/notification-rules/row.js";
import { opt } from "./form.js";

const list = (v: string | undefined) =>
  opt(v)
    ?.split(/[,\s]+/)
    .map((x) => x.trim())
    .filter(Boolean);

/** The rule form's channel fields as the API's channel body; undefined when none is filled (edit: keep it). */
export function channelOf(form: Record<string, string>): unknown {
  const type = form.channelType;
  if (type === "email" && list(form.to)) return { type, to: list(form.to) };
  if (type === "slack" && opt(form.webhookUrl)) return { type, webhookUrl: opt(form.webhookUrl) };
  if (type === "webhook" && opt(form.url)) {
    return { type, url: opt(form.url), ...(opt(form.secret) ? { secret: opt(form.secret) } : {}) };
  }
  return undefined;
}

/** The rule form as the body of POST /v1/notification-rules (the API's schema checks it). */
export function ruleBodyOf(form: Record<string, string>): Record<string, unknown> {
  const filters = Object.fromEntries(
    Object.entries({
      clusters: list(form.clusters),
      namespaces: list(form.namespaces),
      minSeverity: opt(form.minSeverity),
    }).filter(([, v]) => v !== undefined),
  );
  return {
    name: form.name ?? "",
    schedule: { cron: (form.cron ?? "").trim(), timezone: (form.timezone ?? "").trim() },
    channel: channelOf(form) ?? { type: form.channelType ?? "email", to: [] },
    filters,
    skipUnchanged: form.skipUnchanged === "on",
    enabled: form.enabled === "on",
    instant: opt(form.instant) ? { minSeverity: opt(form.instant) } : null,
  };
}

/** The same form as a PATCH: the channel only when its fields were filled (URLs and secrets are write-only). */
export function rulePatchOf(form: Record<string, string>): Record<string, unknown> {
  const { channel, ...rest } = ruleBodyOf(form);
  return channelOf(form) ? { ...rest, channel } : rest;
}

/** The form's initial values for an existing rule. */
export function formOfRule(r: RuleRow): Record<string, string> {
  const f = r.filters;
  const ch = r.channel as { type: string; to?: string[] };
  return {
    name: r.name,
    cron: r.cron,
    timezone: r.timezone,
    channelType: ch.type,
    to: ch.type === "email" ? (ch.to ?? []).join(", ") : "",
    clusters: (f.clusters ?? []).join(", "),
    namespaces: (f.namespaces ?? []).join(", "),
    minSeverity: f.minSeverity ?? "",
    skipUnchanged: r.skipUnchanged ? "on" : "",
    enabled: r.enabled ? "on" : "",
    instant: r.instantMinSeverity ?? "",
  };
}
