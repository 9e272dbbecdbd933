import { describe, expect, it } from "vitest";
import { PARSERS } from "../../apps/worker/src/parsers/index.js";
import { corpusReports, expectWellFormed, FIXTURES, mappedVsFallback } from "./corpus.js";

type Obj = Record<string, unknown>;
const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

/**
 * Counting rule, written independently of the parser: over results[] and each entry's controls[], a finding
 * is a control whose status (`status.status`, or a plain string) is "failed"; a control with no status
 * (2022 files) counts when any of its rules[] has status "failed".
 */
function expectedCount(report: unknown): number {
  let n = 0;
  for (const r of list((report as Obj).results)) {
    for (const c of list(r.controls)) {
      const s = c.status;
      const status = typeof s === "string" ? s : s && typeof s === "object" ? (s as Obj).status : undefined;
      if (status === "failed" || (s === undefined && list(c.rules).some((x) => x.status === "failed"))) n++;
    }
  }
  return n;
}

const files = corpusReports("kubescape");
const parser = PARSERS.kubescape;
const parsed = files.map((f) => {
  if (!parser) throw new Error("kubescape parser not registered");
  return { ...f, result: parser(f.json, { source: "kubescape", collectedAt: new Date() }) };
});
const { mapped, fallback } = mappedVsFallback(parsed.flatMap((p) => p.result.findings));
console.log(
  `kubescape corpus: ${parsed.length} files, ${mapped.length} controls mapped, ${fallback.length} fall back` +
    ` (${fallback.join(", ")}); findings per file: ${parsed.map((p) => `${p.name}=${p.result.findings.length}`).join(", ")}`,
);

describe("kubescape corpus", () => {
  it(`finds the fixture set at ${FIXTURES}`, () => {
    expect(files.length).toBeGreaterThan(0);
  });

  describe.each(parsed)("$name", ({ json, result }) => {
    it("has as many findings as failed (control, resource) pairs in the raw JSON", () => {
      expect(result.findings).toHaveLength(expectedCount(json));
    });

    it("produces well-formed findings", () => {
      for (const f of result.findings) expectWellFormed("kubescape", f);
    });
  });

  it("maps every control it meets", () => {
    expect(fallback).toEqual([]);
  });
});
