/** The command line: arguments and environment in, progress on stderr, the run summary on stdout, an exit code out. */
import { HELP, parseCliArgs, VERSION } from "./args.js";
import { CollectorConfigError, loadCollectorConfig } from "./config.js";
import { kubeReader, loadKubeConfig } from "./kube/client.js";
import { type RunDeps, type RunSummary, runCollector } from "./run.js";

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Exit reasons are one line each, whatever an error message held (a JSON parse error quotes the input). */
const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();

function kib(n: number): string {
  return `${(n / 1024).toFixed(1)} KiB`;
}

/** Exit status (also in --help and the README). */
export const EXIT = { ok: 0, uploadFailed: 1, config: 2, processingFailed: 3 } as const;

export function formatSummary(s: RunSummary): string {
  const lines = [
    `run ${s.runId}, cluster collected at ${s.collectedAt}${s.dryRun ? " (dry run: nothing sent)" : ""}`,
  ];
  for (const u of s.uploads) {
    const bits = [u.reportId, u.items !== undefined ? `${u.items} objects` : undefined];
    if (u.bytes) bits.push(`${kib(u.bytes.body)} gzip`);
    if (u.attempts && u.attempts > 1) bits.push(`${u.attempts} attempts`);
    if (u.part) bits.push(`part ${u.part}`);
    if (u.scope?.namespaces) bits.push(`scope: ${u.scope.namespaces.join(",")}`);
    if (u.scope?.excludeNamespaces)
      bits.push(`scope: all but ${u.scope.excludeNamespaces.length} namespaces, cluster-scoped objects`);
    if (u.processing)
      bits.push(`processed: ${u.processing}${u.processingError ? ` (${oneLine(u.processingError)})` : ""}`);
    if (u.path) bits.push(u.path);
    if (u.reason) bits.push(oneLine(u.reason));
    lines.push(`  ${u.source.padEnd(17)} ${u.status.padEnd(9)} ${bits.filter(Boolean).join("  ")}`);
  }
  const notRead = s.manifest.filter((m) => m.status !== "read");
  lines.push(`kinds: ${s.manifest.length - notRead.length} read in full, ${notRead.length} not`);
  // one line per kind, the name column as wide as the longest name; kinds that failed for one shared reason
  // (a cluster that cannot be reached fails every kind alike) are one line
  const byReason = new Map<string, typeof notRead>();
  for (const m of notRead) {
    const key = `${m.status}: ${m.reason ?? ""}`;
    byReason.set(key, [...(byReason.get(key) ?? []), m]);
  }
  const name = (m: (typeof notRead)[number]) => `${m.kind} (${m.resource})`;
  const width = Math.max(0, ...notRead.map((m) => name(m).length)) + 2;
  for (const [key, group] of byReason) {
    const why = key.replace(/: $/, "");
    if (group.length > 3)
      lines.push(`  ${group.length} kinds ${why}: ${group.map((m) => m.kind).join(", ")}`);
    else for (const m of group) lines.push(`  ${name(m).padEnd(width)}${why}`);
  }
  return `${lines.join("\n")}\n`;
}

export async function main(
  argv: string[],
  env: NodeJS.ProcessEnv,
  io: CliIO,
  deps: RunDeps = {},
): Promise<number> {
  let parsed: ReturnType<typeof parseCliArgs>;
  try {
    parsed = parseCliArgs(argv);
  } catch (e) {
    io.stderr(`bulwark-collector: ${(e as Error).message}\nRun bulwark-collector --help for the options.\n`);
    return EXIT.config;
  }
  if ("help" in parsed) {
    io.stdout(HELP);
    return 0;
  }
  if ("version" in parsed) {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  let config: ReturnType<typeof loadCollectorConfig>;
  try {
    config = loadCollectorConfig(parsed.flags, env);
  } catch (e) {
    if (!(e instanceof CollectorConfigError)) throw e;
    io.stderr(`bulwark-collector: ${e.message}\n`);
    return EXIT.config;
  }
  const json = config.output === "json";
  const progress = json ? () => {} : (l: string) => io.stderr(`${l}\n`);
  let reader = deps.reader;
  if (config.cluster && !reader) {
    // a kubeconfig that cannot be read or a context it lacks is a configuration error, found before any upload
    try {
      const kc = loadKubeConfig({
        kubeconfig: config.kubeconfig,
        context: config.context,
        inCluster: config.inCluster,
        env,
      });
      progress(
        `reading the cluster at ${kc.getCurrentCluster()?.server} (context ${kc.getCurrentContext() || "in-cluster"})`,
      );
      reader = kubeReader(kc);
    } catch (e) {
      io.stderr(`bulwark-collector: cannot read the cluster: ${oneLine((e as Error).message)}\n`);
      return EXIT.config;
    }
  }
  const summary = await runCollector(config, { progress, ...deps, ...(reader ? { reader } : {}) });
  for (const u of summary.uploads.filter((x) => x.status === "failed")) {
    io.stderr(`bulwark-collector: upload ${u.source} failed: ${oneLine(u.reason ?? "unknown reason")}\n`);
  }
  for (const u of summary.uploads.filter((x) => x.processing && x.processing !== "done")) {
    io.stderr(
      `bulwark-collector: report ${u.source} ${u.reportId} ${u.processing === "timeout" ? "not processed" : "failed on the server"}: ${oneLine(u.processingError ?? "")}\n`,
    );
  }
  io.stdout(json ? `${JSON.stringify(summary)}\n` : formatSummary(summary));
  if (!summary.ok) return EXIT.uploadFailed;
  return summary.processed === false ? EXIT.processingFailed : EXIT.ok;
}
