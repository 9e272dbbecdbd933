import { describe, expect, it } from "vitest";
import { PARSERS } from "../../apps/worker/src/parsers/index.js";
import { corpusFiles, expectWellFormed, FIXTURES, sourcesCounts } from "./corpus.js";

type Obj = Record<string, unknown>;
const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

/**
 * Counting rule, written independently of the parser: over every control (the top-level array of old
 * kube-bench, `Controls` of v0.5+), every tests[] group, every results[] entry, a finding is a result whose
 * status is FAIL or WARN (PASS and INFO are not findings).
 */
function expectedCount(report: unknown): number {
  const controls = Array.isArray(report) ? report : list((report as Obj).Controls);
  let n = 0;
  for (const c of list(controls)) {
    for (const t of list(c.tests))
      n += list(t.results).filter((r) => r.status === "FAIL" || r.status === "WARN").length;
  }
  return n;
}

/** SOURCES.md "results {'FAIL': n, 'WARN': m, …}" for the file, as a second, external count. */
function sourcesTotal(file: string): number | null {
  const counts = sourcesCounts(file);
  if (!counts) return null;
  const fail = /'FAIL': (\d+)/.exec(counts);
  const warn = /'WARN': (\d+)/.exec(counts);
  return Number(fail?.[1] ?? 0) + Number(warn?.[1] ?? 0);
}

const files = corpusFiles("kube-bench");
const parse = (json: unknown) => {
  const parser = PARSERS["kube-bench"];
  if (!parser) throw new Error("kube-bench parser not registered");
  return parser(json, { source: "kube-bench", collectedAt: new Date() });
};
const parsed = files.map((f) => ({ ...f, result: parse(f.json) }));

// distinct checks are (benchmark, test number): the same number is a different check in another benchmark
const checks = parsed.flatMap((p) => p.result.findings);
const key = (f: (typeof checks)[number]) => `${String(f.details.benchmark)}/${f.ruleId}`;
const mapped = [...new Set(checks.filter((f) => f.taxonomy.mapped).map(key))];
const fallback = [...new Set(checks.filter((f) => !f.taxonomy.mapped).map(key))];
console.log(
  `kube-bench corpus: ${parsed.length} files, ${mapped.length} checks mapped, ${fallback.length} fall back` +
    ` (${fallback.join(", ")}); findings per file: ${parsed.map((p) => `${p.name}=${p.result.findings.length}`).join(", ")}`,
);

describe("kube-bench corpus", () => {
  it(`finds the fixture set at ${FIXTURES}`, () => {
    expect(files.length).toBeGreaterThan(0);
  });

  describe.each(parsed)("$name", ({ name, json, result }) => {
    it("has as many findings as the raw JSON has FAIL and WARN results", () => {
      expect(result.findings).toHaveLength(expectedCount(json));
      const listed = sourcesTotal(name);
      if (listed !== null) expect(result.findings).toHaveLength(listed);
    });

    it("produces well-formed findings", () => {
      for (const f of result.findings) expectWellFormed("kube-bench", f);
    });
  });

  it(`maps ${mapped.length} distinct checks by their text; ${fallback.length} fall back to PLAT-CIS`, () => {
    // every CIS check in the corpus evidences a strategy or is a deliberate PLAT-CIS rule
    expect(fallback).toEqual([]);
  });
});
