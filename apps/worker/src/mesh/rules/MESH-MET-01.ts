import { type Rec, rec, recs, str } from "../model/objects.js";
import { ISTIO_DOCS, N } from "../nist.js";
import { entries, meshTelemetries } from "./telemetry.js";
import type { MeshRule, Violation } from "./types.js";
import { meshFix, meshRef, objRef } from "./util.js";

const disablesAll = (m: Rec) =>
  recs(m.overrides).some((o) => {
    const metric = str(rec(o.match).metric) ?? "ALL_METRICS";
    return o.disabled === true && metric === "ALL_METRICS" && !rec(o.match).customMetric;
  });

export const rule: MeshRule = {
  id: "MESH-MET-01",
  title: "Mesh metrics disabled",
  severity: "low",
  strategy: "MON-MET",
  nist: [N.SS5, N.A45],
  needs: ["istio"],
  rationale:
    "Request metrics (rates, errors, latencies per source and destination identity) are how a mesh owner sees " +
    "an attack unfold — a spike of 403s, a new caller. Disabling them mesh-wide removes that signal.",
  remediation:
    "Remove the override that disables ALL_METRICS and keep prometheus among the default metrics providers.",
  fix: () => meshFix(null, { defaultProviders: { metrics: ["prometheus"] } }),
  references: [ISTIO_DOCS.telemetry, "https://istio.io/latest/docs/reference/config/metrics/"],
  check(ctx) {
    const out: Violation[] = [];
    for (const t of meshTelemetries(ctx)) {
      if (entries([t], "metrics").some(disablesAll)) {
        out.push({ resource: objRef(t), message: "mesh-wide Telemetry disables ALL_METRICS" });
      }
    }
    const defaults = rec(ctx.inv.cp.mesh.defaultProviders);
    if (Array.isArray(defaults.metrics) && defaults.metrics.length === 0) {
      out.push({ resource: meshRef(ctx), message: "meshConfig.defaultProviders.metrics is empty" });
    }
    return out;
  },
};
