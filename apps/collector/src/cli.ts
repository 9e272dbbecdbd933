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
    if (u.path) bits.push(u.path);
    if (u.reason) bits.push(u.reason);
    lines.push(`  ${u.source.padEnd(17)} ${u.status.padEnd(9)} ${bits.filter(Boolean).join("  ")}`);
  }
  const notRead = s.manifest.filter((m) => m.status !== "read");
  lines.push(`kinds: ${s.manifest.length - notRead.length} read in full, ${notRead.length} not`);
  for (const m of notRead)
    lines.push(`  ${m.resource.padEnd(45)}${m.status}${m.reason ? `: ${m.reason}` : ""}`);
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
    return 2;
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
    return 2;
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
      });
      progress(
        `reading the cluster at ${kc.getCurrentCluster()?.server} (context ${kc.getCurrentContext() || "in-cluster"})`,
      );
      reader = kubeReader(kc);
    } catch (e) {
      io.stderr(`bulwark-collector: invalid configuration: kubeconfig: ${(e as Error).message}\n`);
      return 2;
    }
  }
  const summary = await runCollector(config, { progress, ...deps, ...(reader ? { reader } : {}) });
  for (const u of summary.uploads.filter((x) => x.status === "failed")) {
    io.stderr(`bulwark-collector: upload ${u.source} failed: ${oneLine(u.reason ?? "unknown reason")}\n`);
  }
  io.stdout(json ? `${JSON.stringify(summary)}\n` : formatSummary(summary));
  return summary.ok ? 0 : 1;
}
