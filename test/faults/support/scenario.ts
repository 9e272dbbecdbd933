import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const sample = (name: string) =>
  JSON.parse(readFileSync(resolve(root, "samples", name), "utf8")) as Record<string, unknown>;

/**
 * A cluster's day in snapshots, every source of the samples: new findings, some resolved by a later scan,
 * reopened by the next, a superseded (older) upload, and per-node kube-bench. Applied without faults it gives
 * the reference state; under faults it must give the same.
 */
export function snapshotSequence(base = Date.now() - 3_600_000): unknown[] {
  const at = (minutes: number) => new Date(base + minutes * 60_000).toISOString();
  const trivy = sample("trivy-k8s.json") as { Resources: unknown[] };
  const fewer = { ...trivy, Resources: trivy.Resources.slice(3) };
  return [
    { schemaVersion: 1, source: "trivy", collectedAt: at(1), report: trivy },
    { schemaVersion: 1, source: "kube-bench", collectedAt: at(2), report: sample("kube-bench.json") },
    { schemaVersion: 1, source: "mesh-config", collectedAt: at(3), report: sample("mesh-config.json") },
    { schemaVersion: 1, source: "trivy-operator", collectedAt: at(4), report: sample("trivy-operator.json") },
    { schemaVersion: 1, source: "trivy", collectedAt: at(5), report: fewer },
    {
      schemaVersion: 1,
      source: "trivy",
      collectedAt: at(7),
      report: { ...trivy, Resources: trivy.Resources.slice(1) },
    },
    // older than the one above: superseded, changes nothing
    { schemaVersion: 1, source: "trivy", collectedAt: at(6), report: trivy },
  ];
}
