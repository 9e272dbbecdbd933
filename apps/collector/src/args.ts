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
  --file SOURCE=PATH   a scanner's JSON report; SOURCE: ${FILE_SOURCES.join(", ")}; once per source, except
                       kube-bench: one per node, merged into one upload. Its top-level shape is checked first:
                       a file that is not that scanner's JSON report is not sent (the run fails).
                       Without --no-cluster the cluster is read as well, so a kubeconfig (or a pod) is needed.

Bulwark:
  --url URL                  the Bulwark API                          [BULWARK_URL]
  --key-id ID                the cluster's signing key id             [BULWARK_KEY_ID]
  --key-secret-file PATH     file holding the key secret              [BULWARK_KEY_SECRET_FILE]
                             (or the secret itself in BULWARK_KEY_SECRET; never as a flag)
Cluster:
  --kubeconfig PATH          default: the pod's service account in a pod, else $KUBECONFIG or ~/.kube/config;
                             with none of them the run stops at once (exit 2)
  --context NAME             kubeconfig context                       [BULWARK_CONTEXT]
  --no-cluster               do not read the cluster: upload the --file reports only
  --namespace NS             read namespaced kinds only here; repeatable [BULWARK_NAMESPACES=a,b]
  --istio-namespace NS       default istio-system                     [BULWARK_ISTIO_NAMESPACE]
  --page-size N              items per list request, default 500      [BULWARK_PAGE_SIZE]
Run:
  --dry-run --out DIR        write each upload (envelope and headers, no signature) to DIR; send nothing
  --wait                     follow each sent report until the server has processed it; a report the
                             server could not use fails the run with the server's error [BULWARK_WAIT=1]
  --wait-timeout SECONDS     how long --wait waits in all, default 600 [BULWARK_WAIT_TIMEOUT]
  --output text|json         json: a machine-readable run summary on stdout [BULWARK_OUTPUT]
  --max-attempts N           per upload, default 5 (network errors, 429 and 5xx are retried)
  --timeout SECONDS          per attempt, default 60
  --max-upload-mb N          gzip MiB per upload, default 24; a larger trivy k8s or trivy-operator report is
                             sent as namespace-scoped snapshots            [BULWARK_MAX_UPLOAD_MB]
  -h, --help                 this text
  --version

Progress goes to stderr, the run summary to stdout. Exit status:
  0  every upload was sent (or written); with --wait, every report was processed (done)
  1  an upload could not be made (the cluster could not be read, a --file was unreadable or not that
     scanner's report, the server refused it, or it could not be reached): one line each on stderr
  2  configuration error (a flag, a setting, no kubeconfig): nothing was read or sent
  3  --wait: every upload was sent, but the server could not process a report (or not within
     --wait-timeout): one line each on stderr, with the server's error
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
      wait: { type: "boolean" },
      "wait-timeout": { type: "string" },
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
