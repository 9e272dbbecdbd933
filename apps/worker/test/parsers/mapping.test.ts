import {
  type CheckMapping,
  ISTIOCTL_CODES,
  isStrategyId,
  KUBE_BENCH_OVERRIDES,
  KUBE_BENCH_RULES,
  KUBE_HUNTER_VULNS,
  KUBESCAPE_CONTROLS,
  kubescapeControlMapping,
  NIST_CITATION,
  POLARIS_CHECKS,
  POPEYE_CODES,
  popeyeCodeMapping,
  TRIVY_CHECKS,
  TRIVY_KCV,
  TRIVY_KSV,
  trivyCheckMapping,
  unmappedRuleIds,
} from "@bulwark/schema";
import { describe, expect, it } from "vitest";

const tables: [string, readonly CheckMapping[]][] = [
  ["trivy", TRIVY_CHECKS],
  ["kube-bench rules", KUBE_BENCH_RULES],
  ["kube-bench overrides", KUBE_BENCH_OVERRIDES],
  ["polaris", POLARIS_CHECKS],
  ["popeye", POPEYE_CODES],
  ["kubescape", KUBESCAPE_CONTROLS],
  ["kube-hunter", KUBE_HUNTER_VULNS],
  ["istioctl", ISTIOCTL_CODES],
];

describe.each(tables)("%s mapping table", (_, table) => {
  it("names existing strategies only", () => {
    for (const m of table) {
      expect(isStrategyId(m.strategy), `${m.id} → ${m.strategy}`).toBe(true);
      for (const s of m.also ?? []) {
        expect(isStrategyId(s), `${m.id} also ${s}`).toBe(true);
        expect(s, `${m.id} repeats its primary strategy`).not.toBe(m.strategy);
      }
    }
  });

  it("has no id twice", () => {
    const ids = table.map((m) => ("benchmark" in m ? `${m.benchmark}/${m.id}` : m.id));
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it("cites NIST in the normalised format", () => {
    for (const m of table) for (const n of m.nist) expect(n, m.id).toMatch(NIST_CITATION);
  });
});

describe("trivy table", () => {
  it("has every KSV and KCV row of check-mapping.md §2 / §2.1 under its normalised id", () => {
    expect(TRIVY_KSV).toHaveLength(79);
    expect(TRIVY_KCV).toHaveLength(90);
    for (const m of [...TRIVY_KSV, ...TRIVY_KCV]) expect(m.id).toMatch(/^K[SC]V-\d{4,5}$/);
    expect(trivyCheckMapping("KSV-0009")).toMatchObject({ strategy: "LP-CTR", also: ["PROT-COVER"] });
    expect(trivyCheckMapping("KCV-0019")).toMatchObject({ strategy: "MON-LOG", also: ["PLAT-CIS"] });
    expect(trivyCheckMapping("KCV-0018")).toMatchObject({ strategy: "PLAT-CIS" });
  });

  it("accepts the citation forms of TAXONOMY.md and rejects uncertain ones", () => {
    for (const ok of [
      "SP 800-204 MS-SS-4",
      "SP 800-204A SM-DR6",
      "SP 800-204B AHLC-SR-4",
      "SP 800-204A §4.5",
    ]) {
      expect(ok).toMatch(NIST_CITATION);
    }
    for (const bad of ["AHLC-SR (?)", "204A §4.8", "SP 800-204 MS-SS-1(b)", "SP 800-204B AHLC-SR"]) {
      expect(bad).not.toMatch(NIST_CITATION);
    }
  });
});

describe("tool tables", () => {
  it("list every Polaris built-in check, Popeye code of §6 and IST code", () => {
    expect(POLARIS_CHECKS).toHaveLength(44);
    for (const m of POPEYE_CODES) expect(m.id).toMatch(/^POP-\d{3,4}$/);
    for (const m of ISTIOCTL_CODES) expect(m.id).toMatch(/^IST\d{4}$/);
    for (const m of KUBE_HUNTER_VULNS.filter((k) => k.id.startsWith("KHV")))
      expect(m.id).toMatch(/^KHV\d{3}$/);
    for (const m of KUBESCAPE_CONTROLS) expect(m.id).toMatch(/^C-\d{4}$/);
    expect(ISTIOCTL_CODES.length).toBeGreaterThan(55);
  });

  it("refines POP-400 by linter and maps Kubescape CIS controls through the CIS text", () => {
    expect(popeyeCodeMapping("POP-400", "secrets")?.strategy).toBe("INT-SECRET");
    expect(popeyeCodeMapping("POP-400", "roles")?.strategy).toBe("LP-OPS");
    expect(kubescapeControlMapping("CIS-5.2.7", "Minimize the admission of root containers")?.strategy).toBe(
      "LP-CTR",
    );
    expect(kubescapeControlMapping("CIS-9.9.9", "no rule knows this wording")).toBeUndefined();
  });

  it("lists the unmapped (tool, ruleId) pairs of a set of drafts", () => {
    const t = (mapped: boolean) => ({
      category: "LP" as const,
      strategy: "LP-CTR" as const,
      nist: [],
      mapped,
    });
    const drafts = [
      { ruleId: "b", taxonomy: t(false) },
      { ruleId: "a", taxonomy: t(false) },
      { ruleId: "b", taxonomy: t(false) },
      { ruleId: "c", taxonomy: t(true) },
    ];
    expect(unmappedRuleIds("polaris", drafts)).toEqual([
      { tool: "polaris", ruleId: "a", findings: 1 },
      { tool: "polaris", ruleId: "b", findings: 2 },
    ]);
  });
});
