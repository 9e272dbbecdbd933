import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli.js";
import type { RunDeps, RunSummary } from "../../src/run.js";
import type { FakeApiServer } from "./fake-apiserver.js";

export interface AuditFile {
  request: { method: string; url: string; headers: Record<string, string> };
  body: { jsonBytes: number; gzipBytes: number; jsonSha256: string };
  envelope: {
    source: string;
    scope?: { namespaces: string[] };
    runId: string;
    collectedAt: string;
    report: { items: Record<string, unknown>[] } & Record<string, unknown>;
  };
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  summary: RunSummary | undefined;
  /** dry-run files by source */
  files: Record<string, AuditFile>;
  /** dry-run files' text, for searching */
  raw: string;
  outDir: string;
}

/** Run the CLI in process, against a fake API server through a kubeconfig file, in dry-run unless told otherwise. */
export async function runCli(
  fake: FakeApiServer | undefined,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  opts: { dryRun?: boolean; deps?: RunDeps } = {},
): Promise<CliRun> {
  const outDir = mkdtempSync(join(tmpdir(), "bulwark-collector-"));
  const argv = [...args, "--output", "json"];
  if (fake) {
    const kubeconfig = join(outDir, "kubeconfig");
    writeFileSync(kubeconfig, fake.kubeconfigYaml());
    argv.push("--kubeconfig", kubeconfig, "--context", "fake");
  }
  const dryDir = join(outDir, "uploads");
  if (opts.dryRun ?? true) argv.push("--dry-run", "--out", dryDir);
  let stdout = "";
  let stderr = "";
  const code = await main(
    argv,
    env,
    {
      stdout: (t) => {
        stdout += t;
      },
      stderr: (t) => {
        stderr += t;
      },
    },
    opts.deps,
  );
  const files: Record<string, AuditFile> = {};
  let raw = "";
  if (opts.dryRun ?? true) {
    for (const f of readdirSync(dryDir, { withFileTypes: true }).filter((d) => d.isFile())) {
      const text = readFileSync(join(dryDir, f.name), "utf8");
      raw += text;
      const audit = JSON.parse(text) as AuditFile;
      files[audit.envelope.source] = audit;
    }
  }
  const summary = stdout ? (JSON.parse(stdout) as RunSummary) : undefined;
  return { code, stdout, stderr, summary, files, raw, outDir };
}
