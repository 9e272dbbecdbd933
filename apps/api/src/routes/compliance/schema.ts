import { z } from "@hono/zod-openapi";
import type { ComplianceRow } from "../../services/compliance/list.js";

const Check = z.object({ checkID: z.string(), target: z.string().nullable(), success: z.boolean() });
const Control = z
  .object({
    id: z.string().openapi({ example: "5.2.2" }),
    name: z.string().nullable(),
    severity: z.string().nullable(),
    status: z.enum(["pass", "fail", "manual"]),
    checks: z.array(Check),
    failCount: z.number().int(),
    passCount: z.number().int(),
  })
  .openapi("ComplianceControl");

export const ComplianceSchema = z
  .object({
    cluster: z.object({ id: z.string(), name: z.string() }),
    framework: z.object({
      id: z.string().openapi({ example: "cis" }),
      title: z.string().nullable(),
      version: z.string().nullable(),
    }),
    reportId: z.string(),
    collectedAt: z.string(),
    summary: z.object({ pass: z.number().int(), fail: z.number().int(), manual: z.number().int() }),
    controls: z
      .array(Control)
      .optional()
      .openapi({ description: "On GET /v1/clusters/{id}/compliance only" }),
  })
  .openapi("Compliance");

export const ComplianceList = z.object({ items: z.array(ComplianceSchema) }).openapi("ComplianceList");

export const ComplianceQuery = z.object({
  cluster: z.string().min(1).max(200).optional().openapi({ description: "Cluster id or name" }),
});

export function complianceJson(r: ComplianceRow): z.infer<typeof ComplianceSchema> {
  return {
    cluster: { id: r.cluster_id, name: r.cluster_name },
    framework: { id: r.framework_id, title: r.title, version: r.version },
    reportId: r.report_id,
    collectedAt: r.collected_at.toISOString(),
    summary: r.summary,
    ...(r.controls ? { controls: r.controls as z.infer<typeof Control>[] } : {}),
  };
}
