/**
 * The Bulwark taxonomy (shared/TAXONOMY.md, normative). IDs are stable and never renamed.
 * `nist` holds the default citations of a strategy: only identifiers marked H or M in
 * reference/nist-800-204-taxonomy.md, section-level citations otherwise.
 */
export const CATEGORIES = [
  { id: "PROT", name: "Communication protection, authentication and authorization" },
  { id: "RES", name: "Resilience and fault tolerance" },
  { id: "MON", name: "Security monitoring" },
  { id: "LP", name: "Least privilege" },
  { id: "INT", name: "Integrity" },
  { id: "PLAT", name: "Platform baseline" },
] as const;

export type CategoryId = (typeof CATEGORIES)[number]["id"];

export interface Strategy {
  id: string;
  category: CategoryId;
  name: string;
  covers: string;
  nist: readonly string[];
}

export const STRATEGIES = [
  {
    id: "PROT-TLS",
    category: "PROT",
    name: "Encryption in transit",
    covers: "TLS everywhere, TLS floors, server-cert verification, plaintext ports",
    nist: ["SP 800-204 MS-SS-4", "SP 800-204A SM-DR6"],
  },
  {
    id: "PROT-MTLS",
    category: "PROT",
    name: "Service-to-service authentication",
    covers:
      "mTLS STRICT, workload identity (SPIFFE), mesh CA rooted in enterprise PKI, short-lived identity certificates",
    nist: ["SP 800-204 MS-SS-4", "SP 800-204A SM-DR6", "SP 800-204A SM-DR16"],
  },
  {
    id: "PROT-EUAUTHN",
    category: "PROT",
    name: "End-user authentication",
    covers: "verifiable tokens (JWT) checked on every hop, short token lifetimes",
    nist: ["SP 800-204 MS-SS-1", "SP 800-204B EAUN-SR-1"],
  },
  {
    id: "PROT-AUTHZ",
    category: "PROT",
    name: "Access (authorization) control",
    covers: "default deny, attribute-based rules per identity, namespace-local by default",
    nist: ["SP 800-204 MS-SS-2", "SP 800-204B APE-SR-3"],
  },
  {
    id: "PROT-EDGE",
    category: "PROT",
    name: "Ingress/egress traffic management and segmentation",
    covers:
      "gateway hosts and TLS, egress allow-list (REGISTRY_ONLY), Sidecar scoping, NetworkPolicy, NodePort/externalIP bypasses",
    nist: ["SP 800-204A SM-DR8", "SP 800-204A SM-DR2"],
  },
  {
    id: "PROT-COVER",
    category: "PROT",
    name: "Mesh coverage (non-bypassable enforcement)",
    covers: "sidecar injected everywhere, no capture exclusions, no hostNetwork bypass, injector intact",
    nist: ["SP 800-204A SM-DR1", "SP 800-204 MS-SS-13"],
  },
  {
    id: "RES-LB",
    category: "RES",
    name: "Load balancing with health checks",
    covers: "probes, replicas, outlier ejection",
    nist: ["SP 800-204 MS-SS-7", "SP 800-204A §4.6"],
  },
  {
    id: "RES-RL",
    category: "RES",
    name: "Rate limiting",
    covers: "local/global rate limits, connection limits, API-server EventRateLimit",
    nist: ["SP 800-204 MS-SS-8", "SP 800-204A §4.6"],
  },
  {
    id: "RES-CB",
    category: "RES",
    name: "Circuit breaking",
    covers: "outlierDetection, connectionPool limits",
    nist: ["SP 800-204 MS-SS-6", "SP 800-204A §4.6"],
  },
  {
    id: "RES-RT",
    category: "RES",
    name: "Retries and timeouts",
    covers: "bounded retries, per-try timeouts, route timeouts",
    nist: ["SP 800-204 MS-SS-6", "SP 800-204A §4.6"],
  },
  {
    id: "RES-CAP",
    category: "RES",
    name: "Resource isolation",
    covers: "requests/limits, LimitRange, ResourceQuota",
    nist: ["SP 800-204A §2.3"],
  },
  {
    id: "MON-MET",
    category: "MON",
    name: "Metrics",
    covers: "mesh and workload metrics enabled and scraped",
    nist: ["SP 800-204 MS-SS-5", "SP 800-204A §4.5"],
  },
  {
    id: "MON-LOG",
    category: "MON",
    name: "Logs",
    covers: "access logs for every request with the needed fields, no secrets in logs, API audit logs",
    nist: ["SP 800-204 MS-SS-5", "SP 800-204A §4.5"],
  },
  {
    id: "MON-TRC",
    category: "MON",
    name: "Traces",
    covers: "tracing provider and sampling",
    nist: ["SP 800-204 MS-SS-5", "SP 800-204A §4.5"],
  },
  {
    id: "LP-CTR",
    category: "LP",
    name: "Container privilege removal",
    covers:
      "no root, no privilege escalation, capabilities dropped, no host namespaces or hostPath, read-only root FS, seccomp",
    nist: ["SP 800-204B AHLC-SR-1", "SP 800-204B AHLC-SR-4"],
  },
  {
    id: "LP-OPS",
    category: "LP",
    name: "Scoped operation permissions",
    covers:
      "RBAC on mesh and cluster resources (who may edit AuthorizationPolicy, Gateway, ServiceEntry, deploy into istio-system, read secrets), service-account tokens",
    nist: ["SP 800-204A §4.8", "SP 800-204 MS-SS-2"],
  },
  {
    id: "INT-VULN",
    category: "INT",
    name: "Software integrity and patching",
    covers: "CVEs in images (mesh images included), mutable tags, deprecated APIs, unsupported versions",
    nist: ["SP 800-204 MS-SS-9", "SP 800-204C §4.8.1"],
  },
  {
    id: "INT-SECRET",
    category: "INT",
    name: "Secrets and key hygiene",
    covers: "exposed secrets, secrets in ConfigMaps or env, mesh CA key storage, encryption at rest",
    nist: ["SP 800-204 MS-SS-1", "SP 800-204A SM-DR12"],
  },
  {
    id: "PLAT-CIS",
    category: "PLAT",
    name: "CIS Kubernetes Benchmark baseline",
    covers: "control plane, etcd and node configuration not covered above",
    nist: [],
  },
] as const satisfies readonly Strategy[];

export type StrategyId = (typeof STRATEGIES)[number]["id"];

export const CATEGORY_IDS = CATEGORIES.map((c) => c.id) as [CategoryId, ...CategoryId[]];
export const STRATEGY_IDS = STRATEGIES.map((s) => s.id) as [StrategyId, ...StrategyId[]];

const byId = new Map<string, Strategy>(STRATEGIES.map((s) => [s.id, s]));

export function getStrategy(id: string): Strategy | undefined {
  return byId.get(id);
}

export function isStrategyId(id: string): id is StrategyId {
  return byId.has(id);
}

/** The category a strategy belongs to (strategy ids are prefixed by their category). */
export function categoryOf(strategy: StrategyId): CategoryId {
  return (byId.get(strategy) as Strategy).category;
}

/** The taxonomy attached to every finding. */
export interface Taxonomy {
  category: CategoryId;
  strategy: StrategyId;
  nist: string[];
  /** false when the check id had no entry in a mapping table and was placed by the tool's own category. */
  mapped: boolean;
}

export function taxonomyFor(strategy: StrategyId, nist?: readonly string[], mapped = true): Taxonomy {
  const s = byId.get(strategy) as Strategy;
  return { category: s.category, strategy, nist: [...(nist && nist.length > 0 ? nist : s.nist)], mapped };
}
