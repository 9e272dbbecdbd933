import { SOURCES } from "@bulwark/schema";
import { describe, expect, it } from "vitest";
import { istioctlSeverity, resourceOfOrigin } from "../../src/parsers/istioctl-analyze.js";
import { ReportParseError } from "../../src/parsers/types.js";
import { analyzeReport } from "../fixtures/istioctl.js";
import { parseWith, thrown } from "./helpers.js";

const parse = (r: unknown) => parseWith("istioctl-analyze", r);

describe("istioctl analyze", () => {
  it("is a contract source", () => {
    expect(SOURCES).toContain("istioctl-analyze");
  });

  it("emits one finding per message with the IST code as ruleId", () => {
    const r = parse(analyzeReport());
    expect(r.findings.map((f) => [f.ruleId, f.severity, f.taxonomy.strategy, f.taxonomy.mapped])).toEqual([
      ["IST0101", "high", "PROT-EDGE", true],
      ["IST0102", "low", "PROT-COVER", true],
      ["IST0103", "medium", "PROT-COVER", true],
      ["IST0999", "medium", "PROT-EDGE", false],
      ["IST0136", "low", "INT-VULN", true],
    ]);
    expect(r.findings[0]?.references).toEqual([
      "https://istio.io/v1.22/docs/reference/config/analysis/ist0101",
    ]);
  });

  it("reads the resource from every origin format", () => {
    expect(resourceOfOrigin("VirtualService bookinfo/reviews")).toMatchObject({
      kind: "VirtualService",
      namespace: "bookinfo",
      name: "reviews",
    });
    expect(resourceOfOrigin("Namespace legacy")).toMatchObject({
      kind: "Namespace",
      namespace: null,
      name: "legacy",
    });
    expect(resourceOfOrigin("Pod web-7d4b9c8f5d-bq7zp.shop")).toMatchObject({
      kind: "Deployment",
      namespace: "shop",
      name: "web",
    });
    expect(resourceOfOrigin("MutatingWebhookConfiguration istio-sidecar-injector.v1")).toMatchObject({
      namespace: null,
      name: "istio-sidecar-injector.v1",
    });
    expect(resourceOfOrigin(null)).toMatchObject({ kind: null, name: null });
  });

  it("maps levels and accepts a clean run", () => {
    expect(["Error", "Warning", "Info", "?"].map(istioctlSeverity)).toEqual([
      "high",
      "medium",
      "low",
      "info",
    ]);
    expect(parse([]).findings).toEqual([]);
    expect(parse(null).findings).toEqual([]);
  });

  it.each([
    [{ a: 1 }, "$"],
    [[{ level: "Error" }], "$[0].code"],
    [[{ code: "IST0101", origin: 5 }], "$[0].origin"],
  ])("rejects %j at %s", (report, path) => {
    const e = thrown(() => parse(report));
    expect(e).toBeInstanceOf(ReportParseError);
    expect((e as ReportParseError).path).toBe(path);
  });
});
