import {
  type CheckMapping,
  isStrategyId,
  KUBE_BENCH_OVERRIDES,
  KUBE_BENCH_RULES,
  NIST_CITATION,
  TRIVY_CHECKS,
  TRIVY_KCV,
  TRIVY_KSV,
  trivyCheckMapping,
} from "@bulwark/schema";
import { describe, expect, it } from "vitest";

const tables: [string, readonly CheckMapping[]][] = [
  ["trivy", TRIVY_CHECKS],
  ["kube-bench rules", KUBE_BENCH_RULES],
  ["kube-bench overrides", KUBE_BENCH_OVERRIDES],
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
