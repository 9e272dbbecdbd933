import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

interface TrivyK8sResource {
  Namespace?: string;
  Kind: string;
  Name: string;
  Results?: { Vulnerabilities?: unknown[]; Misconfigurations?: unknown[] }[];
}

function countFindings(r: TrivyK8sResource): number {
  return (r.Results ?? []).reduce(
    (n, x) => n + (x.Vulnerabilities?.length ?? 0) + (x.Misconfigurations?.length ?? 0),
    0,
  );
}

/**
 * A trivy k8s report (`{ClusterName, Resources[]}`) of at least `n` findings, generated from the project's own
 * sample by repeating its workloads under new names (`frontend-17` in namespace `team-3`) so every copy is a
 * distinct finding with a distinct identity. Returns the report and its exact finding count.
 */
export function generateTrivyK8s(n: number): {
  report: { ClusterName: string; Resources: TrivyK8sResource[] };
  findings: number;
} {
  const sample = JSON.parse(readFileSync(resolve(root, "samples/trivy-k8s.json"), "utf8")) as {
    Resources: TrivyK8sResource[];
  };
  const perCopy = sample.Resources.reduce((s, r) => s + countFindings(r), 0);
  const copies = Math.ceil(n / perCopy);
  const resources: TrivyK8sResource[] = [];
  for (let i = 0; i < copies; i++) {
    for (const r of sample.Resources) {
      const json = JSON.stringify(r).replaceAll(`'${r.Name}'`, `'${r.Name}-${i}'`);
      const copy = JSON.parse(json) as TrivyK8sResource;
      copy.Name = `${r.Name}-${i}`;
      if (r.Namespace) copy.Namespace = `team-${i % 50}`;
      resources.push(copy);
    }
  }
  return { report: { ClusterName: "bench", Resources: resources }, findings: copies * perCopy };
}
