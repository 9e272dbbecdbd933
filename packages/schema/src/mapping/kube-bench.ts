import type { StrategyId } from "../taxonomy.js";
import { type CheckMapping, NIST, type TextRule, type VersionOverride } from "./types.js";

/**
 * kube-bench (CIS Kubernetes Benchmark) checks → taxonomy, by the CHECK TEXT (test_desc): CIS numbering moves
 * between benchmark versions (reference/check-mapping.md §4), the wording barely does. Rules are tried in
 * order and the first match wins, so specific rules come before the generic ones they overlap with.
 * Every row of check-mapping.md §4 has a rule; unmatched checks become PLAT-CIS with mapped=false.
 */
const { SS1, SS9, SS13, DR11, DR12, A23, A45, A48, AHLC1, AHLC4, APE3 } = NIST;

type Extra = Pick<CheckMapping, "also" | "note">;
const rule = (
  id: string,
  pattern: RegExp,
  strategy: StrategyId,
  nist: readonly string[] = [],
  extra: Extra = {},
): TextRule => ({ id, pattern, strategy, nist, ...extra });

export const KUBE_BENCH_RULES: readonly TextRule[] = [
  // 3.1.x — human users must not authenticate with client certs / SA tokens / bootstrap tokens
  rule("user-authn", /should not be used for users/i, "LP-OPS", [A48]),
  // 1.2.16–1.2.19 audit-log flags, 3.2.x audit policy, managed-service "enable audit logs"
  rule("audit-logging", /audit/i, "MON-LOG", [A45]),
  // 1.1.x file permissions/ownership: the PKI and admin.conf ones first
  rule("pki-key-file", /PKI key file/i, "INT-SECRET", [], { also: ["PLAT-CIS"] }),
  rule("pki-files", /PKI (?:directory|certificate)/i, "PLAT-CIS", [], { also: ["INT-SECRET"] }),
  rule("admin-kubeconfig", /admin\.conf|administrative credential/i, "LP-OPS", [A48], {
    also: ["PLAT-CIS"],
    note: "§4 lumps it with PLAT-CIS 1.1.x; aligned with Trivy KCV-0060/0061 (cluster-admin credentials)",
  }),
  rule("file-permissions", /(?:permissions|ownership)\b.*\bset to|permissions of \d/i, "PLAT-CIS"),
  // 1.2.x API server
  rule("anonymous-auth", /anonymous[- ]auth/i, "LP-OPS", [A48]),
  rule("static-credentials", /token-auth-file|basic-auth-file|insecure-allow-any-token/i, "LP-OPS", [A48]),
  rule("deny-external-ips", /DenyServiceExternalIPs/i, "PROT-EDGE"),
  rule("kubelet-https", /kubelet-https/i, "PROT-TLS"),
  rule("kubelet-client-auth", /kubelet-client-certificate|kubelet-certificate-authority/i, "PROT-MTLS"),
  rule("authorization-mode", /authorization-mode/i, "LP-OPS", [A48]),
  rule("event-rate-limit", /EventRateLimit/i, "RES-RL"),
  rule("always-admit", /AlwaysAdmit/i, "LP-OPS", [A48]),
  rule("always-pull-images", /AlwaysPullImages/i, "INT-VULN"),
  // cis ≤1.7 only (removed from later benchmarks); same control as Trivy KCV-0013
  rule("pod-security-admission", /SecurityContextDeny|PodSecurityPolicy|DenyEscalatingExec/i, "LP-CTR"),
  rule("service-account-admission", /admission control plugin ServiceAccount/i, "LP-OPS", [A48]),
  rule("namespace-lifecycle", /NamespaceLifecycle/i, "PLAT-CIS", [], {
    note: "§4 says LP-OPS; Trivy KCV-0015 says PLAT-CIS: object-lifecycle hygiene, not a permission",
  }),
  rule("node-restriction", /NodeRestriction/i, "LP-OPS", [A48]),
  rule("plaintext-api-port", /insecure-bind-address|insecure-port|secure-port/i, "PROT-TLS"),
  rule("profiling", /profiling/i, "PLAT-CIS"),
  rule("request-timeout", /request-timeout/i, "RES-RT"),
  rule("service-account-lookup", /service-account-lookup/i, "LP-OPS", [A48]),
  rule("service-account-signing-key", /service-account-(?:private-)?key-file/i, "INT-SECRET"),
  rule("service-account-token-expiry", /service-account-extend-token-expiration/i, "PROT-EUAUTHN", [SS1], {
    also: ["INT-SECRET"],
  }),
  rule("etcd-client-tls", /etcd-certfile|etcd-keyfile|etcd-cafile/i, "PROT-TLS"),
  // 2.x etcd client/peer cert auth, 1.2.x / 4.2.3 client CA, 1.3.5 root CA, 2.7 etcd's own CA
  rule("client-cert-auth", /client-cert-auth/i, "PROT-MTLS"),
  rule("client-ca", /client-ca-file/i, "PROT-MTLS"),
  rule("root-ca", /root-ca-file/i, "PROT-MTLS"),
  rule("etcd-unique-ca", /unique Certificate Authority/i, "PROT-MTLS", [], { also: ["INT-SECRET"] }),
  rule("cert-rotation", /rotate-certificates|RotateKubeletServerCertificate/i, "PROT-MTLS"),
  rule(
    "tls",
    /tls-cert-file|tls-private-key-file|tls-key-file|cert-file|key-file|auto-tls|Cipher|\bTLS\b/i,
    "PROT-TLS",
  ),
  // 5.4.x secrets handling (MS-SS-1(b): signing secrets out of code), 1.2.27/1.2.28 encryption at rest
  rule("secrets-handling", /secrets as files|external secret|secret storage/i, "INT-SECRET", [SS1]),
  rule("encryption-at-rest", /encrypt|\bKMS\b/i, "INT-SECRET", [], { note: "protects cacerts etc. in etcd" }),
  // 1.3.x controller manager, 1.4.x scheduler, 4.3.1 kube-proxy metrics
  rule("bind-address", /bind-address|bound to localhost/i, "PROT-EDGE"),
  rule("pod-gc-threshold", /terminated-pod-gc-threshold/i, "PLAT-CIS"),
  rule("controller-sa-credentials", /use-service-account-credentials/i, "LP-OPS", [A48]),
  // 4.2.x kubelet
  rule("kubelet-open-ports", /read-only-port|cadvisor-port/i, "PROT-EDGE"),
  rule("streaming-idle-timeout", /streaming-connection-idle-timeout/i, "PLAT-CIS"),
  rule("protect-kernel-defaults", /protect-kernel-defaults/i, "LP-CTR", [], { note: "as Trivy KCV-0083" }),
  rule("iptables-util-chains", /make-iptables-util-chains/i, "PLAT-CIS"),
  rule("hostname-override", /hostname-override/i, "PLAT-CIS"),
  rule("event-capture", /event-qps|eventRecordQPS/i, "MON-LOG"),
  rule("pod-pid-limit", /\bPIDs?\b.*limit|limit.*\bPIDs?\b|podPidsLimit/i, "RES-CAP", [A23]),
  rule("seccomp", /seccomp/i, "LP-CTR"),
  // 5.1.x RBAC and service accounts
  rule("cluster-admin", /cluster-admin/i, "LP-OPS", [A48]),
  rule("secrets-access", /access to secrets/i, "LP-OPS", [A48, DR12], {
    also: ["INT-SECRET"],
    note: "mesh CA key lives in istio-system secrets",
  }),
  rule("rbac-wildcards", /wildcard/i, "LP-OPS", [A48], { note: "wildcards silently include Istio CRDs" }),
  rule("create-pods", /create pods/i, "LP-OPS", [A48]),
  rule("default-service-account", /default service accounts?/i, "PROT-MTLS", [DR11], {
    also: ["LP-OPS"],
    note: "the service account is the workload's SPIFFE identity",
  }),
  rule("service-account-token-mount", /Service Account Tokens are only mounted/i, "LP-OPS", [A48]),
  rule("system-masters", /system:masters/i, "LP-OPS", [A48]),
  rule("bind-impersonate-escalate", /Bind, Impersonate|impersonat/i, "LP-OPS", [A48]),
  rule("create-persistent-volumes", /persistent ?volumes/i, "LP-OPS", [A48]),
  rule("nodes-proxy", /proxy sub-?resource|nodes\/proxy/i, "LP-OPS", [A48]),
  rule("csr-approval", /certificatesigningrequests|\bCSR\b/i, "LP-OPS", [A48], {
    also: ["PROT-MTLS"],
    note: "approvers can mint cluster identities",
  }),
  rule("webhook-configuration", /webhook configuration/i, "LP-OPS", [A48], {
    also: ["PROT-COVER"],
    note: "Istio injector/validation webhooks",
  }),
  rule(
    "service-account-token-creation",
    /service account token creation|serviceaccounts\/token/i,
    "LP-OPS",
    [A48],
    {
      also: ["PROT-EUAUTHN"],
    },
  ),
  rule("registry-access", /access to .*(?:\bECR\b|\bGCR\b|\bACR\b|registr)/i, "LP-OPS", [A48]),
  // 5.2.x pod security admission
  rule("policy-control", /policy control mechanism/i, "LP-CTR"),
  rule("privileged-containers", /admission of privileged containers/i, "LP-CTR", [AHLC1]),
  rule("root-containers", /admission of root containers/i, "LP-CTR", [AHLC1]),
  rule("privilege-escalation", /allowPrivilegeEscalation/i, "LP-CTR", [AHLC4]),
  rule("host-network", /host network/i, "LP-CTR", [], {
    also: ["PROT-COVER"],
    note: "hostNetwork pods bypass the sidecar",
  }),
  rule("container-admission", /Minimize the admission of|HostProcess|HostPath|HostPort/i, "LP-CTR"),
  // 5.3.x, 5.5.1, 5.6.x / 5.7.x general policies
  rule("network-policies", /Network ?Polic/i, "PROT-EDGE", [SS13], {
    note: "L3 segmentation behind the mesh",
  }),
  rule(
    "image-provenance",
    /Image Provenance|ImagePolicyWebhook|image (?:vulnerability )?scanning/i,
    "INT-VULN",
    [],
    {
      note: "SP 800-204D (supply chain) has no confirmed section id: INT-VULN defaults apply",
    },
  ),
  rule("namespace-boundaries", /administrative boundaries/i, "LP-OPS", [APE3], { also: ["PROT-AUTHZ"] }),
  rule("security-context", /Security ?Context/i, "LP-CTR"),
  rule("default-namespace", /default namespace/i, "LP-OPS", [A48]),
  // managed-service benchmarks (EKS/GKE/AKS)
  rule(
    "private-endpoint",
    /private (?:endpoint|nodes|cluster)|public access|endpoint access|authorized networks/i,
    "PROT-EDGE",
  ),
  rule("cloud-identities", /\bIAM\b|Workload Identity|dedicated .*service accounts|\bRBAC\b/i, "LP-OPS", [
    A48,
  ]),
  rule("image-patching", /image (?:updates|upgrade)|supported version|auto-?upgrade/i, "INT-VULN", [SS9]),
];

/**
 * (benchmark version, test number) pins for checks whose text is ambiguous in one benchmark. Consulted before
 * the text rules; empty until a benchmark's wording defeats the rules above (none in the corpus does).
 */
export const KUBE_BENCH_OVERRIDES: readonly VersionOverride[] = [];
