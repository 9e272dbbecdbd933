import { createLogger } from "@bulwark/runtime";
import type { ManifestEntry } from "@bulwark/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../../test/support/context.js";
import { seedReport, seedTenant } from "../../../test/support/factories.js";
import { normalizeReport } from "../src/jobs/normalize-report.js";
import { analyzeMesh, RULES } from "../src/mesh/index.js";
import { HARDENED, toList } from "./mesh/helpers.js";

/**
 * An input the uploader could not read (RBAC forbidden to the collector) is unknown, not empty: the rules that
 * need it are not evaluated and their earlier findings stay as they were instead of being resolved.
 */
const RBAC_VIOLATION = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: sec-editor }
rules:
  - { apiGroups: [security.istio.io], resources: [authorizationpolicies], verbs: [create, update, patch] }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: devs-sec, namespace: shop }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: sec-editor }
subjects: [{ kind: Group, apiGroup: rbac.authorization.k8s.io, name: shop-developers }]
`;
const RBAC_KINDS = ["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"];

const withViolation = toList(`${HARDENED}\n---\n${RBAC_VIOLATION}`);
const withoutRbac = {
  ...withViolation,
  items: withViolation.items.filter((o) => !RBAC_KINDS.includes((o as { kind: string }).kind)),
};
function manifest(rbacStatus: ManifestEntry["status"]): ManifestEntry[] {
  return RBAC_KINDS.map((kind) => ({
    resource: `${kind.toLowerCase()}s.rbac.authorization.k8s.io`,
    kind,
    status: rbacStatus,
  }));
}

describe("the mesh analyzer with a manifest", () => {
  it("does not evaluate RBAC rules when RBAC was unreadable, and says so", () => {
    const seen = analyzeMesh(withViolation, RULES, manifest("read"));
    expect(seen.findings.some((f) => f.ruleId === "MESH-RBAC-01")).toBe(true);
    expect(seen.unevaluatedRuleIds).toEqual([]);

    const blind = analyzeMesh(withoutRbac, RULES, manifest("forbidden"));
    expect(blind.findings.some((f) => f.ruleId.startsWith("MESH-RBAC-"))).toBe(false);
    expect(blind.unevaluatedRuleIds).toEqual(
      expect.arrayContaining(["MESH-RBAC-01", "MESH-RBAC-02", "MESH-RBAC-03"]),
    );
    // rules that do not read RBAC are unaffected
    expect(blind.unevaluatedRuleIds).not.toContain("MESH-MTLS-01");
  });
});

const logger = createLogger("silent");
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

describe("snapshots with unreadable inputs", () => {
  it("keep the findings of rules they could not evaluate, and resolve them once the input is read again", async () => {
    const t = await seedTenant(ctx.ownerPool, "blind");
    const run = async (minute: number, report: unknown, m: ManifestEntry[]) => {
      const id = await seedReport(ctx.ownerPool, t, {
        source: "mesh-config",
        collectedAt: `2026-11-23T10:0${minute}:00Z`,
        report,
        manifest: m,
      });
      const r = await normalizeReport({ pool: ctx.pool, logger }, { tenantId: t.tenantId, reportId: id });
      expect(r.outcome).toBe("done");
    };
    const rbacStatus = async () =>
      (
        await ctx.ownerPool.query(
          "SELECT status FROM findings WHERE tenant_id = $1 AND rule_id = 'MESH-RBAC-01'",
          [t.tenantId],
        )
      ).rows.map((r) => r.status);

    await run(1, withViolation, manifest("read"));
    expect(await rbacStatus()).toEqual(["open"]);
    // RBAC forbidden to the collector this time: the binding is not in the List, yet nothing was fixed
    await run(2, withoutRbac, manifest("forbidden"));
    expect(await rbacStatus()).toEqual(["open"]);
    // read again, and really gone: now it resolves
    await run(3, withoutRbac, manifest("read"));
    expect(await rbacStatus()).toEqual(["resolved"]);
  });
});
