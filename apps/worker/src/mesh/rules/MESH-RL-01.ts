import { N } from "../nist.js";
import { gatewaysWithout } from "./edge-filters.js";
import type { MeshRule } from "./types.js";
import { y } from "./util.js";

const RATE_LIMIT = ["envoy.filters.http.local_ratelimit", "envoy.filters.http.ratelimit", "local_ratelimit"];

export const rule: MeshRule = {
  id: "MESH-RL-01",
  title: "No rate limiting at the ingress gateway",
  severity: "medium",
  strategy: "RES-RL",
  nist: [N.SS8],
  needs: ["istio"],
  rationale:
    "MS-SS-8 asks for throttling at the entry point: without a local or global rate limit on the ingress " +
    "gateway, one client can exhaust the backends (and brute-force credentials) at line rate.",
  remediation:
    "Add a local rate limit (EnvoyFilter with envoy.filters.http.local_ratelimit) or a global rate-limit service on the gateway.",
  fix: (v) =>
    y({
      apiVersion: "networking.istio.io/v1alpha3",
      kind: "EnvoyFilter",
      metadata: { name: "ingress-local-ratelimit", namespace: v.resource.namespace },
      spec: {
        workloadSelector: { labels: v.evidence?.selector ?? { istio: "ingressgateway" } },
        configPatches: [
          {
            applyTo: "HTTP_FILTER",
            match: {
              context: "GATEWAY",
              listener: {
                filterChain: { filter: { name: "envoy.filters.network.http_connection_manager" } },
              },
            },
            patch: {
              operation: "INSERT_BEFORE",
              value: {
                name: "envoy.filters.http.local_ratelimit",
                typed_config: {
                  "@type":
                    "type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit",
                  stat_prefix: "http_local_rate_limiter",
                  token_bucket: { max_tokens: 1000, tokens_per_fill: 1000, fill_interval: "1s" },
                  filter_enabled: {
                    runtime_key: "local_rate_limit_enabled",
                    default_value: { numerator: 100, denominator: "HUNDRED" },
                  },
                  filter_enforced: {
                    runtime_key: "local_rate_limit_enforced",
                    default_value: { numerator: 100, denominator: "HUNDRED" },
                  },
                },
              },
            },
          },
        ],
      },
    }),
  references: ["https://istio.io/latest/docs/tasks/policy-enforcement/rate-limit/"],
  check: (ctx) => gatewaysWithout(ctx, RATE_LIMIT, "no rate-limit filter applies to this ingress gateway"),
};
