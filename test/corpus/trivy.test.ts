import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type FindingDraft, TRIVY_CHECKS } from "@bulwark/schema";
import { describe, expect, it } from "vitest";
import { PARSERS } from "../../apps/worker/src/parsers/index.js";
import { corpusFiles, expectWellFormed, FIXTURES, sourcesCounts } from "./corpus.js";

type Obj = Record<string, unknown>;
const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

/**
 * Counting rule, written independently of the parser: over every Results array in every shape (the legacy
 * top-level array; `Results`; the `Results` of each resource object in `Resources`, `Findings`,
 * `Vulnerabilities`, `Misconfigurations` of trivy k8s reports), a finding is
 *   every Vulnerabilities[] entry + every Misconfigurations[] entry whose Status is FAIL or absent
 *   + every Secrets[] entry.
 * Licenses[] are not security findings and are not counted.
 */
function expectedCount(report: unknown): number {
  const resultLists: unknown[] = [];
  if (Array.isArray(report)) resultLists.push(report);
  else {
    const r = report as Obj;
    resultLists.push(r.Results);
    for (const key of ["Resources", "Findings", "Vulnerabilities", "Misconfigurations"]) {
      for (const resource of list(r[key])) resultLists.push(resource.Results);
    }
  }
  let n = 0;
  for (const results of resultLists) {
    for (const res of list(results)) {
      n += list(res.Vulnerabilities).length + list(res.Secrets).length;
      n += list(res.Misconfigurations).filter((m) => m.Status === "FAIL" || m.Status === undefined).length;
    }
  }
  return n;
}

/** SOURCES.md "vulns=… misconfigs=… secrets=…" for the file, as a second, external count. */
function sourcesTotal(file: string): number | null {
  const m = /vulns=(\d+) misconfigs=(\d+) secrets=(\d+)/.exec(sourcesCounts(file) ?? "");
  return m ? Number(m[1]) + Number(m[2]) + Number(m[3]) : null;
}

const files = corpusFiles("trivy");
const parse = (json: unknown) => {
  const parser = PARSERS.trivy;
  if (!parser) throw new Error("trivy parser not registered");
  return parser(json, { source: "trivy", collectedAt: new Date() });
};
const parsed = files.map((f) => ({ ...f, result: parse(f.json) }));

// distinct misconfiguration check ids across the corpus: from a table row, or placed by family
const misconfigs: FindingDraft[] = parsed.flatMap((p) =>
  p.result.findings.filter((f) => "rawId" in f.details),
);
const mappedIds = [...new Set(misconfigs.filter((f) => f.taxonomy.mapped).map((f) => f.ruleId))].sort();
const fallbackIds = [...new Set(misconfigs.filter((f) => !f.taxonomy.mapped).map((f) => f.ruleId))].sort();
console.log(
  `trivy corpus: ${parsed.length} files, ${mappedIds.length} check ids mapped, ${fallbackIds.length} fall back` +
    ` (${fallbackIds.join(", ")}); findings per file: ${parsed.map((p) => `${p.name}=${p.result.findings.length}`).join(", ")}`,
);

describe("trivy corpus", () => {
  it(`finds the fixture set at ${FIXTURES}`, () => {
    expect(files.length).toBeGreaterThan(0);
  });

  describe.each(parsed)("$name", ({ name, json, result }) => {
    it("has as many findings as the raw JSON has vulnerabilities, failing misconfigurations and secrets", () => {
      expect(result.findings).toHaveLength(expectedCount(json));
      const listed = sourcesTotal(name);
      if (listed !== null) expect(result.findings).toHaveLength(listed);
    });

    it("produces well-formed findings", () => {
      for (const f of result.findings) expectWellFormed("trivy", f);
    });
  });

  it(`maps ${mappedIds.length} distinct misconfiguration ids; ${fallbackIds.length} fall back to their family`, () => {
    // fallbacks are the checks the proposal has no row for; a KSV/KCV id falling back is a table gap
    expect(fallbackIds.filter((id) => id.startsWith("KSV-") || id.startsWith("KCV-"))).toEqual([]);
  });

  it("has a table row for every KSV and KCV id of check-mapping.md", () => {
    const path = join(FIXTURES, "../reference/check-mapping.md");
    if (!existsSync(path)) return;
    const ids = [...readFileSync(path, "utf8").matchAll(/^\| (K[SC]V-\d+) /gm)].map((m) => m[1]);
    const table = new Set(TRIVY_CHECKS.map((m) => m.id));
    expect(ids.length).toBeGreaterThan(150);
    expect(ids.filter((id) => id && !table.has(id))).toEqual([]);
  });
});
