import { describe, expect, it } from "vitest";
import { findingsOf, mesh, resourcesOf } from "../helpers.js";

/** One rule: YAML added to the hardened mesh (and baseline objects removed) that makes it fire, and a compliant variant. */
export interface RuleCase {
  id: string;
  fire: { yaml?: string; without?: string[]; resource: string };
  quiet: { yaml?: string; without?: string[] };
}

export function runCases(cases: readonly RuleCase[]): void {
  describe.each(cases)("$id", (c) => {
    it("fires on the violating configuration, naming the offending resource", () => {
      const r = mesh(c.fire.yaml, c.fire.without);
      expect(resourcesOf(r, c.id)).toContain(c.fire.resource);
      const f = findingsOf(r, c.id)[0];
      expect(f?.remediation).toContain("```yaml");
      expect(f?.details.rationale).toEqual(expect.any(String));
      expect(f?.identity).toEqual([]);
    });
    it("stays quiet on the compliant configuration", () => {
      const r = mesh(c.quiet.yaml, c.quiet.without);
      expect(resourcesOf(r, c.id)).toEqual([]);
      expect((r.meta.rules as { evaluated: number }).evaluated).toBeGreaterThan(0);
    });
  });
}
