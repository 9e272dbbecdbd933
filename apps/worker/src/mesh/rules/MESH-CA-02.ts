import { rec } from "../model/objects.js";
import { ISTIO_DOCS, N } from "../nist.js";
import type { MeshRule } from "./types.js";
import { objRef, y } from "./util.js";

const KEY_FILES = ["ca-key.pem", "tls.key"];

export const rule: MeshRule = {
  id: "MESH-CA-02",
  title: "Mesh CA signing key stored as a plain Kubernetes Secret",
  severity: "medium",
  strategy: "INT-SECRET",
  also: ["PROT-MTLS"],
  nist: [N.DR12],
  needs: ["istio", "istioSecrets"],
  rationale:
    "The plug-in CA secret cacerts holds ca-key.pem: the intermediate CA's private key at rest in etcd, " +
    "readable by anyone who can read secrets in the Istio namespace. Whoever holds it can mint any workload " +
    "identity in the mesh.",
  remediation:
    "Move signing to an external signer (istio-csr with cert-manager backed by Vault/KMS, or istiod's " +
    "EXTERNAL_CA with a Kubernetes CSR signer) so the key never lands in etcd; meanwhile restrict who can read " +
    "secrets in the Istio namespace (see MESH-RBAC-03) and enable etcd encryption at rest.",
  fix: (v) =>
    y({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "istiod", namespace: v.resource.namespace },
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: "discovery",
                env: [
                  { name: "EXTERNAL_CA", value: "ISTIOD_RA_KUBERNETES_API" },
                  { name: "K8S_SIGNER", value: "example.com/istio-signer" },
                ],
              },
            ],
          },
        },
      },
    }),
  references: [
    ISTIO_DOCS.pluginCa,
    "https://istio.io/latest/docs/tasks/security/cert-management/custom-ca-k8s/",
  ],
  check(ctx) {
    const ns = ctx.inv.cp.istioNamespace;
    const cacerts = ctx.inv.of("Secret").find((s) => s.namespace === ns && s.name === "cacerts");
    if (!cacerts) return [];
    // metadata only: the collector may list key names (never values); without them the plug-in format implies a key
    const keys = [...Object.keys(rec(cacerts.raw.data)), ...Object.keys(rec(cacerts.raw.stringData))];
    if (keys.length > 0 && !keys.some((k) => KEY_FILES.includes(k))) return [];
    return [
      {
        resource: objRef(cacerts),
        message: `${ns}/cacerts holds the mesh CA signing key${keys.length === 0 ? " (key names not listed; the plug-in format requires ca-key.pem)" : ""}`,
        evidence: { keys },
      },
    ];
  },
};
