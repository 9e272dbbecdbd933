import { describe, expect, it } from "vitest";
import { PARSERS } from "../../apps/worker/src/parsers/index.js";
import { corpusReports, expectWellFormed, FIXTURES, mappedVsFallback, sourcesCounts } from "./corpus.js";

type Obj = Record<string, unknown>;
const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

/**
 * Counting rule, written independently of the parser: over popeye.sections[] (or popeye.sanitizers[]),
 * every list in each section's `issues` map; a finding is an issue whose level is not 0 (OK).
 */
function expectedCount(report: unknown): number {
  const root = ((report as Obj).popeye ?? report) as Obj;
  let n = 0;
  for (const s of [...list(root.sections), ...list(root.sanitizers)]) {
    for (const issues of Object.values((s.issues ?? {}) as Obj))
      n += list(issues).filter((i) => i.level !== 0).length;
  }
  return n;
}

/** SOURCES.md "issues by level {0: a, 1: b, 2: c, 3: d}" for the file: b + c + d, a second external count. */
function sourcesTotal(file: string): number | null {
  const m = /\{0: (\d+), 1: (\d+), 2: (\d+), 3: (\d+)\}/.exec(sourcesCounts(file) ?? "");
  return m ? Number(m[2]) + Number(m[3]) + Number(m[4]) : null;
}

const files = corpusReports("popeye");
const parser = PARSERS.popeye;
const parsed = files.map((f) => {
  if (!parser) throw new Error("popeye parser not registered");
  return { ...f, result: parser(f.json, { source: "popeye", collectedAt: new Date() }) };
});
const { mapped, fallback } = mappedVsFallback(parsed.flatMap((p) => p.result.findings));
console.log(
  `popeye corpus: ${parsed.length} files, ${mapped.length} codes mapped, ${fallback.length} fall back` +
    ` (${fallback.join(", ")}); findings per file: ${parsed.map((p) => `${p.name}=${p.result.findings.length}`).join(", ")}`,
);

describe("popeye corpus", () => {
  it(`finds the fixture set at ${FIXTURES}`, () => {
    expect(files.length).toBeGreaterThan(0);
  });

  describe.each(parsed)("$name", ({ name, json, result }) => {
    it("has as many findings as issues with a level above OK in the raw JSON", () => {
      expect(result.findings).toHaveLength(expectedCount(json));
      const listed = sourcesTotal(name);
      if (listed !== null) expect(result.findings).toHaveLength(listed);
    });

    it("produces well-formed findings", () => {
      for (const f of result.findings) expectWellFormed("popeye", f);
    });
  });

  it("maps every code it meets", () => {
    expect(fallback).toEqual([]);
  });
});
