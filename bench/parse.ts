/**
 * npm run bench:parse [-- N]: parse throughput per tool on the largest corpus file of that tool
 * (../shared/fixtures or BULWARK_FIXTURES). Each parser is warmed up, then run N times (default 200);
 * prints a markdown table (ms per parse, findings/s, MB/s of the report's JSON text) and writes it into the
 * "## Parse throughput (npm run bench:parse)" section of BENCHMARKS.md, leaving other sections intact.
 * A tool whose largest file yields no findings (trivy-operator's is a ClusterComplianceReport, Polaris' an
 * all-passing example) gets a second row on its largest file that does.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Source } from "@bulwark/schema";
import { parseAllDocuments } from "yaml";
import { PARSERS } from "../apps/worker/src/parsers/index.js";

const root = resolve(fileURLToPath(import.meta.url), "../..");
const fixtures = process.env.BULWARK_FIXTURES ?? resolve(root, "../shared/fixtures");
const iterations = Number(process.argv[2] ?? process.env.BENCH_ITERATIONS ?? 200);
const SECTION = "## Parse throughput (npm run bench:parse)";

const TOOLS: readonly Source[] = [
  "trivy",
  "trivy-operator",
  "kube-bench",
  "polaris",
  "popeye",
  "kubescape",
  "kube-hunter",
];

function decode(path: string): unknown {
  const text = readFileSync(path, "utf8");
  if (!path.endsWith(".yaml") && !path.endsWith(".yml")) return JSON.parse(text);
  const docs = parseAllDocuments(text).map((d) => d.toJS() as unknown);
  return docs.length === 1 ? docs[0] : { kind: "List", items: docs };
}

function files(tool: string): string[] {
  const dir = join(fixtures, tool);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => /\.(json|json\.golden|ya?ml)$/.test(n))
    .map((n) => join(dir, n))
    .sort((a, b) => statSync(b).size - statSync(a).size);
}

interface Row {
  label: string;
  file: string;
  bytes: number;
  findings: number;
  ms: number;
}

function bench(tool: Source, label: string, path: string): Row {
  const parser = PARSERS[tool];
  if (!parser) throw new Error(`${tool} parser not registered`);
  const report = decode(path);
  // the parser's input is decoded JSON; MB/s is relative to its JSON text, the size it arrives in
  const bytes = Buffer.byteLength(JSON.stringify(report));
  const ctx = { source: tool, collectedAt: new Date() };
  let findings = 0;
  for (let i = 0; i < Math.min(20, iterations); i++) findings = parser(report, ctx).findings.length;
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) parser(report, ctx);
  const ms = (performance.now() - t0) / iterations;
  return { label, file: path.slice(path.lastIndexOf("/") + 1), bytes, findings, ms };
}

const rows: Row[] = [];
for (const tool of TOOLS) {
  const list = files(tool);
  const largest = list[0];
  if (!largest) continue;
  const first = bench(tool, tool, largest);
  rows.push(first);
  if (first.findings === 0) {
    const ctx = { source: tool, collectedAt: new Date() };
    const withFindings = list.find((p) => (PARSERS[tool]?.(decode(p), ctx).findings.length ?? 0) > 0);
    if (withFindings) rows.push(bench(tool, `${tool} (findings)`, withFindings));
  }
}

const fmt = (n: number, d = 1) =>
  n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
const table = [
  "| tool | file | JSON (KB, minified) | findings | ms / parse | findings/s | MB/s |",
  "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
  ...rows.map(
    (r) =>
      `| ${r.label} | \`${r.file}\` | ${fmt(r.bytes / 1024)} | ${r.findings} | ${fmt(r.ms, 3)} | ` +
      `${r.findings > 0 ? fmt(r.findings / (r.ms / 1000), 0) : "—"} | ${fmt(r.bytes / 1e6 / (r.ms / 1000))} |`,
  ),
].join("\n");

const body =
  `${SECTION}\n\n` +
  `Largest corpus file per tool, ${iterations} iterations after warm-up, Node ${process.version}, ` +
  `${new Date().toISOString().slice(0, 10)}. istioctl-analyze has no corpus file and is not measured. ` +
  "Times are the parser's alone, on an already decoded JSON value: `JSON.parse` of the upload is paid once " +
  "more and is part of the worker's read + parse figure in the ingestion benchmark above.\n\n" +
  `${table}\n`;
process.stdout.write(`${table}\n`);

const path = join(root, "BENCHMARKS.md");
const current = existsSync(path) ? readFileSync(path, "utf8") : "# Benchmarks\n";
const start = current.indexOf(SECTION);
let next: string;
if (start < 0) next = `${current.trimEnd()}\n\n${body}`;
else {
  const after = current.indexOf("\n## ", start + SECTION.length);
  next = `${current.slice(0, start)}${body}${after < 0 ? "" : `\n${current.slice(after + 1)}`}`;
}
writeFileSync(path, next.endsWith("\n") ? next : `${next}\n`);
