import { N } from "../nist.js";
import { gatewaysWithout } from "./edge-filters.js";
import type { MeshRule } from "./types.js";
import { y } from "./util.js";

const CONNECTION_LIMIT = [
  "envoy.filters.network.connection_limit",
  "connection_limit",
  "global_downstream_max_connections",
];

export const rule: MeshRule = {
  id: "MESH-RL-02",
  title: "No downstream connection limit on the ingress gateway",
  severity: "low",
  strategy: "RES-RL",
  nist: [N.SS8],
  needs: ["istio"],
  rationale:
    "Envoy accepts downstream connections without limit unless told otherwise (Istio security bulletin " +
    "ISTIO-SECURITY-2020-007): a connection flood exhausts the gateway's memory and file descriptors.",
  remediation:
    "Set overload.global_downstream_max_connections through the gateway's proxy config (runtimeValues) or add " +
    "a connection_limit network filter.",
  fix: (v) =>
    y({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "istio-ingressgateway", namespace: v.resource.namespace },
      spec: {
        template: {
          metadata: {
            annotations: {
              "proxy.istio.io/config":
                'runtimeValues:\n  "overload.global_downstream_max_connections": "50000"\n',
            },
          },
        },
      },
    }),
  references: ["https://istio.io/latest/news/security/istio-security-2020-007/"],
  check: (ctx) =>
    gatewaysWithout(ctx, CONNECTION_LIMIT, "no downstream connection limit applies to this ingress gateway"),
};
