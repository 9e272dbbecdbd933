import { describe, expect, it } from "vitest";
import { kubeBenchSeverity } from "../../src/parsers/kube-bench.js";
import { control, controlsReport, legacyControlsReport, result } from "../fixtures/kube-bench.js";
import { firstProblem, fp, parseKubeBench } from "./helpers.js";

describe("kube-bench {Controls, Totals}", () => {
  const { findings, meta } = parseKubeBench(controlsReport());

  it("emits FAIL and WARN results only", () => {
    expect(findings.map((f) => f.ruleId)).toEqual([
      "1.2.1",
      "1.2.16",
      "2.2",
      "4.2.4",
      "4.2.6",
      "4.2.99",
      "5.1.5",
    ]);
    expect(meta).toMatchObject({
      format: "controls",
      benchmarks: ["cis-1.10"],
      counts: { fail: 3, warn: 4 },
    });
  });

  it("derives severity from status, scored and type", () => {
    expect(findings.map((f) => f.severity)).toEqual([
      "info",
      "high",
      "medium",
      "info",
      "low",
      "high",
      "info",
    ]);
  });

  it("attaches findings to the benchmark target, not to a node name", () => {
    expect(findings.map((f) => f.resource.kind)).toEqual([
      "ControlPlane",
      "ControlPlane",
      "Etcd",
      "Node",
      "Node",
      "Node",
      "Cluster",
    ]);
    for (const f of findings) {
      expect(f.resource).toMatchObject({ namespace: null, name: null, container: null, image: null });
    }
  });

  it("keeps the text as title and kube-bench's fields in details", () => {
    expect(findings[1]).toMatchObject({
      title: "Ensure that the --audit-log-path argument is set (Automated)",
      remediation: "Fix 1.2.16.",
      references: [],
      identity: ["cis-1.10", "master"],
      details: {
        benchmark: "cis-1.10",
        nodeType: "master",
        section: "1.1",
        status: "FAIL",
        scored: true,
        type: "",
        expected_result: "'--anonymous-auth' is equal to 'false'",
        detectedVersion: "1.31",
      },
    });
    expect(findings[1]?.details).not.toHaveProperty("AuditEnv");
    expect(findings[6]?.details.reason).toBe("Test marked as a manual test");
  });

  it("maps by the check text; an unknown text is PLAT-CIS with mapped=false", () => {
    const tax = findings.map((f) => [f.ruleId, f.taxonomy.strategy, f.taxonomy.mapped]);
    expect(tax).toEqual([
      ["1.2.1", "LP-OPS", true],
      ["1.2.16", "MON-LOG", true],
      ["2.2", "PROT-MTLS", true],
      ["4.2.4", "PROT-EDGE", true],
      ["4.2.6", "PLAT-CIS", true],
      ["4.2.99", "PLAT-CIS", false],
      ["5.1.5", "PROT-MTLS", true],
    ]);
    expect(findings[1]?.taxonomy.nist).toEqual(["SP 800-204A §4.5"]);
    expect(findings[6]?.details.also).toEqual(["LP-OPS"]);
  });

  it("keys identity by benchmark version: a renumbered benchmark is a new finding, a rerun is not", () => {
    const again = fp("kube-bench", parseKubeBench(controlsReport()).findings);
    expect(again).toEqual(fp("kube-bench", findings));
    const next = fp("kube-bench", parseKubeBench(controlsReport("cis-1.11")).findings);
    expect(next.filter((x) => again.includes(x))).toEqual([]);
  });
});

describe("kube-bench legacy array", () => {
  it("reads a bare array of controls", () => {
    const { findings, meta } = parseKubeBench(legacyControlsReport());
    expect(meta).toMatchObject({ format: "legacy-array", benchmarks: ["1.5"], totals: null });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      ruleId: "4.2.11",
      severity: "high",
      taxonomy: { strategy: "PROT-MTLS" },
    });
  });
});

describe("kube-bench severity table", () => {
  it.each([
    ["FAIL", true, "", "high"],
    ["FAIL", false, "", "medium"],
    ["WARN", true, "", "low"],
    ["WARN", false, "", "info"],
    ["WARN", true, "manual", "info"],
  ] as const)("%s scored=%s type=%j → %s", (status, scored, type, severity) => {
    expect(kubeBenchSeverity(status, scored, type)).toBe(severity);
  });
});

describe("kube-bench malformed reports", () => {
  const cases: [string, unknown, string][] = [
    ["not a report", "x", "$: expected a kube-bench JSON report (an object with Controls or an array)"],
    ["Controls missing", { Totals: {} }, "$.Controls: expected an array"],
    [
      "tests not an array",
      { Controls: [{ ...control("1", "master", "cis-1.10", []), tests: {} }] },
      "$.Controls[0].tests: expected an array",
    ],
    [
      "results not an array",
      [{ ...control("4", "node", "1.5", []), tests: [{ section: "4.1", results: "none" }] }],
      "$[0].tests[0].results: expected an array",
    ],
    [
      "unknown status",
      { Controls: [control("1", "master", "cis-1.10", [result("1.1.1", "x", "BROKEN")])] },
      "$.Controls[0].tests[0].results[0].status: expected PASS, FAIL, WARN or INFO",
    ],
    [
      "test_number not a string",
      {
        Controls: [control("1", "master", "cis-1.10", [result("1.1.1", "x", "FAIL", { test_number: 1.1 })])],
      },
      "$.Controls[0].tests[0].results[0].test_number: expected a string",
    ],
    [
      "scored not a boolean",
      { Controls: [control("1", "master", "cis-1.10", [result("1.1.1", "x", "FAIL", { scored: "yes" })])] },
      "$.Controls[0].tests[0].results[0].scored: expected a boolean",
    ],
  ];
  it.each(cases)("%s", (_, report, message) => {
    expect(firstProblem(() => parseKubeBench(report))).toBe(message);
  });

  it("treats null tests and results as empty (omitempty)", () => {
    expect(
      parseKubeBench({ Controls: [{ ...control("1", "master", "x", []), tests: null }] }).findings,
    ).toEqual([]);
  });
});
