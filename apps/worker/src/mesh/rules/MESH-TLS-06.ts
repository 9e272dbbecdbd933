import { rec, str } from "../model/objects.js";
import { ISTIO_DOCS, N } from "../nist.js";
import type { MeshRule } from "./types.js";
import { meshFix, meshRef } from "./util.js";

const BELOW_12 = new Set(["TLSV1_0", "TLSV1_1"]);

export const rule: MeshRule = {
  id: "MESH-TLS-06",
  title: "Mesh mTLS minimum TLS version below TLS 1.3",
  severity: "info",
  strategy: "PROT-TLS",
  nist: [N.SS4],
  needs: ["istio", "meshConfig"],
  rationale:
    "meshConfig.meshMTLS.minProtocolVersion sets the floor for sidecar-to-sidecar mTLS. Unset it is TLS 1.2; " +
    "every proxy in the mesh speaks TLS 1.3, so a 1.3 floor removes downgrade and legacy cipher exposure at " +
    "no compatibility cost. A floor below 1.2 is a real weakness.",
  remediation: "Set meshMTLS.minProtocolVersion to TLSV1_3 in the mesh config.",
  fix: () => meshFix(null, { meshMTLS: { minProtocolVersion: "TLSV1_3" } }),
  references: [
    ISTIO_DOCS.meshConfig,
    "https://istio.io/latest/docs/tasks/security/tls-configuration/workload-min-tls-version/",
  ],
  check(ctx) {
    const v = str(rec(ctx.inv.cp.mesh.meshMTLS).minProtocolVersion)?.toUpperCase() ?? null;
    if (v === "TLSV1_3") return [];
    return [
      {
        resource: meshRef(ctx),
        severity: v && BELOW_12.has(v) ? "high" : "info",
        message: v ? `meshMTLS.minProtocolVersion is ${v}` : "meshMTLS.minProtocolVersion unset (TLS 1.2)",
        evidence: { minProtocolVersion: v },
      },
    ];
  },
};
