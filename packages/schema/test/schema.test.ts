import { describe, expect, it } from "vitest";
import {
  CATEGORIES,
  fingerprint,
  imageRepository,
  reportEnvelopeSchema,
  STRATEGIES,
  scopeKey,
  taxonomyFor,
} from "../src/index.js";

describe("taxonomy", () => {
  it("has the six categories and nineteen strategies of TAXONOMY.md, each under an existing category", () => {
    expect(CATEGORIES.map((c) => c.id)).toEqual(["PROT", "RES", "MON", "LP", "INT", "PLAT"]);
    expect(STRATEGIES).toHaveLength(19);
    for (const s of STRATEGIES) {
      expect(CATEGORIES.some((c) => c.id === s.category)).toBe(true);
      expect(s.id.startsWith(`${s.category}-`)).toBe(true);
    }
  });
  it("falls back to the strategy's own citations", () => {
    expect(taxonomyFor("PROT-MTLS").nist).toContain("SP 800-204A SM-DR6");
    expect(taxonomyFor("LP-CTR", ["SP 800-204B AHLC-SR-4"]).nist).toEqual(["SP 800-204B AHLC-SR-4"]);
  });
});

describe("identity", () => {
  it("strips tags and digests but keeps registry ports", () => {
    expect(imageRepository("nginx:1.25")).toBe("nginx");
    expect(imageRepository("registry.local:5000/team/app:2.0")).toBe("registry.local:5000/team/app");
    expect(imageRepository("ghcr.io/a/b@sha256:abc")).toBe("ghcr.io/a/b");
    expect(imageRepository("ghcr.io/a/b:1@sha256:abc")).toBe("ghcr.io/a/b");
    expect(imageRepository(null)).toBeNull();
  });
  it("gives the same fingerprint for another tag of the same image and a different one for another container", () => {
    const base = {
      ruleId: "CVE-2024-1",
      title: "t",
      severity: "high" as const,
      taxonomy: taxonomyFor("INT-VULN"),
      remediation: null,
      references: [],
      details: {},
      identity: ["openssl"],
      resource: { kind: "Deployment", namespace: "web", name: "api", container: "app", image: "nginx:1.25" },
    };
    const a = fingerprint("trivy", base);
    expect(fingerprint("trivy", { ...base, resource: { ...base.resource, image: "nginx:1.26" } })).toBe(a);
    expect(fingerprint("trivy", { ...base, resource: { ...base.resource, container: "sidecar" } })).not.toBe(
      a,
    );
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("envelope", () => {
  const ok = { schemaVersion: 1, source: "trivy", collectedAt: "2026-11-23T10:00:00Z", report: {} };
  it("accepts the contract's shape, with an array report (legacy trivy) too", () => {
    expect(reportEnvelopeSchema.safeParse(ok).success).toBe(true);
    expect(reportEnvelopeSchema.safeParse({ ...ok, report: [] }).success).toBe(true);
  });
  it("names each bad field", () => {
    const r = reportEnvelopeSchema.safeParse({ schemaVersion: 2, source: "nmap", collectedAt: "yesterday" });
    expect(r.success).toBe(false);
    const paths = r.error?.issues.map((i) => i.path.join(".")).sort();
    expect(paths).toEqual(["collectedAt", "report", "schemaVersion", "source"]);
  });
  it("keys scopes independently of namespace order", () => {
    expect(scopeKey(undefined)).toBe("*");
    expect(scopeKey({ namespaces: ["web", "payments"] })).toBe(scopeKey({ namespaces: ["payments", "web"] }));
  });
});
