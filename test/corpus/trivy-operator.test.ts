import { describe, expect, it } from "vitest";
import { PARSERS } from "../../apps/worker/src/parsers/index.js";
import { corpusReports, expectWellFormed, FIXTURES, mappedVsFallback } from "./corpus.js";

type Obj = Record<string, unknown>;
const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

/**
 * Counting rule, written independently of the parser: over every report object (the List's items, or the
 * object itself), a finding is
 *   every report.vulnerabilities[] entry (Vulnerability kinds) + every report.secrets[] entry
 *   + for every report.checks[] entry with success === false: the number of distinct container names its
 *     messages cite as `Container '<name>' of`, at least 1.
 * ClusterComplianceReports count 0 (they are evidence in meta, not findings).
 */
function expectedCount(report: unknown): number {
  const r = report as Obj;
  const items = Array.isArray(r.items) ? list(r.items) : [r];
  let n = 0;
  for (const item of items) {
    const rep = (item.report ?? {}) as Obj;
    n += list(rep.vulnerabilities).length + list(rep.secrets).length;
    for (const c of list(rep.checks)) {
      if (c.success !== false) continue;
      const names = new Set<string>();
      for (const m of list(c.messages) as unknown[]) {
        const hit = typeof m === "string" ? /^Container '([^']+)' of/.exec(m) : null;
        if (hit?.[1]) names.add(hit[1]);
      }
      n += Math.max(1, names.size);
    }
  }
  return n;
}

/** Failing controls of a compliance report, counted from the raw rows (any check with success false). */
function failingControls(report: unknown): number {
  const status = ((report as Obj).status ?? {}) as Obj;
  const rows = list(((status.detailReport ?? {}) as Obj).results);
  return rows.filter((c) => list(c.checks).some((k) => k.success === false)).length;
}

const files = corpusReports("trivy-operator");
const parser = PARSERS["trivy-operator"];
const parsed = files.map((f) => {
  if (!parser) throw new Error("trivy-operator parser not registered");
  return { ...f, result: parser(f.json, { source: "trivy-operator", collectedAt: new Date() }) };
});
const { mapped, fallback } = mappedVsFallback(parsed.flatMap((p) => p.result.findings));
console.log(
  `trivy-operator corpus: ${parsed.length} files, ${mapped.length} ids mapped, ${fallback.length} fall back` +
    ` (${fallback.join(", ")}); findings per file: ${parsed.map((p) => `${p.name}=${p.result.findings.length}`).join(", ")}`,
);

describe("trivy-operator corpus", () => {
  it(`finds the fixture set at ${FIXTURES}`, () => {
    expect(files.length).toBeGreaterThan(0);
  });

  describe.each(parsed)("$name", ({ json, result }) => {
    it("has as many findings as vulnerabilities, secrets and failing checks (per container) in the raw JSON", () => {
      expect(result.findings).toHaveLength(expectedCount(json));
    });

    it("produces well-formed findings", () => {
      for (const f of result.findings) expectWellFormed("trivy-operator", f);
    });
  });

  it("keeps the compliance report as evidence whose failing controls match the raw rows and its summary", () => {
    const cis = parsed.find((p) => p.name === "defectdojo-cis_benchmark.json");
    if (!cis) return;
    const [c] = (cis.result.meta?.compliance ?? []) as {
      controls: { status: string }[];
      summary: { failCount: number };
    }[];
    const failing = c?.controls.filter((x) => x.status === "fail").length;
    expect(failing).toBe(failingControls(cis.json));
    expect(failing).toBe(c?.summary.failCount);
  });

  it("maps every check id it meets", () => {
    expect(fallback).toEqual([]);
  });
});
