import { taxonomyFor } from "@bulwark/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { draft } from "../support/factories.js";
import { Scenario, type ScenarioTenant } from "../support/scenario.js";

interface Strategy {
  id: string;
  checks: number;
  passing: number;
  failing: number;
  accepted: number;
  open: Record<string, number>;
  evidence: { ruleId: string; title: string }[];
  coverage: unknown;
}

let s: Scenario;
let t: ScenarioTenant;

beforeAll(async () => {
  s = await Scenario.create();
  t = await s.tenant("nist", ["prod", "dev"]);
  const lp = taxonomyFor("LP-CTR");
  await s.apply(t, "prod", [
    draft({ ruleId: "KSV-0001", severity: "high", taxonomy: lp, title: "<script>alert(1)</script> root" }),
    draft({ ruleId: "KSV-0002", severity: "medium", taxonomy: lp }),
    draft({ ruleId: "KSV-0003", severity: "low", taxonomy: lp }),
    draft({ ruleId: "CVE-1", severity: "critical" }),
  ]);
  // KSV-0003 fixed: passing; KSV-0002 suppressed below: accepted
  await s.apply(t, "prod", [
    draft({ ruleId: "KSV-0001", severity: "high", taxonomy: lp, title: "<script>alert(1)</script> root" }),
    draft({ ruleId: "KSV-0002", severity: "medium", taxonomy: lp }),
    draft({ ruleId: "CVE-1", severity: "critical" }),
  ]);
  await s.apply(t, "dev", [draft({ ruleId: "CVE-2", severity: "high" })]);
  await s.send(t, "POST", "/v1/suppressions", {
    selector: { ruleId: "KSV-0002" },
    reason: "accepted",
    expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
  });
});
afterAll(async () => {
  await s?.close();
});

describe("GET /v1/compliance/nist-800-204", () => {
  it("lists every strategy of the taxonomy with checks passing, failing and accepted, and evidence", async () => {
    const res = await s.get<{ strategies: Strategy[]; sources: { source: string }[] }>(
      t,
      "/v1/compliance/nist-800-204",
    );
    expect(res.status).toBe(200);
    expect(res.body.strategies).toHaveLength(19);
    const lp = res.body.strategies.find((x) => x.id === "LP-CTR");
    expect(lp).toMatchObject({
      checks: 3,
      failing: 1,
      accepted: 1,
      passing: 1,
      open: { high: 1, medium: 0, low: 0 },
    });
    expect(lp?.evidence.map((e) => e.ruleId)).toEqual(["KSV-0001"]);
    const vuln = res.body.strategies.find((x) => x.id === "INT-VULN");
    expect(vuln).toMatchObject({ checks: 2, failing: 2, open: { critical: 1, high: 1 } });
    expect(vuln?.evidence.map((e) => e.ruleId)).toEqual(["CVE-1", "CVE-2"]);
    expect(res.body.strategies.find((x) => x.id === "PROT-MTLS")).toMatchObject({
      checks: 0,
      coverage: null,
    });
    expect(res.body.sources.map((x) => x.source)).toEqual(["trivy"]);
  });

  it("scopes to one cluster by name", async () => {
    const res = await s.get<{ strategies: Strategy[]; cluster: { name: string } }>(
      t,
      "/v1/compliance/nist-800-204?cluster=dev",
    );
    expect(res.body.cluster.name).toBe("dev");
    expect(res.body.strategies.find((x) => x.id === "INT-VULN")).toMatchObject({ checks: 1, failing: 1 });
    expect(res.body.strategies.find((x) => x.id === "LP-CTR")).toMatchObject({ checks: 0 });
  });

  it("renders a printable page with everything escaped, for Accept: text/html or format=html", async () => {
    for (const init of [{ headers: { accept: "text/html" } }, { path: "?format=html" }]) {
      const res = await s.h.app.request(`/v1/compliance/nist-800-204${"path" in init ? init.path : ""}`, {
        headers: { authorization: `Bearer ${t.token}`, ...("headers" in init ? init.headers : {}) },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/html");
      expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
      const html = await res.text();
      expect(html).toContain("LP-CTR — Container privilege removal");
      expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt; root");
      expect(html).not.toContain("<script>");
    }
  });

  it.each([
    ["cluster=nowhere", 404],
    ["format=pdf", 400],
    ["clusters=prod", 400],
  ])("answers %s with %i", async (q, status) => {
    expect((await s.get(t, `/v1/compliance/nist-800-204?${q}`)).status).toBe(status);
  });
});
