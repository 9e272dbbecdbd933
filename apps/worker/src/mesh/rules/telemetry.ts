import { type K8sObject, type Rec, rec, recs, str, strs } from "../model/objects.js";
import type { MeshContext } from "./types.js";

/** Telemetry resources that apply mesh-wide: root namespace, no selector, no targetRef(s). */
export function meshTelemetries(ctx: MeshContext): K8sObject[] {
  return ctx.inv
    .of("Telemetry")
    .filter(
      (t) =>
        t.namespace === ctx.root &&
        Object.keys(rec(rec(t.spec.selector).matchLabels)).length === 0 &&
        !t.spec.targetRef &&
        recs(t.spec.targetRefs).length === 0,
    );
}

export const entries = (ts: readonly K8sObject[], key: "accessLogging" | "tracing" | "metrics"): Rec[] =>
  ts.flatMap((t) => recs(t.spec[key]));

export const providerNames = (e: Rec) => recs(e.providers).map((p) => str(p.name) ?? "");

export const defaultProviders = (ctx: MeshContext, key: string) =>
  strs(rec(ctx.inv.cp.mesh.defaultProviders)[key]);

/** Every access-log format the mesh config defines: the legacy accessLogFormat and file providers' formats. */
export function logFormats(ctx: MeshContext): { source: string; text: string }[] {
  const out: { source: string; text: string }[] = [];
  const legacy = str(ctx.inv.cp.mesh.accessLogFormat);
  if (legacy?.trim()) out.push({ source: "accessLogFormat", text: legacy });
  for (const p of recs(ctx.inv.cp.mesh.extensionProviders)) {
    const fmt = rec(rec(p.envoyFileAccessLog).logFormat);
    const text = str(fmt.text) ?? (Object.keys(rec(fmt.labels)).length ? JSON.stringify(fmt.labels) : null);
    if (text?.trim()) out.push({ source: `extensionProviders[${str(p.name) ?? "?"}]`, text });
  }
  return out;
}
