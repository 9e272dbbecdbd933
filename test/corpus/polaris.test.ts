import { describe, expect, it } from "vitest";
import { PARSERS } from "../../apps/worker/src/parsers/index.js";
import { corpusReports, expectWellFormed, FIXTURES, mappedVsFallback } from "./corpus.js";

type Obj = Record<string, unknown>;
const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const values = (v: unknown): Obj[] => (v && typeof v === "object" ? (Object.values(v) as Obj[]) : []);

/**
 * Counting rule, written independently of the parser: over every Results[] entry, the check sets
 * `Results` (or `Messages`) of the workload, of PodResult and of each PodResult.ContainerResults[] entry;
 * a finding is a check with Success === false and Severity !== "ignore".
 */
function expectedCount(report: unknown): number {
  let n = 0;
  const count = (o: Obj) =>
    values(o.Results ?? o.Messages).filter((m) => m.Success === false && m.Severity !== "ignore").length;
  for (const w of list((report as Obj).Results)) {
    n += count(w);
    const pod = w.PodResult as Obj | null;
    if (!pod) continue;
    n += count(pod);
    for (const c of list(pod.ContainerResults)) n += count(c);
  }
  return n;
}

const files = corpusReports("polaris");
const parser = PARSERS.polaris;
const parsed = files.map((f) => {
  if (!parser) throw new Error("polaris parser not registered");
  return { ...f, result: parser(f.json, { source: "polaris", collectedAt: new Date() }) };
});
const { mapped, fallback } = mappedVsFallback(parsed.flatMap((p) => p.result.findings));
console.log(
  `polaris corpus: ${parsed.length} files, ${mapped.length} ids mapped, ${fallback.length} fall back` +
    ` (${fallback.join(", ")}); findings per file: ${parsed.map((p) => `${p.name}=${p.result.findings.length}`).join(", ")}`,
);

describe("polaris corpus", () => {
  it(`finds the fixture set at ${FIXTURES}`, () => {
    expect(files.length).toBeGreaterThan(0);
  });

  describe.each(parsed)("$name", ({ json, result }) => {
    it("has as many findings as failing, non-ignored checks in the raw JSON", () => {
      expect(result.findings).toHaveLength(expectedCount(json));
    });

    it("produces well-formed findings", () => {
      for (const f of result.findings) expectWellFormed("polaris", f);
    });
  });

  it("maps every built-in check it meets", () => {
    expect(fallback).toEqual([]);
  });
});
