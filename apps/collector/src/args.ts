import { parseArgs } from "node:util";
import { FILE_SOURCES, type RawFlags } from "./config.js";

export const VERSION = "0.1.0";

export const HELP = `bulwark-collector ${VERSION}: read a cluster's security posture and upload it to Bulwark, signed.

Usage: bulwark-collector [options]

Uploads (one signed, gzipped POST /v1/reports each, per API contract §1):
  trivy-operator   every trivy-operator report kind, as one Kubernetes List
  mesh-config      Istio resources, Namespaces, Pods (metadata and security-relevant spec only), Services,
                   ServiceAccounts, NetworkPolicies, RBAC, the mesh ConfigMap, webhook configurations and
                   Secret metadata in the Istio namespace (key names only, never values)
  --file SOURCE=PATH   a scanner's JSON report; SOURCE: ${FILE_SOURCES.join(", ")}; once per source, except kube-bench: one per node, merged into one upload

Bulwark:
  --url URL                  the Bulwark API                          [BULWARK_URL]
  --key-id ID                the cluster's signing key id             [BULWARK_KEY_ID]
  --key-secret-file PATH     file holding the key secret              [BULWARK_KEY_SECRET_FILE]
                             (or the secret itself in BULWARK_KEY_SECRET; never as a flag)
Cluster:
  --kubeconfig PATH          default: the pod's service account in a pod, else $KUBECONFIG or ~/.kube/config
  --context NAME             kubeconfig context                       [BULWARK_CONTEXT]
  --no-cluster               upload --file reports only
  --namespace NS             read namespaced kinds only here; repeatable [BULWARK_NAMESPACES=a,b]
  --istio-namespace NS       default istio-system                     [BULWARK_ISTIO_NAMESPACE]
  --page-size N              items per list request, default 500      [BULWARK_PAGE_SIZE]
Run:
  --dry-run --out DIR        write each upload (envelope and headers, no signature) to DIR; send nothing
  --output text|json         json: a machine-readable run summary on stdout [BULWARK_OUTPUT]
  --max-attempts N           per upload, default 5 (network errors, 429 and 5xx are retried)
  --timeout SECONDS          per attempt, default 60
  --max-upload-mb N          gzip MiB per upload, default 24; a larger trivy k8s or trivy-operator report is
                             sent as namespace-scoped snapshots            [BULWARK_MAX_UPLOAD_MB]
  -h, --help                 this text
  --version

Progress goes to stderr. Exit status: 0 when every upload was sent (or written), 1 when one failed (one
line each on stderr), 2 for a configuration error.
`;

export type ParsedArgs = { help: true } | { version: true } | { flags: RawFlags };

/** Throws TypeError (from node:util) for an unknown flag or a missing value. */
export function parseCliArgs(argv: string[]): ParsedArgs {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      url: { type: "string" },
      "key-id": { type: "string" },
      "key-secret-file": { type: "string" },
      kubeconfig: { type: "string" },
      context: { type: "string" },
      "no-cluster": { type: "boolean" },
      file: { type: "string", multiple: true },
      "dry-run": { type: "boolean" },
      out: { type: "string" },
      output: { type: "string" },
      "page-size": { type: "string" },
      "istio-namespace": { type: "string" },
      namespace: { type: "string", multiple: true },
      "max-attempts": { type: "string" },
      timeout: { type: "string" },
      "max-upload-mb": { type: "string" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean" },
    },
  });
  if (values.help) return { help: true };
  if (values.version) return { version: true };
  const { help: _h, version: _v, ...flags } = values;
  return { flags };
}
