import { KUBE_BENCH_RULES, kubeBenchMapping } from "@bulwark/schema";
import { describe, expect, it } from "vitest";
import { CIS_ROWS } from "../fixtures/cis-rows.js";

describe("kube-bench text rules cover every row of check-mapping.md §4", () => {
  it.each(CIS_ROWS)("%s %s → %s", (id, text, strategy) => {
    expect(kubeBenchMapping("cis-1.12", id, text)?.strategy).toBe(strategy);
  });

  it("cites the confirmed identifiers for the 5.2.x rows that have them", () => {
    const nist = (t: string) => kubeBenchMapping("cis-1.12", "x", t)?.nist;
    expect(nist("Minimize the admission of privileged containers")).toEqual(["SP 800-204B AHLC-SR-1"]);
    expect(nist("Minimize the admission of containers with allowPrivilegeEscalation")).toEqual([
      "SP 800-204B AHLC-SR-4",
    ]);
  });

  it("consults (benchmark, id) overrides before the text", () => {
    const overrides = [{ benchmark: "eks-1.5.0", id: "3.2.1", strategy: "MON-LOG" as const, nist: [] }];
    const text = "A vendor-specific wording no rule knows";
    expect(kubeBenchMapping("eks-1.5.0", "3.2.1", text, KUBE_BENCH_RULES, overrides)?.strategy).toBe(
      "MON-LOG",
    );
    expect(kubeBenchMapping("cis-1.12", "3.2.1", text, KUBE_BENCH_RULES, overrides)).toBeUndefined();
  });
});
