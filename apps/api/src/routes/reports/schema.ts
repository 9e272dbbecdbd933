import { REPORT_STATUSES, SOURCES } from "@bulwark/schema";
import { z } from "@hono/zod-openapi";
import { IdParam } from "../../openapi/common.js";
import type { ReportView } from "../../services/reports/row.js";

const Stats = z
  .object({
    findings: z.number().int(),
    new: z.number().int(),
    unchanged: z.number().int(),
    resolved: z.number().int(),
    reopened: z.number().int(),
  })
  .openapi("ReportStats");

export const ReportSchema = z
  .object({
    id: z.string().openapi({ example: "rpt_0123456789abcdefghjk" }),
    clusterId: z.string(),
    source: z.enum(SOURCES),
    status: z.enum(REPORT_STATUSES),
    receivedAt: z.string(),
    collectedAt: z.string(),
    processedAt: z.string().nullable(),
    error: z.string().nullable().openapi({ description: "Why processing failed (status failed)" }),
    stats: Stats.nullable(),
    scope: z
      .object({
        namespaces: z.array(z.string()).optional(),
        clusterScoped: z.literal(true).optional(),
        excludeNamespaces: z.array(z.string()).optional(),
      })
      .nullable()
      .openapi({
        description:
          "Extension: what the snapshot covered (null: the whole cluster). `clusterScoped` and `excludeNamespaces` " +
          "appear on the parts of a cluster split into several uploads",
      }),
    runId: z.string().nullable().openapi({ description: "Extension" }),
    tool: z
      .object({ name: z.string(), version: z.string().optional() })
      .nullable()
      .openapi({ description: "Extension" }),
    supersededBy: z.string().nullable().openapi({
      description: "Extension: the newer report that made this snapshot stale (it changed no finding)",
    }),
    warnings: z
      .object({
        count: z.number().int().openapi({ description: "entries skipped" }),
        first: z
          .array(z.object({ path: z.string(), message: z.string() }))
          .openapi({ description: "the first skipped entries (up to 20): JSON path and what was wrong" }),
      })
      .nullable()
      .openapi({
        description:
          "Extension: entries the parser skipped because a required field was missing or malformed. The report " +
          "is `done` with the rest; findings a skipped entry might have matched are kept open, never resolved. " +
          "null when nothing was skipped.",
      }),
    manifest: z
      .array(z.looseObject({ resource: z.string(), kind: z.string(), status: z.string() }))
      .nullable()
      .optional()
      .openapi({
        description:
          "Extension, on GET /v1/reports/{id} only: what the uploader could and could not read (envelope `manifest`)",
      }),
  })
  .openapi("Report");

export const ReportList = z
  .object({ items: z.array(ReportSchema), nextCursor: z.string().nullable() })
  .openapi("ReportList");

export const ReportParams = z.object({ id: IdParam("id", "rpt_0123456789abcdefghjk") });

export const ListReportsQuery = z.object({
  cluster: z.string().min(1).max(200).optional().openapi({ description: "Cluster id or name" }),
  source: z.enum(SOURCES).optional(),
  status: z.enum(REPORT_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(1000).optional().openapi({ description: "nextCursor of the previous page" }),
});

export function reportJson(r: ReportView): z.infer<typeof ReportSchema> {
  return {
    id: r.id,
    clusterId: r.clusterId,
    source: r.source as z.infer<typeof ReportSchema>["source"],
    status: r.status as z.infer<typeof ReportSchema>["status"],
    receivedAt: r.receivedAt.toISOString(),
    collectedAt: r.collectedAt.toISOString(),
    processedAt: r.processedAt?.toISOString() ?? null,
    error: r.error,
    stats: r.stats,
    scope: r.scope,
    runId: r.runId,
    tool: r.tool,
    supersededBy: r.supersededBy,
    warnings: r.warnings,
    ...(r.manifest !== undefined ? { manifest: r.manifest } : {}),
  };
}
