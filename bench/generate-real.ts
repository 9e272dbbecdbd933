import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The real trivy k8s output of the shared fixture set (BULWARK_FIXTURES overrides, as for the corpus suite). */
export function realFixturePath(): string {
  const dir = process.env.BULWARK_FIXTURES ?? resolve(root, "../shared/fixtures");
  const path = resolve(dir, "trivy/local-k8s-scan-result.json");
  if (!existsSync(path)) throw new Error(`${path} not found (set BULWARK_FIXTURES to the fixture directory)`);
  return path;
}

interface Resource {
  Namespace?: string;
  Kind: string;
  Name: string;
  Results?: { Vulnerabilities?: unknown[]; Misconfigurations?: unknown[] }[];
}

const count = (r: Resource) =>
  (r.Results ?? []).reduce(
    (n, x) => n + (x.Vulnerabilities?.length ?? 0) + (x.Misconfigurations?.length ?? 0),
    0,
  );

/**
 * A trivy k8s report of real shape and size: the fixture's resources (full vulnerability descriptions, CVSS,
 * references; about 2.4 KB of JSON per finding) repeated under new names until `n` findings, as JSON bytes.
 * 50,000 findings make about 117 MB. Built as one Buffer of JSON text, never as one object tree.
 */
export function generateRealTrivyK8s(n: number): { json: Buffer; findings: number; resources: number } {
  const fixture = JSON.parse(readFileSync(realFixturePath(), "utf8")) as { Resources: Resource[] };
  const pieces = fixture.Resources.filter((r) => count(r) > 0).map((r) => ({ r, n: count(r) }));
  const parts: Buffer[] = [Buffer.from('{"ClusterName":"bench-real","Resources":[')];
  let findings = 0;
  let resources = 0;
  for (let copy = 0; findings < n; copy++) {
    for (const { r, n: k } of pieces) {
      if (findings >= n) break;
      const name = `${r.Name}-${copy}`;
      const ns = r.Namespace ? `team-${copy % 50}` : undefined;
      const json = JSON.stringify({ ...r, Name: name, ...(ns ? { Namespace: ns } : {}) }).replaceAll(
        `'${r.Name}'`,
        `'${name}'`,
      );
      parts.push(Buffer.from(resources === 0 ? json : `,${json}`));
      findings += k;
      resources++;
    }
  }
  parts.push(Buffer.from("]}"));
  return { json: Buffer.concat(parts), findings, resources };
}
