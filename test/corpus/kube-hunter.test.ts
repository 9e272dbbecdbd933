import { describe, expect, it } from "vitest";
import { PARSERS } from "../../apps/worker/src/parsers/index.js";
import { corpusReports, expectWellFormed, FIXTURES, mappedVsFallback } from "./corpus.js";

/** Counting rule, written independently of the parser: one finding per vulnerabilities[] entry. */
function expectedCount(report: unknown): number {
  const v = (report as Record<string, unknown>).vulnerabilities;
  return Array.isArray(v) ? v.length : 0;
}

const files = corpusReports("kube-hunter");
const parser = PARSERS["kube-hunter"];
const parsed = files.map((f) => {
  if (!parser) throw new Error("kube-hunter parser not registered");
  return { ...f, result: parser(f.json, { source: "kube-hunter", collectedAt: new Date() }) };
});
const { mapped, fallback } = mappedVsFallback(parsed.flatMap((p) => p.result.findings));
console.log(
  `kube-hunter corpus: ${parsed.length} files, ${mapped.length} ids mapped, ${fallback.length} fall back` +
    ` (${fallback.join(", ")}); findings per file: ${parsed.map((p) => `${p.name}=${p.result.findings.length}`).join(", ")}`,
);

describe("kube-hunter corpus", () => {
  it(`finds the fixture set at ${FIXTURES}`, () => {
    expect(files.length).toBeGreaterThan(0);
  });

  describe.each(parsed)("$name", ({ json, result }) => {
    it("has one finding per vulnerability in the raw JSON", () => {
      expect(result.findings).toHaveLength(expectedCount(json));
    });

    it("produces well-formed findings", () => {
      for (const f of result.findings) expectWellFormed("kube-hunter", f);
    });
  });

  it("maps every vulnerability it meets", () => {
    expect(fallback).toEqual([]);
  });
});
