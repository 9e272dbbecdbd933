import { rec, str } from "../model/objects.js";
import { ISTIO_DOCS, N } from "../nist.js";
import { entries } from "./telemetry.js";
import type { MeshRule, Violation } from "./types.js";
import { meta, objRef, y } from "./util.js";

export const rule: MeshRule = {
  id: "MESH-LOG-04",
  title: "Access-log filter drops requests",
  severity: "low",
  strategy: "MON-LOG",
  nist: [N.A45],
  needs: ["istio"],
  rationale:
    "A Telemetry accessLogging filter (e.g. `response.code >= 400`) keeps only part of the traffic: successful " +
    "requests of an attacker — the ones that matter in an investigation — are not recorded.",
  remediation:
    "Log every request for security-relevant workloads; reduce volume by sampling in the log pipeline instead.",
  fix: (v) =>
    y({
      apiVersion: "telemetry.istio.io/v1",
      kind: "Telemetry",
      metadata: meta(v.resource),
      spec: { accessLogging: [{ providers: [{ name: "envoy" }] }] },
    }),
  references: [ISTIO_DOCS.telemetry],
  check(ctx) {
    const out: Violation[] = [];
    for (const t of ctx.inv.of("Telemetry")) {
      const filters = entries([t], "accessLogging")
        .map((e) => str(rec(e.filter).expression))
        .filter((x): x is string => !!x?.trim());
      if (filters.length === 0) continue;
      out.push({
        resource: objRef(t),
        message: `access logs filtered by ${filters.join("; ")}`,
        evidence: { filters },
      });
    }
    return out;
  },
};
