/**
 * The collector's configuration: flags win over the environment; validated once at start with a message per
 * bad setting. The signing secret comes only from the environment or a file (a Secret mounted by the
 * chart), never from a flag, where `ps` would show it.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";

export const FILE_SOURCES = [
  "kube-bench",
  "polaris",
  "popeye",
  "trivy",
  "kubescape",
  "kube-hunter",
  "istioctl-analyze",
] as const;
export type FileSource = (typeof FILE_SOURCES)[number];

const namespaceName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a namespace name (a DNS-1123 label)")
  .max(63);

const fileSpec = z.string().transform((s, ctx) => {
  const eq = s.indexOf("=");
  const source = s.slice(0, eq);
  const path = s.slice(eq + 1);
  if (eq < 1 || path === "" || !(FILE_SOURCES as readonly string[]).includes(source)) {
    ctx.addIssue({
      code: "custom",
      message: `"${s}" must be SOURCE=PATH with SOURCE one of ${FILE_SOURCES.join(", ")}`,
    });
    return z.NEVER;
  }
  return { source: source as FileSource, path };
});

const int = (min: number, max: number, dflt: number) =>
  z.coerce.number().int().min(min).max(max).default(dflt);

export const collectorConfigSchema = z
  .object({
    url: z.url({ protocol: /^https?$/, error: "must be an http(s) URL (BULWARK_URL or --url)" }).optional(),
    keyId: z.string().min(1).optional(),
    keySecret: z.string().min(1).optional(),
    kubeconfig: z.string().min(1).optional(),
    context: z.string().min(1).optional(),
    inCluster: z.boolean(),
    cluster: z.boolean(),
    files: z.array(fileSpec),
    dryRun: z.boolean(),
    out: z.string().min(1).optional(),
    output: z.enum(["text", "json"], { error: "must be text or json" }).default("text"),
    pageSize: int(1, 5000, 500),
    istioNamespace: namespaceName.default("istio-system"),
    namespaces: z.array(namespaceName).optional(),
    maxAttempts: int(1, 10, 5),
    timeoutSeconds: int(1, 600, 60),
    wait: z.boolean(),
    waitSeconds: int(1, 86_400, 600),
    /** gzip bytes per upload before a large report is split into namespace-scoped snapshots */
    maxUploadMb: int(1, 30, 24),
  })
  .superRefine((c, ctx) => {
    const need = (key: "url" | "keyId" | "keySecret", what: string) => {
      if (!c.dryRun && !c[key])
        ctx.addIssue({ code: "custom", path: [key], message: `required (${what}), unless --dry-run` });
    };
    need("url", "BULWARK_URL or --url");
    need("keyId", "BULWARK_KEY_ID or --key-id");
    need("keySecret", "BULWARK_KEY_SECRET, or a file named by BULWARK_KEY_SECRET_FILE / --key-secret-file");
    if (c.dryRun && c.wait)
      ctx.addIssue({
        code: "custom",
        path: ["wait"],
        message: "--wait follows sent uploads; --dry-run sends none",
      });
    if (c.dryRun && !c.out)
      ctx.addIssue({ code: "custom", path: ["out"], message: "--dry-run needs --out DIR" });
    if (!c.dryRun && c.out)
      ctx.addIssue({ code: "custom", path: ["out"], message: "--out is only for --dry-run" });
    const seen = new Set<string>();
    for (const f of c.files) {
      // each upload is the whole snapshot of its source: a second report would resolve the first's findings.
      // kube-bench is the exception: it runs once per node, and its reports are merged into one upload.
      if (seen.has(f.source) && f.source !== "kube-bench")
        ctx.addIssue({
          code: "custom",
          path: ["files"],
          message: `--file ${f.source}= given twice; one report per source (only kube-bench merges several)`,
        });
      seen.add(f.source);
    }
    if (!c.cluster && c.files.length === 0)
      ctx.addIssue({
        code: "custom",
        path: ["files"],
        message: "--no-cluster with no --file: nothing to upload",
      });
  });
export type CollectorConfig = z.infer<typeof collectorConfigSchema>;

export class CollectorConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

export interface RawFlags {
  url?: string | undefined;
  "key-id"?: string | undefined;
  "key-secret-file"?: string | undefined;
  kubeconfig?: string | undefined;
  context?: string | undefined;
  "no-cluster"?: boolean | undefined;
  file?: string[] | undefined;
  "dry-run"?: boolean | undefined;
  out?: string | undefined;
  output?: string | undefined;
  "page-size"?: string | undefined;
  "istio-namespace"?: string | undefined;
  namespace?: string[] | undefined;
  "max-attempts"?: string | undefined;
  timeout?: string | undefined;
  wait?: boolean | undefined;
  "wait-timeout"?: string | undefined;
  "max-upload-mb"?: string | undefined;
}

const NAMES: Record<string, string> = {
  url: "--url / BULWARK_URL",
  keyId: "--key-id / BULWARK_KEY_ID",
  keySecret: "BULWARK_KEY_SECRET",
  context: "--context / BULWARK_CONTEXT",
  files: "--file",
  output: "--output / BULWARK_OUTPUT",
  pageSize: "--page-size / BULWARK_PAGE_SIZE",
  istioNamespace: "--istio-namespace / BULWARK_ISTIO_NAMESPACE",
  namespaces: "--namespace / BULWARK_NAMESPACES",
  maxAttempts: "--max-attempts",
  timeoutSeconds: "--timeout",
  wait: "--wait / BULWARK_WAIT",
  waitSeconds: "--wait-timeout / BULWARK_WAIT_TIMEOUT",
  maxUploadMb: "--max-upload-mb / BULWARK_MAX_UPLOAD_MB",
};

function readSecretFile(path: string): string {
  try {
    return readFileSync(path, "utf8").trim();
  } catch (e) {
    throw new CollectorConfigError([`key secret file ${path}: ${(e as Error).message}`]);
  }
}

const list = (s: string | undefined) =>
  s
    ? s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean)
    : undefined;

export function loadCollectorConfig(flags: RawFlags, env: NodeJS.ProcessEnv): CollectorConfig {
  const secretFile = flags["key-secret-file"] ?? env.BULWARK_KEY_SECRET_FILE;
  const parsed = collectorConfigSchema.safeParse({
    url: flags.url ?? env.BULWARK_URL,
    keyId: flags["key-id"] ?? env.BULWARK_KEY_ID,
    keySecret: secretFile ? readSecretFile(secretFile) : env.BULWARK_KEY_SECRET || undefined,
    kubeconfig: flags.kubeconfig,
    context: flags.context ?? env.BULWARK_CONTEXT,
    inCluster: Boolean(env.KUBERNETES_SERVICE_HOST),
    cluster: !flags["no-cluster"],
    files: flags.file ?? [],
    dryRun: Boolean(flags["dry-run"]),
    out: flags.out,
    output: flags.output ?? env.BULWARK_OUTPUT,
    pageSize: flags["page-size"] ?? env.BULWARK_PAGE_SIZE,
    istioNamespace: flags["istio-namespace"] ?? env.BULWARK_ISTIO_NAMESPACE,
    namespaces: flags.namespace ?? list(env.BULWARK_NAMESPACES),
    maxAttempts: flags["max-attempts"],
    timeoutSeconds: flags.timeout,
    wait: Boolean(flags.wait) || env.BULWARK_WAIT === "1" || env.BULWARK_WAIT === "true",
    waitSeconds: flags["wait-timeout"] ?? env.BULWARK_WAIT_TIMEOUT,
    maxUploadMb: flags["max-upload-mb"] ?? env.BULWARK_MAX_UPLOAD_MB,
  });
  if (!parsed.success) {
    throw new CollectorConfigError(
      parsed.error.issues.map((i) => {
        const [key, ...rest] = i.path.map(String);
        const name = key ? (NAMES[key] ?? `--${key}`) : "(configuration)";
        return `${name}${rest.length ? `[${rest.join(".")}]` : ""}: ${i.message}`;
      }),
    );
  }
  return parsed.data;
}
