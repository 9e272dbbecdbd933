import { describe, expect, it } from "vitest";
import { popeyeSeverity } from "../../src/parsers/popeye.js";
import { popeyeSanitizers, popeyeSections } from "../fixtures/popeye.js";
import { firstProblem, fp, parseWith } from "./helpers.js";

const parse = (r: unknown) => parseWith("popeye", r);

describe("popeye", () => {
  it("reads v0.20+ sections: level 0 (OK) produces nothing, groups name containers", () => {
    const r = parse(popeyeSections());
    expect(r.findings.map((f) => [f.ruleId, f.severity, f.resource.container])).toEqual([
      ["POP-302", "medium", null],
      ["POP-100", "high", "app"],
      ["POP-306", "medium", "istio-init"],
      ["POP-206", "info", null],
      ["POP-400", "info", null],
      ["POP-1999", "medium", null],
    ]);
    expect(r.meta).toMatchObject({ format: "sections", grade: "B" });
  });

  it("names pods by their owner and maps codes by the table, POP-400 by linter", () => {
    const r = parse(popeyeSections());
    expect(r.findings[0]?.resource).toMatchObject({ kind: "Deployment", namespace: "shop", name: "web" });
    expect(r.findings[0]?.taxonomy).toMatchObject({ strategy: "LP-CTR", mapped: true });
    expect(r.findings[4]?.taxonomy).toMatchObject({ strategy: "INT-SECRET", mapped: true });
    expect(r.findings[4]?.resource).toMatchObject({ kind: "Secret", name: "old-token" });
    // an unknown code falls back by linter
    expect(r.findings[5]?.taxonomy).toMatchObject({ strategy: "PROT-EDGE", mapped: false });
  });

  it("gives the same fingerprints for two pods of one Deployment", () => {
    const a = parse(popeyeSections("web-7d4b9c8f5d-bq7zp")).findings;
    const b = parse(popeyeSections("web-5f6c7d8b9x-x2v9k")).findings;
    expect(fp("popeye", b)).toEqual(fp("popeye", a));
  });

  it("reads ≤0.11 sanitizers, short linter names and code-less messages", () => {
    const r = parse(popeyeSanitizers());
    expect(
      r.findings.map((f) => [f.ruleId, f.resource.kind, f.resource.container, f.taxonomy.mapped]),
    ).toEqual([
      ["POP-106", "Deployment", "app", true],
      ["popeye:po", "Pod", null, false],
    ]);
    expect(r.findings[1]?.identity).toEqual(["Pod could be running as root"]);
  });

  it("maps levels to severities", () => {
    expect([0, 1, 2, 3].map(popeyeSeverity)).toEqual([null, "info", "medium", "high"]);
  });

  it.each([
    ["x", "$"],
    [{ popeye: { score: 1 } }, "$.popeye.sections"],
    [{ popeye: { sections: [{ linter: "pods", issues: [] }] } }, "$.popeye.sections[0].issues"],
    [
      { popeye: { sections: [{ linter: "pods", issues: { "a/b": [{ message: "x" }] } }] } },
      '$.popeye.sections[0].issues["a/b"][0].level',
    ],
  ])("refuses or skips %j at %s", (report, path) => {
    expect(firstProblem(() => parse(report))).toMatch(
      new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: `),
    );
  });
});
