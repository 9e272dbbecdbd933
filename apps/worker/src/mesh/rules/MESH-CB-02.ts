import { rec } from "../model/objects.js";
import { ISTIO_DOCS, N } from "../nist.js";
import { servicesWithout } from "./dr-coverage.js";
import type { MeshRule } from "./types.js";
import { y } from "./util.js";

const LIMITS = (tp: Record<string, unknown>) => {
  const pool = rec(tp.connectionPool);
  const tcp = rec(pool.tcp);
  const http = rec(pool.http);
  return tcp.maxConnections != null || http.http1MaxPendingRequests != null || http.http2MaxRequests != null;
};

export const rule: MeshRule = {
  id: "MESH-CB-02",
  title: "Services without connection-pool limits",
  severity: "low",
  strategy: "RES-CB",
  also: ["RES-RL"],
  nist: [N.SS6, N.SS8, N.A46],
  needs: ["istio", "services"],
  sidecarOnly: true,
  rationale:
    "Without connectionPool limits a slow or flooded service accumulates unbounded connections and pending " +
    "requests in every caller's proxy: the overload cascades instead of being shed early.",
  remediation:
    "Set connectionPool.tcp.maxConnections and http.http1MaxPendingRequests / http2MaxRequests sized per service.",
  fix: (v) =>
    y({
      apiVersion: "networking.istio.io/v1",
      kind: "DestinationRule",
      metadata: { name: "default-resilience", namespace: v.resource.name },
      spec: {
        host: `*.${v.resource.name}.svc.cluster.local`,
        trafficPolicy: {
          connectionPool: {
            tcp: { maxConnections: 1000 },
            http: { http1MaxPendingRequests: 100, http2MaxRequests: 1000 },
          },
        },
      },
    }),
  references: [ISTIO_DOCS.destinationRule],
  check: (ctx) => servicesWithout(ctx, LIMITS),
};
