import { rec, str } from "../model/objects.js";
import { ISTIO_DOCS, N } from "../nist.js";
import type { MeshRule, Violation } from "./types.js";
import { durationSeconds, meshFix, meshRef, y } from "./util.js";

const DAY = 86_400;
const WEEK = 7 * DAY;

export const rule: MeshRule = {
  id: "MESH-CA-03",
  title: "Workload certificate lifetime longer than 24 hours",
  severity: "medium",
  strategy: "PROT-MTLS",
  nist: [N.DR13],
  needs: ["istio", "istiod"],
  rationale:
    "SM-DR13 asks for identity certificates as short-lived as the infrastructure allows, on the order of " +
    "hours: a stolen workload key stays usable until its certificate expires. Istio's default is 24h; longer " +
    "TTLs (istiod DEFAULT_WORKLOAD_CERT_TTL, or SECRET_TTL requested by proxies) widen that window.",
  remediation:
    "Keep DEFAULT_WORKLOAD_CERT_TTL and SECRET_TTL at 24h or less (1h–12h is practical), and cap " +
    "MAX_WORKLOAD_CERT_TTL so no workload can request more.",
  fix: (v) =>
    v.resource.kind === "Deployment"
      ? y({
          apiVersion: "apps/v1",
          kind: "Deployment",
          metadata: { name: v.resource.name, namespace: v.resource.namespace },
          spec: {
            template: {
              spec: {
                containers: [
                  {
                    name: "discovery",
                    env: [
                      { name: "DEFAULT_WORKLOAD_CERT_TTL", value: "12h" },
                      { name: "MAX_WORKLOAD_CERT_TTL", value: "24h" },
                    ],
                  },
                ],
              },
            },
          },
        })
      : meshFix(null, { defaultConfig: { proxyMetadata: { SECRET_TTL: "12h" } } }),
  references: [ISTIO_DOCS.pluginCa, "https://istio.io/latest/docs/reference/commands/pilot-discovery/"],
  check(ctx) {
    const out: Violation[] = [];
    const sev = (s: number): "high" | "medium" => (s > WEEK ? "high" : "medium");
    for (const d of ctx.inv.cp.istiod) {
      const ttl = durationSeconds(d.env.DEFAULT_WORKLOAD_CERT_TTL ?? null);
      const max = durationSeconds(d.env.MAX_WORKLOAD_CERT_TTL ?? null);
      // the CA issues min(requested, MAX): a long default is capped by a short max
      const effective = ttl === null ? null : max === null ? ttl : Math.min(ttl, max);
      if (effective !== null && effective > DAY) {
        out.push({
          resource: d.ref,
          severity: sev(effective),
          message: `istiod issues ${Math.round(effective / 3600)}h workload certificates by default`,
          evidence: {
            DEFAULT_WORKLOAD_CERT_TTL: d.env.DEFAULT_WORKLOAD_CERT_TTL,
            MAX_WORKLOAD_CERT_TTL: d.env.MAX_WORKLOAD_CERT_TTL ?? null,
          },
        });
      }
    }
    const secretTtl = str(rec(rec(ctx.inv.cp.mesh.defaultConfig).proxyMetadata).SECRET_TTL);
    const requested = durationSeconds(secretTtl);
    const caps = ctx.inv.cp.istiod.map(
      (d) => durationSeconds(d.env.MAX_WORKLOAD_CERT_TTL ?? null) ?? 90 * DAY,
    );
    const granted = requested === null ? null : Math.min(requested, ...caps);
    if (granted !== null && granted > DAY) {
      out.push({
        resource: meshRef(ctx),
        severity: sev(granted),
        message: `proxies request ${secretTtl} certificates (SECRET_TTL) and the CA grants ${Math.round(granted / 3600)}h`,
        evidence: { SECRET_TTL: secretTtl },
      });
    }
    return out;
  },
};
