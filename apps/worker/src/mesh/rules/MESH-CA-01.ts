import { ISTIO_DOCS, N } from "../nist.js";
import type { MeshRule } from "./types.js";
import { objRef, y } from "./util.js";

export const rule: MeshRule = {
  id: "MESH-CA-01",
  title: "Mesh root CA is self-signed by istiod",
  severity: "high",
  strategy: "PROT-MTLS",
  nist: [N.DR12],
  needs: ["istio", "istioSecrets"],
  rationale:
    "istio-ca-secret exists and no plug-in CA (cacerts) or external signer is configured: istiod generated " +
    "its own 10-year root. Workload identities then chain to a key nobody governs, that cannot be revoked " +
    "centrally, and that other meshes or systems cannot trust; SM-DR12 asks for a signing certificate rooted " +
    "in the enterprise PKI.",
  remediation:
    "Plug in an intermediate CA issued by the enterprise root (the cacerts secret, better still an external " +
    "signer such as istio-csr with cert-manager, Vault or a cloud CA), then roll the workloads.",
  fix: (v) =>
    `# better: an external signer (cert-manager istio-csr, Vault, cloud CA) so no CA key lives in etcd\n${y({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "cacerts", namespace: v.resource.namespace },
      type: "Opaque",
      stringData: {
        "ca-cert.pem": "<intermediate CA certificate issued by the enterprise root>",
        "ca-key.pem": "<intermediate CA key>",
        "root-cert.pem": "<enterprise root certificate>",
        "cert-chain.pem": "<intermediate + root chain>",
      },
    })}`,
  references: [ISTIO_DOCS.pluginCa, "https://cert-manager.io/docs/usage/istio-csr/"],
  check(ctx) {
    const ns = ctx.inv.cp.istioNamespace;
    const secrets = ctx.inv.of("Secret").filter((s) => s.namespace === ns);
    const selfSigned = secrets.find((s) => s.name === "istio-ca-secret");
    if (!selfSigned) return [];
    const plugged = secrets.some((s) => s.name === "cacerts");
    const external = ctx.inv.cp.istiod.some(
      (d) => !!d.env.EXTERNAL_CA || d.env.ENABLE_CA_SERVER === "false" || !!d.env.CA_ADDR,
    );
    if (plugged || external) return [];
    return [
      {
        resource: objRef(selfSigned),
        message: `${ns}/istio-ca-secret holds istiod's self-signed root and no plug-in or external CA is configured`,
        evidence: { secretsSeen: secrets.map((s) => s.name).slice(0, 20) },
      },
    ];
  },
};
