import { ISTIO_DOCS, N } from "../nist.js";
import { servicesWithout } from "./dr-coverage.js";
import type { MeshRule } from "./types.js";
import { y } from "./util.js";

export const rule: MeshRule = {
  id: "MESH-CB-01",
  title: "Services without outlier detection",
  severity: "low",
  strategy: "RES-CB",
  nist: [N.SS6, N.A46],
  needs: ["istio", "services"],
  sidecarOnly: true,
  rationale:
    "Without outlierDetection, clients keep sending requests to failing endpoints: one bad replica (or an " +
    "attacked one) degrades every caller instead of being ejected (MS-SS-6 circuit breaking in the proxy).",
  remediation:
    "Set outlierDetection in a DestinationRule per service, or once for the mesh with a root-namespace rule on " +
    "`*.svc.cluster.local`.",
  fix: (v) =>
    y({
      apiVersion: "networking.istio.io/v1",
      kind: "DestinationRule",
      metadata: { name: "default-resilience", namespace: v.resource.name },
      spec: {
        host: `*.${v.resource.name}.svc.cluster.local`,
        trafficPolicy: {
          outlierDetection: {
            consecutive5xxErrors: 5,
            interval: "10s",
            baseEjectionTime: "30s",
            maxEjectionPercent: 50,
          },
        },
      },
    }),
  references: [
    ISTIO_DOCS.destinationRule,
    "https://istio.io/latest/docs/tasks/traffic-management/circuit-breaking/",
  ],
  check: (ctx) => servicesWithout(ctx, (tp) => !!tp.outlierDetection),
};
