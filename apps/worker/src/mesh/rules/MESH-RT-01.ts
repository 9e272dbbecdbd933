import { num, rec, recs, str } from "../model/objects.js";
import { ISTIO_DOCS, N } from "../nist.js";
import type { MeshRule, Violation } from "./types.js";
import { meta, objRef, y } from "./util.js";

const MAX_ATTEMPTS = 5;

export const rule: MeshRule = {
  id: "MESH-RT-01",
  title: "HTTP routes without timeout or with unbounded retries",
  severity: "low",
  strategy: "RES-RT",
  nist: [N.SS6, N.A46],
  needs: ["istio"],
  rationale:
    "Istio sets no route timeout by default, so a hung upstream holds callers' connections indefinitely; retries " +
    "without perTryTimeout, or with many attempts, multiply load on a struggling service (retry storms).",
  remediation: "Give every route a timeout, and bound retries (attempts ≤ 3, perTryTimeout, retryOn).",
  fix: (v) =>
    y({
      apiVersion: "networking.istio.io/v1",
      kind: "VirtualService",
      metadata: meta(v.resource),
      spec: {
        http: [
          {
            route: [{ destination: { host: "svc" } }],
            timeout: "10s",
            retries: {
              attempts: 3,
              perTryTimeout: "2s",
              retryOn: "connect-failure,refused-stream,unavailable,cancelled,503",
            },
          },
        ],
      },
    }),
  references: [
    ISTIO_DOCS.virtualService,
    "https://istio.io/latest/docs/concepts/traffic-management/#timeouts",
  ],
  check(ctx) {
    const out: Violation[] = [];
    for (const vs of ctx.inv.of("VirtualService")) {
      const problems: string[] = [];
      recs(vs.spec.http).forEach((h, i) => {
        // redirects and direct responses never reach an upstream
        if (recs(h.route).length === 0) return;
        if (!str(h.timeout)) problems.push(`http[${i}] no timeout`);
        if (h.retries) {
          const r = rec(h.retries);
          const attempts = num(r.attempts) ?? 0;
          if (attempts > MAX_ATTEMPTS) problems.push(`http[${i}] ${attempts} retry attempts`);
          if (attempts > 0 && !str(r.perTryTimeout))
            problems.push(`http[${i}] retries without perTryTimeout`);
        }
      });
      if (problems.length === 0) continue;
      out.push({
        resource: objRef(vs),
        message: problems.slice(0, 10).join("; "),
        evidence: { problems: problems.slice(0, 50) },
      });
    }
    return out;
  },
};
